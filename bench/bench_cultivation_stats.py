#!/usr/bin/env python3
"""Benchmark of the cultivation figures (cultivation.statistics.cultivation_statistics) on the
``--scale district`` demo on PostgreSQL, against a naive per-record Python loop.

    .venv/bin/python bench/bench_cultivation_stats.py [--repeat 5] [--year 2025] [--keep] [--sqlite]

Starts a throwaway PostgreSQL cluster (scripts/pg-cluster), migrates and loads the district demo
(``load_demo --scale district``: ≈100,000 workers and their training, competitions, innovations,
pairs and studios). With ``TALENTPOOL_DATABASE_URL`` already set to a PostgreSQL database (e.g.
after ``eval "$(./scripts/pg-cluster start)"``, or a cluster an earlier ``--keep`` run left
running) it uses that database and reuses its demo when one of district size is loaded.

Then, for one district-wide year (last year by default) and for all years, it times

  (a) ``cultivation_statistics(start, end)``: best of ``--repeat`` runs, target ≤ 300 ms each;
  (b) the same twelve figures by a naive loop that reads every record into Python and counts
      them one by one (one run),

prints both, their ratio and PASS / FAIL, and asserts both give the same figures. The cluster it
started is stopped unless ``--keep`` (it then prints the exports to reuse it).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_import import Database, say  # noqa: E402  (the same throwaway database)

TARGET_MS = 300.0
DISTRICT_WORKERS = 100_000


# --- the naive count ----------------------------------------------------------------------------


def naive_statistics(start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """The twelve figures by reading every record and counting in Python, one record at a time
    (what a report written without aggregates does): the reference the aggregate is checked against."""
    from talentpool.cultivation.choices import AttendanceStatus, ClassStatus
    from talentpool.cultivation.models import (
        Attendance,
        CompetitionEvent,
        Enrolment,
        Entry,
        Innovation,
        Mentorship,
        Studio,
        TrainingSession,
    )
    from talentpool.cultivation.statistics import KEYS
    from talentpool.registry.models import Certificate

    def inside(day: datetime.date | None) -> bool:
        return day is not None and start <= day <= end

    figures: dict[str, Any] = dict.fromkeys(KEYS, 0)
    figures["mentorship_benefit"] = Decimal("0.00")
    held: dict[int, datetime.date] = {}
    for session in TrainingSession.objects.select_related("training_class").iterator(chunk_size=5_000):
        held[session.pk] = session.held_on
        if inside(session.held_on) and session.training_class.status != ClassStatus.CANCELLED:
            figures["training_sessions"] += 1
    for attendance in Attendance.objects.all().iterator(chunk_size=5_000):
        if attendance.status == AttendanceStatus.PRESENT and inside(held[attendance.session_id]):
            figures["training_participations"] += 1
    for enrolment in Enrolment.objects.all().iterator(chunk_size=5_000):
        if inside(enrolment.level_up_on):
            figures["level_ups"] += 1
    event_days: dict[int, datetime.date] = {}
    for event in CompetitionEvent.objects.all().iterator(chunk_size=5_000):
        event_days[event.pk] = event.held_on
        if inside(event.held_on):
            figures["competition_events"] += 1
    for entry in Entry.objects.all().iterator(chunk_size=5_000):
        if inside(event_days[entry.event_id]):
            figures["competition_participations"] += 1
    for certificate in Certificate.objects.all().iterator(chunk_size=5_000):
        if inside(certificate.issued_on):
            figures["certificates_gained"] += 1
    for innovation in Innovation.objects.all().iterator(chunk_size=5_000):
        figures["innovations_collected"] += inside(innovation.submitted_on)
        figures["innovations_commended"] += inside(innovation.commended_on)
    for pair in Mentorship.objects.all().iterator(chunk_size=5_000):
        if pair.start_date <= end and (pair.end_date is None or pair.end_date >= start):
            figures["mentorship_pairs"] += 1
            figures["famous_master_pairs"] += pair.is_famous_master
            if inside(pair.end_date):
                figures["mentorship_benefit"] += pair.benefit
    for studio in Studio.objects.all().iterator(chunk_size=5_000):
        if studio.founded_year <= end.year and (studio.closed_year is None or studio.closed_year >= start.year):
            figures["studios"] += 1
    figures["mentorship_benefit"] = Decimal(figures["mentorship_benefit"]).quantize(Decimal("0.01"))
    return figures


# --- run ------------------------------------------------------------------------------------


def best_of(repeat: int, fn: Any, *args: Any) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - t0)
    return min(times), result


def run(args: argparse.Namespace, database_url: str, tmp: str) -> bool:
    os.environ["TALENTPOOL_DATABASE_URL"] = database_url
    os.environ.setdefault("TALENTPOOL_VAR_DIR", tmp)
    os.environ["TALENTPOOL_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpool.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from talentpool.core import demo
    from talentpool.cultivation.statistics import ALL_YEARS, KEYS, cultivation_statistics, year_period
    from talentpool.registry.models import Worker

    say(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    if demo.is_loaded() and Worker.objects.count() >= 0.9 * args.workers:
        say(f"reusing the loaded demo ({Worker.objects.count():,} workers)")
    else:
        if demo.is_loaded():
            raise SystemExit("this database holds a smaller demo: use a fresh database (unset TALENTPOOL_DATABASE_URL)")
        say(f"loading the district demo ({args.workers:,} workers)")
        t0 = time.perf_counter()
        report = demo.load(workers=args.workers, progress=lambda m: print("   ", m, flush=True))
        say(f"loaded in {time.perf_counter() - t0:.1f} s: {report.summary}")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")

    year = args.year or datetime.date.today().year - 1
    periods = [(f"year {year}", year_period(year)), ("all years", ALL_YEARS)]
    cultivation_statistics(*periods[0][1])  # warm the connection and the caches
    passed = True
    lines = []
    for label, (start, end) in periods:
        seconds, figures = best_of(args.repeat, cultivation_statistics, start, end)
        t0 = time.perf_counter()
        reference = naive_statistics(start, end)
        naive_seconds = time.perf_counter() - t0
        assert list(figures) == list(KEYS), figures
        assert figures == reference, {k: (figures[k], reference[k]) for k in KEYS if figures[k] != reference[k]}
        ok = seconds * 1000 <= TARGET_MS
        passed &= ok
        lines.append(f"{label:>10} ({connection.vendor}): cultivation_statistics best of {args.repeat} "
                     f"{seconds * 1000:.1f} ms (target ≤ {TARGET_MS:.0f} ms: {'PASS' if ok else 'FAIL'}); "
                     f"naive loop {naive_seconds * 1000:,.0f} ms; ratio {naive_seconds / seconds:,.0f}x; same figures")
        lines.append("            " + ", ".join(f"{k} {v:,}" for k, v in figures.items()))
    print()
    print("=" * 100)
    for line in lines:
        print(line)
    print("=" * 100)
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs of cultivation_statistics per period (best of)")
    parser.add_argument("--year", type=int, default=None, help="the year to count (default: last year)")
    parser.add_argument("--workers", type=int, default=DISTRICT_WORKERS, help="size of the demo to load")
    parser.add_argument("--keep", action="store_true", help="leave the cluster it started running (to reuse)")
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead of PostgreSQL")
    args = parser.parse_args()
    database = Database(sqlite=args.sqlite, keep=args.keep, reuse=True)
    try:
        url = database.start()
        return 0 if run(args, url, database.tmp) else 1
    finally:
        database.stop()


if __name__ == "__main__":
    sys.exit(main())
