"""Excel import of innovation studios: errors by row and column (no ID number in clear), all or
nothing, duplicates in the file, re-import updates, operators limited to their own enterprise."""

from __future__ import annotations

import datetime

import pytest

from talentpool.core.imports.reader import read_sheet
from talentpool.core.imports.spec import import_kind
from talentpool.core.imports.validate import validate_sheet
from talentpool.core.imports.write import write_outcome
from talentpool.core.models import AuditAction, AuditLog
from talentpool.cultivation.models import Studio
from talentpool.registry.tests.factories import WorkerFactory
from talentpool.registry.tests.test_imports import workbook

from .factories_studios import StudioFactory, StudioResultFactory

pytestmark = pytest.mark.django_db
THIS_YEAR = datetime.date.today().year
HEADERS = ["工作室名称", "所在企业", "领衔人身份证号", "级别", "是否示范性", "创建年份", "简介"]


def row(name, leader, level="区级", year=2018, **extra):  # type: ignore[no-untyped-def]
    values = {"工作室名称": name, "领衔人身份证号": leader.id_number, "级别": level, "创建年份": year, **extra}
    return [values.get(h) for h in HEADERS]


def check(actor, rows, headers=HEADERS):  # type: ignore[no-untyped-def]
    return validate_sheet(read_sheet(workbook(headers, rows), import_kind("studios")), actor=actor, mode="update")


def run(actor, rows):  # type: ignore[no-untyped-def]
    outcome = check(actor, rows)
    if outcome.is_valid:
        write_outcome(outcome, actor=actor, filename="t.xlsx")
    return outcome


@pytest.fixture
def people(enterprise_a, enterprise_b):  # type: ignore[no-untyped-def]
    return {
        "a": WorkerFactory(name="沈领办", enterprise=enterprise_a),
        "a2": WorkerFactory(name="陆领办", enterprise=enterprise_a),
        "b": WorkerFactory(name="钱领办", enterprise=enterprise_b),
    }


def test_it_imports_studios_and_reimporting_updates_never_doubles(operator_a, people, enterprise_a):
    rows = [
        row("焊接创新工作室", people["a"], "市级", 2019, 是否示范性="是", 简介="焊接工艺"),
        row("数控工作室", people["a2"], "企业级", "2020年"),
    ]
    outcome = run(operator_a, rows)
    assert outcome.is_valid, outcome.errors
    assert outcome.counts == {"new": 2, "updated": 0, "unchanged": 0, "errors": 0}
    studio = Studio.objects.get(name="焊接创新工作室")
    assert (studio.enterprise, studio.leader, studio.level, studio.is_demonstration, studio.founded_year) == (
        enterprise_a,
        people["a"],
        "city",
        True,
        2019,
    )
    assert Studio.objects.get(name="数控工作室").founded_year == 2020
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_id=str(studio.pk)).count() == 1
    assert AuditLog.objects.filter(action=AuditAction.IMPORT).count() == 1
    rows[0][HEADERS.index("级别")] = "省级"
    outcome = run(operator_a, rows)
    assert outcome.counts == {"new": 0, "updated": 1, "unchanged": 1, "errors": 0}
    studio.refresh_from_db()
    assert (Studio.objects.count(), studio.level, studio.version) == (2, "provincial", 2)
    log = AuditLog.objects.filter(action=AuditAction.UPDATE, object_id=str(studio.pk)).get()
    assert log.changes["level"] == ["city", "provincial"]


def test_errors_name_row_and_column_never_the_id_number_and_nothing_is_written(operator_a, people):
    rows = [
        row("好工作室", people["a"]),  # fine on its own
        row("外企工作室", people["b"]),  # a leader of another enterprise: not the operator's
        row("好工作室", people["a2"]),  # the name of row 2 again
        row("未来工作室", people["a"], year=THIS_YEAR + 1),
        row("无级别工作室", people["a"], level="乡级"),
        row("怪年份工作室", people["a"], year="十八年"),
        row("他企工作室", people["a"], 所在企业="湖州南浔善琏湖笔厂"),
        row("示范工作室", people["a"], 是否示范性="也许"),
        [None, None, None, "区级", None, 2018, None],  # name and leader missing
    ]
    outcome = check(operator_a, rows)
    errors = {(e.row, e.column, e.reason) for e in outcome.errors}
    assert (3, "领衔人身份证号", "未找到该职工或无权限") in errors
    assert (4, "工作室名称", "与第 2 行的工作室名称重复") in errors
    assert (5, "创建年份", f"创建年份应在 1949 至 {THIS_YEAR} 年之间") in errors
    assert any(e[:2] == (6, "级别") and "乡级" in e[2] for e in errors)
    assert any(e[:2] == (7, "创建年份") for e in errors)
    assert any(e[:2] == (8, "所在企业") and "只能导入本企业" in e[2] for e in errors)
    assert any(e[:2] == (9, "是否示范性") for e in errors)
    assert {(10, "工作室名称", "必填项为空"), (10, "领衔人身份证号", "必填项为空")} <= errors
    assert 2 not in {e.row for e in outcome.errors}
    for error in outcome.errors:
        for worker in people.values():
            assert worker.id_number not in error.value + error.reason + error.message
    assert any("*" in e.value for e in outcome.errors if e.column == "领衔人身份证号" and e.value)
    assert not Studio.objects.exists()
    assert not AuditLog.objects.filter(action__in=[AuditAction.CREATE, AuditAction.IMPORT]).exists()


