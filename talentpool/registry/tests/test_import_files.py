"""Import files keep no ID number lying around: the upload is encrypted on disk and deleted when
it has been checked, the error report and checked rows are encrypted and purged after their
retention; an import whose worker died shows it failed."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone
from python_calamine import CalamineWorkbook

from talentpool.core import files
from talentpool.core.imports.jobs import IMPORT
from talentpool.core.models import Job, JobStatus
from talentpool.registry.models import Worker
from talentpool.registry.tests.test_import_views import upload
from talentpool.registry.tests.test_imports import ID_F, ID_M, WORKER_HEADERS, workbook, worker_row

DEAD = "后台任务进程意外终止，请重新导入。"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    settings.IMPORT_FILE_HOURS = 24


def _files(settings) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    root = settings.MEDIA_ROOT / "jobs"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _assert_no_id_numbers(raw: bytes) -> None:
    for number in (ID_M, ID_F):
        assert number.encode() not in raw and number.encode("utf-16-le") not in raw
    assert not zipfile.is_zipfile(io.BytesIO(raw))
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(raw))


def _good(enterprise) -> bytes:  # type: ignore[no-untyped-def]
    return workbook(
        WORKER_HEADERS,
        [
            worker_row("沈建国", ID_M, enterprise=enterprise.name),
            worker_row("陈丽", ID_F, enterprise=enterprise.name, 退休类别="女职工（50岁）"),
        ],
    )


def _with_errors(enterprise) -> bytes:  # type: ignore[no-untyped-def]
    return workbook(
        WORKER_HEADERS,
        [worker_row("沈建国", ID_M, enterprise=enterprise.name), worker_row("陈丽", ID_F, enterprise=enterprise.name)],
    )  # 退休类别 missing


@pytest.mark.django_db
def test_an_upload_is_encrypted_on_disk(settings, as_admin, enterprise_a, django_capture_on_commit_callbacks):
    content = _good(enterprise_a)
    assert ID_M.encode() in zipfile.ZipFile(io.BytesIO(content)).read("xl/sharedStrings.xml")
    with django_capture_on_commit_callbacks(execute=False):  # the job has not run yet
        upload(as_admin, content)
    job = Job.objects.get(kind=IMPORT)
    stored = _files(settings)
    assert list(stored) == [job.input_file.name.removeprefix("jobs/")]
    raw = stored[job.input_file.name.removeprefix("jobs/")]
    _assert_no_id_numbers(raw)
    assert job.input_file.read() == content  # opened decrypted


@pytest.mark.django_db
def test_a_refused_import_deletes_the_upload_and_keeps_the_report_until_its_retention(
    settings, as_operator_a, enterprise_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(as_operator_a, _with_errors(enterprise_a))
    job = Job.objects.get(kind=IMPORT)
    assert (job.status, job.result["error_count"], job.input_file.name) == (JobStatus.SUCCEEDED, 1, "")
    stored = _files(settings)
    assert list(stored) == [job.result_file.name.removeprefix("jobs/")]  # no upload, no parsed copy
    _assert_no_id_numbers(stored[job.result_file.name.removeprefix("jobs/")])

    until = (job.finished_at + datetime.timedelta(hours=24)).astimezone(timezone.get_current_timezone())
    page = as_operator_a.get(f"/core/import/{job.pk}/").content.decode()
    assert f"可下载带错误说明的文件至 {until:%Y-%m-%d %H:%M}，之后自动删除。" in page
    report = as_operator_a.get(f"/core/import/{job.pk}/errors.xlsx")
    assert report.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(report.streaming_content))).get_sheet_by_index(0)
    assert rows.to_python()[1][1] == ID_M  # decrypted, a valid workbook

    # Still there an hour before the end of the retention, gone after it.
    call_command("purge_job_files", stdout=io.StringIO())
    assert len(_files(settings)) == 1
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(hours=24, minutes=1))
    call_command("purge_job_files", stdout=io.StringIO())
    assert _files(settings) == {}
    assert Job.objects.get(pk=job.pk).result_file.name == ""
    assert as_operator_a.get(f"/core/import/{job.pk}/errors.xlsx").status_code == 404
    page = as_operator_a.get(f"/core/import/{job.pk}/").content.decode()
    assert "女职工须填写退休类别" in page  # the errors stay listed on the page
    assert f"/core/import/{job.pk}/errors.xlsx" not in page


@pytest.mark.django_db
def test_a_file_level_refusal_deletes_the_upload(settings, as_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(as_admin, workbook(["姓名", "身份证号"], [["沈建国", ID_M]]))
    job = Job.objects.get(kind=IMPORT)
    assert (job.status, job.input_file.name) == (JobStatus.FAILED, "")
    assert job.result["error"].startswith("缺少必填列：入职时间")
    assert _files(settings) == {}


@pytest.mark.django_db
def test_a_finished_import_leaves_no_file(settings, as_admin, enterprise_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(as_admin, _good(enterprise_a))
    job = Job.objects.get(kind=IMPORT)
    assert job.input_file.name == ""
    stored = _files(settings)
    assert list(stored) == [f"work/{job.pk}.bin"]  # the checked rows, waiting for the confirmation
    _assert_no_id_numbers(stored[f"work/{job.pk}.bin"])
    until = (job.finished_at + datetime.timedelta(hours=24)).astimezone(timezone.get_current_timezone())
    assert f"请在 {until:%Y-%m-%d %H:%M} 前确认" in as_admin.get(f"/core/import/{job.pk}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        as_admin.post(f"/core/import/{job.pk}/")
    assert Job.objects.get(kind=IMPORT).status == JobStatus.SUCCEEDED
    assert Worker.objects.count() == 2
    assert _files(settings) == {}


@pytest.mark.django_db
def test_a_confirmation_after_the_retention_writes_nothing(
    settings, as_admin, enterprise_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(as_admin, _good(enterprise_a))
    job = Job.objects.get(kind=IMPORT)
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(hours=25))
    call_command("purge_job_files", stdout=io.StringIO())
    assert _files(settings) == {}
    with django_capture_on_commit_callbacks(execute=True):
        as_admin.post(f"/core/import/{job.pk}/")
    write = Job.objects.get(kind=IMPORT)
    assert (write.status, write.params["phase"], write.result["error"]) == (
        JobStatus.FAILED, "write", "校验结果只保留 24 小时，已过期删除，未写入任何数据；请重新上传文件",
    )
    assert Worker.objects.count() == 0


@pytest.mark.django_db
def test_the_review_of_an_import_whose_worker_died_shows_it_failed(settings, as_admin, admin_user):
    stale = timezone.now() - datetime.timedelta(minutes=3)
    job = Job.objects.create(
        kind=IMPORT,
        title="导入职工",
        created_by=admin_user,
        params={"kind": "workers"},
        status=JobStatus.RUNNING,
        started_at=stale,
        heartbeat_at=stale,
        progress_total=0,
    )
    poll = as_admin.get(f"/core/import/{job.pk}/", headers={"HX-Request": "true"})
    assert poll.headers["HX-Refresh"] == "true"  # the poll ends: the page reloads and shows the outcome
    job.refresh_from_db()
    assert (job.status, job.result) == (JobStatus.FAILED, {"error": DEAD})
    page = as_admin.get(f"/core/import/{job.pk}/").content.decode()
    assert f"文件无法校验： {DEAD}" in page
    assert 'hx-trigger="every 1s"' not in page


@pytest.mark.django_db
def test_the_review_of_a_live_import_keeps_polling(as_admin, admin_user):
    recent = timezone.now() - datetime.timedelta(seconds=30)
    job = Job.objects.create(
        kind=IMPORT,
        title="导入职工",
        created_by=admin_user,
        params={"kind": "workers"},
        status=JobStatus.RUNNING,
        started_at=recent,
        heartbeat_at=recent,
    )
    poll = as_admin.get(f"/core/import/{job.pk}/", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in poll.content.decode()
    job.refresh_from_db()
    assert (job.status, job.result, job.finished_at) == (JobStatus.RUNNING, {}, None)


@pytest.mark.django_db
def test_a_dead_write_fails_and_its_checked_rows_go(
    settings, as_admin, admin_user, enterprise_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(as_admin, _good(enterprise_a))
    job = Job.objects.get(kind=IMPORT)
    stale = timezone.now() - datetime.timedelta(minutes=5)
    # confirmed, and its worker died while writing
    Job.objects.filter(pk=job.pk).update(params={**job.params, "phase": "write"}, status=JobStatus.RUNNING,
                                         started_at=stale, heartbeat_at=stale, finished_at=None,
                                         worker_pid=None, worker_host="")
    page = as_admin.get(f"/core/import/{job.pk}/").content.decode()
    assert f"未导入任何数据： {DEAD}" in page
    assert 'data-testid="confirm-form"' not in page
    assert _files(settings) == {}
    assert files.read_work_file(job) is None
