"""Whom and which enterprises a cultivation import may name, by who imports it (one rule for the
innovations', studios' and pairs' imports)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from talentpool.core.roles import Action, Role
from talentpool.registry.models import Enterprise, Worker
from talentpool.rules.text import normalise_text


def may_import(user: Any) -> bool:
    """The cultivation imports are for admins and for operators bound to an enterprise."""
    return bool(user.is_admin or user.enterprise_id)


def importable_workers(actor: Any, *, employed_only: bool = True) -> QuerySet[Worker]:
    """An admin names any worker (employed now, unless ``employed_only`` is off); an operator
    their enterprise's current workers; anyone else no one."""
    if actor.is_admin:
        workers = Worker.objects.all()
        return workers.filter(current_enterprise__isnull=False) if employed_only else workers
    if actor.role == Role.OPERATOR and actor.enterprise_id:
        return Worker.objects.restrict(actor, Action.CHANGE).filter(current_enterprise__isnull=False)
    return Worker.objects.none()


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
