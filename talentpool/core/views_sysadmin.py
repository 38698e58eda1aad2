"""The admin's pages (系统管理, URL namespace ``sysadmin``): accounts, signed-in sessions, the login
log, the working-day calendar and the programme settings. Admins only: anyone else gets a 404.
Every change goes through a service (core.accounts, core.calendar, core.programme), which audits it.

Also here, for every user: their own password change (``core:password_change``), and the finance
bureau's start page (``core:finance_home``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

import django_tables2 as tables
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_filters.views import FilterView
from django_tables2.views import SingleTableMixin

from talentpool.rules import workdays

from . import accounts, programme
from . import calendar as work_calendar
from .auth import FAILURE_REASONS
from .exceptions import ServiceError
from .forms_sysadmin import (
    HOLIDAY,
    MAKEUP,
    RESULT_ACTIONS,
    AccountCreateForm,
    AccountFilter,
    AccountForm,
    CalendarDayForm,
    HonourTierFormSet,
    LoginLogFilter,
    OwnPasswordChangeForm,
    PasswordResetForm,
    ProgrammeSettingsForm,
    enterprise_number,
)
from .models import AuditLog, CalendarDay, CalendarYear, User, UserSession
from .registry import admin_links, names_for_event
from .roles import Role
from .twofactor import confirmed_totp, requires_two_factor

View = Callable[..., HttpResponse]


def admin_only(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not (user.is_authenticated and user.is_admin):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class AdminOnlyMixin:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not (user.is_authenticated and user.is_admin):
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc,no-any-return]


def _form_page(request: HttpRequest, form: Any, *, title: str, cancel_url: str, **extra: Any) -> HttpResponse:
    return render(request, "sysadmin/form.html", {"form": form, "title": title, "cancel_url": cancel_url, **extra})


@admin_only
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "sysadmin/index.html", {"links": admin_links()})


# Accounts ---------------------------------------------------------------------------------------


class AccountTable(tables.Table):
    username = tables.Column(linkify=("sysadmin:account_edit", [tables.A("pk")]))
    full_name = tables.Column()
    role = tables.Column()
    bound_to = tables.Column(verbose_name=gettext_lazy("enterprise or organisation"), empty_values=(),
                             orderable=False)
    is_active = tables.Column(verbose_name=gettext_lazy("status"))
    last_login = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=gettext_lazy("last sign-in"))

    class Meta:
        model = User
        fields = ["username", "full_name", "role", "bound_to", "is_active", "last_login"]
        order_by = ["username"]

    def render_bound_to(self, record: User) -> str:
        if record.enterprise_id:
            return str(record.enterprise)
        if record.worker_id:
            return _("worker record: %(worker)s") % {"worker": record.worker}
        return record.organisation or "—"

    def render_is_active(self, record: User) -> str:
        if not record.is_active:
            return format_html('<span class="badge text-bg-secondary">{}</span>', _("deactivated"))
        if record.must_change_password:
            return format_html('<span class="badge text-bg-warning">{}</span>', _("temporary password"))
        return format_html('<span class="badge text-bg-success">{}</span>', _("active"))


class AccountListView(AdminOnlyMixin, SingleTableMixin, FilterView):
    model = User
    table_class = AccountTable
    filterset_class = AccountFilter
    template_name = "sysadmin/account_list.html"
    table_pagination = {"per_page": 50}

    def get_queryset(self) -> QuerySet[User]:
        return User.objects.select_related("enterprise", "worker").order_by("username")


def _save_account(
    request: HttpRequest, form: AccountForm, save: Callable[[], User], message: str
) -> HttpResponse | None:
    try:
        user = save()
    except ServiceError as exc:
        form.add_error(None, str(exc))
        return None
    messages.success(request, message % {"username": user.username})
    return redirect("sysadmin:account_edit", pk=user.pk)


@admin_only
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _save_account(
            request,
            form,
            lambda: accounts.create_account(
                username=data["username"], password=data["password2"], actor=request.user, **form.binding  # type: ignore[arg-type]
            ),
            _("Account %(username)s was created. Tell the user the temporary password: "
              "they choose their own at their first sign-in."),
        )
        if done is not None:
            return done
    return _form_page(request, form, title=_("New account"), cancel_url=reverse("sysadmin:account_list"))


@admin_only
@require_http_methods(["GET", "POST"])
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User.objects.select_related("enterprise", "worker"), pk=pk)
    initial = {
        "full_name": account.full_name,
        "role": account.role,
        "enterprise": account.enterprise_id,
        "worker": account.worker_id,
        "organisation": account.organisation,
    }
    form = AccountForm(request.POST or None, initial=initial, account=account)
    if request.method == "POST" and form.is_valid():
        done = _save_account(
            request,
            form,
            lambda: accounts.update_account(account, actor=request.user, **form.binding),  # type: ignore[arg-type]
            _("Account %(username)s was saved."),
        )
        if done is not None:
            return done
    context = {
        "form": form,
        "account": account,
        "title": _("Account %(username)s") % {"username": account.username},
        "sessions": accounts.live_sessions().filter(user=account).count(),
        "two_factor_required": requires_two_factor(account),
        "has_authenticator": confirmed_totp(account) is not None,
        "is_self": account.pk == request.user.pk,
    }
    return render(request, "sysadmin/account_detail.html", context)


@admin_only
@require_http_methods(["GET", "POST"])
def account_password(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    form = PasswordResetForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.reset_password(account, password=form.cleaned_data["password2"], actor=request.user)  # type: ignore[arg-type]
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("The password of %(username)s was reset and their sessions were ended. At their next sign-in "
                  "they must choose a new password.") % {"username": account.username},
            )
            return redirect("sysadmin:account_edit", pk=account.pk)
    return _form_page(
        request,
        form,
        title=_("Reset the password of %(username)s") % {"username": account.username},
        cancel_url=reverse("sysadmin:account_edit", args=[account.pk]),
        intro=_("Set a temporary password and tell it to the user in person or by phone. They must change it "
                "at their next sign-in; their current sessions end now."),
    )


@admin_only
@require_POST
def account_active(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    activate = request.POST.get("active") == "1"
    try:
        if activate:
            accounts.reactivate(account, actor=request.user)  # type: ignore[arg-type]
            messages.success(request, _("Account %(username)s was reactivated.") % {"username": account.username})
        else:
            accounts.deactivate(account, actor=request.user)  # type: ignore[arg-type]
            messages.success(
                request,
                _("Account %(username)s was deactivated and signed out everywhere.") % {"username": account.username},
            )
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect("sysadmin:account_edit", pk=account.pk)


@admin_only
def account_worker_choices(request: HttpRequest) -> HttpResponse:
    """The worker <option>s for the enterprise chosen on the account form (htmx)."""
    numbers = [enterprise_number(value) for value in request.GET.getlist("enterprise")]
    form = AccountForm(initial={"enterprise": next((n for n in reversed(numbers) if n), "")})
    field = form.worker_field
    workers = field.queryset if field.queryset is not None else []
    options = [("", str(field.empty_label)), *((str(w.pk), field.label_from_instance(w)) for w in workers)]
    return HttpResponse(format_html_join("", '<option value="{}">{}</option>', options))


# The user's own password ------------------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if safe else ""


@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Every user's own password (修改密码); the session stays signed in, the others end."""
    user: Any = request.user
    form = OwnPasswordChangeForm(user, request.POST or None)
    next_url = _next_url(request)
    if request.method == "POST" and form.is_valid():
        old_key = request.session.session_key
        user = accounts.change_own_password(user, password=form.cleaned_data["new_password1"], keep_session=old_key)
        update_session_auth_hash(request, user)
        accounts.rekey_session(old_key, request.session.session_key)
        messages.success(request, _("Your password was changed."))
        return redirect(next_url or resolve_url("home"))
    return render(
        request,
        "core/password_change.html",
        {"form": form, "next": next_url, "temporary": user.must_change_password},
    )


