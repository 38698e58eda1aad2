"""Whom and which enterprises a cultivation import may name, by who imports it (one rule for the
innovations', studios' and pairs' imports)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from talentpool.registry.models import Enterprise, Worker
from talentpool.rules.text import normalise_text

from ..keepers import nameable_workers


def may_import(user: Any) -> bool:
    """The cultivation imports are for admins and for operators bound to an enterprise."""
    return bool(user.is_admin or user.enterprise_id)


def importable_workers(actor: Any, *, employed_only: bool = True) -> QuerySet[Worker]:
    """Whom a row may name: the workers the actor may name in a record (keepers.nameable_workers);
    an admin's import of pairs (``employed_only`` off) also names workers employed nowhere now."""
    if actor.is_admin and not employed_only:
        return Worker.objects.all()
    return nameable_workers(actor)


def importable_enterprises(actor: Any) -> tuple[dict[str, Enterprise], Enterprise | None]:
    """The enterprises a row may name, by normalised name and by credit code, and the operator's
    own (None for an admin, who may name any)."""
    keys: dict[str, Enterprise] = {}
    if actor.is_admin:
        for enterprise in Enterprise.objects.only("pk", "name", "uscc"):
            keys[normalise_text(enterprise.name)] = enterprise
            keys[enterprise.uscc] = enterprise
        return keys, None
    if actor.enterprise_id:
        own = Enterprise.objects.only("pk", "name", "uscc").get(pk=actor.enterprise_id)
        return {normalise_text(own.name): own, own.uscc: own}, own
    return keys, None
