"""What the review page shows of a checked import (kept in the job's result, so JSON only):
the first rows as read with what each will do, the fields each update changes (old → new,
personal data masked), and the warnings of each row, as text."""

from __future__ import annotations

from typing import Any

from ..audit_display import _field, field_label, show_value
from .spec import ImportKindSpec
from .validate import STATUS_LABELS, Outcome, Plan, Status

PREVIEW_ROWS = 20  # rows of the file shown as read
LISTED = 200  # updated rows and rows with warnings listed below the preview


def change_lines(spec: ImportKindSpec, changes: dict[str, Any]) -> list[dict[str, str]]:
    """An update's ``{field: [old, new]}`` (core.audit.diff, personal data masked) as lines
    ``{"field", "old", "new"}``: a column of the file is named by its header, another field by its
    label on the kind's model; values read as the audit log shows them (core.audit_display: choice
    labels, 是/否, YYYY-MM-DD, personal numbers masked, nothing as —)."""
    headers = {c.key: c.header for c in spec.columns}
    lines = []
    for key, pair in changes.items():
        old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        field = _field(spec.model, key)
        label = headers.get(key) or field_label(spec.model, key)
        lines.append({"field": label, "old": show_value(old, field, spec.model, key),
                      "new": show_value(new, field, spec.model, key)})
    return lines


def _shown_cells(outcome: Outcome, raw: Any) -> list[str]:
    cells = []
    for column in outcome.sheet.present:
        text = raw.texts[column.key]
        cells.append(column.mask(raw.cells[column.key], text) if column.mask is not None and text else text)
    return cells


def _label(outcome: Outcome, plan: Plan, texts: dict[int, dict[str, str]]) -> str:
    """What names a listed row beside its number: the first column of the file, masked if personal."""
    first = outcome.sheet.present[0] if outcome.sheet.present else None
    row = texts.get(plan.row)
    if first is None or row is None or first.mask is not None:
        return ""
    return row.get(first.key, "")


def build_preview(outcome: Outcome) -> dict[str, Any]:
    sheet = outcome.sheet
    spec = sheet.spec
    plans = {p.row: p for p in outcome.plans}
    rows = []
    for raw in sheet.rows[:PREVIEW_ROWS]:
        status = outcome.statuses.get(raw.number, Status.ERROR)
        plan = plans.get(raw.number)
        rows.append({
            "row": raw.number,
            "status": status.value,
            "status_label": STATUS_LABELS[status],
            "cells": _shown_cells(outcome, raw),
            "changes": change_lines(spec, plan.changes) if plan is not None and status == Status.UPDATED else [],
            "warnings": list(plan.warnings) if plan is not None else [],
        })
    texts = {raw.number: raw.texts for raw in sheet.rows}
    updated = [p for p in outcome.plans if p.status == Status.UPDATED]
    warned = [p for p in outcome.plans if p.warnings]
    return {
        "headers": [c.header for c in sheet.present],
        "rows": rows,
        "updates": [{"row": p.row, "label": _label(outcome, p, texts), "changes": change_lines(spec, p.changes)}
                    for p in updated[:LISTED]],
        "updates_hidden": max(0, len(updated) - LISTED),
        "warnings": [{"row": p.row, "label": _label(outcome, p, texts), "warnings": list(p.warnings)}
                     for p in warned[:LISTED]],
        "warning_count": len(warned),
        "warnings_hidden": max(0, len(warned) - LISTED),
    }
