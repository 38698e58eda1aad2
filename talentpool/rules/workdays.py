"""Working days under the State Council's yearly holiday arrangement (公示期 and the like).

The ``chinesecalendar`` package carries the arrangement for the years it knows and raises
``NotImplementedError`` for others; we refuse to guess Monday–Friday for such years unless an
administrator has entered that year's arrangement (``extra_years``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Protocol, runtime_checkable

import chinese_calendar

__all__ = [
    "CalendarUnknown",
    "StatutoryCalendar",
    "WorkdayCalendar",
    "add_workdays",
    "is_exception",
    "library_years",
    "notice_end",
    "seed_days",
    "workdays_between",
]

# Never scan further than this for a working day: a calendar without one is broken.
_MAX_SCAN_DAYS = 3660


class CalendarUnknown(ValueError):
    """The holiday arrangement of a year has not been entered."""

    def __init__(self, year: int, purpose: str = "计算工作日") -> None:
        self.year = year
        super().__init__(f"{year} 年的法定节假日安排尚未录入，无法{purpose}")


@runtime_checkable
class WorkdayCalendar(Protocol):
    """Anything that can tell working days; raises :class:`CalendarUnknown` when it can't."""

    def is_workday(self, d: date) -> bool: ...

    @property
    def known_years(self) -> frozenset[int]: ...


@functools.cache
def library_years() -> frozenset[int]:
    """Years for which the installed ``chinesecalendar`` has the holiday arrangement."""
    years = set()
    for year in range(1990, 2200):
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            continue
        years.add(year)
    return frozenset(years)


class StatutoryCalendar:
    """``chinesecalendar`` plus admin-entered overrides.

    ``overrides`` maps a date to whether it is a working day and always wins. For a year in
    ``extra_years`` (the administrator has entered that year's arrangement fully) a date without
    an override is a working day exactly when it is Monday–Friday.
    """

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        extra_years: Iterable[int] = (),
    ) -> None:
        self._overrides: dict[date, bool] = dict(overrides or {})
        self._extra_years = frozenset(extra_years)

    @property
    def known_years(self) -> frozenset[int]:
        return library_years() | self._extra_years

    def is_workday(self, d: date) -> bool:
        if d in self._overrides:
            return self._overrides[d]
        if d.year in self._extra_years:
            return d.weekday() < 5
        try:
            return bool(chinese_calendar.is_workday(d))
        except NotImplementedError:
            raise CalendarUnknown(d.year) from None

    def __repr__(self) -> str:
        return (
            f"StatutoryCalendar(overrides={len(self._overrides)} days, "
            f"extra_years={sorted(self._extra_years)})"
        )


_DEFAULT = StatutoryCalendar()


def _calendar(calendar: WorkdayCalendar | None) -> WorkdayCalendar:
    return _DEFAULT if calendar is None else calendar


def _require_positive(working_days: int) -> None:
    if working_days < 1:
        raise ValueError(f"工作日天数应至少为 1，实为 {working_days}")


def _unknown(exc: CalendarUnknown, purpose: str) -> CalendarUnknown:
    return CalendarUnknown(exc.year, purpose)


def notice_end(start: date, working_days: int, calendar: WorkdayCalendar | None = None) -> date:
    """Last day of a notice of ``working_days`` working days starting on ``start``.

    ``start`` counts as the first working day when it is one. Raises :class:`CalendarUnknown`
    when the window reaches a year without data.
    """
    _require_positive(working_days)
    cal = _calendar(calendar)
    counted = 0
    day = start
    try:
        for _ in range(working_days + _MAX_SCAN_DAYS):
            if cal.is_workday(day):
                counted += 1
                if counted == working_days:
                    return day
            day += timedelta(days=1)
    except CalendarUnknown as exc:
        raise _unknown(exc, "计算公示期截止日") from None
    raise ValueError(f"自 {start.isoformat()} 起很长时间内没有工作日，请检查节假日设置")


def add_workdays(start: date, days: int, calendar: WorkdayCalendar | None = None) -> date:
    """The ``days``-th working day after ``start`` (before it when negative); ``start`` itself
    is not counted. ``days == 0`` returns ``start`` unchanged."""
    cal = _calendar(calendar)
    step = timedelta(days=1 if days > 0 else -1)
    remaining = abs(days)
    day = start
    scanned = 0
    while remaining:
        day += step
        scanned += 1
        if scanned > abs(days) + _MAX_SCAN_DAYS:
            raise ValueError(f"自 {start.isoformat()} 起很长时间内没有工作日，请检查节假日设置")
        if cal.is_workday(day):
            remaining -= 1
    return day


def workdays_between(start: date, end: date, calendar: WorkdayCalendar | None = None) -> int:
    """Number of working days from ``start`` to ``end``, both included (0 if end < start)."""
    cal = _calendar(calendar)
    count = 0
    day = start
    while day <= end:
        count += cal.is_workday(day)
        day += timedelta(days=1)
    return count


def is_exception(d: date, is_workday: bool) -> bool:
    """Whether a calendar row says something Monday–Friday does not: a holiday on a weekday or a
    make-up working day on a weekend. The calendar table holds only such rows."""
    return is_workday != (d.weekday() < 5)


def _holiday_name(d: date) -> str:
    try:
        _, name = chinese_calendar.get_holiday_detail(d)
    except (NotImplementedError, KeyError, ValueError):
        return ""
    if not name:
        return ""
    try:
        return str(chinese_calendar.Holiday(name).chinese)
    except (ValueError, AttributeError):
        return str(name)


def seed_days(year: int) -> list[tuple[date, bool, str]]:
    """The year's exceptions to Monday–Friday as ``(date, is_workday, name)``.

    Holidays falling on weekdays (name e.g. ``国庆节``) and make-up working days on weekends
    (name e.g. ``国庆节调休上班``), to seed the admin-editable calendar table.
    """
    if year not in library_years():
        raise CalendarUnknown(year, "生成节假日表")
    rows: list[tuple[date, bool, str]] = []
    day = date(year, 1, 1)
    while day.year == year:
        workday = bool(chinese_calendar.is_workday(day))
        if is_exception(day, workday):
            name = _holiday_name(day)
            if workday:
                name = f"{name}调休上班" if name else "调休上班"
            rows.append((day, workday, name or "休息日"))
        day += timedelta(days=1)
    return rows
