#!/usr/bin/env python3
"""Benchmark of the worker list and search pages on PostgreSQL with a district-sized registry.

    .venv/bin/python bench/bench_pages.py [--clients 20] [--seconds 30] [--think-ms 1000] [--workers 100000]

Starts a throwaway PostgreSQL cluster (scripts/pg-cluster), migrates, loads
``load_demo --scale district`` (≈100,000 workers), starts gunicorn on 127.0.0.1, logs every
client in as ``admin`` and runs N concurrent client threads for S seconds over a mix of list,
filter, sort and search requests (loopback only, stdlib only). Prints p50 / p95 / max / count /
errors per kind and overall, and PASS / FAIL against the target (p95 ≤ 150 ms, zero errors).

The load is bounded: each client is a user who waits a random think time (exponential, mean
1 s) between requests, so 20 clients offer about 20 requests/s. ``--think-ms 0`` instead
saturates the server (a closed loop: each client fires again the moment a page arrives); its
latency then measures the queue, mean ≈ clients / throughput (Little's law), so on a 2-core
machine shared with the load generator it reports capacity (requests/s), not page speed.
With ``--explain`` (or on FAIL) it replays one request of each kind in-process with Django's
query capture and prints the slowest SQL with EXPLAIN ANALYZE. gunicorn and the cluster are
always stopped.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST = "127.0.0.1"
TARGET_P95_MS = 150.0
PASSWORD = "Demo-2026-pass"
LIST = "/registry/workers/"

#: Request kinds and their share of the mix.
MIX = {
    "list_page1": 3,
    "list_later_page": 2,
    "filter_industry": 2,
    "filter_level": 2,
    "filter_industry_level": 1,
    "search_name": 3,
    "search_pinyin": 2,
    "search_initials": 2,
    "search_id_post": 1,
    "search_id_get": 0,  # follows each search_id_post
    "sort_column": 2,
}
SORTS = ["name", "-name", "birth_year", "-birth_year", "skill_level", "-skill_level", "current_enterprise",
         "industry"]


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


# --- infrastructure -------------------------------------------------------------------------


class Cluster:
    """A throwaway PostgreSQL cluster made by scripts/pg-cluster (or initdb/pg_ctl directly)."""

    def __init__(self) -> None:
        self.env: dict[str, str] = {}
        self.dir: str | None = None

    def start(self) -> dict[str, str]:
        script = ROOT / "scripts" / "pg-cluster"
        if not script.exists():
            raise SystemExit("scripts/pg-cluster is missing")
        out = subprocess.run([str(script), "start"], check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("export "):
                key, _, value = line.removeprefix("export ").partition("=")
                self.env[key] = shlex.split(value)[0]
        self.dir = self.env["TALENTPOOL_PG_DIR"]
        return self.env

    def stop(self) -> None:
        if self.dir:
            subprocess.run([str(ROOT / "scripts" / "pg-cluster"), "stop", self.dir], check=False,
                           capture_output=True)
            say(f"PostgreSQL stopped ({self.dir})")
            self.dir = None


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True,
                            stdout=subprocess.PIPE if capture else None)
    return result.stdout or ""


def shell(env: dict[str, str], code: str) -> str:
    return manage(env, "shell", "--no-imports", "-v", "0", "-c", code, capture=True)


class Server:
    def __init__(self, env: dict[str, str], port: int, workers: int, threads: int, log: Path) -> None:
        self.env, self.port, self.workers, self.threads, self.log = env, port, workers, threads, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [GUNICORN, "talentpool.wsgi", "--bind", f"{HOST}:{self.port}", "--workers", str(self.workers),
             "--threads", str(self.threads), "--keep-alive", "30", "--log-level", "warning"],
            cwd=ROOT, env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited: see {self.log}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/login/")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn did not come up")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # the master stops its own workers
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            say("gunicorn stopped")


# --- HTTP client ----------------------------------------------------------------------------


class Session:
    """One logged-in browser: a keep-alive connection and its cookies."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict[str, str] | None = None) -> tuple[int, str, str]:
        headers = {"Host": f"{HOST}:{self.port}", "Accept-Language": "zh-hans"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", text

    def login(self, username: str, password: str) -> None:
        status, _, page = self.request("GET", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise SystemExit(f"login page: HTTP {status}")
        status, _location, _ = self.request(
            "POST", "/login/", {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
        )
        if status != 302:
            raise SystemExit(f"login as {username} failed: HTTP {status}")

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")


# --- load -----------------------------------------------------------------------------------


@dataclass
class Samples:
    names: list[str]
    pinyin: list[str]
    initials: list[str]
    id_numbers: list[str]
    industries: list[int]
    pages: int


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    hits: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    examples: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, ms: float, ok: bool, hits: int | None, detail: str = "") -> None:
        with self.lock:
            self.latencies[kind].append(ms)
            if not ok:
                self.errors[kind] += 1
                self.examples.setdefault(kind, detail)
            if hits is not None:
                self.hits[kind].append(hits)


COUNT = re.compile(r'data-testid="result-count">[^<\d]*([\d,]+)')


def request_path(kind: str, rng: random.Random, s: Samples) -> str:
    q = urllib.parse.urlencode
    if kind == "list_page1":
        return LIST
    if kind == "list_later_page":
        return LIST + "?" + q({"page": rng.randint(2, s.pages)})
    if kind == "filter_industry":
        return LIST + "?" + q({"industry": rng.choice(s.industries)})
    if kind == "filter_level":
        return LIST + "?" + q({"skill_level": rng.choice([1, 2, 3, 4, 5])})
    if kind == "filter_industry_level":
        return LIST + "?" + q({"industry": rng.choice(s.industries), "min_level": 4})
    if kind == "search_name":
        return LIST + "?" + q({"q": rng.choice(s.names)})
    if kind == "search_pinyin":
        return LIST + "?" + q({"q": rng.choice(s.pinyin)})
    if kind == "search_initials":
        return LIST + "?" + q({"q": rng.choice(s.initials)})
    if kind == "sort_column":
        return LIST + "?" + q({"sort": rng.choice(SORTS), "page": rng.randint(1, 20)})
    raise ValueError(kind)


def client(port: int, samples: Samples, window: list[float], results: Results, seed: int, think: float,
           ready: threading.Barrier) -> None:
    rng = random.Random(seed)
    session = Session(port)
    session.login("admin", PASSWORD)
    kinds = [k for k, w in MIX.items() if w]
    weights = [MIX[k] for k in kinds]
    ready.wait()
    deadline = window[1]
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, weights=weights)[0]
        try:
            if kind == "search_id_post":
                started = time.perf_counter()
                status, location, _ = session.request(
                    "POST", LIST, {"q": rng.choice(samples.id_numbers), "csrfmiddlewaretoken": session.csrf()}
                )
                ok = status == 302 and "q=%40" in location
                results.add(kind, (time.perf_counter() - started) * 1000, ok, None, f"HTTP {status}")
                if ok:
                    started = time.perf_counter()
                    status, _, page = session.request("GET", urllib.parse.urlsplit(location)._replace(
                        scheme="", netloc="").geturl())
                    match = COUNT.search(page)
                    hits = int(match.group(1).replace(",", "")) if match else None
                    results.add("search_id_get", (time.perf_counter() - started) * 1000, status == 200, hits,
                                f"HTTP {status}")
            else:
                path = request_path(kind, rng, samples)
                started = time.perf_counter()
                status, _, page = session.request("GET", path)
                elapsed = (time.perf_counter() - started) * 1000
                match = COUNT.search(page)
                hits = int(match.group(1).replace(",", "")) if match else None
                results.add(kind, elapsed, status == 200, hits, f"HTTP {status} {path}")
        except Exception as exc:  # a failed request is a result, not a crash
            results.add(kind, 0.0, False, None, repr(exc))
            session = Session(port)
            session.login("admin", PASSWORD)
        if think:
            time.sleep(rng.expovariate(1 / think))


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def report(results: Results, seconds: float) -> bool:
    rows = []
    everything: list[float] = []
    total_errors = 0
    for kind in MIX:
        values = results.latencies.get(kind, [])
        errors = results.errors.get(kind, 0)
        everything += values
        total_errors += errors
        hits = results.hits.get(kind)
        rows.append((kind, values, errors, f"{statistics.median(hits):,.0f}" if hits else "-"))
    rows.append(("overall", everything, total_errors, "-"))
    print()
    print(f"{'kind':<24}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}{'median hits':>13}")
    print("-" * 79)
    for kind, values, errors, hits in rows:
        if kind == "overall":
            print("-" * 79)
        print(f"{kind:<24}{len(values):>7}{percentile(values, 50):>9.1f}{percentile(values, 95):>9.1f}"
              f"{max(values, default=0):>9.1f}{errors:>8}{hits:>13}")
    print("-" * 79)
    p95 = percentile(everything, 95)
    print(f"throughput: {len(everything) / seconds:.1f} requests/s over {seconds:.0f} s")
    for kind, example in results.examples.items():
        print(f"first error in {kind}: {example}")
    passed = p95 <= TARGET_P95_MS and total_errors == 0
    worst = max((percentile(v, 95), k) for k, v in results.latencies.items() if v)
    print(f"{'PASS' if passed else 'FAIL'}: overall p95 {p95:.1f} ms (target ≤ {TARGET_P95_MS:.0f} ms), "
          f"{total_errors} errors (target 0); slowest kind {worst[1]} p95 {worst[0]:.1f} ms")
    return passed


SAMPLES_CODE = """
import json, random
from talentpool.registry.models import Industry, Worker
rng = random.Random(5)
n = Worker.objects.count()
ids = sorted(rng.sample(range(1, n + 1), 300))
rows = list(Worker.objects.order_by("pk").filter(pk__in=ids))
print("SAMPLES" + json.dumps({
    "names": [w.name for w in rows],
    "pinyin": [w.name_search.split()[0] for w in rows],
    "initials": [w.name_search.split()[1] for w in rows if len(w.name_search.split()) > 1],
    "id_numbers": [w.id_number for w in rows],
    "industries": list(Industry.objects.values_list("pk", flat=True)),
    "pages": (n + 49) // 50,
}))
"""

EXPLAIN_CODE = """
import json, os, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from talentpool.core.models import User
paths = json.loads(os.environ["BENCH_PATHS"])
client = Client()
client.force_login(User.objects.get(username="admin"))
for kind, path in paths:
    client.get(path)  # warm
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = client.get(path)
        total = (time.perf_counter() - started) * 1000
    queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    print(f"\\n### {kind}: {path}\\n    HTTP {response.status_code}, {len(queries)} queries, "
          f"{sql_ms:.1f} ms in SQL, {total:.1f} ms in all")
    for q in queries[:2]:
        if float(q["time"]) * 1000 < 5 or not q["sql"].lstrip().upper().startswith("SELECT"):
            continue
        print(f"  -- {float(q['time']) * 1000:.1f} ms: {q['sql'][:600]}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
            for (line,) in cursor.fetchall():
                print("     " + line)
"""


def explain(env: dict[str, str], samples: Samples) -> None:
    rng = random.Random(9)
    paths = [(kind, request_path(kind, rng, samples)) for kind in MIX
             if kind not in {"search_id_post", "search_id_get"}]
    # In-process there is no session token: the exact ID search runs the same query via the filter.
    env = {**env, "BENCH_PATHS": json.dumps(paths)}
    print(shell(env, EXPLAIN_CODE))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=None, help="registry size (default: load_demo district)")
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--think-ms", type=float, default=1000,
                        help="mean think time between a client's requests (0: saturate)")
    parser.add_argument("--explain", action="store_true", help="always print the SQL diagnosis")
    args = parser.parse_args()

    cluster = Cluster()
    server: Server | None = None
    var_dir = Path(tempfile.mkdtemp(prefix="talentpool-bench-"))
    (var_dir / "static").mkdir()
    passed = False
    try:
        say("starting PostgreSQL")
        pg_env = cluster.start()
        env = {**os.environ, **pg_env, "TALENTPOOL_VAR_DIR": str(var_dir), "TALENTPOOL_DEBUG": "0",
               "TALENTPOOL_LOGIN_FAILURE_LIMIT": "1000"}
        say(f"database {pg_env['TALENTPOOL_DATABASE_URL']}")
        started = time.monotonic()
        manage(env, "migrate", "--noinput", "-v", "0")
        say(f"migrated in {time.monotonic() - started:.1f} s")
        load = ["load_demo", "--scale", "district"] + (["--workers", str(args.workers)] if args.workers else [])
        started = time.monotonic()
        manage(env, *load)
        say(f"load_demo finished in {time.monotonic() - started:.1f} s (wall clock, process start included)")
        shell(env, "from django.db import connection\nconnection.cursor().execute('VACUUM ANALYZE')")
        out = shell(env, SAMPLES_CODE)
        data = json.loads(next(line for line in out.splitlines() if line.startswith("SAMPLES"))[7:])
        samples = Samples(**data)

        port = free_port()
        server = Server(env, port, args.gunicorn_workers, args.threads, var_dir / "gunicorn.log")
        server.start()
        say(f"gunicorn on http://{HOST}:{port}/ ({args.gunicorn_workers} workers × {args.threads} threads); "
            f"{os.cpu_count()} CPUs")

        # Warm up every worker process (imports, template compilation, connections).
        warm = Session(port)
        warm.login("admin", PASSWORD)
        for _ in range(args.gunicorn_workers * 4):
            warm.request("GET", LIST)
            warm.conn.close()
            warm.conn = http.client.HTTPConnection(HOST, port, timeout=30)

        results = Results()
        say(f"{args.clients} clients for {args.seconds:.0f} s (think time {args.think_ms:.0f} ms)")
        # Every client logs in first; the clock starts when the last one is ready.
        window: list[float] = []
        ready = threading.Barrier(
            args.clients + 1, action=lambda: window.extend([time.monotonic(), time.monotonic() + args.seconds])
        )
        threads = [
            threading.Thread(target=client, args=(port, samples, window, results, 1000 + i, args.think_ms / 1000,
                                                  ready), daemon=True)
            for i in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        ready.wait()
        for thread in threads:
            thread.join(args.seconds + 60)
        begin = window[0]
        passed = report(results, time.monotonic() - begin)
        if args.explain or not passed:
            say("diagnosis: one request of each kind in-process, slowest SQL with EXPLAIN ANALYZE")
            explain(env, samples)
    finally:
        if server is not None:
            server.stop()
        cluster.stop()
        subprocess.run(["rm", "-rf", str(var_dir)], check=False)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
