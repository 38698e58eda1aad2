"""Saving a cultivation record that carries a version (models.Versioned): an edit made on an older
version is refused, and a save that changes something raises the version and is audited. One
rule for every kind's services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from talentpool.core.audit import record
from talentpool.core.exceptions import EditConflict
from talentpool.core.models import AuditAction, User

if TYPE_CHECKING:
    from .models import Versioned

V = TypeVar("V", bound="Versioned")


def check_version(obj: Any, expected_version: int | None) -> None:
    """Raise EditConflict if ``obj`` (locked) is no longer at ``expected_version`` (None: no check)."""
    if expected_version is not None and obj.version != expected_version:
        raise EditConflict(obj)


def save_audited(obj: V, actor: User, changes: dict[str, Any], *, event: str = AuditAction.UPDATE,
                 label: str) -> V:
    """Save ``obj`` with its version raised and audit ``event``, unless it is a plain update that
    changed nothing (then nothing is written)."""
    if changes or event != AuditAction.UPDATE:
        obj.version += 1
        obj.save()
        record(actor, event, obj, object_repr=label, changes=changes)
    return obj
