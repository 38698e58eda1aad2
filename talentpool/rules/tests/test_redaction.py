"""Finding and masking ID numbers and mobile numbers in URLs and log lines (rules.redaction)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentpool.rules.idnumber import compute_check_char
from talentpool.rules.redaction import contains_personal_number, redact
from talentpool.rules.uscc import compute_uscc_check

ID = "330503198501011234"[:17] + compute_check_char("33050319850101123")  # a valid number
ID_X = "11010519491231002X"
PHONE = "13812345678"
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (ID, ID[:6] + "********" + ID[-4:]),
        (ID_X, "110105********002X"),
        (ID_X.lower(), "110105********002X"),
        (ID.translate(FULL_WIDTH), ID[:6] + "********" + ID[-4:]),
        ("330503198501011239", "330503********1239"),  # a wrong check digit is still a person's number
        ("330503850101123", "330503*****1123"),  # 15-digit first-generation number
        ("33050319850101123", "330503*******1123"),  # one digit missing
        ("3305031985010112345", "330503*********2345"),  # one digit too many
        (f"/registry/workers/?q={ID}&page=2", f"/registry/workers/?q={ID[:6]}********{ID[-4:]}&page=2"),
        (f"Not Found: /registry/workers/{ID}/", f"Not Found: /registry/workers/{ID[:6]}********{ID[-4:]}/"),
        (f"张三{ID}", f"张三{ID[:6]}********{ID[-4:]}"),
        (f"{ID[:6]} {ID[6:14]} {ID[14:]}", f"{ID[:6]}********{ID[-4:]}"),  # typed in groups
        (PHONE, "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("+8613812345678", "+86138****5678"),
        ("电话19912345678。", "电话199****5678。"),
        (f"phone={PHONE}&id={ID}", f"phone=138****5678&id={ID[:6]}********{ID[-4:]}"),
        # percent- and plus-encoded, as a request line in an access log carries them
        (f"GET /x/?q={ID[:6]}%20{ID[6:]} HTTP/1.1", f"GET /x/?q={ID[:6]}********{ID[-4:]} HTTP/1.1"),
        (f"GET /x/?q={ID[:6]}+{ID[6:]} HTTP/1.1", f"GET /x/?q={ID[:6]}********{ID[-4:]} HTTP/1.1"),
        (
            "GET /x/?q=%E5%BC%A0%E4%B8%89" + ID + " HTTP/1.1",
            "GET /x/?q=%E5%BC%A0%E4%B8%89" + ID[:6] + "********" + ID[-4:] + " HTTP/1.1",
        ),
        ("/x/?q=" + "".join(f"%{ord(c):02X}" for c in PHONE), "/x/?q=138****5678"),
    ],
)
def test_personal_numbers_are_found_and_masked(text: str, masked: str) -> None:
    assert contains_personal_number(text) is True
    assert redact(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "913305031471230000",  # an enterprise's credit code, all digits (7–14 no birth date)
        "123305030020000021",  # a public institution's
        "91310115MA1K3BTP2B",
        "S000033050000003000002",  # skill-level certificate number: a letter and 21 digits
        "ZJ20243305030000000001",  # principal technician's: two letters and 20 digits
        "1033055000000123",  # the older qualification certificate: 16 digits
        "/registry/workers/?page=2&sort=-name",
        "/core/jobs/1234567/",
        "/registry/certificates/?issued_on_after=2024-01-01&issued_on_before=2024-12-31",
        "?_=1712345678901",  # a 13-digit time stamp
        "0572-1234567",  # a landline is not looked for
        "12345678901",  # 11 digits that are no mobile number
        "abc13812345678",  # glued to letters: part of a code
        "330503********1234",  # already masked
        "138****5678",
        "50% done + 3",
        "",
    ],
)
def test_other_numbers_pass(text: str) -> None:
    assert contains_personal_number(text) is False
    assert redact(text) == text


def test_a_credit_code_whose_middle_reads_as_a_birth_date_counts_as_an_id_number() -> None:
    codes = [f"11330519850101{n:03d}" + compute_uscc_check(f"11330519850101{n:03d}") for n in range(100)]
    code = next(c for c in codes if c.isdigit())  # a valid, all-digit credit code
    assert contains_personal_number(code) is True  # in doubt, the number is treated as a person's


# --- properties ---------------------------------------------------------------------------


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(["330503", "110105", "440524", "650102"]))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31)))
    first17 = f"{region}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    check = draw(st.sampled_from([compute_check_char(first17), *"0123456789X"]))  # valid or not
    return first17 + check


mobiles = st.builds(lambda second, rest: f"1{second}{rest:09d}", st.sampled_from("3456789"), st.integers(0, 10**9 - 1))
surroundings = st.text(alphabet=st.sampled_from(list("张三 /?=&:,.;()、，。-_")), max_size=8)


def _eight_digit_runs(number: str) -> set[str]:
    digits = number.replace("X", "")
    return {digits[i : i + 8] for i in range(len(digits) - 7)}


@given(st.one_of(id_numbers(), mobiles), surroundings, surroundings, st.booleans())
@settings(max_examples=400)
def test_a_number_in_any_text_is_masked_leaving_no_eight_digits_of_it(
    number: str, before: str, after: str, full_width: bool
) -> None:
    shown = number.translate(FULL_WIDTH) if full_width else number
    if after.startswith(("-", " ")):  # a separator and digits would extend the number
        after = "." + after
    text = f"{before}{shown}{after}"
    assert contains_personal_number(text)
    masked = redact(text)
    runs = set(re.findall(r"\d{8,}", masked))
    assert not any(run in masked for run in _eight_digit_runs(number)), masked
    assert not runs & _eight_digit_runs(number)
    assert not contains_personal_number(masked)


@given(st.text(max_size=60))
@settings(max_examples=400)
def test_masking_is_stable_and_finds_nothing_more(text: str) -> None:
    masked = redact(text)
    assert redact(masked) == masked
    assert not contains_personal_number(masked)
    assert (masked == text) is (not contains_personal_number(text))


@given(st.text(alphabet=st.sampled_from(list("0123456789 -X")), max_size=40))
@settings(max_examples=400)
def test_digit_soup_is_stable_too(text: str) -> None:
    masked = redact(text)
    assert redact(masked) == masked
    assert not contains_personal_number(masked)