def finance_home(request: HttpRequest) -> HttpResponse:
    """The finance bureau's start page: its pages (allowance batches) are not built yet."""
    user: Any = request.user
    if not (user.is_authenticated and user.role == Role.FINANCE):
        raise Http404
    return render(request, "core/home_finance.html")


# Signed-in sessions ------------------------------------------------------------------------------


class SessionTable(tables.Table):
    user = tables.Column(verbose_name=gettext_lazy("user"), order_by=("user__username",))
    role = tables.Column(verbose_name=gettext_lazy("role"), accessor="user__role", orderable=False)
    ip_address = tables.Column()
    browser = tables.Column(verbose_name=gettext_lazy("browser"), accessor="user_agent", orderable=False)
    signed_in_at = tables.DateTimeColumn(format="Y-m-d H:i")
    last_seen = tables.DateTimeColumn(format="Y-m-d H:i")
    actions = tables.TemplateColumn(template_name="sysadmin/_session_actions.html", verbose_name="", orderable=False)

    class Meta:
        model = UserSession
        fields = ["user", "role", "ip_address", "browser", "signed_in_at", "last_seen", "actions"]
        order_by = ["-last_seen"]

    def render_user(self, record: UserSession) -> str:
        user = record.user
        name = f"{user.full_name}（{user.username}）" if user.full_name else user.username
        return format_html('<a href="{}">{}</a>', reverse("sysadmin:account_edit", args=[user.pk]), name)

    def render_role(self, record: UserSession) -> str:
        return record.user.get_role_display()

    def render_browser(self, value: str) -> str:
        return accounts.describe_user_agent(value)


