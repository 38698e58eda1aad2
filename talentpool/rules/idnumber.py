"""Citizen ID numbers (GB 11643-1999, 18 characters)."""

from __future__ import annotations

import operator
import re
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from talentpool.rules.text import after_today, normalise_code

__all__ = [
    "CHECK_MISMATCH",
    "PROVINCE_CODES",
    "IdNumber",
    "InvalidIdNumber",
    "Sex",
    "compute_check_char",
    "looks_like_excel_mangled",
    "mask_id_number",
    "normalise_id_text",
    "parse_id_number",
    "region_warning",
    "upgrade_legacy_id",
]

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_ZEROS = 48 * sum(WEIGHTS)
MIN_BIRTH_YEAR = 1800
CHECK_MISMATCH = "身份证号码校验位不符，请对照证件核对"

#: First two digits of region codes in force (provinces, plus 71 Taiwan, 81 Hong Kong,
#: 82 Macao and 83, used on residence permits of Taiwan residents).
PROVINCE_CODES: frozenset[str] = frozenset(
    f"{n:02d}"
    for n in (
        *range(11, 16),
        *range(21, 24),
        *range(31, 38),
        *range(41, 47),
        *range(50, 55),
        *range(61, 66),
        71,
        81,
        82,
        83,
    )
)


class InvalidIdNumber(ValueError):
    """Not a valid 18-character citizen ID number; the message says why, in Chinese."""


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"

    @property
    def label(self) -> str:
        return "男" if self is Sex.MALE else "女"


class IdNumber(NamedTuple):
    """A valid ID number and what it encodes (a named tuple: imports build tens of thousands)."""

    number: str
    birth_date: date
    sex: Sex
    region_code: str

    def __str__(self) -> str:
        return self.number


def normalise_id_text(text: str) -> str:
    """Strip, drop internal spaces, full-width → half-width, upper-case the ``x``."""
    return normalise_code(text)


def compute_check_char(first17: str) -> str:
    """The GB 11643 check character for 17 leading digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise InvalidIdNumber(f"计算校验位需要 17 位数字，实为“{first17}”")
    # The ASCII codes weighted, less the weighted code of "0" (48) in every place.
    total = sum(map(operator.mul, first17.encode(), WEIGHTS)) - _ZEROS
    return CHECK_CHARS[total % 11]


def _invalid_birth(digits: str, reason: str) -> InvalidIdNumber:
    return InvalidIdNumber(f"身份证号码中的出生日期 {digits} 无效：{reason}")


def _birth_date(digits: str, today: date | None) -> date:
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    if year < MIN_BIRTH_YEAR:
        raise _invalid_birth(digits, f"年份不应早于 {MIN_BIRTH_YEAR} 年")
    if not 1 <= month <= 12:
        raise _invalid_birth(digits, "月份应在 01–12 之间")
    try:
        born = date(year, month, day)
    except ValueError:
        raise _invalid_birth(digits, f"{year} 年 {month} 月没有 {day} 日") from None
    future = born > today if today is not None else after_today(born)
    if future:
        raise _invalid_birth(digits, f"晚于今天（{(today or date.today()).isoformat()}）")
    return born


def parse_id_number(text: str, *, today: date | None = None) -> IdNumber:
    """Validate and decode an 18-character ID number.

    Checks, in order: length, characters, birth date (real, not in the future, year ≥ 1800),
    check character. The region code is not validated here (see :func:`region_warning`).
    """
    number = normalise_id_text(text)
    if not number:
        raise InvalidIdNumber("身份证号码为空")
    if len(number) != 18:
        hint = "（15 位旧号码请先升位为 18 位）" if len(number) == 15 else ""
        raise InvalidIdNumber(f"身份证号码应为 18 位，实为 {len(number)} 位{hint}")
    if not (number[:17].isascii() and number[:17].isdigit()):
        for position, char in enumerate(number[:17], start=1):
            if not ("0" <= char <= "9"):
                raise InvalidIdNumber(f"身份证号码第 {position} 位“{char}”不是数字")
    if not ("0" <= number[17] <= "9" or number[17] == "X"):
        raise InvalidIdNumber(f"身份证号码第 18 位“{number[17]}”应为数字或 X")
    born = _birth_date(number[6:14], today)
    # The message never names the expected character: a clerk told it would "correct" a mistyped
    # number into a valid one that is someone else's.
    if number[17] != compute_check_char(number[:17]):
        raise InvalidIdNumber(CHECK_MISMATCH)
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return IdNumber(number, born, sex, number[:6])


def region_warning(id: IdNumber) -> str | None:
    """A Chinese warning when the province part of the region code is not a known province.

    Informative only: a genuine number keeps the code in force when it was issued.
    """
    province = id.region_code[:2]
    if province in PROVINCE_CODES:
        return None
    return f"身份证号码前两位“{province}”不是有效的省级行政区划代码，请核对号码"


def mask_id_number(number: str) -> str:
    """``330503199001011234`` → ``330503********1234`` (first 6, stars, last 4)."""
    value = normalise_id_text(number)
    if len(value) > 10:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if len(value) > 4:
        return "*" * (len(value) - 4) + value[-4:]
    return "*" * len(value)


_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?E\+?\d{1,2}$")
_FLOAT_TEXT = re.compile(r"^\d{15,18}\.0+$")


def looks_like_excel_mangled(text: str) -> bool:
    """Whether an ID number looks like Excel stored it as a number and lost digits.

    Catches scientific notation (``3.30503E+17``), float text (``330503199001011000.0``) and
    18 digits ending in ``000`` with a wrong check character (Excel keeps 15 significant
    digits, so the last three become zeros).
    """
    value = normalise_id_text(text)
    if _SCIENTIFIC.match(value) or _FLOAT_TEXT.match(value):
        return True
    return (
        len(value) == 18
        and value.isascii()
        and value.isdigit()
        and value.endswith("000")
        and compute_check_char(value[:17]) != "0"
    )


def upgrade_legacy_id(text: str) -> str:
    """Upgrade a 15-digit first-generation ID number (born 19xx) to 18 characters."""
    value = normalise_id_text(text)
    if len(value) != 15 or not value.isascii() or not value.isdigit():
        raise InvalidIdNumber(f"15 位旧身份证号码应为 15 位数字，实为“{value}”")
    first17 = value[:6] + "19" + value[6:]
    return first17 + compute_check_char(first17)
