"""Excel import pages: choose a kind and upload (the check runs as a job), review the outcome
(progress while running, then counts, row errors, warnings, what each update changes, a preview),
confirm (the same job writes).

Each user sees the kinds their role may import (``ImportKindSpec.roles`` and ``allowed``); a user
who may import none gets 404 on every page. Only the job's creator or an admin sees an import's
review.

The upload is stored encrypted and deleted once checked; the error report and the checked rows
are kept for settings.IMPORT_FILE_HOURS (core.files). A review whose job's worker died shows it
failed (core.jobs.fail_dead_jobs runs on every poll).
"""

from __future__ import annotations

import io
import os
from typing import Any

from django import forms
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import HttpResponseClientRefresh

from talentpool.core import files
from talentpool.core.jobs import fail_dead_jobs, start_job
from talentpool.core.models import Job, JobStatus

from .jobs import CHECK, IMPORT, WRITE, confirm, is_confirmable, phase
from .spec import ImportKindSpec, ImportMode, allowed_kinds, import_kinds
from .workbooks import build_template

ALLOWED_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
WRONG_TYPE = "只能上传 Excel 文件（.xlsx、.xls）或 .ods 文件，请使用下载的导入模板"
TOO_LARGE = "文件超过 20 MB，请拆分后分批导入"
EMPTY_FILE = "上传的文件是空的"
MODE_CHOICES = [
    (ImportMode.UPDATE.value, gettext_lazy("Update them with the file's values")),
    (ImportMode.REPORT.value, gettext_lazy("Report them as errors")),
]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What to import"), widget=forms.RadioSelect)
    mode = forms.ChoiceField(
        label=gettext_lazy("Records already registered"),
        choices=MODE_CHOICES,
        initial=ImportMode.UPDATE.value,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label=gettext_lazy("Excel file"))

    def __init__(self, *args: Any, kinds: list[ImportKindSpec], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in kinds]  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if os.path.splitext(upload.name or "")[1].lower() not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(WRONG_TYPE)
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_LARGE)
        if upload.size == 0:
            raise forms.ValidationError(EMPTY_FILE)
        return upload


def _importer_kinds(request: HttpRequest) -> dict[str, ImportKindSpec]:
    kinds = {k.key: k for k in allowed_kinds(request.user)}
    if not kinds:
        raise Http404
    return kinds


def _kind_rows(kinds: dict[str, ImportKindSpec]) -> list[dict[str, Any]]:
    return [
        {"kind": k.key, "label": k.label, "template_url": reverse("core:import_template", args=[k.key]),
         "columns": "、".join(c.template_header for c in k.columns)}
        for k in kinds.values()
    ]


def import_start(request: HttpRequest) -> HttpResponse:
    kinds = _importer_kinds(request)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in kinds and kind in {k.key for k in import_kinds()}:
            raise Http404  # a kind this user may not import
        form = ImportForm(request.POST, request.FILES, kinds=list(kinds.values()))
        if form.is_valid():
            spec = kinds[form.cleaned_data["kind"]]
            upload = form.cleaned_data["file"]
            extension = os.path.splitext(upload.name)[1].lower()
            job = start_job(
                IMPORT,
                actor=request.user,  # type: ignore[arg-type]
                title=_("Import of %(kind)s: %(file)s") % {"kind": spec.label, "file": upload.name},
                params={"kind": spec.key, "mode": form.cleaned_data["mode"], "filename": upload.name,
                        "phase": CHECK},
                input_name=f"import{extension}",
                input_content=upload.read(),
            )
            return redirect("core:import_review", pk=job.pk)
        status = 400
    else:
        initial = request.GET.get("kind")
        form = ImportForm(kinds=list(kinds.values()),
                          initial={"kind": initial if initial in kinds else next(iter(kinds))})
        status = 200
    with_mode = [k.label for k in kinds.values() if k.has_mode]
    return render(request, "core/imports/start.html",
                  {"form": form, "kinds": _kind_rows(kinds), "title": _("Import from Excel"),
                   "mode_kinds": "、".join(with_mode), "file_hours": files.retention_hours()}, status=status)


def import_template(request: HttpRequest, kind: str) -> HttpResponseBase:
    kinds = _importer_kinds(request)
    if kind not in kinds:
        raise Http404
    spec = kinds[kind]
    return FileResponse(io.BytesIO(build_template(spec)), as_attachment=True, filename=spec.filename)


def _import_job(request: HttpRequest, pk: int) -> Job:
    _importer_kinds(request)
    user: Any = request.user
    jobs = Job.objects.filter(kind=IMPORT)
    if not user.is_admin:
        jobs = jobs.filter(created_by=user)
    job = jobs.filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    job = _import_job(request, pk)
    if request.method == "POST":
        return _confirm(request, job)
    if job.status == JobStatus.RUNNING and fail_dead_jobs([job]):
        job.refresh_from_db()
        if phase(job) == WRITE:
            files.delete_work_file(job)  # the checked rows cannot be confirmed again
    if request.headers.get("HX-Request"):
        if job.is_finished:
            return HttpResponseClientRefresh()
        return render(request, "core/imports/_progress.html", {"job": job, "writing": phase(job) == WRITE})
    return render(request, "core/imports/review.html", _review_context(job))


def _review_context(job: Job) -> dict[str, Any]:
    result = job.result if isinstance(job.result, dict) else {}
    spec = next((k for k in allowed_kinds(job.created_by) if k.key == job.params.get("kind")), None)
    preview = result.get("preview") or {}
    writing = phase(job) == WRITE
    return {
        "job": job,
        "running": not job.is_finished,
        "writing": writing,
        "written": result.get("stage") == "written",
        "write_failed": writing and job.status == JobStatus.FAILED,
        "check_failed": not writing and job.status == JobStatus.FAILED,
        "spec": spec,
        "result": result,
        "counts": result.get("counts", {}),
        "errors": result.get("errors", []),
        "errors_hidden": max(0, result.get("error_count", 0) - len(result.get("errors", []))),
        "preview": preview,
        "notes": result.get("notes", []),
        "mode_label": dict(MODE_CHOICES).get(job.params.get("mode"), "") if spec is None or spec.has_mode else "",
        "can_confirm": is_confirmable(job),
        "kept_until": files.kept_until(job),
        "title": job.title,
    }


def _confirm(request: HttpRequest, job: Job) -> HttpResponse:
    if not confirm(job):
        job.refresh_from_db()
        context = _review_context(job)
        context["refused"] = _("This import cannot be confirmed: it has errors, has not been validated yet or "
                               "was already confirmed. Nothing was written.")
        return render(request, "core/imports/review.html", context, status=400)
    return redirect("core:import_review", pk=job.pk)


def import_errors(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The error report: the uploaded rows with an 错误说明 column."""
    job = _import_job(request, pk)
    if not job.result_file:
        raise Http404
    try:
        report = job.result_file.open("rb")  # decrypted (core.files)
    except (OSError, ValueError):  # purged meanwhile, or not readable with the configured key
        raise Http404 from None
    return FileResponse(report, as_attachment=True, filename=f"导入错误报告-{job.pk}.xlsx")
