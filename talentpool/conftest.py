"""Personas shared by every test (Healthchecks' alice/bob): an admin, a leader, operators of
enterprises A and B, an expert, a worker of A, and the anonymous public."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test import Client

from talentpool.core.models import User
from talentpool.core.roles import Role

PASSWORD = "Demo-pass-2026"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Every test starts with a cache holding only the programme's names as the migrations seed
    them, with no expiry: an entry an earlier test left could otherwise expire in the middle of
    a test (they live 60 s) and cost a query there, which made pinned query counts flaky. A
    test that saves the names clears it, as in production."""
    from dataclasses import asdict

    from django.core.cache import cache

    from talentpool.core import programme

    cache.clear()
    cache.set(programme.CACHE_KEY, asdict(programme.defaults()), None)


@pytest.fixture
def enterprise_a(db):  # type: ignore[no-untyped-def]
    from talentpool.registry.tests.factories import EnterpriseFactory, IndustryFactory

    return EnterpriseFactory(name="浙江久立特材科技股份有限公司", industry=IndustryFactory(name="钢材"))


@pytest.fixture
def enterprise_b(db):  # type: ignore[no-untyped-def]
    from talentpool.registry.tests.factories import EnterpriseFactory, IndustryFactory

    return EnterpriseFactory(name="湖州南浔善琏湖笔厂", industry=IndustryFactory(name="湖笔"))


@pytest.fixture
def worker_a(enterprise_a):  # type: ignore[no-untyped-def]
    from talentpool.registry.tests.factories import WorkerFactory

    return WorkerFactory(name="慎建民", enterprise=enterprise_a)


@pytest.fixture
def worker_b(enterprise_b):  # type: ignore[no-untyped-def]
    from talentpool.registry.tests.factories import WorkerFactory

    return WorkerFactory(name="单田芳", enterprise=enterprise_b, male=False)


def _user(username: str, role: str, **extra: object) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, role=role, full_name=username, **extra)


@pytest.fixture
def admin_user(db):  # type: ignore[no-untyped-def]
    return _user("admin", Role.ADMIN, is_staff=True)


@pytest.fixture
def leader(db):  # type: ignore[no-untyped-def]
    return _user("leader", Role.LEADER, organisation="区人社局")


@pytest.fixture
def operator_a(enterprise_a):  # type: ignore[no-untyped-def]
    return _user("operator_a", Role.OPERATOR, enterprise=enterprise_a)


@pytest.fixture
def operator_b(enterprise_b):  # type: ignore[no-untyped-def]
    return _user("operator_b", Role.OPERATOR, enterprise=enterprise_b)


@pytest.fixture
def expert(db):  # type: ignore[no-untyped-def]
    return _user("expert", Role.EXPERT, organisation="湖州职业技术学院")


@pytest.fixture
def worker_user(worker_a):  # type: ignore[no-untyped-def]
    return _user("worker_a", Role.WORKER, worker=worker_a)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_admin(admin_user):  # type: ignore[no-untyped-def]
    return client_for(admin_user)


@pytest.fixture
def as_leader(leader):  # type: ignore[no-untyped-def]
    return client_for(leader)


@pytest.fixture
def as_operator_a(operator_a):  # type: ignore[no-untyped-def]
    return client_for(operator_a)


@pytest.fixture
def as_operator_b(operator_b):  # type: ignore[no-untyped-def]
    return client_for(operator_b)


@pytest.fixture
def as_expert(expert):  # type: ignore[no-untyped-def]
    return client_for(expert)


@pytest.fixture
def as_worker(worker_user):  # type: ignore[no-untyped-def]
    return client_for(worker_user)


@pytest.fixture
def anonymous() -> Client:
    return Client()


@pytest.fixture
def locks(monkeypatch) -> list[tuple[type, Any, bool]]:  # type: ignore[no-untyped-def]
    """Each select_for_update: (model, of, whether inside a transaction)."""
    seen: list[tuple[type, Any, bool]] = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append((self.model, kwargs.get("of"), connection.in_atomic_block))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    return seen
