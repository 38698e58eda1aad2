"""The annual selection campaign (年度选树, SPEC.md §3.2): a campaign per programme year with its
configuration (tiers and quotas, eligibility rules, scoring criteria, objective points), the
nominations enterprises put forward, their attachments and the qualification review's results.

Configuration is data: a campaign copies last year's on request (services.create_campaign).
State changes go through ``services`` and ``services_nomination``; titles are conferred through
the titles app's services, never written here."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentpool.core.crypto import EncryptedTextField
from talentpool.registry.models import Enterprise, Industry, Occupation, Worker
from talentpool.rules import masking
from talentpool.titles.models import Tier, Title

from .attachments import attachment_storage
from .choices import AssignmentStatus, Eligibility, NominationStatus, ObjectionChannel, ObjectionStatus, Stage
from .querysets import (
    AssignmentQuerySet,
    CampaignPartQuerySet,
    CampaignQuerySet,
    ExpertPartQuerySet,
    ExpertQuerySet,
    NominationPartQuerySet,
    NominationQuerySet,
    ObjectionQuerySet,
    ReviewQuerySet,
    ScoreQuerySet,
)


class Campaign(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    name = models.CharField(_("campaign name"), max_length=100)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.DRAFT)
    nomination_deadline = models.DateTimeField(_("nomination deadline"), null=True, blank=True)
    nominations_per_enterprise = models.PositiveSmallIntegerField(_("nominations per enterprise"), default=5)
    experts_per_nomination = models.PositiveSmallIntegerField(_("experts per nomination"), default=3)
    notice_days = models.PositiveSmallIntegerField(_("notice length (working days)"), default=5)
    reference_date = models.DateField(
        _("reference date"), null=True, blank=True,
        help_text=_("The day eligibility is judged on (years of service, years before retirement)."),
    )
    blind_review = models.BooleanField(_("blind review"), default=False)
    experts_see_each_other = models.BooleanField(_("experts see each other's scores"), default=False)
    min_scores_for_normalisation = models.PositiveSmallIntegerField(_("scores before normalising"), default=5)
    expert_weight = models.DecimalField(_("expert score weight"), max_digits=5, decimal_places=3,
                                        default=Decimal("0.7"))
    enterprise_cap = models.PositiveSmallIntegerField(_("places per enterprise"), null=True, blank=True)
    frontline_bonus = models.DecimalField(_("front-line bonus"), max_digits=6, decimal_places=2, default=Decimal(0))
    non_public_bonus = models.DecimalField(_("non-public-sector bonus"), max_digits=6, decimal_places=2,
                                           default=Decimal(0))
    objective_rules = models.JSONField(_("objective points"), default=list, blank=True)
    notice_text = models.TextField(_("campaign notice"), blank=True)
    list_approved_at = models.DateTimeField(_("list approved at"), null=True, blank=True, editable=False)
    notice_start = models.DateField(_("public notice from"), null=True, blank=True, editable=False)
    notice_end = models.DateField(_("public notice until"), null=True, blank=True, editable=False)
    named_at = models.DateTimeField(_("named at"), null=True, blank=True, editable=False)
    effective_date = models.DateField(_("titles effective from"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("selection:campaign", args=[self.year])

    @property
    def judged_on(self):  # type: ignore[no-untyped-def]
        """The eligibility reference day: the configured one, else the deadline's day, else today."""
        if self.reference_date:
            return self.reference_date
        if self.nomination_deadline:
            return timezone.localdate(self.nomination_deadline)
        return timezone.localdate()

    def deadline_passed(self, now=None) -> bool:  # type: ignore[no-untyped-def]
        return self.nomination_deadline is not None and (now or timezone.now()) >= self.nomination_deadline


