"""Background jobs: a Job row the user watches, run by the django-tasks worker.

A handler is registered per job kind and receives the Job and a Progress reporter. The task gets
only the job id, is enqueued on commit, and is idempotent: a finished job is never run twice.

A running job records its worker (pid, host) and a heartbeat, written with its progress and by
``Progress.beat`` while it waits; ``fail_dead_jobs`` fails a job whose worker has died (killed,
out of memory, machine restarted), so it does not stay "running 0%" for ever. The upload of a
job is deleted when the job ends (core.files).
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import files
from .models import Job, JobStatus, User

logger = logging.getLogger(__name__)

Handler = Callable[[Job, "Progress"], dict[str, Any] | None]
HANDLERS: dict[str, Handler] = {}
# How the jobs page shows a kind's job: its current phase, and the page that follows it.
DESCRIPTIONS: dict[str, Callable[[Job], str]] = {}
PAGES: dict[str, Callable[[Job], str]] = {}


DEAD_WORKER = "后台任务进程意外终止，请重新导入。"
# A job whose heartbeat is older than this is dead, unless its worker process is seen alive on this
# machine: then it gets LIVE_WORKER_SILENCE (its heartbeats inside a long write transaction are not
# visible to others until it commits, and a process that stays silent longer is not our worker).
HEARTBEAT_TIMEOUT = datetime.timedelta(minutes=2)
LIVE_WORKER_SILENCE = datetime.timedelta(hours=1)
BEAT_SECONDS = 15.0  # Progress.beat writes the heartbeat at most this often


class JobFailed(Exception):
    """A handler's clean failure: the message (Chinese) is shown to the user as the outcome."""


class WorkerDied(Exception):
    """Recorded on the django-tasks result of a job whose worker process died."""


def job_handler(
    kind: str, *, describe: Callable[[Job], str] | None = None, page: Callable[[Job], str] | None = None
) -> Callable[[Handler], Handler]:
    """Register the handler of a job kind; ``describe`` tells the job's current phase on the jobs
    page (else its status), ``page`` the URL of the page that follows it (else core's job page)."""

    def register(func: Handler) -> Handler:
        HANDLERS[kind] = func
        if describe is not None:
            DESCRIPTIONS[kind] = describe
        if page is not None:
            PAGES[kind] = page
        return func

    return register


def describe_job(job: Job) -> str:
    describe = DESCRIPTIONS.get(job.kind)
    return describe(job) if describe is not None else str(job.get_status_display())


def job_page(job: Job) -> str | None:
    page = PAGES.get(job.kind)
    return page(job) if page is not None else None


class Progress:
    """Writes progress to the job row at most every ``interval`` seconds (and when done, or when
    forced), so a large job spends its time on its work: the job page polls about once a second.
    Every write is also a heartbeat; ``beat`` is one for a step that reports no progress."""

    def __init__(
        self, job: Job, interval: float = 0.5, clock: Callable[[], float] = time.monotonic,
        beat_interval: float = BEAT_SECONDS,
    ) -> None:
        self.job = job
        self.interval = interval
        self.beat_interval = beat_interval
        self.clock = clock
        self._written = clock()
        self._lines: list[str] = []

    def _write(self, **fields: Any) -> None:
        Job.objects.filter(pk=self.job.pk).update(heartbeat_at=timezone.now(), **fields)
        self._written = self.clock()

    def total(self, total: int) -> None:
        self.job.progress_total = total
        self._write(progress_total=total)

    def advance(self, done: int, *, force: bool = False) -> None:
        self.job.progress_done = done
        if force or done == self.job.progress_total or self.clock() - self._written >= self.interval:
            self._write(progress_done=done)

    def beat(self) -> None:
        """Show the job is alive (called while it waits on a step without progress)."""
        if self.clock() - self._written >= self.beat_interval:
            self._write()

    def log(self, line: str) -> None:
        self._lines.append(line)
        self.job.log = "\n".join(filter(None, [self.job.log, line]))
        self._write(log=self.job.log)

    def attach(self, name: str, content: bytes) -> None:
        """Store the job's result file (encrypted, kept for settings.IMPORT_FILE_HOURS)."""
        self.job.result_file.save(name, ContentFile(content), save=False)
        self._write(result_file=self.job.result_file.name)


def start_job(
    kind: str,
    *,
    actor: User,
    title: str,
    params: dict[str, Any] | None = None,
    input_name: str | None = None,
    input_content: bytes | None = None,
) -> Job:
    """Create the job row and enqueue its run once the surrounding transaction commits."""
    if kind not in HANDLERS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, title=title, params=params or {}, created_by=actor)
    if input_content is not None:
        job.input_file.save(input_name or "input.bin", ContentFile(input_content), save=False)
    job.save()
    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


