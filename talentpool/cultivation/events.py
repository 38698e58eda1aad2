"""The cultivation app's audit events (dotted ``cultivation.subject.verb`` names, core.registry).
Creating, changing, deleting, importing and exporting a record are core's events
(core.models.AuditAction); these name what is particular to cultivation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TRAINING_EVENTS: dict[str, object] = {}

COMPETITION_RESULTS = "cultivation.competition.results"
COMPETITION_ENTER = "cultivation.entry.enter"
COMPETITION_WITHDRAW = "cultivation.entry.withdraw"
PROMOTION_PROPOSE = "cultivation.promotion.propose"
PROMOTION_WITHDRAW = "cultivation.promotion.withdraw"
PROMOTION_CONFIRM = "cultivation.promotion.confirm"
PROMOTION_REFUSE = "cultivation.promotion.refuse"

COMPETITION_EVENTS: dict[str, object] = {
    COMPETITION_RESULTS: _("recorded the results of a competition event"),
    COMPETITION_ENTER: _("entered a worker in a competition event"),
    COMPETITION_WITHDRAW: _("withdrew a competition entry"),
    PROMOTION_PROPOSE: _("proposed a promotion from a competition result"),
    PROMOTION_WITHDRAW: _("withdrew a proposed promotion"),
    PROMOTION_CONFIRM: _("confirmed a promotion from a competition result"),
    PROMOTION_REFUSE: _("refused a promotion from a competition result"),
}

INNOVATION_EVALUATE = "cultivation.innovation.evaluate"
INNOVATION_COMMEND = "cultivation.innovation.commend"
INNOVATION_NOT_COMMENDED = "cultivation.innovation.not_commended"

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
