"""Excel import pages: choose a kind and upload (validation runs as a job), review the outcome
(progress while running, then counts, row errors, preview), confirm (the write runs as a job).

Admins import every kind; enterprise operators import their own workers, certificates and
honours; everyone else gets 404. Only the job's creator or an admin sees an import review.

The upload is stored encrypted and deleted once checked; the error report and the checked rows
are kept for settings.IMPORT_FILE_HOURS (core.files). A review whose job's worker died shows it
failed (core.jobs.fail_dead_jobs runs on every poll).
"""

from __future__ import annotations

import io
import os
from typing import Any

from django import forms
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import HttpResponseClientRefresh

from talentpool.core import files
from talentpool.core.jobs import fail_dead_jobs, start_job
from talentpool.core.models import Job, JobStatus

from .imports import SPECS, ImportKind, ImportMode, allowed_kinds, spec_for
from .imports.templates import build_template
from .jobs import VALIDATE, WRITE

ALLOWED_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
WRONG_TYPE = "只能上传 Excel 文件（.xlsx、.xls）或 .ods 文件，请使用下载的导入模板"
TOO_LARGE = "文件超过 20 MB，请拆分后分批导入"
EMPTY_FILE = "上传的文件是空的"


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What to import"), widget=forms.RadioSelect)
    mode = forms.ChoiceField(
        label=gettext_lazy("Records already registered (same ID number or credit code)"),
        choices=[
            (ImportMode.UPDATE.value, gettext_lazy("Update them with the file's values")),
            (ImportMode.REPORT.value, gettext_lazy("Report them as errors")),
        ],
        initial=ImportMode.UPDATE.value,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label=gettext_lazy("Excel file"))

    def __init__(self, *args: Any, kinds: list[ImportKind], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, SPECS[k].label) for k in kinds]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if os.path.splitext(upload.name or "")[1].lower() not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(WRONG_TYPE)
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_LARGE)
        if upload.size == 0:
            raise forms.ValidationError(EMPTY_FILE)
        return upload


def _importer_kinds(request: HttpRequest) -> list[ImportKind]:
    kinds = allowed_kinds(request.user)  # type: ignore[arg-type]
    if not kinds:
        raise Http404
    return kinds


def _kind_rows(kinds: list[ImportKind]) -> list[dict[str, Any]]:
    return [
        {"kind": k.value, "label": SPECS[k].label, "template_url": reverse("registry:import_template", args=[k.value]),
         "columns": "、".join(c.template_header for c in SPECS[k].columns)}
        for k in kinds
    ]


def import_start(request: HttpRequest) -> HttpResponse:
    kinds = _importer_kinds(request)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind in SPECS and ImportKind(kind) not in kinds:
            raise Http404
        form = ImportForm(request.POST, request.FILES, kinds=kinds)
        if form.is_valid():
            spec = spec_for(form.cleaned_data["kind"])
            upload = form.cleaned_data["file"]
            extension = os.path.splitext(upload.name)[1].lower()
            job = start_job(
                VALIDATE,
                actor=request.user,  # type: ignore[arg-type]
                title=_("Import of %(kind)s: %(file)s") % {"kind": spec.label, "file": upload.name},
                params={"kind": spec.kind.value, "mode": form.cleaned_data["mode"], "filename": upload.name},
                input_name=f"import{extension}",
                input_content=upload.read(),
            )
            return redirect("registry:import_review", pk=job.pk)
        status = 400
    else:
        initial = request.GET.get("kind")
        form = ImportForm(kinds=kinds, initial={"kind": initial if initial in kinds else kinds[0].value})
        status = 200
    return render(request, "registry/import_start.html",
                  {"form": form, "kinds": _kind_rows(kinds), "title": _("Import from Excel"),
                   "file_hours": files.retention_hours()}, status=status)


def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    kinds = _importer_kinds(request)
    if kind not in SPECS or ImportKind(kind) not in kinds:
        raise Http404
    spec = spec_for(kind)
    return FileResponse(io.BytesIO(build_template(spec)), as_attachment=True, filename=spec.filename)


def _import_job(request: HttpRequest, pk: int) -> Job:
    _importer_kinds(request)
    user: Any = request.user
    jobs = Job.objects.filter(kind=VALIDATE)
    if not user.is_admin:
        jobs = jobs.filter(created_by=user)
    job = jobs.filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def _write_job(job: Job) -> Job | None:
    pk = job.result.get("write_job") if isinstance(job.result, dict) else None
    return Job.objects.filter(pk=pk, kind=WRITE).first() if pk else None


def _confirmable(job: Job, write_job: Job | None) -> bool:
    result = job.result if isinstance(job.result, dict) else {}
    return (
        job.status == JobStatus.SUCCEEDED
        and result.get("stage") == "validated"
        and result.get("error_count") == 0
        and write_job is None
    )


def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    job = _import_job(request, pk)
    write_job = _write_job(job)
    if request.method == "POST":
        return _confirm(request, job)
    if fail_dead_jobs([j for j in (job, write_job) if j is not None and j.status == JobStatus.RUNNING]):
        job.refresh_from_db()
        write_job = _write_job(job)
        if write_job is not None and write_job.status == JobStatus.FAILED:
            files.delete_work_file(job)  # the checked rows cannot be confirmed again
    running = job if not job.is_finished else write_job if write_job and not write_job.is_finished else None
    if request.headers.get("HX-Request"):
        if running is None:
            return HttpResponseClientRefresh()
        return render(request, "registry/_import_progress.html", {"running": running, "job": job})
    return render(request, "registry/import_review.html", _review_context(job, write_job, running))


def _review_context(job: Job, write_job: Job | None, running: Job | None) -> dict[str, Any]:
    result = job.result if isinstance(job.result, dict) else {}
    spec = SPECS.get(ImportKind(job.params.get("kind"))) if job.params.get("kind") in SPECS else None
    return {
        "job": job,
        "write_job": write_job,
        "running": running,
        "spec": spec,
        "result": result,
        "counts": result.get("counts", {}),
        "errors": result.get("errors", []),
        "errors_hidden": max(0, result.get("error_count", 0) - len(result.get("errors", []))),
        "preview": result.get("preview"),
        "notes": result.get("notes", []),
        "mode_label": dict(ImportForm.base_fields["mode"].choices).get(job.params.get("mode"), ""),
        "can_confirm": _confirmable(job, write_job),
        "kept_until": files.kept_until(job),
        "title": job.title,
    }


def _confirm(request: HttpRequest, job: Job) -> HttpResponse:
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        write_job = _write_job(job)
        if not _confirmable(job, write_job):
            context = _review_context(job, write_job, None)
            context["refused"] = _("This import cannot be confirmed: it has errors, has not been validated yet or "
                                   "was already confirmed. Nothing was written.")
            return render(request, "registry/import_review.html", context, status=400)
        write_job = start_job(
            WRITE,
            actor=request.user,  # type: ignore[arg-type]
            title=_("Writing %(title)s") % {"title": job.title},
            params={"source_job": job.pk},
        )
        Job.objects.filter(pk=job.pk).update(result={**job.result, "write_job": write_job.pk})
    return redirect("registry:import_review", pk=job.pk)


def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    """The error report: the uploaded rows with an 错误说明 column."""
    job = _import_job(request, pk)
    if not job.result_file:
        raise Http404
    try:
        report = job.result_file.open("rb")  # decrypted (core.files)
    except (OSError, ValueError):  # purged meanwhile, or not readable with the configured key
        raise Http404 from None
    return FileResponse(report, as_attachment=True, filename=f"导入错误报告-{job.pk}.xlsx")
