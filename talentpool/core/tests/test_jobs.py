"""Background jobs: run once, clean failures, no tracebacks on screen, pages for the owner only."""

from __future__ import annotations

import pytest

from talentpool.core import jobs
from talentpool.core.models import Job, JobStatus

pytestmark = pytest.mark.django_db

calls: list[int] = []
inputs: list[bytes] = []


@jobs.job_handler("test.ok")
def _ok(job: Job, progress: jobs.Progress) -> dict:
    calls.append(job.pk)
    if job.input_file:
        inputs.append(job.input_file.read())
    progress.total(3)
    for i in range(1, 4):
        progress.advance(i)
    progress.log("三行已处理")
    progress.attach("结果.txt", "完成".encode())
    return {"summary": "处理了 3 行"}


@jobs.job_handler("test.clean_failure")
def _clean_failure(job: Job, progress: jobs.Progress) -> dict:
    raise jobs.JobFailed("第 3 行：身份证号码校验位错误")


@jobs.job_handler("test.bug")
def _bug(job: Job, progress: jobs.Progress) -> dict:
    raise KeyError("secret-internal-detail")


@pytest.fixture(autouse=True)
def _reset_calls(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path  # job files stay out of var/
    calls.clear()
    inputs.clear()


def _job(kind: str, user) -> Job:  # type: ignore[no-untyped-def]
    return Job.objects.create(kind=kind, title="测试任务", created_by=user)


def test_execute_job_runs_the_handler_once(admin_user):
    job = _job("test.ok", admin_user)
    jobs.execute_job(job.pk)
    jobs.execute_job(job.pk)
    assert calls == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.result, job.progress_done, job.progress_total, job.percent) == (
        JobStatus.SUCCEEDED, {"summary": "处理了 3 行"}, 3, 3, 100)
    assert job.log == "三行已处理"
    assert job.started_at is not None and job.finished_at >= job.started_at
    assert job.result_file.read() == "完成".encode()


def test_progress_is_written_at_most_every_interval_and_when_done_or_forced(admin_user):
    job = _job("test.ok", admin_user)
    now = [100]
    progress = jobs.Progress(job, interval=500, clock=lambda: now[0])  # clock in milliseconds here
    progress.total(1200)
    written = []
    for done in range(1, 1201):
        now[0] += 1  # a row a millisecond: 500 ms after the last write, the next one
        progress.advance(done)
        stored = Job.objects.values_list("progress_done", flat=True).get(pk=job.pk)
        if not written or stored != written[-1]:
            written.append(stored)
    assert written == [0, 500, 1000, 1200]  # and the last row, however soon after the last write
    progress.advance(5, force=True)
    assert Job.objects.values_list("progress_done", flat=True).get(pk=job.pk) == 5


def test_a_clean_failure_shows_its_message(admin_user):
    job = _job("test.clean_failure", admin_user)
    jobs.execute_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.result) == (JobStatus.FAILED, {"error": "第 3 行：身份证号码校验位错误"})
    assert job.is_finished


def test_an_unexpected_error_shows_a_generic_chinese_message_without_traceback(admin_user, caplog):
    job = _job("test.bug", admin_user)
    jobs.execute_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.result == {"error": "内部错误：KeyError"}
    assert "secret-internal-detail" not in job.log + str(job.result)
    assert "Traceback" not in job.log
    assert "secret-internal-detail" in caplog.text  # the server log keeps the trace


def test_start_job_refuses_an_unknown_kind_and_enqueues_on_commit(
    admin_user, django_capture_on_commit_callbacks, settings
):
    with pytest.raises(ValueError):
        jobs.start_job("no.such.kind", actor=admin_user, title="x")
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job("test.ok", actor=admin_user, title="测试", input_name="in.txt", input_content=b"abc")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED  # the immediate task backend ran it after commit
    assert calls == [job.pk]
    assert inputs == [b"abc"]  # the handler read the upload, which is deleted once the job ended
    assert job.input_file.name == ""
    assert not any(p.is_file() for p in (settings.MEDIA_ROOT / "jobs" / "input").rglob("*"))


@pytest.fixture
def finished_job(operator_a):  # type: ignore[no-untyped-def]
    job = _job("test.ok", operator_a)
    jobs.execute_job(job.pk)
    return job


