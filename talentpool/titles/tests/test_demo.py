"""The titles of the past named years in the demo (titles/demo.py): the seed's proportions at the
database's size, the services' invariants (one active title per worker, supersede chains, numbers
and their sequences, a history row for every change), who may be named, determinism, wiping and
the example worker's title."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import pairwise

import pytest

from talentpool.core import demo as core_demo
from talentpool.core.demo import DemoContext, registered_steps
from talentpool.core.models import User
from talentpool.core.roles import Action
from talentpool.registry.demo import EXAMPLE_ENTERPRISE, EXAMPLE_NAME, load_demo
from talentpool.registry.models import Certificate, Employment, Worker
from talentpool.rules.retirement import RetirementCategory, months_before_retirement

from .. import demo, services
from ..choices import TitleStatus
from ..models import CertificateSequence, Tier, Title, TitleChange

TODAY = date(2026, 11, 21)
YEARS = list(range(2018, 2026))
NUMBER = re.compile(r"^NX(\d{4})(GJ|SXJG|JSBB)(\d{4})$")
CODES = {"craftsman": "GJ", "chief_technician": "SXJG", "technical_model": "JSBB"}
QUOTAS = {"craftsman": 100, "chief_technician": 200, "technical_model": 800}
MIN_LEVEL = {"craftsman": 4, "chief_technician": 3, "technical_model": 2}


def _steps() -> list[core_demo.DemoStep]:
    """The registry's steps and this one (no cultivation: quicker, and the step needs none)."""
    return [s for s in registered_steps() if s.name.startswith("registry.") or s.name == demo.STEP]


def _load(workers: int, seed: int = 7, *, force: bool = False) -> core_demo.DemoReport:
    return core_demo.load(workers=workers, enterprises=25, seed=seed, today=TODAY, force=force, steps=_steps())


def _digest() -> list[tuple[object, ...]]:
    return list(Title.objects.order_by("certificate_number").values_list(
        "certificate_number", "worker__id_number_hash", "tier__code", "status", "valid_from", "valid_to",
        "superseded_by__certificate_number"))


@pytest.fixture
def district(db):  # type: ignore[no-untyped-def]
    """The whole demo (every app's steps, cultivation's level-ups included) at 800 workers."""
    return load_demo(workers=800, enterprises=30, seed=7, today=TODAY)


def test_it_names_the_seeds_proportions_every_past_year_and_counts_what_it_wrote(district) -> None:  # type: ignore[no-untyped-def]
    counts = Counter(Title.objects.values_list("year", "tier__code"))
    share = Worker.objects.count() / 100_000
    assert counts == {(y, code): max(1, round(q * share)) for y in YEARS for code, q in QUOTAS.items()}
    assert district.counts["titles"] == Title.objects.count() == 8 * (1 + 2 + 6)
    assert district.counts["title changes"] == TitleChange.objects.count()
    assert not Title.objects.filter(year__gte=TODAY.year).exists()  # this year's campaign is still running


@pytest.mark.parametrize("workers", [2_000, 3_000])
def test_the_proportions_follow_the_databases_share_of_the_district(db, workers: int) -> None:  # type: ignore[no-untyped-def]
    _load(workers)
    counts = Counter(Title.objects.values_list("year", "tier__code"))
    per_year = {"craftsman": 2, "chief_technician": 4, "technical_model": 16} if workers == 2_000 else \
        {"craftsman": 3, "chief_technician": 6, "technical_model": 24}
    assert counts == {(y, code): n for y in YEARS for code, n in per_year.items()}
    assert Title.objects.count() == 8 * sum(per_year.values())
    statuses = Counter(Title.objects.values_list("status", flat=True))
    assert statuses[TitleStatus.SUPERSEDED] > 0 and statuses[TitleStatus.REVOKED] > 0
    assert statuses[TitleStatus.ACTIVE] > 0.8 * Title.objects.count()


def test_at_most_one_active_title_per_worker_and_every_chain_holds(district) -> None:  # type: ignore[no-untyped-def]
    active = Counter(Title.objects.filter(status=TitleStatus.ACTIVE).values_list("worker_id", flat=True))
    assert active and max(active.values()) == 1
    by_worker: dict[int, list[Title]] = defaultdict(list)
    for title in Title.objects.select_related("tier", "superseded_by__tier").order_by("valid_from", "pk"):
        by_worker[title.worker_id].append(title)
        ended = title.status != TitleStatus.ACTIVE
        assert (title.valid_to is not None) == ended
        assert title.valid_to is None or title.valid_from < title.valid_to <= TODAY
        assert (title.superseded_by_id is not None) == (title.status == TitleStatus.SUPERSEDED)
        if title.superseded_by is not None:  # as services.confer_title: ends the day the higher one begins
            later = title.superseded_by
            assert later.worker_id == title.worker_id and later.tier.order < title.tier.order
            assert later.valid_from == title.valid_to and later.year >= title.year + demo.HELD_YEARS
    for titles in by_worker.values():
        # one title at a time: each ends (superseded) where the next begins; nothing after an end
        for earlier, later in pairwise(titles):
            assert earlier.status == TitleStatus.SUPERSEDED and earlier.superseded_by_id == later.pk
        assert all(t.status != TitleStatus.SUPERSEDED for t in titles[-1:])
    assert Title.objects.filter(status=TitleStatus.SUPERSEDED).exists()