class CampaignTier(models.Model):
    """A tier as this campaign names it: its quota, the allowance it carries and its eligibility
    rules (``[{"key": …, "params": {…}}, …]``, rules.eligibility)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tiers")
    tier = models.ForeignKey(Tier, verbose_name=_("tier"), on_delete=models.PROTECT, related_name="+")
    quota = models.PositiveIntegerField(_("quota"))
    annual_allowance = models.DecimalField(_("annual allowance (yuan)"), max_digits=10, decimal_places=2)
    eligibility_rules = models.JSONField(_("eligibility rules"), default=list, blank=True)

    objects = CampaignPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign tier")
        verbose_name_plural = _("campaign tiers")
        ordering = ["campaign", "tier__order"]
        constraints = [models.UniqueConstraint(fields=["campaign", "tier"], name="selection_one_row_per_tier")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.tier}"


class Criterion(models.Model):
    """A scoring criterion of the expert review (工作业绩, 技能水平, 爱岗敬业 …)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=50)
    description = models.CharField(_("description"), max_length=200, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=6, decimal_places=2)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=3, default=Decimal(1))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = CampaignPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        ordering = ["campaign", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="selection_criterion_name")]

    def __str__(self) -> str:
        return self.name


class StageChange(models.Model):
    """The campaign's stage history: who moved it, when, and why (append-only)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=16, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=16, choices=Stage.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                           related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = CampaignPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["campaign", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_stage_display()} → {self.get_to_stage_display()}"


class Nomination(models.Model):
    """A worker put forward for a tier in a campaign (推荐). ``enterprise`` is the nominating one
    (the worker's at the time); ``title`` the title the naming conferred."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="nominations")
    worker = models.ForeignKey(Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="nominations")
    tier = models.ForeignKey(Tier, verbose_name=_("tier applied for"), on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("nominating enterprise"), on_delete=models.PROTECT,
                                   related_name="nominations")
    statement = models.TextField(_("statement of achievements"), blank=True)
    consent = models.BooleanField(_("consents to publication"), default=False)
    consent_recorded_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=NominationStatus.choices,
                              default=NominationStatus.DRAFT)
    eligibility = models.CharField(_("qualification"), max_length=16, choices=Eligibility.choices,
                                   default=Eligibility.PENDING)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True)
    title = models.OneToOneField(Title, verbose_name=_("title"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="nomination", editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+", editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["campaign", "tier__order", "enterprise__name", "worker__name_sort", "pk"]
        constraints = [
            # One nomination per worker per campaign (a withdrawn one may be followed by another).
            models.UniqueConstraint(fields=["campaign", "worker"], condition=~Q(status="withdrawn"),
                                    name="selection_one_nomination_per_worker"),
        ]
        indexes = [models.Index(fields=["campaign", "enterprise", "status"])]

    def __str__(self) -> str:
        return f"{self.worker} · {self.tier}"

    def get_absolute_url(self) -> str:
        return reverse("selection:nomination", args=[self.pk])


class Attachment(models.Model):
    """A file attached to a nomination (事迹材料, certificates, photos), kept outside the web root
    and served only to those who may see the nomination."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), max_length=200, storage=attachment_storage)
    name = models.CharField(_("file name"), max_length=150)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("type"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = NominationPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["nomination", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class EligibilityResult(models.Model):
    """One rule's outcome for one nomination (rules.eligibility), and an admin's override of it
    with the written reason."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="eligibility_results")
    key = models.CharField(_("rule"), max_length=32)
    label = models.CharField(_("condition"), max_length=50)
    order = models.PositiveSmallIntegerField(default=0)
    passed = models.BooleanField(_("passed"))
    reason = models.CharField(_("reason"), max_length=200)
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    override = models.BooleanField(_("overridden to"), null=True, blank=True)
    override_reason = models.CharField(_("reason for the override"), max_length=300, blank=True)
    overridden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    overridden_at = models.DateTimeField(null=True, blank=True)

    objects = NominationPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("eligibility result")
        verbose_name_plural = _("eligibility results")
        ordering = ["nomination", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["nomination", "key"], name="selection_one_result_per_rule")]

    def __str__(self) -> str:
        return f"{self.label}: {self.reason}"

    @property
    def effective(self) -> bool:
        return self.passed if self.override is None else self.override


# The expert review (专家评审) --------------------------------------------------------------------


class Expert(models.Model):
    """A reviewer in the pool (评审专家): specialities by industry and occupation, the employer
    (an enterprise of the registry, or an institution named in text), title, contact. ``user`` is
    their login; ``worker`` their registry record if they have one (master–apprentice conflicts)."""

    name = models.CharField(_("name"), max_length=32)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("login"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="expert")
    worker = models.ForeignKey(Worker, verbose_name=_("registry record"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    employer = models.ForeignKey(Enterprise, verbose_name=_("employer (enterprise)"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    employer_name = models.CharField(_("employer"), max_length=100)
    professional_title = models.CharField(_("professional title"), max_length=50, blank=True)
    industries = models.ManyToManyField(Industry, verbose_name=_("industries"), blank=True, related_name="+")
    occupations = models.ManyToManyField(Occupation, verbose_name=_("occupations"), blank=True, related_name="+")
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_masked = models.CharField(_("phone"), max_length=24, blank=True, editable=False)
    capacity = models.PositiveSmallIntegerField(_("reviews at most"), default=60)
    is_active = models.BooleanField(_("in the pool"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def set_phone(self, phone: str) -> None:
        self.phone = (phone or "").strip()
        self.phone_masked = masking.mask_phone(self.phone) if self.phone else ""

    @property
    def group_key(self) -> str:
        """Experts of one employer or institution: at most one of them reviews a nomination."""
        return f"e{self.employer_id}" if self.employer_id else f"n{self.employer_name.strip()}"


class ExpertEmployment(models.Model):
    """An expert's employer history (conflicts: a shared employer within the last 3 years)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="employments")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="+")
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = ExpertPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert's employment")
        verbose_name_plural = _("experts' employments")
        ordering = ["expert", "start_date", "pk"]

    def __str__(self) -> str:
        return f"{self.expert} · {self.enterprise}"


class DeclaredRelation(models.Model):
    """A relation an expert (or the admin for them) declared with a worker: they never review them."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="declared_relations")
    worker = models.ForeignKey(Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("relation"), max_length=100)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(default=timezone.now)

    objects = ExpertPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("declared relation")
        verbose_name_plural = _("declared relations")
        constraints = [models.UniqueConstraint(fields=["expert", "worker"], name="selection_one_relation_per_pair")]

    def __str__(self) -> str:
        return f"{self.expert} · {self.worker}: {self.note}"


class Panel(models.Model):
    """A review panel (评审组) of a campaign: the experts reviewing the nominations of some industries."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="panels")
    name = models.CharField(_("panel"), max_length=50)
    industries = models.ManyToManyField(Industry, verbose_name=_("industries"), related_name="+")
    experts = models.ManyToManyField(Expert, verbose_name=_("experts"), related_name="panels")

    objects = CampaignPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("panel")
        verbose_name_plural = _("panels")
        ordering = ["campaign", "name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="selection_panel_name")]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """A nomination × expert (评审分配): proposed by the solver with its reasons, confirmed by the
    admin (only then does the expert see it), declined by the expert with a reason, started and
    submitted with the review."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(_("status"), max_length=16, choices=AssignmentStatus.choices,
                              default=AssignmentStatus.PROPOSED)
    affinity = models.FloatField(_("match"), default=0)
    reasons = models.JSONField(_("why this expert"), default=list, blank=True)
    declined_reason = models.CharField(_("reason for declining"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["nomination", "expert__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "expert"], condition=~Q(status="declined"),
                                    name="selection_one_assignment_per_pair"),
        ]
        indexes = [models.Index(fields=["expert", "status"])]

    def __str__(self) -> str:
        return f"{self.nomination} · {self.expert}"


class Review(models.Model):
    """An expert's review of one assigned nomination (评审): a score per criterion within its
    bounds and a comment. Submitted, it locks; reopening it is an audited admin action."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    comment = models.TextField(_("comment"), blank=True)
    total = models.DecimalField(_("weighted score"), max_digits=8, decimal_places=2, null=True, blank=True,
                                editable=False)
    started_at = models.DateTimeField(_("started at"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["assignment", "pk"]

    def __str__(self) -> str:
        return str(self.assignment)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    """A review's score on one criterion."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT,
                                  related_name="+")
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["review", "criterion__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="selection_one_score_each")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Standing(models.Model):
    """A nomination's place in the ranking (拟定): its objective points and expert score, the
    final score, the tier the allocation proposed and why, and the tier it is placed in after the
    admin's adjustments (with their reasons). The approved list is the placed ones."""

    nomination = models.OneToOneField(Nomination, on_delete=models.CASCADE, related_name="standing")
    objective_points = models.DecimalField(_("objective points"), max_digits=8, decimal_places=2, default=Decimal(0))
    objective_detail = models.JSONField(_("objective points in detail"), default=list, blank=True)
    expert_raw = models.DecimalField(_("expert score (raw)"), max_digits=8, decimal_places=2, null=True, blank=True)
    expert_normalised = models.DecimalField(_("expert score (normalised)"), max_digits=8, decimal_places=2,
                                            null=True, blank=True)
    expert_score = models.DecimalField(_("expert score"), max_digits=8, decimal_places=2, default=Decimal(0))
    bonus = models.DecimalField(_("preference bonus"), max_digits=6, decimal_places=2, default=Decimal(0))
    final_score = models.DecimalField(_("final score"), max_digits=8, decimal_places=2, default=Decimal(0))
    rank = models.PositiveIntegerField(_("rank"), default=0)
    proposed_tier = models.ForeignKey(Tier, verbose_name=_("proposed tier"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    placed_tier = models.ForeignKey(Tier, verbose_name=_("placed tier"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    adjustment_reason = models.CharField(_("reason for the adjustment"), max_length=300, blank=True)
    adjusted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    adjusted_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    objects = NominationPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("standing")
        verbose_name_plural = _("standings")
        ordering = ["nomination__campaign", "rank", "pk"]

    def __str__(self) -> str:
        return f"{self.nomination}: {self.final_score}"


class Objection(models.Model):
    """An objection to a nominee on the public notice (异议): real-name, from the public page or
    entered by staff (letter, phone, visit, a unit's sealed letter), with a receipt number shown and
    kept. Workflow received → investigating → upheld / rejected, with findings. Stored before it is
    acknowledged, never deleted."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="objections")
    nomination = models.ForeignKey(Nomination, verbose_name=_("nominee"), on_delete=models.PROTECT,
                                   related_name="objections")
    receipt = models.CharField(_("receipt number"), max_length=24, unique=True)
    channel = models.CharField(_("received by"), max_length=8, choices=ObjectionChannel.choices,
                               default=ObjectionChannel.ONLINE)
    name = models.CharField(_("name"), max_length=32)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_masked = models.CharField(_("phone"), max_length=24, blank=True, editable=False)
    unit_name = models.CharField(_("unit"), max_length=100, blank=True)
    sealed = models.BooleanField(_("bears the unit's seal"), default=False)
    facts = models.TextField(_("facts"))
    attachment = models.FileField(_("attachment"), max_length=200, storage=attachment_storage, blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=150, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.RECEIVED)
    findings = models.TextField(_("findings"), blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("resolved by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    client_key = models.CharField(max_length=64, blank=True, editable=False)  # a hash of the sender's address
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["campaign", "received_at", "pk"]
        indexes = [models.Index(fields=["campaign", "status"]), models.Index(fields=["client_key", "received_at"])]

    def __str__(self) -> str:
        return self.receipt

    def set_phone(self, phone: str) -> None:
        self.phone = (phone or "").strip()
        self.phone_masked = masking.mask_phone(self.phone) if self.phone else ""
