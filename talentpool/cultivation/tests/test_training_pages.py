# ruff: noqa: F811
"""Training pages: scoping (404 outside it), the leader reads only, the worker sees their own
classes, the attendance grid and results, the level-up form, exports, the API and query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from talentpool.core.models import AuditAction, AuditLog
from talentpool.registry.models import Certificate, Worker
from talentpool.registry.tests.factories import CertificateFactory, WorkerFactory

from .. import services_training as services
from ..choices import AttendanceStatus, ClassMode, ClassStatus, EnrolmentResult, EnrolmentStatus
from ..models import Attendance, Course, Enrolment, TrainingClass
from .factories_training import (  # noqa: F401
    CourseFactory,
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


def url(name: str, *args: object) -> str:
    return reverse(f"cultivation:{name}", args=args)


# Catalogue ----------------------------------------------------------------------------------


def test_the_catalogue_is_read_by_all_but_experts(
    as_admin, as_leader, as_operator_a, as_worker, as_expert, course, menu_class
):
    for client in (as_admin, as_leader, as_operator_a, as_worker):
        assert client.get(url("course_list")).status_code == 200
        page = client.get(url("course_detail", course.pk))
        assert page.status_code == 200
        if client is not as_worker:  # a worker sees only the classes they are enrolled in
            assert menu_class.code in page.content.decode()  # the detail lists its open classes
    assert as_expert.get(url("course_list")).status_code == 404
    assert as_expert.get(url("course_detail", course.pk)).status_code == 404
    assert as_operator_a.get(url("course_create")).status_code == 404
    assert as_leader.get(url("course_edit", course.pk)).status_code == 404


def test_an_admin_adds_a_course_with_occupations(as_admin):
    from talentpool.registry.models import Occupation

    lathe = Occupation.objects.get(code="6-18-01-01")
    response = as_admin.post(
        url("course_create"),
        {
            "code": "kc-09",
            "name": "车工中级",
            "target_level": "2",
            "hours": "32",
            "description": "",
            "occupation_1": str(lathe.pk),
            "occupation_2": "",
            "occupation_3": "",
        },
    )
    course = Course.objects.get()
    assert response.status_code == 302 and response.url == course.get_absolute_url()
    assert (course.code, course.target_level) == ("KC-09", 2)
    assert list(course.occupations.all()) == [lathe]


# Scoping of classes ---------------------------------------------------------------------------


def test_operator_b_cannot_see_or_enrol_into_operator_as_order(as_operator_b, order_class_a, worker_b):
    assert as_operator_b.get(url("class_detail", order_class_a.pk)).status_code == 404
    assert as_operator_b.get(url("class_enrol", order_class_a.pk)).status_code == 404
    response = as_operator_b.post(url("class_enrol", order_class_a.pk), {"workers": [worker_b.pk]})
    assert response.status_code == 404
    assert not Enrolment.objects.exists()
    listing = as_operator_b.get(url("class_list")).content.decode()
    assert order_class_a.code not in listing
    api = as_operator_b.get(f"/api/training-classes/{order_class_a.pk}/")
    assert api.status_code == 404


def test_operator_a_orders_and_enrols_their_workers(as_operator_a, course, worker_a, worker_a2, admin_user):
    response = as_operator_a.post(url("course_order", course.pk), {"capacity": "5", "name": "", "note": "夜班"})
    ordered = TrainingClass.objects.get()
    assert response.status_code == 302
    assert (ordered.status, ordered.mode, ordered.name) == (ClassStatus.ORDERED, ClassMode.ORDER, course.name)
    services.accept_order(ordered, services.ClassData(name=ordered.name, capacity=5), actor=admin_user)
    page = as_operator_a.get(url("class_enrol", ordered.pk)).content.decode()
    assert worker_a.name in page and worker_a.id_number not in page
    response = as_operator_a.post(url("class_enrol", ordered.pk), {"workers": [worker_a.pk, worker_a2.pk]})
    assert response.status_code == 302
    assert set(Enrolment.objects.values_list("worker_id", flat=True)) == {worker_a.pk, worker_a2.pk}


def test_a_refused_enrolment_shows_on_the_page(as_operator_a, course, worker_a, worker_a2):
    small = TrainingClassFactory(course=course, capacity=1)
    response = as_operator_a.post(url("class_enrol", small.pk), {"workers": [worker_a.pk, worker_a2.pk]})
    assert response.status_code == 200
    assert 'data-testid="form-error"' in response.content.decode()
    assert not Enrolment.objects.exists()


def test_the_leader_reads_but_changes_nothing(as_leader, menu_class, worker_a):
    enrolment = EnrolmentFactory(training_class=menu_class, worker=worker_a)
    session = SessionFactory(training_class=menu_class)
    assert as_leader.get(url("class_list")).status_code == 200
    assert as_leader.get(url("class_detail", menu_class.pk)).status_code == 200
    assert as_leader.get(url("session_attendance", session.pk)).status_code == 200
    for name, args in [
        ("class_start", [menu_class.pk]),
        ("class_close", [menu_class.pk]),
        ("class_enrol", [menu_class.pk]),
        ("class_results", [menu_class.pk]),
        ("enrolment_withdraw", [enrolment.pk]),
        ("session_delete", [session.pk]),
        ("session_attendance", [session.pk]),
    ]:
        assert as_leader.post(url(name, *args), {}).status_code == 404, name
    assert TrainingClass.objects.get(pk=menu_class.pk).status == ClassStatus.PLANNED
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.ENROLLED
    assert not Attendance.objects.exists()


def test_a_worker_sees_only_their_classes(as_worker, course, worker_a, worker_b):
    mine = TrainingClassFactory(course=course)
    theirs = TrainingClassFactory(course=course)
    EnrolmentFactory(training_class=mine, worker=worker_a)
    EnrolmentFactory(training_class=theirs, worker=worker_b)
    EnrolmentFactory(training_class=mine, worker=worker_b)
    page = as_worker.get(url("class_detail", mine.pk))
    assert page.status_code == 200
    assert worker_a.name in page.content.decode() and worker_b.name not in page.content.decode()
    assert as_worker.get(url("class_detail", theirs.pk)).status_code == 404
    assert as_worker.get(url("class_enrol", mine.pk)).status_code == 404
    assert [row["training_class"] for row in as_worker.get("/api/enrolments/").json()["results"]] == [mine.pk]


def test_an_operator_sees_only_their_enterprises_enrolments_of_a_menu_class(
    as_operator_a, menu_class, worker_a, worker_b
):
    EnrolmentFactory(training_class=menu_class, worker=worker_a)
    EnrolmentFactory(training_class=menu_class, worker=worker_b)
    page = as_operator_a.get(url("class_detail", menu_class.pk)).content.decode()
    assert worker_a.name in page and worker_b.name not in page
    listing = as_operator_a.get(url("enrolment_list")).content.decode()
    assert worker_a.name in listing and worker_b.name not in listing


# Admin pages ------------------------------------------------------------------------------


def test_the_attendance_grid_saves_in_one_post(as_admin, menu_class, worker_a, worker_a2):
    a = EnrolmentFactory(training_class=menu_class, worker=worker_a)
    b = EnrolmentFactory(training_class=menu_class, worker=worker_a2)
    session = SessionFactory(training_class=menu_class)
    response = as_admin.post(url("session_attendance", session.pk), {f"att_{a.pk}": "present", f"att_{b.pk}": "absent"})
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {
        a.pk: AttendanceStatus.PRESENT,
        b.pk: AttendanceStatus.ABSENT,
    }
    page = as_admin.get(url("session_attendance", session.pk)).content.decode()
    assert f'data-testid="att_{a.pk}-present" checked' in page
    as_admin.post(url("session_attendance", session.pk), {f"att_{a.pk}": "leave", f"att_{b.pk}": "absent"})
    assert Attendance.objects.get(enrolment=a).status == AttendanceStatus.LEAVE
    assert Attendance.objects.count() == 2


def test_results_and_level_up_through_the_pages(as_admin, menu_class, worker_a, worker_b):
    enrolment = EnrolmentFactory(training_class=menu_class, worker=worker_a)
    menu_class.status = ClassStatus.RUNNING
    menu_class.save()
    response = as_admin.post(
        url("class_results", menu_class.pk), {f"result_{enrolment.pk}": "passed", f"score_{enrolment.pk}": "91.5"}
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.result, enrolment.score) == (EnrolmentResult.PASSED, Decimal("91.5"))
    form = as_admin.get(url("enrolment_level_up", enrolment.pk)).content.decode()
    assert 'value="4" selected' in form  # the course's target level
    CertificateFactory(worker=worker_b, number="3305031234567890")
    refused = as_admin.post(
        url("enrolment_level_up", enrolment.pk),
        {"number": "3305031234567890", "level": "4", "issued_on": "2026-06-01", "issuer": ""},
    )
    assert refused.status_code == 200 and 'data-testid="form-error"' in refused.content.decode()
    assert Worker.objects.get(pk=worker_a.pk).skill_level == 3
    assert Certificate.objects.filter(worker=worker_a).count() == 0
    done = as_admin.post(
        url("enrolment_level_up", enrolment.pk),
        {"number": "3305031234567899", "level": "4", "issued_on": "2026-06-01", "issuer": "区人社局"},
    )
    assert done.status_code == 302
    assert Worker.objects.get(pk=worker_a.pk).skill_level == 4
    assert Enrolment.objects.get(pk=enrolment.pk).level_up_on == D(2026, 6, 1)


def test_closing_names_the_pending_workers(as_admin, menu_class, worker_a):
    EnrolmentFactory(training_class=menu_class, worker=worker_a)
    menu_class.status = ClassStatus.RUNNING
    menu_class.save()
    response = as_admin.post(url("class_close", menu_class.pk), follow=True)
    assert worker_a.name in response.content.decode()
    assert TrainingClass.objects.get(pk=menu_class.pk).status == ClassStatus.RUNNING


def test_an_admin_plans_a_combined_class(as_admin, course, enterprise_a, enterprise_b):
    response = as_admin.post(
        url("class_create"),
        {
            "course": course.pk,
            "mode": "combined",
            "name": "",
            "capacity": "20",
            "start_date": "2026-07-01",
            "end_date": "2026-07-10",
            "venue": "",
            "teacher": "周老师",
            "note": "",
            "enterprise_1": enterprise_a.pk,
            "enterprise_2": enterprise_b.pk,
        },
    )
    created = TrainingClass.objects.get()
    assert response.status_code == 302
    assert (created.mode, created.code, created.name) == (ClassMode.COMBINED, "PX2026-0001", course.name)
    assert created.enterprises.count() == 2


# Exports, API, query counts ---------------------------------------------------------------


def test_the_class_list_exports(as_leader, menu_class):
    response = as_leader.get(url("class_list") + "?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditLog.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_api_lists_courses_and_classes(as_operator_a, menu_class, order_class_a, course):
    other = TrainingClassFactory(
        course=course, mode=ClassMode.ORDER, ordered_by=WorkerFactory(name="乙").current_enterprise
    )
    codes = {row["code"] for row in as_operator_a.get("/api/training-classes/").json()["results"]}
    assert codes == {menu_class.code, order_class_a.code} and other.code not in codes
    assert as_operator_a.get("/api/courses/").json()["results"][0]["code"] == course.code


def _many_classes(course, enterprise, workers) -> None:
    for _n in range(6):
        training_class = TrainingClassFactory(course=course, mode=ClassMode.ORDER, ordered_by=enterprise)
        training_class.enterprises.set([enterprise])
        for worker in workers:
            EnrolmentFactory(training_class=training_class, worker=worker)


@pytest.mark.parametrize("client_name", ["as_admin", "as_operator_a"])
def test_the_lists_run_a_bounded_number_of_queries(
    request, client_name, course, enterprise_a, worker_a, worker_a2, django_assert_max_num_queries
):
    client = request.getfixturevalue(client_name)
    _many_classes(course, enterprise_a, [worker_a, worker_a2])
    for _n in range(5):
        CourseFactory()
    with django_assert_max_num_queries(12):
        assert client.get(url("class_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(url("course_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(url("enrolment_list")).status_code == 200
    training_class = TrainingClass.objects.first()
    with django_assert_max_num_queries(16):
        assert client.get(url("class_detail", training_class.pk)).status_code == 200
