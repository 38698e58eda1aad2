"""Job files are encrypted at rest and purged after their retention; jobs whose worker died are
failed, their django-tasks-db results too."""

from __future__ import annotations

import datetime
import os
import time
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from talentpool.core import crypto, files, jobs
from talentpool.core.models import Job, JobStatus

ID_NUMBER = "330503198503071230"
DEAD = "后台任务进程意外终止，请重新导入。"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    settings.IMPORT_FILE_HOURS = 24


def _on_disk(settings) -> list[str]:  # type: ignore[no-untyped-def]
    root = settings.MEDIA_ROOT
    return sorted(p.relative_to(root).as_posix() for p in (root / "jobs").rglob("*") if p.is_file())


def _age(path: os.PathLike[str] | str, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


# Encryption ------------------------------------------------------------------------------------


def test_bytes_round_trip_under_their_own_prefix_and_never_repeat():
    sealed = crypto.encrypt_bytes(ID_NUMBER.encode(), purpose="input")
    assert sealed.startswith(b"tpf1") and ID_NUMBER.encode() not in sealed
    assert crypto.decrypt_bytes(sealed, purpose="input") == ID_NUMBER.encode()
    assert crypto.encrypt_bytes(ID_NUMBER.encode(), purpose="input") != sealed  # random nonce


def test_a_file_does_not_decrypt_for_another_purpose_key_or_when_damaged_or_plain(settings):
    sealed = crypto.encrypt_bytes(b"report", purpose="result")
    with pytest.raises(ValueError, match=rf"^{crypto.WRONG_KEY}$"):
        crypto.decrypt_bytes(sealed, purpose="input")  # the purpose is associated data
    with pytest.raises(ValueError, match=rf"^{crypto.WRONG_KEY}$"):
        crypto.decrypt_bytes(sealed[:-1] + bytes([sealed[-1] ^ 1]), purpose="result")
    with pytest.raises(ValueError, match=rf"^{crypto.NOT_ENCRYPTED}$"):
        crypto.decrypt_bytes(b"PK\x03\x04 plain zip", purpose="result")
    settings.ENCRYPTION_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
    with pytest.raises(ValueError, match=rf"^{crypto.WRONG_KEY}$"):
        crypto.decrypt_bytes(sealed, purpose="result")


@pytest.mark.django_db
def test_job_files_are_written_encrypted_and_opened_decrypted(settings, admin_user):
    job = Job.objects.create(kind="test.files", title="t", created_by=admin_user)
    job.input_file.save("in.txt", ContentFile(ID_NUMBER.encode()), save=True)
    raw = (settings.MEDIA_ROOT / job.input_file.name).read_bytes()
    assert raw.startswith(b"tpf1") and ID_NUMBER.encode() not in raw
    assert oct((settings.MEDIA_ROOT / job.input_file.name).stat().st_mode & 0o777) == "0o600"
    assert Job.objects.get(pk=job.pk).input_file.read() == ID_NUMBER.encode()
    files.save_work_file(job, b'{"rows": [2]}')
    assert ID_NUMBER.encode() not in (settings.MEDIA_ROOT / files.work_name(job.pk)).read_bytes()
    assert files.read_work_file(job) == b'{"rows": [2]}'
    files.delete_work_file(job)
    assert files.read_work_file(job) is None


# Purge -----------------------------------------------------------------------------------------


def _finished_job(user, *, hours_ago: float, status: str = JobStatus.SUCCEEDED) -> Job:  # type: ignore[no-untyped-def]
    job = Job.objects.create(
        kind="test.files",
        title="t",
        created_by=user,
        status=status,
        finished_at=timezone.now() - datetime.timedelta(hours=hours_ago),
    )
    job.result_file.save("report.xlsx", ContentFile(b"report"), save=True)
    files.save_work_file(job, b"rows")
    return job


@pytest.mark.django_db
def test_purge_deletes_files_past_retention_and_orphans_and_leaves_fresh_ones(settings, admin_user):
    fresh = _finished_job(admin_user, hours_ago=23)
    old = _finished_job(admin_user, hours_ago=25)
    running = Job.objects.create(kind="test.files", title="t", created_by=admin_user, status=JobStatus.RUNNING)
    running.input_file.save("in.xlsx", ContentFile(b"upload"), save=True)
    ended = Job.objects.create(
        kind="test.files", title="t", created_by=admin_user, status=JobStatus.FAILED, finished_at=timezone.now()
    )
    ended.input_file.save("in.xlsx", ContentFile(b"upload"), save=True)
    gone = _finished_job(admin_user, hours_ago=1)
    gone_names = [gone.result_file.name, files.work_name(gone.pk)]
    Job.objects.filter(pk=gone.pk).delete()  # its files are orphans now
    for name in gone_names:
        _age(settings.MEDIA_ROOT / name, 2)
    new_orphan = settings.MEDIA_ROOT / "jobs" / "result" / "being-written.xlsx"
    new_orphan.write_bytes(crypto.encrypt_bytes(b"x", purpose="result"))  # a row not committed yet
    plain = settings.MEDIA_ROOT / "jobs" / "input" / "old-plain.xlsx"
    plain.write_bytes(ID_NUMBER.encode())  # a queued upload written before files were encrypted
    _age(plain, 2)
    Job.objects.create(kind="test.files", title="t", created_by=admin_user, input_file="jobs/input/old-plain.xlsx")
    keep = sorted(
        [fresh.result_file.name, files.work_name(fresh.pk), running.input_file.name, "jobs/result/being-written.xlsx"]
    )

    deleted = files.purge_job_files()

    assert dict(deleted) == {"expired": 2, "ended": 1, "orphan": 2, "unencrypted": 1}
    assert _on_disk(settings) == keep
    old.refresh_from_db()
    ended.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.result_file.name, ended.input_file.name) == ("", "")  # the rows forget them
    assert fresh.result_file.read() == b"report"
    assert not (settings.MEDIA_ROOT / "jobs" / "work" / f"{old.pk}.bin").exists()
    # Idempotent: nothing more to delete.
    assert files.purge_job_files() == {}
    assert _on_disk(settings) == keep


