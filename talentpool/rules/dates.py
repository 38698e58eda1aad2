"""When the dates of a worker's record may lie: not in the future, not before the person was born,
and an employment not ending before it began. One wording per rule, whichever path (form, API,
import, service) refuses the date."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

__all__ = ["DatedEvent", "InvalidEventDate", "check_event_date", "employment_end_error", "event_date_error"]


class InvalidEventDate(ValueError):
    """A date of a record that cannot be; the message is Chinese."""


class DatedEvent(StrEnum):
    """What a date is the date of; ``label`` is the Chinese the messages name it by."""

    WORK_START = "work_start"
    EMPLOYMENT_START = "employment_start"
    EMPLOYMENT_END = "employment_end"
    CERTIFICATE_ISSUED = "certificate_issued"
    HONOUR_AWARDED = "honour_awarded"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    DatedEvent.WORK_START: "参加工作时间",
    DatedEvent.EMPLOYMENT_START: "入职时间",
    DatedEvent.EMPLOYMENT_END: "离职日期",
    DatedEvent.CERTIFICATE_ISSUED: "发证日期",
    DatedEvent.HONOUR_AWARDED: "授予日期",
}


def event_date_error(event: DatedEvent, day: date, *, today: date, birth: date | None = None) -> str | None:
    """Why ``day`` cannot be the date of ``event``: later than ``today``, or before ``birth`` (the
    person's birth date, when known); None if it can. The message names the event and the date,
    never the birth date (beside a masked ID number it would give the number away)."""
    if day > today:
        return f"{event.label}（{day.isoformat()}）晚于今天"
    if birth is not None and day < birth:
        return f"{event.label}（{day.isoformat()}）早于出生日期"
    return None


def employment_end_error(end: date, *, start: date, today: date, birth: date | None = None) -> str | None:
    """Why an employment that began on ``start`` cannot end on ``end``; None if it can."""
    if error := event_date_error(DatedEvent.EMPLOYMENT_END, end, today=today, birth=birth):
        return error
    if end < start:
        return (f"{DatedEvent.EMPLOYMENT_END.label}（{end.isoformat()}）早于"
                f"{DatedEvent.EMPLOYMENT_START.label}（{start.isoformat()}）")
    return None


def check_event_date(event: DatedEvent, day: date, *, today: date, birth: date | None = None) -> None:
    """Raise :class:`InvalidEventDate` with the message of :func:`event_date_error`, if any."""
    if error := event_date_error(event, day, today=today, birth=birth):
        raise InvalidEventDate(error)
