"""The demo district's titles of the past named years (issue 10, "Demo"): every year from the
programme's first, 2018 (seed 000), to last year — this year's campaign is still running (the
selection demo's) — the seed's 100 南浔工匠, 200 首席技工 and 800 技术标兵 per 100,000 workers (each
tier's ``default_quota``), times the database's share of that district, and never none of a tier.

One demo step, ``titles.past_titles`` (core.demo), after the registry's users (the demo admin is
who conferred and changed every title; without one, nobody), so after the cultivation steps too
(their level-ups are certificates read here). Its draws come from its own ``context.random``.

Who is named in a year, on the naming day (the working day on or before 26 December, as the
seed's first batch was): a front-line worker of the tier's skill level at the time (工匠 技师 or
above, 首席技工 高级工 or above, 技术标兵 中级工 or above; the level then is read from the worker's
certificates), employed in the district that day, at least 5 years (60 months) before retirement,
not holding this or a higher tier and never revoked. Part of a higher tier's places go to holders
of a lower one named at least two years before (晋升): the lower title is superseded that day,
pointing to the new one, as ``services.confer_title`` does. Between namings a few titles are
revoked, with a reason; at the end a few holders who could retire early (弹性退休 from the original
age, ``rules.retirement``, or a special post's 特殊工种 at 55 / 45) have since retired: their
retirement date is recorded on the worker (the registry's demo has nobody retired) and their title
is retired from it.

The seed's example worker (慎建民, the worker login) is a 南浔工匠 of the first batch (the registry
demo's honour of 2018-12-26), active to this day. The demo operator's enterprise's other workers
hold at most the lowest tier (技术标兵) and none was named last year: the selection demo nominates
among them this year, for 工匠 or 首席技工, and no title they hold stands in the way.

Rows are built in Python and written with ``bulk_create`` (no services, no audit: the load is
one administrative act), keeping the services' invariants: at most one active title per worker,
certificate numbers as ``services.next_certificate_number`` gives them (``NX2018GJ0001``, gap-free
per year and tier) with the ``CertificateSequence`` counters at the last number given, so a later
conferral continues the series, and a history row (``TitleChange``) for every conferral and every
later change.
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from random import Random
from typing import TypeVar

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from talentpool.core.demo import DemoContext, DemoStep, register_demo_step
from talentpool.core.models import User
from talentpool.core.roles import Role
from talentpool.registry.demo import EXAMPLE_ENTERPRISE, EXAMPLE_NAME
from talentpool.registry.models import Certificate, Employment, Worker
from talentpool.rules.retirement import RetirementCategory, flexible_retirement_bounds, retirement_date
from talentpool.rules.skills import SkillLevel

from .choices import TitleStatus
from .models import CertificateSequence, Tier, Title, TitleChange
from .services import NUMBER_DIGITS, certificate_prefix

T = TypeVar("T")
STEP = "titles.past_titles"
BATCH = 2_000
DISTRICT_WORKERS = 100_000
FIRST_YEAR = 2018  # seed 000: the programme began in 2018
ADMIN_USERNAME = "admin"

#: The lowest skill level a tier is named at (by tier code; other tiers by rank: 1, 2, 3 and below).
MIN_LEVEL = {"craftsman": SkillLevel.TECHNICIAN, "chief_technician": SkillLevel.SENIOR,
             "technical_model": SkillLevel.INTERMEDIATE}
MIN_LEVEL_BY_RANK = {1: SkillLevel.TECHNICIAN, 2: SkillLevel.SENIOR}
MARGIN_MONTHS = 60  # at least 5 years before retirement at naming
#: The share of a tier's places given to holders of the tier ``n`` ranks below (晋升).
PROMOTED_FROM = {1: 0.3, 2: 0.05}
HELD_YEARS = 2  # a holder is promoted at least two programme years after being named
#: Titles revoked and holders retired over the programme, per 100,000 workers (at least one each).
DISTRICT_REVOKED = 60
DISTRICT_RETIRED = 80
REVOKED_AFTER = timedelta(days=90)

EXAMPLE_TIER = "craftsman"  # his registry honour 南浔工匠 of 2018-12-26 (registry/demo.py)
EXAMPLE_YEAR = FIRST_YEAR
NAMED_AT = clock(10, 0)

REVOCATION_REASONS = [
    "年度考核不合格，经区总工会研究决定撤销称号",
    "经查申报材料与事实不符，撤销称号",
    "违反劳动纪律受到单位记过处分，按管理考核办法撤销称号",
    "发生安全生产责任事故，负有直接责任，撤销称号",
]
#: Early retirements (the registry's demo has nobody past the statutory age): flexible retirement
#: from the original age (弹性退休, rules.retirement), and the special posts' (特殊工种: high
#: temperature, welding fumes) at 55 for men and 45 for women, by occupation code.
FLEXIBLE_REASON = "本人已办理弹性提前退休手续，称号按管理考核办法转为退休"
SPECIAL_POST_REASON = "本人从事特殊工种，已按规定办理提前退休手续，称号按管理考核办法转为退休"
SPECIAL_POSTS = frozenset({"6-17-02-02", "6-17-08-02", "6-18-02-04", "6-18-02-05"})  # 炼钢 轧制 焊工 热处理
SPECIAL_POST_AGE = {RetirementCategory.MAN: 55, RetirementCategory.WOMAN_50: 45}  # workers' posts (工人)


def source_of(year: int) -> str:
    return f"{year}年度选树"


def conferral_reason(year: int) -> str:
    return f"经资格审查、专家评审、社会公示，{year}年度命名"


def naming_day(year: int) -> date:
    """The working day on or before 26 December (the seed's first batch: 26 December 2018)."""
    day = date(year, 12, 26)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _scaled(district_figure: int, share: float) -> int:
    """The district's figure at the database's size: at least one, so every kind shows."""
    return max(1, round(district_figure * share))


def _about(rng: Random, expected: float) -> int:
    """``expected`` rounded at random to a neighbouring whole number (its mean is ``expected``)."""
    whole = math.floor(expected)
    return whole + (rng.random() < expected - whole)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, NAMED_AT))


