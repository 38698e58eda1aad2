"""Excel import of master–apprentice pairs: errors by row and column (no ID number in clear),
all or nothing, overlaps in the file and against the database, re-import updates."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from talentpool.core.imports.reader import read_sheet
from talentpool.core.imports.spec import import_kind
from talentpool.core.imports.validate import validate_sheet
from talentpool.core.imports.write import write_outcome
from talentpool.core.models import AuditAction, AuditLog
from talentpool.cultivation.models import Mentorship
from talentpool.registry.tests.factories import WorkerFactory
from talentpool.registry.tests.test_imports import workbook

from .factories_mentorship import MentorshipFactory

pytestmark = pytest.mark.django_db
D = datetime.date
HEADERS = [
    "师傅身份证号",
    "徒弟身份证号",
    "开始日期",
    "结束日期",
    "是否名师带徒",
    "目标",
    "徒弟取得等级",
    "竞赛成绩",
    "创造效益（元）",
]


def row(master, apprentice, start="2024-03-01", **extra):  # type: ignore[no-untyped-def]
    values = {"师傅身份证号": master.id_number, "徒弟身份证号": apprentice.id_number, "开始日期": start, **extra}
    return [values.get(h) for h in HEADERS]


def check(actor, rows):  # type: ignore[no-untyped-def]
    return validate_sheet(read_sheet(workbook(HEADERS, rows), import_kind("mentorships")), actor=actor, mode="update")


def run(actor, rows):  # type: ignore[no-untyped-def]
    outcome = check(actor, rows)
    if outcome.is_valid:
        write_outcome(outcome, actor=actor, filename="t.xlsx")
    return outcome


@pytest.fixture
def people(enterprise_a, enterprise_b):  # type: ignore[no-untyped-def]
    return {
        "master": WorkerFactory(name="沈师傅", enterprise=enterprise_a),
        "apprentice": WorkerFactory(name="陆徒弟", enterprise=enterprise_a),
        "other": WorkerFactory(name="钱名师", enterprise=enterprise_b),
    }


def test_it_imports_pairs_and_reimporting_updates_never_doubles(operator_a, people):
    m, a = people["master"], people["apprentice"]
    rows = [
        row(
            m,
            a,
            "2024-03-01",
            结束日期="2025-02-28",
            是否名师带徒="是",
            目标="高级工",
            徒弟取得等级="高级工",
            竞赛成绩="区比武一等奖",
            **{"创造效益（元）": "１，２３４．５"},
        )
    ]
    outcome = run(operator_a, rows)
    assert outcome.is_valid, outcome.errors
    pair = Mentorship.objects.get()
    assert (pair.enterprise_id, pair.end_date, pair.is_famous_master, pair.benefit, pair.status) == (
        a.current_enterprise_id,
        D(2025, 2, 28),
        True,
        Decimal("1234.50"),
        "completed",
    )
    assert pair.apprentice_level_gained == 3
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_id=str(pair.pk)).count() == 1
    rows[0][HEADERS.index("创造效益（元）")] = "2000"
    outcome = run(operator_a, rows)
    assert outcome.counts == {"new": 0, "updated": 1, "unchanged": 0, "errors": 0}
    pair.refresh_from_db()
    assert (Mentorship.objects.count(), pair.benefit, pair.version) == (1, Decimal("2000.00"), 2)
    assert run(operator_a, rows).counts["unchanged"] == 1


def test_errors_name_row_and_column_never_the_id_number_and_nothing_is_written(operator_a, people):
    m, a, other = people["master"], people["apprentice"], people["other"]
    rows = [
        row(m, a, "2024-03-01"),  # fine on its own
        row(a, a, "2024-03-01"),  # own master
        row(other, a, "2024-03-01"),  # a master of another enterprise: not the operator's
        row(m, a, "2024-06-01", 结束日期="2024-07-01"),  # overlaps row 2
        row(m, a, "2023-01-01", 结束日期="2022-01-01"),  # end before start
        row(m, a, "2020-01-01", **{"创造效益（元）": "-5"}),
    ]
    outcome = check(operator_a, rows)
    errors = {(e.row, e.column, e.reason) for e in outcome.errors}
    assert (3, "徒弟身份证号", "师傅和徒弟不能是同一名职工") in errors
    assert (4, "师傅身份证号", "未找到该职工或无权限") in errors
    assert (5, "开始日期", "与第 2 行的结对时间重叠") in errors
    assert (6, "结束日期", "结束日期（2022-01-01）早于开始日期（2023-01-01）") in errors
    assert (7, "创造效益（元）", "金额不能为负数") in errors
    for error in outcome.errors:
        for worker in people.values():
            assert worker.id_number not in error.value + error.reason + error.message
    assert not Mentorship.objects.exists()


def test_a_row_overlapping_an_existing_pair_is_an_error(operator_a, people):
    m, a = people["master"], people["apprentice"]
    MentorshipFactory(master=m, apprentice=a, start_date=D(2024, 1, 1), end_date=None)
    outcome = run(operator_a, [row(m, a, "2024-06-01"), row(m, people["master"], "2024-06-01")])
    assert [(e.row, e.column) for e in outcome.errors][:1] == [(2, "开始日期")]
    assert "时间重叠" in outcome.errors[0].reason
    assert Mentorship.objects.count() == 1


def test_an_admin_imports_a_famous_master_from_elsewhere(admin_user, people):
    outcome = run(admin_user, [row(people["other"], people["apprentice"], 是否名师带徒="是")])
    assert outcome.is_valid, outcome.errors
    pair = Mentorship.objects.get()
    assert pair.enterprise_id == people["apprentice"].current_enterprise_id and pair.is_famous_master


def test_operators_of_other_enterprises_cannot_import_these_pairs(operator_b, people):
    outcome = check(operator_b, [row(people["master"], people["apprentice"])])
    assert {(e.row, e.column) for e in outcome.errors} == {(2, "师傅身份证号"), (2, "徒弟身份证号")}


def test_the_import_locks_the_workers_it_names_while_writing(operator_a, people, locks):
    outcome = check(operator_a, [row(people["master"], people["apprentice"])])
    from django.db import transaction

    from talentpool.core.imports.validate import validate_sheet as again

    with transaction.atomic():
        locked = again(outcome.sheet, actor=operator_a, mode="update", lock=True)
    assert locked.is_valid
    from talentpool.registry.models import Worker

    assert any(model is Worker and of == ("self",) for model, of, _atomic in locks)
