from __future__ import annotations

import django_tables2 as tables
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_filters.views import FilterView
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_tables2.views import SingleTableMixin

from . import audit_display, twofactor
from .audit_filters import AuditFilter
from .auth import (
    LockoutAuthenticationForm,
    complete_sign_in,
    count_code_failure,
    lock_reason,
    record_refused_while_locked,
    render_locked,
)
from .jobs import describe_job, fail_dead_jobs, job_page
from .models import AuditLog, Job, JobStatus, User
from .registry import start_page_for


class LoginView(auth_views.LoginView):
    """The password step; then the code or the enrolment if one is due (core/twofactor.py)."""

    form_class = LockoutAuthenticationForm
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: LockoutAuthenticationForm) -> HttpResponse:
        user = form.get_user()
        auth_login(self.request, user)
        step = twofactor.refresh_step(self.request)
        if step is not None:
            return HttpResponseRedirect(twofactor.step_url(step, self.get_redirect_url()))
        complete_sign_in(self.request, user)
        return HttpResponseRedirect(self.get_success_url())


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if safe else ""


def _after(next_url: str) -> str:
    return next_url or resolve_url(settings.LOGIN_REDIRECT_URL)


def _wrong_code(request: HttpRequest, user: User, form: twofactor.CodeForm, *, step: str) -> HttpResponse | None:
    """Count and audit a wrong code; the locked login page if that was one too many."""
    if count_code_failure(request, user, step=step):
        return render_locked(request)
    form.add_error("token", gettext("That code is not right. Enter the code your app shows now."))
    return None


def _locked(request: HttpRequest, user: User) -> HttpResponse | None:
    reason = lock_reason(request, user.get_username())
    if reason is None:
        return None
    record_refused_while_locked(request, user.get_username(), reason)
    return render_locked(request)


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step: the authenticator's code, or one of the recovery codes."""
    user: User = request.user  # type: ignore[assignment]
    next_url = _next_url(request)
    step = twofactor.refresh_step(request)  # the devices may have been reset since the password
    if user.is_verified() or step is None:  # type: ignore[attr-defined]
        return HttpResponseRedirect(_after(next_url))
    if step == twofactor.ENROL:
        return HttpResponseRedirect(twofactor.step_url(step, next_url))
    form = twofactor.CodeForm(request.POST or None)
    if request.method == "POST":
        if (locked := _locked(request, user)) is not None:
            return locked
        if form.is_valid():
            device = twofactor.verify_second_factor(user, form.cleaned_data["token"], actor=user)
            if device is not None:
                otp_login(request, device)
                is_recovery = isinstance(device, StaticDevice)
                second_factor = twofactor.RECOVERY_CODE if is_recovery else twofactor.TOTP
                complete_sign_in(request, user, second_factor=second_factor)
                if is_recovery:
                    left = twofactor.recovery_codes_left(user)
                    messages.warning(
                        request,
                        gettext(
                            "You signed in with a recovery code; %(left)s are left. If your phone is lost, "
                            "ask an administrator to reset your two-factor sign-in."
                        )
                        % {"left": left},
                    )
                return HttpResponseRedirect(_after(next_url))
            if (refused := _wrong_code(request, user, form, step="code")) is not None:
                return refused
    return render(request, "core/two_factor_verify.html", {"form": form, "next": next_url})


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), confirm one code, then note
    the ten recovery codes, shown this once."""
    user: User = request.user  # type: ignore[assignment]
    next_url = _next_url(request)
    step = twofactor.refresh_step(request)
    if step == twofactor.VERIFY:
        if user.is_verified():  # type: ignore[attr-defined]
            return HttpResponseRedirect(_after(next_url))
        return HttpResponseRedirect(twofactor.step_url(step, next_url))
    if not twofactor.requires_two_factor(user):
        raise Http404
    device = twofactor.start_enrolment(user, actor=user)
    form = twofactor.CodeForm(request.POST or None)
    form.fields["token"].widget.attrs["inputmode"] = "numeric"
    if request.method == "POST":
        if (locked := _locked(request, user)) is not None:
            return locked
        if form.is_valid():
            codes = twofactor.confirm_enrolment(device, form.cleaned_data["token"], actor=user)
            if codes is not None:
                otp_login(request, device)
                twofactor.refresh_step(request)
                complete_sign_in(request, user, second_factor=twofactor.ENROLLED)
                return render(
                    request,
                    "core/two_factor_recovery_codes.html",
                    {
                        "codes": [twofactor.format_recovery_code(c) for c in codes],
                        "next": _after(next_url),
                    },
                )
            if (refused := _wrong_code(request, user, form, step="enrolment")) is not None:
                return refused
    return render(
        request,
        "core/two_factor_enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr_data_uri": twofactor.qr_data_uri(device),
            "secret": twofactor.secret_text(device),
            "issuer": settings.OTP_TOTP_ISSUER,
        },
    )


@require_http_methods(["GET", "POST"])
def reset_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    """An admin removes a user's authenticator and recovery codes (a lost phone); audited."""
    if not request.user.is_admin:  # type: ignore[union-attr]
        raise Http404
    target = get_object_or_404(User, pk=pk)
    if request.method == "POST":
        twofactor.reset_two_factor(target, actor=request.user)  # type: ignore[arg-type]
        messages.success(
            request,
            gettext("Two-factor sign-in of %(user)s was reset. They set it up again at their next sign-in.")
            % {"user": target},
        )
        return redirect("core:reset_two_factor", pk=target.pk)
    return render(
        request,
        "core/two_factor_reset.html",
        {
            "target": target,
            "has_authenticator": twofactor.confirmed_totp(target) is not None,
            "recovery_codes_left": twofactor.recovery_codes_left(target),
            "required": twofactor.requires_two_factor(target),
        },
    )


