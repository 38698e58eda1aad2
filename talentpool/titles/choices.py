"""Enumerations of the titles app, with the Chinese users see (zh-hans catalogue)."""

from django.db import models
from django.utils.translation import pgettext_lazy


class TitleStatus(models.TextChoices):
    """Where a title stands (SPEC.md §3.3). Only an active title counts: for eligibility, for an
    allowance, for "at most one active title per worker"."""

    ACTIVE = "active", pgettext_lazy("title status", "Active")  # 有效
    SUSPENDED = "suspended", pgettext_lazy("title status", "Suspended")  # 暂停
    REVOKED = "revoked", pgettext_lazy("title status", "Revoked")  # 撤销
    SUPERSEDED = "superseded", pgettext_lazy("title status", "Superseded")  # 已晋升: promoted to a higher tier
    RETIRED = "retired", pgettext_lazy("title status", "Retired")  # 退休


#: The status changes ``services.change_status`` makes (suspend, reinstate, revoke, retire).
#: Superseding is ``services.supersede_title``'s alone (a promotion), and revoked, superseded and
#: retired are final: a title ended is never active again (a new title is conferred instead).
TRANSITIONS: dict[str, frozenset[str]] = {
    TitleStatus.ACTIVE: frozenset({TitleStatus.SUSPENDED, TitleStatus.REVOKED, TitleStatus.RETIRED}),
    TitleStatus.SUSPENDED: frozenset({TitleStatus.ACTIVE, TitleStatus.REVOKED, TitleStatus.RETIRED}),
    TitleStatus.REVOKED: frozenset(),
    TitleStatus.SUPERSEDED: frozenset(),
    TitleStatus.RETIRED: frozenset(),
}

#: The statuses that end a title (its ``valid_to`` is set when it enters one).
ENDED = frozenset({TitleStatus.REVOKED, TitleStatus.SUPERSEDED, TitleStatus.RETIRED})
