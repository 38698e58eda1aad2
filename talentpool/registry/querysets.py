"""Registry querysets: scoping by role (``restrict``) and filters in domain words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from talentpool.core.roles import Action, Role
from talentpool.core.scoping import RestrictedQuerySet

if TYPE_CHECKING:
    from talentpool.core.models import User

READ_ONLY = {Action.VIEW, Action.EXPORT}


class ReferenceQuerySet(RestrictedQuerySet):
    """Reference data (industries, occupations): everyone signed in reads, admins edit."""

    def scope(self, user: User, action: Action) -> ReferenceQuerySet:
        if user.is_admin or action == Action.VIEW:
            return self.all()
        return self.none()


class EnterpriseQuerySet(RestrictedQuerySet):
    def scope(self, user: User, action: Action) -> EnterpriseQuerySet:
        if user.is_admin:
            return self.all()
        if user.role == Role.LEADER:
            return self.all() if action in READ_ONLY else self.none()
        if user.role == Role.OPERATOR:
            if action in READ_ONLY or action == Action.CHANGE:
                return self.filter(pk=user.enterprise_id)
            return self.none()
        if user.role == Role.WORKER and action == Action.VIEW and user.worker_id:
            return self.filter(workers__pk=user.worker_id)
        return self.none()

    def search(self, text: str) -> EnterpriseQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(uscc=text.upper()))


class WorkerQuerySet(RestrictedQuerySet):
    def scope(self, user: User, action: Action) -> WorkerQuerySet:
        if user.is_admin:
            return self.all()
        if user.role == Role.LEADER:
            return self.all() if action in READ_ONLY else self.none()
        if user.role == Role.OPERATOR:
            if action == Action.DELETE:
                return self.none()
            return self.filter(current_enterprise_id=user.enterprise_id)
        if user.role == Role.WORKER and action in {Action.VIEW, Action.REVEAL}:
            return self.filter(pk=user.worker_id)
        return self.none()

    def search(self, text: str) -> WorkerQuerySet:
        """Name (汉字), full pinyin or initials, or an exact ID number."""
        from talentpool.core.crypto import lookup_hash
        from talentpool.rules.idnumber import InvalidIdNumber, parse_id_number

        text = text.strip()
        if not text:
            return self
        try:
            number = parse_id_number(text).number
        except InvalidIdNumber:
            number = None
        if number:
            return self.filter(id_number_hash=lookup_hash(number))
        if text.isascii():
            key = text.lower().replace(" ", "")
            # keys are space-separated and the first has no leading space
            return self.filter(Q(name_search__startswith=key) | Q(name_search__contains=" " + key))
        from talentpool.rules.names import normalise_name

        text = normalise_name(text)  # as names are stored: " 李　测二 " finds 李测二
        # Usually a surname or a whole name: a prefix match the name index answers directly (a
        # substring scan of 100,000 names was the slowest search, bench_pages.py); only when no
        # name starts so does it fall back to the substring ("建民" → 慎建民).
        prefix = self.filter(name__startswith=text)
        if prefix.exists():
            return prefix
        return self.filter(name__contains=text)


class WorkerOwnedQuerySet(RestrictedQuerySet):
    """Records that belong to one worker (employment, certificates, honours) follow the worker."""

    def scope(self, user: User, action: Action) -> WorkerOwnedQuerySet:
        from .models import Worker

        worker_action = Action.CHANGE if action in {Action.ADD, Action.DELETE} else action
        if user.role == Role.WORKER and action != Action.VIEW:
            return self.none()
        return self.filter(worker__in=Worker.objects.restrict(user, worker_action).values("pk"))
