"""Validating every row of an import before anything is written.

Each row's cells are parsed by its kind's columns (errors name the Excel row, the Chinese column
header and the reason), then the kind's validator (``ImportKindSpec.match``, a ``Validator``)
checks the row against the database: lookups are prefetched into dicts in a few queries, never one
query per row. The outcome is a plan per valid row (new / updated / unchanged, with the fields an
update changes and any warnings) plus the list of row errors; the writer refuses to run unless that
list is empty.

While the import is written, the check runs again inside the write's transaction with ``lock``:
the records an update changes are then read through ``Validator.matching`` with SELECT … FOR UPDATE
(in primary-key order), so a concurrent import or edit of the same records waits for this one
(PostgreSQL; SQLite has one writer at a time anyway).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .cells import Cell
from .reader import RawRow, Sheet
from .spec import Column, ImportMode

if TYPE_CHECKING:
    from talentpool.core.jobs import Progress

CHUNK = 900  # parameters per IN (...) query, well below SQLite's limit


class Status(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    ERROR = "error"


STATUS_LABELS = {Status.NEW: "新增", Status.UPDATED: "更新", Status.UNCHANGED: "不变", Status.ERROR: "错误"}


@dataclass(frozen=True)
class RowError:
    row: int  # Excel row number (header = 1)
    column: str  # Chinese header
    value: str  # the cell as shown to the user; personal data masked
    reason: str  # Chinese

    @property
    def message(self) -> str:
        return _("Row %(row)s, column “%(column)s”: %(reason)s") % {
            "row": self.row, "column": self.column, "reason": self.reason,
        }

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass
class Plan:
    """What the import does with one valid row. ``changes`` are an update's ``{field: [old, new]}``
    (core.audit.diff, personal data masked); ``warnings`` are doubts shown with the row (Chinese)."""

    row: int
    status: Status
    changes: dict[str, Any] = field(default_factory=dict, kw_only=True)
    warnings: list[str] = field(default_factory=list, kw_only=True)


@dataclass
class Outcome:
    sheet: Sheet
    mode: ImportMode
    plans: list[Plan]
    errors: list[RowError]
    statuses: dict[int, Status]
    values: list[dict[str, Any]]  # each row's parsed cells (before the database checks)
    # Rows refused in a way the kind records even when nothing is written (ImportKindSpec.on_refusals),
    # once any transaction around the check is over.
    refusals: list[dict[str, Any]] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(["new", "updated", "unchanged"], 0)
        for plan in self.plans:
            counts[plan.status.value] += 1
        counts["errors"] = len({e.row for e in self.errors})
        return counts

    @property
    def is_valid(self) -> bool:
        return not self.errors


def chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = list(values)
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def matching(queryset: QuerySet[Any], field: str, values: Iterable[Any], *, lock: bool = False) -> Iterable[Any]:
    """The rows of ``queryset`` whose ``field`` is one of ``values``: one ``= ANY(array)`` query
    on PostgreSQL (core/lookups.py), ``IN`` queries of CHUNK values elsewhere. With ``lock`` the
    rows are locked (FOR UPDATE OF the queryset's own table, in primary-key order, so that two
    imports locking some of the same rows cannot deadlock); inside a transaction only."""
    items = list(values)
    if not items:
        return
    queryset = queryset.select_for_update(of=("self",)).order_by("pk") if lock else queryset.order_by()
    if connection.vendor == "postgresql":
        yield from queryset.filter(**{f"{field}__any": items})
        return
    for chunk in chunks(items):
        yield from queryset.filter(**{f"{field}__in": chunk})


class Validator:
    """Parses and checks the rows of one sheet for one actor. A kind subclasses it with
    ``prefetch`` (the lookups, in a few queries) and ``check`` (one row: a Plan, or None with
    the row's errors recorded through ``error``)."""

    def __init__(self, sheet: Sheet, *, actor: Any, mode: ImportMode, lock: bool = False) -> None:
        self.sheet = sheet
        self.spec = sheet.spec
        self.actor = actor
        self.mode = mode
        self.lock = lock
        self.errors: list[RowError] = []
        self._error_rows: set[int] = set()
        self.present = sheet.present
        self._memo: dict[str, dict[str, tuple[bool, Any]]] = {c.key: {} for c in self.present if c.mask is None}
        self.refusals: list[dict[str, Any]] = []

    # Errors -----------------------------------------------------------------------------

    def shown(self, column: Column, value: Cell, text: str) -> str:
        if not text:
            return ""
        if column.mask is not None:
            return column.mask(value, text)
        return text if len(text) <= 40 else text[:39] + "…"

    def error(self, raw: RawRow, key: str, reason: str) -> None:
        column = self.spec.column(key)
        shown = self.shown(column, raw.cells.get(key), raw.texts.get(key, ""))
        self.errors.append(RowError(raw.number, column.header, shown, reason))
        self._error_rows.add(raw.number)

    def has_error(self, raw: RawRow) -> bool:
        return raw.number in self._error_rows

    # Lookups ----------------------------------------------------------------------------

    def matching(self, queryset: QuerySet[Any], field: str, values: Iterable[Any]) -> Iterable[Any]:
        """``matching`` for the records this import may change: locked while it is written."""
        return matching(queryset, field, values, lock=self.lock)

    def first_seen(self, seen: dict[Any, int], key: Any, raw: RawRow) -> int | None:
        """The row where ``key`` first appeared in this file, or None (and remember this row)."""
        if key in seen:
            return seen[key]
        seen[key] = raw.number
        return None

    # Running ----------------------------------------------------------------------------

    def parse(self, raw: RawRow) -> dict[str, Any]:
        values: dict[str, Any] = {}
        texts = raw.texts
        for column in self.present:
            key = column.key
            text = texts[key]
            if not text:
                if column.required:
                    self.error(raw, key, "必填项为空")
                continue
            cell = raw.cells[key]
            # A text cell's value depends on its text alone (see cells): each distinct text of a
            # column is parsed once. Personal data (masked columns) is not kept.
            memo = self._memo.get(key) if type(cell) is str else None
            if memo is not None and text in memo:
                ok, result = memo[text]
            else:
                try:
                    ok, result = True, column.parse(cell, text)
                except ValueError as exc:
                    ok, result = False, str(exc)
                if memo is not None:
                    memo[text] = (ok, result)
            if ok:
                values[key] = result
            else:
                self.error(raw, key, result)
        return values

    def run(self, progress: Progress | None = None, parsed_values: list[dict[str, Any]] | None = None) -> Outcome:
        rows = self.sheet.rows
        base = progress.job.progress_done if progress is not None else 0
        parsed: list[tuple[RawRow, dict[str, Any]]] = []
        if parsed_values is None:
            for index, raw in enumerate(rows, start=1):
                parsed.append((raw, self.parse(raw)))
                if progress is not None:
                    progress.advance(base + index)
        else:
            parsed = list(zip(rows, parsed_values, strict=True))
        clean = [dict(values) for _, values in parsed]  # before the checks add their lookups
        self.prefetch([values for _, values in parsed])
        plans: list[Plan] = []
        statuses: dict[int, Status] = {}
        for raw, values in parsed:
            plan = self.check(raw, values)
            if self.has_error(raw) or plan is None:
                statuses[raw.number] = Status.ERROR
            else:
                plans.append(plan)
                statuses[raw.number] = plan.status
        plans = self.finish(plans, statuses)
        self.errors.sort(key=lambda e: e.row)
        return Outcome(self.sheet, self.mode, plans, self.errors, statuses, clean, self.refusals)

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def check(self, raw: RawRow, values: dict[str, Any]) -> Plan | None:
        raise NotImplementedError

    def finish(self, plans: list[Plan], statuses: dict[int, Status]) -> list[Plan]:
        """After every row is checked: the plans that stand (a kind may refuse more rows here,
        setting their status to ERROR)."""
        return plans


def validate_sheet(
    sheet: Sheet,
    *,
    actor: Any,
    mode: ImportMode | str,
    progress: Progress | None = None,
    parsed_values: list[dict[str, Any]] | None = None,
    lock: bool = False,
) -> Outcome:
    """Parse and check every row of ``sheet`` with its kind's validator; nothing is written.

    With ``parsed_values`` (the ``Outcome.values`` of an earlier run on the same file) the cells
    are not parsed again: only the checks against the database run. With ``lock`` (inside the
    write's transaction) the records an update would change are locked as they are read."""
    validator = sheet.spec.match(sheet, actor=actor, mode=ImportMode(mode), lock=lock)
    return validator.run(progress, parsed_values)
