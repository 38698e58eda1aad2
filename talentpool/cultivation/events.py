"""The cultivation app's audit events (dotted ``cultivation.subject.verb`` names, core.registry).
Creating, changing, deleting, importing and exporting a record are core's events
(core.models.AuditAction); these name what is particular to cultivation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TRAINING_CLASS_ORDER = "cultivation.class.order"
TRAINING_CLASS_PLAN = "cultivation.class.plan"
TRAINING_CLASS_START = "cultivation.class.start"
TRAINING_CLASS_CLOSE = "cultivation.class.close"
TRAINING_CLASS_CANCEL = "cultivation.class.cancel"
TRAINING_COURSE_RETIRE = "cultivation.course.retire"
TRAINING_COURSE_RESTORE = "cultivation.course.restore"
TRAINING_ENROL = "cultivation.enrolment.enrol"
TRAINING_WITHDRAW = "cultivation.enrolment.withdraw"
TRAINING_RESULT = "cultivation.enrolment.result"
TRAINING_LEVEL_UP = "cultivation.enrolment.level_up"
TRAINING_ATTENDANCE = "cultivation.attendance.record"

TRAINING_EVENTS: dict[str, object] = {
    TRAINING_CLASS_ORDER: _("ordered a training class"),
    TRAINING_CLASS_PLAN: _("planned a training class"),
    TRAINING_CLASS_START: _("started a training class"),
    TRAINING_CLASS_CLOSE: _("closed a training class"),
    TRAINING_CLASS_CANCEL: _("cancelled a training class"),
    TRAINING_COURSE_RETIRE: _("retired a training course"),
    TRAINING_COURSE_RESTORE: _("restored a training course to the catalogue"),
    TRAINING_ENROL: _("enrolled a worker in a training class"),
    TRAINING_WITHDRAW: _("withdrew a training enrolment"),
    TRAINING_RESULT: _("recorded a training result"),
    TRAINING_LEVEL_UP: _("recorded a level-up after training"),
    TRAINING_ATTENDANCE: _("recorded training attendance"),
}

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

INNOVATION_EVENTS: dict[str, object] = {
    INNOVATION_EVALUATE: _("evaluated an innovation"),
    INNOVATION_COMMEND: _("commended an innovation"),
    INNOVATION_NOT_COMMENDED: _("recorded an innovation as not commended"),
}

MENTORSHIP_COMPLETE = "cultivation.mentorship.complete"
MENTORSHIP_END = "cultivation.mentorship.end"

MENTORSHIP_EVENTS: dict[str, object] = {
    MENTORSHIP_COMPLETE: _("completed a master–apprentice pair"),
    MENTORSHIP_END: _("ended a master–apprentice pair early"),
}

STUDIO_CLOSE = "cultivation.studio.close"
STUDIO_REOPEN = "cultivation.studio.reopen"
STUDIO_MEMBER_ADD = "cultivation.studio.member_add"
STUDIO_MEMBER_REMOVE = "cultivation.studio.member_remove"
STUDIO_RESULT = "cultivation.studio.result"

STUDIO_EVENTS: dict[str, object] = {
    STUDIO_CLOSE: _("closed an innovation studio"),
    STUDIO_REOPEN: _("reopened an innovation studio"),
    STUDIO_MEMBER_ADD: _("added a member to an innovation studio"),
    STUDIO_MEMBER_REMOVE: _("recorded a member leaving an innovation studio"),
    STUDIO_RESULT: _("recorded the yearly results of an innovation studio"),
}

EVENTS = {**TRAINING_EVENTS, **COMPETITION_EVENTS, **INNOVATION_EVENTS, **MENTORSHIP_EVENTS, **STUDIO_EVENTS}

__all__ = ["EVENTS", "_"]
