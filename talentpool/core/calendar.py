"""The statutory working-day calendar as the programme uses it: chinesecalendar's data, seeded
into the admin-editable CalendarDay table, whose rows always win. A year beyond the library's
data becomes usable once an admin enters its arrangement and marks the CalendarYear complete."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentpool.rules import workdays

from .audit import diff, record
from .exceptions import ServiceError
from .models import CalendarDay, CalendarYear, User

AUDIT_EVENTS = {
    "calendar.day.create": gettext_lazy("added a day to the working-day calendar"),
    "calendar.day.update": gettext_lazy("changed a day of the working-day calendar"),
    "calendar.day.delete": gettext_lazy("removed a day from the working-day calendar"),
    "calendar.year.complete": gettext_lazy("marked a year's holiday arrangement complete"),
    "calendar.year.reopen": gettext_lazy("marked a year's holiday arrangement incomplete"),
}


class CalendarRefused(ServiceError):
    """The calendar change would not hold; nothing was changed."""


def statutory_calendar() -> workdays.StatutoryCalendar:
    overrides = dict(CalendarDay.objects.values_list("day", "is_workday"))
    years = CalendarYear.objects.filter(is_complete=True).values_list("year", flat=True)
    return workdays.StatutoryCalendar(overrides=overrides, extra_years=years)


def notice_end(start: date, working_days: int) -> date:
    """Last day of a public notice; raises workdays.CalendarUnknown for a year with no data."""
    return workdays.notice_end(start, working_days, statutory_calendar())


@transaction.atomic
def seed_year(year: int) -> int:
    """Copy chinesecalendar's arrangement for ``year`` into the table; keeps admin edits."""
    created = 0
    for day, is_workday, note in workdays.seed_days(year):
        _, was_created = CalendarDay.objects.get_or_create(day=day, defaults={"is_workday": is_workday, "note": note})
        created += was_created
    CalendarYear.objects.get_or_create(year=year, defaults={"is_complete": True})
    return created


def check_day(day: date, is_workday: bool) -> None:
    """A row is an exception to Monday–Friday (rules.workdays.is_exception), or it is refused."""
    if workdays.is_exception(day, is_workday):
        return
    if is_workday:
        raise CalendarRefused(
            _("%(day)s is a weekday, a working day already: a make-up working day falls on a Saturday or a Sunday.")
            % {"day": day.isoformat()}
        )
    raise CalendarRefused(
        _("%(day)s is a Saturday or a Sunday, a rest day already: a holiday entered here falls on a weekday.")
        % {"day": day.isoformat()}
    )


def _values(row: CalendarDay) -> dict[str, object]:
    return {"day": row.day, "is_workday": row.is_workday, "note": row.note}


@transaction.atomic
def save_day(
    *, day: date, is_workday: bool, note: str, actor: User, instance: CalendarDay | None = None
) -> CalendarDay:
    """Add a day to the calendar table, or change one (``instance``); audited."""
    check_day(day, is_workday)
    clash = CalendarDay.objects.filter(day=day)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise CalendarRefused(
            _("%(day)s is already in the calendar: change that row instead.") % {"day": day.isoformat()}
        )
    if instance is None:
        row = CalendarDay.objects.create(day=day, is_workday=is_workday, note=note.strip())
        record(actor, "calendar.day.create", row, changes=diff({}, _values(row)))
        return row
    row = CalendarDay.objects.select_for_update().get(pk=instance.pk)
    before = _values(row)
    row.day, row.is_workday, row.note = day, is_workday, note.strip()
    changes = diff(before, _values(row))
    if changes:
        row.save()
        record(actor, "calendar.day.update", row, changes=changes)
    return row


@transaction.atomic
def delete_day(row: CalendarDay, *, actor: User) -> None:
    row = CalendarDay.objects.select_for_update().get(pk=row.pk)
    record(actor, "calendar.day.delete", row, changes=diff(_values(row), {}))
    row.delete()


@transaction.atomic
def set_year_complete(year: int, complete: bool, *, actor: User) -> CalendarYear:
    """Mark a year's holiday arrangement entered in full (working days in it can then be counted)
    or not. A year the library does not know is refused as complete while it has no holiday."""
    row, _created = CalendarYear.objects.select_for_update().get_or_create(year=year, defaults={"is_complete": False})
    if row.is_complete == complete:
        return row
    entered = CalendarDay.objects.filter(day__year=year, is_workday=False).exists()
    if complete and year not in workdays.library_years() and not entered:
        raise CalendarRefused(
            _("No holiday of %(year)s has been entered yet: enter the year's arrangement, then mark it complete.")
            % {"year": year}
        )
    row.is_complete = complete
    row.save(update_fields=["is_complete"])
    event = "calendar.year.complete" if complete else "calendar.year.reopen"
    record(actor, event, row, changes={"is_complete": [not complete, complete]})
    return row
