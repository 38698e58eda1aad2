"""Objective points from a nominee's records (RULES.md §7), and the final score.

A campaign keeps, per kind of record, a :class:`Category`: the point table (:class:`PointRule`
rows, the first matching row gives a record its points), a cap, whether only the highest record
counts, and a look-back window in years. The kinds and what their ``level`` holds:

- ``certificate``: the skill level (rules.skills.SkillLevel value, as a string: "4" = 技师).
- ``competition``: the competition's level (national … enterprise), its class (first / second,
  "" for unclassed) and the rank.
- ``honour``: the honour's level (national … enterprise).
- ``apprentice``: one per apprentice trained (a mentorship pair as master); level unused.
- ``innovation``: a commended innovation's commendation level (national … enterprise).

Defaults follow the published 100-point forms: certificate 一级 15, 二级 12, 三级 10, 四级 2,
五级 1 (highest only); competition awards by level and rank in the last 3 years (highest only,
capped); honours by level; apprentices per apprentice (capped); commended innovations. Each
counted record carries its reason in Chinese, so the ranking screen can show every part.

Pure: no Django, no database. Points are Decimal."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from talentpool.rules.skills import SkillLevel

__all__ = [
    "DEFAULT_CATEGORIES",
    "KINDS",
    "LEVEL_LABELS",
    "Category",
    "CategoryScore",
    "Counted",
    "ObjectiveScore",
    "PointRule",
    "Record",
    "category_errors",
    "final_score",
    "objective_points",
]

KINDS = {"certificate": "技能等级证书", "competition": "技能竞赛获奖", "honour": "荣誉",
         "apprentice": "带徒", "innovation": "“五小”成果表彰"}
LEVEL_LABELS = {"national": "国家级", "provincial": "省级", "city": "市级", "district": "区级", "enterprise": "企业级"}
CLASS_LABELS = {"first": "一类", "second": "二类"}


@dataclass(frozen=True)
class Record:
    kind: str
    on: date | None
    level: str = ""
    rank: int | None = None
    competition_class: str = ""
    label: str = ""  # what it is, e.g. the competition's or the honour's name


@dataclass(frozen=True)
class PointRule:
    points: Decimal
    level: str = ""  # "" = any level
    rank_from: int | None = None  # competitions: the rank range (inclusive); None = any rank
    rank_to: int | None = None
    competition_class: str = ""  # "" = any class

    def matches(self, record: Record) -> bool:
        if self.level and record.level != self.level:
            return False
        if self.competition_class and record.competition_class != self.competition_class:
            return False
        if self.rank_from is not None or self.rank_to is not None:
            if record.rank is None:
                return False
            if self.rank_from is not None and record.rank < self.rank_from:
                return False
            if self.rank_to is not None and record.rank > self.rank_to:
                return False
        return True


@dataclass(frozen=True)
class Category:
    kind: str
    rules: tuple[PointRule, ...]
    cap: Decimal | None = None
    highest_only: bool = False
    window_years: int | None = None  # only records of the last N years before the reference day

    @property
    def label(self) -> str:
        return KINDS[self.kind]


@dataclass(frozen=True)
class Counted:
    record: Record
    points: Decimal
    reason: str


@dataclass(frozen=True)
class CategoryScore:
    kind: str
    label: str
    points: Decimal  # after the cap
    counted: tuple[Counted, ...]  # the records that count, with their points
    notes: tuple[str, ...]  # 只计最高一项, 封顶 20 分, 近 3 年 …


@dataclass(frozen=True)
class ObjectiveScore:
    total: Decimal
    categories: tuple[CategoryScore, ...]


def _d(value: int | str) -> Decimal:
    return Decimal(value)


def _level_rules(points: Mapping[str, int]) -> tuple[PointRule, ...]:
    return tuple(PointRule(_d(p), level=level) for level, p in points.items())


DEFAULT_CATEGORIES: tuple[Category, ...] = (
    # 特级技师 and 首席技师 rank above 一级 (高级技师) and take its points.
    Category("certificate", _level_rules({"7": 15, "6": 15, "5": 15, "4": 12, "3": 10, "2": 2, "1": 1}),
             cap=_d(15), highest_only=True),
    Category("competition", tuple(
        PointRule(_d(p), level=level, rank_from=low, rank_to=high)
        for level, bands in (("national", (20, 16, 12)), ("provincial", (15, 12, 9)), ("city", (10, 8, 6)),
                             ("district", (6, 4, 3)), ("enterprise", (2, 1, 0)))
        for (low, high), p in zip(((1, 3), (4, 6), (7, 10)), bands, strict=True) if p
    ), cap=_d(20), highest_only=True, window_years=3),
    Category("honour", _level_rules({"national": 20, "provincial": 15, "city": 10, "district": 6, "enterprise": 2}),
             cap=_d(20), highest_only=True),
    Category("apprentice", (PointRule(_d(2)),), cap=_d(10)),
    Category("innovation", _level_rules({"national": 10, "provincial": 8, "city": 6, "district": 4,
                                         "enterprise": 2}), cap=_d(10), window_years=5),
)


def _within(record: Record, on: date, years: int | None) -> bool:
    if record.on is None:
        return years is None
    if record.on > on:
        return False
    if years is None:
        return True
    try:
        start = on.replace(year=on.year - years)
    except ValueError:  # 29 February
        start = on.replace(year=on.year - years, day=28)
    return record.on > start


def _describe(record: Record) -> str:
    if record.kind == "certificate":
        what = SkillLevel(int(record.level)).label if record.level.isdigit() else record.level
    elif record.kind == "competition":
        level = LEVEL_LABELS.get(record.level, record.level)
        klass = CLASS_LABELS.get(record.competition_class, "")
        rank = f" 第{record.rank}名" if record.rank is not None else ""
        what = f"{record.label}（{level}{klass}{'竞赛' if not klass else ''}）{rank}".strip()
    elif record.kind in ("honour", "innovation"):
        what = f"{record.label}（{LEVEL_LABELS.get(record.level, record.level)}）"
    else:
        what = record.label or KINDS[record.kind]
    return f"{what}{f'，{record.on.year}年' if record.on else ''}"


def _fmt(points: Decimal) -> str:
    text = f"{points:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def category_errors(category: Category) -> list[str]:
    """What is wrong with one category's configuration, in Chinese (empty: valid)."""
    problems = []
    if category.kind not in KINDS:
        return [f"未知的记录类别：{category.kind}"]
    label = category.label
    if category.cap is not None and category.cap < 0:
        problems.append(f"{label}：封顶分不能为负")
    if category.window_years is not None and category.window_years < 1:
        problems.append(f"{label}：计分年限至少 1 年")
    for n, rule in enumerate(category.rules, start=1):
        if rule.points < 0:
            problems.append(f"{label} 第{n}条：分值不能为负")
        if rule.rank_from is not None and rule.rank_to is not None and rule.rank_from > rule.rank_to:
            problems.append(f"{label} 第{n}条：名次范围 {rule.rank_from}–{rule.rank_to} 起止颠倒")
        if rule.level and category.kind in ("competition", "honour", "innovation") and rule.level not in LEVEL_LABELS:
            problems.append(f"{label} 第{n}条：没有这个级别 {rule.level}")
    return problems


