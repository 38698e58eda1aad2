"""Row-level scoping (NetBox's RestrictedQuerySet): every list, search, export, form choice and
API endpoint starts from ``Model.objects.restrict(user, action)``. Out of scope answers 404."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.http import Http404

from .roles import Action

if TYPE_CHECKING:
    from .models import User

M = TypeVar("M", bound=models.Model)


class RestrictedQuerySet(models.QuerySet):
    """Subclasses implement ``scope(user, action)`` returning the rows that user may act on."""

    def restrict(self, user: User | Any, action: Action | str = Action.VIEW) -> RestrictedQuerySet:
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.scope(user, Action(action))

    def scope(self, user: User, action: Action) -> RestrictedQuerySet:
        raise NotImplementedError(f"{self.model.__name__} must define its scope")


def get_restricted_or_404(
    queryset: RestrictedQuerySet, user: Any, action: Action | str = Action.VIEW, **lookup: Any
) -> Any:
    try:
        return queryset.restrict(user, action).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