class SessionListView(AdminOnlyMixin, tables.SingleTableView):
    model = UserSession
    table_class = SessionTable
    template_name = "sysadmin/session_list.html"
    table_pagination = {"per_page": 50}

    def get_queryset(self) -> QuerySet[UserSession]:
        accounts.purge_ended_sessions()
        return accounts.live_sessions()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "current_key": self.request.session.session_key,
            "session_minutes": settings.SESSION_COOKIE_AGE // 60,
        }


@admin_only
@require_POST
def session_sign_out(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(accounts.live_sessions(), pk=pk)
    try:
        accounts.force_sign_out(session, actor=request.user, current_key=request.session.session_key)  # type: ignore[arg-type]
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(user)s was signed out of that session.") % {"user": session.user})
    return redirect("sysadmin:session_list")


# Login log ----------------------------------------------------------------------------------------

LOCK_LABELS = {"account": gettext_lazy("account locked"), "address": gettext_lazy("address locked")}


def _stored_names() -> dict[str, str]:
    """Stored action name (dotted or legacy) → result key."""
    return {stored: key for key, action in RESULT_ACTIONS.items() for stored in names_for_event(action)}


class LoginLogTable(tables.Table):
    at = tables.DateTimeColumn(format="Y-m-d H:i:s")
    object_repr = tables.Column(verbose_name=gettext_lazy("user"))
    result = tables.Column(verbose_name=gettext_lazy("result"), accessor="action", orderable=False)
    reason = tables.Column(verbose_name=gettext_lazy("reason"), accessor="changes", orderable=False)
    ip_address = tables.Column()
    browser = tables.Column(verbose_name=gettext_lazy("browser"), accessor="changes", orderable=False,
                            empty_values=())

    class Meta:
        model = AuditLog
        fields = ["at", "object_repr", "result", "reason", "ip_address", "browser"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.results = _stored_names()

    def render_result(self, record: AuditLog) -> str:
        key = self.results.get(record.action)
        if key == "success":
            return format_html('<span class="badge text-bg-success">{}</span>', _("signed in"))
        if key == "locked":
            return format_html('<span class="badge text-bg-danger">{}</span>', _("locked"))
        return format_html('<span class="badge text-bg-warning">{}</span>', _("failed"))

    def render_reason(self, value: dict[str, Any], record: AuditLog) -> str:
        key = self.results.get(record.action)
        if key == "success":
            factor = value.get("second_factor")
            return {"totp": _("with a two-factor code"), "recovery code": _("with a recovery code"),
                    "enrolled": _("after setting up two-factor sign-in")}.get(factor, "") if factor else "—"
        if key == "locked":
            lock = str(LOCK_LABELS.get(value.get("by", ""), _("locked")))
            if value.get("attempt"):
                return _("%(lock)s: attempt refused") % {"lock": lock}
            return lock
        reason = value.get("reason")
        if reason in FAILURE_REASONS:
            return str(FAILURE_REASONS[reason])
        # records from before reasons were recorded: only the step is known
        return _("wrong password or no such user") if value.get("step") == "password" else str(
            FAILURE_REASONS["wrong_code"])

    def render_browser(self, value: dict[str, Any]) -> str:
        return accounts.describe_user_agent(value.get("user_agent", "")) or "—"


class LoginLogView(AdminOnlyMixin, SingleTableMixin, FilterView):
    model = AuditLog
    table_class = LoginLogTable
    filterset_class = LoginLogFilter
    template_name = "sysadmin/login_log.html"
    table_pagination = {"per_page": 50}

    def get_queryset(self) -> QuerySet[AuditLog]:
        return AuditLog.objects.filter(action__in=list(_stored_names())).order_by("-at", "-id")


# Calendar ------------------------------------------------------------------------------------------

FIRST_YEAR, LAST_YEAR = 1990, 2199


def _year(value: Any, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if FIRST_YEAR <= year <= LAST_YEAR else default


@admin_only
def calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = _year(request.GET.get("year"), today.year)
    days = list(CalendarDay.objects.filter(day__year=year).order_by("day"))
    year_row = CalendarYear.objects.filter(year=year).first()
    years = {d.year for d in CalendarDay.objects.dates("day", "year")}
    years |= set(CalendarYear.objects.values_list("year", flat=True)) | {today.year, today.year + 1, year}
    in_library = year in workdays.library_years()
    return render(
        request,
        "sysadmin/calendar.html",
        {
            "year": year,
            "years": sorted(years, reverse=True),
            "days": days,
            "holidays": sum(not d.is_workday for d in days),
            "makeups": sum(d.is_workday for d in days),
            "is_complete": bool(year_row and year_row.is_complete) or in_library,
            "marked_complete": bool(year_row and year_row.is_complete),
            "in_library": in_library,
        },
    )


def _calendar_url(year: int) -> str:
    return f"{reverse('sysadmin:calendar')}?year={year}"


def _day_form_page(request: HttpRequest, form: CalendarDayForm, row: CalendarDay | None) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = work_calendar.save_day(
                day=data["day"], is_workday=data["kind"] == MAKEUP, note=data["note"], actor=request.user,  # type: ignore[arg-type]
                instance=row,
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(day)s was saved.") % {"day": saved.day.isoformat()})
            return redirect(_calendar_url(saved.day.year))
    year = row.day.year if row else _year(request.GET.get("year"), timezone.localdate().year)
    title = _("Change %(day)s") % {"day": row.day.isoformat()} if row else _("Add a day to %(year)s") % {"year": year}
    return _form_page(request, form, title=title, cancel_url=_calendar_url(year),
                      intro=_("Enter only the exceptions to Monday–Friday: a holiday that falls on a weekday, "
                              "or a Saturday or Sunday that is a make-up working day."))


@admin_only
@require_http_methods(["GET", "POST"])
def calendar_add(request: HttpRequest) -> HttpResponse:
    year = _year(request.GET.get("year"), timezone.localdate().year)
    form = CalendarDayForm(request.POST or None, initial={"day": date(year, 1, 1), "kind": HOLIDAY})
    return _day_form_page(request, form, None)


@admin_only
@require_http_methods(["GET", "POST"])
def calendar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(CalendarDay, pk=pk)
    form = CalendarDayForm(request.POST or None, initial=CalendarDayForm.initial_for(row))
    return _day_form_page(request, form, row)


@admin_only
@require_POST
def calendar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(CalendarDay, pk=pk)
    work_calendar.delete_day(row, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, _("%(day)s was removed from the calendar.") % {"day": row.day.isoformat()})
    return redirect(_calendar_url(row.day.year))


@admin_only
@require_POST
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    complete = request.POST.get("complete") == "1"
    try:
        work_calendar.set_year_complete(year, complete, actor=request.user)  # type: ignore[arg-type]
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        message = (_("The holiday arrangement of %(year)s is marked complete: working days in it can be counted.")
                   if complete else _("The holiday arrangement of %(year)s is marked incomplete."))
        messages.success(request, message % {"year": year})
    return redirect(_calendar_url(year))


# Programme settings ---------------------------------------------------------------------------------


@admin_only
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    row = programme.settings_row()
    form = ProgrammeSettingsForm(request.POST or None, instance=row, prefix="programme")
    tiers = HonourTierFormSet(request.POST or None, instance=row, prefix="tiers",
                              queryset=programme.tiers().order_by("order", "code"))
    if request.method == "POST" and form.is_valid() and tiers.is_valid():
        programme.update_settings(
            district_name=form.cleaned_data["district_name"],
            programme_name=form.cleaned_data["programme_name"],
            tiers=tiers.save(commit=False),
            actor=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, _("The programme settings were saved."))
        return redirect("sysadmin:settings")
    return render(request, "sysadmin/settings.html", {"form": form, "tiers": tiers})