@pytest.mark.parametrize(("persona", "expected"), [
    ("as_operator_a", 200), ("as_admin", 200), ("as_operator_b", 404), ("as_leader", 404), ("as_expert", 404),
    ("as_worker", 404)])
def test_job_pages_are_for_the_creator_and_admins(request, finished_job, persona, expected):
    client = request.getfixturevalue(persona)
    assert client.get(f"/core/jobs/{finished_job.pk}/").status_code == expected
    assert client.get(f"/core/jobs/{finished_job.pk}/result/").status_code == expected
    listed = "测试任务" in client.get("/core/jobs/").content.decode()
    assert listed == (expected == 200)


def test_anonymous_job_pages_redirect_to_login(anonymous, finished_job):
    response = anonymous.get(f"/core/jobs/{finished_job.pk}/result/")
    assert response.status_code == 302 and response.url.startswith("/login/?next=")


def test_the_job_page_shows_progress_and_htmx_gets_the_partial(as_operator_a, finished_job):
    page = as_operator_a.get(f"/core/jobs/{finished_job.pk}/")
    assert page.templates[0].name == "core/job_detail.html"
    assert "处理了 3 行" in page.content.decode()
    partial = as_operator_a.get(f"/core/jobs/{finished_job.pk}/", headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert partial.templates[0].name == "core/_job_progress.html"
    assert body.lstrip().startswith('<div id="job-progress"')
    assert "<html" not in body
    assert "hx-trigger" not in body  # finished: polling stops


def test_a_running_job_partial_keeps_polling(as_operator_a, operator_a):
    job = _job("test.ok", operator_a)
    body = as_operator_a.get(f"/core/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in body


def test_the_result_downloads_as_an_attachment(as_operator_a, finished_job):
    response = as_operator_a.get(f"/core/jobs/{finished_job.pk}/result/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "完成".encode()
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_job_without_a_result_file_has_no_download(as_operator_a, operator_a):
    job = _job("test.clean_failure", operator_a)
    jobs.execute_job(job.pk)
    assert as_operator_a.get(f"/core/jobs/{job.pk}/result/").status_code == 404


def test_the_job_page_fails_a_job_whose_worker_died(as_operator_a, operator_a):
    import datetime

    from django.utils import timezone

    beat = timezone.now() - datetime.timedelta(minutes=3)  # silent past jobs.HEARTBEAT_TIMEOUT
    job = Job.objects.create(kind="test.ok", title="测试任务", created_by=operator_a, status=JobStatus.RUNNING,
                             started_at=beat, heartbeat_at=beat)
    page = as_operator_a.get(f"/core/jobs/{job.pk}/").content.decode()
    assert '<strong data-testid="job-status">失败</strong>' in page
    assert jobs.DEAD_WORKER in page
    job.refresh_from_db()
    assert (job.status, job.result) == (JobStatus.FAILED, {"error": jobs.DEAD_WORKER})
    partial = as_operator_a.get(f"/core/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial  # failed: the page stops polling


def test_the_job_page_leaves_a_live_job_running(as_operator_a, operator_a):
    from django.utils import timezone

    job = Job.objects.create(kind="test.ok", title="测试任务", created_by=operator_a, status=JobStatus.RUNNING,
                             started_at=timezone.now(), heartbeat_at=timezone.now())
    body = as_operator_a.get(f"/core/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in body
    job.refresh_from_db()
    assert (job.status, job.result, job.finished_at) == (JobStatus.RUNNING, {}, None)


def test_a_result_file_that_is_not_encrypted_or_is_gone_is_a_404(settings, as_operator_a, finished_job):
    finished_job.refresh_from_db()
    path = settings.MEDIA_ROOT / finished_job.result_file.name
    assert path.is_file()
    path.write_bytes(b"not an encrypted file")
    assert as_operator_a.get(f"/core/jobs/{finished_job.pk}/result/").status_code == 404
    path.unlink()  # purged meanwhile
    assert as_operator_a.get(f"/core/jobs/{finished_job.pk}/result/").status_code == 404


def test_a_result_file_encrypted_under_another_key_is_a_404(settings, as_operator_a, finished_job):
    settings.ENCRYPTION_KEY = "k" * 44  # not the key the file was written under
    assert as_operator_a.get(f"/core/jobs/{finished_job.pk}/result/").status_code == 404
