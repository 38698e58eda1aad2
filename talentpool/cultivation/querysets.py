"""Scoping of the cultivation records (core.scoping): like the registry, an operator acts on their
own enterprise's records, a leader reads everything, a worker reads the records they are in.

Each record names the enterprise it belongs to at the time it was made (an entry, an enrolment, a
pair keep the enterprise their worker was at), so a worker who moves on leaves their old records
with the old employer's lists while their profile still tells the whole story."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, ClassVar

from django.db.models import Q

from talentpool.core.roles import Action, Role
from talentpool.core.scoping import RestrictedQuerySet

if TYPE_CHECKING:
    from talentpool.core.models import User

READ_ONLY = {Action.VIEW, Action.EXPORT}


def _any(paths: tuple[str, ...], value: object) -> Q:
    return reduce(or_, (Q(**{path: value}) for path in paths))


class EnterpriseRecordQuerySet(RestrictedQuerySet):
    """Records owned by an enterprise. ``enterprise_paths``: lookups to the owning enterprise's pk
    (any of them makes the record the operator's); ``worker_paths``: lookups to the pk of a worker
    the record is about (a worker reads those)."""

    enterprise_paths: ClassVar[tuple[str, ...]] = ("enterprise_id",)
    worker_paths: ClassVar[tuple[str, ...]] = ()

    def scope(self, user: User, action: Action) -> RestrictedQuerySet:
        if user.is_admin:
            return self.all()
        if user.role == Role.LEADER:
            return self.all() if action in READ_ONLY else self.none()
        if user.role == Role.OPERATOR and user.enterprise_id:
            return self.filter(_any(self.enterprise_paths, user.enterprise_id)).distinct()
        if user.role == Role.WORKER and action == Action.VIEW and user.worker_id and self.worker_paths:
            return self.filter(_any(self.worker_paths, user.worker_id)).distinct()
        return self.none()


class CatalogueQuerySet(RestrictedQuerySet):
    """The course catalogue and the competitions' calendar: every signed-in role but experts and
    finance reads it (operators enrol and enter from it), admins keep it."""

    def scope(self, user: User, action: Action) -> RestrictedQuerySet:
        if user.is_admin:
            return self.all()
        if action == Action.VIEW and user.role in {Role.LEADER, Role.OPERATOR, Role.WORKER}:
            return self.all()
        if action == Action.EXPORT and user.role == Role.LEADER:
            return self.all()
        return self.none()


class TrainingClassQuerySet(RestrictedQuerySet):
    """A class: an operator sees the classes their enterprise ordered or takes part in and the
    menu-style classes open to every enterprise; they change only their own orders (services
    decide what may change in which status). A worker sees the classes they are enrolled in."""

    def scope(self, user: User, action: Action) -> RestrictedQuerySet:
        from .choices import ClassMode, ClassStatus

        if user.is_admin:
            return self.all()
        if user.role == Role.LEADER:
            return self.all() if action in READ_ONLY else self.none()
        if user.role == Role.OPERATOR and user.enterprise_id:
            own = Q(ordered_by_id=user.enterprise_id) | Q(enterprises__pk=user.enterprise_id)
            if action in READ_ONLY:
                open_menu = Q(mode=ClassMode.MENU) & ~Q(status__in=[ClassStatus.ORDERED, ClassStatus.CANCELLED])
                enrolled = Q(enrolments__enterprise_id=user.enterprise_id)
                return self.filter(own | open_menu | enrolled).distinct()
            return self.filter(own).distinct()
        if user.role == Role.WORKER and action == Action.VIEW and user.worker_id:
            return self.filter(enrolments__worker_id=user.worker_id).distinct()
        return self.none()


class ClassPartQuerySet(RestrictedQuerySet):
    """Sessions of a class follow the class (``class_path``)."""

    class_path: ClassVar[str] = "training_class"

    def scope(self, user: User, action: Action) -> RestrictedQuerySet:
        from .models import TrainingClass

        class_action = Action.CHANGE if action in {Action.ADD, Action.DELETE} else action
        if user.role == Role.WORKER and action != Action.VIEW:
            return self.none()
        visible = TrainingClass.objects.restrict(user, class_action).values("pk")
        return self.filter(**{f"{self.class_path}__in": visible})


class WorkerOwnedQuerySet(RestrictedQuerySet):
    """Records about one worker at an enterprise (an enrolment, an entry, an attendance): the
    operator of that enterprise acts on them, the worker reads their own."""

    enterprise_path: ClassVar[str] = "enterprise_id"
    worker_path: ClassVar[str] = "worker_id"

    def scope(self, user: User, action: Action) -> RestrictedQuerySet:
        if user.is_admin:
            return self.all()
        if user.role == Role.LEADER:
            return self.all() if action in READ_ONLY else self.none()
        if user.role == Role.OPERATOR and user.enterprise_id:
            return self.filter(**{self.enterprise_path: user.enterprise_id})
        if user.role == Role.WORKER and action == Action.VIEW and user.worker_id:
            return self.filter(**{self.worker_path: user.worker_id})
        return self.none()


class AttendanceQuerySet(WorkerOwnedQuerySet):
    enterprise_path = "enrolment__enterprise_id"
    worker_path = "enrolment__worker_id"


class InnovationQuerySet(EnterpriseRecordQuerySet):
    worker_paths = ("members__worker_id",)


class MentorshipQuerySet(EnterpriseRecordQuerySet):
    worker_paths = ("master_id", "apprentice_id")


class StudioQuerySet(EnterpriseRecordQuerySet):
    worker_paths = ("leader_id", "members__worker_id")


class StudioPartQuerySet(RestrictedQuerySet):
    """Members and yearly results of a studio follow the studio."""

    def scope(self, user: User, action: Action) -> RestrictedQuerySet:
        from .models import Studio

        studio_action = Action.CHANGE if action in {Action.ADD, Action.DELETE} else action
        if user.role == Role.WORKER and action != Action.VIEW:
            return self.none()
        return self.filter(studio__in=Studio.objects.restrict(user, studio_action).values("pk"))


class InnovationPartQuerySet(RestrictedQuerySet):
    def scope(self, user: User, action: Action) -> RestrictedQuerySet:
        from .models import Innovation

        part_action = Action.CHANGE if action in {Action.ADD, Action.DELETE} else action
        if user.role == Role.WORKER and action != Action.VIEW:
            return self.none()
        return self.filter(innovation__in=Innovation.objects.restrict(user, part_action).values("pk"))


class AdminOnlyQuerySet(RestrictedQuerySet):
    """Configuration (the promotion rule table): admins keep it, leaders read it."""

    def scope(self, user: User, action: Action) -> RestrictedQuerySet:
        if user.is_admin:
            return self.all()
        if user.role == Role.LEADER and action in READ_ONLY:
            return self.all()
        return self.none()
