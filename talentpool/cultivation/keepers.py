"""Who keeps the cultivation records an enterprise submits (innovations, pairs, studios) and
whom they may name in them: one rule for every kind's services, forms and imports."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from talentpool.core.roles import Action, Role
from talentpool.registry.models import Worker


def may_keep(actor: Any) -> bool:
    """Admins, and operators bound to an enterprise."""
    return bool(actor.is_admin or (actor.role == Role.OPERATOR and actor.enterprise_id))


def nameable_workers(actor: Any, enterprise_id: int | None = None) -> QuerySet[Worker]:
    """The current workers ``actor`` may name in a record: an admin any current worker, an
    operator their enterprise's (registry scoping), anyone else none; ``enterprise_id`` narrows
    them to one enterprise's current workers."""
    if not may_keep(actor):
        return Worker.objects.none()
    workers = Worker.objects.restrict(actor, Action.CHANGE).filter(current_enterprise__isnull=False)
    if enterprise_id is not None:
        workers = workers.filter(current_enterprise_id=enterprise_id)
    return workers
