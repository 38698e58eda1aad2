from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentpool.rules.uscc import ALPHABET, InvalidUscc, compute_uscc_check, validate_uscc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("91110000600037341L", "91110000600037341L"),
        ("121200004013590816", "121200004013590816"),
        ("91310115MA1K3BTP2B", "91310115MA1K3BTP2B"),
        (" 91310115ma1k3btp2b ", "91310115MA1K3BTP2B"),
        ("９１３１０１１５ＭＡ１Ｋ３ＢＴＰ２Ｂ", "91310115MA1K3BTP2B"),
        ("9131 0115 MA1K 3BTP 2B", "91310115MA1K3BTP2B"),
    ],
)
def test_valid(text: str, expected: str) -> None:
    assert validate_uscc(text) == expected


def test_letter_in_first_position_is_legal() -> None:
    first17 = "N2330503MA2B3C4D5"
    code = first17 + compute_uscc_check(first17)
    assert validate_uscc(code) == code


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        ("91110000600037341N", ["统一社会信用代码校验位不符，请对照营业执照核对"]),
        (
            "9111000060003IOZSV",
            [
                "第 14 位“I”",
                "第 15 位“O”",
                "第 16 位“Z”",
                "第 17 位“S”",
                "第 18 位“V”",
                "除 I、O、S、V、Z",
            ],
        ),
        ("9111000060003734", ["统一社会信用代码应为 18 位，实为 16 位"]),
        ("", ["统一社会信用代码为空"]),
        ("91110000600O37341L", ["第 12 位“O”（是否应为“0”？）"]),
        ("91110000600037341-", ["第 18 位“-”"]),
    ],
)
def test_invalid(text: str, messages: list[str]) -> None:
    with pytest.raises(InvalidUscc) as info:
        validate_uscc(text)
    for message in messages:
        assert message in str(info.value)


@pytest.mark.parametrize(
    ("first17", "check"),
    [("91110000600037341", "L"), ("12120000401359081", "6"), ("91310115MA1K3BTP2", "B")],
)
def test_compute_check(first17: str, check: str) -> None:
    assert compute_uscc_check(first17) == check


def test_compute_check_rejects_bad_input() -> None:
    with pytest.raises(InvalidUscc):
        compute_uscc_check("9111")
    with pytest.raises(InvalidUscc):
        compute_uscc_check("9111000060003734I")


def test_is_value_error() -> None:
    assert issubclass(InvalidUscc, ValueError)


_first17 = st.text(ALPHABET, min_size=17, max_size=17)


@given(_first17)
@settings(max_examples=300)
def test_generated_codes_validate(first17: str) -> None:
    code = first17 + compute_uscc_check(first17)
    assert validate_uscc(code.lower()) == code


@given(_first17, st.integers(0, 17), st.integers(1, 30))
@settings(max_examples=300)
def test_any_single_character_change_is_rejected(first17: str, position: int, shift: int) -> None:
    code = first17 + compute_uscc_check(first17)
    replaced = ALPHABET[(ALPHABET.index(code[position]) + shift) % 31]
    changed = code[:position] + replaced + code[position + 1 :]
    with pytest.raises(InvalidUscc):
        validate_uscc(changed)


@given(st.text(max_size=25))
@settings(max_examples=200)
def test_arbitrary_text_validates_or_raises_invalid(text: str) -> None:
    try:
        validate_uscc(text)
    except InvalidUscc as exc:
        assert str(exc)


@given(_first17, st.sampled_from(ALPHABET))
@settings(max_examples=300)
def test_a_wrong_check_character_is_refused_without_naming_the_right_one(first17: str, typed: str) -> None:
    expected = compute_uscc_check(first17)
    if typed == expected:
        return
    with pytest.raises(InvalidUscc) as info:
        validate_uscc(first17 + typed)
    # naming the expected character invites "correcting" a mistyped code into another enterprise's
    assert str(info.value) == "统一社会信用代码校验位不符，请对照营业执照核对"
    assert expected not in str(info.value) and typed not in str(info.value)
