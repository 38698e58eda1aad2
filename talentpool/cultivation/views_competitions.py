"""Competition pages (岗位练兵, 职工技能运动会): competitions and their events, entries, results,
the promotions they propose (破格晋升) and the rule table. Every queryset starts from
``restrict(user, action)``; out of scope is 404; every change goes through services_competitions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.core.lists import RestrictedListView
from talentpool.core.pages import form_page, require_roles
from talentpool.core.roles import Action, Role
from talentpool.core.scoping import get_restricted_or_404
from talentpool.registry.models import Worker

from . import services_competitions as services
from .choices import PromotionStatus, RecordLevel
from .filters_competitions import CompetitionFilter, EntryFilter, ProposalFilter
from .forms_competitions import (
    CompetitionForm,
    ConfirmForm,
    EnterForm,
    EventForm,
    RefuseForm,
    ResultsGridForm,
    RuleForm,
)
from .forms_training import EnterprisePickForm
from .lists import NoWorkerExportMixin
from .models import Competition, CompetitionEvent, Entry, PromotionProposal, PromotionRule
from .pages import post_action
from .tables_competitions import CompetitionTable, EntryTable, ProposalTable

SECTION = "competitions"
COMPETITION_ROLES = (Role.LEADER, Role.OPERATOR)
ENTRY_ROLES = (Role.LEADER, Role.OPERATOR, Role.WORKER)
FORM = "cultivation/competitions/form.html"


def visible_competitions(user: Any) -> QuerySet[Competition]:
    """The competitions ``user`` may open: the calendar for admins and leaders; for an operator
    every contest but other enterprises' own (岗位练兵); for a worker those they entered."""
    found = Competition.objects.restrict(user, Action.VIEW)
    if user.is_admin or user.role == Role.LEADER:
        return found
    if user.role == Role.OPERATOR and user.enterprise_id:
        return found.filter(~Q(level=RecordLevel.ENTERPRISE) | Q(enterprise_id=user.enterprise_id))
    if user.role == Role.WORKER and user.worker_id:
        return found.filter(pk__in=Entry.objects.filter(worker_id=user.worker_id).values("event__competition_id"))
    return found.none()


def event_count() -> Coalesce:
    counted = (
        CompetitionEvent.objects.filter(competition=OuterRef("pk"))
        .order_by()
        .values("competition")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def entry_count() -> Coalesce:
    counted = Entry.objects.filter(event=OuterRef("pk")).order_by().values("event").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# Lists ------------------------------------------------------------------------------------


class CompetitionListView(RestrictedListView):
    model = Competition
    table_class = CompetitionTable
    filterset_class = CompetitionFilter
    template_name = "cultivation/list.html"
    export_kind = "competitions"
    title = gettext_lazy("Competitions")
    view_roles = COMPETITION_ROLES
    related = ("enterprise",)
    add_url_name = "cultivation:competition_create"
    add_roles = (Role.OPERATOR,)
    extra_context = {"section": SECTION}

    def get_queryset(self) -> QuerySet[Any]:
        user: Any = self.request.user
        return visible_competitions(user).select_related(*self.related).annotate(event_count=event_count())


class EntryListView(NoWorkerExportMixin, RestrictedListView):
    """Entries across competitions (参赛), with ranks and awards; a worker sees their own, without export."""

    model = Entry
    table_class = EntryTable
    filterset_class = EntryFilter
    template_name = "cultivation/list.html"
    export_kind = "competition_entries"
    title = gettext_lazy("Competition entries")
    view_roles = ENTRY_ROLES
    related = ("worker", "enterprise", "event__competition")
    extra_context = {"section": "competition_entries"}

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .only(
                "pk",
                "rank",
                "score",
                "award",
                "worker__name",
                "worker__id_number_masked",
                "enterprise__name",
                "event__code",
                "event__name",
                "event__competition__name",
                "event__competition__year",
                "event__competition__level",
            )
        )


class ProposalListView(RestrictedListView):
    """The promotions results propose (破格晋升), for admins to confirm or refuse."""

    model = PromotionProposal
    table_class = ProposalTable
    filterset_class = ProposalFilter
    template_name = "cultivation/list.html"
    export_kind = "promotion_proposals"
    title = gettext_lazy("Promotion proposals")
    view_roles = ()
    related = ("worker", "enterprise", "entry__event")
    extra_context = {"section": "promotions"}


