"""Skill-level promotion from a competition result (破格晋升, seed 004: outstanding competitors may
be promoted to 技师 / 高级技师), proposed by a rule table an admin keeps.

A rule says: a rank from ``rank_from`` to ``rank_to`` (inclusive) at a competition of ``level``
(national … enterprise) and ``competition_class`` (``"first"``/``"second"``; blank: a competition
of any class, unclassed ones included) raises the worker ``levels_up`` levels of the eight-level
ladder (rules.skills.SkillLevel), never above ``highest_level``.

Pure: no Django, no database. The caller passes the rules as :class:`Rule` values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from talentpool.rules.skills import SkillLevel

__all__ = ["NO_LEVEL_BASE", "Proposal", "Rule", "overlapping_rules", "propose", "rule_errors"]

# A worker without a recorded level is promoted as if they held 初级工 (五级), the first level a
# certificate attests: +1 makes them 中级工. Their proposal's "level before" stays empty.
NO_LEVEL_BASE = SkillLevel.JUNIOR


@dataclass(frozen=True)
class Rule:
    level: str
    competition_class: str  # "" = any class (unclassed competitions included)
    rank_from: int
    rank_to: int
    levels_up: int
    highest_level: int
    id: int | None = None
    active: bool = True

    def matches(self, level: str, competition_class: str, rank: int) -> bool:
        return (
            self.active
            and self.level == level
            and (self.competition_class == "" or self.competition_class == competition_class)
            and self.rank_from <= rank <= self.rank_to
        )

    def new_level(self, current_level: int | None) -> int:
        base = NO_LEVEL_BASE if current_level is None else current_level
        return min(base + self.levels_up, self.highest_level)


@dataclass(frozen=True)
class Proposal:
    new_level: int
    rule: Rule


def _preference(rule: Rule, new_level: int) -> tuple[int, int, int, int, int]:
    """Smaller is preferred: see :func:`propose`."""
    return (
        -new_level,
        0 if rule.competition_class else 1,
        rule.rank_to - rule.rank_from,
        rule.rank_from,
        rule.id if rule.id is not None else 1 << 62,
    )


def propose(
    rules: Iterable[Rule], *, level: str, competition_class: str, rank: int | None, current_level: int | None
) -> Proposal | None:
    """The promotion a ``rank`` at a competition of ``level`` and ``competition_class`` ("" when
    unclassed) earns a worker at ``current_level`` (None: no level, counted from
    :data:`NO_LEVEL_BASE`), or None.

    Every active rule whose level, class (a blank class matches any) and rank range match is a
    candidate; its new level is ``min(base + levels_up, highest_level)``. A candidate whose new
    level is not above the worker's level (for a worker without one: not above the base) proposes
    nothing. Among the rest the most favourable wins, in this order: the highest new level; then a
    rule naming the competition's class before a blank-class one; then the narrower rank range;
    then the lower ``rank_from``; then the lower ``id``. No rank (no result yet): None."""
    if rank is None or rank < 1:
        return None
    base = NO_LEVEL_BASE if current_level is None else current_level
    best: tuple[tuple[int, int, int, int, int], Proposal] | None = None
    for rule in rules:
        if not rule.matches(level, competition_class, rank):
            continue
        new_level = rule.new_level(current_level)
        if new_level <= base:
            continue
        key = _preference(rule, new_level)
        if best is None or key < best[0]:
            best = (key, Proposal(new_level, rule))
    return best[1] if best is not None else None


def rule_errors(rule: Rule) -> dict[str, str]:
    """What is wrong with one rule by itself, by field (Chinese)."""
    errors: dict[str, str] = {}
    if rule.rank_from < 1:
        errors["rank_from"] = "起始名次应不小于 1"
    if rule.rank_to < rule.rank_from:
        errors["rank_to"] = "截止名次应不小于起始名次"
    if rule.levels_up < 1:
        errors["levels_up"] = "晋升级数应不小于 1"
    if rule.highest_level not in {int(level) for level in SkillLevel}:
        errors["highest_level"] = "最高可晋升等级无效"
    return errors


def overlapping_rules(rule: Rule, others: Iterable[Rule]) -> list[Rule]:
    """The rules of ``others`` (other than ``rule`` itself, by id) for the same competition level
    and class whose rank range overlaps ``rule``'s. Such a pair would make one rank match twice at
    the same level and class, so the table refuses it. A blank-class rule and a class-specific one
    may overlap: the class-specific one is then an exception (see :func:`propose`)."""
    return [
        other
        for other in others
        if (rule.id is None or other.id != rule.id)
        and other.level == rule.level
        and other.competition_class == rule.competition_class
        and other.rank_from <= rule.rank_to
        and rule.rank_from <= other.rank_to
    ]
