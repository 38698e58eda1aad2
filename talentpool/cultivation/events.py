"""The cultivation app's audit events (dotted ``cultivation.subject.verb`` names, core.registry).
Creating, changing, deleting, importing and exporting a record are core's events
(core.models.AuditAction); these name what is particular to cultivation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TRAINING_EVENTS: dict[str, object] = {}

COMPETITION_EVENTS: dict[str, object] = {}

INNOVATION_EVENTS: dict[str, object] = {}

MENTORSHIP_COMPLETE = "cultivation.mentorship.complete"
MENTORSHIP_END = "cultivation.mentorship.end"

MENTORSHIP_EVENTS: dict[str, object] = {
    MENTORSHIP_COMPLETE: _("completed a master–apprentice pair"),
    MENTORSHIP_END: _("ended a master–apprentice pair early"),
}

STUDIO_EVENTS: dict[str, object] = {}

EVENTS = {**TRAINING_EVENTS, **COMPETITION_EVENTS, **INNOVATION_EVENTS, **MENTORSHIP_EVENTS, **STUDIO_EVENTS}

__all__ = ["EVENTS", "_"]
