"""Cultivation records (培育, SPEC.md §3.4): training, competitions, "五小" innovations,
master–apprentice pairs and innovation studios. State changes go through ``services_*``; the
registry's records (workers, certificates, levels) change only through the registry's services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentpool.registry.models import Certificate, Enterprise, Occupation, Worker

from .choices import (
    AttendanceStatus,
    Award,
    ClassMode,
    ClassStatus,
    CompetitionClass,
    EnrolmentResult,
    EnrolmentStatus,
    InnovationKind,
    InnovationStatus,
    MemberRole,
    MentorshipStatus,
    PromotionStatus,
    RecordLevel,
    SkillLevel,
)
from .querysets import (
    AdminOnlyQuerySet,
    AttendanceQuerySet,
    CatalogueQuerySet,
    ClassPartQuerySet,
    InnovationPartQuerySet,
    InnovationQuerySet,
    MentorshipQuerySet,
    StudioPartQuerySet,
    StudioQuerySet,
    TrainingClassQuerySet,
    WorkerOwnedQuerySet,
)


class Versioned(models.Model):
    """Raised by every change: an edit based on an older version is refused (as the registry's)."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


# Training (培训) ---------------------------------------------------------------------------


class Course(Versioned):
    """A course of the catalogue (the menu of 菜单式), tied to occupations and a target level."""

    code = models.CharField(_("course code"), max_length=20, unique=True)
    name = models.CharField(_("course name"), max_length=100)
    occupations = models.ManyToManyField(Occupation, verbose_name=_("occupations"), related_name="+", blank=True)
    target_level = models.PositiveSmallIntegerField(_("target level"), choices=SkillLevel.choices)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in the catalogue"), default=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("cultivation:course_detail", args=[self.pk])


class TrainingClass(Versioned):
    """A run of a course (培训班) in one of three modes. An order-style class is ordered by one
    enterprise (``ordered_by``) for its own workers; a combined class trains the workers of
    ``enterprises`` together; a menu-style class is open to every enterprise."""

    code = models.CharField(_("class code"), max_length=20, unique=True)
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="classes")
    name = models.CharField(_("class name"), max_length=120)
    mode = models.CharField(_("training mode"), max_length=16, choices=ClassMode.choices)
    status = models.CharField(_("status"), max_length=16, choices=ClassStatus.choices, default=ClassStatus.PLANNED)
    ordered_by = models.ForeignKey(
        Enterprise,
        verbose_name=_("ordered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ordered_classes",
    )
    enterprises = models.ManyToManyField(
        Enterprise, verbose_name=_("participating enterprises"), related_name="training_classes", blank=True
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=100, blank=True)
    teacher = models.CharField(_("teacher"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    objects = TrainingClassQuerySet.as_manager()

    class Meta:
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["status", "mode"]), models.Index(fields=["ordered_by", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="training_class_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(mode=ClassMode.ORDER) | Q(ordered_by__isnull=False),
                name="order_class_has_enterprise",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("cultivation:class_detail", args=[self.pk])


class TrainingSession(models.Model):
    """One session of a class (场次): date, venue, teacher, hours. The seed's 培训场次."""

    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("training class"), on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=120, blank=True)
    venue = models.CharField(_("venue"), max_length=100, blank=True)
    teacher = models.CharField(_("teacher"), max_length=64, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)

    objects = ClassPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["training_class", "held_on", "pk"]
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self) -> str:
        return f"{self.training_class.code} {self.held_on:%Y-%m-%d}"


class Enrolment(models.Model):
    """A worker enrolled in a class, for the enterprise they were at when enrolled; their result
    and, when it raised their level (晋级), the certificate recorded through the registry."""

    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("training class"), on_delete=models.CASCADE, related_name="enrolments"
    )
    worker = models.ForeignKey(Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="enrolments")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    result = models.CharField(
        _("result"), max_length=16, choices=EnrolmentResult.choices, default=EnrolmentResult.PENDING
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    level_up_certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("level-up certificate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    level_up_on = models.DateField(_("level-up date"), null=True, blank=True)  # the certificate's date
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now, editable=False)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = WorkerOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["training_class", "pk"]
        indexes = [models.Index(fields=["level_up_on"]), models.Index(fields=["enterprise", "level_up_on"])]
        constraints = [models.UniqueConstraint(fields=["training_class", "worker"], name="one_enrolment_per_class")]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.training_class.code}"


class Attendance(models.Model):
    """A worker's presence at one session (参训人次 counts the present ones)."""

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("training session"), on_delete=models.CASCADE, related_name="attendances"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(_("attendance"), max_length=16, choices=AttendanceStatus.choices)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "enrolment"]
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="one_attendance_per_session")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} @ {self.session_id}: {self.status}"


# Competitions (岗位练兵, 职工技能运动会) -----------------------------------------------------------


