"""Writing the audit log. Services call ``record`` inside their transaction."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .context import current_ip
from .models import AuditAction, AuditLog, User

_AS_IS = frozenset({str, int, bool, float, type(None)})


def _plain(value: Any) -> Any:
    """A JSON-ready form of a field value: model instances by name, dates in ISO form."""
    if type(value) in _AS_IS:  # most values: a set lookup instead of three isinstance checks
        return value
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    keys = list(dict.fromkeys([*before, *after]))
    return {
        k: [_plain(before.get(k)), _plain(after.get(k))] for k in keys if _plain(before.get(k)) != _plain(after.get(k))
    }


def record(
    actor: User | None,
    action: AuditAction | str,
    obj: models.Model | None = None,
    *,
    changes: dict[str, Any] | None = None,
    object_repr: str | None = None,
) -> AuditLog:
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=(actor.get_username() if actor is not None else "") or "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr if object_repr is not None else str(obj) if obj is not None else "")[:200],
        changes={k: _plain(v) for k, v in (changes or {}).items()},
        ip_address=current_ip.get(),
    )
