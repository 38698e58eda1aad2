"""Background job handlers of the registry (imports and large exports).

``registry.import.validate`` reads the uploaded file and validates every row, storing counts,
the first errors and a preview in ``job.result`` (and an error report as the job's result file,
or the validated rows as its working copy, when there are no errors).
``registry.import.write`` re-validates those rows, since the data may have changed, and writes
everything in one transaction or nothing.

Every file is encrypted (core.files); the upload is deleted when the validation ends, the
working copy when the write ends, and both the copy and the error report after
settings.IMPORT_FILE_HOURS (manage.py purge_job_files).
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Iterator
from typing import Any

from django.db import DatabaseError, transaction

from talentpool.core import files
from talentpool.core.jobs import JobFailed, Progress, job_handler
from talentpool.core.models import Job

from .imports import ImportMode, allowed_kinds, spec_for
from .imports.reader import ImportFileError, Limits, Sheet, read_sheet, sheet_from_values
from .imports.schema import dump_values, load_values, shown_id_number
from .imports.templates import build_error_report
from .imports.validate import STATUS_LABELS, Outcome, Status, validate_sheet
from .imports.write import write_outcome
from .services import record_refusals

VALIDATE = "registry.import.validate"
WRITE = "registry.import.write"
ERRORS_SHOWN = 200
PREVIEW_ROWS = 20


def _sheet(job: Job, progress: Progress) -> Sheet:
    kind = job.params["kind"]
    if kind not in allowed_kinds(job.created_by):
        raise JobFailed("您没有导入该类数据的权限")
    try:
        with job.input_file.open("rb") as handle:
            content = handle.read()
    except (OSError, ValueError):
        raise JobFailed("找不到上传的文件，请重新上传") from None
    try:
        return read_sheet(content, spec_for(kind), limits=Limits.from_settings(), waiting=progress.beat)
    except ImportFileError as exc:
        raise JobFailed(str(exc)) from None


def _preview(outcome: Outcome) -> dict[str, Any]:
    sheet = outcome.sheet
    columns = sheet.present
    rows = []
    for raw in sheet.rows[:PREVIEW_ROWS]:
        status = outcome.statuses.get(raw.number, Status.ERROR)
        cells = []
        for column in columns:
            text = raw.texts[column.key]
            cells.append(shown_id_number(raw.cells[column.key]) if column.is_id_number and text else text)
        rows.append({"row": raw.number, "status": status.value, "status_label": STATUS_LABELS[status],
                     "cells": cells})
    return {"headers": [c.header for c in columns], "rows": rows}


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while an import builds its hundred thousand short-lived
    objects (none of them cyclic): its repeated full passes over them were a tenth of a large
    import's time (bench/bench_import.py). Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@job_handler(VALIDATE)
@_no_cycle_collection()
def validate_import(job: Job, progress: Progress) -> dict[str, Any]:
    sheet = _sheet(job, progress)
    progress.total(len(sheet.rows))
    outcome = validate_sheet(sheet, actor=job.created_by, mode=job.params.get("mode", ImportMode.UPDATE),
                             progress=progress)
    record_refusals(job.created_by, outcome.refusals)
    parsed = ""
    if outcome.errors:
        progress.attach(f"import-errors-{job.pk}.xlsx", build_error_report(sheet, outcome.errors))
    else:
        # The write job re-runs the database checks on these instead of parsing the file again.
        content = json.dumps({"columns": sheet.columns, "rows": [r.number for r in sheet.rows],
                              "values": dump_values(sheet.spec, outcome.values)}, ensure_ascii=False)
        parsed = files.save_work_file(job, content.encode())
    return {
        "stage": "validated",
        "kind": sheet.spec.kind.value,
        "mode": outcome.mode.value,
        "rows": len(sheet.rows),
        "counts": outcome.counts,
        "error_count": len(outcome.errors),
        "errors": [e.as_dict() for e in outcome.errors[:ERRORS_SHOWN]],
        "notes": sheet.notes,
        "preview": _preview(outcome),
        "parsed": parsed,
    }


def _parsed(job: Job, source: Job) -> tuple[Sheet, list[dict[str, Any]]]:
    """The sheet and parsed cells the validation job kept (the upload itself is gone)."""
    kind = source.params["kind"]
    if kind not in allowed_kinds(job.created_by):
        raise JobFailed("您没有导入该类数据的权限")
    content = files.read_work_file(source)
    if content is None:
        raise JobFailed(
            f"校验结果只保留 {files.retention_hours()} 小时，已过期删除，未写入任何数据；请重新上传文件"
        )
    data = json.loads(content)
    spec = spec_for(kind)
    return sheet_from_values(spec, data["columns"], data["rows"]), load_values(spec, data["values"])


class _Changed(Exception):
    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome


@job_handler(WRITE)
@_no_cycle_collection()
def write_import(job: Job, progress: Progress) -> dict[str, Any]:
    source = Job.objects.get(pk=job.params["source_job"])
    try:
        return _write(job, source, progress)
    finally:
        files.delete_work_file(source)  # written or not, the validated rows are not needed again


def _write(job: Job, source: Job, progress: Progress) -> dict[str, Any]:
    sheet, values = _parsed(job, source)
    progress.total(2 * len(sheet.rows))
    try:
        with transaction.atomic():
            outcome = validate_sheet(sheet, actor=job.created_by, mode=source.params.get("mode", ImportMode.UPDATE),
                                     progress=progress, parsed_values=values)
            if outcome.errors:
                raise _Changed(outcome)
            counts = write_outcome(outcome, actor=job.created_by, filename=source.params.get("filename", ""),
                                   job_id=source.pk, progress=progress)
    except _Changed as exc:
        record_refusals(job.created_by, exc.outcome.refusals)  # after the rollback, so they stay
        rows = exc.outcome.counts["errors"]
        first = exc.outcome.errors[0]
        raise JobFailed(
            f"校验之后数据发生了变化，重新校验时有 {rows} 行出错"
            f"（如第 {first.row} 行“{first.column}”：{first.reason}），未写入任何数据；请重新上传文件"
        ) from None
    except DatabaseError:
        raise JobFailed("写入数据库时出错，已全部撤销，未写入任何数据；请稍后重新上传文件") from None
    return {"stage": "written", "kind": sheet.spec.kind.value, "counts": counts, "source_job": source.pk}
