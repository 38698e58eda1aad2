"""Limits counted from the audit log: how often one user did one audited thing lately.

Used where a refusal must not be probed (registrations refused as duplicates, searches by ID
number): the audit record that proves the act is also what counts it, so there is no second
counter to keep in step."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from .models import AuditLog
from .registry import names_for_event


def recent_action_times(actor: Any, action: str, *, within: timedelta, limit: int) -> list[datetime]:
    """The times of ``actor``'s last ``limit`` audit records of ``action`` within ``within``,
    newest first, counting records written under the event's legacy name too. One query on the
    audit log."""
    return list(
        AuditLog.objects.filter(actor_id=actor.pk, action__in=names_for_event(action), at__gte=timezone.now() - within)
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )


def resume_time_label(until: datetime) -> str:
    """``HH:MM`` local time, rounded up: "after 14:06", never 14:05 when the pause ends at 14:05:30."""
    shown = timezone.localtime(until)
    if shown.second or shown.microsecond:
        shown = shown.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return f"{shown:%H:%M}"
