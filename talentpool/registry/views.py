"""Registry pages. Every queryset starts from ``restrict(user, action)``; out of scope is 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from talentpool.core.lists import RestrictedListView
from talentpool.core.pages import form_page, require_roles
from talentpool.core.roles import Action, Role
from talentpool.core.scoping import get_restricted_or_404
from talentpool.core.services import reveal_field

from . import exports, privacy, services
from .choices import SkillLevel
from .filters import CertificateFilter, EnterpriseFilter, HonourFilter, WorkerFilter
from .forms import (
    HONOUR_SUGGESTIONS,
    CertificateForm,
    ChangeEmployerForm,
    EnterpriseForm,
    HonourForm,
    LeaveForm,
    NewWorkerForm,
    WorkerForm,
)
from .models import Certificate, Employment, Enterprise, Honour, Worker
from .profile import rendered_sections
from .search import protected_query
from .tables import CertificateTable, EnterpriseTable, HonourTable, WorkerTable, enterprise_order

# Lists ------------------------------------------------------------------------------------


class RegistryListView(RestrictedListView):
    """A registry list, exported from its table (core.exports) and, for admins, as the workbook its
    import reads back (exports.py); its filter form posts, so that an ID number typed into the
    search box never reaches a URL or an access log (a session token, search.py), nor an export's
    audit record."""

    filter_method = "post"

    def audited_filters(self, request: HttpRequest) -> str:
        return exports.audited_filters(request)

    def protected_query(self, request: HttpRequest) -> tuple[Any, str | None]:
        query, refusal = protected_query(request)
        return query, str(refusal) if refusal is not None else None


class WorkerListView(RegistryListView):
    model = Worker
    table_class = WorkerTable
    filterset_class = WorkerFilter
    export_kind = "workers"
    full_export = exports.WORKERS_FULL
    title = gettext_lazy("Workers")
    related = ("current_enterprise__industry",)
    add_url_name = "registry:worker_create"
    add_roles = (Role.OPERATOR,)

    def get_queryset(self) -> QuerySet[Any]:
        # only the columns a row shows: the list reads 50 of 100,000 wide rows per page
        return (
            super()
            .get_queryset()
            .only(
                "pk",
                "name",
                "id_number_masked",
                "sex",
                "birth_date",
                "skill_level",
                "education",
                "is_frontline",
                "current_enterprise__name",
                "current_enterprise__industry__name",
            )
        )


class EnterpriseListView(RegistryListView):
    model = Enterprise
    table_class = EnterpriseTable
    filterset_class = EnterpriseFilter
    export_kind = "enterprises"
    full_export = exports.ENTERPRISES_FULL
    title = gettext_lazy("Enterprises")
    related = ("industry",)
    add_url_name = "registry:enterprise_create"

    def get_queryset(self) -> QuerySet[Any]:
        # Meta.ordering does not apply to a GROUP BY query
        return super().get_queryset().annotate(worker_count=Count("workers")).order_by(*enterprise_order())


class CertificateListView(RegistryListView):
    model = Certificate
    table_class = CertificateTable
    filterset_class = CertificateFilter
    export_kind = "certificates"
    full_export = exports.CERTIFICATES_FULL
    title = gettext_lazy("Certificates")
    related = ("worker__current_enterprise",)


class HonourListView(RegistryListView):
    model = Honour
    table_class = HonourTable
    filterset_class = HonourFilter
    export_kind = "honours"
    full_export = exports.HONOURS_FULL
    title = gettext_lazy("Honours")
    related = ("worker__current_enterprise",)


# Workers ----------------------------------------------------------------------------------


def _worker_context(request: HttpRequest, worker: Worker) -> dict[str, Any]:
    user: Any = request.user
    return {
        "worker": worker,
        "employments": worker.employments.select_related("enterprise", "occupation"),
        "certificates": worker.certificates.all(),
        "honours": worker.honours.all(),
        "can_change": Worker.objects.restrict(user, Action.CHANGE).filter(pk=worker.pk).exists(),
        "can_reveal": Worker.objects.restrict(user, Action.REVEAL).filter(pk=worker.pk).exists(),
        "is_admin": user.is_admin,
        # the employer's page, for whoever may open it (the worker too: where they work)
        "can_view_enterprise": worker.current_enterprise_id is not None
        and Enterprise.objects.restrict(user, Action.VIEW).filter(pk=worker.current_enterprise_id).exists(),
        # year only: the full date comes with the audited reveal of the ID number (privacy.py)
        "birth": privacy.birth_label(worker),
        "retirement": privacy.retirement_label(worker),
        # what other apps keep about the worker (trainings, competitions …): the declared hook
        "profile_sections": rendered_sections(worker, user),
    }


def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    worker = get_restricted_or_404(
        Worker.objects.select_related("current_enterprise__industry", "occupation"), request.user, pk=pk
    )
    return render(request, "registry/worker_detail.html", _worker_context(request, worker))


def my_profile(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.worker_id:
        raise Http404
    return worker_detail(request, user.worker_id)


@require_POST
def reveal(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    if field not in {"id_number", "phone"}:
        raise Http404
    worker = get_restricted_or_404(Worker.objects.all(), request.user, Action.REVEAL, pk=pk)
    value = reveal_field(worker, field, actor=request.user)  # type: ignore[arg-type]
    # The whole ID number holds the birth date: its reveal (audited above) fills in the date too.
    birth = privacy.revealed_birth(worker) if field == "id_number" else None
    return render(request, "registry/_revealed.html", {"value": value or "—", "birth": birth})


def worker_create(request: HttpRequest) -> HttpResponse:
    require_roles(request, Role.OPERATOR)
    enterprises = Enterprise.objects.restrict(request.user, Action.CHANGE).only("pk", "name")

    def save(data: dict[str, Any]) -> Worker:
        return services.register_worker(
            actor=request.user,  # type: ignore[arg-type]
            enterprise=data.pop("enterprise"),
            employment_start=data.pop("employment_start"),
            position=data.pop("position"),
            **data,
        )

    return form_page(
        request,
        NewWorkerForm(request.POST or None, enterprises=enterprises),
        title=_("Register a worker"),
        save=save,
        success=lambda worker: _("Worker %(name)s registered.") % {"name": worker.name},
    )


def worker_edit(request: HttpRequest, pk: int) -> HttpResponse:
    worker = get_restricted_or_404(Worker.objects.all(), request.user, Action.CHANGE, pk=pk)
    # Personal data shows masked here too: seeing it in full is a reveal, which is audited.
    form = WorkerForm(request.POST or None, worker=worker)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": worker.name},
        cancel_url=worker.get_absolute_url(),
        save=lambda data: services.update_worker(
            worker,
            actor=request.user,  # type: ignore[arg-type]
            expected_version=data["version"],
            **{k: data[k] for k in form.changed_data if k != "version"},
        ),
        success=lambda _worker: _("Changes saved."),
        current=worker,
    )


def worker_change_employer(request: HttpRequest, pk: int) -> HttpResponse:
    require_roles(request)  # admins only: see services.change_employer
    worker = get_restricted_or_404(Worker.objects.all(), request.user, Action.CHANGE, pk=pk)
    enterprises = Enterprise.objects.restrict(request.user, Action.CHANGE).only("pk", "name")

    def save(data: dict[str, Any]) -> Worker:
        services.change_employer(worker, actor=request.user, **data)  # type: ignore[arg-type]
        return worker

    return form_page(
        request,
        ChangeEmployerForm(request.POST or None, enterprises=enterprises),
        title=_("Change employer: %(name)s") % {"name": worker.name},
        cancel_url=worker.get_absolute_url(),
        save=save,
        success=lambda _worker: _("Employment recorded."),
    )


def worker_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a worker has left the enterprise (离职): their record stays in the registry and
    the next employer takes them on by registering them again."""
    require_roles(request, Role.OPERATOR)
    worker = get_restricted_or_404(
        Worker.objects.select_related("current_enterprise"), request.user, Action.CHANGE, pk=pk
    )
    if worker.current_enterprise is None:
        raise Http404
    enterprise_name = worker.current_enterprise.name
    user: Any = request.user

    def save(data: dict[str, Any]) -> Any:
        services.end_employment(worker, actor=user, end_date=data["end_date"])
        return worker if user.is_admin else "registry:worker_list"  # the operator no longer sees them

    return form_page(
        request,
        LeaveForm(request.POST or None),
        title=_("Record departure: %(name)s") % {"name": worker.name},
        cancel_url=worker.get_absolute_url(),
        save=save,
        success=lambda _target: (
            _("%(name)s has left %(enterprise)s.") % {"name": worker.name, "enterprise": enterprise_name}
        ),
    )


