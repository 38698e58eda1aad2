#!/usr/bin/env python3
"""Benchmark of the Excel attendance import (培训出勤, cultivation/imports/training.py) against
python-calamine's raw read, as bench_import.py does for workers.

    .venv/bin/python bench/bench_attendance_import.py [--rows 100000] [--sqlite] [--profile]

Starts a throwaway PostgreSQL cluster (scripts/pg-cluster; ``--sqlite`` uses a temporary SQLite
file instead), migrates, loads the registry's demo district (its workers only, ``--workers``),
creates an admin, running classes with their sessions and enrolled workers, and writes the
attendance of every enrolment at every session as workbooks of at most 50,000 rows (the import
engine's cap per file: 100,000 rows are two files), with the shapes people type (date cells, ISO
and 2026/5/1 dates, 出勤 / 到 / 请假 / 缺勤). Then it times

  (a) python-calamine alone reading every cell of the files (best of 3), and
  (b) the full import of each file through its job (the check, then the write after the
      confirmation; ``execute_job`` directly, no worker process),

prints both and their ratio against the targets (≤ 20× the raw read, as for workers; ≤ 30 s per
100,000 rows) and checks the attendance rows in the database. The cluster and temporary files are
always removed. ``--profile`` prints the top functions of a cProfile run of (b).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_import import Database, calamine_read, say  # noqa: E402  (the same throwaway database)

TARGET_RATIO = 20.0
TARGET_SECONDS_PER_100K = 30.0
SESSIONS_PER_CLASS = 10
PER_CLASS = 100
MAX_ROWS_PER_FILE = 50_000
HEADERS = ["班级编号", "日期", "身份证号", "出勤"]


def make_workbooks(rows: list[tuple[str, datetime.date, str]], seed: int = 20261202) -> list[bytes]:
    import xlsxwriter

    rng = random.Random(seed)
    books = []
    for start in range(0, len(rows), MAX_ROWS_PER_FILE):
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
        sheet = book.add_worksheet("出勤")
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        sheet.write_row(0, 0, HEADERS)
        for r, (code, day, id_number) in enumerate(rows[start:start + MAX_ROWS_PER_FILE], start=1):
            sheet.write_string(r, 0, code)
            shape = rng.randrange(3)
            if shape == 0:
                sheet.write_datetime(r, 1, datetime.datetime.combine(day, datetime.time()), date_format)
            else:
                sheet.write_string(r, 1, day.isoformat() if shape == 1 else f"{day.year}/{day.month}/{day.day}")
            sheet.write_string(r, 2, id_number)
            draw = rng.random()
            sheet.write_string(r, 3, "出勤" if draw < 0.85 else "到" if draw < 0.93 else "请假" if draw < 0.97
                               else "缺勤")
        book.close()
        books.append(buffer.getvalue())
    return books


def run(args: argparse.Namespace, database_url: str, tmp: str) -> bool:
    os.environ["TALENTPOOL_DATABASE_URL"] = database_url
    os.environ["TALENTPOOL_VAR_DIR"] = tmp
    os.environ["TALENTPOOL_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpool.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from talentpool.core import demo
    from talentpool.core.imports.jobs import IMPORT, confirm
    from talentpool.core.jobs import execute_job, start_job
    from talentpool.core.models import Job, JobStatus, User
    from talentpool.core.roles import Role
    from talentpool.cultivation.choices import ClassMode, ClassStatus
    from talentpool.cultivation.models import Attendance, Course, Enrolment, TrainingClass, TrainingSession
    from talentpool.registry.models import Worker

    say(f"database: {connection.vendor}")
    say("migrating")
    call_command("migrate", verbosity=0)
    say(f"loading the registry's demo district ({args.workers:,} workers)")
    registry_steps = [s for s in demo.registered_steps() if s.name.startswith("registry.")]
    demo.load(workers=args.workers, enterprises=100, steps=registry_steps)
    admin = User.objects.create_user(username="bench-admin", password="Bench-pass-2026", role=Role.ADMIN)

    classes_needed = -(-args.rows // (SESSIONS_PER_CLASS * PER_CLASS))
    say(f"{classes_needed} running classes × {SESSIONS_PER_CLASS} sessions × {PER_CLASS} enrolled workers")
    rng = random.Random(7)
    workers = list(Worker.objects.order_by("pk").values_list("pk", "current_enterprise_id"))
    course = Course.objects.create(code="KC-BENCH", name="维修电工高级工培训", target_level=3, hours=40)
    classes = TrainingClass.objects.bulk_create([
        TrainingClass(code=f"PX2026-{n + 1:04d}", course=course, name=f"维修电工高级工培训（第{n + 1}期）",
                      mode=ClassMode.MENU, status=ClassStatus.RUNNING, capacity=PER_CLASS,
                      start_date=datetime.date(2026, 3, 2), end_date=datetime.date(2026, 6, 30))
        for n in range(classes_needed)
    ])
    days = [datetime.date(2026, 3, 2) + datetime.timedelta(days=7 * i) for i in range(SESSIONS_PER_CLASS)]
    TrainingSession.objects.bulk_create([TrainingSession(training_class=c, held_on=d, hours=4)
                                         for c in classes for d in days], batch_size=2_000)
    enrolments = []
    for training_class in classes:
        for worker, enterprise in rng.sample(workers, PER_CLASS):
            enrolments.append(Enrolment(training_class=training_class, worker_id=worker, enterprise_id=enterprise))
    Enrolment.objects.bulk_create(enrolments, batch_size=2_000)
    numbers = dict(Worker.objects.filter(pk__in={e.worker_id for e in enrolments}).values_list("pk", "id_number"))
    rows: list[tuple[str, datetime.date, str]] = []
    by_class: dict[int, list[int]] = {}
    for e in enrolments:
        by_class.setdefault(e.training_class_id, []).append(e.worker_id)
    for training_class in classes:
        for day in days:
            rows += [(training_class.code, day, numbers[w]) for w in by_class[training_class.pk]]
    rows = rows[: args.rows]

    say(f"generating {len(rows):,} attendance rows in files of at most {MAX_ROWS_PER_FILE:,}")
    books = make_workbooks(rows)
    say("workbooks: " + ", ".join(f"{len(b) / 1024 / 1024:.1f} MB" for b in books))

    reads = []
    for _ in range(3):
        t0 = time.perf_counter()
        cells = sum(calamine_read(b) for b in books)
        reads.append(time.perf_counter() - t0)
    read_seconds = min(reads)
    say(f"calamine read {cells:,} cells: best of 3 {read_seconds:.3f} s")

    profiler = cProfile.Profile() if args.profile else None
    validate_seconds = write_seconds = 0.0
    written = 0
    for n, content in enumerate(books, start=1):
        name = f"attendance-{n}.xlsx"
        job = start_job(IMPORT, actor=admin, title="bench", params={"kind": "training_attendance", "mode": "update",
                                                                    "filename": name, "phase": "check"},
                        input_name=name, input_content=content)
        if profiler:
            profiler.enable()
        t0 = time.perf_counter()
        job = execute_job(job.pk)
        t1 = time.perf_counter()
        job.refresh_from_db()
        if job.status != JobStatus.SUCCEEDED or job.result.get("error_count"):
            say(f"validation did not pass: {job.status} {job.result.get('error') or job.result.get('errors', [])[:5]}")
            return False
        if not confirm(job):
            say("the checked import could not be confirmed")
            return False
        t2 = time.perf_counter()
        write = execute_job(job.pk)
        t3 = time.perf_counter()
        if profiler:
            profiler.disable()
        write = Job.objects.get(pk=write.pk)
        if write.status != JobStatus.SUCCEEDED:
            say(f"write failed: {write.result}")
            return False
        validate_seconds += t1 - t0
        write_seconds += t3 - t2
        written += write.result["written"]["new"]
        say(f"file {n}: validate {t1 - t0:.1f} s + write {t3 - t2:.1f} s")
    if profiler:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(40)

    total = validate_seconds + write_seconds
    ratio = total / read_seconds
    target_seconds = TARGET_SECONDS_PER_100K * len(rows) / 100_000
    attendance = Attendance.objects.count()
    counts_ok = attendance == len(rows) == written
    passed = total <= target_seconds and ratio <= TARGET_RATIO and counts_ok
    print()
    print("=" * 100)
    print(f"import {len(rows):,} attendance rows in {len(books)} files ({connection.vendor}): validate "
          f"{validate_seconds:.1f} s + write {write_seconds:.1f} s = {total:.1f} s "
          f"({len(rows) / total:,.0f} rows/s); calamine read {read_seconds:.2f} s; ratio {ratio:.1f}x; "
          f"target ≤ {target_seconds:.0f} s and ≤ {TARGET_RATIO:.0f}x: {'PASS' if passed else 'FAIL'}")
    print(f"database afterwards: {attendance:,} attendance rows "
          f"({'as expected' if counts_ok else f'EXPECTED {len(rows):,}'})")
    print("=" * 100)
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=10_000, help="workers of the registry's demo to enrol from")
    parser.add_argument("--sqlite", action="store_true", help="use a temporary SQLite file instead of PostgreSQL")
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary of the import")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key (with --profile)")
    args = parser.parse_args()
    database = Database(sqlite=args.sqlite)
    try:
        url = database.start()
        return 0 if run(args, url, database.tmp) else 1
    finally:
        database.stop()


if __name__ == "__main__":
    sys.exit(main())
