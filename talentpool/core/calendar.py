"""The statutory working-day calendar as the programme uses it: chinesecalendar's data, seeded
into the admin-editable CalendarDay table, whose rows always win. A year beyond the library's
data becomes usable once an admin enters its arrangement and marks the CalendarYear complete."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from talentpool.rules import workdays

from .models import CalendarDay, CalendarYear


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
