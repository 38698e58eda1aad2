"""While an import is written, the records its update changes are locked: an edit of the same
worker, or a second import of them, waits for its commit and then starts from what it wrote,
instead of interleaving (PostgreSQL; SQLite lets one transaction write at a time anyway)."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection

from talentpool.core import jobs
from talentpool.core.imports.jobs import confirm
from talentpool.core.jobs import execute_job
from talentpool.core.models import AuditLog, Job, JobStatus
from talentpool.registry import services
from talentpool.registry.imports.write import Writer
from talentpool.registry.models import Enterprise, Worker
from talentpool.registry.tests.test_imports import (
    CERT_HEADERS,
    ENTERPRISE_HEADERS,
    WORKER_HEADERS,
    run_import,
    workbook,
    worker_row,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    # Jobs run only when a test runs them (in its threads), not as each commit enqueues them.
    monkeypatch.setattr(jobs, "run_job", SimpleNamespace(enqueue=lambda job_id: None))



@pytest.mark.django_db
def test_each_kind_locks_the_records_it_updates_while_writing_and_only_then(
    locks, admin_user, enterprise_a, worker_a
):
    content = workbook(WORKER_HEADERS, [worker_row("慎建民", worker_a.id_number, enterprise=enterprise_a.name,
                                                   手机号="13900001111")])
    job, _ = run_import("workers", content, admin_user, confirm=False)
    assert [lock for lock in locks if lock[0] is not Job] == []  # the check locks nothing (the job row aside)
    assert confirm(job)
    assert execute_job(job.pk).status == JobStatus.SUCCEEDED
    assert (Worker, ("self",), True) in locks
    locks.clear()

    run_import("enterprises", workbook(ENTERPRISE_HEADERS, [
        [enterprise_a.name, enterprise_a.uscc, enterprise_a.industry.name, "民营", "否"]]), admin_user)
    assert (Enterprise, ("self",), True) in locks
    locks.clear()

    run_import("certificates", workbook(CERT_HEADERS, [
        [worker_a.id_number, None, "S" + "0" * 14 + "2" + "000123", "技师", None, None, "2021-06-01"]]), admin_user)
    assert (Worker, ("self",), True) in locks  # a certificate raises the worker's level


def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's single writer lock serialises the transactions: there is nothing to interleave")


def _in_thread(target: Any) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = target()
        except Exception as exc:  # reported to the test
            outcome["error"] = exc
        finally:
            outcome["at"] = time.monotonic()
            connection.close()

    thread = threading.Thread(target=run)
    return thread, outcome


def _holding_the_write(monkeypatch: Any) -> tuple[threading.Event, threading.Event]:
    """The import's write waits, inside its transaction and after its check locked the rows, until
    ``release`` is set; ``locked`` tells that it got there."""
    locked, release = threading.Event(), threading.Event()
    original = Writer.write

    def write(self: Writer) -> None:
        locked.set()
        assert release.wait(timeout=30)
        original(self)

    monkeypatch.setattr(Writer, "write", write)
    return locked, release


@pytest.mark.django_db(transaction=True)
def test_an_edit_of_a_worker_waits_for_the_import_that_updates_them(monkeypatch, admin_user, enterprise_a, worker_a):
    _postgresql_only()
    content = workbook(WORKER_HEADERS, [worker_row("慎建民", worker_a.id_number, enterprise=enterprise_a.name,
                                                   手机号="13900001111")])
    job, _ = run_import("workers", content, admin_user, confirm=False)
    assert confirm(job)
    locked, release = _holding_the_write(monkeypatch)
    importing, imported = _in_thread(lambda: execute_job(job.pk))
    editing, edited = _in_thread(lambda: services.update_worker(Worker.objects.get(pk=worker_a.pk), actor=admin_user,
                                                                 education="bachelor"))
    importing.start()
    assert locked.wait(timeout=30)
    editing.start()
    time.sleep(1.5)
    assert editing.is_alive(), edited  # the edit waits for the import's lock
    released = time.monotonic()
    release.set()
    importing.join(timeout=60)
    editing.join(timeout=60)
    assert "error" not in imported and "error" not in edited, (imported, edited)
    assert imported["value"].status == JobStatus.SUCCEEDED, imported["value"].result
    assert edited["at"] > released  # it went on only once the import let go
    worker = Worker.objects.get(pk=worker_a.pk)
    assert (worker.phone, worker.education, worker.version) == ("13900001111", "bachelor", 3)  # both kept


@pytest.mark.django_db(transaction=True)
def test_a_second_import_of_the_same_worker_starts_from_what_the_first_wrote(
    monkeypatch, admin_user, enterprise_a, worker_a
):
    _postgresql_only()
    first, _ = run_import("workers", workbook(WORKER_HEADERS, [
        worker_row("慎建民", worker_a.id_number, enterprise=enterprise_a.name, 手机号="13900001111")]),
        admin_user, confirm=False)
    second, _ = run_import("workers", workbook(WORKER_HEADERS, [
        worker_row("慎建民", worker_a.id_number, enterprise=enterprise_a.name, 手机号="13700002222", 学历="本科")]),
        admin_user, confirm=False)
    assert confirm(first) and confirm(second)
    locked, release = _holding_the_write(monkeypatch)
    one, one_done = _in_thread(lambda: execute_job(first.pk))
    two, two_done = _in_thread(lambda: execute_job(second.pk))
    one.start()
    assert locked.wait(timeout=30)
    locked.clear()
    two.start()
    time.sleep(1.5)
    assert two.is_alive() and not locked.is_set()  # the second waits on the first's lock, before its writer
    release.set()
    one.join(timeout=60)
    two.join(timeout=60)
    assert "error" not in one_done and "error" not in two_done, (one_done, two_done)
    assert [Job.objects.get(pk=j.pk).status for j in (first, second)] == [JobStatus.SUCCEEDED] * 2
    worker = Worker.objects.get(pk=worker_a.pk)
    assert (worker.phone, worker.education, worker.version) == ("13700002222", "bachelor", 3)
    updates = list(AuditLog.objects.filter(object_id=str(worker_a.pk), changes__has_key="phone")
                   .order_by("id").values_list("changes", flat=True))
    # the second saw the first's phone as the old value: it checked again after the first committed
    assert [u["phone"] for u in updates] == [["138****5678", "139****1111"], ["139****1111", "137****2222"]]