def certificate_add(request: HttpRequest, pk: int) -> HttpResponse:
    worker = get_restricted_or_404(Worker.objects.all(), request.user, Action.CHANGE, pk=pk)

    def save(data: dict[str, Any]) -> Worker:
        services.add_certificate(worker, services.CertificateData(**data), actor=request.user)  # type: ignore[arg-type]
        return worker

    return form_page(
        request,
        CertificateForm(request.POST or None),
        title=_("Add a certificate: %(name)s") % {"name": worker.name},
        cancel_url=worker.get_absolute_url(),
        save=save,
        success=lambda _worker: _("Certificate recorded."),
    )


def honour_add(request: HttpRequest, pk: int) -> HttpResponse:
    worker = get_restricted_or_404(Worker.objects.all(), request.user, Action.CHANGE, pk=pk)

    def save(data: dict[str, Any]) -> Worker:
        services.add_honour(worker, actor=request.user, **data)  # type: ignore[arg-type]
        return worker

    return form_page(
        request,
        HonourForm(request.POST or None),
        title=_("Add an honour: %(name)s") % {"name": worker.name},
        cancel_url=worker.get_absolute_url(),
        save=save,
        success=lambda _worker: _("Honour recorded."),
        datalist=HONOUR_SUGGESTIONS,
        datalist_id="honour-names",
    )


