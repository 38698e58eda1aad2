"""Objective points (rules/scoring.py): tables, highest-only, caps, windows, reasons."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from talentpool.rules.scoring import (
    DEFAULT_CATEGORIES,
    Category,
    PointRule,
    Record,
    category_errors,
    final_score,
    objective_points,
)

ON = date(2026, 6, 1)


def _by_kind(records: list[Record], **kwargs: object) -> dict[str, Decimal]:
    score = objective_points(records, on=ON, **kwargs)  # type: ignore[arg-type]
    return {c.kind: c.points for c in score.categories}


def test_certificate_points_follow_rules_md_highest_only() -> None:
    for level, points in (("5", 15), ("4", 12), ("3", 10), ("2", 2), ("1", 1), ("7", 15)):
        assert _by_kind([Record("certificate", date(2020, 1, 1), level=level)])["certificate"] == points
    two = [Record("certificate", date(2015, 1, 1), level="3"), Record("certificate", date(2021, 1, 1), level="4")]
    score = objective_points(two, on=ON)
    certificate = score.categories[0]
    assert certificate.points == 12
    assert [c.reason for c in certificate.counted] == ["技师（二级），2021年：12 分"]
    assert certificate.notes == ("只计最高一项", "封顶 15 分")


def test_competition_awards_count_the_last_three_years_highest_only() -> None:
    records = [
        Record("competition", date(2025, 10, 1), level="city", rank=2, label="湖州市职业技能大赛"),
        Record("competition", date(2024, 9, 1), level="provincial", rank=5, competition_class="first",
               label="浙江省技能大赛"),
        Record("competition", date(2023, 5, 31), level="national", rank=1, label="全国大赛"),  # > 3 years before
        Record("competition", date(2026, 7, 1), level="national", rank=1, label="未来"),  # after the day
    ]
    score = objective_points(records, on=ON)
    competition = next(c for c in score.categories if c.kind == "competition")
    assert competition.points == 12
    assert [c.reason for c in competition.counted] == ["浙江省技能大赛（省级一类） 第5名，2024年：12 分"]
    assert competition.notes == ("近 3 年", "只计最高一项", "封顶 20 分")
    # Exactly three years back is outside the window; a day later is inside.
    edge = [Record("competition", date(2023, 6, 1), level="national", rank=1),
            Record("competition", date(2023, 6, 2), level="district", rank=3)]
    assert _by_kind(edge)["competition"] == 6


def test_apprentices_add_up_to_their_cap_and_say_so() -> None:
    apprentices = [Record("apprentice", date(2019 + n, 1, 1), label=f"徒弟{n}") for n in range(7)]
    score = objective_points(apprentices, on=ON)
    apprentice = next(c for c in score.categories if c.kind == "apprentice")
    assert apprentice.points == 10
    assert len(apprentice.counted) == 7
    assert apprentice.notes == ("封顶 10 分", "已按封顶计（原 14 分）")


def test_total_and_an_unmatched_record_counts_nothing() -> None:
    records = [Record("certificate", date(2020, 1, 1), level="4"),
               Record("honour", date(2022, 4, 28), level="city", label="湖州市五一劳动奖章"),
               Record("innovation", date(2024, 1, 1), level="district", label="数控刀具改进"),
               Record("competition", date(2025, 1, 1), level="enterprise", rank=9)]  # no enterprise band for 9
    score = objective_points(records, on=ON)
    assert score.total == Decimal(12 + 10 + 4)
    assert {c.kind: len(c.counted) for c in score.categories} == {
        "certificate": 1, "competition": 0, "honour": 1, "apprentice": 0, "innovation": 1}


def test_first_matching_rule_wins_and_class_filters() -> None:
    category = Category("competition", (PointRule(Decimal("9.5"), level="city", competition_class="first"),
                                        PointRule(Decimal(3), level="city")), cap=None, highest_only=True)
    first = Record("competition", date(2025, 1, 1), level="city", rank=1, competition_class="first")
    second = Record("competition", date(2025, 1, 1), level="city", rank=1, competition_class="second")
    assert objective_points([first], [category], on=ON).total == Decimal("9.5")
    assert objective_points([second], [category], on=ON).total == 3


def test_ties_take_the_earlier_record() -> None:
    records = [Record("honour", date(2022, 1, 1), level="city", label="乙"),
               Record("honour", date(2020, 1, 1), level="city", label="甲")]
    score = objective_points(records, on=ON)
    honour = next(c for c in score.categories if c.kind == "honour")
    assert [c.record.label for c in honour.counted] == ["甲"]


def test_configuration_errors_in_chinese() -> None:
    assert category_errors(Category("nope", ())) == ["未知的记录类别：nope"]
    bad = Category("competition", (PointRule(Decimal(-1)), PointRule(Decimal(1), rank_from=5, rank_to=3),
                                   PointRule(Decimal(1), level="moon")), cap=Decimal(-2), window_years=0)
    assert category_errors(bad) == ["技能竞赛获奖：封顶分不能为负", "技能竞赛获奖：计分年限至少 1 年",
                                    "技能竞赛获奖 第1条：分值不能为负", "技能竞赛获奖 第2条：名次范围 5–3 起止颠倒",
                                    "技能竞赛获奖 第3条：没有这个级别 moon"]
    assert all(category_errors(c) == [] for c in DEFAULT_CATEGORIES)
    with pytest.raises(ValueError, match="未知的记录类别"):
        objective_points([], [Category("nope", ())], on=ON)


def test_final_score() -> None:
    assert final_score(Decimal(30), Decimal("80.5"), Decimal("0.7")) == Decimal("86.35")
    assert final_score(Decimal(30), None, Decimal("0.7")) == Decimal(30)
    with pytest.raises(ValueError, match="权重不能为负"):
        final_score(Decimal(1), Decimal(1), Decimal(-1))
