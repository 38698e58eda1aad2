"""Excel import of training attendance (imports/training.py): the exact rows it writes, errors by
row and column in Chinese (never an ID number in clear), all or nothing, re-import updates, and
only admins import it (an operator may not record another enterprise's attendance)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from talentpool.core.imports.reader import ImportFileError, read_sheet
from talentpool.core.imports.spec import allowed_kinds, import_kind
from talentpool.core.imports.validate import validate_sheet
from talentpool.core.imports.write import write_outcome
from talentpool.core.models import AuditLog, Job
from talentpool.registry.tests.factories import WorkerFactory
from talentpool.registry.tests.test_imports import workbook
from talentpool.rules.idnumber import compute_check_char

from ..choices import ClassMode, ClassStatus, EnrolmentStatus
from ..events import TRAINING_ATTENDANCE
from ..models import Attendance
from .factories_training import EnrolmentFactory, SessionFactory, TrainingClassFactory

pytestmark = pytest.mark.django_db
D = datetime.date
HEADERS = ["班级编号", "日期", "身份证号", "出勤"]
KIND = "training_attendance"
NOBODY = "33050319900101123" + compute_check_char("33050319900101123")  # valid, nobody's


def check(actor, rows, headers=HEADERS):  # type: ignore[no-untyped-def]
    return validate_sheet(read_sheet(workbook(headers, rows), import_kind(KIND)), actor=actor, mode="update")


def run(actor, rows):  # type: ignore[no-untyped-def]
    outcome = check(actor, rows)
    if outcome.is_valid:
        write_outcome(outcome, actor=actor, filename="t.xlsx")
    return outcome


@pytest.fixture
def course_class(enterprise_a):  # type: ignore[no-untyped-def]
    """An order-style class of enterprise A, running, with two sessions and two enrolled workers."""
    training_class = TrainingClassFactory(code="PX2026-0007", mode=ClassMode.ORDER, ordered_by=enterprise_a,
                                          status=ClassStatus.RUNNING)
    first = SessionFactory(training_class=training_class, held_on=D(2026, 5, 2))
    second = SessionFactory(training_class=training_class, held_on=D(2026, 5, 9))
    shen = WorkerFactory(name="沈建国", enterprise=enterprise_a)
    lu = WorkerFactory(name="陆小红", enterprise=enterprise_a)
    return {
        "class": training_class,
        "sessions": (first, second),
        "shen": EnrolmentFactory(training_class=training_class, worker=shen),
        "lu": EnrolmentFactory(training_class=training_class, worker=lu),
    }


def row(enrolment, day="2026-05-02", status="出勤", code=None):  # type: ignore[no-untyped-def]
    return [code or enrolment.training_class.code, day, enrolment.worker.id_number, status]


def test_it_writes_exactly_the_rows_of_the_file_and_reimporting_updates(admin_user, course_class):
    shen, lu = course_class["shen"], course_class["lu"]
    first, second = course_class["sessions"]
    rows = [row(shen, "2026-05-02", "出勤"), row(lu, "2026-05-02", "请假"), row(shen, "2026/5/9", "到"),
            row(lu, "2026年5月9日", "旷课")]
    outcome = run(admin_user, rows)
    assert outcome.is_valid, outcome.errors
    assert outcome.counts == {"new": 4, "updated": 0, "unchanged": 0, "errors": 0}
    assert set(Attendance.objects.values_list("session_id", "enrolment_id", "status")) == {
        (first.pk, shen.pk, "present"), (first.pk, lu.pk, "leave"),
        (second.pk, shen.pk, "present"), (second.pk, lu.pk, "absent"),
    }
    # one audit record per session the import changed
    assert AuditLog.objects.filter(action=TRAINING_ATTENDANCE).count() == 2

    rows[1][3] = "出勤"
    outcome = run(admin_user, rows)
    assert outcome.counts == {"new": 0, "updated": 1, "unchanged": 3, "errors": 0}
    assert Attendance.objects.count() == 4
    assert Attendance.objects.get(session=first, enrolment=lu).status == "present"


def test_errors_name_the_row_and_column_in_chinese_never_the_id_number(admin_user, course_class, enterprise_a):
    shen, lu = course_class["shen"], course_class["lu"]
    stranger = WorkerFactory(name="钱未报", enterprise=enterprise_a)
    withdrawn = EnrolmentFactory(training_class=course_class["class"], status=EnrolmentStatus.WITHDRAWN,
                                 worker=WorkerFactory(name="费退出", enterprise=enterprise_a))
    closed = TrainingClassFactory(code="PX2025-0001", status=ClassStatus.CLOSED)
    SessionFactory(training_class=closed, held_on=D(2025, 5, 2))
    rows = [
        row(shen),  # 2: fine
        row(lu, code="PX1999-0001"),  # 3: no such class
        row(lu, day="2026-05-03"),  # 4: no session that day
        [course_class["class"].code, "2026-05-02", stranger.id_number, "出勤"],  # 5: not enrolled
        row(withdrawn),  # 6: withdrawn
        ["PX2026-0007", "2026-05-02", NOBODY, "出勤"],  # 7: no such worker (a valid number)
        row(lu, status="迟到"),  # 8: not a status
        row(shen),  # 9: same as row 2
        ["PX2025-0001", "2025-05-02", shen.worker.id_number, "出勤"],  # 10: a closed class
        row(lu, day="5月"),  # 11: not a date
    ]
    outcome = check(admin_user, rows)
    errors = {(e.row, e.column, e.reason) for e in outcome.errors}
    assert (3, "班级编号", "未找到该班级编号") in errors
    assert (4, "日期", "该班级在该日期没有场次，请先在班级页面添加场次") in errors
    assert (5, "身份证号", "该职工未报名此班级（或已退出）") in errors
    assert (6, "身份证号", "该职工未报名此班级（或已退出）") in errors
    assert (7, "身份证号", "未找到该职工") in errors
    assert (8, "出勤", "无法识别的出勤情况“迟到”，应为：出勤、请假、缺勤") in errors
    assert (9, "身份证号", "与第 2 行重复（同一场次、同一职工）") in errors
    assert (10, "班级编号", "该班级已结业或已取消，不能再登记出勤") in errors
    assert {e.row for e in outcome.errors if e.column == "日期"} >= {4, 11}
    assert 2 not in {e.row for e in outcome.errors}
    numbers = [shen.worker.id_number, lu.worker.id_number, stranger.id_number, NOBODY]
    for error in outcome.errors:
        for number in numbers:
            assert number not in error.value + error.reason + error.message
    assert not outcome.is_valid


def test_a_missing_required_column_refuses_the_file(admin_user, course_class):
    with pytest.raises(ImportFileError, match="缺少必填列：出勤"):
        check(admin_user, [row(course_class["shen"])[:3]], headers=HEADERS[:3])


def test_one_bad_row_and_nothing_is_written(admin_user, course_class):
    shen, lu = course_class["shen"], course_class["lu"]
    outcome = run(admin_user, [row(shen), row(lu), row(shen, "2026-05-09"), row(lu, status="？")])
    assert not outcome.is_valid
    assert [(e.row, e.column) for e in outcome.errors] == [(5, "出勤")]
    assert not Attendance.objects.exists()
    assert not AuditLog.objects.filter(action=TRAINING_ATTENDANCE).exists()


def test_only_admins_import_attendance(operator_a, operator_b, course_class, client, admin_user):
    assert KIND in {k.key for k in allowed_kinds(admin_user)}
    assert KIND not in {k.key for k in allowed_kinds(operator_a)}
    client.force_login(operator_b)
    upload = SimpleUploadedFile("a.xlsx", workbook(HEADERS, [row(course_class["shen"])]))
    response = client.post(reverse("core:import_start"), {"kind": KIND, "mode": "update", "file": upload})
    assert response.status_code == 404
    assert not Job.objects.exists() and not Attendance.objects.exists()
    # and were the validator asked for another enterprise's class, it would not find it
    outcome = check(operator_b, [row(course_class["shen"])])
    assert {(e.row, e.column, e.reason) for e in outcome.errors} == {(2, "班级编号", "未找到该班级编号")}