@require_POST
def certificate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_restricted_or_404(
        Certificate.objects.select_related("worker"), request.user, Action.DELETE, pk=pk
    )
    services.delete_certificate(certificate, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Certificate deleted."))
    return redirect(certificate.worker)


@require_POST
def honour_delete(request: HttpRequest, pk: int) -> HttpResponse:
    honour = get_restricted_or_404(Honour.objects.select_related("worker"), request.user, Action.DELETE, pk=pk)
    services.delete_honour(honour, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Honour deleted."))
    return redirect(honour.worker)


# Enterprises ------------------------------------------------------------------------------


def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_restricted_or_404(Enterprise.objects.select_related("industry"), request.user, pk=pk)
    return render(request, "registry/enterprise_detail.html", _enterprise_context(request, enterprise))


def _enterprise_context(request: HttpRequest, enterprise: Enterprise) -> dict[str, Any]:
    """What the enterprise page shows the user. A worker sees where they work (name, industry,
    town, address) and a link to their own record, none of the enterprise's figures: counted
    within their view those would be their own numbers presented as the company's. The page's
    buttons are the pages the user may open (registry/tests/test_screens.py follows them)."""
    user: Any = request.user
    if user.role == Role.WORKER and not user.is_admin:
        return {"enterprise": enterprise, "is_worker": True}
    workers = Worker.objects.restrict(user, Action.VIEW).filter(current_enterprise=enterprise)
    levels = dict(workers.values_list("skill_level").annotate(n=Count("pk")).order_by())

    return {
        "enterprise": enterprise,
        "can_list_workers": user.is_admin or user.role in WorkerListView.view_roles,
        "worker_count": workers.count(),
        "frontline_count": workers.filter(is_frontline=True).count(),
        "certificate_count": Certificate.objects.filter(worker__in=workers.values("pk")).count(),
        "honour_count": Honour.objects.filter(worker__in=workers.values("pk")).count(),
        "levels": [(label, levels.get(value, 0)) for value, label in SkillLevel.choices],
        "recent_workers": workers.select_related("current_enterprise").order_by("-created_at")[:10],
        "can_change": Enterprise.objects.restrict(user, Action.CHANGE).filter(pk=enterprise.pk).exists(),
        "is_operator": user.role == Role.OPERATOR,
        "past_employees": Employment.objects.filter(enterprise=enterprise, end_date__isnull=False).count()
        if user.is_admin or user.role == Role.LEADER
        else None,
    }


def enterprise_home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.role != Role.OPERATOR or not user.enterprise_id:
        raise Http404
    return enterprise_detail(request, user.enterprise_id)


def enterprise_create(request: HttpRequest) -> HttpResponse:
    require_roles(request)
    return form_page(
        request,
        EnterpriseForm(request.POST or None),
        title=_("Add an enterprise"),
        save=lambda data: services.create_enterprise(actor=request.user, **data),  # type: ignore[arg-type]
        success=lambda enterprise: _("Enterprise %(name)s added.") % {"name": enterprise.name},
    )


def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_restricted_or_404(Enterprise.objects.all(), request.user, Action.CHANGE, pk=pk)
    user: Any = request.user
    form = EnterpriseForm(
        request.POST or None, instance=Enterprise.objects.get(pk=pk), operator=user.role == Role.OPERATOR
    )
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": enterprise.name},
        cancel_url=enterprise.get_absolute_url(),
        save=lambda data: services.update_enterprise(
            enterprise,
            actor=user,
            expected_version=data["version"],
            **{k: data[k] for k in form.changed_data if k != "version"},
        ),
        success=lambda _enterprise: _("Changes saved."),
        current=enterprise,
    )
