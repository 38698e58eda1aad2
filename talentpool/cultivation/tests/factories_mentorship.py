"""Factories and fixtures of master–apprentice pairs."""

from __future__ import annotations

import datetime

import factory
import pytest

from talentpool.cultivation.models import Mentorship
from talentpool.registry.tests.factories import WorkerFactory


class MentorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentorship

    master = factory.SubFactory(WorkerFactory, name="王师傅")
    apprentice = factory.SubFactory(WorkerFactory, name="李徒弟")
    enterprise = factory.LazyAttribute(lambda o: o.apprentice.current_enterprise)
    start_date = datetime.date(2024, 3, 1)


@pytest.fixture
def master_a(enterprise_a):  # type: ignore[no-untyped-def]
    return WorkerFactory(name="沈师傅", enterprise=enterprise_a)


@pytest.fixture
def master_b(enterprise_b):  # type: ignore[no-untyped-def]
    return WorkerFactory(name="钱名师", enterprise=enterprise_b)


@pytest.fixture
def apprentice_b(enterprise_b):  # type: ignore[no-untyped-def]
    return WorkerFactory(name="孙徒弟", enterprise=enterprise_b)
