"""Excel import pages: who may use them, upload → review → confirm → written, refusals."""

from __future__ import annotations

import datetime
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from python_calamine import CalamineWorkbook

from talentpool.core.imports.jobs import IMPORT
from talentpool.core.models import AuditAction, AuditLog, Job, JobStatus
from talentpool.registry.models import Employment, Worker
from talentpool.registry.tests.test_imports import ID_F, ID_M, WORKER_HEADERS, workbook, worker_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def upload(  # type: ignore[no-untyped-def]
    client, content: bytes, *, kind: str = "workers", mode: str = "update", name: str = "职工.xlsx"
):
    return client.post("/core/import/", {"kind": kind, "mode": mode,
                                             "file": SimpleUploadedFile(name, content, content_type=XLSX)})


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["as_leader", "as_expert", "as_worker"])
def test_other_roles_get_404_on_every_import_page(request, persona, admin_user):
    client = request.getfixturevalue(persona)
    job = Job.objects.create(kind=IMPORT, title="t", created_by=admin_user)
    assert client.get("/core/import/").status_code == 404
    assert client.get("/core/import/template/workers.xlsx").status_code == 404
    assert client.get(f"/core/import/{job.pk}/").status_code == 404
    assert upload(client, b"x").status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(anonymous):
    response = anonymous.get("/core/import/")
    assert response.status_code == 302
    assert response["Location"] == f"{resolve_url(settings.LOGIN_URL)}?next=/core/import/"


@pytest.mark.django_db
def test_operators_cannot_import_enterprises(as_operator_a):
    page = as_operator_a.get("/core/import/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "职工（含任职）" in body and "证书" in body and "荣誉" in body
    assert 'value="enterprises"' not in body
    assert as_operator_a.get("/core/import/template/enterprises.xlsx").status_code == 404
    assert upload(as_operator_a, b"x", kind="enterprises").status_code == 404
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_the_template_download_has_the_chinese_headers(as_admin):
    response = as_admin.get("/core/import/template/workers.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    assert book.get_sheet_by_index(0).to_python()[0][:2] == ["姓名*", "身份证号*"]
    assert as_admin.get("/core/import/template/nonsense.xlsx").status_code == 404


@pytest.mark.django_db
def test_it_refuses_other_file_types_and_large_files(as_admin):
    response = upload(as_admin, b"a,b\n", name="workers.csv")
    assert response.status_code == 400
    assert "只能上传 Excel 文件（.xlsx、.xls）或 .ods 文件，请使用下载的导入模板" in response.content.decode()
    response = upload(as_admin, b"\0" * (20 * 1024 * 1024 + 1))
    assert response.status_code == 400
    assert "文件超过 20 MB，请拆分后分批导入" in response.content.decode()
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_upload_review_confirm_writes_the_workers(
    as_admin, admin_user, enterprise_a, django_capture_on_commit_callbacks
):
    content = workbook(WORKER_HEADERS, [
        worker_row("沈建国", ID_M, enterprise=enterprise_a.name, start="2018.05"),
        worker_row("陈丽", ID_F, enterprise=enterprise_a.name, start=43221, 退休类别="女职工（50岁）"),
    ])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(as_admin, content)
    job = Job.objects.get(kind=IMPORT)
    assert response.status_code == 302
    assert response["Location"] == f"/core/import/{job.pk}/"
    assert job.status == JobStatus.SUCCEEDED
    assert (job.params, job.created_by) == (
        {"kind": "workers", "mode": "update", "filename": "职工.xlsx", "phase": "check"}, admin_user)

    review = as_admin.get(f"/core/import/{job.pk}/")
    body = review.content.decode()
    assert review.status_code == 200
    assert 'data-testid="confirm-form"' in body
    assert ID_M[:6] + "********" + ID_M[-4:] in body  # the preview masks ID numbers
    assert ID_M not in body and ID_F not in body
    assert Worker.objects.count() == 0  # nothing written before the confirmation

    with django_capture_on_commit_callbacks(execute=True):
        response = as_admin.post(f"/core/import/{job.pk}/")
    assert response.status_code == 302
    write = Job.objects.get()  # the same job wrote: one entry on the jobs page
    assert (write.pk, write.status, write.params["phase"]) == (job.pk, JobStatus.SUCCEEDED, "write")
    assert Worker.objects.count() == 2
    assert list(Employment.objects.values_list("start_date", flat=True)) == [datetime.date(2018, 5, 1)] * 2
    assert AuditLog.objects.filter(action=AuditAction.IMPORT).count() == 1
    body = as_admin.get(f"/core/import/{job.pk}/").content.decode()
    assert 'data-testid="import-done"' in body and 'data-testid="confirm-form"' not in body

    # A second confirmation is refused: the import is not written twice.
    with django_capture_on_commit_callbacks(execute=True):
        response = as_admin.post(f"/core/import/{job.pk}/")
    assert response.status_code == 400
    assert Job.objects.count() == 1
    assert AuditLog.objects.filter(action=AuditAction.IMPORT).count() == 1
    assert Worker.objects.count() == 2


@pytest.mark.django_db
def test_a_forced_confirm_with_errors_is_refused(as_operator_a, enterprise_a, django_capture_on_commit_callbacks):
    content = workbook(WORKER_HEADERS, [worker_row("沈建国", ID_M), worker_row("陈丽", ID_F)])
    with django_capture_on_commit_callbacks(execute=True):
        upload(as_operator_a, content)
    job = Job.objects.get(kind=IMPORT)
    review = as_operator_a.get(f"/core/import/{job.pk}/")
    body = review.content.decode()
    assert 'data-testid="confirm-form"' not in body
    assert "女职工须填写退休类别" in body
    assert f"/core/import/{job.pk}/errors.xlsx" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = as_operator_a.post(f"/core/import/{job.pk}/")
    assert response.status_code == 400
    assert 'data-testid="confirm-refused"' in response.content.decode()
    assert Job.objects.get().params["phase"] == "check"
    assert Worker.objects.count() == 0
    assert not AuditLog.objects.filter(action=AuditAction.IMPORT).exists()

    report = as_operator_a.get(f"/core/import/{job.pk}/errors.xlsx")
    assert report.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(report.streaming_content))).get_sheet_by_index(0)
    assert rows.to_python()[2][-1].startswith("第 3 行 退休类别：女职工须填写退休类别")