# Competitions -----------------------------------------------------------------------------


def _competition(request: HttpRequest, pk: int) -> Competition:
    return get_restricted_or_404(
        visible_competitions(request.user).select_related("enterprise"), request.user, Action.VIEW, pk=pk
    )


def competition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, *ENTRY_ROLES)
    user: Any = request.user
    competition = _competition(request, pk)
    events = (
        competition.events.select_related("occupation")
        .annotate(entries_total=entry_count())
        .order_by("held_on", "code")
    )
    own = None
    if not (user.is_admin or user.role == Role.LEADER):
        own = dict(
            Entry.objects.restrict(user, Action.VIEW)
            .filter(event__competition=competition)
            .order_by()
            .values_list("event_id")
            .annotate(n=Count("pk"))
        )
    rows = [{"event": e, "own": (own or {}).get(e.pk, 0)} for e in events]
    return render(
        request,
        "cultivation/competitions/competition_detail.html",
        {
            "competition": competition,
            "rows": rows,
            "show_own": own is not None,
            "can_keep": services.can_keep(user, competition),
            "section": SECTION,
        },
    )


def competition_create(request: HttpRequest) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    user: Any = request.user
    if not user.is_admin and not user.enterprise_id:
        raise Http404
    form = CompetitionForm(request.POST or None, actor=user)
    return form_page(
        request,
        form,
        title=_("New competition"),
        template_name=FORM,
        section=SECTION,
        save=lambda data: services.create_competition(actor=user, **form.competition_data()),
        success=lambda c: _("Competition %(name)s recorded.") % {"name": c},
        cancel_url=reverse("cultivation:competition_list"),
    )


def competition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    user: Any = request.user
    competition = _competition(request, pk)
    if not services.can_keep(user, competition):
        raise Http404
    form = CompetitionForm(request.POST or None, actor=user, competition=competition)
    return form_page(
        request,
        form,
        title=_("Edit the competition %(name)s") % {"name": competition},
        template_name=FORM,
        section=SECTION,
        current=competition,
        save=lambda data: services.update_competition(competition, actor=user, **form.competition_data()),
        success=lambda c: _("Changes saved."),
        cancel_url=competition.get_absolute_url(),
    )


# Events -----------------------------------------------------------------------------------


def _event(request: HttpRequest, pk: int) -> CompetitionEvent:
    user: Any = request.user
    return get_restricted_or_404(
        CompetitionEvent.objects.filter(competition__in=visible_competitions(user).values("pk")).select_related(
            "competition__enterprise", "occupation"
        ),
        user,
        Action.VIEW,
        pk=pk,
    )


def _may_enter(user: Any, event: CompetitionEvent) -> bool:
    if user.is_admin:
        return True
    return (
        user.role == Role.OPERATOR
        and bool(user.enterprise_id)
        and not event.results_recorded
        and event.competition.enterprise_id in (None, user.enterprise_id)
    )


def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    user: Any = request.user
    competition = _competition(request, pk)
    if not services.can_keep(user, competition):
        raise Http404
    form = EventForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("New event of %(name)s") % {"name": competition},
        template_name=FORM,
        section=SECTION,
        save=lambda data: (
            services.add_event(competition, actor=user, **form.event_data()) and competition.get_absolute_url()
        ),
        success=lambda target: _("Event added."),
        cancel_url=competition.get_absolute_url(),
    )


