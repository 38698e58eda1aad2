from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentpool.rules.workdays import (
    CalendarUnknown,
    StatutoryCalendar,
    WorkdayCalendar,
    add_workdays,
    library_years,
    notice_end,
    seed_days,
    workdays_between,
)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 9, 26), date(2025, 10, 9)),  # make-up workday 9-28, National Day
        (date(2025, 1, 24), date(2025, 2, 6)),  # Spring Festival, make-up 1-26 and 2-8
        (date(2026, 2, 12), date(2026, 2, 25)),
        (date(2025, 6, 2), date(2025, 6, 9)),  # starts on a holiday (端午): not counted
        (date(2025, 3, 3), date(2025, 3, 7)),  # plain week
        (date(2025, 3, 1), date(2025, 3, 7)),  # starts on a Saturday
    ],
)
def test_five_day_notice(start: date, end: date) -> None:
    assert notice_end(start, 5) == end


def test_one_day_notice_on_workday_is_same_day() -> None:
    assert notice_end(date(2025, 9, 28), 1) == date(2025, 9, 28)  # Sunday make-up workday


def test_working_days_must_be_positive() -> None:
    with pytest.raises(ValueError, match="工作日天数应至少为 1"):
        notice_end(date(2025, 1, 2), 0)


def test_library_years() -> None:
    years = library_years()
    assert {2004, 2025, 2026} <= years
    assert 2003 not in years


def test_unknown_year_is_refused() -> None:
    with pytest.raises(CalendarUnknown) as info:
        notice_end(date(2026, 12, 28), 5)
    assert str(info.value) == "2027 年的法定节假日安排尚未录入，无法计算公示期截止日"
    assert info.value.year == 2027
    assert isinstance(info.value, ValueError)
    with pytest.raises(CalendarUnknown):
        StatutoryCalendar().is_workday(date(2027, 3, 1))


def test_extra_year_uses_overrides_then_monday_to_friday() -> None:
    overrides = {date(2027, 1, 1): False, date(2026, 12, 31): False}
    calendar = StatutoryCalendar(overrides, extra_years=[2027])
    assert 2027 in calendar.known_years
    # 12-28 … 12-30 (3), 12-31 overridden off, 2027-01-01 off, 01-04, 01-05
    assert notice_end(date(2026, 12, 28), 5, calendar) == date(2027, 1, 5)
    assert calendar.is_workday(date(2027, 1, 2)) is False  # Saturday


def test_override_wins_over_library() -> None:
    calendar = StatutoryCalendar({date(2025, 10, 8): True, date(2025, 9, 29): False})
    assert calendar.is_workday(date(2025, 10, 8)) is True
    assert calendar.is_workday(date(2025, 9, 29)) is False
    assert notice_end(date(2025, 9, 26), 5, calendar) == date(2025, 10, 9)


def test_partial_overrides_do_not_make_a_year_known() -> None:
    calendar = StatutoryCalendar({date(2027, 1, 1): False})
    assert calendar.is_workday(date(2027, 1, 1)) is False
    with pytest.raises(CalendarUnknown):
        calendar.is_workday(date(2027, 1, 4))


def test_calendar_satisfies_protocol() -> None:
    assert isinstance(StatutoryCalendar(), WorkdayCalendar)


def test_calendar_without_workdays_fails_cleanly() -> None:
    class Never:
        known_years = frozenset({2025})

        def is_workday(self, d: date) -> bool:
            return False

    with pytest.raises(ValueError, match="没有工作日"):
        notice_end(date(2025, 1, 1), 1, Never())


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2025, 9, 26), 1, date(2025, 9, 28)),
        (date(2025, 9, 30), 1, date(2025, 10, 9)),
        (date(2025, 10, 9), -1, date(2025, 9, 30)),
        (date(2025, 10, 3), 0, date(2025, 10, 3)),
        (date(2025, 1, 24), 4, date(2025, 2, 6)),
    ],
)
def test_add_workdays(start: date, days: int, expected: date) -> None:
    assert add_workdays(start, days) == expected


def test_workdays_between() -> None:
    assert workdays_between(date(2025, 9, 26), date(2025, 10, 9)) == 5
    assert workdays_between(date(2025, 10, 1), date(2025, 10, 8)) == 0
    assert workdays_between(date(2025, 10, 9), date(2025, 10, 1)) == 0


def test_seed_days_2025() -> None:
    rows = seed_days(2025)
    by_date = {d: (workday, name) for d, workday, name in rows}
    assert by_date[date(2025, 1, 1)] == (False, "元旦")
    assert by_date[date(2025, 9, 28)] == (True, "国庆节调休上班")
    assert by_date[date(2025, 10, 8)] == (False, "国庆节")
    assert by_date[date(2025, 10, 6)] == (False, "中秋")
    assert date(2025, 10, 4) not in by_date  # Saturday holiday: already off Monday–Friday
    assert len([r for r in rows if r[1]]) == 5  # make-up workdays in 2025
    # Seeding a Monday–Friday calendar with these rows reproduces the library.
    calendar = StatutoryCalendar({d: w for d, w, _ in rows}, extra_years=[2025])
    library = StatutoryCalendar()
    day = date(2025, 1, 1)
    while day.year == 2025:
        assert calendar.is_workday(day) == library.is_workday(day)
        day += timedelta(days=1)


def test_seed_days_unknown_year() -> None:
    with pytest.raises(CalendarUnknown, match="2027 年"):
        seed_days(2027)


_starts = st.dates(min_value=date(2004, 3, 1), max_value=date(2026, 10, 31))


@given(_starts, st.integers(1, 30))
@settings(max_examples=200, deadline=None)
def test_notice_end_counts_exactly_n_workdays(start: date, n: int) -> None:
    end = notice_end(start, n)
    calendar = StatutoryCalendar()
    assert calendar.is_workday(end)
    assert end >= start
    assert workdays_between(start, end) == n
    if n > 1:
        assert notice_end(start, n - 1) < end
    first = start if calendar.is_workday(start) else add_workdays(start, 1)
    assert add_workdays(first, n - 1) == end


@given(_starts, st.integers(-20, 20))
@settings(max_examples=100, deadline=None)
def test_add_workdays_inverse(start: date, n: int) -> None:
    calendar = StatutoryCalendar()
    if not calendar.is_workday(start):
        return
    assert add_workdays(add_workdays(start, n), -n) == start
