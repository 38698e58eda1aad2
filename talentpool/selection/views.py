"""Pages of the selection campaign. Every queryset starts from ``restrict(user, action)``; out of
scope is 404. State changes go through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from talentpool.core.audit import record
from talentpool.core.exceptions import EditConflict, ServiceError
from talentpool.core.pages import form_page, require_roles
from talentpool.core.roles import Action, Role
from talentpool.core.scoping import get_restricted_or_404
from talentpool.cultivation.pages import worker_choices
from talentpool.registry.models import Enterprise
from talentpool.registry.views import RegistryListView

from . import attachments
from . import services as campaigns
from . import services_nomination as nominations
from . import services_qualification as qualification
from .choices import STAGES, NominationStatus, Stage
from .filters import NominationFilter
from .forms import (
    SETTINGS,
    AttachmentForm,
    CampaignCreateForm,
    CampaignSettingsForm,
    NominationForm,
    OverrideForm,
    ReasonForm,
    StageForm,
)
from .models import Attachment, Campaign, EligibilityResult, Nomination
from .tables import NominationTable

VIEWERS = (Role.LEADER, Role.OPERATOR)


def _campaign(request: HttpRequest, year: int) -> Campaign:
    return get_restricted_or_404(Campaign.objects.all(), request.user, Action.VIEW, year=year)


def home(request: HttpRequest) -> HttpResponse:
    """The campaigns: admins see every one and start a new one; others go to the current one."""
    require_roles(request, *VIEWERS)
    user: Any = request.user
    shown = list(Campaign.objects.restrict(user, Action.VIEW).order_by("-year"))
    if not user.is_admin and len(shown) == 1:
        return redirect(shown[0])
    form = None
    if user.is_admin:
        form = CampaignCreateForm(request.POST or None, initial={"year": timezone.localdate().year})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                campaign = campaigns.create_campaign(user, data["year"], copy_previous=data["copy_previous"],
                                                     name=data["name"])
            except ServiceError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Campaign %(name)s created as a draft.") % {"name": campaign.name})
                return redirect(campaign)
    return render(request, "selection/home.html", {"campaigns": shown, "form": form})


def _by(queryset: QuerySet[Nomination], field: str, label: str) -> list[tuple[str, int]]:
    rows = queryset.values(label).annotate(n=Count("pk")).order_by("-n", label)
    return [(row[label] or "—", row["n"]) for row in rows]


def campaign_page(request: HttpRequest, year: int) -> HttpResponse:
    """The stage board: where the campaign is, the notice, where every nomination stands and,
    for admins, the next step and who has not nominated yet."""
    require_roles(request, *VIEWERS)
    user: Any = request.user
    campaign = _campaign(request, year)
    tiers = list(campaign.tiers.select_related("tier").order_by("tier__order"))
    mine = Nomination.objects.restrict(user, Action.VIEW).filter(campaign=campaign)
    counts = {row["status"]: row["n"] for row in mine.values("status").annotate(n=Count("pk"))}
    live = mine.exclude(status=NominationStatus.WITHDRAWN)
    context: dict[str, Any] = {
        "campaign": campaign, "tiers": tiers, "stages": [(s, Stage(s).label) for s in STAGES],
        "stage_index": STAGES.index(campaign.stage), "counts": counts,
        "eligibility": {row["eligibility"]: row["n"] for row in
                        live.filter(status=NominationStatus.SUBMITTED).values("eligibility").annotate(n=Count("pk"))},
        "per_tier": _by(live, "tier", "tier__name"),
        "open_refusal": nominations.nominating_refusal(campaign),
        "history": campaign.stage_changes.select_related("by").order_by("-at")[:20] if user.is_admin else (),
    }
    if user.role == Role.OPERATOR:
        context["used"] = live.count()
    if user.is_admin or user.role == Role.LEADER:
        context["per_industry"] = _by(live, "enterprise__industry", "enterprise__industry__name")
        context["per_enterprise"] = _by(live, "enterprise", "enterprise__name")[:20]
        nominated = live.filter(status=NominationStatus.SUBMITTED).values("enterprise")
        silent = Enterprise.objects.exclude(pk__in=nominated)
        context["silent_count"] = silent.count()
        context["silent"] = list(silent.order_by("name").values_list("name", flat=True)[:30])
    if user.is_admin:
        following = campaigns.NEXT_STAGE.get(campaign.stage)
        context["next_stage"] = following and (following, Stage(following).label)
        context["next_refusal"] = following and campaigns.stage_refusal(campaign, following)
        context["stage_form"] = StageForm(initial={"version": campaign.version})
    return render(request, "selection/campaign.html", context)


@require_POST
def advance(request: HttpRequest, year: int) -> HttpResponse:
    require_roles(request)
    campaign = _campaign(request, year)
    form = StageForm(request.POST)
    following = campaigns.NEXT_STAGE.get(campaign.stage)
    if not form.is_valid() or following is None:
        raise Http404
    try:
        campaigns.advance_stage(request.user, campaign, following, note=form.cleaned_data["note"],  # type: ignore[arg-type]
                                expected_version=form.cleaned_data["version"])
    except EditConflict:
        messages.error(request, _("Someone else changed the campaign meanwhile: look again, then retry."))
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The campaign is now at: %(stage)s.") % {"stage": Stage(following).label})
    return redirect(campaign)


def settings_page(request: HttpRequest, year: int) -> HttpResponse:
    require_roles(request)
    campaign = _campaign(request, year)
    user: Any = request.user
    form = CampaignSettingsForm(request.POST or None, campaign=campaign)

    def save(data: dict[str, Any]) -> Campaign:
        version = data.pop("version")
        saved = campaigns.update_campaign(user, campaign, {f: data[f] for f in SETTINGS}, expected_version=version)
        for row in form.tier_rows:
            quota, allowance = data[f"quota_{row.tier_id}"], data[f"allowance_{row.tier_id}"]
            if quota != row.quota or allowance != row.annual_allowance:
                campaigns.set_quota(user, row, quota, annual_allowance=allowance)
        return saved

    return form_page(request, form, title=_("Settings of %(name)s") % {"name": campaign.name},
                     template_name="selection/form.html", save=save, success=lambda _c: _("Settings saved."),
                     cancel_url=campaign.get_absolute_url(), current=campaign, campaign=campaign)


class NominationListView(RegistryListView):
    """A campaign's nominations the user may see (an operator: their enterprise's), with filters
    and export."""

    model = Nomination
    table_class = NominationTable
    filterset_class = NominationFilter
    export_kind = "nominations"
    title = gettext_lazy("Nominations")
    template_name = "selection/list.html"
    view_roles = VIEWERS
    related = ("worker", "tier", "enterprise__industry", "worker__occupation")

    def get_queryset(self) -> QuerySet[Any]:
        self.campaign = _campaign(self.request, self.kwargs["year"])
        return super().get_queryset().filter(campaign=self.campaign)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        context["campaign"] = self.campaign
        if nominations.may_nominate(user) and nominations.nominating_refusal(self.campaign) is None:
            context["add_url"] = f"/selection/{self.campaign.year}/nominations/new/"
        return context


def nomination_create(request: HttpRequest, year: int) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    campaign = _campaign(request, year)
    user: Any = request.user
    refusal = nominations.nominating_refusal(campaign)
    if refusal:
        messages.error(request, refusal)
        return redirect(campaign)
    form = NominationForm(request.POST or None, campaign=campaign, workers=nominations.nominable_workers(user))
    return form_page(
        request, form, title=_("Nominate a worker"), template_name="selection/form.html",
        save=lambda data: nominations.create_nomination(user, campaign, data["worker"], data["tier_id"],
                                                        statement=data["statement"], consent=data["consent"]),
        success=lambda n: _("Draft nomination of %(name)s saved: attach files, then submit.") % {"name": n.worker.name},
        cancel_url=f"/selection/{campaign.year}/nominations/", campaign=campaign)


def _nomination(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> Nomination:
    return get_restricted_or_404(Nomination.objects.select_related("worker__occupation", "tier", "enterprise__industry",
                                                                   "campaign"), request.user, action, pk=pk)


def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, *VIEWERS)
    nomination = _nomination(request, pk)
    user: Any = request.user
    can_change = (nominations.may_nominate(user)
                  and Nomination.objects.restrict(user, Action.CHANGE).filter(pk=pk).exists())
    is_draft = nomination.status == NominationStatus.DRAFT
    open_refusal = nominations.nominating_refusal(nomination.campaign)
    results = list(nomination.eligibility_results.select_related("overridden_by"))
    return render(request, "selection/nomination.html", {
        "nomination": nomination, "campaign": nomination.campaign,
        "attachments": list(nomination.attachments.all()), "results": results,
        "can_edit": can_change and is_draft and open_refusal is None,
        "submit_refusal": nominations.submit_refusal(nomination) if can_change and is_draft else None,
        "can_withdraw": can_change and nominations.withdraw_refusal(user, nomination) is None,
        "can_override": user.is_admin and nomination.campaign.stage == Stage.QUALIFICATION,
        "attachment_form": AttachmentForm(), "reason_form": ReasonForm(), "override_form": OverrideForm(),
        "accepted": attachments.accepted_labels(), "max_mb": attachments.MAX_BYTES // (1024 * 1024),
    })


def nomination_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    nomination = _nomination(request, pk, Action.CHANGE)
    user: Any = request.user
    form = NominationForm(request.POST or None, campaign=nomination.campaign, nomination=nomination)
    return form_page(
        request, form, title=_("Edit the nomination of %(name)s") % {"name": nomination.worker.name},
        template_name="selection/form.html", cancel_url=nomination.get_absolute_url(), current=nomination,
        save=lambda data: nominations.update_nomination(
            user, nomination, {k: data[k] for k in ("tier_id", "statement", "consent")},
            expected_version=data.get("version")),
        success=lambda _n: _("Changes saved."), campaign=nomination.campaign)


def _act(request: HttpRequest, nomination: Nomination, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except EditConflict:
        messages.error(request, _("Someone else changed this nomination meanwhile: look again, then retry."))
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(nomination)


@require_POST
def nomination_submit(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    nomination = _nomination(request, pk, Action.CHANGE)
    return _act(request, nomination, lambda: nominations.submit_nomination(request.user, nomination),  # type: ignore[arg-type]
                _("Nomination submitted."))


@require_POST
def nomination_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    nomination = _nomination(request, pk, Action.CHANGE)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for the withdrawal."))
        return redirect(nomination)
    return _act(request, nomination, lambda: nominations.withdraw_nomination(
        request.user, nomination, reason=form.cleaned_data["reason"]), _("Nomination withdrawn."))  # type: ignore[arg-type]


@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    nomination = _nomination(request, pk, Action.CHANGE)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach."))
        return redirect(nomination)
    upload = form.cleaned_data["file"]
    if upload.size > attachments.MAX_BYTES:
        messages.error(request, _("The file %(name)s is larger than %(limit)s MB.") % {
            "name": upload.name, "limit": attachments.MAX_BYTES // (1024 * 1024)})
        return redirect(nomination)
    data = upload.read()
    return _act(request, nomination, lambda: nominations.add_attachment(request.user, nomination, upload.name, data),  # type: ignore[arg-type]
                _("File %(name)s attached.") % {"name": upload.name})


@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    attachment = get_restricted_or_404(Attachment.objects.select_related("nomination"), request.user, Action.CHANGE,
                                       pk=pk)
    return _act(request, attachment.nomination, lambda: nominations.remove_attachment(request.user, attachment),  # type: ignore[arg-type]
                _("File %(name)s removed.") % {"name": attachment.name})


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, to those who may see its nomination (never a public URL), audited."""
    require_roles(request, *VIEWERS)
    attachment = get_restricted_or_404(Attachment.objects.select_related("nomination"), request.user, Action.VIEW,
                                       pk=pk)
    record(request.user, "selection.attachment.download", attachment.nomination,  # type: ignore[arg-type]
           object_repr=str(attachment.nomination), changes={"file": attachment.name})
    handle = attachment.file.open("rb")
    inline = attachment.content_type in ("application/pdf", "image/jpeg", "image/png")
    response = FileResponse(handle, content_type=attachment.content_type, as_attachment=not inline,
                            filename=attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def qualification_page(request: HttpRequest, year: int) -> HttpResponse:
    """Who is eligible and why not: every submitted nomination with its failing rules."""
    require_roles(request, *VIEWERS)
    user: Any = request.user
    campaign = _campaign(request, year)
    shown = (Nomination.objects.restrict(user, Action.VIEW).filter(campaign=campaign, status=NominationStatus.SUBMITTED)
             .select_related("worker", "tier", "enterprise"))
    verdict = request.GET.get("eligibility", "")
    if verdict in ("pending", "eligible", "ineligible"):
        shown = shown.filter(eligibility=verdict)
    rows = list(shown.order_by("eligibility", "tier__order", "enterprise__name", "worker__name_sort", "pk")[:500])
    failing: dict[int, list[EligibilityResult]] = {}
    overridden: dict[int, int] = {}
    for result in EligibilityResult.objects.filter(nomination__in=[n.pk for n in rows]).filter(
            Q(passed=False) | Q(override__isnull=False)):
        if not result.effective:
            failing.setdefault(result.nomination_id, []).append(result)
        if result.override is not None:
            overridden[result.nomination_id] = overridden.get(result.nomination_id, 0) + 1
    return render(request, "selection/qualification.html", {
        "campaign": campaign, "rows": [(n, failing.get(n.pk, []), overridden.get(n.pk, 0)) for n in rows],
        "verdict": verdict, "can_run": user.is_admin and campaign.stage == Stage.QUALIFICATION,
        "total": shown.count(),
    })


@require_POST
def qualification_run(request: HttpRequest, year: int) -> HttpResponse:
    require_roles(request)
    campaign = _campaign(request, year)
    try:
        report = qualification.run_review(request.user, campaign)  # type: ignore[arg-type]
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        text = _("Checked %(checked)s nominations: %(eligible)s eligible, %(ineligible)s not.") % {
            "checked": report.checked, "eligible": report.eligible, "ineligible": report.ineligible}
        if report.overrides_dropped:
            text += " " + _("%(count)s overrides were dropped because the automatic result changed.") % {
                "count": report.overrides_dropped}
        messages.success(request, text)
    return redirect(f"/selection/{campaign.year}/qualification/")


@require_POST
def result_override(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)
    result = get_restricted_or_404(EligibilityResult.objects.select_related("nomination"), request.user,
                                   Action.CHANGE, pk=pk)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an override and give the reason."))
        return redirect(result.nomination)
    return _act(request, result.nomination, lambda: qualification.override_result(
        request.user, result, passed=form.cleaned_data["passed"], reason=form.cleaned_data["reason"]),  # type: ignore[arg-type]
        _("Override recorded."))


def worker_search(request: HttpRequest) -> JsonResponse:
    """The workers the user may nominate, by name, pinyin or initials (never by ID number)."""
    require_roles(request, Role.OPERATOR)
    return worker_choices(request, nominations.nominable_workers(request.user))  # type: ignore[arg-type]