@pytest.mark.django_db
def test_the_command_purges_and_says_what_it_did(settings, admin_user):
    old = _finished_job(admin_user, hours_ago=30)
    out = StringIO()
    call_command("purge_job_files", stdout=out)
    assert out.getvalue().strip() == "dead jobs failed: 0; job files deleted: 2 (expired 2); retention 24 h"
    assert _on_disk(settings) == []
    assert Job.objects.get(pk=old.pk).result_file.name == ""
    out = StringIO()
    call_command("purge_job_files", stdout=out)
    assert out.getvalue().strip() == "dead jobs failed: 0; job files deleted: 0 (none); retention 24 h"


@pytest.mark.django_db
def test_retention_follows_the_setting(settings, admin_user):
    settings.IMPORT_FILE_HOURS = 2
    job = _finished_job(admin_user, hours_ago=3)
    assert files.kept_until(job) == job.finished_at + datetime.timedelta(hours=2)
    assert files.purge_job_files() == {"expired": 2}


# Dead workers ----------------------------------------------------------------------------------


def _running(user, *, heartbeat_minutes_ago: float, pid: int | None = None, host: str = "") -> Job:  # type: ignore[no-untyped-def]
    beat = timezone.now() - datetime.timedelta(minutes=heartbeat_minutes_ago)
    job = Job.objects.create(
        kind="test.files",
        title="t",
        created_by=user,
        status=JobStatus.RUNNING,
        started_at=beat,
        heartbeat_at=beat,
        worker_pid=pid,
        worker_host=host,
    )
    job.input_file.save("in.xlsx", ContentFile(b"upload"), save=True)
    return job


def _dead_pid() -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


@pytest.mark.django_db
def test_a_running_job_with_a_stale_heartbeat_is_failed_and_a_fresh_one_left_alone(settings, admin_user):
    stale = _running(admin_user, heartbeat_minutes_ago=3)
    fresh = _running(admin_user, heartbeat_minutes_ago=1)
    assert jobs.fail_dead_jobs() == [stale.pk]
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, stale.result, stale.log) == (JobStatus.FAILED, {"error": DEAD}, DEAD)
    assert stale.finished_at is not None and stale.input_file.name == ""
    assert (fresh.status, fresh.result, fresh.finished_at) == (JobStatus.RUNNING, {}, None)
    assert _on_disk(settings) == [fresh.input_file.name]
    assert jobs.fail_dead_jobs() == []  # idempotent


