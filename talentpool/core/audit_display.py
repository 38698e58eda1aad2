"""The audit log as people read it, for any app's records.

A record's ``changes`` hold plain values keyed by field name (``{"education": [None, "bachelor"]}``,
core.audit.diff). Shown to a person, each key reads as the field's label (the ``verbose_name`` of
the field of the record's model, through its content type), a stored choice as its label
(``get_FOO_display``), a boolean as 是/否, a date as YYYY-MM-DD and a time as YYYY-MM-DD HH:MM
(local time). Keys that are no model field (an export's ``rows``, an import's ``file``) read as
the label an app declares with ``register_change_labels``, else as the key itself.

Personal numbers are masked whatever a record holds: the services record masked values only, but
a record written before that rule, or by a path that forgot it, must not show a whole ID number or
phone. Every text goes through rules.redaction (ID and mobile numbers anywhere in it), and the
value of an encrypted field (a landline phone, which redaction does not recognise) through
rules.masking when it is not masked already.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from talentpool.rules.masking import mask_phone
from talentpool.rules.redaction import redact

from .crypto import EncryptedTextField
from .registry import audit_event_label

EMPTY = "—"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
#: keys whose value names fields of the record's model (a reveal's ``{"field": "id_number"}``, a full
#: export's ``{"revealed": ["id_number", "phone"]}``), through relations (``worker__id_number``)
FIELD_NAME_KEYS = frozenset({"field", "revealed"})

_labels: dict[str, str | Promise] = {
    # what core itself records (exports, reveals, sign-in, two-factor, purges)
    "kind": _("kind"),
    "rows": _("rows"),
    "filters": _("filters"),
    "revealed": _("shown in full"),
    "field": _("field"),
    "step": _("step"),
    "by": _("locked by"),
    "attempt": _("attempt"),
    "second_factor": _("second factor"),
    "device": _("device"),
    "devices": _("devices removed"),
    "recovery_codes": _("recovery codes"),
    "remaining": _("recovery codes left"),
    "before": _("before"),
    "deleted": _("records deleted"),
    "anchor_id": _("anchor record"),
    "anchor_hash": _("anchor hash"),
    "django_admin": _("Django admin"),
}


def register_change_labels(labels: Mapping[str, str | Promise]) -> None:
    """Declare how keys of ``changes`` that are no model field read: ``{"rows": _("rows")}``.
    A model field of the record's model is labelled by its ``verbose_name`` first."""
    for key, label in labels.items():
        if key in _labels and str(_labels[key]) != str(label):
            raise ValueError(f"audit change label {key!r} is declared twice")
        _labels[key] = label


@dataclass(frozen=True)
class Change:
    """One line of a record's changes: ``label: before → after`` (``before`` None: a single value)."""

    label: str
    after: str
    before: str | None = None


def _model(content_type_id: int | None) -> type[models.Model] | None:
    if content_type_id is None:
        return None
    try:
        # ContentType's own cache: one query per content type and process, not per record
        return ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        return None


def _field(model: type[models.Model] | None, key: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _field_path(model: type[models.Model] | None, path: str) -> models.Field[Any, Any] | None:
    """The field ``path`` (``worker__id_number``) names, following relations."""
    field = None
    for bit in path.split("__"):
        field = _field(model, bit)
        if field is None:
            return None
        model = field.related_model if field.is_relation else None  # type: ignore[assignment]
    return field


def field_label(model: type[models.Model] | None, key: str) -> str:
    field = _field(model, key)
    if field is not None and field.verbose_name:
        return str(field.verbose_name)
    label = _labels.get(key)
    return str(label) if label is not None else key


def yes_no(value: bool) -> str:
    return gettext("yes") if value else gettext("no")


def format_time(value: datetime.datetime) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%Y-%m-%d %H:%M}"


def _text(value: str, field: models.Field[Any, Any] | None) -> str:
    if DATETIME.match(value):
        parsed = parse_datetime(value)
        if parsed is not None:
            return format_time(parsed)
    masked = redact(value)
    if isinstance(field, EncryptedTextField) and masked == value and "*" not in value:
        masked = mask_phone(value)  # a landline, or a number redaction does not know
    return masked


def show_value(value: Any, field: models.Field[Any, Any] | None = None, model: type[models.Model] | None = None,
               key: str = "") -> str:
    """One stored value as it reads: choice label, 是/否, YYYY-MM-DD, masked personal numbers."""
    if value is None or value == "":
        return EMPTY
    if field is not None and field.choices:
        labels = {str(k): v for k, v in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if key in FIELD_NAME_KEYS and isinstance(value, str) and (named := _field_path(model, value)) is not None:
        return str(named.verbose_name)
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, datetime.datetime):
        return format_time(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "、".join(show_value(v, field, model, key) for v in value) or EMPTY
    if isinstance(value, dict):
        return "；".join(f"{field_label(model, str(k))}：{show_value(v, _field(model, str(k)), model, str(k))}"
                        for k, v in value.items()) or EMPTY
    if key == "filters" and isinstance(value, str):
        return redact(unquote_plus(value)) or EMPTY
    if isinstance(value, str):
        return _text(value, field)
    return redact(str(value))


def changes_of(changes: Mapping[str, Any] | None, content_type_id: int | None) -> list[Change]:
    """``changes`` of a record about an object of ``content_type_id`` (None: no object), readable."""
    model = _model(content_type_id)
    lines = []
    for key, value in (changes or {}).items():
        field = _field(model, key)
        label = field_label(model, key)
        if isinstance(value, list) and len(value) == 2 and key not in FIELD_NAME_KEYS:
            before, after = value  # core.audit.diff: [old, new]; a creation has no old value
            shown_before = None if before is None else show_value(before, field, model, key)
            lines.append(Change(label, show_value(after, field, model, key), shown_before))
        else:
            lines.append(Change(label, show_value(value, field, model, key)))
    return lines


def record_changes(record: Any) -> list[Change]:
    return changes_of(record.changes, record.content_type_id)


def action_label(action: str, fallback: str = "") -> str:
    """The action's label: its registered audit event's (core.registry), else ``fallback`` (the
    label of the record's stored choice), else the stored name."""
    label = audit_event_label(action)
    if label != action:
        return label
    return fallback or action


def object_label(text: str) -> str:
    return redact(text) if text else EMPTY