def home(request: HttpRequest) -> HttpResponse:
    """The start page an app declared for the user's role (core.registry), else core's own."""
    url_name = start_page_for(request.user)
    if url_name is not None:
        return redirect(url_name)
    return render(request, "core/home_expert.html")


def _jobs_for(request: HttpRequest):  # type: ignore[no-untyped-def]
    jobs = Job.objects.select_related("created_by")
    if request.user.is_admin:  # type: ignore[union-attr]
        return jobs
    return jobs.filter(created_by=request.user)


def job_list(request: HttpRequest) -> HttpResponse:
    """One row per job, with its current phase (an import: checking, waiting for confirmation,
    writing, imported …, core.jobs.describe_job) and a link to the page that follows it."""
    jobs = list(_jobs_for(request)[:100])
    for job in jobs:
        job.phase_label = describe_job(job)  # type: ignore[attr-defined]
        job.page_url = job_page(job) or reverse("core:job_detail", args=[job.pk])  # type: ignore[attr-defined]
    return render(request, "core/job_list.html", {"jobs": jobs})


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(_jobs_for(request), pk=pk)
    if (page := job_page(job)) is not None:
        return redirect(page)  # a kind with its own page (an import's review)
    # a job whose worker died shows as failed here too, not as running for ever (core.jobs)
    if job.status == JobStatus.RUNNING and fail_dead_jobs([job]):
        job.refresh_from_db()
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})


def job_result(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(_jobs_for(request), pk=pk)
    if not job.result_file:
        raise Http404
    name = job.result_file.name.rsplit("/", 1)[-1]
    try:
        result = job.result_file.open("rb")  # decrypted (core.files)
    except (OSError, ValueError):  # purged meanwhile, or not readable with the configured key
        raise Http404 from None
    return FileResponse(result, as_attachment=True, filename=name)


class AuditTable(tables.Table):
    """The log in Chinese (core.audit_display): field and choice labels, masked personal numbers."""

    at = tables.DateTimeColumn(format="Y-m-d H:i:s")
    action = tables.Column()
    object_repr = tables.Column()
    changes = tables.Column(orderable=False, empty_values=())

    class Meta:
        model = AuditLog
        fields = ["at", "actor_label", "action", "object_repr", "changes", "ip_address"]

    def render_action(self, record: AuditLog) -> str:
        return audit_display.action_label(record.action, record.get_action_display())

    def render_object_repr(self, value: str) -> str:
        return audit_display.object_label(value)

    def render_changes(self, record: AuditLog) -> str:
        return render_to_string("core/_audit_changes.html", {"changes": audit_display.record_changes(record)})


class AuditLogView(SingleTableMixin, FilterView):
    model = AuditLog
    table_class = AuditTable
    filterset_class = AuditFilter
    template_name = "core/audit_log.html"
    table_pagination = {"per_page": 50}  # the table paginates; the ListView must not count again

    def dispatch(self, request: HttpRequest, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not request.user.is_authenticated or not request.user.is_admin:  # type: ignore[union-attr]
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return AuditLog.objects.all()


def permission_denied_as_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
