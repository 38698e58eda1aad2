from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentpool.rules.text import (
    InvalidDate,
    normalise_code,
    normalise_text,
    parse_loose_date,
    parse_loose_month,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  慎建民  ", "慎建民"),
        ("ＡＢＣ１２３", "ABC123"),
        ("a\u3000\u3000b", "a b"),
        ("a\u00a0 \t\nb", "a b"),
        ("湖州、南浔", "湖州、南浔"),
        ("0572－1234567", "0572-1234567"),
        ("\ufeff张\u200b三", "张三"),
        ("", ""),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 9131 0115 ma1k3btp2b ", "91310115MA1K3BTP2B"),
        ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
        ("\u3000y 0001\t", "Y0001"),
    ],
)
def test_normalise_code(raw: str, expected: str) -> None:
    assert normalise_code(raw) == expected


@given(st.text(max_size=40))
@settings(max_examples=200)
def test_normalise_text_is_idempotent_and_trimmed(s: str) -> None:
    once = normalise_text(s)
    assert normalise_text(once) == once
    assert once == once.strip()
    assert "  " not in once


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2018, 5, 3), date(2018, 5, 3)),
        (datetime(2018, 5, 3, 14, 30), date(2018, 5, 3)),
        ("2018.05", date(2018, 5, 1)),
        ("2018.5", date(2018, 5, 1)),
        ("2018.10", date(2018, 10, 1)),
        ("2018年5月", date(2018, 5, 1)),
        ("2018年5月3日", date(2018, 5, 3)),
        ("2018 年 5 月 3 日", date(2018, 5, 3)),
        ("2018年", date(2018, 1, 1)),
        ("2018-05-01", date(2018, 5, 1)),
        ("2018/5/1", date(2018, 5, 1)),
        ("2018.5.1", date(2018, 5, 1)),
        ("20180501", date(2018, 5, 1)),
        ("201805", date(2018, 5, 1)),
        ("2018-05", date(2018, 5, 1)),
        ("2018", date(2018, 1, 1)),
        ("２０１８．０５", date(2018, 5, 1)),
        ("２０１８年５月", date(2018, 5, 1)),
        ("2018-05-01 00:00:00", date(2018, 5, 1)),
        ("2018-05-01T08:30", date(2018, 5, 1)),
        ("43101", date(2018, 1, 1)),
        ("43101.0", date(2018, 1, 1)),
        # Excel serials, 1900 date system with the leap-year bug
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (43101, date(2018, 1, 1)),
        (43101.75, date(2018, 1, 1)),
        (45658.0, date(2025, 1, 1)),
        (Decimal("43101"), date(2018, 1, 1)),
        # shapes people type that Excel turns into numbers
        (2018, date(2018, 1, 1)),
        (20180501, date(2018, 5, 1)),
        (2018.05, date(2018, 5, 1)),
        (2018.5, date(2018, 5, 1)),
        (2018.12, date(2018, 12, 1)),
    ],
)
def test_parse_loose_date(value: object, expected: date) -> None:
    assert parse_loose_date(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2018.13", "无法识别的日期“2018.13”：月份应在 1–12 之间"),
        ("2018-02-30", "无法识别的日期“2018-02-30”：2018 年 2 月没有 30 日"),
        ("2018年0月", "月份应在 1–12 之间"),
        ("1700-01-01", "年份应在 1800–2199 之间"),
        ("昨天", "请使用如 2018-05-01"),
        ("18.5", "请使用如"),
        ("", "日期为空"),
        ("   ", "日期为空"),
        (None, "日期为空"),
        (60, "1900-02-29"),
        (0, "从 1"),
        (-5, "从 1"),
        (float("nan"), "不是有效的数值"),
        (10**9, "数值过大"),
        (2018.1, "无法区分 1 月与 10 月"),
        (True, "无法识别"),
        ([2018, 5], "不支持的类型"),
    ],
)
def test_parse_loose_date_rejects(value: object, message: str) -> None:
    with pytest.raises(InvalidDate) as info:
        parse_loose_date(value)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


def test_parse_loose_month_defaults_day() -> None:
    assert parse_loose_month("2018年5月3日") == date(2018, 5, 1)
    assert parse_loose_month(date(2018, 5, 31)) == date(2018, 5, 1)


_dates = st.dates(min_value=date(1900, 3, 1), max_value=date(2199, 12, 31))


@given(_dates)
@settings(max_examples=200)
def test_string_formats_round_trip(d: date) -> None:
    assert parse_loose_date(d.isoformat()) == d
    assert parse_loose_date(f"{d.year}/{d.month}/{d.day}") == d
    assert parse_loose_date(f"{d.year}年{d.month}月{d.day}日") == d
    assert parse_loose_date(d.strftime("%Y%m%d")) == d
    assert parse_loose_month(f"{d.year}.{d.month:02d}") == d.replace(day=1)


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2199, 12, 31)))
@settings(max_examples=200)
def test_excel_serial_round_trip(d: date) -> None:
    serial = (d - date(1899, 12, 30)).days
    if 1900 <= serial <= 2100:  # read as a bare year instead
        return
    assert parse_loose_date(serial) == d
    assert parse_loose_date(float(serial) + 0.5) == d
    assert parse_loose_date(d - timedelta(days=0)) == d


def test_after_today_asks_the_clock_for_days_after_the_process_started(monkeypatch) -> None:
    from datetime import date, timedelta

    from talentpool.rules import text

    today = date.today()
    assert (text.after_today(today - timedelta(days=1)), text.after_today(today)) == (False, False)
    assert text.after_today(today + timedelta(days=1)) is True
    # A process started days ago: a day since then is checked against the real clock.
    monkeypatch.setattr(text, "_STARTED_ON", today - timedelta(days=3))
    assert (text.after_today(today - timedelta(days=1)), text.after_today(today + timedelta(days=1))) == (False, True)
