"""Conflicts of interest (回避) between a reviewing expert and a nominee, from the data: a shared
employer now or within the last years (default 3), a master–apprentice pair, or a relation one of
them declared. Each conflict explains itself in Chinese, so the admin's assignment screen can say
why an expert may not review a nomination.

Pure: no Django, no database. The caller passes the employments as :class:`Stint` values (an
expert's employer history is kept like a worker's: current employer, earlier ones with dates)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

__all__ = ["DEFAULT_WINDOW_YEARS", "Stint", "conflicts"]

DEFAULT_WINDOW_YEARS = 3


@dataclass(frozen=True)
class Stint:
    """Employment at ``enterprise`` (any stable key) from ``start`` to ``end`` (None: still there)."""

    enterprise: object
    name: str
    start: date | None = None
    end: date | None = None

    def reaches(self, since: date, on: date) -> bool:
        """Whether the stint overlaps [since, on]."""
        return (self.start is None or self.start <= on) and (self.end is None or self.end >= since)

    def overlap(self, other: Stint, since: date, on: date) -> bool:
        start = max(d for d in (self.start, other.start, since) if d is not None)
        ends = [d for d in (self.end, other.end, on) if d is not None]
        return start <= min(ends)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def conflicts(
    expert: Sequence[Stint], nominee: Sequence[Stint], *, nominating: Stint | None = None, on: date,
    window_years: int = DEFAULT_WINDOW_YEARS, master_apprentice: bool = False, declared: Iterable[str] = (),
) -> list[str]:
    """The reasons the expert may not review the nominee (empty: no conflict). ``nominating`` is
    the nominating enterprise (the nominee's current one when None); ``master_apprentice`` whether
    they form a pair in either direction; ``declared`` the relations declared (their notes)."""
    if window_years < 0:
        raise ValueError("回避年限不能为负")
    since = _years_before(on, window_years)
    reasons: list[str] = []
    seen: set[object] = set()
    current_nominee = [s for s in nominee if s.end is None]
    unit = nominating or (current_nominee[0] if current_nominee else None)
    expert_here = [s for s in expert if s.reaches(since, on)]
    if unit is not None:
        for stint in expert_here:
            if stint.enterprise == unit.enterprise:
                seen.add(unit.enterprise)
                reasons.append(f"专家现在推荐单位 {unit.name} 工作" if stint.end is None else
                               f"专家近 {window_years} 年内曾在推荐单位 {unit.name} 工作（至 {stint.end:%Y-%m-%d}）")
                break
    for mine in expert_here:
        if mine.enterprise in seen:
            continue
        for theirs in nominee:
            if theirs.enterprise == mine.enterprise and mine.overlap(theirs, since, on):
                seen.add(mine.enterprise)
                both_now = mine.end is None and theirs.end is None
                reasons.append(f"专家与被推荐人同在 {mine.name} 工作" if both_now else
                               f"专家与被推荐人近 {window_years} 年内曾同在 {mine.name} 工作")
                break
    if master_apprentice:
        reasons.append("专家与被推荐人是师徒关系")
    reasons += [f"申报的回避关系：{note}" if note else "申报的回避关系" for note in (n.strip() for n in declared)]
    return reasons
