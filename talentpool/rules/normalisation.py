"""Expert-score normalisation (harsh and lenient reviewers) and the per-nomination summary.

An expert who has scored at least ``min_count`` nominations has each score replaced by its
z-score within that expert's own scores, rescaled to the raw range: the pooled mean and standard
deviation of every expert's raw scores (population sd), then clipped to ``[low, high]`` (the
form's bounds). An expert whose scores are all equal keeps their spread (none) and is moved by
the difference of means only. Below ``min_count`` there is too little to tell a harsh expert from
a weak batch: the scores stay raw and the result says so (``corrected`` False).

Pure: no Django, no database."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["ExpertNote", "Normalised", "Summary", "normalise", "summarise"]

ExpertT = TypeVar("ExpertT", bound=Hashable)
ItemT = TypeVar("ItemT", bound=Hashable)  # a nomination


@dataclass(frozen=True)
class Normalised:
    raw: float
    normalised: float
    corrected: bool


@dataclass(frozen=True)
class ExpertNote:
    count: int
    mean: float
    sd: float
    corrected: bool
    note: str  # Chinese, for the screen


@dataclass(frozen=True)
class Summary:
    count: int
    raw_mean: float
    raw_median: float
    normalised_mean: float
    normalised_median: float


def normalise(
    scores: Mapping[tuple[ExpertT, ItemT], float], *, low: float, high: float, min_count: int,
) -> tuple[dict[tuple[ExpertT, ItemT], Normalised], dict[ExpertT, ExpertNote]]:
    """``scores`` maps (expert, nomination) → the expert's total raw score for it. Returns the
    normalised score per key and a note per expert."""
    if low > high:
        raise ValueError("分数下限高于上限")
    if min_count < 2:
        raise ValueError("标准化至少需要每位专家评 2 份")
    for key, value in scores.items():
        if not math.isfinite(value) or not low <= value <= high:
            raise ValueError(f"分数 {value} 超出 {low}–{high} 的范围：{key}")
    by_expert: dict[ExpertT, list[float]] = defaultdict(list)
    for (expert, _item), value in scores.items():
        by_expert[expert].append(value)
    values = list(scores.values())
    pooled_mean = statistics.fmean(values) if values else 0.0
    pooled_sd = statistics.pstdev(values) if len(values) > 1 else 0.0
    notes: dict[ExpertT, ExpertNote] = {}
    for expert, own in by_expert.items():
        mean = statistics.fmean(own)
        sd = statistics.pstdev(own) if len(own) > 1 else 0.0
        corrected = len(own) >= min_count
        note = (f"已标准化（评 {len(own)} 份，均分 {mean:.2f}，标准差 {sd:.2f}）" if corrected else
                f"评分不足 {min_count} 份（{len(own)} 份），不作标准化，按原始分计")
        notes[expert] = ExpertNote(len(own), mean, sd, corrected, note)
    result = {}
    for (expert, item), value in scores.items():
        info = notes[expert]
        if not info.corrected:
            result[(expert, item)] = Normalised(value, value, False)
            continue
        if info.sd > 0:
            adjusted = pooled_mean + (value - info.mean) / info.sd * pooled_sd
        else:
            adjusted = value - info.mean + pooled_mean
        result[(expert, item)] = Normalised(value, min(high, max(low, adjusted)), True)
    return result, notes


def summarise(normalised: Mapping[tuple[ExpertT, ItemT], Normalised]) -> dict[ItemT, Summary]:
    """Per nomination: how many scores, and the mean and median of the raw and normalised ones."""
    by_item: dict[ItemT, list[Normalised]] = defaultdict(list)
    for (_expert, item), value in normalised.items():
        by_item[item].append(value)
    return {
        item: Summary(
            len(rows),
            statistics.fmean(r.raw for r in rows), statistics.median(r.raw for r in rows),
            statistics.fmean(r.normalised for r in rows), statistics.median(r.normalised for r in rows),
        )
        for item, rows in by_item.items()
    }
