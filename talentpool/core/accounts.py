"""Accounts, passwords and signed-in sessions (系统管理): the services an admin's pages call, and
the middleware that holds them.

- Accounts are created with a temporary password the admin sets; the user must choose their own
  at the next sign-in (``must_change_password``; every other page redirects to the change page).
- An operator is bound to an enterprise, a worker's account to the worker's record. Core knows
  those models only as the targets of ``User.enterprise`` and ``User.worker`` (it imports no
  domain app): ``enterprise_model()`` and ``worker_model()``.
- Nobody deactivates, demotes or resets the password of themselves here, and the last active
  admin is never deactivated or demoted: the programme would be left without an admin.
- Deactivating, resetting a password or changing a role signs the user out everywhere.
- ``UserSession`` mirrors each signed-in session (在线用户): written when a sign-in completes
  (core.auth.complete_sign_in), refreshed at most once a minute, removed at logout, at a forced
  sign-out and once the session has expired. A session key is a credential: it is never shown,
  put in a URL or audited.

Every change is audited (dotted events, ``AUDIT_EVENTS``); no password is ever recorded.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY as SESSION_USER_KEY
from django.contrib.auth import password_validation
from django.contrib.auth.signals import user_logged_out
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import diff, record
from .context import current_ip
from .exceptions import ServiceError
from .models import User, UserSession
from .roles import Role

AUDIT_EVENTS = {
    "account.create": gettext_lazy("created an account"),
    "account.update": gettext_lazy("changed an account"),
    "account.password_reset": gettext_lazy("reset a password"),
    "account.password_change": gettext_lazy("changed their password"),
    "account.deactivate": gettext_lazy("deactivated an account"),
    "account.reactivate": gettext_lazy("reactivated an account"),
    "auth.session.sign_out": gettext_lazy("signed a session out"),
}

SEEN_KEY = "talentpool_seen"  # session: when the UserSession's last_seen was last written (epoch seconds)
TOUCH_SECONDS = 60
USER_AGENT_LENGTH = 300


class AccountRefused(ServiceError):
    """The change would break a rule of accounts; nothing was changed."""


def enterprise_model() -> type[models.Model]:
    """The model operators are bound to (registry.Enterprise), without importing its app."""
    return User._meta.get_field("enterprise").remote_field.model  # type: ignore[union-attr,return-value]


def worker_model() -> type[models.Model]:
    """The model a worker's account is bound to (registry.Worker), without importing its app."""
    return User._meta.get_field("worker").remote_field.model  # type: ignore[union-attr,return-value]


def active_admins() -> QuerySet[User]:
    return User.objects.filter(is_active=True).filter(Q(role=Role.ADMIN) | Q(is_superuser=True))


# Accounts -------------------------------------------------------------------------------------

SNAPSHOT_FIELDS = ("username", "full_name", "role", "enterprise", "organisation", "worker", "is_active")


def _snapshot(user: User) -> dict[str, Any]:
    """What the audit shows of an account: names, never an ID number or a password."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "enterprise": str(user.enterprise) if user.enterprise_id else None,
        "organisation": user.organisation,
        "worker": str(user.worker) if user.worker_id else None,
        "is_active": user.is_active,
    }


def _binding(
    role: str, enterprise: Any, worker: Any, organisation: str, *, account: User | None = None
) -> tuple[Any, Any, str]:
    """The enterprise, worker record and organisation the role keeps (the others are cleared);
    refuses what the role lacks."""
    organisation = (organisation or "").strip()
    if role != Role.OPERATOR:
        enterprise = None
    elif enterprise is None:
        raise AccountRefused(_("An enterprise operator must be bound to an enterprise."))
    if role != Role.WORKER:
        worker = None
    else:
        if worker is None:
            raise AccountRefused(_("A worker's account must be bound to the worker's record."))
        holders = User.objects.filter(worker=worker)
        holder = (holders.exclude(pk=account.pk) if account is not None else holders).first()
        if holder is not None:
            raise AccountRefused(
                _("%(worker)s already has an account (%(username)s).")
                % {"worker": worker, "username": holder.username}
            )
    if role in (Role.LEADER, Role.FINANCE) and not organisation:
        raise AccountRefused(_("Enter the bureau or organisation this account belongs to."))
    return enterprise, worker, organisation


def validate_new_password(password: str, user: User) -> None:
    """Django's password validators (settings.AUTH_PASSWORD_VALIDATORS); refuses with their
    messages."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise AccountRefused(" ".join(exc.messages)) from None