def test_every_title_has_its_history_by_the_demo_admin(district) -> None:  # type: ignore[no-untyped-def]
    admin = User.objects.get(username="admin")
    assert set(Title.objects.values_list("created_by_id", flat=True)) == {admin.pk}
    assert set(TitleChange.objects.values_list("by_id", flat=True)) == {admin.pk}
    for title in Title.objects.prefetch_related("changes"):
        changes = list(title.changes.all())
        first = changes[0]
        assert (first.from_status, first.to_status, first.at) == ("", TitleStatus.ACTIVE, title.created_at)
        assert first.at.date() == title.valid_from and str(title.year) in first.reason
        if title.status == TitleStatus.ACTIVE:
            assert len(changes) == 1
        else:
            assert len(changes) == 2
            end = changes[1]
            assert (end.from_status, end.to_status, end.at.date()) == (TitleStatus.ACTIVE, title.status,
                                                                        title.valid_to)
            assert end.reason
            if title.status == TitleStatus.SUPERSEDED:  # the services' own words
                assert end.reason == f"晋升为 {title.superseded_by.tier.name}（{title.superseded_by.year}年度）。"
    assert TitleChange.objects.filter(to_status=TitleStatus.REVOKED).exclude(reason="").exists()


def test_certificate_numbers_are_gap_free_per_year_and_tier_and_the_sequences_agree(district) -> None:  # type: ignore[no-untyped-def]
    numbers: dict[str, list[int]] = defaultdict(list)
    for number, year, code in Title.objects.values_list("certificate_number", "year", "tier__code"):
        match = NUMBER.match(number)
        assert match is not None, number
        assert (int(match[1]), match[2]) == (year, CODES[code])
        assert number.startswith(services.certificate_prefix(year, Tier.objects.get(code=code)))
        numbers[number[:-4]].append(int(match[3]))
    assert {prefix: sorted(ns) for prefix, ns in numbers.items()} == \
        {prefix: list(range(1, len(ns) + 1)) for prefix, ns in numbers.items()}
    assert dict(CertificateSequence.objects.values_list("prefix", "last")) == \
        {prefix: len(ns) for prefix, ns in numbers.items()}


def test_a_conferral_after_the_demo_takes_the_next_number(district) -> None:  # type: ignore[no-untyped-def]
    admin = User.objects.get(username="admin")
    tier = Tier.objects.get(code="technical_model")
    worker = Worker.objects.filter(titles=None).order_by("pk").first()
    last = CertificateSequence.objects.get(prefix="NX2025JSBB").last
    title = services.confer_title(admin, worker, tier, certificate_number=None, valid_from=date(2025, 12, 30),
                                  year=2025, source="2025年度选树")
    assert title.certificate_number == f"NX2025JSBB{last + 1:04d}"
    assert CertificateSequence.objects.get(prefix="NX2025JSBB").last == last + 1
    # and a promotion of a demo holder supersedes the demo's title as the services do
    holder = Title.objects.filter(status=TitleStatus.ACTIVE, tier__code="technical_model").exclude(
        worker__name=EXAMPLE_NAME).order_by("pk").first()
    higher = services.confer_title(admin, holder.worker, Tier.objects.get(code="chief_technician"),
                                   certificate_number=None, valid_from=date(2025, 12, 30), year=2025, source="x")
    holder.refresh_from_db()
    assert higher.certificate_number == f"NX2025SXJG{CertificateSequence.objects.get(prefix='NX2025SXJG').last:04d}"
    assert holder.status == TitleStatus.SUPERSEDED and holder.superseded_by == higher


def test_every_holder_was_eligible_when_named(district) -> None:  # type: ignore[no-untyped-def]
    revoked_on = dict(Title.objects.filter(status=TitleStatus.REVOKED).values_list("worker_id", "valid_to"))
    for title in Title.objects.select_related("worker", "tier"):
        worker, day = title.worker, title.valid_from
        assert day == demo.naming_day(title.year) and day.weekday() < 5 and day <= date(title.year, 12, 26)
        assert worker.is_frontline
        assert (worker.skill_level or 0) >= MIN_LEVEL[title.tier.code]
        # no certificate below the tier's level came after the naming (the level then was high enough)
        assert not Certificate.objects.filter(worker=worker, issued_on__gt=day,
                                              level__lt=MIN_LEVEL[title.tier.code]).exists()
        assert Employment.objects.filter(worker=worker, start_date__lte=day).exclude(end_date__lt=day).exists()
        months = months_before_retirement(worker.birth_date, RetirementCategory(worker.retirement_category), day,
                                          actual=worker.actual_retirement_date)
        assert months >= 60, (title, months)
        assert worker.pk not in revoked_on or revoked_on[worker.pk] >= day  # never named after a revocation
    # the demo operator's enterprise: nobody but the example worker named last year, and none of
    # the others above the lowest tier (the selection demo nominates them for the higher ones)
    own = Title.objects.filter(worker__current_enterprise__name=EXAMPLE_ENTERPRISE).exclude(worker__name=EXAMPLE_NAME)
    assert own.exists() and not own.filter(year=YEARS[-1]).exists()
    assert set(own.values_list("tier__code", flat=True)) == {"technical_model"}


