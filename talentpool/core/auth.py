"""Login hardening: lock a username (or an address) after repeated failures within a window."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import record
from .middleware import client_ip
from .models import AuditAction, LoginFailure

ADDRESS_FACTOR = 5  # an address may fail for several users (a shared office NAT) before locking


def is_locked(username: str, ip: str | None) -> bool:
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(username__iexact=username).count() >= settings.LOGIN_FAILURE_LIMIT:
        return True
    return bool(ip) and recent.filter(ip_address=ip).count() >= settings.LOGIN_FAILURE_LIMIT * ADDRESS_FACTOR


class LockoutAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed attempts. This account is locked for %(minutes)s minutes; "
            "try again later or ask an administrator."
        ),
    }

    def __init__(self, request: HttpRequest | None = None, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "class": "form-control"})
        self.fields["password"].widget.attrs.update({"class": "form-control"})

    def clean(self):  # type: ignore[no-untyped-def]
        username = (self.cleaned_data.get("username") or "").strip()
        ip = client_ip(self.request) if self.request else None
        if username and is_locked(username, ip):
            record(None, AuditAction.LOCKED, object_repr=username[:150], changes={"attempt": "refused while locked"})
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            LoginFailure.objects.create(username=username[:150], ip_address=ip)
            record(None, AuditAction.LOGIN_FAILED, object_repr=username[:150])
            if is_locked(username, ip):
                record(None, AuditAction.LOCKED, object_repr=username[:150])
            raise
        LoginFailure.objects.filter(username__iexact=username).delete()
        record(self.get_user(), AuditAction.LOGIN, object_repr=username)
        return cleaned
