"""The rules of a master–apprentice pair (师徒结对), whichever path makes it (form, service, import).

- A worker cannot be their own master.
- A pair runs from its start date to its end date, both days included; no end date means the
  pair is ongoing (open-ended). Two pairs of the same master and apprentice may not overlap: they
  overlap when some day lies in both. So a pair ending on D and one starting on D **overlap** (on
  day D the apprentice would be in both); one starting on D + 1 does not.
- A pair ends on or after the day it starts, starts no later than today and not before either
  worker was born; when it is completed or ended early its end date is no later than today.
- A benefit created is an amount of yuan, not negative, written as offices write it ("1,234.5",
  full-width digits, "¥", "元").

Messages are Chinese and never show a birth date (beside a masked ID number it gives the number
away, see rules.dates)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "MAX_BENEFIT",
    "InvalidAmount",
    "Period",
    "closing_date_error",
    "date_errors",
    "overlapping",
    "own_master_error",
    "parse_yuan",
    "periods_overlap",
]

OWN_MASTER = "师傅和徒弟不能是同一名职工"
OVERLAP = "这对师徒在该期间已有结对记录（时间重叠）；如需续签，请先结束原结对或调整日期"
MAX_BENEFIT = Decimal("999999999999.99")  # 14 digits, 2 places (the model's field)
CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Period:
    """The days of a pair: ``start`` to ``end`` inclusive; ``end`` None means ongoing."""

    start: date
    end: date | None = None


def periods_overlap(a: Period, b: Period) -> bool:
    """Whether some day lies in both ``a`` and ``b`` (inclusive ends; an open end never ends)."""
    a_before_b_ends = b.end is None or a.start <= b.end
    b_before_a_ends = a.end is None or b.start <= a.end
    return a_before_b_ends and b_before_a_ends


def overlapping(period: Period, others: Iterable[Period]) -> Period | None:
    """The first of ``others`` that overlaps ``period``, or None."""
    return next((other for other in others if periods_overlap(period, other)), None)


def own_master_error(master_id: object, apprentice_id: object) -> str | None:
    """Why ``master_id`` cannot be the master of ``apprentice_id``: the same worker."""
    if master_id is not None and master_id == apprentice_id:
        return OWN_MASTER
    return None


def date_errors(
    start: date,
    end: date | None,
    *,
    today: date,
    master_birth: date | None = None,
    apprentice_birth: date | None = None,
) -> dict[str, str]:
    """Why a pair cannot run from ``start`` to ``end``, by field (``start_date``, ``end_date``)."""
    errors: dict[str, str] = {}
    if start > today:
        errors["start_date"] = f"开始日期（{start.isoformat()}）晚于今天"
    elif master_birth is not None and start < master_birth:
        errors["start_date"] = f"开始日期（{start.isoformat()}）早于师傅的出生日期"
    elif apprentice_birth is not None and start < apprentice_birth:
        errors["start_date"] = f"开始日期（{start.isoformat()}）早于徒弟的出生日期"
    if end is not None and end < start:
        errors["end_date"] = f"结束日期（{end.isoformat()}）早于开始日期（{start.isoformat()}）"
    return errors


def closing_date_error(end: date, *, start: date, today: date) -> str | None:
    """Why a pair that began on ``start`` cannot be completed or ended on ``end``."""
    if end > today:
        return f"结束日期（{end.isoformat()}）晚于今天"
    if end < start:
        return f"结束日期（{end.isoformat()}）早于开始日期（{start.isoformat()}）"
    return None


class InvalidAmount(ValueError):
    """An amount of yuan that cannot be read; the message is Chinese."""


def parse_yuan(value: object) -> Decimal:
    """An amount of yuan, rounded to the fen: a number, or text as offices write it — thousands
    separators (``1,234.5``, ``1，234``), full-width digits (``１２３４．５``), a ``¥``/``￥`` sign
    or a ``元`` after it, spaces anywhere. Negative, non-numeric or too large: InvalidAmount."""
    if isinstance(value, bool):
        raise InvalidAmount("金额应为数字（元）")
    if isinstance(value, int | float | Decimal):
        text = str(value)
    else:
        text = unicodedata.normalize("NFKC", str(value))
        for char in (",", "，", " ", "\u3000", "¥", "￥", "元"):
            text = text.replace(char, "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise InvalidAmount(f"无法识别的金额“{str(value)[:20]}”，应为数字（元），如 1234.50") from None
    if not amount.is_finite():
        raise InvalidAmount(f"无法识别的金额“{str(value)[:20]}”，应为数字（元），如 1234.50")
    if amount < 0:
        raise InvalidAmount("金额不能为负数")
    if amount > MAX_BENEFIT:
        raise InvalidAmount("金额过大")
    return amount.quantize(CENTS, rounding=ROUND_HALF_UP)