def test_retired_holders_have_their_retirement_recorded(db) -> None:  # type: ignore[no-untyped-def]
    _load(6_000, seed=2018)
    retired = list(Title.objects.filter(status=TitleStatus.RETIRED).select_related("worker"))
    assert retired
    for title in retired:
        assert title.worker.actual_retirement_date == title.valid_to < TODAY and title.valid_to.day == 1
        assert title.valid_to >= date(title.valid_from.year + 5, title.valid_from.month, 1)
        assert title.changes.get(to_status=TitleStatus.RETIRED).reason in (demo.FLEXIBLE_REASON,
                                                                           demo.SPECIAL_POST_REASON)
    assert Worker.objects.exclude(actual_retirement_date=None).count() == len(retired)


def test_the_same_seed_gives_the_same_titles(db) -> None:  # type: ignore[no-untyped-def]
    _load(1_000, seed=11)
    first = _digest()
    _load(1_000, seed=11, force=True)
    assert _digest() == first
    _load(1_000, seed=12, force=True)
    assert _digest() != first


def test_wipe_clears_titles_sequences_and_retirements_and_a_load_restores_them(db) -> None:  # type: ignore[no-untyped-def]
    _load(6_000, seed=2018)
    first = _digest()
    retired = set(Worker.objects.exclude(actual_retirement_date=None).values_list("pk", flat=True))
    assert retired and demo.is_loaded()
    demo.wipe()
    assert not Title.objects.exists() and not TitleChange.objects.exists()
    assert not CertificateSequence.objects.exists() and not demo.is_loaded()
    assert not Worker.objects.exclude(actual_retirement_date=None).exists()
    report = _load(6_000, seed=2018)  # only the titles step runs again: the registry is loaded
    assert report.ran == [demo.STEP]
    assert _digest() == first
    assert set(Worker.objects.exclude(actual_retirement_date=None).values_list("pk", flat=True)) == retired


def test_without_a_demo_admin_nobody_confers(db) -> None:  # type: ignore[no-untyped-def]
    _load(300)
    demo.wipe()
    User.objects.filter(username="admin").delete()
    context = DemoContext(seed=7, workers=300, today=TODAY)
    context.random = context.rng(demo.STEP)
    demo.make_titles(context)
    assert Title.objects.exists()
    assert set(Title.objects.values_list("created_by_id", flat=True)) == {None}
    assert set(TitleChange.objects.values_list("by_id", flat=True)) == {None}


def test_the_example_worker_is_a_craftsman_since_the_first_batch(district) -> None:  # type: ignore[no-untyped-def]
    example = Worker.objects.get(name=EXAMPLE_NAME, current_enterprise__name=EXAMPLE_ENTERPRISE)
    title = Title.objects.get(worker=example)
    assert (title.tier.code, title.year, title.status, title.valid_from, title.valid_to) == (
        "craftsman", 2018, TitleStatus.ACTIVE, date(2018, 12, 26), None)
    assert title.certificate_number == "NX2018GJ0001"
    # the registry demo's honour of the same day says so too
    assert example.honours.filter(name="南浔工匠", awarded_on=date(2018, 12, 26)).exists()
    assert services.active_title(example) == title
    worker_user = User.objects.get(username="worker")
    assert list(Title.objects.restrict(worker_user, Action.VIEW)) == [title]
    # he was a 技师 then (his 高级技师 certificate is of December 2021)
    assert demo.read_staff().level_at(example.pk, title.valid_from) == 4


def test_the_step_runs_after_the_registrys_users_and_wipes_before_it() -> None:
    names = [s.name for s in core_demo.in_order(registered_steps())]
    assert names.index(demo.STEP) > names.index("registry.users")
    step = next(s for s in registered_steps() if s.name == demo.STEP)
    assert step.after == ("registry.users",) and step.wipe is demo.wipe and step.is_loaded is demo.is_loaded


def test_naming_days_are_the_working_day_on_or_before_26_december() -> None:
    assert [demo.naming_day(y) for y in (2018, 2020, 2021, 2026)] == [
        date(2018, 12, 26), date(2020, 12, 25), date(2021, 12, 24), date(2026, 12, 25)]
    assert all(demo.naming_day(y).weekday() < 5 and date(y, 12, 26) - demo.naming_day(y) < timedelta(days=3)
               for y in range(2018, 2040))