def username_taken(username: str, *, exclude: User | None = None) -> bool:
    """Case-insensitively: the lockout counts OPERATOR_A and operator_a as one name (core.auth)."""
    same = User.objects.filter(username__iexact=username.strip())
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    return same.exists()


@transaction.atomic
def create_account(
    *,
    username: str,
    full_name: str,
    role: str,
    password: str,
    enterprise: Any = None,
    worker: Any = None,
    organisation: str = "",
    actor: User,
) -> User:
    """A new account with a temporary password the user must change at their first sign-in."""
    username = username.strip()
    if username_taken(username):
        raise AccountRefused(_("The username %(username)s is taken.") % {"username": username})
    enterprise, worker, organisation = _binding(role, enterprise, worker, organisation)
    user = User(
        username=username,
        full_name=full_name.strip(),
        role=role,
        enterprise=enterprise,
        worker=worker,
        organisation=organisation,
        must_change_password=True,
    )
    validate_new_password(password, user)
    user.set_password(password)
    user.save()
    record(actor, "account.create", user, changes=diff({}, _snapshot(user)))
    return user


def _lock(user: User) -> User:
    return User.objects.select_for_update(of=("self",)).select_related("enterprise", "worker").get(pk=user.pk)


def _lock_admins() -> list[int]:
    """The active admins' ids, their rows locked in key order: two admins demoting each other at
    once must not both succeed."""
    return list(active_admins().select_for_update().order_by("pk").values_list("pk", flat=True))


def _refuse_losing_last_admin(user: User) -> None:
    admins = _lock_admins()
    if admins == [user.pk]:
        raise AccountRefused(
            _("%(user)s is the last active admin: make another account an admin first.") % {"user": user}
        )


@transaction.atomic
def update_account(
    user: User,
    *,
    full_name: str,
    role: str,
    enterprise: Any = None,
    worker: Any = None,
    organisation: str = "",
    actor: User,
) -> User:
    """Change an account's name, role and binding. A role change signs the user out everywhere
    (they sign in again in the new role, with its second factor if it requires one)."""
    user = _lock(user)
    before = _snapshot(user)
    was_admin = user.role == Role.ADMIN
    if was_admin and role != Role.ADMIN and not user.is_superuser:
        if user.pk == actor.pk:
            raise AccountRefused(_("You cannot take away your own admin role."))
        if user.is_active:
            _refuse_losing_last_admin(user)
    enterprise, worker, organisation = _binding(role, enterprise, worker, organisation, account=user)
    role_changed = role != user.role
    user.full_name, user.role, user.organisation = full_name.strip(), role, organisation
    user.enterprise, user.worker = enterprise, worker
    changes: dict[str, Any] = dict(diff(before, _snapshot(user)))
    if not changes:
        return user
    user.save()
    if role_changed and user.pk != actor.pk:  # a superuser changing their own role stays signed in
        changes["sessions_ended"] = end_sessions(user)
    record(actor, "account.update", user, changes=changes)
    return user


@transaction.atomic
def reset_password(user: User, *, password: str, actor: User) -> User:
    """Give the account a temporary password (validated) that the user must change at their next
    sign-in; signs them out everywhere and lifts a lockout of the account."""
    from .auth import unlock_account

    if user.pk == actor.pk:
        raise AccountRefused(_("Change your own password on the “Change password” page."))
    user = _lock(user)
    validate_new_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    ended = end_sessions(user)
    unlock_account(user.get_username())
    record(actor, "account.password_reset", user, changes={"must_change_password": True, "sessions_ended": ended})
    return user


