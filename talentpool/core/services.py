"""Core state changes: scope checks shared by every app's services, and revealing personal data."""

from __future__ import annotations

from typing import Any

from django.db import models

from .audit import record
from .exceptions import OutOfScope
from .models import AuditAction, User
from .roles import Action


def ensure_scope(obj: models.Model, *, actor: User, action: Action) -> None:
    """Raise OutOfScope unless ``actor`` may do ``action`` on ``obj`` (one indexed query)."""
    manager: Any = type(obj)._default_manager
    if not manager.restrict(actor, action).filter(pk=obj.pk).exists():
        raise OutOfScope(f"{type(obj).__name__} {obj.pk} is out of scope for {actor.pk}")


def reveal_field(obj: models.Model, field: str, *, actor: User) -> str:
    """Return a personal-data field in full, after checking scope and auditing the view."""
    ensure_scope(obj, actor=actor, action=Action.REVEAL)
    record(actor, AuditAction.REVEAL, obj, changes={"field": field})
    return str(getattr(obj, field) or "")
