"""Background jobs: a Job row the user watches, run by the django-tasks worker.

A handler is registered per job kind and receives the Job and a Progress reporter. The task gets
only the job id, is enqueued on commit, and is idempotent: a finished job is never run twice.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import Job, JobStatus, User

logger = logging.getLogger(__name__)

Handler = Callable[[Job, "Progress"], dict[str, Any] | None]
HANDLERS: dict[str, Handler] = {}


class JobFailed(Exception):
    """A handler's clean failure: the message (Chinese) is shown to the user as the outcome."""


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        HANDLERS[kind] = func
        return func

    return register


class Progress:
    """Writes progress to the job row at most every ``interval`` seconds (and when done, or when
    forced), so a large job spends its time on its work: the job page polls about once a second."""

    def __init__(self, job: Job, interval: float = 0.5, clock: Callable[[], float] = time.monotonic) -> None:
        self.job = job
        self.interval = interval
        self.clock = clock
        self._written = clock()
        self._lines: list[str] = []

    def total(self, total: int) -> None:
        self.job.progress_total = total
        Job.objects.filter(pk=self.job.pk).update(progress_total=total)

    def advance(self, done: int, *, force: bool = False) -> None:
        self.job.progress_done = done
        if force or done == self.job.progress_total or self.clock() - self._written >= self.interval:
            Job.objects.filter(pk=self.job.pk).update(progress_done=done)
            self._written = self.clock()

    def log(self, line: str) -> None:
        self._lines.append(line)
        self.job.log = "\n".join(filter(None, [self.job.log, line]))
        Job.objects.filter(pk=self.job.pk).update(log=self.job.log)

    def attach(self, name: str, content: bytes) -> None:
        self.job.result_file.save(name, ContentFile(content), save=False)
        Job.objects.filter(pk=self.job.pk).update(result_file=self.job.result_file.name)


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


def execute_job(job_id: int) -> Job:
    """Run one job to its end (used by the task, and directly by tests and the CLI)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status != JobStatus.QUEUED:
            return job  # already run or running: idempotent
        job.status = JobStatus.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at"])
    progress = Progress(job)
    try:
        result = HANDLERS[job.kind](job, progress) or {}
    except JobFailed as exc:
        job.status, job.result = JobStatus.FAILED, {"error": str(exc)}
        progress.log(str(exc))
    except Exception as exc:  # a bug: keep the trace in the server log, not on screen
        logger.error("job %s (%s) failed\n%s", job.pk, job.kind, traceback.format_exc())
        job.status, job.result = JobStatus.FAILED, {"error": f"内部错误：{type(exc).__name__}"}
        progress.log(job.result["error"])
    else:
        job.status, job.result = JobStatus.SUCCEEDED, result
    job.finished_at = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=job.status, result=job.result, finished_at=job.finished_at, progress_done=job.progress_done
    )
    return job


@task()
def run_job(job_id: int) -> None:
    execute_job(job_id)
