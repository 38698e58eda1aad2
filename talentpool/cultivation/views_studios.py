"""Pages of innovation studios (创新工作室). Every queryset starts from ``restrict(user, action)``;
out of scope is 404. State changes go through services_studios."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from talentpool.core.exceptions import ServiceError
from talentpool.core.pages import form_page, require_roles
from talentpool.core.roles import Action, Role
from talentpool.core.scoping import get_restricted_or_404
from talentpool.registry.views import RegistryListView

from . import services_studios as services
from .filters_studios import StudioFilter
from .forms_studios import CloseForm, LeaveForm, MemberForm, ResultForm, StudioForm
from .lists import NoWorkerExportMixin
from .models import Studio, StudioMember, StudioResult
from .pages import worker_choices
from .tables_studios import StudioTable

SECTION = "studios"
FORM = "cultivation/studios/form.html"
RELATED = ("leader", "enterprise")


def current_member_count() -> Subquery:
    members = (
        StudioMember.objects.filter(studio=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("studio")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(members, output_field=IntegerField()), 0)  # type: ignore[return-value]


class StudioListView(NoWorkerExportMixin, RegistryListView):
    """The studios the user may see; its search box posts (a leader's ID number typed into it
    never reaches a URL, registry.search). Workers see the studios they lead or are members of,
    without export."""

    model = Studio
    table_class = StudioTable
    filterset_class = StudioFilter
    export_kind = "studios"
    title = gettext_lazy("Innovation studios")
    template_name = "cultivation/list.html"
    view_roles = (Role.LEADER, Role.OPERATOR, Role.WORKER)
    related = RELATED
    add_url_name = "cultivation:studio_create"
    add_roles = (Role.OPERATOR,)
    extra_context = {"section": SECTION}

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .only(
                "pk",
                "name",
                "level",
                "is_demonstration",
                "founded_year",
                "closed_year",
                "description",
                "leader__name",
                "enterprise__name",
            )
            .annotate(member_count=current_member_count())
        )


def _studio(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> Studio:
    return get_restricted_or_404(Studio.objects.select_related(*RELATED), request.user, action, pk=pk)


def _keeper(request: HttpRequest, pk: int, action: Action = Action.CHANGE) -> Studio:
    """The studio ``pk`` if the user keeps it (an admin, its enterprise's operator); else 404."""
    require_roles(request, Role.OPERATOR)
    return _studio(request, pk, action)


def studio_detail(request: HttpRequest, pk: int) -> HttpResponse:
    studio = _studio(request, pk)
    user: Any = request.user
    can_change = (
        services.may_keep_studios(user) and Studio.objects.restrict(user, Action.CHANGE).filter(pk=studio.pk).exists()
    )
    members = list(studio.members.select_related("worker").order_by("left_on", "joined_on", "pk"))
    return render(
        request,
        "cultivation/studios/detail.html",
        {
            "studio": studio,
            "section": SECTION,
            "can_change": can_change,
            "current_members": [m for m in members if m.left_on is None],
            "former_members": [m for m in members if m.left_on is not None],
            "results": list(studio.results.order_by("-year")),
        },
    )


def studio_create(request: HttpRequest) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    user: Any = request.user
    form = StudioForm(request.POST or None, workers=services.studio_workers(user), admin=user.is_admin)
    return form_page(
        request,
        form,
        title=_("Register an innovation studio"),
        template_name=FORM,
        section=SECTION,
        save=lambda data: services.create_studio(actor=user, **data),
        success=lambda studio: _("Studio %(name)s registered.") % {"name": studio.name},
        cancel_url="/cultivation/studios/",
    )


def studio_edit(request: HttpRequest, pk: int) -> HttpResponse:
    studio = _keeper(request, pk)
    user: Any = request.user
    form = StudioForm(request.POST or None, studio=studio, workers=services.studio_workers(user, studio.enterprise_id))
    return form_page(
        request,
        form,
        title=_("Edit the studio %(name)s") % {"name": studio.name},
        template_name=FORM,
        section=SECTION,
        cancel_url=studio.get_absolute_url(),
        current=studio,
        save=lambda data: services.update_studio(
            studio,
            actor=user,
            expected_version=data.pop("version"),
            **{k: data[k] for k in form.changed_data if k != "version"},
        ),
        success=lambda _studio: _("Changes saved."),
    )


def studio_close(request: HttpRequest, pk: int) -> HttpResponse:
    studio = _keeper(request, pk)
    if studio.closed_year is not None:
        raise Http404
    user: Any = request.user
    form = CloseForm(request.POST or None, studio=studio)
    return form_page(
        request,
        form,
        title=_("Close the studio %(name)s") % {"name": studio.name},
        template_name=FORM,
        section=SECTION,
        cancel_url=studio.get_absolute_url(),
        current=studio,
        save=lambda data: services.close_studio(
            studio, actor=user, closed_year=data["closed_year"], expected_version=data.get("version")
        ),
        success=lambda _studio: _("Studio closed."),
    )


def _refusal_redirect(request: HttpRequest, studio: Studio, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(studio.get_absolute_url())


@require_POST
def studio_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    studio = _keeper(request, pk)
    user: Any = request.user
    return _refusal_redirect(request, studio, lambda: services.reopen_studio(studio, actor=user), _("Studio reopened."))


@require_POST
def studio_delete(request: HttpRequest, pk: int) -> HttpResponse:
    studio = _keeper(request, pk, Action.DELETE)
    services.delete_studio(studio, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Studio deleted."))
    return redirect("cultivation:studio_list")


def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    studio = _keeper(request, pk)
    user: Any = request.user
    form = MemberForm(request.POST or None, studio=studio, workers=services.studio_workers(user, studio.enterprise_id))

    def save(data: dict[str, Any]) -> str:
        services.add_member(studio, actor=user, worker=data["worker"], joined_on=data.get("joined_on"))
        return studio.get_absolute_url()

    return form_page(
        request,
        form,
        title=_("Add a member to %(name)s") % {"name": studio.name},
        template_name=FORM,
        section=SECTION,
        cancel_url=studio.get_absolute_url(),
        save=save,
        success=lambda _url: _("Member added."),
    )


def member_leave(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    studio = _keeper(request, pk)
    member = get_object_or_404(StudioMember.objects.select_related("worker"), pk=member_pk, studio=studio)
    if member.left_on is not None:
        raise Http404
    user: Any = request.user
    form = LeaveForm(request.POST or None)

    def save(data: dict[str, Any]) -> str:
        services.remove_member(member, actor=user, left_on=data["left_on"])
        return studio.get_absolute_url()

    return form_page(
        request,
        form,
        title=_("%(name)s leaves %(studio)s") % {"name": member.worker.name, "studio": studio.name},
        template_name=FORM,
        section=SECTION,
        cancel_url=studio.get_absolute_url(),
        save=save,
        success=lambda _url: _("Member recorded as having left."),
    )


def result_create(request: HttpRequest, pk: int) -> HttpResponse:
    studio = _keeper(request, pk)
    user: Any = request.user
    form = ResultForm(request.POST or None, studio=studio)

    def save(data: dict[str, Any]) -> str:
        services.record_result(studio, actor=user, **data)
        return studio.get_absolute_url()

    return form_page(
        request,
        form,
        title=_("Yearly results of %(name)s") % {"name": studio.name},
        template_name=FORM,
        section=SECTION,
        cancel_url=studio.get_absolute_url(),
        save=save,
        success=lambda _url: _("Results recorded."),
    )


def result_edit(request: HttpRequest, pk: int, result_pk: int) -> HttpResponse:
    studio = _keeper(request, pk)
    result = get_object_or_404(StudioResult, pk=result_pk, studio=studio)
    user: Any = request.user
    form = ResultForm(request.POST or None, studio=studio, result=result)

    def save(data: dict[str, Any]) -> str:
        services.update_result(result, actor=user, **data)
        return studio.get_absolute_url()

    return form_page(
        request,
        form,
        title=_("Results of %(name)s in %(year)s") % {"name": studio.name, "year": result.year},
        template_name=FORM,
        section=SECTION,
        cancel_url=studio.get_absolute_url(),
        save=save,
        success=lambda _url: _("Changes saved."),
    )


@require_POST
def result_delete(request: HttpRequest, pk: int, result_pk: int) -> HttpResponse:
    studio = _keeper(request, pk)
    result = get_object_or_404(StudioResult, pk=result_pk, studio=studio)
    services.delete_result(result, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Results deleted."))
    return redirect(studio.get_absolute_url())


def worker_search(request: HttpRequest) -> JsonResponse:
    """The workers the user may name as a new studio's leader (an operator: their own current workers)."""
    require_roles(request, Role.OPERATOR)
    return worker_choices(request, services.studio_workers(request.user))  # type: ignore[arg-type]


def studio_worker_search(request: HttpRequest, pk: int) -> JsonResponse:
    """The current workers of the studio's enterprise (leader or member), for its keepers only."""
    studio = _keeper(request, pk)
    return worker_choices(request, services.studio_workers(request.user, studio.enterprise_id))  # type: ignore[arg-type]
