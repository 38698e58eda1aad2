"""Vocational skill levels (职业技能等级, 人社部发〔2022〕14号) and certificate numbers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Literal

from talentpool.rules.text import normalise_code, normalise_text

__all__ = [
    "CertificateCheck",
    "CertificateKind",
    "InvalidCertificateNumber",
    "InvalidSkillLevel",
    "SkillLevel",
    "check_certificate_number",
    "highest_level",
    "recomputed_level",
]


class InvalidSkillLevel(ValueError):
    """Text that names no skill level, or names two different ones."""


class InvalidCertificateNumber(ValueError):
    """A certificate number that cannot be accepted even as free text."""


class SkillLevel(IntEnum):
    """The eight-level ladder, low to high."""

    APPRENTICE = 0
    JUNIOR = 1
    INTERMEDIATE = 2
    SENIOR = 3
    TECHNICIAN = 4
    SENIOR_TECHNICIAN = 5
    PRINCIPAL_TECHNICIAN = 6
    CHIEF_TECHNICIAN = 7

    @property
    def label(self) -> str:
        """Full Chinese label, e.g. ``高级工（三级）``."""
        return _LABELS[self]

    @property
    def short_label(self) -> str:
        """Chinese name without the grade, e.g. ``高级工``."""
        return _SHORT_LABELS[self]

    @property
    def grade(self) -> int | None:
        """National grade (五级 … 一级 → 5 … 1); None for levels outside that scale."""
        return _GRADES.get(self)

    @classmethod
    def from_grade(cls, grade: int) -> SkillLevel:
        for level, value in _GRADES.items():
            if value == grade:
                return level
        raise InvalidSkillLevel(f"职业技能等级应为一级至五级，实为“{grade}”")

    @classmethod
    def from_label(cls, text: str) -> SkillLevel:
        """Parse a Chinese label or alias: ``高级工``, ``三级``, ``三级/高级工``, ``高级``,
        ``高级工（三级）``, ``国家职业资格三级`` … (or the English member name)."""
        return _parse_label(text)


_SHORT_LABELS = {
    SkillLevel.APPRENTICE: "学徒工",
    SkillLevel.JUNIOR: "初级工",
    SkillLevel.INTERMEDIATE: "中级工",
    SkillLevel.SENIOR: "高级工",
    SkillLevel.TECHNICIAN: "技师",
    SkillLevel.SENIOR_TECHNICIAN: "高级技师",
    SkillLevel.PRINCIPAL_TECHNICIAN: "特级技师",
    SkillLevel.CHIEF_TECHNICIAN: "首席技师",
}
_GRADES = {
    SkillLevel.JUNIOR: 5,
    SkillLevel.INTERMEDIATE: 4,
    SkillLevel.SENIOR: 3,
    SkillLevel.TECHNICIAN: 2,
    SkillLevel.SENIOR_TECHNICIAN: 1,
}
_GRADE_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}
_LABELS = {
    level: f"{short}（{_GRADE_NAMES[_GRADES[level]]}）" if level in _GRADES else short
    for level, short in _SHORT_LABELS.items()
}

_ALIASES: dict[str, SkillLevel] = {}
for _level, _short in _SHORT_LABELS.items():
    _ALIASES[_short] = _level
    _ALIASES[_level.name] = _level
_ALIASES.update({"学徒": SkillLevel.APPRENTICE})
for _grade, _name in _GRADE_NAMES.items():
    _level = SkillLevel.from_grade(_grade)
    _ALIASES[_name] = _level
    _ALIASES[f"{_grade}级"] = _level
    _ALIASES[f"{_name}工"] = _level
    _ALIASES[_SHORT_LABELS[_level].removesuffix("工")] = _level  # 初级 中级 高级
    _ALIASES[f"{_SHORT_LABELS[_level].removesuffix('工')}技能"] = _level
del _level, _short, _grade, _name

# Noise around the level name in imported sheets.
_PREFIXES = ("国家职业资格", "职业资格", "职业技能等级", "技能等级", "等级")
_SUFFIXES = ("证书", "资格", "职业资格")
_SEPARATORS = re.compile(r"[/／、,，;；()（）\[\]【】|\-—~]+")


def _lookup(token: str) -> SkillLevel | None:
    candidate = token.upper() if token.isascii() else token
    for _ in range(2):
        if candidate in _ALIASES:
            return _ALIASES[candidate]
        for prefix in _PREFIXES:
            candidate = candidate.removeprefix(prefix)
        for suffix in _SUFFIXES:
            candidate = candidate.removesuffix(suffix)
    return _ALIASES.get(candidate)


def _parse_label(text: str) -> SkillLevel:
    cleaned = normalise_text(text).replace(" ", "")
    if not cleaned:
        raise InvalidSkillLevel("技能等级为空")
    found: list[tuple[str, SkillLevel]] = []
    for token in _SEPARATORS.split(cleaned):
        if not token:
            continue
        level = _lookup(token)
        if level is None:
            raise InvalidSkillLevel(
                f"无法识别的技能等级“{cleaned}”，可填写如：学徒工、初级工、中级工、高级工、"
                "技师、高级技师、特级技师、首席技师，或五级至一级"
            )
        found.append((token, level))
    if not found:
        raise InvalidSkillLevel(f"无法识别的技能等级“{cleaned}”")
    distinct = {level for _, level in found}
    if len(distinct) > 1:
        detail = "，".join(f"“{token}”对应{level.label}" for token, level in found)
        raise InvalidSkillLevel(f"技能等级“{cleaned}”前后不一致：{detail}")
    return found[0][1]


# ---------------------------------------------------------------------------------------------
# Certificate numbers

CertificateKind = Literal["skill_level", "principal", "qualification", "other"]

_SKILL_LEVEL_NUMBER = re.compile(r"^[YS]\d{21}$")
_PRINCIPAL_NUMBER = re.compile(r"^[A-Z]{2}\d{20}$")
_QUALIFICATION_NUMBER = re.compile(r"^\d{16}$")
_PRINCIPAL_LEVELS = (SkillLevel.PRINCIPAL_TECHNICIAN, SkillLevel.CHIEF_TECHNICIAN)


@dataclass(frozen=True)
class CertificateCheck:
    number: str  # normalised
    kind: CertificateKind
    warnings: tuple[str, ...] = ()
    grade: int | None = None  # grade encoded in a skill-level certificate number, if readable

    @property
    def ok(self) -> bool:
        return not self.warnings


def _skill_level_warnings(number: str, level: SkillLevel | None) -> tuple[int | None, list[str]]:
    digit = int(number[15])
    if not 1 <= digit <= 5:
        return None, [f"证书编号第 16 位“{digit}”应为等级代码 1–5，请核对编号"]
    warnings = []
    if level is not None and level.grade != digit:
        meaning = f"{_GRADE_NAMES[digit]}（{SkillLevel.from_grade(digit).short_label}）"
        warnings.append(f"证书编号第 16 位表示{meaning}，与填写的技能等级“{level.label}”不一致")
    return digit, warnings


def check_certificate_number(number: str, level: SkillLevel | None = None) -> CertificateCheck:
    """Classify a certificate number and warn (never fail) about doubtful ones.

    Kinds: ``skill_level`` (职业技能等级证书, ``[YS]`` + 21 digits, 16th character is the grade
    1–5), ``principal`` (特级技师, two letters + 20 digits), ``qualification`` (older 国家职业
    资格证书, 16 digits), ``other`` (kept as free text with a warning). Only an empty number
    raises :class:`InvalidCertificateNumber`.
    """
    value = normalise_code(number)
    if not value:
        raise InvalidCertificateNumber("证书编号为空")
    if _SKILL_LEVEL_NUMBER.match(value):
        grade, warnings = _skill_level_warnings(value, level)
        return CertificateCheck(value, "skill_level", tuple(warnings), grade)
    if _PRINCIPAL_NUMBER.match(value):
        warnings = []
        if level is not None and level not in _PRINCIPAL_LEVELS:
            warnings.append(f"证书编号为特级技师证书格式，与填写的技能等级“{level.label}”不一致")
        return CertificateCheck(value, "principal", tuple(warnings))
    if _QUALIFICATION_NUMBER.match(value):
        return CertificateCheck(value, "qualification")
    return CertificateCheck(
        value,
        "other",
        (f"证书编号“{value}”不是常见的证书编号格式，已按原样保存，请核对",),
    )


# ---------------------------------------------------------------------------------------------
# The worker's level and their certificates


def highest_level(certificate_levels: Iterable[int]) -> int | None:
    """The highest level of a worker's certificates (None without any)."""
    return max(certificate_levels, default=None)


def recomputed_level(recorded: int | None, before: Iterable[int], after: Iterable[int]) -> int | None:
    """The worker's level once their certificates change from ``before`` to ``after`` (the levels
    of the certificates, as recorded before and after an addition, a deletion or an import).

    A level that rests on the certificates (no higher than the highest of ``before``) follows
    them: it rises with a higher certificate and falls back to the highest remaining one (none:
    no level) when the certificate it rested on is deleted. A level recorded above every
    certificate (entered by hand) is kept, and still rises with a higher certificate."""
    certified_before, certified_after = highest_level(before), highest_level(after)
    if recorded is not None and (certified_before is None or recorded > certified_before):
        return recorded if certified_after is None else max(recorded, certified_after)
    return certified_after
