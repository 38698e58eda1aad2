"""The qualification review's rules (rules/eligibility.py): each passes and fails with its reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from talentpool.rules.eligibility import (
    DEFAULT_RULES,
    Candidate,
    RuleSpec,
    check_eligibility,
    is_eligible,
    validate_params,
)
from talentpool.rules.skills import SkillLevel

ON = date(2026, 6, 1)
BASE = Candidate(
    tier_rank=1, tier_name="南浔工匠", is_frontline=True, skill_level=SkillLevel.TECHNICIAN,
    work_start_date=date(2010, 3, 1), birth_date=date(1980, 5, 17), retirement_category="man",
)


def _one(candidate: Candidate, key: str, **params: object) -> tuple[bool, str]:
    (outcome,) = check_eligibility(candidate, [RuleSpec(key, params)], on=ON)
    assert outcome.key == key
    return outcome.passed, outcome.reason


def test_the_issue_s_example_reason() -> None:
    assert _one(replace(BASE, skill_level=SkillLevel.SENIOR), "min_level", level=4) == (
        False, "技能等级 高级工，要求 技师及以上")
    assert _one(BASE, "min_level", level=4) == (True, "技能等级 技师，要求 技师及以上")
    assert _one(replace(BASE, skill_level=None), "min_level", level=4) == (False, "技能等级 未登记，要求 技师及以上")


def test_frontline() -> None:
    assert _one(BASE, "frontline") == (True, "一线职工")
    assert _one(replace(BASE, is_frontline=False), "frontline") == (False, "非一线职工，要求一线职工")


def test_skilled_years_count_whole_years_to_the_reference_day() -> None:
    assert _one(replace(BASE, work_start_date=date(2021, 6, 1)), "skilled_years", years=5) == (
        True, "技能岗位工作 5 年，要求 5 年及以上")
    assert _one(replace(BASE, work_start_date=date(2021, 6, 2)), "skilled_years", years=5) == (
        False, "技能岗位工作 4 年，要求 5 年及以上")
    assert _one(replace(BASE, work_start_date=None), "skilled_years", years=5) == (
        False, "参加工作时间未登记，要求技能岗位工作 5 年及以上")


def test_retirement_margin_follows_the_statutory_retirement_month() -> None:
    # A man born 1966-05: n = 17, delay ceil(17 / 4) = 5 months → retires 2026-10, 4 months on.
    man = replace(BASE, birth_date=date(1966, 5, 17))
    assert _one(man, "retirement_margin", years=5) == (False, "距法定退休 4个月，要求 5 年及以上")
    # A woman worker born 1980-03 (original age 50): n = 63, delay 32 months → retires 2032-11.
    woman = replace(BASE, birth_date=date(1980, 3, 9), retirement_category="woman_50")
    assert _one(woman, "retirement_margin", years=5) == (True, "距法定退休 6年5个月，要求 5 年及以上")
    assert _one(replace(woman, actual_retirement_date=date(2026, 1, 1)), "retirement_margin", years=5) == (
        False, "距法定退休 已过 5个月，要求 5 年及以上")


def test_exactly_five_years_before_retirement_passes() -> None:
    # A man born 1970-02: n = 62, delay 16 months → retires 2031-06, 60 months from 2026-06.
    passed, reason = _one(replace(BASE, birth_date=date(1970, 2, 1)), "retirement_margin", years=5)
    assert (passed, reason) == (True, "距法定退休 5年，要求 5 年及以上")
    # A month older: born 1970-01 → retires 2031-05, 59 months on.
    assert _one(replace(BASE, birth_date=date(1970, 1, 1)), "retirement_margin", years=5) == (
        False, "距法定退休 4年11个月，要求 5 年及以上")


def test_in_district() -> None:
    assert _one(BASE, "in_district") == (True, "在本区企业就业")
    assert _one(replace(BASE, employed_in_district=False), "in_district") == (
        False, "当前不在本区企业就业，要求在本区企业就业")


def test_not_holding_this_or_a_higher_tier() -> None:
    assert _one(BASE, "not_holding") == (True, "未获本工程称号")
    second = replace(BASE, tier_rank=2, tier_name="南浔首席技工")
    assert _one(replace(second, held_tier_rank=2, held_tier_name="南浔首席技工"), "not_holding") == (
        False, "已获 南浔首席技工 称号（同级层级），不得申报 南浔首席技工")
    assert _one(replace(second, held_tier_rank=1, held_tier_name="南浔工匠"), "not_holding") == (
        False, "已获 南浔工匠 称号（更高层级），不得申报 南浔首席技工")
    assert _one(replace(second, held_tier_rank=3, held_tier_name="南浔技术标兵"), "not_holding") == (
        True, "现有 南浔技术标兵 称号，低于申报的 南浔首席技工")


def test_not_barred_by_a_revocation() -> None:
    assert _one(BASE, "not_barred", years=None) == (True, "无被撤销称号记录")
    revoked = replace(BASE, revoked_on=date(2024, 3, 1))
    assert _one(revoked, "not_barred", years=None) == (False, "2024-03-01 被撤销称号，不得再申报")
    assert _one(revoked, "not_barred", years=3) == (
        False, "2024-03-01 被撤销称号，3 年内（至 2027-03-01）不得申报")
    assert _one(revoked, "not_barred", years=2) == (True, "2024-03-01 被撤销称号，已满 2 年")


def test_defaults_per_tier_and_all_pass_for_a_qualified_nominee() -> None:
    outcomes = check_eligibility(BASE, DEFAULT_RULES[1], on=ON)
    assert [o.key for o in outcomes] == ["frontline", "min_level", "skilled_years", "retirement_margin",
                                         "in_district", "not_holding", "not_barred"]
    assert is_eligible(outcomes)
    failing = check_eligibility(replace(BASE, skill_level=SkillLevel.SENIOR), DEFAULT_RULES[1], on=ON)
    assert not is_eligible(failing)
    assert [o.key for o in failing if not o.passed] == ["min_level"]
    # The lower tiers ask for less.
    assert is_eligible(check_eligibility(replace(BASE, tier_rank=2, skill_level=SkillLevel.SENIOR),
                                         DEFAULT_RULES[2], on=ON))


def test_bad_configuration_is_refused_in_chinese() -> None:
    assert validate_params("nope", {}) == ["未知的资格条件：nope"]
    assert validate_params("min_level", {}) == ["技能等级：缺少参数 level"]
    assert validate_params("min_level", {"level": 9}) == ["技能等级：没有这个技能等级 9"]
    assert validate_params("skilled_years", {"years": -1}) == ["技能岗位工作年限：参数 years 应为非负整数"]
    assert validate_params("skilled_years", {"years": True}) == ["技能岗位工作年限：参数 years 应为非负整数"]
    assert validate_params("frontline", {"x": 1}) == ["一线职工：多余的参数 x"]
    assert validate_params("not_barred", {"years": None}) == []
    with pytest.raises(ValueError, match="技能等级：缺少参数 level"):
        check_eligibility(BASE, [RuleSpec("min_level")], on=ON)
