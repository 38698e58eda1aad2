"""Signing in: the password step, the lockout (django-axes) and the audit of every sign-in.

Lockout policy (settings ``LOGIN_*``): failures are counted apart per account and per address.
``LOGIN_FAILURE_LIMIT`` failed passwords or codes for one account, from any addresses, lock that
account from every address; ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures from one address, for any
accounts (a password spray), lock that address for every account. Nothing else is locked: other
accounts sign in from the locked address, other addresses sign in to other accounts, so one address
(or a misconfigured proxy in front of everybody) never locks everyone out at the account limit.
A lock ends ``LOGIN_LOCKOUT_MINUTES`` after the last failure that counted; attempts refused while
locked do not count. The address is the client's as ``core.middleware.client_ip`` reads it behind
the trusted proxies, for the lock and for the audit log alike.

The audit of every attempt is the login log (登录日志, core.views_sysadmin): the name typed (an ID
or mobile number typed as a name is masked), the address, the browser (``user_agent``) and, for a
failure, why (``reason``: ``FAILURE_REASONS``). A completed sign-in also records its session as
signed in (core.accounts.start_session).
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from talentpool.rules.redaction import redact

from .audit import record
from .models import AuditAction, User

ACCOUNT, ADDRESS = "account", "address"
LOCKOUT_SHOWN = "talentpool_lockout_shown"  # request attribute: this response already says "locked"

# Why a sign-in failed, as the login log names it.
WRONG_PASSWORD, UNKNOWN_USER, INACTIVE, WRONG_CODE = "wrong_password", "unknown_user", "inactive", "wrong_code"
FAILURE_REASONS = {
    WRONG_PASSWORD: _("wrong password"),
    UNKNOWN_USER: _("no such user"),
    INACTIVE: _("account deactivated"),
    WRONG_CODE: _("wrong two-factor code"),
}

LOCKED_MESSAGE = _(
    "Too many failed attempts. This account is locked for %(minutes)s minutes; try again later or ask an administrator."
)


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The name failures count against (``AXES_USERNAME_CALLABLE``): trimmed and case-folded, so
    OPERATOR_A and operator_a share one count."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    name = str(value or "").strip().lower()[:150]
    return name or None


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with one limit per account and another per address (module doc)."""

    def failure_counts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> tuple[int, int]:
        """Recent failures (within the cool-off) of this account and of this address."""
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        address = request.axes_ip_address  # type: ignore[attr-defined]
        by_account = _failures(recent.filter(username=username)) if username else 0
        by_address = _failures(recent.filter(ip_address=address)) if address else 0
        return by_account, by_address

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # axes compares this one number with AXES_FAILURE_LIMIT; the address's count is scaled so
        # that it reaches that limit exactly when it reaches LOGIN_ADDRESS_FAILURE_LIMIT
        # (floor(n * L / A) >= L  <=>  n >= A).
        by_account, by_address = self.failure_counts(request, credentials)
        return max(by_account, by_address * settings.AXES_FAILURE_LIMIT // settings.LOGIN_ADDRESS_FAILURE_LIMIT)

    def lock_reason(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
        by_account, by_address = self.failure_counts(request, credentials)
        if by_account >= settings.AXES_FAILURE_LIMIT:
            return ACCOUNT
        if by_address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return ADDRESS
        return None


class LockoutBackend(AxesStandaloneBackend):
    """axes' lockout check before the password (``AUTHENTICATION_BACKENDS``). Without a request
    there is no client to lock: a management command, the shell, a test's ``Client.login``. Every
    web sign-in passes its request (our login page, the second factor, the Django admin's, which
    is ours), so skipping the check there opens no path round the lock."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,  # type: ignore[override]
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def _handler() -> LockoutHandler:
    return AxesProxyHandler.get_implementation()  # type: ignore[return-value]


def lock_reason(request: HttpRequest, username: str) -> str | None:
    """``"account"`` or ``"address"`` if a sign-in as ``username`` from this request is locked."""
    AxesProxyHandler.update_request(request)
    if not getattr(settings, "AXES_ENABLED", True):
        return None
    return _handler().lock_reason(request, {"username": username})


def locked_message() -> str:
    return LOCKED_MESSAGE % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}


def _typed(username: str) -> str:
    """The name as the log keeps it: an ID or a mobile number typed into the box is masked."""
    return redact(username[:150])


def _browser(request: HttpRequest) -> dict[str, str]:
    agent = (request.META.get("HTTP_USER_AGENT") or "")[:300]
    return {"user_agent": agent} if agent else {}


def password_failure_reason(username: str) -> str:
    """Why a password was refused: no account of that name (the backend matches it exactly), a
    deactivated account (the backend refuses it whatever the password), or a wrong password."""
    user = User._default_manager.filter(username=username).only("is_active").first()
    if user is None:
        return UNKNOWN_USER
    return WRONG_PASSWORD if user.is_active else INACTIVE


def record_refused_while_locked(request: HttpRequest, username: str, reason: str) -> None:
    record(
        None,
        AuditAction.LOCKED,
        object_repr=_typed(username),
        changes={"attempt": "refused while locked", "by": reason, **_browser(request)},
    )


def record_failure(request: HttpRequest, username: str, *, step: str, reason: str = WRONG_CODE) -> bool:
    """Audit a failed password or code (already counted by axes) and, if it locked the account
    or the address, the lock. Returns whether it did."""
    browser = _browser(request)
    record(None, AuditAction.LOGIN_FAILED, object_repr=_typed(username),
           changes={"step": step, "reason": reason, **browser})
    if not getattr(request, "axes_locked_out", False):
        return False
    record(None, AuditAction.LOCKED, object_repr=_typed(username),
           changes={"by": lock_reason(request, username), **browser})
    return True


def count_code_failure(request: HttpRequest, user: User, *, step: str) -> bool:
    """A wrong second-factor code counts like a wrong password (axes' ``user_login_failed``);
    audited. Returns whether the account or the address is now locked."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    return record_failure(request, user.get_username(), step=step, reason=WRONG_CODE)


def unlock_account(username: str) -> None:
    """Forget the account's failures (an admin has reset its password)."""
    name = lockout_username(None, {"username": username})
    if name:
        AxesProxyHandler.reset_attempts(username=name)


def complete_sign_in(request: HttpRequest, user: User, *, second_factor: str = "") -> None:
    """The session is fully signed in (password, and the code if one is due): audit it, record
    the session as signed in (在线用户) and forget the account's failures. Not before the code, or
    the password alone would reset the count of wrong codes."""
    from .accounts import start_session

    changes = {"second_factor": second_factor} if second_factor else {}
    record(user, AuditAction.LOGIN, object_repr=user.get_username(), changes={**changes, **_browser(request)})
    start_session(request, user)
    username = lockout_username(request, {"username": user.get_username()})
    if username:
        AxesProxyHandler.reset_attempts(username=username)


class LockoutAuthenticationForm(AuthenticationForm):
    """The password step: refused while the account or the address is locked, every failure and
    lock audited. The success is audited by the view (``complete_sign_in``), once the second
    factor, if due, is given."""

    error_messages = {**AuthenticationForm.error_messages, "locked": LOCKED_MESSAGE}

    def __init__(self, request: HttpRequest | None = None, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "class": "form-control"})
        self.fields["password"].widget.attrs.update({"class": "form-control"})

    def _locked(self) -> forms.ValidationError:
        if self.request is not None:
            setattr(self.request, LOCKOUT_SHOWN, True)
        return forms.ValidationError(
            self.error_messages["locked"], code="locked", params={"minutes": settings.LOGIN_LOCKOUT_MINUTES}
        )

    def clean(self):  # type: ignore[no-untyped-def]
        username = self.cleaned_data.get("username") or ""
        if self.request is None or not username or not self.cleaned_data.get("password"):
            return super().clean()
        reason = lock_reason(self.request, username)
        if reason:
            record_refused_while_locked(self.request, username, reason)
            raise self._locked()
        try:
            return super().clean()
        except forms.ValidationError:
            reason = password_failure_reason(username)
            if record_failure(self.request, username, step="password", reason=reason):
                raise self._locked() from None
            raise


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: our login page with the lock's message. The login and code pages
    already show it; any other sign-in path gets a fresh login page."""
    if original_response is not None and getattr(request, LOCKOUT_SHOWN, False):
        return original_response
    return render_locked(request, status=429)


def render_locked(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    """Sign out what is signed in (a password without its code) and show the login page locked."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        logout(request)
    setattr(request, LOCKOUT_SHOWN, True)
    form = LockoutAuthenticationForm(request)
    return render(request, "core/login.html", {"form": form, "locked_message": locked_message()}, status=status)
