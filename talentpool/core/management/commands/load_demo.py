"""``manage.py load_demo``: a synthetic Nanxun district and one demo login per role, written by
the demo steps every app declares (core.demo).

    manage.py load_demo                      # ~6,000 workers; skipped if already loaded
    manage.py load_demo --scale district     # ~100,000 workers, for benchmarks
    manage.py load_demo --force              # wipe the demo data and generate again
    manage.py load_demo --logins-only        # print the demo logins and exit
"""

from __future__ import annotations

import os
import time
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import ProtectedError

from talentpool.core import demo


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "Load a synthetic district (enterprises, workers, histories) and demo users, one per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(demo.SCALES), default="demo",
                            help="demo: ~6,000 workers (default); district: ~100,000 workers")
        parser.add_argument("--workers", type=int, default=None, help="number of workers (overrides --scale)")
        parser.add_argument("--enterprises", type=int, default=demo.DEFAULT_ENTERPRISES)
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
        parser.add_argument("--force", action="store_true", help="wipe the demo data and generate again")
        parser.add_argument("--logins-only", action="store_true", help="only print the demo logins")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["logins_only"]:
            self.print_logins()
            return
        started = time.monotonic()
        workers = options["workers"] or demo.SCALES[options["scale"]]
        if demo.is_loaded() and not options["force"]:
            self.stdout.write("演示数据已存在，跳过生成（--force 重新生成） / demo data already loaded, skipping.")
            self.print_logins()
            return
        self.stdout.write(f"生成演示区 / generating the demo district: {workers:,} workers, "
                          f"{options['enterprises']} enterprises, seed {options['seed']}")
        try:
            report = demo.load(
                workers=workers, seed=options["seed"], enterprises=options["enterprises"], force=options["force"],
                progress=lambda message: self.stdout.write("  " + message),
            )
        except ProtectedError as exc:
            raise CommandError(
                "demo data is referenced by other records (nominations, titles …): "
                "use a fresh database (delete var/) instead of --force"
            ) from exc
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"完成 / done: {report.summary} in {elapsed:.1f} s"))
        self.print_logins()

    def print_logins(self) -> None:
        rows = demo.demo_logins()
        if not rows:
            self.stdout.write("尚无演示账号，请先运行 manage.py load_demo / no demo logins yet: run load_demo.")
            return
        header = ("用户名 username", "角色 role", "姓名 name", "单位 organisation / bound to")
        table = [(r.username, r.role, r.full_name, r.bound_to or r.organisation) for r in rows]
        widths = [max(_width(str(row[i])) for row in [header, *table]) for i in range(3)]
        line = "  ".join("-" * w for w in widths) + "  " + "-" * 30
        self.stdout.write(line)
        for row in [header, *table]:
            self.stdout.write("  ".join(_pad(str(row[i]), widths[i]) for i in range(3)) + "  " + row[3])
            if row is header:
                self.stdout.write(line)
        self.stdout.write(line)
        port = os.environ.get("PORT", "8000")
        self.stdout.write(f"密码 / password (all): {demo.DEMO_PASSWORD}")
        self.stdout.write(f"登录 / log in at http://127.0.0.1:{port}/login/  (scripts/demo starts the server)")
