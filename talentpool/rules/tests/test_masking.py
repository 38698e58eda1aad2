from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentpool.rules.idnumber import mask_id_number as id_mask
from talentpool.rules.masking import (
    InvalidPhone,
    mask_certificate_number,
    mask_id_number,
    mask_name,
    mask_phone,
    validate_phone,
)


def test_reexport() -> None:
    assert mask_id_number is id_mask
    assert mask_id_number("330503199001011234") == "330503********1234"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        (" 138 1234 5678 ", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("0572-1234567", "0572-1234567"),
        ("05721234567", "0572-1234567"),
        ("(0572)1234567", "0572-1234567"),
        ("（0572）1234567", "0572-1234567"),
        ("0572 123 4567", "0572-1234567"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("02112345678", "021-12345678"),
        ("057212345678", "0572-12345678"),
        ("0572-1234567转801", "0572-1234567-801"),
        ("0572-1234567-801", "0572-1234567-801"),
        ("0572-1234567 ext. 801", "0572-1234567-801"),
    ],
)
def test_validate_phone(raw: str, expected: str) -> None:
    assert validate_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "电话号码为空"),
        ("12812345678", "手机号码“12812345678”无效：第二位应为 3–9"),
        ("1234567", "缺少区号"),
        ("1381234567", "无法识别的电话号码"),
        ("abc", "无法识别的电话号码“ABC”"),
        ("010123456789", "无法确定电话号码"),
    ],
)
def test_validate_phone_rejects(raw: str, message: str) -> None:
    with pytest.raises(InvalidPhone, match=message):
        validate_phone(raw)
    assert issubclass(InvalidPhone, ValueError)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("0572-1234567", "0572-***4567"),
        ("010-12345678", "010-****5678"),
        ("0572-1234567转801", "0572-***4567-801"),
        ("1234567", "123**67"),
        ("abc", "***"),
        ("", ""),
    ],
)
def test_mask_phone(raw: str, expected: str) -> None:
    assert mask_phone(raw) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("慎建民", "慎*民"),
        ("张三", "张*"),
        ("欧阳娜娜", "欧**娜"),
        ("张", "*"),
        ("", ""),
        (" 慎 建民 ", "慎*民"),
    ],
)
def test_mask_name(name: str, expected: str) -> None:
    assert mask_name(name) == expected


_mobiles = st.from_regex(r"\A1[3-9][0-9]{9}\Z")


@given(_mobiles)
@settings(max_examples=200)
def test_mobile_round_trip_and_mask(mobile: str) -> None:
    assert validate_phone(mobile) == mobile
    assert validate_phone(f"+86 {mobile[:3]} {mobile[3:7]} {mobile[7:]}") == mobile
    masked = mask_phone(mobile)
    assert masked == mobile[:3] + "****" + mobile[-4:]
    assert mobile[3:7] not in masked[3:7]  # the middle never leaks


@given(st.text(max_size=20))
@settings(max_examples=200)
def test_mask_never_raises_and_hides_something(text: str) -> None:
    masked = mask_phone(text)
    assert "*" in masked or not masked


@given(st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), max_size=6))
@settings(max_examples=200)
def test_mask_name_keeps_length_and_first_character(name: str) -> None:
    masked = mask_name(name)
    assert len(masked) == len(name)
    if len(name) >= 2:
        assert masked[0] == name[0]
        assert masked.count("*") == max(1, len(name) - 2)


@pytest.mark.parametrize(("number", "masked"), [
    ("1733055000000575", "1733********0575"),
    ("S123456789", "S123**6789"),
    ("ZJ123456", "********"),
    ("", ""),
])
def test_a_certificate_number_keeps_its_first_and_last_four(number, masked):
    assert mask_certificate_number(number) == masked