@pytest.mark.django_db
def test_only_the_creator_or_an_admin_sees_a_review(as_operator_a, as_operator_b, as_admin, operator_a):
    job = Job.objects.create(kind=IMPORT, title="t", created_by=operator_a, params={"kind": "workers"})
    assert as_operator_a.get(f"/core/import/{job.pk}/").status_code == 200
    assert as_admin.get(f"/core/import/{job.pk}/").status_code == 200
    assert as_operator_b.get(f"/core/import/{job.pk}/").status_code == 404
    assert as_operator_b.post(f"/core/import/{job.pk}/").status_code == 404
    assert as_operator_b.get(f"/core/import/{job.pk}/errors.xlsx").status_code == 404


@pytest.mark.django_db
def test_the_review_polls_while_the_job_runs(as_admin, admin_user):
    job = Job.objects.create(kind=IMPORT, title="t", created_by=admin_user, params={"kind": "workers"},
                             status=JobStatus.RUNNING, progress_total=100, progress_done=40)
    page = as_admin.get(f"/core/import/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "40%" in page
    partial = as_admin.get(f"/core/import/{job.pk}/", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in partial.content.decode()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, result={"stage": "validated", "error_count": 0})
    done = as_admin.get(f"/core/import/{job.pk}/", headers={"HX-Request": "true"})
    assert done.headers["HX-Refresh"] == "true"


@pytest.mark.django_db
def test_a_file_level_refusal_is_shown(as_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(as_admin, workbook(["姓名"], [["沈建国"]]))
    job = Job.objects.get(kind=IMPORT)
    body = as_admin.get(f"/core/import/{job.pk}/").content.decode()
    assert "缺少必填列：身份证号、入职时间" in body
    assert 'data-testid="confirm-form"' not in body
