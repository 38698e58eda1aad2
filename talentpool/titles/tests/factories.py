"""Factories and fixtures of tiers and titles."""

from __future__ import annotations

import datetime

import factory
import pytest

from talentpool.core.models import AuditLog
from talentpool.registry.tests.factories import WorkerFactory
from talentpool.titles.models import Tier, Title


def tier(code: str) -> Tier:
    """A seeded tier (migration 0002): craftsman, chief_technician, technical_model."""
    return Tier.objects.get(code=code)


@pytest.fixture
def craftsman(db) -> Tier:  # type: ignore[no-untyped-def]
    return tier("craftsman")


@pytest.fixture
def chief(db) -> Tier:  # type: ignore[no-untyped-def]
    return tier("chief_technician")


@pytest.fixture
def model_worker(db) -> Tier:  # type: ignore[no-untyped-def]
    return tier("technical_model")


class TitleFactory(factory.django.DjangoModelFactory):
    """A title written directly (not through the services): for pages, scoping and constraints."""

    class Meta:
        model = Title

    worker = factory.SubFactory(WorkerFactory, name="沈称号")
    tier = factory.LazyFunction(lambda: tier("technical_model"))
    certificate_number = factory.Sequence(lambda n: f"NX2024JSBB{n + 1:04d}")
    valid_from = datetime.date(2024, 5, 1)
    year = 2024
    source = "2024年度选树"


def events(action: str) -> list[AuditLog]:
    return list(AuditLog.objects.filter(action=action).order_by("pk"))
