"""Scoping of tiers and titles (core.scoping): admins act on every title and leaders read every
one; an operator reads the titles of their enterprise's current workers, a worker their own.
Only admins change titles (through the services); nobody else gets a row for any other action."""

from __future__ import annotations

from typing import TYPE_CHECKING

from talentpool.core.roles import Action, Role
from talentpool.core.scoping import RestrictedQuerySet

if TYPE_CHECKING:
    from talentpool.core.models import User

READ_ONLY = {Action.VIEW, Action.EXPORT}


class TierQuerySet(RestrictedQuerySet):
    """The tiers are the programme's reference data: everyone signed in reads them, admins keep them."""

    def scope(self, user: User, action: Action) -> RestrictedQuerySet:
        if user.is_admin or action == Action.VIEW:
            return self.all()
        return self.none()


class TitleQuerySet(RestrictedQuerySet):
    """``worker_path``: the lookup from the row to its worker (``""`` on Title itself)."""

    worker_path = "worker"

    def _worker(self, suffix: str) -> str:
        return f"{self.worker_path}__{suffix}" if self.worker_path else suffix

    def scope(self, user: User, action: Action) -> RestrictedQuerySet:
        if user.is_admin:
            return self.all()
        if action not in READ_ONLY:
            return self.none()
        if user.role == Role.LEADER:
            return self.all()
        if user.role == Role.OPERATOR and user.enterprise_id:
            return self.filter(**{self._worker("current_enterprise_id"): user.enterprise_id})
        if user.role == Role.WORKER and action == Action.VIEW and user.worker_id:
            return self.filter(**{self._worker("id"): user.worker_id})
        return self.none()

    def active(self) -> TitleQuerySet:
        from .choices import TitleStatus

        return self.filter(status=TitleStatus.ACTIVE)


class TitleChangeQuerySet(TitleQuerySet):
    """A title's history follows the title."""

    worker_path = "title__worker"
