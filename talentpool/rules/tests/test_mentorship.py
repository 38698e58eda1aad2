from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentpool.rules.mentorship import (
    OWN_MASTER,
    InvalidAmount,
    Period,
    closing_date_error,
    date_errors,
    overlapping,
    own_master_error,
    parse_yuan,
    periods_overlap,
)

D = date
TODAY = D(2026, 6, 1)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (Period(D(2020, 1, 1), D(2020, 12, 31)), Period(D(2021, 1, 1), D(2021, 12, 31)), False),  # next day
        (Period(D(2020, 1, 1), D(2020, 12, 31)), Period(D(2020, 12, 31), D(2021, 12, 31)), True),  # touching: D in both
        (Period(D(2020, 1, 1), D(2020, 12, 31)), Period(D(2020, 6, 1), D(2020, 7, 1)), True),  # inside
        (Period(D(2020, 1, 1), None), Period(D(2030, 1, 1), D(2030, 2, 1)), True),  # ongoing overlaps the future
        (Period(D(2020, 1, 1), None), Period(D(2019, 1, 1), D(2019, 12, 31)), False),  # ended before the start
        (Period(D(2020, 1, 1), None), Period(D(2019, 1, 1), D(2020, 1, 1)), True),  # ends on the start day
        (Period(D(2020, 1, 1), None), Period(D(2010, 1, 1), None), True),  # two ongoing pairs
        (Period(D(2020, 1, 1), D(2020, 1, 1)), Period(D(2020, 1, 1), D(2020, 1, 1)), True),  # one day, same day
        (Period(D(2020, 1, 1), D(2020, 1, 1)), Period(D(2020, 1, 2), None), False),
    ],
)
def test_periods_overlap(a: Period, b: Period, expected: bool) -> None:
    assert periods_overlap(a, b) is expected
    assert periods_overlap(b, a) is expected  # symmetric


days = st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 12, 31))


@st.composite
def periods(draw: st.DrawFn) -> Period:
    start = draw(days)
    end = draw(st.one_of(st.none(), days.filter(lambda d: d >= start)))
    return Period(start, end)


@given(periods(), periods())
def test_overlap_means_a_common_day(a: Period, b: Period) -> None:
    far = D(2100, 1, 1)
    last_start = max(a.start, b.start)
    first_end = min(a.end or far, b.end or far)
    assert periods_overlap(a, b) == (last_start <= first_end)


def test_overlapping_names_the_first_clash() -> None:
    others = [Period(D(2018, 1, 1), D(2018, 12, 31)), Period(D(2019, 6, 1), None)]
    assert overlapping(Period(D(2020, 1, 1)), others) == others[1]
    assert overlapping(Period(D(2017, 1, 1), D(2017, 12, 31)), others) is None
    assert overlapping(Period(D(2017, 1, 1)), []) is None


def test_a_worker_is_not_their_own_master() -> None:
    assert own_master_error(7, 7) == OWN_MASTER == "师傅和徒弟不能是同一名职工"
    assert own_master_error(7, 8) is None
    assert own_master_error(None, None) is None


@pytest.mark.parametrize(
    ("start", "end", "births", "expected"),
    [
        (D(2020, 1, 1), None, (None, None), {}),
        (D(2020, 1, 1), D(2020, 1, 1), (None, None), {}),
        (D(2020, 1, 2), D(2020, 1, 1), (None, None), {"end_date": "结束日期（2020-01-01）早于开始日期（2020-01-02）"}),
        (D(2026, 6, 2), None, (None, None), {"start_date": "开始日期（2026-06-02）晚于今天"}),
        (TODAY, D(2027, 1, 1), (None, None), {}),  # an agreed term may end in the future
        (D(1990, 1, 1), None, (D(1990, 1, 2), None), {"start_date": "开始日期（1990-01-01）早于师傅的出生日期"}),
        (D(1990, 1, 1), None, (None, D(1995, 3, 7)), {"start_date": "开始日期（1990-01-01）早于徒弟的出生日期"}),
        (D(1990, 1, 2), None, (D(1990, 1, 2), D(1980, 1, 1)), {}),
    ],
)
def test_date_errors(
    start: date, end: date | None, births: tuple[date | None, date | None], expected: dict[str, str]
) -> None:
    errors = date_errors(start, end, today=TODAY, master_birth=births[0], apprentice_birth=births[1])
    assert errors == expected
    for message in errors.values():
        for birth in births:
            assert birth is None or birth.isoformat() not in message  # never the birth date


def test_closing_date_error() -> None:
    start = D(2024, 3, 1)
    assert closing_date_error(TODAY, start=start, today=TODAY) is None
    assert closing_date_error(start, start=start, today=TODAY) is None
    assert closing_date_error(D(2026, 6, 2), start=start, today=TODAY) == "结束日期（2026-06-02）晚于今天"
    assert closing_date_error(D(2024, 2, 29), start=start, today=TODAY) == (
        "结束日期（2024-02-29）早于开始日期（2024-03-01）"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,234.5", Decimal("1234.50")),
        ("１２３４．５", Decimal("1234.50")),
        ("１，２３４", Decimal("1234.00")),
        ("¥ 12 000 元", Decimal("12000.00")),
        ("￥3.456", Decimal("3.46")),
        ("0", Decimal("0.00")),
        (1234.5, Decimal("1234.50")),
        (500, Decimal("500.00")),
        (Decimal("7.1"), Decimal("7.10")),
    ],
)
def test_parse_yuan(value: object, expected: Decimal) -> None:
    assert parse_yuan(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "金额不能为负数"),
        ("abc", "无法识别的金额“abc”，应为数字（元），如 1234.50"),
        ("NaN", "无法识别的金额“NaN”，应为数字（元），如 1234.50"),
        ("Infinity", "无法识别的金额“Infinity”，应为数字（元），如 1234.50"),
        ("1e30", "金额过大"),
        (True, "金额应为数字（元）"),
    ],
)
def test_parse_yuan_refuses(value: object, message: str) -> None:
    with pytest.raises(InvalidAmount) as info:
        parse_yuan(value)
    assert str(info.value) == message