def _day_between(rng: Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _batches(items: list[T], size: int = BATCH) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _sample(rng: Random, pool: Sequence[int], k: int, weight: dict[int, float]) -> list[int]:
    """``k`` of ``pool`` without replacement, in proportion to ``weight`` (Efraimidis–Spirakis:
    one draw per candidate, in the pool's order, so the result depends on the seed alone)."""
    if k <= 0 or not pool:
        return []
    return heapq.nlargest(k, pool, key=lambda w: rng.random() ** (1.0 / weight[w]))


def min_level(tier: Tier) -> int:
    return MIN_LEVEL.get(tier.code, MIN_LEVEL_BY_RANK.get(tier.order, SkillLevel.INTERMEDIATE))


# --- the registry's workers, read once -------------------------------------------------------


@dataclass
class Staff:
    """The registry's front-line workers as the titles demo needs them (by pk)."""

    workers: int = 0  # every worker in the database (the share of the district)
    ids: list[int] = field(default_factory=list)  # front-line workers, by pk
    level: dict[int, int] = field(default_factory=dict)  # the current level (0 without one)
    enterprise: dict[int, int | None] = field(default_factory=dict)
    birth: dict[int, date] = field(default_factory=dict)
    category: dict[int, RetirementCategory] = field(default_factory=dict)
    special_post: set[int] = field(default_factory=set)  # in an occupation of SPECIAL_POSTS
    retirement_month: dict[int, int] = field(default_factory=dict)  # _month() of the retirement date
    certificates: dict[int, list[tuple[date, int]]] = field(default_factory=dict)
    employments: dict[int, list[tuple[date, date | None]]] = field(default_factory=dict)
    example_worker: int | None = None
    example_enterprise: int | None = None

    @property
    def share(self) -> float:
        return self.workers / DISTRICT_WORKERS

    def level_at(self, worker: int, day: date) -> int:
        """The worker's level on ``day``: the current one unless a certificate came after it;
        then the highest certificate by ``day``, or one below the first certificate after it."""
        current = self.level[worker]
        certificates = self.certificates.get(worker, ())
        later = [level for issued, level in certificates if issued > day]
        if not later:
            return current
        before = [level for issued, level in certificates if issued <= day]
        return max(0, min(current, max([min(later) - 1, *before])))

    def employed_on(self, worker: int, day: date) -> bool:
        return any(start <= day and (end is None or day <= end) for start, end in self.employments.get(worker, ()))

    def months_left(self, worker: int, day: date) -> int:
        return self.retirement_month[worker] - _month(day)


def read_staff() -> Staff:
    staff = Staff(workers=Worker.objects.count())
    rows = Worker.objects.filter(is_frontline=True).order_by("pk").values_list(
        "pk", "current_enterprise_id", "skill_level", "birth_date", "retirement_category", "actual_retirement_date",
        "occupation__code",
    )
    for pk, enterprise, level, birth, category, actual, occupation in rows.iterator(chunk_size=5_000):
        staff.ids.append(pk)
        if occupation in SPECIAL_POSTS:
            staff.special_post.add(pk)
        staff.enterprise[pk] = enterprise
        staff.level[pk] = level or 0
        staff.birth[pk] = birth
        staff.category[pk] = RetirementCategory(category)
        staff.retirement_month[pk] = _month(retirement_date(birth, RetirementCategory(category), actual=actual))
    certificates = Certificate.objects.filter(worker__is_frontline=True).order_by("worker_id", "issued_on", "pk")
    for worker, issued, level in certificates.values_list("worker_id", "issued_on", "level").iterator(chunk_size=5_000):
        staff.certificates.setdefault(worker, []).append((issued, level))
    employments = Employment.objects.filter(worker__is_frontline=True).order_by("worker_id", "start_date", "pk")
    for worker, start, end in employments.values_list("worker_id", "start_date", "end_date").iterator(chunk_size=5_000):
        staff.employments.setdefault(worker, []).append((start, end))
    example = (Worker.objects.filter(name=EXAMPLE_NAME, current_enterprise__name=EXAMPLE_ENTERPRISE, is_frontline=True)
               .order_by("pk").values_list("pk", "current_enterprise_id").first())
    if example is not None:
        staff.example_worker, staff.example_enterprise = example
    return staff


# --- the titles, drawn year by year -----------------------------------------------------------


@dataclass
class Draw:
    """The titles being drawn: what each worker holds, and every row to write."""

    by: int | None = None  # the demo admin, who confers and changes
    titles: list[Title] = field(default_factory=list)
    superseded_by: dict[int, Title] = field(default_factory=dict)  # id(title) → the title that superseded it
    changes: list[tuple[Title, str, str, datetime, str]] = field(default_factory=list)
    active: dict[int, Title] = field(default_factory=dict)  # worker → active title
    barred: set[int] = field(default_factory=set)  # workers whose title was revoked
    sequences: dict[str, int] = field(default_factory=dict)  # prefix → last number
    retired: dict[int, date] = field(default_factory=dict)  # worker → retirement date recorded


def make_titles(context: DemoContext) -> None:
    started = time.monotonic()
    rng, today = context.random, context.today
    years = list(range(FIRST_YEAR, today.year))
    tiers = sorted(Tier.objects.filter(is_active=True), key=lambda t: (t.order, t.code))
    if not years or not tiers:
        return
    staff = read_staff()
    if not staff.ids:
        return
    admin = User.objects.filter(username=ADMIN_USERNAME, role=Role.ADMIN).first()
    rank = {tier.pk: tier.order for tier in tiers}
    draw = Draw(by=admin.pk if admin is not None else None,
                sequences=dict(CertificateSequence.objects.values_list("prefix", "last")))
    days = [naming_day(year) for year in years] + [today]
    revocations = [0] * len(years)
    for period in rng.choices(range(len(years)), weights=range(1, len(years) + 1),
                              k=_scaled(DISTRICT_REVOKED, staff.share)):
        revocations[period] += 1

    bottom, own = max(rank.values()), staff.example_enterprise
    for i, year in enumerate(years):
        day, at = days[i], _at(days[i])
        left_out = staff.example_enterprise if year == years[-1] else None
        base = {w for w in staff.ids
                if staff.months_left(w, day) >= MARGIN_MONTHS and staff.employed_on(w, day)
                and not (left_out is not None and staff.enterprise[w] == left_out and w != staff.example_worker)}
        level = {w: staff.level_at(w, day) for w in base}
        picked: set[int] = set()
        for tier in tiers:
            wanted = _scaled(tier.default_quota, staff.share)
            lowest = min_level(tier)
            weight = {w: 2.0 ** (level[w] - lowest) for w in base if level[w] >= lowest
                      and (tier.order == bottom or staff.enterprise[w] != own or w == staff.example_worker)}
            chosen: list[int] = []
            if (year == EXAMPLE_YEAR and tier.code == EXAMPLE_TIER and staff.example_worker is not None
                    and staff.example_worker not in draw.active):
                chosen.append(staff.example_worker)
            for below, part in PROMOTED_FROM.items():
                holders = sorted(w for w, title in draw.active.items()
                                 if rank[title.tier_id] == tier.order + below and title.year <= year - HELD_YEARS
                                 and w in weight and w not in picked and w != staff.example_worker)
                chosen += _sample(rng, holders, min(_about(rng, wanted * part), wanted - len(chosen)), weight)
            taken = picked.union(chosen)
            fresh = [w for w in staff.ids if w in weight and w not in draw.active and w not in draw.barred
                     and w not in taken and w != staff.example_worker]
            chosen += _sample(rng, fresh, wanted - len(chosen), weight)
            picked.update(chosen)
            _confer(draw, sorted(chosen), tier, year, day, at)
        _revoke(rng, draw, revocations[i], days[i], days[i + 1], staff.example_worker)
    _retire(rng, draw, staff, today)
    _write(draw)
    context.count("titles", len(draw.titles))
    context.count("title changes", len(draw.changes))
    context.progress(f"称号 / titles: {len(draw.titles):,} conferred {years[0]}–{years[-1]}, "
                     f"{len(draw.changes):,} changes ({time.monotonic() - started:.1f} s)")


def _confer(draw: Draw, workers: list[int], tier: Tier, year: int, day: date, at: datetime) -> None:
    """Titles of ``tier`` for ``workers`` (in this order of numbers), superseding what they hold."""
    if not workers:
        return
    prefix = certificate_prefix(year, tier)
    with translation.override(settings.LANGUAGE_CODE):
        promotion = gettext("Promoted to %(tier)s (%(year)s).") % {"tier": tier.name, "year": year}
    for worker in workers:
        draw.sequences[prefix] = number = draw.sequences.get(prefix, 0) + 1
        title = Title(worker_id=worker, tier=tier, certificate_number=f"{prefix}{number:0{NUMBER_DIGITS}d}",
                      valid_from=day, year=year, source=source_of(year), status=TitleStatus.ACTIVE,
                      created_at=at, created_by_id=draw.by)
        lower = draw.active.get(worker)
        if lower is not None:  # as services.confer_title: the lower title ends the day the new one begins
            lower.status, lower.valid_to = TitleStatus.SUPERSEDED, max(day, lower.valid_from)
            draw.superseded_by[id(lower)] = title
            draw.changes.append((lower, TitleStatus.ACTIVE, TitleStatus.SUPERSEDED, at, promotion))
        draw.titles.append(title)
        draw.changes.append((title, "", TitleStatus.ACTIVE, at, conferral_reason(year)))
        draw.active[worker] = title


def _revoke(rng: Random, draw: Draw, n: int, start: date, end: date, example: int | None) -> None:
    """Revoke ``n`` active titles between the naming ``start`` and ``end`` (the next naming, or
    today), each at least ``REVOKED_AFTER`` after it was conferred."""
    for _ in range(n):
        windows = {w: (max(start, title.valid_from + REVOKED_AFTER) + timedelta(days=1), end - timedelta(days=1))
                   for w, title in draw.active.items() if w != example}
        candidates = sorted(w for w, (first, last) in windows.items() if first <= last)
        if not candidates:
            return
        worker = rng.choice(candidates)
        title = draw.active.pop(worker)
        day = _day_between(rng, *windows[worker])
        title.status, title.valid_to = TitleStatus.REVOKED, day
        draw.changes.append((title, TitleStatus.ACTIVE, TitleStatus.REVOKED, _at(day), rng.choice(REVOCATION_REASONS)))
        draw.barred.add(worker)


def _retire(rng: Random, draw: Draw, staff: Staff, today: date) -> None:
    """Retire a few holders who could retire early by now (弹性退休, or a special post's), on the
    first of a month at least 5 years after their latest naming (so every naming stays 5 years
    before the retirement recorded) and before their statutory retirement month."""
    latest = _month(today - timedelta(days=30))
    windows: dict[int, tuple[int, int, str]] = {}
    for worker, title in sorted(draw.active.items()):
        if worker == staff.example_worker:
            continue
        birth, category = staff.birth[worker], staff.category[worker]
        earliest, _last = flexible_retirement_bounds(birth, category)
        reason = FLEXIBLE_REASON
        if worker in staff.special_post and category in SPECIAL_POST_AGE:
            special = date(birth.year + SPECIAL_POST_AGE[category], birth.month, 1)
            if special < earliest:
                earliest, reason = special, SPECIAL_POST_REASON
        first = max(_month(earliest) + (earliest.day > 1), _month(title.valid_from) + MARGIN_MONTHS)
        last = min(latest, staff.retirement_month[worker] - 1)
        if first <= last:
            windows[worker] = (first, last, reason)
    wanted = min(len(windows), _scaled(DISTRICT_RETIRED, staff.share))
    for worker in sorted(rng.sample(sorted(windows), wanted)):
        first, last, reason = windows[worker]
        day = _month_start(rng.randint(first, last))
        title = draw.active.pop(worker)
        title.status, title.valid_to = TitleStatus.RETIRED, day
        draw.changes.append((title, TitleStatus.ACTIVE, TitleStatus.RETIRED, _at(day), reason))
        draw.retired[worker] = day


def _write(draw: Draw) -> None:
    for batch in _batches(draw.titles):
        Title.objects.bulk_create(batch)
    superseded = []
    for title in draw.titles:
        later = draw.superseded_by.get(id(title))
        if later is not None:
            title.superseded_by_id = later.pk
            superseded.append(title)
    Title.objects.bulk_update(superseded, ["superseded_by"], batch_size=500)
    changes = sorted(draw.changes, key=lambda c: (c[3], c[0].pk, c[1] != ""))
    rows = [TitleChange(title_id=title.pk, from_status=before, to_status=after, at=at, by_id=draw.by,
                        reason=reason) for title, before, after, at, reason in changes]
    for change_batch in _batches(rows):
        TitleChange.objects.bulk_create(change_batch)
    CertificateSequence.objects.bulk_create(
        [CertificateSequence(prefix=prefix, last=last) for prefix, last in sorted(draw.sequences.items())],
        update_conflicts=True, unique_fields=["prefix"], update_fields=["last"],
    )
    for worker, day in sorted(draw.retired.items()):
        Worker.objects.filter(pk=worker).update(actual_retirement_date=day)


# --- loading and wiping -----------------------------------------------------------------------


def is_loaded() -> bool:
    return Title.objects.exists()


def wipe() -> None:
    """Delete every title, its history and the number sequences, and the retirement dates this
    demo recorded (the registry's demo records none)."""
    reasons = [FLEXIBLE_REASON, SPECIAL_POST_REASON]
    retired = TitleChange.objects.filter(to_status=TitleStatus.RETIRED, reason__in=reasons).values("title__worker_id")
    Worker.objects.filter(pk__in=retired).update(actual_retirement_date=None)
    TitleChange.objects.all().delete()
    Title.objects.exclude(superseded_by=None).update(superseded_by=None)
    Title.objects.all().delete()
    CertificateSequence.objects.all().delete()


def declare_demo_step() -> None:
    """The titles app's part of ``load_demo``: after the registry's users (the demo admin confers)."""
    register_demo_step(DemoStep(STEP, make_titles, order=40, after=("registry.users",), is_loaded=is_loaded,
                                wipe=wipe))
