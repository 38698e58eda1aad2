"""factory_boy factories and fixtures of training (培训)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
import pytest

from talentpool.registry.tests.factories import EnterpriseFactory, WorkerFactory

from ..choices import ClassMode, ClassStatus
from ..models import Course, Enrolment, TrainingClass, TrainingSession


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"KC{n:04d}")
    name = factory.Sequence(lambda n: f"数控车工技师培训{n}")
    target_level = 4  # 技师
    hours = Decimal("40.0")


class TrainingClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingClass

    code = factory.Sequence(lambda n: f"PX2026-{n + 1:04d}")
    course = factory.SubFactory(CourseFactory)
    name = factory.LazyAttribute(lambda o: o.course.name)
    mode = ClassMode.MENU
    status = ClassStatus.PLANNED
    capacity = 30
    start_date = datetime.date(2026, 5, 1)
    end_date = datetime.date(2026, 5, 30)
    venue = "南浔区职工服务中心"
    teacher = "王老师"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    training_class = factory.SubFactory(TrainingClassFactory)
    held_on = datetime.date(2026, 5, 2)
    topic = "数控编程"
    hours = Decimal("4.0")


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    training_class = factory.SubFactory(TrainingClassFactory)
    worker = factory.SubFactory(WorkerFactory)
    enterprise = factory.LazyAttribute(lambda o: o.worker.current_enterprise)


@pytest.fixture
def course(db):  # type: ignore[no-untyped-def]
    return CourseFactory(code="KC-CNC", name="数控车工技师培训")


@pytest.fixture
def menu_class(course):  # type: ignore[no-untyped-def]
    return TrainingClassFactory(course=course, mode=ClassMode.MENU)


@pytest.fixture
def order_class_a(course, enterprise_a):  # type: ignore[no-untyped-def]
    """An order-style class ordered by enterprise A, planned."""
    return TrainingClassFactory(course=course, mode=ClassMode.ORDER, ordered_by=enterprise_a)


@pytest.fixture
def worker_a2(enterprise_a):  # type: ignore[no-untyped-def]
    return WorkerFactory(name="沈小明", enterprise=enterprise_a)


__all__ = ["EnterpriseFactory", "WorkerFactory"]