class Competition(Versioned):
    """A competition or a year's games (职工技能运动会) with its events, at a level and class."""

    name = models.CharField(_("competition name"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=16, choices=RecordLevel.choices)
    competition_class = models.CharField(
        _("competition class"), max_length=16, choices=CompetitionClass.choices, blank=True
    )
    organiser = models.CharField(_("organiser"), max_length=100, blank=True)
    # an enterprise-level contest (岗位练兵) belongs to its enterprise, whose operator keeps it
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        ordering = ["-year", "name"]
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="unique_competition_per_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("cultivation:competition_detail", args=[self.pk])


class CompetitionEvent(models.Model):
    """An event of a competition (比赛项目), tied to an occupation."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="events"
    )
    code = models.CharField(_("event code"), max_length=20, unique=True)
    name = models.CharField(_("event name"), max_length=120)
    occupation = models.ForeignKey(
        Occupation, verbose_name=_("occupation"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=100, blank=True)
    results_recorded = models.BooleanField(_("results recorded"), default=False)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("competition event")
        verbose_name_plural = _("competition events")
        ordering = ["competition", "held_on", "code"]
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Entry(models.Model):
    """A worker's entry in an event (参赛), for the enterprise they were at: rank, score, award."""

    event = models.ForeignKey(
        CompetitionEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="entries"
    )
    worker = models.ForeignKey(Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="entries")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    award = models.CharField(_("award"), max_length=16, choices=Award.choices, blank=True)
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)

    objects = WorkerOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("competition entry")
        verbose_name_plural = _("competition entries")
        ordering = ["event", "rank", "pk"]
        indexes = [models.Index(fields=["enterprise", "event"])]
        constraints = [
            models.UniqueConstraint(fields=["event", "worker"], name="one_entry_per_event"),
            models.CheckConstraint(condition=Q(rank__isnull=True) | Q(rank__gte=1), name="entry_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.event.code}"


class PromotionRule(models.Model):
    """A row of the table that proposes a skill-level promotion from a competition result
    (破格晋升): a rank in ``rank_from``–``rank_to`` at a competition of ``level`` (and class, blank:
    any) raises the worker ``levels_up`` levels, never above ``highest_level``."""

    level = models.CharField(_("competition level"), max_length=16, choices=RecordLevel.choices)
    competition_class = models.CharField(
        _("competition class"), max_length=16, choices=CompetitionClass.choices, blank=True
    )
    rank_from = models.PositiveIntegerField(_("from rank"))
    rank_to = models.PositiveIntegerField(_("to rank"))
    levels_up = models.PositiveSmallIntegerField(_("levels up"))
    highest_level = models.PositiveSmallIntegerField(_("highest level reachable"), choices=SkillLevel.choices)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AdminOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("promotion rule")
        verbose_name_plural = _("promotion rules")
        ordering = ["level", "competition_class", "rank_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rank_from__gte=1) & Q(rank_to__gte=F("rank_from")), name="promotion_rule_rank_range"
            ),
            models.CheckConstraint(condition=Q(levels_up__gte=1), name="promotion_rule_levels_up"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.rank_from}–{self.rank_to}"


class PromotionProposal(models.Model):
    """A promotion a result qualifies for, proposed by the rule table, confirmed or refused by an
    admin with a reason. At most one confirmed competition promotion per worker per year; a
    confirmed one records its certificate through the registry's service."""

    entry = models.OneToOneField(Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="promotion")
    worker = models.ForeignKey(Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    rule = models.ForeignKey(
        PromotionRule, verbose_name=_("rule"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_level = models.PositiveSmallIntegerField(_("level before"), choices=SkillLevel.choices, null=True, blank=True)
    proposed_level = models.PositiveSmallIntegerField(_("proposed level"), choices=SkillLevel.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=PromotionStatus.choices, default=PromotionStatus.PROPOSED
    )
    reason = models.CharField(_("reason"), max_length=400, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = WorkerOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("promotion proposal")
        verbose_name_plural = _("promotion proposals")
        ordering = ["-year", "status", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "year"], condition=Q(status="confirmed"), name="one_competition_promotion_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.year} → {self.get_proposed_level_display()}"


# Innovations ("五小") -------------------------------------------------------------------------


class Innovation(Versioned):
    """A "五小" result submitted by an enterprise, with its team; evaluated and commended."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=InnovationKind.choices)
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField(_("submitted on"))
    description = models.TextField(_("description"), blank=True)
    is_adopted = models.BooleanField(_("adopted"), default=False)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    economic_benefit = models.DecimalField(
        _("economic benefit (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    social_benefit = models.TextField(_("social benefit"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=InnovationStatus.choices, default=InnovationStatus.SUBMITTED
    )
    evaluation = models.TextField(_("evaluation"), blank=True)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    commendation_level = models.CharField(
        _("commendation level"), max_length=16, choices=RecordLevel.choices, blank=True
    )
    commendation_year = models.PositiveSmallIntegerField(_("commendation year"), null=True, blank=True)
    commended_on = models.DateField(_("commended on"), null=True, blank=True)

    objects = InnovationQuerySet.as_manager()

    class Meta:
        verbose_name = _("innovation")
        verbose_name_plural = _("innovations")
        ordering = ["-submitted_on", "-pk"]
        indexes = [
            models.Index(fields=["submitted_on"]),
            models.Index(fields=["commended_on"]),
            models.Index(fields=["enterprise", "submitted_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(economic_benefit__isnull=True) | Q(economic_benefit__gte=0),
                name="innovation_benefit_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cultivation:innovation_detail", args=[self.pk])


class InnovationMember(models.Model):
    innovation = models.ForeignKey(
        Innovation, verbose_name=_("innovation"), on_delete=models.CASCADE, related_name="members"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="innovation_memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = InnovationPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["innovation", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["innovation", "worker"], name="one_membership_per_innovation")]

    def __str__(self) -> str:
        return f"{self.worker} ({self.get_role_display()})"


# Mentorship (师徒结对) -------------------------------------------------------------------------


class Mentorship(Versioned):
    """A master–apprentice pair from ``start_date`` to ``end_date`` (open: ongoing), with its goals
    and outcomes. A worker cannot be their own master; overlapping pairs of the same two workers
    are refused (services, rules.mentorship)."""

    master = models.ForeignKey(
        Worker, verbose_name=_("master"), on_delete=models.CASCADE, related_name="apprenticeships_as_master"
    )
    apprentice = models.ForeignKey(
        Worker, verbose_name=_("apprentice"), on_delete=models.CASCADE, related_name="apprenticeships_as_apprentice"
    )
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    goals = models.TextField(_("goals"), blank=True)
    is_famous_master = models.BooleanField(_("famous master (名师带徒)"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=MentorshipStatus.choices, default=MentorshipStatus.ACTIVE
    )
    apprentice_level_gained = models.PositiveSmallIntegerField(
        _("level the apprentice gained"), choices=SkillLevel.choices, null=True, blank=True
    )
    competition_results = models.TextField(_("competition results"), blank=True)
    benefit = models.DecimalField(_("benefit created (yuan)"), max_digits=14, decimal_places=2, default=0)
    outcome_note = models.TextField(_("outcomes"), blank=True)

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["start_date", "end_date"]),
            models.Index(fields=["enterprise", "start_date"]),
            models.Index(fields=["master", "apprentice"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(master=F("apprentice")), name="mentorship_not_own_master"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="mentorship_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(benefit__gte=0), name="mentorship_benefit_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.master} → {self.apprentice}"

    def get_absolute_url(self) -> str:
        return reverse("cultivation:mentorship_detail", args=[self.pk])


# Innovation studios (创新工作室) -------------------------------------------------------------------


class Studio(Versioned):
    """An innovation studio (劳模 / 工匠创新工作室) led by a worker, at a level, 示范性 or not."""

    name = models.CharField(_("studio name"), max_length=120, unique=True)
    leader = models.ForeignKey(Worker, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="studios_led")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=16, choices=RecordLevel.choices)
    is_demonstration = models.BooleanField(_("demonstration studio (示范性)"), default=False)
    founded_year = models.PositiveSmallIntegerField(_("founding year"))
    description = models.TextField(_("description"), blank=True)
    closed_year = models.PositiveSmallIntegerField(_("closed in"), null=True, blank=True)

    objects = StudioQuerySet.as_manager()

    class Meta:
        verbose_name = _("innovation studio")
        verbose_name_plural = _("innovation studios")
        ordering = ["-founded_year", "name"]
        indexes = [models.Index(fields=["founded_year"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cultivation:studio_detail", args=[self.pk])


class StudioMember(models.Model):
    studio = models.ForeignKey(Studio, verbose_name=_("studio"), on_delete=models.CASCADE, related_name="members")
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="studio_memberships"
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = StudioPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("studio member")
        verbose_name_plural = _("studio members")
        ordering = ["studio", "pk"]
        constraints = [models.UniqueConstraint(fields=["studio", "worker"], name="one_membership_per_studio")]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.studio}"


class StudioResult(models.Model):
    """A studio's results of one year (成果): patents, methods named, projects, benefit."""

    studio = models.ForeignKey(Studio, verbose_name=_("studio"), on_delete=models.CASCADE, related_name="results")
    year = models.PositiveSmallIntegerField(_("year"))
    summary = models.TextField(_("results"))
    benefit = models.DecimalField(_("benefit created (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)

    objects = StudioPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("studio result")
        verbose_name_plural = _("studio results")
        ordering = ["studio", "-year"]
        constraints = [models.UniqueConstraint(fields=["studio", "year"], name="one_result_per_studio_year")]

    def __str__(self) -> str:
        return f"{self.studio} {self.year}"