def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    user: Any = request.user
    event = _event(request, pk)
    if not services.can_keep(user, event.competition):
        raise Http404
    form = EventForm(request.POST or None, event=event)
    target = reverse("cultivation:competition_event_detail", args=[event.pk])
    return form_page(
        request,
        form,
        title=_("Edit the event %(event)s") % {"event": event},
        template_name=FORM,
        section=SECTION,
        save=lambda data: services.update_event(event, actor=user, **form.event_data()) and target,
        success=lambda t: _("Changes saved."),
        cancel_url=target,
    )


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, *ENTRY_ROLES)
    user: Any = request.user
    event = _event(request, pk)
    entries = (
        Entry.objects.restrict(user, Action.VIEW)
        .filter(event=event)
        .select_related("worker", "enterprise", "promotion")
        .order_by("rank", "worker__name_sort", "pk")
    )
    withdrawable = (
        set(Entry.objects.restrict(user, Action.DELETE).filter(event=event).values_list("pk", flat=True))
        if user.is_admin or user.role == Role.OPERATOR
        else set()
    )
    rows = [
        {
            "entry": e,
            "can_withdraw": e.pk in withdrawable and e.rank is None and e.score is None and not e.award,
            "promotion": getattr(e, "promotion", None) if user.is_admin else None,
        }
        for e in entries
    ]
    return render(
        request,
        "cultivation/competitions/event_detail.html",
        {
            "event": event,
            "competition": event.competition,
            "rows": rows,
            "is_admin": user.is_admin,
            "can_keep": services.can_keep(user, event.competition),
            "can_enter": _may_enter(user, event),
            "can_record": user.is_admin,
            "section": SECTION,
        },
    )


def enterable_workers(event: CompetitionEvent, user: Any, enterprise_id: int | None) -> QuerySet[Worker]:
    """The workers ``user`` may enter in ``event``: currently employed at the enterprise (an
    operator's own; an admin's choice), not entered yet."""
    if enterprise_id is None:
        return Worker.objects.none()
    if event.competition.enterprise_id not in (None, enterprise_id):
        return Worker.objects.none()
    taken = Entry.objects.filter(event=event).values("worker_id")
    return (
        Worker.objects.restrict(user, Action.CHANGE)
        .filter(current_enterprise_id=enterprise_id)
        .exclude(pk__in=taken)
        .only("pk", "name", "id_number_masked")
        .order_by("name_sort", "pk")
    )


