from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentpool.rules.skills import (
    CertificateCheck,
    InvalidCertificateNumber,
    InvalidSkillLevel,
    SkillLevel,
    check_certificate_number,
    highest_level,
    recomputed_level,
)

L = SkillLevel


def test_ladder() -> None:
    assert [(level.value, level.label, level.grade) for level in SkillLevel] == [
        (0, "学徒工", None),
        (1, "初级工（五级）", 5),
        (2, "中级工（四级）", 4),
        (3, "高级工（三级）", 3),
        (4, "技师（二级）", 2),
        (5, "高级技师（一级）", 1),
        (6, "特级技师", None),
        (7, "首席技师", None),
    ]
    assert L.TECHNICIAN > L.SENIOR  # ordering is the ladder


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("学徒工", L.APPRENTICE),
        ("学徒", L.APPRENTICE),
        ("初级工", L.JUNIOR),
        ("初级", L.JUNIOR),
        ("五级", L.JUNIOR),
        ("中级", L.INTERMEDIATE),
        ("四级", L.INTERMEDIATE),
        ("高级工", L.SENIOR),
        ("高级", L.SENIOR),
        ("三级", L.SENIOR),
        ("3级", L.SENIOR),
        ("三级/高级工", L.SENIOR),
        ("高级工（三级）", L.SENIOR),
        ("高级工(三级)", L.SENIOR),
        ("国家职业资格三级", L.SENIOR),
        ("职业技能等级三级", L.SENIOR),
        (" 高级工 ", L.SENIOR),
        ("技师", L.TECHNICIAN),
        ("二级", L.TECHNICIAN),
        ("技师（二级）", L.TECHNICIAN),
        ("一级", L.SENIOR_TECHNICIAN),
        ("高级技师", L.SENIOR_TECHNICIAN),
        ("一级/高级技师", L.SENIOR_TECHNICIAN),
        ("特级技师", L.PRINCIPAL_TECHNICIAN),
        ("首席技师", L.CHIEF_TECHNICIAN),
        ("senior_technician", L.SENIOR_TECHNICIAN),
    ],
)
def test_from_label(text: str, level: SkillLevel) -> None:
    assert SkillLevel.from_label(text) is level


@pytest.mark.parametrize("level", list(SkillLevel))
def test_labels_round_trip(level: SkillLevel) -> None:
    assert SkillLevel.from_label(level.label) is level
    assert SkillLevel.from_label(level.short_label) is level


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "技能等级为空"),
        ("厨师", "无法识别的技能等级“厨师”"),
        ("三级/技师", "前后不一致"),
        ("六级", "无法识别"),
        ("3", "无法识别"),
    ],
)
def test_from_label_rejects(text: str, message: str) -> None:
    with pytest.raises(InvalidSkillLevel, match=message):
        SkillLevel.from_label(text)


def test_from_grade() -> None:
    assert [SkillLevel.from_grade(g) for g in (5, 4, 3, 2, 1)] == [
        L.JUNIOR,
        L.INTERMEDIATE,
        L.SENIOR,
        L.TECHNICIAN,
        L.SENIOR_TECHNICIAN,
    ]
    with pytest.raises(InvalidSkillLevel):
        SkillLevel.from_grade(6)


def _skill_number(grade: int) -> str:
    return f"Y33050300000{0:03d}{grade}000001"


def test_skill_number_layout() -> None:
    number = _skill_number(3)
    assert len(number) == 22 and number[15] == "3"


@pytest.mark.parametrize(
    ("number", "level", "expected"),
    [
        (_skill_number(3), L.SENIOR, CertificateCheck(_skill_number(3), "skill_level", (), 3)),
        (_skill_number(3), None, CertificateCheck(_skill_number(3), "skill_level", (), 3)),
        (
            " " + _skill_number(2).lower()[:10] + "\u3000" + _skill_number(2)[10:] + " ",
            L.TECHNICIAN,
            CertificateCheck(_skill_number(2), "skill_level", (), 2),
        ),
        (
            "S3305030000000200001",
            None,
            CertificateCheck(
                "S3305030000000200001",
                "other",
                ("证书编号“S3305030000000200001”不是常见的证书编号格式，已按原样保存，请核对",),
            ),
        ),
        (
            "AB12345678901234567890",
            L.PRINCIPAL_TECHNICIAN,
            CertificateCheck("AB12345678901234567890", "principal"),
        ),
        ("1234567890123456", L.SENIOR, CertificateCheck("1234567890123456", "qualification")),
    ],
)
def test_certificate_check(
    number: str, level: SkillLevel | None, expected: CertificateCheck
) -> None:
    assert check_certificate_number(number, level) == expected


