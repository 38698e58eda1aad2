"""Qualification review (资格审查): the eligibility rules a nomination is checked against.

Each rule is a key with parameters (configuration, kept per campaign and tier) and a check that
reads a :class:`Candidate` (the facts the registry, the cultivation records and the titles hold
about the nominee on the review's reference day) and returns a :class:`Outcome`: passed or not,
and the reason in Chinese, in the form the issue gives ("技能等级 高级工，要求 技师及以上"). A
passing rule says why it passed too, so the review list explains every line.

The rules (key: parameters):

- ``frontline``: none. The nominee works on the front line (一线职工).
- ``min_level``: ``level`` (rules.skills.SkillLevel value). The recorded skill level is at least it.
- ``skilled_years``: ``years``. Whole years in a skilled post (from the recorded start of work to
  the reference day) are at least it.
- ``retirement_margin``: ``years``. At least that many whole years (counted in months) from the
  reference day's month to the statutory retirement month (rules.retirement; a recorded actual
  retirement date counts instead).
- ``in_district``: none. The nominee is currently employed by an enterprise of the district.
- ``not_holding``: none. The nominee holds no active title of the tier applied for or a higher
  one (rank 1 is the highest tier).
- ``not_barred``: ``years`` (None: for good). No title of theirs was revoked within that many
  years before the reference day.

Pure: no Django, no database."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from talentpool.rules.retirement import RetirementCategory, full_years, months_before_retirement
from talentpool.rules.skills import SkillLevel

__all__ = [
    "DEFAULT_RULES",
    "RULES",
    "Candidate",
    "Outcome",
    "RuleSpec",
    "check_eligibility",
    "is_eligible",
    "rule_label",
    "validate_params",
]


@dataclass(frozen=True)
class Candidate:
    """What the review knows of a nominee, as of the reference day."""

    tier_rank: int  # the tier applied for: 1 = highest
    tier_name: str
    is_frontline: bool
    skill_level: int | None
    work_start_date: date | None
    birth_date: date
    retirement_category: str
    actual_retirement_date: date | None = None
    employed_in_district: bool = True
    held_tier_rank: int | None = None  # the active title's tier, if any
    held_tier_name: str = ""
    revoked_on: date | None = None  # the latest revocation of a title of theirs, if any


@dataclass(frozen=True)
class RuleSpec:
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    key: str
    label: str
    passed: bool
    reason: str


def _level_name(level: int | None) -> str:
    return "未登记" if level is None else SkillLevel(level).short_label


def _span(months: int) -> str:
    """Months as 年/个月: 62 → ``5年2个月``, 60 → ``5年``, 7 → ``7个月``; negative: ``已过 …``."""
    if months < 0:
        return f"已过 {_span(-months)}"
    years, rest = divmod(months, 12)
    if not years:
        return f"{rest}个月"
    return f"{years}年{rest}个月" if rest else f"{years}年"


def _frontline(c: Candidate, p: Mapping[str, Any], on: date) -> tuple[bool, str]:
    return (True, "一线职工") if c.is_frontline else (False, "非一线职工，要求一线职工")


def _min_level(c: Candidate, p: Mapping[str, Any], on: date) -> tuple[bool, str]:
    required = int(p["level"])
    passed = c.skill_level is not None and c.skill_level >= required
    return passed, f"技能等级 {_level_name(c.skill_level)}，要求 {SkillLevel(required).short_label}及以上"


def _skilled_years(c: Candidate, p: Mapping[str, Any], on: date) -> tuple[bool, str]:
    required = int(p["years"])
    if c.work_start_date is None:
        return False, f"参加工作时间未登记，要求技能岗位工作 {required} 年及以上"
    years = full_years(c.work_start_date, on)
    return years >= required, f"技能岗位工作 {years} 年，要求 {required} 年及以上"


def _retirement_margin(c: Candidate, p: Mapping[str, Any], on: date) -> tuple[bool, str]:
    required = int(p["years"])
    months = months_before_retirement(c.birth_date, RetirementCategory(c.retirement_category), on,
                                      actual=c.actual_retirement_date)
    return months >= required * 12, f"距法定退休 {_span(months)}，要求 {required} 年及以上"


def _in_district(c: Candidate, p: Mapping[str, Any], on: date) -> tuple[bool, str]:
    if c.employed_in_district:
        return True, "在本区企业就业"
    return False, "当前不在本区企业就业，要求在本区企业就业"


def _not_holding(c: Candidate, p: Mapping[str, Any], on: date) -> tuple[bool, str]:
    if c.held_tier_rank is None:
        return True, "未获本工程称号"
    if c.held_tier_rank <= c.tier_rank:
        same = "同级" if c.held_tier_rank == c.tier_rank else "更高"
        return False, f"已获 {c.held_tier_name} 称号（{same}层级），不得申报 {c.tier_name}"
    return True, f"现有 {c.held_tier_name} 称号，低于申报的 {c.tier_name}"


def _not_barred(c: Candidate, p: Mapping[str, Any], on: date) -> tuple[bool, str]:
    years = p.get("years")
    if c.revoked_on is None:
        return True, "无被撤销称号记录"
    if years is None:
        return False, f"{c.revoked_on:%Y-%m-%d} 被撤销称号，不得再申报"
    until = _add_years(c.revoked_on, int(years))
    if on < until:
        return False, f"{c.revoked_on:%Y-%m-%d} 被撤销称号，{years} 年内（至 {until:%Y-%m-%d}）不得申报"
    return True, f"{c.revoked_on:%Y-%m-%d} 被撤销称号，已满 {years} 年"


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


Check = Callable[[Candidate, Mapping[str, Any], date], tuple[bool, str]]

#: key → (label, the parameters it takes with their kinds, the check)
RULES: dict[str, tuple[str, dict[str, type], Check]] = {
    "frontline": ("一线职工", {}, _frontline),
    "min_level": ("技能等级", {"level": int}, _min_level),
    "skilled_years": ("技能岗位工作年限", {"years": int}, _skilled_years),
    "retirement_margin": ("距法定退休年限", {"years": int}, _retirement_margin),
    "in_district": ("在本区就业", {}, _in_district),
    "not_holding": ("未获同级或更高称号", {}, _not_holding),
    "not_barred": ("无撤销称号限制", {"years": int}, _not_barred),
}

#: The programme's defaults per tier rank (RULES.md §7: 技师 or above for the top tier, 5+ years
#: on the front line, 5+ years before statutory retirement). Configuration, copied into a campaign.
DEFAULT_RULES: dict[int, tuple[RuleSpec, ...]] = {
    rank: (
        RuleSpec("frontline"),
        RuleSpec("min_level", {"level": int(level)}),
        RuleSpec("skilled_years", {"years": years}),
        RuleSpec("retirement_margin", {"years": 5}),
        RuleSpec("in_district"),
        RuleSpec("not_holding"),
        RuleSpec("not_barred", {"years": None}),
    )
    for rank, level, years in ((1, SkillLevel.TECHNICIAN, 8), (2, SkillLevel.SENIOR, 5),
                               (3, SkillLevel.INTERMEDIATE, 5))
}


def rule_label(key: str) -> str:
    return RULES[key][0]


def validate_params(key: str, params: Mapping[str, Any]) -> list[str]:
    """The problems with one rule's configuration, in Chinese (empty: it is valid)."""
    if key not in RULES:
        return [f"未知的资格条件：{key}"]
    label, kinds, _check = RULES[key]
    problems = [f"{label}：多余的参数 {name}" for name in params if name not in kinds]
    for name in kinds:  # every parameter is a whole number
        value = params.get(name)
        if value is None:
            if key == "not_barred":  # None: barred for good
                continue
            problems.append(f"{label}：缺少参数 {name}")
        elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems.append(f"{label}：参数 {name} 应为非负整数")
        elif key == "min_level" and value not in {int(level) for level in SkillLevel}:
            problems.append(f"{label}：没有这个技能等级 {value}")
    return problems


def check_eligibility(candidate: Candidate, rules: Iterable[RuleSpec], *, on: date) -> list[Outcome]:
    """Every rule's outcome for the candidate as of ``on``, in the order given."""
    outcomes = []
    for rule in rules:
        problems = validate_params(rule.key, rule.params)
        if problems:
            raise ValueError("；".join(problems))
        label, _kinds, check = RULES[rule.key]
        passed, reason = check(candidate, rule.params, on)
        outcomes.append(Outcome(rule.key, label, passed, reason))
    return outcomes


def is_eligible(outcomes: Iterable[Outcome]) -> bool:
    return all(outcome.passed for outcome in outcomes)
