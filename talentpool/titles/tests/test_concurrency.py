"""Conferrals at the same moment (PostgreSQL: SQLite's single writer lock serialises them, no
race to lose): certificate numbers stay unique and gap-free per year and tier, and one worker
never ends with two active titles, only with one title and a refusal."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.db import connection

from talentpool.core.exceptions import ServiceError
from talentpool.registry.tests.factories import WorkerFactory
from talentpool.titles import services
from talentpool.titles.models import Tier, Title

# transaction=True: each thread has its own connection and must see the committed rows. The
# seeded tiers are loaded again by their migrations' functions (``seeded``): a transactional test
# before these flushed them (serialized_rollback collides with the content types the flush's
# post_migrate recreates, as browser_tests.conftest.classification explains).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def seeded(transactional_db: None) -> None:
    from importlib import import_module

    from django.apps import apps

    import_module("talentpool.core.migrations.0009_sysadmin").seed_programme(apps, None)
    import_module("talentpool.titles.migrations.0002_seed_tiers").seed(apps, None)


def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's single writer lock serialises the transactions: no race to lose")


def _together(jobs: list[Any]) -> list[Any]:
    """Run ``jobs`` in threads (a connection each), started together at a barrier."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[Any] = [None] * len(jobs)

    def run(index: int, job: Any) -> None:
        try:
            barrier.wait(timeout=20)
            outcomes[index] = job()
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _confer(actor: Any, worker: Any, tier: Tier) -> Any:
    return lambda: services.confer_title(actor, worker, tier, certificate_number=None, source="2026年度选树",
                                         valid_from=datetime.date(2026, 5, 1), year=2026)


def test_simultaneous_conferrals_take_consecutive_numbers(admin_user) -> None:
    _postgresql_only()
    tier = Tier.objects.get(code="technical_model")
    workers = [WorkerFactory(name=f"同时{n}") for n in range(8)]
    outcomes = _together([_confer(admin_user, worker, tier) for worker in workers])
    assert all(isinstance(o, Title) for o in outcomes), outcomes
    assert sorted(o.certificate_number for o in outcomes) == [f"NX2026JSBB{n:04d}" for n in range(1, 9)]


def test_two_simultaneous_conferrals_on_one_worker_end_in_one_title_and_a_refusal(admin_user, worker_a) -> None:
    _postgresql_only()
    chief, craftsman = Tier.objects.get(code="chief_technician"), Tier.objects.get(code="craftsman")
    outcomes = _together([_confer(admin_user, worker_a, chief), _confer(admin_user, worker_a, chief)])
    assert sorted(type(o).__name__ for o in outcomes) == ["ServiceError", "Title"]
    assert Title.objects.filter(worker=worker_a).count() == 1
    # a promotion racing a second conferral of the lower tier: the worker holds one active title
    outcomes = _together([_confer(admin_user, worker_a, craftsman), _confer(admin_user, worker_a, chief)])
    assert [type(o) for o in outcomes].count(ServiceError) == 1
    assert Title.objects.filter(worker=worker_a, status="active").count() == 1
    assert services.active_title(worker_a).tier == craftsman