def test_certificate_grade_mismatch_warns() -> None:
    result = check_certificate_number(_skill_number(2), L.SENIOR)
    assert result.kind == "skill_level"
    assert result.grade == 2
    assert result.warnings == (
        "证书编号第 16 位表示二级（技师），与填写的技能等级“高级工（三级）”不一致",
    )
    assert not result.ok


@pytest.mark.parametrize("digit", [0, 6, 7, 8, 9])
def test_certificate_grade_out_of_range_warns(digit: int) -> None:
    result = check_certificate_number(_skill_number(digit))
    assert result.kind == "skill_level"
    assert result.grade is None
    assert result.warnings == (f"证书编号第 16 位“{digit}”应为等级代码 1–5，请核对编号",)


def test_principal_number_with_lower_level_warns() -> None:
    result = check_certificate_number("AB12345678901234567890", L.SENIOR)
    assert result.kind == "principal"
    assert "特级技师证书格式" in result.warnings[0]


def test_unknown_format_is_a_warning() -> None:
    result = check_certificate_number("浙人社2010-001")
    assert result.kind == "other"
    assert result.number == "浙人社2010-001"
    assert len(result.warnings) == 1


@pytest.mark.parametrize("number", ["", "   ", "\u3000"])
def test_empty_certificate_number(number: str) -> None:
    with pytest.raises(InvalidCertificateNumber, match="证书编号为空"):
        check_certificate_number(number)


@given(st.sampled_from("YS"), st.text("0123456789", min_size=21, max_size=21))
@settings(max_examples=200)
def test_generated_skill_numbers(prefix: str, digits: str) -> None:
    number = prefix + digits
    grade = int(number[15])
    result = check_certificate_number(number)
    assert result.kind == "skill_level"
    if 1 <= grade <= 5:
        assert result.ok and result.grade == grade
        level = SkillLevel.from_grade(grade)
        assert check_certificate_number(number, level).ok
        other = SkillLevel.from_grade(grade % 5 + 1)
        assert len(check_certificate_number(number, other).warnings) == 1
    else:
        assert not result.ok


@given(st.text(min_size=1, max_size=30))
@settings(max_examples=200)
def test_any_text_is_classified_or_empty(text: str) -> None:
    try:
        result = check_certificate_number(text)
    except InvalidCertificateNumber:
        return
    assert result.kind in {"skill_level", "principal", "qualification", "other"}
    assert (result.kind == "other") == bool(result.warnings) or result.kind == "skill_level"


# The worker's level follows their certificates --------------------------------------------


@pytest.mark.parametrize(
    ("recorded", "before", "after", "expected"),
    [
        (None, [], [4], 4),  # the first certificate gives the level
        (3, [3], [3, 4], 4),  # a higher one raises it
        (4, [4], [4, 2], 4),  # a lower one does not lower it
        (4, [3, 4], [3], 3),  # deleting the certificate it rested on: the highest remaining one
        (4, [4], [], None),  # no certificate left: no level
        (4, [4, 4], [4], 4),  # another certificate of that level remains
        (4, [2, 4], [4], 4),  # a lower certificate deleted
        (5, [3], [], 5),  # a level recorded above every certificate (by hand) stays
        (5, [], [2], 5),
        (3, [], [4], 4),  # ...and still rises with a higher certificate
        (None, [3], [], None),
    ],
)
def test_recomputed_level(recorded: int | None, before: list[int], after: list[int], expected: int | None) -> None:
    assert recomputed_level(recorded, before, after) == expected


def test_highest_level() -> None:
    assert highest_level([2, 5, 3]) == 5
    assert highest_level([]) is None


_levels = st.lists(st.integers(min_value=0, max_value=7), max_size=5)


@given(st.one_of(st.none(), st.integers(min_value=0, max_value=7)), _levels, st.integers(min_value=0, max_value=7))
@settings(max_examples=300)
def test_adding_then_deleting_a_certificate_restores_a_level_that_rested_on_certificates(
    recorded: int | None, others: list[int], added: int
) -> None:
    """A worker with certificates has the highest one's level: adding one and deleting it again
    gives that level back. Without certificates, a level entered by hand survives a deleted
    certificate only when it was higher than it."""
    if others:
        recorded = highest_level(others)
    raised = recomputed_level(recorded, others, [*others, added])
    assert raised is not None and raised >= added
    kept = recorded if others or (recorded is not None and recorded > added) else None
    assert recomputed_level(raised, [*others, added], others) == kept
