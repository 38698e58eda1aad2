from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.contrib.auth import views as auth_views
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView
from django_tables2.views import SingleTableMixin

from .auth import LockoutAuthenticationForm
from .forms import style_fields
from .models import AuditAction, AuditLog, Job
from .roles import Role


class LoginView(auth_views.LoginView):
    form_class = LockoutAuthenticationForm
    template_name = "core/login.html"
    redirect_authenticated_user = True


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_admin or user.role == Role.LEADER:  # type: ignore[union-attr]
        return redirect("registry:worker_list")
    if user.role == Role.OPERATOR:  # type: ignore[union-attr]
        return redirect("registry:enterprise_home")
    if user.role == Role.WORKER:  # type: ignore[union-attr]
        return redirect("registry:my_profile")
    return render(request, "core/home_expert.html")


def _jobs_for(request: HttpRequest):  # type: ignore[no-untyped-def]
    jobs = Job.objects.select_related("created_by")
    if request.user.is_admin:  # type: ignore[union-attr]
        return jobs
    return jobs.filter(created_by=request.user)


def job_list(request: HttpRequest) -> HttpResponse:
    jobs = _jobs_for(request)[:100]
    return render(request, "core/job_list.html", {"jobs": jobs})


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(_jobs_for(request), pk=pk)
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})


def job_result(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(_jobs_for(request), pk=pk)
    if not job.result_file:
        raise Http404
    name = job.result_file.name.rsplit("/", 1)[-1]
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=name)


class AuditFilter(django_filters.FilterSet):
    actor_label = django_filters.CharFilter(label=_("user"), lookup_expr="icontains")
    action = django_filters.ChoiceFilter(label=_("action"), choices=AuditAction.choices)
    object_repr = django_filters.CharFilter(label=_("object"), lookup_expr="icontains")
    at = django_filters.DateFromToRangeFilter(label=_("time"))

    class Meta:
        model = AuditLog
        fields = ["actor_label", "action", "object_repr", "at"]

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        style_fields(self.form.fields, small=True)


class AuditTable(tables.Table):
    at = tables.DateTimeColumn(format="Y-m-d H:i:s")
    changes = tables.TemplateColumn(template_name="core/_audit_changes.html", orderable=False)

    class Meta:
        model = AuditLog
        fields = ["at", "actor_label", "action", "object_repr", "changes", "ip_address"]


class AuditLogView(SingleTableMixin, FilterView):
    model = AuditLog
    table_class = AuditTable
    filterset_class = AuditFilter
    template_name = "core/audit_log.html"
    paginate_by = 50

    def dispatch(self, request: HttpRequest, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not request.user.is_authenticated or not request.user.is_admin:  # type: ignore[union-attr]
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return AuditLog.objects.all()


def permission_denied_as_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
