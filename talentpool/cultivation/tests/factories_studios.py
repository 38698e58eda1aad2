"""Factories and fixtures of innovation studios."""

from __future__ import annotations

import factory
import pytest

from talentpool.cultivation.models import Studio, StudioMember, StudioResult
from talentpool.registry.tests.factories import WorkerFactory


class StudioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Studio

    name = factory.Sequence(lambda n: f"技能大师创新工作室{n}")
    leader = factory.SubFactory(WorkerFactory, name="沈领办")
    enterprise = factory.LazyAttribute(lambda o: o.leader.current_enterprise)
    level = "district"
    founded_year = 2018


class StudioMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudioMember

    studio = factory.SubFactory(StudioFactory)
    worker = factory.SubFactory(WorkerFactory, name="陆成员", enterprise=factory.SelfAttribute("..studio.enterprise"))


class StudioResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudioResult

    studio = factory.SubFactory(StudioFactory)
    year = 2023
    summary = "获实用新型专利 2 项"


@pytest.fixture
def leader_a(enterprise_a):  # type: ignore[no-untyped-def]
    return WorkerFactory(name="沈领办", enterprise=enterprise_a)


@pytest.fixture
def leader_b(enterprise_b):  # type: ignore[no-untyped-def]
    return WorkerFactory(name="钱领办", enterprise=enterprise_b)
