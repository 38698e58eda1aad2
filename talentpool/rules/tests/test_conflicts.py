"""Conflicts of interest (rules/conflicts.py)."""

from __future__ import annotations

from datetime import date

import pytest

from talentpool.rules.conflicts import Stint, conflicts

ON = date(2026, 9, 1)
A = Stint(1, "甲公司", date(2015, 1, 1))  # current
B_OLD = Stint(2, "乙公司", date(2010, 1, 1), date(2024, 6, 30))


def test_no_shared_employer_no_conflict() -> None:
    assert conflicts([Stint(9, "职业技术学院", date(2000, 1, 1))], [A], on=ON) == []


def test_the_same_current_employer() -> None:
    assert conflicts([Stint(1, "甲公司", date(2020, 3, 1))], [A], on=ON) == ["专家现在推荐单位 甲公司 工作"]


def test_a_former_employer_within_three_years() -> None:
    left = Stint(1, "甲公司", date(2012, 1, 1), date(2024, 5, 31))
    assert conflicts([left], [A], on=ON) == ["专家近 3 年内曾在推荐单位 甲公司 工作（至 2024-05-31）"]
    long_ago = Stint(1, "甲公司", date(2012, 1, 1), date(2023, 8, 31))
    assert conflicts([long_ago], [A], on=ON) == []
    assert conflicts([long_ago], [A], on=ON, window_years=5) == [
        "专家近 5 年内曾在推荐单位 甲公司 工作（至 2023-08-31）"]


def test_worked_together_elsewhere_within_the_window() -> None:
    expert = [Stint(9, "学院", date(2024, 7, 1)), Stint(2, "乙公司", date(2018, 1, 1), date(2024, 6, 30))]
    assert conflicts(expert, [A, B_OLD], on=ON) == ["专家与被推荐人近 3 年内曾同在 乙公司 工作"]
    # at the same enterprise, but never at the same time
    later = [Stint(2, "乙公司", date(2024, 8, 1), date(2025, 1, 31))]
    assert conflicts(later, [A, B_OLD], on=ON) == []


def test_the_nominating_enterprise_counts_even_if_not_the_nominee_s_current() -> None:
    assert conflicts([Stint(2, "乙公司", date(2020, 1, 1))], [A], nominating=Stint(2, "乙公司"), on=ON) == [
        "专家现在推荐单位 乙公司 工作"]


def test_pairs_and_declared_relations() -> None:
    assert conflicts([], [A], on=ON, master_apprentice=True, declared=["亲属（表兄弟）", " "]) == [
        "专家与被推荐人是师徒关系", "申报的回避关系：亲属（表兄弟）", "申报的回避关系"]


def test_one_reason_per_enterprise() -> None:
    expert = [Stint(1, "甲公司", date(2016, 1, 1))]
    assert conflicts(expert, [A, Stint(1, "甲公司", date(2010, 1, 1), date(2014, 12, 31))], on=ON) == [
        "专家现在推荐单位 甲公司 工作"]


def test_a_negative_window_is_refused() -> None:
    with pytest.raises(ValueError, match="回避年限不能为负"):
        conflicts([], [], on=ON, window_years=-1)
