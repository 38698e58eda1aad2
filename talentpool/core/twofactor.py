"""Two-factor sign-in: a TOTP code (an authenticator app, django-otp) after the password, and ten
one-time recovery codes for a lost phone.

Who: ``requires_two_factor`` (the one place that says so). With ``REQUIRE_2FA`` on (production)
those users must enrol before anything else; anyone who has a confirmed device gives a code at
every sign-in whether or not it is required. Until then every page but the login, code, enrolment
and logout pages (and static files) redirects to the step due (``TwoFactorMiddleware``).
Wrong codes count towards the login lockout (core/auth.py). Enrolment, its confirmation, every
recovery code used and every reset are audited.
"""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import record
from .models import AuditAction, User
from .roles import Role

VERIFY, ENROL = "verify", "enrol"
STEP_URL_NAMES = {VERIFY: "two_factor_verify", ENROL: "two_factor_enrol"}
SESSION_KEY = "talentpool_two_factor"  # the step due for this session ("" when none)
RECOVERY_CODE_COUNT = 10
TOTP, RECOVERY_CODE, ENROLLED = "totp", "recovery code", "enrolled"


def requires_two_factor(user: User) -> bool:
    """Programme admins (and superusers) and leaders: the accounts that read and change every
    worker's record in the district; and the finance bureau, which approves allowance payments."""
    return user.is_active and (user.is_admin or user.role in (Role.LEADER, Role.FINANCE))


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def has_second_factor(user: User) -> bool:
    """A confirmed authenticator, or recovery codes left to sign in with."""
    return confirmed_totp(user) is not None or recovery_codes_left(user) > 0


def pending_step(user: User) -> str | None:
    """What this user must do after the password: give a code, enrol, or nothing."""
    if has_second_factor(user):
        return VERIFY
    if settings.REQUIRE_2FA and requires_two_factor(user):
        return ENROL
    return None


def refresh_step(request: HttpRequest) -> str | None:
    """Work the step out again (after a sign-in, an enrolment or a reset) and remember it."""
    step = pending_step(request.user)  # type: ignore[arg-type]
    request.session[SESSION_KEY] = step or ""
    return step


def session_step(request: HttpRequest) -> str | None:
    """The step due, worked out once per session: no query on the pages after."""
    step = request.session.get(SESSION_KEY)
    if step is None:
        return refresh_step(request)
    return step or None


def is_pending(request: HttpRequest) -> bool:
    """Signed in with a password but a second factor is still due."""
    user = request.user
    return user.is_authenticated and not user.is_verified() and session_step(request) is not None  # type: ignore[union-attr,attr-defined]


def step_url(step: str, next_url: str = "") -> str:
    url = reverse(STEP_URL_NAMES[step])
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def normalise_code(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


def secret_text(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it typed in: base32, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The ``otpauth://`` address as an SVG QR code in a data URI (no script, no request)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, dark="#212529")


def format_recovery_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


# --- services ------------------------------------------------------------------------------------


@transaction.atomic
def start_enrolment(user: User, *, actor: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, created (and audited) the first time it is asked for.
    Raises ValueError if the user already has a confirmed one (an admin resets it first)."""
    User.objects.select_for_update().get(pk=user.pk)  # one unconfirmed device, even for two tabs
    if confirmed_totp(user) is not None:
        raise ValueError("already enrolled")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
        record(actor, AuditAction.TWO_FACTOR_ENROLMENT, user, changes={"device": TOTP})
    return device


@transaction.atomic
def confirm_enrolment(device: TOTPDevice, token: str, *, actor: User) -> list[str] | None:
    """Confirm the authenticator with a code it shows and issue fresh recovery codes, returned in
    clear this once. Returns None (nothing confirmed) for a wrong code."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    code = normalise_code(token)
    if device.confirmed or not (code.isdigit() and len(code) == device.digits) or not device.verify_token(code):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    codes = _replace_recovery_codes(device.user)
    record(actor, AuditAction.TWO_FACTOR_CONFIRMED, device.user, changes={"device": TOTP, "recovery_codes": len(codes)})
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


@transaction.atomic
def verify_second_factor(user: User, token: str, *, actor: User) -> Device | None:
    """The device that accepts ``token``: an authenticator's current code (never the same code
    twice), or a recovery code, which is used up and audited. None if neither does."""
    code = normalise_code(token)
    if code.isdigit() and len(code) == 6:
        for device in TOTPDevice.objects.filter(user=user, confirmed=True).select_for_update().order_by("pk"):
            if device.verify_token(code):
                return device
    for static in StaticDevice.objects.filter(user=user, confirmed=True).select_for_update().order_by("pk"):
        if static.verify_token(code):
            record(actor, AuditAction.RECOVERY_CODE_USED, user, changes={"remaining": static.token_set.count()})
            return static
    return None


@transaction.atomic
def reset_two_factor(user: User, *, actor: User) -> int:
    """Remove the user's authenticator and recovery codes (a lost phone): they enrol again at their
    next sign-in if two-factor is required, and a session verified with them is no longer.
    Returns the number of devices removed; audited even when there were none."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).count()
        model.objects.filter(user=user).delete()
    record(actor, AuditAction.TWO_FACTOR_RESET, user, changes={"devices": removed})
    return removed


class CodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "class": "form-control",
                "autofocus": True,
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        ),
    )


# --- enforcement ---------------------------------------------------------------------------------


class TwoFactorMiddleware:
    """Every page but the sign-in steps redirects to the step due until the session is verified."""

    EXEMPT_URL_NAMES = ("login", "logout", "two_factor_verify", "two_factor_enrol", "set_language")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_pending(request) and not self._is_exempt(request.path_info):
            step = session_step(request)
            return HttpResponseRedirect(step_url(step, request.get_full_path()))  # type: ignore[arg-type]
        return self.get_response(request)

    def _is_exempt(self, path: str) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        return path.startswith(static) or path in {reverse(name) for name in self.EXEMPT_URL_NAMES}
