"""When a new employment may start, given the worker's history (one open employment at a time,
periods never overlapping). Shared by the registry's services and its Excel import."""

from __future__ import annotations

from datetime import date, timedelta


class EmploymentConflict(ValueError):
    """The new employment would overlap the worker's current or previous one."""


def check_next_employment(start: date, *, current_start: date | None = None, last_end: date | None = None) -> None:
    """Raise EmploymentConflict unless an employment starting on ``start`` can follow the current
    one (which then ends the day before) and the last ended one."""
    if current_start is not None and start <= current_start:
        raise EmploymentConflict(
            f"入职时间（{start.isoformat()}）应晚于该职工当前任职的开始时间（{current_start.isoformat()}）"
        )
    if last_end is not None and start <= last_end:
        raise EmploymentConflict(
            f"入职时间（{start.isoformat()}）应晚于该职工上一段任职的结束时间（{last_end.isoformat()}）"
        )


def end_of_previous(start: date) -> date:
    """The current employment ends the day before the next one starts."""
    return start - timedelta(days=1)