def continue_job(job: Job, *, params: dict[str, Any]) -> None:
    """Queue a finished job again for its next phase (an import's write after its check): the same
    row, so the jobs page shows one entry that follows every phase. The handler reads the phase
    from ``params``; the result so far stays until the next phase ends (a failure adds ``error``)."""
    job.status, job.params, job.progress_done, job.progress_total = JobStatus.QUEUED, params, 0, 0
    job.finished_at = job.heartbeat_at = job.worker_pid = None
    job.worker_host = ""
    job.save(update_fields=["status", "params", "progress_done", "progress_total", "finished_at", "heartbeat_at",
                            "worker_pid", "worker_host"])
    transaction.on_commit(lambda: run_job.enqueue(job.pk))


def execute_job(job_id: int) -> Job:
    """Run one job to its end (used by the task, and directly by tests and the CLI)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status != JobStatus.QUEUED:
            return job  # already run or running: idempotent
        job.status = JobStatus.RUNNING
        job.started_at = job.heartbeat_at = timezone.now()
        job.worker_pid, job.worker_host = os.getpid(), this_host()
        job.save(update_fields=["status", "started_at", "heartbeat_at", "worker_pid", "worker_host"])
    progress = Progress(job)
    try:
        result = HANDLERS[job.kind](job, progress) or {}
    except JobFailed as exc:  # what an earlier phase found stays (continue_job)
        job.status, job.result = JobStatus.FAILED, {**(job.result or {}), "error": str(exc)}
        progress.log(str(exc))
    except Exception as exc:  # a bug: keep the trace in the server log, not on screen
        logger.error("job %s (%s) failed\n%s", job.pk, job.kind, traceback.format_exc())
        job.status, job.result = JobStatus.FAILED, {**(job.result or {}), "error": f"内部错误：{type(exc).__name__}"}
        progress.log(job.result["error"])
    else:
        job.status, job.result = JobStatus.SUCCEEDED, result
    job.finished_at = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=job.status, result=job.result, finished_at=job.finished_at, progress_done=job.progress_done
    )
    files.delete_input_file(job)  # refused, failed or done: the upload is not needed any more
    return job


@task()
def run_job(job_id: int) -> None:
    execute_job(job_id)


# Dead workers ----------------------------------------------------------------------------------


def this_host() -> str:
    """This machine and pid namespace: a pid means the same process only where both match (a
    container on the same host has its own pids)."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    return f"{socket.gethostname()} {namespace}".strip()[:255]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, run by another user
    return True


def is_dead(job: Job, *, now: datetime.datetime | None = None) -> bool:
    """Whether a running job's worker has died: its process is gone from this machine, or it has
    shown no life for HEARTBEAT_TIMEOUT (LIVE_WORKER_SILENCE if its process is seen alive)."""
    if job.status != JobStatus.RUNNING:
        return False
    now = now or timezone.now()
    last = job.heartbeat_at or job.started_at or job.created_at
    if job.worker_pid and job.worker_host == this_host():
        if not _pid_alive(job.worker_pid):
            return True
        return last < now - LIVE_WORKER_SILENCE
    return last < now - HEARTBEAT_TIMEOUT


def fail_dead_jobs(jobs: Iterable[Job] | None = None, *, now: datetime.datetime | None = None) -> list[int]:
    """Mark the running jobs (of ``jobs``, or all) whose worker died as failed with DEAD_WORKER,
    delete their uploads and fail their django-tasks-db results. Returns the ids failed."""
    now = now or timezone.now()
    candidates = list(jobs) if jobs is not None else list(Job.objects.filter(status=JobStatus.RUNNING))
    failed = []
    for candidate in candidates:
        if not is_dead(candidate, now=now):
            continue
        with transaction.atomic():
            # A live worker holds its job's row inside its write transaction: skip it (PostgreSQL).
            job = Job.objects.select_for_update(skip_locked=True).filter(pk=candidate.pk).first()
            if job is None or not is_dead(job, now=now):
                continue
            job.status, job.finished_at = JobStatus.FAILED, now
            job.result = {**(job.result or {}), "error": DEAD_WORKER}  # an earlier phase's result stays
            job.log = "\n".join(filter(None, [job.log, DEAD_WORKER]))
            job.save(update_fields=["status", "result", "finished_at", "log"])
            _fail_task_result(job.pk, now)
        logger.warning("job %s (%s) failed: its worker process died", job.pk, job.kind)
        files.delete_input_file(job)
        failed.append(job.pk)
    return failed


def _fail_task_result(job_id: int, now: datetime.datetime) -> None:
    """django-tasks-db claims only READY tasks, so a dead worker's RUNNING task blocks nobody once a
    worker runs again; it is marked failed so that its state tells the truth."""
    if not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    running = DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING,
                                                              task_path=run_job.module_path)
    for result in running:
        if (result.args_kwargs or {}).get("args") == [job_id]:
            result.status, result.finished_at, result.return_value = TaskResultStatus.FAILED, now, None
            result.exception_class_path = f"{WorkerDied.__module__}.{WorkerDied.__qualname__}"
            result.traceback = f"WorkerDied: the worker process died while running job {job_id}\n"
            result.save(update_fields=["status", "finished_at", "return_value", "exception_class_path", "traceback"])
