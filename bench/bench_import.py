#!/usr/bin/env python3
"""Benchmark of the Excel worker import (validate + write) against python-calamine's raw read.

    .venv/bin/python bench/bench_import.py [--rows 10000] [--sqlite] [--profile]

Starts a throwaway PostgreSQL cluster (scripts/pg-cluster; ``--sqlite`` uses a temporary SQLite
file instead), migrates, creates an admin and the enterprises the workbook refers to, generates a
realistic worker workbook with xlsxwriter (valid unique ID numbers, mixed date formats, some
full-width text), then times

  (a) python-calamine alone reading every cell of the file (best of 3), and
  (b) the full import through its job (the check, then the write after the confirmation;
      ``execute_job`` directly, no worker process),

prints both and their ratio against the target (≤ 10 s and ≤ 20× the raw read), and checks the
row counts in the database. The cluster and temporary files are always removed. ``--profile``
prints the top functions of a cProfile run of (b).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import os
import pstats
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 10.0
TARGET_RATIO = 20.0
ENTERPRISES = 40

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国民志红梅兰凤玉珍文斌浩宇欣怡晨阳婷雪琳鹏飞"
POSTS = ["车工", "钳工", "焊工", "电工", "装配工", "质检员", "操作工", "维修工", "数控车工", "班组长", ""]
EDUCATION = ["初中", "高中(中专、技校)", "中专", "大专", "本科", "研究生", ""]
LEVELS = ["初级工", "中级工", "高级工", "技师", "高级技师", "三级", "四级/中级工", ""]
REGIONS = ["330503", "330502", "330521", "330522", "330523", "330106", "341523", "513029"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


# --- database -------------------------------------------------------------------------------


class Database:
    """A throwaway database: PostgreSQL through scripts/pg-cluster, or a temporary SQLite file.
    With ``reuse``, the PostgreSQL database ``TALENTPOOL_DATABASE_URL`` names, if it names one;
    with ``keep``, the cluster started stays up and its exports are printed (to reuse it)."""

    def __init__(self, *, sqlite: bool, keep: bool = False, reuse: bool = False) -> None:
        self.sqlite, self.keep, self.reuse = sqlite, keep, reuse
        self.pg_dir: str | None = None
        self.exports = ""
        self.tmp = tempfile.mkdtemp(prefix="talentpool-bench-")

    def start(self) -> str:
        if self.sqlite:
            return f"sqlite:///{self.tmp}/bench.sqlite3"
        given = os.environ.get("TALENTPOOL_DATABASE_URL", "")
        if self.reuse and given.startswith(("postgres://", "postgresql://")):
            return given
        script = ROOT / "scripts" / "pg-cluster"
        result = subprocess.run([str(script), "start"], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            sys.stderr.write(result.stderr)
            raise SystemExit("could not start PostgreSQL (scripts/pg-cluster start failed)")
        env: dict[str, str] = {}
        for line in result.stdout.splitlines():
            parts = shlex.split(line)
            if len(parts) == 2 and parts[0] == "export" and "=" in parts[1]:
                key, _, value = parts[1].partition("=")
                env[key] = value
        self.pg_dir = env.get("TALENTPOOL_PG_DIR")
        if not self.pg_dir or "TALENTPOOL_DATABASE_URL" not in env:
            raise SystemExit(f"unexpected output from scripts/pg-cluster start: {result.stdout!r}")
        self.exports = result.stdout.strip()
        return env["TALENTPOOL_DATABASE_URL"]

    def stop(self) -> None:
        if self.pg_dir and self.keep:
            say(f"the cluster keeps running; to reuse it:\n{self.exports}")
        elif self.pg_dir:
            subprocess.run([str(ROOT / "scripts" / "pg-cluster"), "stop", self.pg_dir], capture_output=True,
                           check=False)
        self.pg_dir = None
        shutil.rmtree(self.tmp, ignore_errors=True)


# --- data -----------------------------------------------------------------------------------


def id_number(rng: random.Random, used: set[str]) -> tuple[str, bool]:
    from talentpool.rules.idnumber import compute_check_char

    while True:
        birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(0, 35 * 365))
        male = rng.random() < 0.6
        seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
        first17 = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{seq:03d}"
        number = first17 + compute_check_char(first17)
        if number not in used:
            used.add(number)
            return number, male


def loose_date(rng: random.Random, day: datetime.date) -> object:
    """The shapes people type: ISO, 2018.05 (text), 2018年5月, 2018/5/1, a real date cell."""
    shape = rng.randrange(5)
    if shape == 0:
        return day.isoformat()
    if shape == 1:
        return f"{day.year}.{day.month:02d}"
    if shape == 2:
        return f"{day.year}年{day.month}月"
    if shape == 3:
        return f"{day.year}/{day.month}/{day.day}"
    return day  # written as a date cell


def make_workbook(rows: int, enterprises: list[tuple[str, str]], seed: int = 20261121) -> bytes:
    import xlsxwriter

    from talentpool.registry.imports import spec_for

    rng = random.Random(seed)
    headers = [c.template_header for c in spec_for("workers").columns]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("职工")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, headers)
    used: set[str] = set()
    for r in range(1, rows + 1):
        number, male = id_number(rng, used)
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        work_start = birth + datetime.timedelta(days=rng.randrange(18 * 365, 24 * 365))
        employment = work_start + datetime.timedelta(days=rng.randrange(0, 8 * 365))
        employment = min(employment, datetime.date(2025, 12, 31))
        work_start = min(work_start, employment)
        enterprise_name, uscc = rng.choice(enterprises)
        phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        if rng.random() < 0.05:
            phone = phone.translate(FULL_WIDTH)  # full-width digits pasted from a web form
        if rng.random() < 0.05:
            name = f" {name} "  # stray spaces
        category = "" if male else rng.choice(["女职工（50岁）", "女职工（55岁）", "女工人"])
        values = [
            name, number, phone, rng.choice(EDUCATION), category, rng.choice(["是", "是", "否", ""]),
            loose_date(rng, work_start), rng.choice(LEVELS), "",
            uscc if rng.random() < 0.3 else enterprise_name.translate(FULL_WIDTH),
            loose_date(rng, employment), rng.choice(POSTS),
        ]
        for c, value in enumerate(values):
            if isinstance(value, datetime.date):
                sheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date_format)
            elif value != "":
                sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def calamine_read(content: bytes) -> int:
    from python_calamine import CalamineWorkbook

    grid = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    return sum(len(row) for row in grid)


# --- run ------------------------------------------------------------------------------------


def run(args: argparse.Namespace, database_url: str, tmp: str) -> bool:
    os.environ["TALENTPOOL_DATABASE_URL"] = database_url
    os.environ["TALENTPOOL_VAR_DIR"] = tmp
    os.environ["TALENTPOOL_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpool.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from talentpool.core.imports.jobs import IMPORT, confirm
    from talentpool.core.jobs import execute_job, start_job
    from talentpool.core.models import Job, JobStatus, User
    from talentpool.core.roles import Role
    from talentpool.registry.models import Employment, Enterprise, Industry, Worker
    from talentpool.rules.uscc import compute_uscc_check

    say(f"database: {connection.vendor}")
    say("migrating")
    call_command("migrate", verbosity=0)
    admin = User.objects.create_user(username="bench-admin", password="Bench-pass-2026", role=Role.ADMIN)
    industries = list(Industry.objects.all()) or [Industry.objects.create(name="电梯")]
    enterprises: list[tuple[str, str]] = []
    for n in range(ENTERPRISES):
        first17 = f"91330503{n + 10_000_000:08d}0"
        enterprises.append((f"南浔第{n + 1}机械制造有限公司", first17 + compute_uscc_check(first17)))
    Enterprise.objects.bulk_create([
        Enterprise(name=name, uscc=uscc, industry=industries[n % len(industries)])
        for n, (name, uscc) in enumerate(enterprises)
    ])

    say(f"generating a {args.rows}-row worker workbook")
    content = make_workbook(args.rows, enterprises)
    say(f"workbook: {len(content) / 1024 / 1024:.1f} MB")

    reads = []
    for _ in range(3):
        t0 = time.perf_counter()
        cells = calamine_read(content)
        reads.append(time.perf_counter() - t0)
    read_seconds = min(reads)
    say(f"calamine read {cells} cells: best of 3 {read_seconds:.3f} s")

    job = start_job(IMPORT, actor=admin, title="bench", params={"kind": "workers", "mode": "update",
                                                                "filename": "bench.xlsx", "phase": "check"},
                    input_name="bench.xlsx", input_content=content)
    profiler = cProfile.Profile() if args.profile else None
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
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(40)
    write = Job.objects.get(pk=write.pk)
    if write.status != JobStatus.SUCCEEDED:
        say(f"write failed: {write.result}")
        return False

    validate_seconds, write_seconds = t1 - t0, t3 - t2
    total = validate_seconds + write_seconds
    ratio = total / read_seconds
    workers, employments = Worker.objects.count(), Employment.objects.count()
    counts_ok = workers == args.rows and employments == args.rows and write.result["written"]["new"] == args.rows
    passed = total <= TARGET_SECONDS and ratio <= TARGET_RATIO and counts_ok
    print()
    print("=" * 100)
    print(f"import {args.rows} rows ({connection.vendor}): validate {validate_seconds:.1f} s + write "
          f"{write_seconds:.1f} s = {total:.1f} s; calamine read {read_seconds:.2f} s; ratio {ratio:.1f}x; "
          f"target ≤ {TARGET_SECONDS:.0f} s and ≤ {TARGET_RATIO:.0f}x: {'PASS' if passed else 'FAIL'}")
    print(f"database afterwards: {workers} workers, {employments} employments "
          f"({'as expected' if counts_ok else f'EXPECTED {args.rows}'})")
    print("=" * 100)
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
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