def event_enter(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter workers: an operator their own enterprise's current workers, an admin those of the
    enterprise they pick."""
    require_roles(request, Role.OPERATOR)
    user: Any = request.user
    event = _event(request, pk)
    if not _may_enter(user, event):
        raise Http404
    pick = EnterprisePickForm(request.GET or None) if user.is_admin else None
    enterprise_id = user.enterprise_id if not user.is_admin else None
    if pick is not None and pick.is_valid() and pick.cleaned_data.get("enterprise"):
        enterprise_id = pick.cleaned_data["enterprise"].pk
    form = EnterForm(request.POST or None, workers=enterable_workers(event, user, enterprise_id))
    target = reverse("cultivation:competition_event_detail", args=[event.pk])
    if request.method == "POST" and form.is_valid():
        try:
            done = services.enter_workers(event, list(form.cleaned_data["workers"]), actor=user)
        except OutOfScope as exc:
            raise Http404 from exc
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(count)s workers entered.") % {"count": len(done)})
            return redirect(target)
    return render(
        request,
        "cultivation/competitions/event_enter.html",
        {
            "event": event,
            "form": form,
            "pick": pick,
            "show_workers": pick is None or enterprise_id is not None,
            "section": SECTION,
        },
    )


def grid_limit() -> int:
    """The most entries the results grid posts at once (three fields each, and the CSRF token)."""
    cap = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    return 10**6 if cap is None else max((cap - 10) // 3, 1)


def event_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The results grid of an event (admins): rank, score and award of each entry; the promotions
    they qualify for are proposed as they are saved (services.sync_proposals)."""
    require_roles(request)
    user: Any = request.user
    event = _event(request, pk)
    entries = list(event.entries.select_related("worker", "enterprise").order_by("rank", "worker__name_sort", "pk"))
    if len(entries) > grid_limit():
        # three fields a row: a larger grid would pass Django's cap on posted fields (a 400)
        return render(
            request,
            "cultivation/competitions/event_results.html",
            {"event": event, "too_many": len(entries), "section": SECTION},
        )
    form = ResultsGridForm(request.POST or None, entries=entries)
    target = reverse("cultivation:competition_event_detail", args=[event.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.record_results(event, form.results(), actor=user)
        except OutOfScope as exc:
            raise Http404 from exc
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Results saved."))
            return redirect(target)
    rows = [{"entry": e, "rank": form[r], "score": form[s], "award": form[a]} for e, r, s, a in form.rows]
    return render(
        request,
        "cultivation/competitions/event_results.html",
        {"event": event, "form": form, "rows": rows, "section": SECTION},
    )


@require_POST
def entry_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    entry = get_restricted_or_404(Entry.objects.all(), request.user, Action.DELETE, pk=pk)
    target = reverse("cultivation:competition_event_detail", args=[entry.event_id])
    return post_action(
        request,
        lambda: services.withdraw_entry(entry, actor=request.user),  # type: ignore[arg-type]
        _("The entry was withdrawn."),
        target,
    )


# Promotions -------------------------------------------------------------------------------


def _proposal(request: HttpRequest, pk: int) -> PromotionProposal:
    require_roles(request)
    proposal = get_restricted_or_404(
        PromotionProposal.objects.select_related("worker", "entry__event"), request.user, Action.CHANGE, pk=pk
    )
    if proposal.status != PromotionStatus.PROPOSED:
        raise Http404
    return proposal


def _proposal_label(proposal: PromotionProposal) -> dict[str, str]:
    return {
        "name": proposal.worker.name,
        "level": str(proposal.get_proposed_level_display()),
        "event": proposal.entry.event.code,
    }


def proposal_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    user: Any = request.user
    form = ConfirmForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("Confirm the promotion of %(name)s to %(level)s (%(event)s)") % _proposal_label(proposal),
        template_name=FORM,
        section="promotions",
        save=lambda data: (
            services.confirm_proposal(proposal, actor=user, **data) and reverse("cultivation:promotion_list")
        ),
        success=lambda t: _("Promotion confirmed: the certificate is recorded and the worker's level follows it."),
        cancel_url=reverse("cultivation:promotion_list"),
    )


def proposal_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    user: Any = request.user
    form = RefuseForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("Refuse the promotion of %(name)s to %(level)s (%(event)s)") % _proposal_label(proposal),
        template_name=FORM,
        section="promotions",
        save=lambda data: (
            services.refuse_proposal(proposal, actor=user, reason=data["reason"])
            and reverse("cultivation:promotion_list")
        ),
        success=lambda t: _("Promotion refused."),
        cancel_url=reverse("cultivation:promotion_list"),
    )


# The rule table ---------------------------------------------------------------------------


def rule_list(request: HttpRequest) -> HttpResponse:
    require_roles(request)
    levels = list(RecordLevel.values)  # national first, as the choices go
    rules = sorted(
        PromotionRule.objects.restrict(request.user, Action.VIEW),
        key=lambda r: (levels.index(r.level), r.competition_class == "", r.competition_class, r.rank_from),
    )
    return render(
        request,
        "cultivation/competitions/rules.html",
        {"rules": rules, "section": "promotion_rules"},
    )


def rule_create(request: HttpRequest) -> HttpResponse:
    require_roles(request)
    user: Any = request.user
    form = RuleForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("New promotion rule"),
        template_name=FORM,
        section="promotion_rules",
        save=lambda data: (
            services.create_rule(actor=user, **form.rule_data()) and reverse("cultivation:promotion_rule_list")
        ),
        success=lambda t: _("Rule added."),
        cancel_url=reverse("cultivation:promotion_rule_list"),
    )


def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)
    user: Any = request.user
    rule = get_restricted_or_404(PromotionRule.objects.all(), user, Action.CHANGE, pk=pk)
    form = RuleForm(request.POST or None, rule=rule)
    return form_page(
        request,
        form,
        title=_("Edit the promotion rule %(rule)s") % {"rule": rule},
        template_name=FORM,
        section="promotion_rules",
        save=lambda data: (
            services.update_rule(rule, actor=user, **form.rule_data()) and reverse("cultivation:promotion_rule_list")
        ),
        success=lambda t: _("Changes saved."),
        cancel_url=reverse("cultivation:promotion_rule_list"),
    )


@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)
    rule = get_restricted_or_404(PromotionRule.objects.all(), request.user, Action.DELETE, pk=pk)
    return post_action(
        request,
        lambda: services.delete_rule(rule, actor=request.user),  # type: ignore[arg-type]
        _("Rule deleted."),
        reverse("cultivation:promotion_rule_list"),
    )


def worker_entries(worker_id: int, user: Any) -> QuerySet[Entry]:
    """A worker's entries the user may see, with their events (for a profile section)."""
    return (
        Entry.objects.restrict(user, Action.VIEW)
        .filter(worker_id=worker_id)
        .select_related("event__competition")
        .order_by("-event__held_on", "-pk")
    )
