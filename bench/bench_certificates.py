#!/usr/bin/env python3
"""Benchmark of the title certificates (titles.certificate_pdf.render_batch): a naming's whole
batch of PDFs, each its own file with its QR code and signed token, against a fresh typst compile
per certificate.

    .venv/bin/python bench/bench_certificates.py [--count 1100] [--fresh 50] [--breakdown]

Side by side in one run, the tokens signed and the URLs built inside the timed part too, and
the fonts loaded inside it (cold compilers):

  (a) ``render_batch`` of ``--count`` certificates (default 1,100, one campaign's naming) as the
      naming job calls it: shared by the machine's cores (at most 4), each process reusing one
      compiler. Target ≤ 10 s;
  (b) the same batch in one process with one reused compiler (``workers=1``);
  (c) ``--fresh`` of the same certificates (default 50) by ``typst.compile`` each, a new world
      and font book per certificate (what a naive "one call per PDF" does);

prints each per certificate, their ratios and PASS / FAIL, and checks every file: a one-page PDF
whose token verifies to its own number, one file per certificate, progress from 0 to all.
``--breakdown`` also times the QR codes alone against segno's own ``segno.make``. No database
is needed (certificate_pdf takes plain data).
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import segno

if TYPE_CHECKING:
    from talentpool.titles.certificate_pdf import CertificateData

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 10.0
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤慎"
)
GIVEN = "建民国华明伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛超霞平刚桂兰志红新春晓东海波宇浩鹏飞俊峰斌辉"
PLACES = ["南浔", "练市", "双林", "菱湖", "和孚", "千金", "石淙", "善琏", "旧馆"]
TRADES = ["电梯", "电机", "木业", "湖笔", "纺织", "机械", "智能装备", "新材料", "食品"]
KINDS = ["有限公司", "股份有限公司", "科技有限公司", "制造有限公司"]
TIERS = [("南浔工匠", 100), ("首席技工", 200), ("技术标兵", 800)]
YEAR = 2026
DAY = datetime.date(2026, 12, 1)


class Recipient(NamedTuple):
    number: str
    name: str
    enterprise: str
    tier: str


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def people(count: int) -> list[Recipient]:
    """``count`` recipients, as naming would pass them: distinct numbers, tiers by quota."""
    rng = random.Random(2026)
    tiers = [name for name, quota in TIERS for _ in range(quota)]
    rows = []
    for index in range(count):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))
        enterprise = f"湖州{rng.choice(PLACES)}{rng.choice(TRADES)}{rng.choice(KINDS)}"
        rows.append(Recipient(f"NX2026{index + 1:05d}", name, enterprise, tiers[index % len(tiers)]))
    return rows


def certificates(rows: list[Recipient], base_url: str) -> list[CertificateData]:
    """What the naming job does per title before rendering: sign the payload, build the URL."""
    from talentpool.titles.certificate_pdf import CertificateData
    from talentpool.titles.verification import sign_payload, verification_url

    items = []
    for row in rows:
        payload = {"number": row.number, "name": row.name, "tier": row.tier, "year": YEAR, "valid_from": DAY}
        token = sign_payload(payload)
        items.append(CertificateData(
            number=row.number, name=row.name, enterprise=row.enterprise, tier=row.tier, year=YEAR, valid_from=DAY,
            verification_url=verification_url(base_url, row.number, token), token=token,
        ))
    return items


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def run_batch(
    rows: list[Recipient], base_url: str, out: Path, workers: int | None
) -> tuple[float, list[CertificateData]]:
    """Sign, build the URLs and render the batch into ``out`` as the naming job would; checks
    every file (one-page PDF, token verifying to its own number) and the progress reported."""
    from talentpool.titles.certificate_pdf import render_batch
    from talentpool.titles.verification import verify_payload

    ticks: list[tuple[int, int]] = []
    t0 = time.perf_counter()
    items = certificates(rows, base_url)
    paths = render_batch(items, out, workers=workers, progress=lambda done, total: ticks.append((done, total)))
    seconds = time.perf_counter() - t0
    count = len(rows)
    assert [p.name for p in paths] == [f"{item.number}.pdf" for item in items]
    assert sorted(p.name for p in paths) == sorted(p.name for p in out.iterdir()), "one file per certificate, no .part"
    assert ticks[0] == (0, count) and ticks[-1] == (count, count)
    assert all(a[0] < b[0] for a, b in itertools.pairwise(ticks)), "progress only goes up"
    for item, path in zip(items, paths, strict=True):
        pdf = path.read_bytes()
        assert pdf.startswith(b"%PDF-") and page_count(pdf) == 1, path
        assert verify_payload(item.token)["number"] == item.number
    return seconds, items


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1100, help="certificates in the batch")
    parser.add_argument("--fresh", type=int, default=50, help="certificates compiled fresh, one by one")
    parser.add_argument("--base-url", default="https://rencai.nxzgh.example.cn", help="the public site")
    parser.add_argument("--breakdown", action="store_true", help="also time the QR codes alone")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentpool.settings")
    import django

    django.setup()
    import typst

    from talentpool.titles import certificate_pdf

    rows = people(args.count)
    load_before = os.getloadavg()[0]
    workers = min(os.cpu_count() or 1, 4)
    with tempfile.TemporaryDirectory(prefix="bench-certificates-") as tmp:
        say(f"render_batch of {args.count:,} certificates, one file each, as the job calls it ({workers} processes)")
        batch_seconds, items = run_batch(rows, args.base_url, Path(tmp) / "batch", None)
        say("the same in this one process, one reused compiler (cold: it loads the fonts inside the time)")
        single_seconds, _ = run_batch(rows, args.base_url, Path(tmp) / "single", 1)
        sizes = sorted(path.stat().st_size for path in (Path(tmp) / "single").iterdir())
        modules = certificate_pdf.qr_matrix(items[0].verification_url).shape[0]

        fresh = items[: args.fresh]
        say(f"{len(fresh)} of them by a fresh typst.compile each")
        fonts: list[str] = [str(path) for path in certificate_pdf.FONT_DIRS]
        fresh_dir = Path(tmp) / "fresh"
        fresh_dir.mkdir()
        t0 = time.perf_counter()
        for item in fresh:
            pdf = typst.compile(
                str(certificate_pdf.TEMPLATE), root=str(certificate_pdf.TEMPLATE.parent), font_paths=fonts,
                ignore_system_fonts=True, format="pdf", sys_inputs=certificate_pdf.certificate_inputs(item),
            )
            (fresh_dir / certificate_pdf.certificate_filename(item.number)).write_bytes(pdf)
        fresh_seconds = time.perf_counter() - t0
        assert len(list(fresh_dir.iterdir())) == len(fresh)

        breakdown = ""
        if args.breakdown:
            t0 = time.perf_counter()
            for item in items:
                certificate_pdf.qr_svg(item.verification_url)
            qr_ms = (time.perf_counter() - t0) / len(items) * 1000
            t0 = time.perf_counter()
            for item in items[:50]:
                segno.make(item.verification_url, error="m", micro=False).svg_inline()
            segno_ms = (time.perf_counter() - t0) / 50 * 1000
            breakdown = (f"QR code + SVG alone: {qr_ms:.2f} ms each; segno.make + SVG for the same: {segno_ms:.2f} ms "
                         f"(ratio {segno_ms / qr_ms:.1f}x)")

    per_batch = batch_seconds / args.count * 1000
    per_single = single_seconds / args.count * 1000
    per_fresh = fresh_seconds / len(fresh) * 1000
    passed = batch_seconds <= TARGET_SECONDS
    print()
    print("=" * 100)
    print(f"render_batch ({workers} processes): {args.count:,} PDFs in {batch_seconds:.2f} s = {per_batch:.2f} ms each "
          f"(target ≤ {TARGET_SECONDS:.0f} s: {'PASS' if passed else 'FAIL'})")
    print(f"render_batch (1 process, one reused compiler): {single_seconds:.2f} s = {per_single:.2f} ms each; "
          f"{single_seconds / batch_seconds:.1f}x the time of {workers} processes")
    print(f"fresh typst.compile per certificate: {len(fresh)} PDFs in {fresh_seconds:.2f} s = {per_fresh:.2f} ms each: "
          f"{per_fresh / per_single:.1f}x the reused compiler (all {args.count:,} so: "
          f"{per_fresh * args.count / 1000:.0f} s)")
    print(f"files: one page each, {sizes[0] / 1024:.0f}–{sizes[-1] / 1024:.0f} KiB; QR code {modules}×{modules} "
          f"modules; token {len(items[0].token)} characters; every file checked, every token verified")
    if breakdown:
        print(breakdown)
    print(f"machine: {os.cpu_count()} cores, load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    print("=" * 100)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
