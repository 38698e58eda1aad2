"""What the review page shows of a checked import (kept in the job's result, so JSON only):
the first rows as read with what each will do, the fields each update changes (old → new,
personal data masked), and the warnings of each row, as text."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from .spec import ImportKindSpec
from .validate import STATUS_LABELS, Outcome, Plan, Status

PREVIEW_ROWS = 20  # rows of the file shown as read
LISTED = 200  # updated rows and rows with warnings listed below the preview


EMPTY = "—"


def _field(model: type[models.Model] | None, key: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:  # a key the kind adds (a worker's new enterprise)
        return None
    return field if isinstance(field, models.Field) else None


def _shown(value: Any, field: models.Field[Any, Any] | None) -> str:
    """A value of an update's diff (plain, personal numbers already masked) as it reads."""
    if value is None or value == "":
        return EMPTY
    if field is not None and field.choices:
        labels = {str(k): v for k, v in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def change_lines(spec: ImportKindSpec, changes: dict[str, Any]) -> list[dict[str, str]]:
    """An update's ``{field: [old, new]}`` (core.audit.diff, personal data masked) as lines
    ``{"field", "old", "new"}``: a column of the file is named by its header, another field by its
    label on the kind's model; a choice reads as its label, a yes/no as 是/否, nothing as —."""
    headers = {c.key: c.header for c in spec.columns}
    lines = []
    for key, pair in changes.items():
        old, new = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        field = _field(spec.model, key)
        label = headers.get(key) or (str(field.verbose_name) if field is not None else key)
        lines.append({"field": label, "old": _shown(old, field), "new": _shown(new, field)})
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
