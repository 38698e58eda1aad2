# ruff: noqa: F811
"""Training services: the status machine, enrolment and its refusals (each leaving everything as it
was), the lock that keeps a class from overfilling, attendance, results and the level-up through
the registry's certificate service."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.core.models import AuditAction, AuditLog
from talentpool.registry.models import Certificate, Worker
from talentpool.registry.tests.factories import CertificateFactory, WorkerFactory

from .. import events
from .. import services_training as services
from ..choices import AttendanceStatus, ClassMode, ClassStatus, EnrolmentResult, EnrolmentStatus
from ..models import Attendance, Course, Enrolment, TrainingClass
from .factories_training import (  # noqa: F401
    EnrolmentFactory,
    SessionFactory,
    TrainingClassFactory,
    course,
    menu_class,
    order_class_a,
    worker_a2,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def class_data(**extra: object) -> services.ClassData:
    values: dict = {"name": "数控车工班", "capacity": 2, "start_date": D(2026, 5, 1), "end_date": D(2026, 5, 30)}
    return services.ClassData(**(values | extra))


def snapshot() -> tuple:
    return (
        list(Enrolment.objects.order_by("pk").values_list("pk", "status", "result", "enterprise_id")),
        list(TrainingClass.objects.order_by("pk").values_list("pk", "status", "version")),
        AuditLog.objects.count(),
    )


# Courses ------------------------------------------------------------------------------------


def test_admin_creates_and_retires_a_course(admin_user, operator_a):
    data = services.CourseData(code="KC01", name="电工培训", target_level=3, hours=Decimal("24"))
    c = services.create_course(data, actor=admin_user)
    assert (c.code, c.is_active) == ("KC01", True)
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_id=str(c.pk)).exists()
    with pytest.raises(ServiceError):
        services.create_course(data, actor=admin_user)
    with pytest.raises(OutOfScope):
        services.create_course(services.CourseData("KC02", "x", 3, Decimal(1)), actor=operator_a)
    assert Course.objects.count() == 1
    services.set_course_active(c, False, actor=admin_user)
    c.refresh_from_db()
    assert not c.is_active
    assert AuditLog.objects.filter(action=events.TRAINING_COURSE_RETIRE).count() == 1
    with pytest.raises(ServiceError):
        services.plan_class(c, class_data(), mode=ClassMode.MENU, actor=admin_user)


# The status machine ---------------------------------------------------------------------------


def test_an_order_is_planned_started_and_closed(admin_user, operator_a, enterprise_a, course, worker_a):
    ordered = services.order_class(course, class_data(capacity=10), actor=operator_a)
    assert (ordered.mode, ordered.status, ordered.ordered_by_id) == (
        ClassMode.ORDER,
        ClassStatus.ORDERED,
        enterprise_a.pk,
    )
    assert ordered.code == "PX2026-0001"
    with pytest.raises(ServiceError, match=r"预订|order"):
        services.enrol_worker(ordered, worker_a, actor=operator_a)
    with pytest.raises(ServiceError):
        services.start_class(ordered, actor=admin_user)
    planned = services.accept_order(
        ordered, class_data(capacity=12, teacher="李老师", venue="报告厅"), actor=admin_user
    )
    assert (planned.status, planned.capacity, planned.teacher) == (ClassStatus.PLANNED, 12, "李老师")
    with pytest.raises(ServiceError):
        services.accept_order(planned, class_data(), actor=admin_user)
    enrolment = services.enrol_worker(planned, worker_a, actor=operator_a)
    running = services.start_class(planned, actor=admin_user)
    assert running.status == ClassStatus.RUNNING
    with pytest.raises(ServiceError, match=worker_a.name):  # a result is pending
        services.close_class(running, actor=admin_user)
    assert TrainingClass.objects.get(pk=running.pk).status == ClassStatus.RUNNING
    services.record_results(
        running, {enrolment.pk: services.ResultData(EnrolmentResult.FAILED, Decimal("52"))}, actor=admin_user
    )
    closed = services.close_class(running, actor=admin_user)
    assert closed.status == ClassStatus.CLOSED and closed.closed_at is not None
    with pytest.raises(ServiceError):
        services.cancel_class(closed, "迟了", actor=admin_user)
    actions = list(
        AuditLog.objects.filter(object_id=str(ordered.pk), action__startswith="cultivation.class")
        .values_list("action", flat=True)
        .order_by("pk")
    )
    assert actions == [
        events.TRAINING_CLASS_ORDER,
        events.TRAINING_CLASS_PLAN,
        events.TRAINING_CLASS_START,
        events.TRAINING_CLASS_CLOSE,
    ]


def test_an_operator_cancels_only_their_own_order_while_it_is_ordered(admin_user, operator_a, operator_b, course):
    first = services.order_class(course, class_data(), actor=operator_a)
    with pytest.raises(OutOfScope):
        services.cancel_class(first, "", actor=operator_b)
    assert TrainingClass.objects.get(pk=first.pk).status == ClassStatus.ORDERED
    services.cancel_class(first, "", actor=operator_a)
    assert TrainingClass.objects.get(pk=first.pk).status == ClassStatus.CANCELLED
    second = services.order_class(course, class_data(), actor=operator_a)
    services.accept_order(second, class_data(), actor=admin_user)
    with pytest.raises(ServiceError):
        services.cancel_class(second, "", actor=operator_a)
    with pytest.raises(ServiceError):  # the admin must give a reason
        services.cancel_class(second, " ", actor=admin_user)
    assert TrainingClass.objects.get(pk=second.pk).status == ClassStatus.PLANNED
    services.cancel_class(second, "教师无法到岗", actor=admin_user)
    second.refresh_from_db()
    assert second.status == ClassStatus.CANCELLED and "教师无法到岗" in second.note


def test_a_combined_class_names_at_least_two_enterprises(admin_user, course, enterprise_a, enterprise_b):
    with pytest.raises(ServiceError):
        services.plan_class(course, class_data(), mode=ClassMode.COMBINED, enterprises=[enterprise_a], actor=admin_user)
    combined = services.plan_class(
        course, class_data(), mode=ClassMode.COMBINED, enterprises=[enterprise_a, enterprise_b], actor=admin_user
    )
    assert set(combined.enterprises.values_list("pk", flat=True)) == {enterprise_a.pk, enterprise_b.pk}


# Enrolment ----------------------------------------------------------------------------------


def test_an_operator_enrols_their_own_workers(operator_a, menu_class, worker_a, worker_a2):
    done = services.enrol_workers(menu_class, [worker_a, worker_a2], actor=operator_a)
    assert {(e.worker_id, e.enterprise_id, e.status) for e in done} == {
        (worker_a.pk, worker_a.current_enterprise_id, EnrolmentStatus.ENROLLED),
        (worker_a2.pk, worker_a2.current_enterprise_id, EnrolmentStatus.ENROLLED),
    }
    assert AuditLog.objects.filter(action=events.TRAINING_ENROL).count() == 2


def test_a_full_class_refuses_and_changes_nothing(operator_a, course, worker_a, worker_a2, enterprise_a):
    small = TrainingClassFactory(course=course, capacity=1)
    services.enrol_worker(small, worker_a, actor=operator_a)
    before = snapshot()
    with pytest.raises(ServiceError, match="1"):
        services.enrol_worker(small, worker_a2, actor=operator_a)
    assert snapshot() == before


def test_two_at_once_beyond_the_places_enrol_neither(operator_a, course, worker_a, worker_a2):
    small = TrainingClassFactory(course=course, capacity=1)
    before = snapshot()
    with pytest.raises(ServiceError):
        services.enrol_workers(small, [worker_a, worker_a2], actor=operator_a)
    assert snapshot() == before


@pytest.mark.parametrize("status", [ClassStatus.CLOSED, ClassStatus.CANCELLED, ClassStatus.ORDERED])
def test_a_class_not_open_refuses_enrolment(status, admin_user, course, enterprise_a, worker_a):
    shut = TrainingClassFactory(course=course, status=status, mode=ClassMode.ORDER, ordered_by=enterprise_a)
    before = snapshot()
    with pytest.raises(ServiceError):
        services.enrol_worker(shut, worker_a, actor=admin_user)
    assert snapshot() == before


def test_a_worker_already_enrolled_is_refused(operator_a, menu_class, worker_a):
    services.enrol_worker(menu_class, worker_a, actor=operator_a)
    before = snapshot()
    with pytest.raises(ServiceError, match=worker_a.name):
        services.enrol_worker(menu_class, worker_a, actor=operator_a)
    assert snapshot() == before


def test_an_operator_cannot_enrol_another_enterprises_worker(operator_a, menu_class, worker_b):
    before = snapshot()
    with pytest.raises(ServiceError):
        services.enrol_worker(menu_class, worker_b, actor=operator_a)
    assert snapshot() == before


def test_a_worker_not_employed_is_refused(admin_user, menu_class):
    jobless = WorkerFactory(name="赵闲", enterprise=None)
    before = snapshot()
    with pytest.raises(ServiceError, match="赵闲"):
        services.enrol_worker(menu_class, jobless, actor=admin_user)
    assert snapshot() == before


def test_an_order_is_closed_to_other_enterprises(operator_b, admin_user, order_class_a, worker_b):
    before = snapshot()
    with pytest.raises(OutOfScope):
        services.enrol_worker(order_class_a, worker_b, actor=operator_b)
    with pytest.raises(ServiceError):  # the admin too: the class is not open to B
        services.enrol_worker(order_class_a, worker_b, actor=admin_user)
    assert snapshot() == before


def test_a_combined_class_takes_only_its_enterprises(operator_a, operator_b, course, enterprise_a, worker_a, worker_b):
    other = WorkerFactory(name="外企职工").current_enterprise
    combined = TrainingClassFactory(course=course, mode=ClassMode.COMBINED)
    combined.enterprises.set([enterprise_a, other])
    services.enrol_worker(combined, worker_a, actor=operator_a)
    with pytest.raises(OutOfScope):
        services.enrol_worker(combined, worker_b, actor=operator_b)
    assert list(Enrolment.objects.values_list("worker_id", flat=True)) == [worker_a.pk]


def test_the_class_row_is_locked_while_places_are_counted(operator_a, menu_class, worker_a, locks):
    services.enrol_worker(menu_class, worker_a, actor=operator_a)
    assert (TrainingClass, ("self",), True) in locks
    first = next(i for i, lock in enumerate(locks) if lock[0] is TrainingClass)
    assert any(lock[0] is Worker for lock in locks[first:])  # the class is locked before anything else


def test_withdraw_and_enrol_again(operator_a, operator_b, menu_class, worker_a):
    enrolment = services.enrol_worker(menu_class, worker_a, actor=operator_a)
    with pytest.raises(OutOfScope):
        services.withdraw_enrolment(enrolment, actor=operator_b)
    services.withdraw_enrolment(enrolment, actor=operator_a)
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.WITHDRAWN
    again = services.enrol_worker(menu_class, worker_a, actor=operator_a)
    assert again.pk == enrolment.pk and again.status == EnrolmentStatus.ENROLLED
    menu_class.status = ClassStatus.CLOSED
    menu_class.save()
    with pytest.raises(ServiceError):
        services.withdraw_enrolment(again, actor=operator_a)
    assert Enrolment.objects.get(pk=again.pk).status == EnrolmentStatus.ENROLLED


# Sessions and attendance ----------------------------------------------------------------------


def test_sessions_are_not_changed_on_a_closed_class(admin_user, menu_class):
    session = services.add_session(
        menu_class, services.SessionData(D(2026, 5, 2), Decimal(4), "编程"), actor=admin_user
    )
    menu_class.status = ClassStatus.CLOSED
    menu_class.save()
    with pytest.raises(ServiceError):
        services.add_session(menu_class, services.SessionData(D(2026, 5, 3), Decimal(4)), actor=admin_user)
    with pytest.raises(ServiceError):
        services.delete_session(session, actor=admin_user)
    assert menu_class.sessions.count() == 1


def test_attendance_is_saved_atomically_and_updated(admin_user, operator_a, menu_class, worker_a, worker_a2):
    a = services.enrol_worker(menu_class, worker_a, actor=operator_a)
    b = services.enrol_worker(menu_class, worker_a2, actor=operator_a)
    session = SessionFactory(training_class=menu_class)
    assert services.record_attendance(session, {a.pk: "present", b.pk: "leave"}, actor=admin_user) == {
        "new": 2,
        "updated": 0,
        "unchanged": 0,
    }
    assert services.record_attendance(session, {a.pk: "present", b.pk: "absent"}, actor=admin_user) == {
        "new": 0,
        "updated": 1,
        "unchanged": 1,
    }
    stranger = EnrolmentFactory(worker=WorkerFactory(name="他班"))  # enrolled in another class
    with pytest.raises(ServiceError):
        services.record_attendance(session, {a.pk: "leave", stranger.pk: "present"}, actor=admin_user)
    with pytest.raises(OutOfScope):
        services.record_attendance(session, {a.pk: "leave"}, actor=operator_a)
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {
        a.pk: AttendanceStatus.PRESENT,
        b.pk: AttendanceStatus.ABSENT,
    }


# Results and level-ups -----------------------------------------------------------------------


@pytest.fixture
def passed(admin_user, operator_a, menu_class, worker_a):
    enrolment = services.enrol_worker(menu_class, worker_a, actor=operator_a)
    services.start_class(menu_class, actor=admin_user)
    services.record_results(
        menu_class, {enrolment.pk: services.ResultData(EnrolmentResult.PASSED, Decimal(88))}, actor=admin_user
    )
    enrolment.refresh_from_db()
    return enrolment


def test_a_level_up_raises_the_workers_level_through_the_registry(admin_user, passed, worker_a):
    assert worker_a.skill_level == 3
    data = services.LevelUpData(number="3305031234567890", level=4, issued_on=D(2026, 6, 1), issuer="区人社局")
    certificate = services.record_level_up(passed, data, actor=admin_user)
    worker_a.refresh_from_db()
    passed.refresh_from_db()
    assert worker_a.skill_level == 4
    assert (passed.level_up_certificate_id, passed.level_up_on) == (certificate.pk, D(2026, 6, 1))
    assert certificate.worker_id == worker_a.pk and certificate.level == 4
    assert AuditLog.objects.filter(action=events.TRAINING_LEVEL_UP).count() == 1
    assert AuditLog.objects.filter(action=AuditAction.UPDATE, object_id=str(worker_a.pk)).exists()
    with pytest.raises(ServiceError):  # once only
        services.record_level_up(passed, services.LevelUpData("3305031234567891", 4, D(2026, 6, 1)), actor=admin_user)
    with pytest.raises(ServiceError):  # the result stays passed once the level rose
        services.record_results(
            passed.training_class, {passed.pk: services.ResultData(EnrolmentResult.FAILED)}, actor=admin_user
        )


def test_a_duplicate_certificate_number_refuses_without_any_change(admin_user, passed, worker_a, worker_b):
    CertificateFactory(worker=worker_b, number="3305031234567890", level=4)
    before = (snapshot(), Certificate.objects.count(), Worker.objects.get(pk=worker_a.pk).skill_level)
    data = services.LevelUpData(number="3305031234567890", level=4, issued_on=D(2026, 6, 1))
    with pytest.raises(ServiceError):
        services.record_level_up(passed, data, actor=admin_user)
    assert (snapshot(), Certificate.objects.count(), Worker.objects.get(pk=worker_a.pk).skill_level) == before
    passed.refresh_from_db()
    assert passed.level_up_certificate_id is None and passed.level_up_on is None


def test_only_a_passed_worker_levels_up(admin_user, operator_a, menu_class, worker_a):
    enrolment = services.enrol_worker(menu_class, worker_a, actor=operator_a)
    services.start_class(menu_class, actor=admin_user)
    with pytest.raises(ServiceError):
        services.record_level_up(
            enrolment, services.LevelUpData("3305031234567890", 4, D(2026, 6, 1)), actor=admin_user
        )
    assert Certificate.objects.count() == 0