def _score(category: Category, records: Sequence[Record], on: date) -> CategoryScore:
    notes = []
    if category.window_years is not None:
        notes.append(f"近 {category.window_years} 年")
    counted = []
    for record in records:
        if record.kind != category.kind or not _within(record, on, category.window_years):
            continue
        rule = next((r for r in category.rules if r.matches(record)), None)
        if rule is None or not rule.points:
            continue
        counted.append(Counted(record, rule.points, f"{_describe(record)}：{_fmt(rule.points)} 分"))
    # Highest points first; among equal points the earlier record, then by its description.
    counted.sort(key=lambda c: (-c.points, c.record.on or date.min, c.reason))
    if category.highest_only and counted:
        notes.append("只计最高一项")
        counted = counted[:1]
    points = sum((c.points for c in counted), Decimal(0))
    if category.cap is not None:
        notes.append(f"封顶 {_fmt(category.cap)} 分")
        if points > category.cap:
            notes.append(f"已按封顶计（原 {_fmt(points)} 分）")
            points = category.cap
    return CategoryScore(category.kind, category.label, points, tuple(counted), tuple(notes))


def objective_points(records: Iterable[Record], categories: Iterable[Category] = DEFAULT_CATEGORIES, *,
                     on: date) -> ObjectiveScore:
    """The objective points of one nominee's records as of the reference day ``on``."""
    rows = list(records)
    scores = []
    for category in categories:
        problems = category_errors(category)
        if problems:
            raise ValueError("；".join(problems))
        scores.append(_score(category, rows, on))
    return ObjectiveScore(sum((s.points for s in scores), Decimal(0)), tuple(scores))


def final_score(objective: Decimal, expert_score: Decimal | None, expert_weight: Decimal) -> Decimal:
    """Final score = objective points + weight × the expert score (None: not reviewed yet, 0)."""
    if expert_weight < 0:
        raise ValueError("专家评分权重不能为负")
    return objective + expert_weight * (expert_score or Decimal(0))
