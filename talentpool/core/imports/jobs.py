"""One background job per import (kind ``core.import``): the jobs page shows one entry that
follows both phases.

Phase ``check`` reads the uploaded file and validates every row, storing counts, the first errors
and the preview in ``job.result`` (and an error report as the job's result file, or the parsed
rows as its working copy when there are no errors). The confirmation (``confirm``) queues the same
job again for phase ``write``: it checks those rows again inside one transaction, with the records
they update locked, since the data may have changed, and writes everything or nothing.

Every file is encrypted (core.files); the upload is deleted when the check ends, the working copy
when the write ends, and both the copy and the error report after settings.IMPORT_FILE_HOURS
(manage.py purge_job_files).
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Iterator
from typing import Any

from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from talentpool.core import files
from talentpool.core.jobs import JobFailed, Progress, continue_job, job_handler
from talentpool.core.models import Job, JobStatus

from .preview import build_preview
from .reader import ImportFileError, Limits, Sheet, read_sheet, sheet_from_values
from .spec import ImportKindSpec, ImportMode, allowed_kinds, dump_values, load_values
from .validate import Outcome, validate_sheet
from .workbooks import build_error_report
from .write import write_outcome

IMPORT = "core.import"
CHECK, WRITE = "check", "write"
ERRORS_SHOWN = 200


def phase(job: Job) -> str:
    return WRITE if job.params.get("phase") == WRITE else CHECK


def describe(job: Job) -> str:
    """The import's phase as the jobs page shows it."""
    result = job.result if isinstance(job.result, dict) else {}
    writing = phase(job) == WRITE
    if job.status == JobStatus.QUEUED:
        return _("Waiting to be written") if writing else _("Waiting to be checked")
    if job.status == JobStatus.RUNNING:
        return _("Writing") if writing else _("Checking")
    if job.status == JobStatus.FAILED:
        return _("Not imported") if writing else _("Could not be checked")
    if result.get("stage") == "written":
        return _("Imported")
    if result.get("error_count"):
        return _("Has errors, nothing imported")
    return _("Checked, waiting for confirmation")


def review_url(job: Job) -> str:
    return reverse("core:import_review", args=[job.pk])


def _spec(job: Job) -> ImportKindSpec:
    key = job.params.get("kind")
    for spec in allowed_kinds(job.created_by):
        if spec.key == key:
            return spec
    raise JobFailed("您没有导入该类数据的权限")


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


@job_handler(IMPORT, describe=describe, page=review_url)
@_no_cycle_collection()
def run_import(job: Job, progress: Progress) -> dict[str, Any]:
    if phase(job) == WRITE:
        try:
            return _write(job, progress)
        finally:
            files.delete_work_file(job)  # written or not, the checked rows are not needed again
    return _check(job, progress)


# Checking -------------------------------------------------------------------------------------


def _read(job: Job, spec: ImportKindSpec, progress: Progress) -> Sheet:
    try:
        with job.input_file.open("rb") as handle:
            content = handle.read()
    except (OSError, ValueError):
        raise JobFailed("找不到上传的文件，请重新上传") from None
    try:
        return read_sheet(content, spec, limits=Limits.from_settings(), waiting=progress.beat)
    except ImportFileError as exc:
        raise JobFailed(str(exc)) from None


def _record_refusals(spec: ImportKindSpec, job: Job, outcome: Outcome) -> None:
    if spec.on_refusals is not None and outcome.refusals:
        spec.on_refusals(job.created_by, outcome.refusals)


def _check(job: Job, progress: Progress) -> dict[str, Any]:
    spec = _spec(job)
    sheet = _read(job, spec, progress)
    progress.total(len(sheet.rows))
    outcome = validate_sheet(sheet, actor=job.created_by, mode=job.params.get("mode", ImportMode.UPDATE),
                             progress=progress)
    _record_refusals(spec, job, outcome)
    parsed = ""
    if outcome.errors:
        progress.attach(f"import-errors-{job.pk}.xlsx", build_error_report(sheet, outcome.errors))
    else:
        # The write re-runs the database checks on these instead of parsing the file again.
        content = json.dumps({"columns": sheet.columns, "rows": [r.number for r in sheet.rows],
                              "values": dump_values(spec, outcome.values)}, ensure_ascii=False)
        parsed = files.save_work_file(job, content.encode())
    return {
        "stage": "validated",
        "kind": spec.key,
        "mode": outcome.mode.value,
        "rows": len(sheet.rows),
        "counts": outcome.counts,
        "error_count": len(outcome.errors),
        "errors": [e.as_dict() for e in outcome.errors[:ERRORS_SHOWN]],
        "notes": sheet.notes,
        "preview": build_preview(outcome),
        "parsed": parsed,
    }


# Confirming and writing -----------------------------------------------------------------------


def is_confirmable(job: Job) -> bool:
    result = job.result if isinstance(job.result, dict) else {}
    return (
        job.kind == IMPORT
        and phase(job) == CHECK
        and job.status == JobStatus.SUCCEEDED
        and result.get("stage") == "validated"
        and result.get("error_count") == 0
    )


def confirm(job: Job) -> bool:
    """Queue the write of a checked import without errors (once: the job row is locked and must
    still be waiting for its confirmation). False, and nothing queued, otherwise."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if not is_confirmable(job):
            return False
        continue_job(job, params={**job.params, "phase": WRITE})
    return True


def _parsed(job: Job, spec: ImportKindSpec) -> tuple[Sheet, list[dict[str, Any]]]:
    """The sheet and parsed cells the check kept (the upload itself is gone)."""
    content = files.read_work_file(job)
    if content is None:
        raise JobFailed(
            f"校验结果只保留 {files.retention_hours()} 小时，已过期删除，未写入任何数据；请重新上传文件"
        )
    data = json.loads(content)
    return sheet_from_values(spec, data["columns"], data["rows"]), load_values(spec, data["values"])


class _Changed(Exception):
    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome


def _write(job: Job, progress: Progress) -> dict[str, Any]:
    spec = _spec(job)
    sheet, values = _parsed(job, spec)
    progress.total(2 * len(sheet.rows))
    try:
        with transaction.atomic():
            # The check again, locking the records the update changes until the commit.
            outcome = validate_sheet(sheet, actor=job.created_by, mode=job.params.get("mode", ImportMode.UPDATE),
                                     progress=progress, parsed_values=values, lock=True)
            if outcome.errors:
                raise _Changed(outcome)
            counts = write_outcome(outcome, actor=job.created_by, filename=job.params.get("filename", ""),
                                   job_id=job.pk, progress=progress)
    except _Changed as exc:
        _record_refusals(spec, job, exc.outcome)  # after the rollback, so they stay
        rows = exc.outcome.counts["errors"]
        first = exc.outcome.errors[0]
        raise JobFailed(
            f"校验之后数据发生了变化，重新校验时有 {rows} 行出错"
            f"（如第 {first.row} 行“{first.column}”：{first.reason}），未写入任何数据；请重新上传文件"
        ) from None
    except DatabaseError:
        raise JobFailed("写入数据库时出错，已全部撤销，未写入任何数据；请稍后重新上传文件") from None
    result = job.result if isinstance(job.result, dict) else {}
    return {**result, "stage": "written", "written": counts, "parsed": ""}