@transaction.atomic
def deactivate(user: User, *, actor: User) -> User:
    """The account can no longer sign in; its sessions end at once. Refused for oneself and for
    the last active admin (nothing is changed)."""
    if user.pk == actor.pk:
        raise AccountRefused(_("You cannot deactivate your own account."))
    user = _lock(user)
    if not user.is_active:
        raise AccountRefused(_("%(user)s is already deactivated.") % {"user": user})
    if user.is_admin:
        _refuse_losing_last_admin(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = end_sessions(user)
    record(actor, "account.deactivate", user, changes={"is_active": [True, False], "sessions_ended": ended})
    return user


@transaction.atomic
def reactivate(user: User, *, actor: User) -> User:
    user = _lock(user)
    if user.is_active:
        raise AccountRefused(_("%(user)s is already active.") % {"user": user})
    user.is_active = True
    user.save(update_fields=["is_active"])
    record(actor, "account.reactivate", user, changes={"is_active": [False, True]})
    return user


@transaction.atomic
def change_own_password(user: User, *, password: str, keep_session: str | None) -> User:
    """The user's own new password (the form has checked the old one and the validators). Their
    other sessions end; the view keeps ``keep_session``, the current one
    (``update_session_auth_hash``, then ``rekey_session``)."""
    user = _lock(user)
    validate_new_password(password, user)
    was_temporary = user.must_change_password
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    ended = end_sessions(user, keep=keep_session)
    record(user, "account.password_change", user, changes={"was_temporary": was_temporary, "sessions_ended": ended})
    return user


# Sessions -------------------------------------------------------------------------------------


def _store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


def user_agent(request: HttpRequest) -> str:
    return (request.META.get("HTTP_USER_AGENT") or "")[:USER_AGENT_LENGTH]


def start_session(request: HttpRequest, user: User) -> UserSession:
    """Record the request's session as signed in (called once the sign-in is complete)."""
    if not request.session.session_key:
        request.session.save()
    now = timezone.now()
    row, _created = UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip_address": current_ip.get(),
            "user_agent": user_agent(request),
            "signed_in_at": now,
            "last_seen": now,
        },
    )
    request.session[SEEN_KEY] = int(now.timestamp())
    purge_ended_sessions()
    return row


def rekey_session(old_key: str | None, new_key: str | None) -> None:
    """The session got a new key (a password change cycles it): its row follows."""
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def touch_session(request: HttpRequest) -> None:
    """Refresh the row's last request, at most once every TOUCH_SECONDS (the time of the last
    write rides in the session, which is saved on every request anyway)."""
    seen = request.session.get(SEEN_KEY)
    if seen is None:
        return
    now = time.time()
    if now - seen < TOUCH_SECONDS:
        return
    UserSession.objects.filter(session_key=request.session.session_key).update(last_seen=timezone.now())
    request.session[SEEN_KEY] = int(now)


def _live_keys() -> QuerySet[Any]:
    return Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")


def live_sessions() -> QuerySet[UserSession]:
    """The sessions still signed in: their Django session exists and has not expired."""
    return UserSession.objects.filter(session_key__in=_live_keys()).select_related("user")


def purge_ended_sessions() -> int:
    """Remove the rows of sessions that have expired or are gone."""
    deleted, _by_model = UserSession.objects.exclude(session_key__in=_live_keys()).delete()
    return deleted


def _end(keys: Iterable[str]) -> None:
    store = _store()
    for key in keys:
        store(session_key=key).delete()


def _sessions_naming(user: User) -> set[str]:
    """The live sessions whose data names the user: also those no sign-in recorded (a session
    from before the rows existed). A district has a few hundred at most."""
    keys = set()
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_USER_KEY)) == str(user.pk):
            keys.add(session.session_key)
    return keys


