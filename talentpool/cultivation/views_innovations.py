"""Pages of "五小" innovations (小发明, 小创造, 小革新, 小设计, 小建议). Every queryset starts from
``restrict(user, action)``; out of scope is 404. State changes go through services_innovations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from talentpool.core.exceptions import EditConflict, ServiceError
from talentpool.core.pages import form_page, require_roles
from talentpool.core.roles import Action, Role
from talentpool.core.scoping import get_restricted_or_404
from talentpool.registry.views import RegistryListView

from . import services_innovations as services
from .api_innovations import members_prefetch
from .choices import InnovationStatus
from .filters_innovations import InnovationFilter
from .forms_innovations import CommendForm, EvaluateForm, InnovationForm
from .lists import NoWorkerExportMixin
from .models import Innovation
from .pages import worker_choices
from .tables_innovations import InnovationTable

SECTION = "innovations"
FORM = "cultivation/innovations/form.html"
LIST_URL = "/cultivation/innovations/"


class InnovationListView(NoWorkerExportMixin, RegistryListView):
    """The innovations the user may see; its search box posts (a team member's ID number typed
    into it never reaches a URL, registry.search). Workers see the innovations whose team they
    are in, without export."""

    model = Innovation
    table_class = InnovationTable
    filterset_class = InnovationFilter
    export_kind = "innovations"
    title = gettext_lazy("Innovations (五小)")
    template_name = "cultivation/list.html"
    view_roles = (Role.LEADER, Role.OPERATOR, Role.WORKER)
    related = ("enterprise",)
    add_url_name = "cultivation:innovation_create"
    add_roles = (Role.OPERATOR,)
    extra_context = {"section": SECTION}

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .only(
                "pk",
                "title",
                "kind",
                "submitted_on",
                "is_adopted",
                "economic_benefit",
                "status",
                "commendation_level",
                "commendation_year",
                "commended_on",
                "description",
                "social_benefit",
                "evaluation",
                "enterprise__name",
            )
            .prefetch_related(members_prefetch())
        )


def _innovation(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> Innovation:
    return get_restricted_or_404(Innovation.objects.select_related("enterprise"), request.user, action, pk=pk)


def innovation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    innovation = _innovation(request, pk)
    user: Any = request.user
    can_change = services.may_change(innovation, user)
    return render(
        request,
        "cultivation/innovations/detail.html",
        {
            "innovation": innovation,
            "members": innovation.members.select_related("worker").order_by("order", "pk"),
            "section": SECTION,
            "can_change": can_change,
            "can_delete": can_change and innovation.status == InnovationStatus.SUBMITTED,
            "can_decide": bool(user.is_admin),
            "is_submitted": innovation.status == InnovationStatus.SUBMITTED,
            "is_commended": innovation.status == InnovationStatus.COMMENDED,
        },
    )


def innovation_create(request: HttpRequest) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    user: Any = request.user
    if not services.may_keep_innovations(user):
        raise Http404
    form = InnovationForm(request.POST or None, workers=services.team_workers(user), admin=user.is_admin)
    return form_page(
        request,
        form,
        title=_("Submit an innovation"),
        template_name=FORM,
        section=SECTION,
        save=lambda data: services.submit_innovation(actor=user, **form.service_fields(changed_only=False)),
        success=lambda innovation: _("Innovation “%(title)s” submitted.") % {"title": innovation.title},
        cancel_url=LIST_URL,
    )


def innovation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    innovation = _innovation(request, pk, Action.CHANGE)
    user: Any = request.user
    if not services.may_change(innovation, user):
        raise Http404
    form = InnovationForm(
        request.POST or None,
        workers=services.team_workers(user, innovation.enterprise_id),
        innovation=innovation,
    )
    return form_page(
        request,
        form,
        title=_("Edit the innovation “%(title)s”") % {"title": innovation.title},
        template_name=FORM,
        section=SECTION,
        cancel_url=innovation.get_absolute_url(),
        current=innovation,
        save=lambda data: services.update_innovation(
            innovation, actor=user, expected_version=data.get("version"), **form.service_fields(changed_only=True)
        ),
        success=lambda _innovation: _("Changes saved."),
    )


def innovation_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)  # admins only
    innovation = _innovation(request, pk, Action.CHANGE)
    if innovation.status == InnovationStatus.COMMENDED:
        raise Http404
    user: Any = request.user
    form = EvaluateForm(request.POST or None, innovation=innovation)
    return form_page(
        request,
        form,
        title=_("Evaluate the innovation “%(title)s”") % {"title": innovation.title},
        template_name=FORM,
        section=SECTION,
        cancel_url=innovation.get_absolute_url(),
        current=innovation,
        save=lambda data: services.evaluate_innovation(
            innovation, actor=user, expected_version=data.pop("version"), **data
        ),
        success=lambda _innovation: _("Evaluation recorded."),
    )


def innovation_commend(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)  # admins only
    innovation = _innovation(request, pk, Action.CHANGE)
    if innovation.status != InnovationStatus.EVALUATED:
        raise Http404
    user: Any = request.user
    form = CommendForm(request.POST or None, innovation=innovation)
    return form_page(
        request,
        form,
        title=_("Commend the innovation “%(title)s”") % {"title": innovation.title},
        template_name=FORM,
        section=SECTION,
        cancel_url=innovation.get_absolute_url(),
        current=innovation,
        save=lambda data: services.commend_innovation(
            innovation, actor=user, expected_version=data.pop("version"), **data
        ),
        success=lambda _innovation: _("Commendation recorded."),
    )


def _posted_version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@require_POST
def innovation_not_commended(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)  # admins only
    innovation = _innovation(request, pk, Action.CHANGE)
    try:
        services.record_not_commended(innovation, actor=request.user, expected_version=_posted_version(request))  # type: ignore[arg-type]
    except (ServiceError, EditConflict) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Recorded as not commended."))
    return redirect(innovation.get_absolute_url())


@require_POST
def innovation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    innovation = _innovation(request, pk, Action.DELETE)
    try:
        services.delete_innovation(innovation, actor=request.user)  # type: ignore[arg-type]
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(innovation.get_absolute_url())
    messages.success(request, _("Innovation deleted."))
    return redirect("cultivation:innovation_list")


def _search(request: HttpRequest, enterprise_id: int | None) -> JsonResponse:
    return worker_choices(request, services.team_workers(request.user, enterprise_id))  # type: ignore[arg-type]


def worker_search(request: HttpRequest) -> JsonResponse:
    """``?q=慎`` (or pinyin, initials): at most 20 of the workers the user may name in a team (an
    operator: their own current workers), name, masked ID number and enterprise. Never by ID number."""
    require_roles(request, Role.OPERATOR)
    return _search(request, None)


def innovation_worker_search(request: HttpRequest, pk: int) -> JsonResponse:
    """The same, among the current workers of the innovation's enterprise."""
    require_roles(request, Role.OPERATOR)
    innovation = _innovation(request, pk, Action.CHANGE)
    return _search(request, innovation.enterprise_id)