def test_one_bad_row_writes_nothing(admin_user, people):
    from talentpool.core.imports.write import ImportNotValid

    outcome = check(admin_user, [row("一号工作室", people["a"]), row("二号工作室", people["a"], level="乡级")])
    assert [e.row for e in outcome.errors] == [3]
    with pytest.raises(ImportNotValid):
        write_outcome(outcome, actor=admin_user, filename="t.xlsx")
    assert not Studio.objects.exists()


def test_a_missing_required_column_is_an_error(admin_user, people):
    from talentpool.core.imports.reader import ImportFileError

    headers = [h for h in HEADERS if h != "领衔人身份证号"]
    with pytest.raises(ImportFileError, match="缺少必填列：领衔人身份证号"):
        check(admin_user, [["工作室", None, "区级", None, 2018, None]], headers)


def test_an_admin_imports_for_any_enterprise_by_name_credit_code_or_the_leader(admin_user, people, enterprise_b):
    rows = [
        row("湖笔工作室", people["b"], 所在企业=enterprise_b.uscc),
        row("钢材工作室", people["a"]),  # blank: the leader's enterprise
        row("错配工作室", people["b"], 所在企业="浙江久立特材科技股份有限公司"),
        row("无企业工作室", people["a"], 所在企业="不存在的企业"),
    ]
    outcome = check(admin_user, rows)
    errors = {(e.row, e.column) for e in outcome.errors}
    assert errors == {(4, "领衔人身份证号"), (5, "所在企业")}
    outcome = run(admin_user, rows[:2])
    assert outcome.is_valid, outcome.errors
    assert Studio.objects.get(name="湖笔工作室").enterprise == enterprise_b
    assert Studio.objects.get(name="钢材工作室").enterprise == people["a"].current_enterprise


def test_operators_cannot_update_other_enterprises_studios(operator_a, people):
    StudioFactory(name="湖笔工作室", leader=people["b"])
    outcome = check(operator_a, [row("湖笔工作室", people["a"])])
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "工作室名称")]
    assert Studio.objects.get().leader == people["b"]


def test_an_update_keeps_the_enterprise_and_the_founding_year_before_results(admin_user, people, enterprise_b):
    studio = StudioFactory(name="焊接工作室", leader=people["a"], founded_year=2015)
    StudioResultFactory(studio=studio, year=2016)
    outcome = check(admin_user, [row("焊接工作室", people["b"], 所在企业=enterprise_b.name)])
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "所在企业")]
    outcome = check(admin_user, [row("焊接工作室", people["a"], year=2017)])
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "创建年份")]
    outcome = run(admin_user, [row("焊接工作室", people["a2"], year=2016)])  # blank enterprise: the studio's
    assert outcome.is_valid, outcome.errors
    studio.refresh_from_db()
    assert (studio.leader, studio.founded_year, studio.version) == (people["a2"], 2016, 2)


def test_the_import_locks_the_studios_it_updates_while_writing(operator_a, people, locks):
    StudioFactory(name="焊接工作室", leader=people["a"])
    outcome = check(operator_a, [row("焊接工作室", people["a"], level="市级")])
    from django.db import transaction

    with transaction.atomic():
        locked = validate_sheet(outcome.sheet, actor=operator_a, mode="update", lock=True)
    assert locked.is_valid
    assert any(model is Studio and of == ("self",) for model, of, _atomic in locks)


def test_the_kind_is_offered_to_admins_and_operators_only(admin_user, operator_a, leader, worker_user):
    from talentpool.core.imports.spec import allowed_kinds

    assert "studios" in {k.key for k in allowed_kinds(admin_user)}
    assert "studios" in {k.key for k in allowed_kinds(operator_a)}
    assert "studios" not in {k.key for k in allowed_kinds(leader)}
    assert "studios" not in {k.key for k in allowed_kinds(worker_user)}


def test_the_template_downloads_and_the_schema_names_the_api(as_admin, as_operator_a, as_leader):
    from django.urls import reverse

    url = reverse("core:import_template", args=["studios"])
    for client in (as_admin, as_operator_a):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert as_leader.get(url).status_code == 404
    schema = as_admin.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/studios/" in schema.content
