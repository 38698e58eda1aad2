from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentpool.rules.idnumber import (
    IdNumber,
    InvalidIdNumber,
    Sex,
    compute_check_char,
    looks_like_excel_mangled,
    mask_id_number,
    parse_id_number,
    region_warning,
    upgrade_legacy_id,
)

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("text", "number", "birth", "sex", "region"),
    [
        ("11010519491231002X", "11010519491231002X", date(1949, 12, 31), Sex.FEMALE, "110105"),
        ("440524188001010014", "440524188001010014", date(1880, 1, 1), Sex.MALE, "440524"),
        ("360426199101010071", "360426199101010071", date(1991, 1, 1), Sex.MALE, "360426"),
        ("11010519491231002x", "11010519491231002X", date(1949, 12, 31), Sex.FEMALE, "110105"),
        (" 110105 19491231 002X ", "11010519491231002X", date(1949, 12, 31), Sex.FEMALE, "110105"),
        (
            "１１０１０５１９４９１２３１００２ｘ",
            "11010519491231002X",
            date(1949, 12, 31),
            Sex.FEMALE,
            "110105",
        ),
    ],
)
def test_valid(text: str, number: str, birth: date, sex: Sex, region: str) -> None:
    assert parse_id_number(text, today=TODAY) == IdNumber(number, birth, sex, region)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("36042619910102009X", "身份证号码校验位不符，请对照证件核对"),
        ("360426199113010079", "身份证号码中的出生日期 19911301 无效：月份应在 01–12 之间"),
        ("360426199102300079", "1991 年 2 月没有 30 日"),
        ("", "身份证号码为空"),
        ("3604261991010100", "身份证号码应为 18 位，实为 16 位"),
        ("360426910101007", "15 位旧号码请先升位"),
        ("36042619910101007Y", "身份证号码第 18 位“Y”应为数字或 X"),
        ("3604261991X1010071", "身份证号码第 11 位“X”不是数字"),
        ("360426203001010071", "晚于今天（2025-06-01）"),
        ("360426179901010071", "年份不应早于 1800 年"),
    ],
)
def test_invalid(text: str, message: str) -> None:
    with pytest.raises(InvalidIdNumber) as info:
        parse_id_number(text, today=TODAY)
    assert message in str(info.value)


def test_invalid_is_value_error() -> None:
    assert issubclass(InvalidIdNumber, ValueError)


def test_today_defaults_to_real_today() -> None:
    assert parse_id_number("360426199101010071").sex is Sex.MALE


@pytest.mark.parametrize(
    ("first17", "check"),
    [("11010519491231002", "X"), ("44052418800101001", "4"), ("36042619910102009", "3")],
)
def test_compute_check_char(first17: str, check: str) -> None:
    assert compute_check_char(first17) == check


def test_compute_check_char_rejects_bad_input() -> None:
    with pytest.raises(InvalidIdNumber):
        compute_check_char("1234")


def test_region_warning() -> None:
    assert region_warning(parse_id_number("360426199101010071", today=TODAY)) is None
    odd = "990426199101010071"
    number = odd[:17] + compute_check_char(odd[:17])
    warning = region_warning(parse_id_number(number, today=TODAY))
    assert warning is not None and "“99”" in warning


def test_mask_id_number() -> None:
    assert mask_id_number("330503199001011234") == "330503********1234"
    assert mask_id_number("11010519491231002x") == "110105********002X"
    assert mask_id_number("123") == "***"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.30503E+17", True),
        ("3.30503199001011E+17", True),
        ("3.30503e+17", True),
        ("330503199001011000.0", True),
        ("330503199001011000", True),
        ("330503199001011234", False),
        ("11010519491231002X", False),
        ("330503", False),
    ],
)
def test_looks_like_excel_mangled(text: str, expected: bool) -> None:
    assert looks_like_excel_mangled(text) is expected


def test_upgrade_legacy_id() -> None:
    assert upgrade_legacy_id("110105491231002") == "11010519491231002X"
    with pytest.raises(InvalidIdNumber):
        upgrade_legacy_id("11010549123100")


# --- properties ---------------------------------------------------------------------------


@st.composite
def valid_ids(draw: st.DrawFn) -> tuple[str, date, int]:
    province = draw(st.sampled_from(["11", "33", "36", "44", "65"]))
    rest = draw(st.text("0123456789", min_size=4, max_size=4))
    born = draw(st.dates(min_value=date(1800, 1, 1), max_value=TODAY))
    sequence = draw(st.integers(0, 999))
    first17 = f"{province}{rest}{born:%Y%m%d}{sequence:03d}"
    return first17 + compute_check_char(first17), born, sequence


@given(valid_ids())
@settings(max_examples=300)
def test_generated_ids_round_trip(case: tuple[str, date, int]) -> None:
    number, born, sequence = case
    parsed = parse_id_number(number.lower(), today=TODAY)
    assert parsed.number == number
    assert parsed.birth_date == born
    assert parsed.sex is (Sex.MALE if sequence % 2 else Sex.FEMALE)
    assert parsed.region_code == number[:6]
    assert region_warning(parsed) is None
    assert mask_id_number(number) == number[:6] + "*" * 8 + number[-4:]


@given(valid_ids(), st.integers(0, 17), st.integers(1, 10))
@settings(max_examples=300)
def test_any_single_character_change_is_rejected(
    case: tuple[str, date, int], position: int, shift: int
) -> None:
    number = case[0]
    alphabet = "0123456789X" if position == 17 else "0123456789"
    if number[position] not in alphabet:
        return
    replaced = alphabet[(alphabet.index(number[position]) + shift) % len(alphabet)]
    if replaced == number[position]:
        return
    changed = number[:position] + replaced + number[position + 1 :]
    with pytest.raises(InvalidIdNumber):
        parse_id_number(changed, today=TODAY)


@given(st.text(max_size=25))
@settings(max_examples=300)
def test_arbitrary_text_parses_or_raises_invalid(text: str) -> None:
    try:
        parse_id_number(text, today=TODAY)
    except InvalidIdNumber as exc:
        assert str(exc)


@given(valid_ids(), st.sampled_from("0123456789X"))
@settings(max_examples=300)
def test_a_wrong_check_character_is_refused_without_naming_the_right_one(
    case: tuple[str, date, int], typed: str
) -> None:
    number = case[0]
    if typed == number[17]:
        return
    with pytest.raises(InvalidIdNumber) as info:
        parse_id_number(number[:17] + typed, today=TODAY)
    # naming the expected character invites "correcting" a mistyped number into someone else's
    assert str(info.value) == "身份证号码校验位不符，请对照证件核对"
    assert number[17] not in str(info.value) and typed not in str(info.value)
