"""Factories and fixtures of "五小" innovations."""

from __future__ import annotations

import datetime

import factory
import pytest

from talentpool.cultivation.choices import InnovationKind, MemberRole
from talentpool.cultivation.models import Innovation, InnovationMember
from talentpool.registry.tests.factories import EnterpriseFactory, WorkerFactory


class InnovationFactory(factory.django.DjangoModelFactory):
    """An innovation of ``enterprise``; ``team`` (workers, the first leads it) become its members."""

    class Meta:
        model = Innovation
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"工装夹具改进{n}")
    kind = InnovationKind.INNOVATION
    enterprise = factory.SubFactory(EnterpriseFactory)
    submitted_on = datetime.date(2024, 5, 10)

    @factory.post_generation
    def team(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        for i, worker in enumerate(extracted or []):
            InnovationMember.objects.create(
                innovation=self, worker=worker, role=MemberRole.LEADER if i == 0 else MemberRole.MEMBER, order=i
            )


@pytest.fixture
def colleague_a(enterprise_a):  # type: ignore[no-untyped-def]
    return WorkerFactory(name="沈技师", enterprise=enterprise_a)


@pytest.fixture
def colleague_b(enterprise_b):  # type: ignore[no-untyped-def]
    return WorkerFactory(name="钱工匠", enterprise=enterprise_b)