def end_sessions(user: User, *, keep: str | None = None) -> int:
    """Sign the user out everywhere (but for the session ``keep``): delete their sessions and the
    rows. Returns how many sessions ended."""
    tracked = set(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    keys = sorted((tracked | _sessions_naming(user)) - {keep})
    ended = Session.objects.filter(session_key__in=keys, expire_date__gt=timezone.now()).count()
    _end(keys)
    UserSession.objects.filter(session_key__in=keys).delete()
    return ended


@transaction.atomic
def force_sign_out(session: UserSession, *, actor: User, current_key: str | None) -> None:
    """An admin ends someone's session (强制退出): their next request lands on the login page.
    One's own current session is refused: "Log out" does that."""
    if session.session_key == current_key:
        raise AccountRefused(_("This is your own current session: use “Log out” to end it."))
    _end([session.session_key])
    UserSession.objects.filter(pk=session.pk).delete()
    record(
        actor,
        "auth.session.sign_out",
        session.user,
        changes={
            "signed_in_at": session.signed_in_at,
            "ip_address": session.ip_address,
            "browser": describe_user_agent(session.user_agent),
        },
    )


@receiver(user_logged_out)
def _forget_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Logging out removes the session's row (before Django flushes the session)."""
    if request is not None and getattr(request, "session", None) is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


# Browsers ---------------------------------------------------------------------------------------

_BROWSERS = [  # first match wins: Edge and the Chinese browsers also say Chrome and Safari
    ("微信", r"MicroMessenger/([\d.]+)"),
    ("企业微信", r"wxwork/([\d.]+)"),
    ("QQ浏览器", r"QQBrowser/([\d.]+)"),
    ("360浏览器", r"QihooBrowser/([\d.]+)|360SE"),
    ("Edge", r"Edg(?:e|A|iOS)?/([\d.]+)"),
    ("Firefox", r"Firefox/([\d.]+)"),
    ("Chrome", r"(?:Chrome|CriOS)/([\d.]+)"),
    ("Safari", r"Version/([\d.]+).*Safari/"),
]
_SYSTEMS = [
    ("HarmonyOS", r"HarmonyOS|OpenHarmony"),
    ("Android", r"Android"),
    ("iOS", r"iPhone|iPad|iPod"),
    ("Windows", r"Windows"),
    ("macOS", r"Mac OS X|Macintosh"),
    ("Linux", r"Linux|X11"),
]


def describe_user_agent(text: str) -> str:
    """A browser's User-Agent as people say it: "Chrome 131 · Windows"; "" for none."""
    if not text:
        return ""
    browser = ""
    for name, pattern in _BROWSERS:
        match = re.search(pattern, text)
        if match:
            version = next((g for g in match.groups() if g), "")
            browser = f"{name} {version.split('.')[0]}".strip() if version else name
            break
    system = next((name for name, pattern in _SYSTEMS if re.search(pattern, text)), "")
    described = " · ".join(part for part in (browser, system) if part)
    return described or text[:60]


# Enforcement ------------------------------------------------------------------------------------


class AccountMiddleware:
    """After the second factor (settings.MIDDLEWARE, below TwoFactorMiddleware): an account with a
    temporary password reaches only the password change page (and logging out) until it has
    chosen its own; every signed-in request refreshes its session's last request time."""

    EXEMPT_URL_NAMES = (
        "core:password_change", "login", "logout", "two_factor_verify", "two_factor_enrol", "set_language",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._exempt: set[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            touch_session(request)
            if user.must_change_password and not self._is_exempt(request.path_info):
                url = reverse("core:password_change")
                return HttpResponseRedirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _is_exempt(self, path: str) -> bool:
        if self._exempt is None:
            self._exempt = {reverse(name) for name in self.EXEMPT_URL_NAMES}
        static = "/" + settings.STATIC_URL.lstrip("/")
        return path.startswith(static) or path in self._exempt
