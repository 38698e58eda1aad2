"""Text and loose-date normalisation for user input and spreadsheet imports."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "InvalidDate",
    "after_today",
    "normalise_code",
    "normalise_text",
    "parse_loose_date",
    "parse_loose_month",
]

MIN_YEAR = 1800
MAX_YEAR = 2199

# Characters that are not whitespace to Python but behave like it (or are invisible) in pasted text.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


class InvalidDate(ValueError):
    """A value that cannot be read as a calendar date; the message is for users."""


def normalise_text(s: str) -> str:
    """NFKC-normalise (full-width letters, digits, punctuation and spaces become ASCII),
    drop zero-width characters, collapse whitespace runs to one space and strip.

    Chinese punctuation without an ASCII compatibility form (、。《》 …) is kept as is.
    """
    if s.isascii():  # NFKC leaves ASCII as it is, and zero-width characters are not ASCII
        return " ".join(s.split())
    s = unicodedata.normalize("NFKC", s).translate(_INVISIBLE)
    return " ".join(s.split())


_STARTED_ON = date.today()  # when this process started: never later than today


def after_today(day: date) -> bool:
    """Whether ``day`` is later than today. Asks the clock only for days after the process started:
    an import checks tens of thousands of dates, and reading the clock is most of such a check."""
    return day > _STARTED_ON and day > date.today()


def normalise_code(s: str) -> str:
    """Like :func:`normalise_text`, then remove all whitespace and upper-case (codes, numbers)."""
    return "".join(normalise_text(s).split()).upper()


# ---------------------------------------------------------------------------------------------
# Loose dates

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 61 == 1900-03-01 with this epoch
_EXCEL_MAX_SERIAL = (date(9999, 12, 31) - _EXCEL_EPOCH).days
_TIME_SUFFIX = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$")
_SEPARATED = re.compile(r"^(\d{4})(?:[-./](\d{1,2})(?:[-./](\d{1,2}))?)?$")
_CHINESE = re.compile(r"^(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})[日号])?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")


def _fail(shown: object, reason: str) -> InvalidDate:
    return InvalidDate(f"无法识别的日期“{shown}”：{reason}")


def _build(shown: object, year: int, month: int, day: int) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _fail(shown, f"年份应在 {MIN_YEAR}–{MAX_YEAR} 之间")
    if not 1 <= month <= 12:
        raise _fail(shown, "月份应在 1–12 之间")
    try:
        return date(year, month, day)
    except ValueError:
        raise _fail(shown, f"{year} 年 {month} 月没有 {day} 日") from None


def _from_excel_serial(value: float, shown: object) -> date:
    if math.isnan(value) or math.isinf(value):
        raise _fail(shown, "不是有效的数值")
    serial = math.floor(value)  # a fractional part is the time of day
    if serial < 1:
        raise _fail(shown, "Excel 日期序号应从 1（1900-01-01）开始")
    if serial == 60:
        raise _fail(shown, "Excel 日期序号 60 对应不存在的 1900-02-29")
    if serial > _EXCEL_MAX_SERIAL:
        raise _fail(shown, "数值过大，不是 Excel 日期")
    # Excel counts a 1900-02-29 that never was: serials before it start one day later.
    result = (date(1899, 12, 31) if serial < 60 else _EXCEL_EPOCH) + timedelta(days=serial)
    return _build(shown, result.year, result.month, result.day)


def _from_number(value: float | int | Decimal, shown: object) -> date:
    """Numbers from spreadsheets: Excel serials, plus the shapes people type that Excel
    silently turns into numbers (2018, 20180501, 2018.05)."""
    if isinstance(value, int):
        if 1900 <= value <= 2100:
            # Serials in this range are dates in 1905; a bare year is what was meant.
            return _build(shown, value, 1, 1)
        if 10_000_000 <= value <= 99_999_999:
            text = str(value)
            return _build(shown, int(text[:4]), int(text[4:6]), int(text[6:]))
        return _from_excel_serial(float(value), shown)
    as_float = float(value)
    if math.isfinite(as_float) and as_float.is_integer():
        return _from_number(int(as_float), shown)
    if math.isfinite(as_float) and 1900 <= as_float < 2101:
        # "2018.05" typed into a cell became the number 2018.05: year.month.
        year_text, _, fraction = repr(as_float).partition(".")
        if fraction == "1":
            raise _fail(
                shown,
                "Excel 把“年.月”存成了小数，无法区分 1 月与 10 月，请将单元格设为文本后重新填写",
            )
        if len(fraction) > 2:
            raise _fail(shown, "小数不是“年.月”格式")
        return _build(shown, int(year_text), int(fraction), 1)
    return _from_excel_serial(as_float, shown)


def _from_string(raw: str) -> date:
    text = normalise_text(raw)
    shown = text or raw
    if not text:
        raise InvalidDate("日期为空")
    text = _TIME_SUFFIX.sub("", text).replace(" ", "")
    for pattern in (_SEPARATED, _CHINESE, _COMPACT):
        match = pattern.match(text)
        if match:
            year, month, day = match.groups()
            return _build(shown, int(year), int(month or 1), int(day or 1))
    # An Excel serial that went through text, such as "43101" or "43101.0".
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return _from_excel_serial(float(text), shown)
    raise _fail(shown, "请使用如 2018-05-01、2018.05、2018年5月 的格式")


def parse_loose_date(value: object) -> date:
    """Read a date from whatever an import or a form supplies.

    Accepts ``date``/``datetime`` objects, Excel serial numbers (1900 date system, serial 1 is
    1900-01-01, serial 60 — the phantom 1900-02-29 — is refused), and strings such as
    ``2018-05-01``, ``2018/5/1``, ``2018.05``, ``2018.5``, ``2018年5月``, ``2018年5月3日``,
    ``20180501``, ``201805``, ``2018-05``, ``2018``, ``2018-05-01 00:00:00`` (full-width digits
    too), and 5-digit serial text such as ``43101`` or ``43101.0``. A missing day or month
    defaults to 1. Years must lie in 1800–2199. Raises :class:`InvalidDate` with a Chinese
    message.

    Numbers that look like what people type (integer 1900–2100 → that year; 8-digit integer →
    YYYYMMDD; 2018.05 → May 2018) are read that way instead of as serials.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or value is None:
        raise InvalidDate("日期为空" if value is None else f"无法识别的日期“{value}”")
    if isinstance(value, int | float | Decimal):
        return _from_number(value, value)
    if isinstance(value, str):
        return _from_string(value)
    raise InvalidDate(f"无法识别的日期“{value}”：不支持的类型 {type(value).__name__}")


def parse_loose_month(value: object) -> date:
    """Like :func:`parse_loose_date` but returns the first day of that month."""
    return parse_loose_date(value).replace(day=1)
