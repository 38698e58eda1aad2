from __future__ import annotations

from talentpool.rules.promotion import Rule, overlapping_rules, propose, rule_errors
from talentpool.rules.skills import SkillLevel as L

RULES = [
    Rule("national", "first", 1, 3, 2, L.SENIOR_TECHNICIAN, id=1),
    Rule("national", "", 1, 10, 1, L.SENIOR_TECHNICIAN, id=2),
    Rule("provincial", "second", 1, 3, 1, L.TECHNICIAN, id=3),
    Rule("district", "first", 1, 1, 1, L.TECHNICIAN, id=4),
]


def p(level: str, cls: str, rank: int | None, current: int | None):  # type: ignore[no-untyped-def]
    return propose(RULES, level=level, competition_class=cls, rank=rank, current_level=current)


def test_most_favourable_rule_wins() -> None:
    result = p("national", "first", 2, L.SENIOR)
    assert result is not None
    assert (result.new_level, result.rule.id) == (L.SENIOR_TECHNICIAN, 1)


def test_blank_class_rule_matches_any_class_and_unclassed() -> None:
    assert p("national", "second", 2, L.SENIOR).rule.id == 2  # type: ignore[union-attr]
    assert p("national", "", 7, L.SENIOR).new_level == L.TECHNICIAN  # type: ignore[union-attr]
    assert p("provincial", "", 1, L.SENIOR) is None  # a class-specific rule needs that class


def test_cap_at_highest_level() -> None:
    result = p("national", "first", 1, L.TECHNICIAN)
    assert result is not None and result.new_level == L.SENIOR_TECHNICIAN and result.rule.id == 1


def test_no_proposal_when_not_above_current() -> None:
    assert p("provincial", "second", 1, L.TECHNICIAN) is None
    assert p("national", "first", 1, L.SENIOR_TECHNICIAN) is None
    assert p("national", "first", 11, L.JUNIOR) is None  # outside every range
    assert p("national", "first", None, L.JUNIOR) is None  # no rank yet


def test_worker_without_level_counts_from_junior() -> None:
    assert p("district", "first", 1, None).new_level == L.INTERMEDIATE  # type: ignore[union-attr]
    assert p("national", "first", 3, None).new_level == L.SENIOR  # type: ignore[union-attr]


def test_inactive_rules_ignored_and_ties_broken_by_class_then_width() -> None:
    rules = [Rule("city", "", 1, 5, 1, L.TECHNICIAN, id=9), Rule("city", "first", 1, 3, 1, L.TECHNICIAN, id=10),
             Rule("city", "first", 1, 3, 3, L.TECHNICIAN, id=11, active=False)]
    result = propose(rules, level="city", competition_class="first", rank=2, current_level=L.INTERMEDIATE)
    assert result is not None and (result.new_level, result.rule.id) == (L.SENIOR, 10)


def test_rule_errors_and_overlaps() -> None:
    assert rule_errors(Rule("city", "", 0, 3, 0, 4)) == {"rank_from": "起始名次应不小于 1",
                                                          "levels_up": "晋升级数应不小于 1"}
    assert rule_errors(Rule("city", "", 3, 2, 1, 4)) == {"rank_to": "截止名次应不小于起始名次"}
    assert rule_errors(Rule("city", "", 1, 3, 1, 4)) == {}
    new = Rule("national", "first", 3, 5, 1, 5)
    assert [r.id for r in overlapping_rules(new, RULES)] == [1]
    assert overlapping_rules(Rule("national", "first", 4, 5, 1, 5), RULES) == []
    assert overlapping_rules(RULES[0], RULES) == []  # itself
