"""Scoping of the selection records (core.scoping).

- Campaigns: everyone signed in but workers reads them (operators need the notice and rules);
  admins keep them.
- Nominations (and their attachments and eligibility results): admins act on all; leaders read
  all; an operator reads and acts on their own enterprise's nominations (the services decide which
  actions the stage allows); nobody else sees any.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from talentpool.core.roles import Action, Role
from talentpool.core.scoping import RestrictedQuerySet

if TYPE_CHECKING:
    from talentpool.core.models import User

READ_ONLY = {Action.VIEW, Action.EXPORT}


class CampaignQuerySet(RestrictedQuerySet):
    def scope(self, user: User, action: Action) -> RestrictedQuerySet:
        if user.is_admin:
            return self.all()
        if action == Action.VIEW and user.role in (Role.LEADER, Role.OPERATOR):
            return self.exclude(stage="draft")
        return self.none()


class CampaignPartQuerySet(CampaignQuerySet):
    """A campaign's configuration rows (tiers, criteria, stage history) follow the campaign."""

    def scope(self, user: User, action: Action) -> RestrictedQuerySet:
        if user.is_admin:
            return self.all()
        if action == Action.VIEW and user.role in (Role.LEADER, Role.OPERATOR):
            return self.exclude(campaign__stage="draft")
        return self.none()


class NominationQuerySet(RestrictedQuerySet):
    """``nomination_path``: the lookup from the row to its nomination (``""`` on Nomination)."""

    nomination_path = ""

    def _path(self, suffix: str) -> str:
        return f"{self.nomination_path}__{suffix}" if self.nomination_path else suffix

    def scope(self, user: User, action: Action) -> RestrictedQuerySet:
        if user.is_admin:
            return self.all()
        if user.role == Role.LEADER and action in READ_ONLY:
            return self.all()
        if user.role == Role.OPERATOR and user.enterprise_id:
            return self.filter(**{self._path("enterprise_id"): user.enterprise_id})
        return self.none()


class NominationPartQuerySet(NominationQuerySet):
    nomination_path = "nomination"


class ExpertQuerySet(RestrictedQuerySet):
    """The expert pool: admins keep it; an expert sees their own entry; nobody else."""

    def scope(self, user: User, action: Action) -> RestrictedQuerySet:
        if user.is_admin:
            return self.all()
        if user.role == Role.EXPERT and action == Action.VIEW:
            return self.filter(user=user)
        return self.none()


class ExpertPartQuerySet(RestrictedQuerySet):
    """Rows of an expert (their employments, declared relations): admins; the expert, their own."""

    def scope(self, user: User, action: Action) -> RestrictedQuerySet:
        if user.is_admin:
            return self.all()
        if user.role == Role.EXPERT and action == Action.VIEW:
            return self.filter(expert__user=user)
        return self.none()


class AssignmentQuerySet(RestrictedQuerySet):
    """Assignments: admins see all; an expert only their own confirmed (or later) ones, never a
    proposal; operators and leaders none (who reviews whom is not theirs to know)."""

    assignment_path = ""

    def scope(self, user: User, action: Action) -> RestrictedQuerySet:
        if user.is_admin:
            return self.all()
        if user.role == Role.EXPERT and action == Action.VIEW:
            prefix = f"{self.assignment_path}__" if self.assignment_path else ""
            return self.filter(**{f"{prefix}expert__user": user}).exclude(**{f"{prefix}status": "proposed"})
        return self.none()


class ReviewQuerySet(AssignmentQuerySet):
    """A review follows its assignment: the admin, and the expert who wrote it."""

    assignment_path = "assignment"


class ScoreQuerySet(AssignmentQuerySet):
    assignment_path = "review__assignment"


class ObjectionQuerySet(RestrictedQuerySet):
    """Objections name who objected: admins handle them, leaders read them; the nominating
    enterprise never learns who objected, nor does anyone else."""

    def scope(self, user: User, action: Action) -> RestrictedQuerySet:
        if user.is_admin:
            return self.all()
        if user.role == Role.LEADER and action in READ_ONLY:
            return self.all()
        return self.none()