@pytest.mark.django_db
def test_a_job_whose_worker_process_is_gone_fails_at_once_and_a_live_one_keeps_running(admin_user):
    gone = _running(admin_user, heartbeat_minutes_ago=0, pid=_dead_pid(), host=jobs.this_host())
    alive = _running(admin_user, heartbeat_minutes_ago=10, pid=os.getpid(), host=jobs.this_host())
    elsewhere = _running(admin_user, heartbeat_minutes_ago=1, pid=_dead_pid(), host="another-host pid:[1]")
    assert jobs.fail_dead_jobs() == [gone.pk]
    assert list(Job.objects.filter(status=JobStatus.RUNNING).order_by("pk").values_list("pk", flat=True)) == [
        alive.pk,
        elsewhere.pk,
    ]
    # A live process that has stayed silent for over an hour is not our worker (a reused pid).
    Job.objects.filter(pk=alive.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(minutes=61))
    assert jobs.fail_dead_jobs() == [alive.pk]


@pytest.mark.django_db
def test_execute_job_records_its_worker_and_progress_beats(admin_user):
    @jobs.job_handler("test.beats")
    def _beats(job: Job, progress: jobs.Progress) -> dict:
        row = Job.objects.get(pk=job.pk)
        assert (row.worker_pid, row.worker_host) == (os.getpid(), jobs.this_host())
        first = row.heartbeat_at
        assert first is not None
        Job.objects.filter(pk=job.pk).update(heartbeat_at=first - datetime.timedelta(minutes=5))
        progress.beat_interval = 0
        progress.beat()
        assert Job.objects.get(pk=job.pk).heartbeat_at >= first
        return {}

    job = Job.objects.create(kind="test.beats", title="t", created_by=admin_user)
    assert jobs.execute_job(job.pk).status == JobStatus.SUCCEEDED


@pytest.mark.django_db
def test_the_dead_jobs_task_result_is_failed_so_the_queue_state_is_true(admin_user):
    from django_tasks_db.models import DBTaskResult

    stale = _running(admin_user, heartbeat_minutes_ago=5)
    other = _running(admin_user, heartbeat_minutes_ago=0)
    common = {
        "status": "RUNNING",
        "task_path": jobs.run_job.module_path,
        "backend_name": "default",
        "run_after": timezone.now(),
        "worker_ids": ["w1"],
    }
    dead_task = DBTaskResult.objects.create(args_kwargs={"args": [stale.pk], "kwargs": {}}, **common)
    live_task = DBTaskResult.objects.create(args_kwargs={"args": [other.pk], "kwargs": {}}, **common)
    waiting = DBTaskResult.objects.create(
        args_kwargs={"args": [999], "kwargs": {}}, **{**common, "status": "READY", "worker_ids": []}
    )
    out = StringIO()
    call_command("fail_dead_jobs", stdout=out)
    assert out.getvalue().strip() == f"dead jobs failed: 1 ({stale.pk})"
    dead_task.refresh_from_db()
    live_task.refresh_from_db()
    assert (dead_task.status, dead_task.exception_class_path) == ("FAILED", "talentpool.core.jobs.WorkerDied")
    assert dead_task.finished_at is not None
    assert live_task.status == "RUNNING"
    # The next task is still the one the worker claims: a dead task never blocked the queue.
    assert DBTaskResult.objects.ready().get() == waiting


@pytest.mark.django_db
def test_the_worker_fails_dead_jobs_and_purges_files_when_it_starts(settings, admin_user, monkeypatch):
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    started = []
    # django-tasks-db's own loop closes the database connection when it ends, which would end
    # the test's transaction on PostgreSQL: what is tested is what runs before it starts.
    monkeypatch.setattr(db_worker.Command, "handle", lambda self, *args, **options: started.append(options))
    stale = _running(admin_user, heartbeat_minutes_ago=10)
    old = _finished_job(admin_user, hours_ago=48)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert len(started) == 1 and started[0]["batch"] is True
    stale.refresh_from_db()
    assert (stale.status, stale.result) == (JobStatus.FAILED, {"error": DEAD})
    assert Job.objects.get(pk=old.pk).result_file.name == ""
    assert _on_disk(settings) == []
