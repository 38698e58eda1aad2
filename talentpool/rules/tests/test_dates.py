from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentpool.rules.dates import (
    DatedEvent,
    InvalidEventDate,
    check_event_date,
    employment_end_error,
    event_date_error,
)

TODAY = date(2026, 6, 1)
BIRTH = date(1985, 3, 7)


@pytest.mark.parametrize(
    ("event", "day", "expected"),
    [
        (DatedEvent.CERTIFICATE_ISSUED, date(2026, 6, 2), "发证日期（2026-06-02）晚于今天"),
        (DatedEvent.HONOUR_AWARDED, date(2030, 1, 1), "授予日期（2030-01-01）晚于今天"),
        (DatedEvent.WORK_START, date(2027, 1, 1), "参加工作时间（2027-01-01）晚于今天"),
        (DatedEvent.EMPLOYMENT_START, date(2026, 12, 31), "入职时间（2026-12-31）晚于今天"),
        (DatedEvent.EMPLOYMENT_END, date(2026, 7, 1), "离职日期（2026-07-01）晚于今天"),
        (DatedEvent.CERTIFICATE_ISSUED, date(1985, 3, 6), "发证日期（1985-03-06）早于出生日期"),
        (DatedEvent.HONOUR_AWARDED, date(1980, 1, 1), "授予日期（1980-01-01）早于出生日期"),
        (DatedEvent.WORK_START, date(1970, 7, 1), "参加工作时间（1970-07-01）早于出生日期"),
        (DatedEvent.EMPLOYMENT_START, date(1984, 12, 31), "入职时间（1984-12-31）早于出生日期"),
        (DatedEvent.CERTIFICATE_ISSUED, TODAY, None),
        (DatedEvent.CERTIFICATE_ISSUED, BIRTH, None),
        (DatedEvent.WORK_START, date(2003, 7, 1), None),
    ],
)
def test_event_date_error(event: DatedEvent, day: date, expected: str | None) -> None:
    assert event_date_error(event, day, today=TODAY, birth=BIRTH) == expected
    if expected is None:
        check_event_date(event, day, today=TODAY, birth=BIRTH)
    else:
        with pytest.raises(InvalidEventDate) as raised:
            check_event_date(event, day, today=TODAY, birth=BIRTH)
        assert str(raised.value) == expected


def test_without_a_birth_date_only_the_future_is_refused() -> None:
    assert event_date_error(DatedEvent.CERTIFICATE_ISSUED, date(1900, 1, 1), today=TODAY) is None
    assert event_date_error(DatedEvent.CERTIFICATE_ISSUED, date(2027, 1, 1), today=TODAY) == (
        "发证日期（2027-01-01）晚于今天")


def test_the_birth_date_never_appears_in_a_message() -> None:
    message = event_date_error(DatedEvent.HONOUR_AWARDED, date(1985, 3, 1), today=TODAY, birth=BIRTH)
    assert message is not None and "1985-03-07" not in message


@pytest.mark.parametrize(
    ("end", "start", "expected"),
    [
        (date(2020, 1, 1), date(2021, 5, 1), "离职日期（2020-01-01）早于入职时间（2021-05-01）"),
        (date(2021, 5, 1), date(2021, 5, 1), None),
        (date(2025, 6, 30), date(2021, 5, 1), None),
        (date(2026, 6, 2), date(2021, 5, 1), "离职日期（2026-06-02）晚于今天"),
        (date(1984, 1, 1), date(1983, 1, 1), "离职日期（1984-01-01）早于出生日期"),
    ],
)
def test_employment_end_error(end: date, start: date, expected: str | None) -> None:
    assert employment_end_error(end, start=start, today=TODAY, birth=BIRTH) == expected


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)), st.sampled_from(list(DatedEvent)))
@settings(max_examples=300)
def test_a_date_is_refused_exactly_when_after_today_or_before_birth(day: date, event: DatedEvent) -> None:
    error = event_date_error(event, day, today=TODAY, birth=BIRTH)
    assert (error is not None) == (day > TODAY or day < BIRTH)
    if error is not None:
        assert error.startswith(f"{event.label}（{day.isoformat()}）")


@given(st.dates(min_value=BIRTH, max_value=TODAY), st.integers(min_value=1, max_value=5000))
@settings(max_examples=200)
def test_an_end_before_its_start_is_refused(end: date, days: int) -> None:
    start = end + timedelta(days=days)
    assert employment_end_error(end, start=start, today=TODAY, birth=BIRTH) == (
        f"离职日期（{end.isoformat()}）早于入职时间（{start.isoformat()}）")
