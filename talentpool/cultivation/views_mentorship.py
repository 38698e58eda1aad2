"""Pages of master–apprentice pairs (师徒结对). Every queryset starts from ``restrict(user, action)``;
out of scope is 404. State changes go through services_mentorship."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from talentpool.core.pages import form_page, require_roles
from talentpool.core.roles import Action, Role
from talentpool.core.scoping import get_restricted_or_404
from talentpool.registry.views import RegistryListView

from . import services_mentorship as services
from .choices import MentorshipStatus
from .filters_mentorship import MentorshipFilter
from .forms_mentorship import CloseForm, MentorshipForm
from .lists import NoWorkerExportMixin
from .models import Mentorship
from .pages import worker_choices
from .tables_mentorship import MentorshipTable

SECTION = "mentorship"
FORM = "cultivation/mentorship/form.html"
RELATED = ("master", "apprentice", "enterprise")


class MentorshipListView(NoWorkerExportMixin, RegistryListView):
    """The pairs the user may see; its search box posts (a master's or apprentice's ID number
    typed into it never reaches a URL, registry.search). Workers see their own pairs, without export."""

    model = Mentorship
    table_class = MentorshipTable
    filterset_class = MentorshipFilter
    export_kind = "mentorships"
    title = gettext_lazy("Master–apprentice pairs")
    template_name = "cultivation/list.html"
    view_roles = (Role.LEADER, Role.OPERATOR, Role.WORKER)
    related = RELATED
    add_url_name = "cultivation:mentorship_create"
    add_roles = (Role.OPERATOR,)
    extra_context = {"section": SECTION}

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .only(
                "pk",
                "start_date",
                "end_date",
                "status",
                "is_famous_master",
                "apprentice_level_gained",
                "benefit",
                "goals",
                "competition_results",
                "outcome_note",
                "master__name",
                "apprentice__name",
                "enterprise__name",
            )
        )


def _pair(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> Mentorship:
    return get_restricted_or_404(Mentorship.objects.select_related(*RELATED), request.user, action, pk=pk)


def mentorship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pair = _pair(request, pk)
    user: Any = request.user
    can_change = (
        services.may_keep_pairs(user) and Mentorship.objects.restrict(user, Action.CHANGE).filter(pk=pair.pk).exists()
    )
    return render(
        request,
        "cultivation/mentorship/detail.html",
        {
            "pair": pair,
            "section": SECTION,
            "can_change": can_change,
            "is_active": pair.status == MentorshipStatus.ACTIVE,
        },
    )


def mentorship_create(request: HttpRequest) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    user: Any = request.user
    form = MentorshipForm(request.POST or None, workers=services.pairable_workers(user))
    return form_page(
        request,
        form,
        title=_("Pair a master and an apprentice"),
        template_name=FORM,
        section=SECTION,
        save=lambda data: services.create_mentorship(actor=user, **data),
        success=lambda pair: _("Pair %(pair)s recorded.") % {"pair": f"{pair.master.name} → {pair.apprentice.name}"},
        cancel_url="/cultivation/mentorship/",
    )


def mentorship_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    pair = _pair(request, pk, Action.CHANGE)
    user: Any = request.user
    form = MentorshipForm(request.POST or None, pair=pair)
    return form_page(
        request,
        form,
        title=_("Edit the pair %(pair)s") % {"pair": f"{pair.master.name} → {pair.apprentice.name}"},
        template_name=FORM,
        section=SECTION,
        cancel_url=pair.get_absolute_url(),
        current=pair,
        save=lambda data: services.update_mentorship(
            pair,
            actor=user,
            expected_version=data.pop("version"),
            **{k: data[k] for k in form.changed_data if k != "version"},
        ),
        success=lambda _pair: _("Changes saved."),
    )


def _close_page(request: HttpRequest, pk: int, *, complete: bool) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    pair = _pair(request, pk, Action.CHANGE)
    if pair.status != MentorshipStatus.ACTIVE:
        raise Http404
    user: Any = request.user
    form = CloseForm(request.POST or None, pair=pair, complete=complete)
    service = services.complete_mentorship if complete else services.end_mentorship
    label = f"{pair.master.name} → {pair.apprentice.name}"
    title = _("Complete the pair %(pair)s") if complete else _("End the pair %(pair)s early")
    return form_page(
        request,
        form,
        title=title % {"pair": label},
        template_name=FORM,
        section=SECTION,
        cancel_url=pair.get_absolute_url(),
        current=pair,
        save=lambda data: service(pair, actor=user, expected_version=data.pop("version"), **data),
        success=lambda _pair: _("Pair completed.") if complete else _("Pair ended early."),
    )


def mentorship_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _close_page(request, pk, complete=True)


def mentorship_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _close_page(request, pk, complete=False)


@require_POST
def mentorship_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    pair = _pair(request, pk, Action.DELETE)
    services.delete_mentorship(pair, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Pair deleted."))
    return redirect("cultivation:mentorship_list")


def worker_search(request: HttpRequest) -> JsonResponse:
    """``?q=慎`` (or pinyin, initials): at most 20 of the workers the user may pair (an operator:
    their own current workers), name, masked ID number and enterprise. Never by ID number (an
    oracle: the registry's audited search is the only one)."""
    require_roles(request, Role.OPERATOR)
    return worker_choices(request, services.pairable_workers(request.user))  # type: ignore[arg-type]
