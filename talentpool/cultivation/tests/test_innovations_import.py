"""Excel import of "五小" innovations: one row per innovation, the team by ID numbers (never shown in
clear), errors by row and column, all or nothing, re-import updates, scoping."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from talentpool.core.imports.reader import read_sheet
from talentpool.core.imports.spec import import_kind
from talentpool.core.imports.validate import validate_sheet
from talentpool.core.imports.write import write_outcome
from talentpool.core.models import AuditAction, AuditLog
from talentpool.cultivation.models import Innovation, InnovationMember
from talentpool.registry.tests.factories import WorkerFactory
from talentpool.registry.tests.test_imports import workbook

from .factories_innovations import InnovationFactory

pytestmark = pytest.mark.django_db
D = datetime.date
HEADERS = [
    "成果名称",
    "成果类别",
    "申报企业",
    "申报日期",
    "团队成员身份证号",
    "是否采纳",
    "经济效益（元）",
    "社会效益",
    "成果简介",
]


def row(title, *team, kind="小革新", day="2024-05-10", sep="、", **extra):  # type: ignore[no-untyped-def]
    values = {
        "成果名称": title,
        "成果类别": kind,
        "申报日期": day,
        "团队成员身份证号": sep.join(w.id_number for w in team),
        **extra,
    }
    return [values.get(h) for h in HEADERS]


def check(actor, rows, headers=HEADERS):  # type: ignore[no-untyped-def]
    return validate_sheet(read_sheet(workbook(headers, rows), import_kind("innovations")), actor=actor, mode="update")


def run(actor, rows):  # type: ignore[no-untyped-def]
    outcome = check(actor, rows)
    if outcome.is_valid:
        write_outcome(outcome, actor=actor, filename="t.xlsx")
    return outcome


def team(innovation):  # type: ignore[no-untyped-def]
    return list(innovation.members.order_by("order").values_list("worker__name", "role"))


@pytest.fixture
def people(enterprise_a, enterprise_b):  # type: ignore[no-untyped-def]
    return {
        "a": WorkerFactory(name="沈技师", enterprise=enterprise_a),
        "a2": WorkerFactory(name="陆工", enterprise=enterprise_a),
        "b": WorkerFactory(name="钱工匠", enterprise=enterprise_b),
    }


def test_it_imports_innovations_and_reimporting_updates_never_doubles(operator_a, people):
    a, a2 = people["a"], people["a2"]
    rows = [
        row(
            "自动上料装置",
            a,
            a2,
            是否采纳="是",
            社会效益="降低劳动强度",
            成果简介="气动上料",
            **{"经济效益（元）": "１２，５００.5"},
        ),
        row("焊接防错工装", a2, kind="小设计", sep=","),
    ]
    outcome = run(operator_a, rows)
    assert outcome.is_valid, outcome.errors
    assert outcome.counts == {"new": 2, "updated": 0, "unchanged": 0, "errors": 0}
    first = Innovation.objects.get(title="自动上料装置")
    assert (first.enterprise_id, first.kind, first.submitted_on, first.is_adopted, first.economic_benefit) == (
        operator_a.enterprise_id,
        "innovation",
        D(2024, 5, 10),
        True,
        Decimal("12500.50"),
    )
    assert (first.status, first.social_benefit, first.description) == ("submitted", "降低劳动强度", "气动上料")
    assert team(first) == [("沈技师", "leader"), ("陆工", "member")]
    assert team(Innovation.objects.get(title="焊接防错工装")) == [("陆工", "leader")]
    log = AuditLog.objects.get(action=AuditAction.CREATE, object_id=str(first.pk))
    assert log.changes["members"] == [None, "沈技师、陆工"] and a.id_number not in str(log.changes)
    assert AuditLog.objects.filter(action=AuditAction.IMPORT).count() == 1

    rows[0] = row("自动上料装置", a2, a, 是否采纳="是", **{"经济效益（元）": "20000"})
    outcome = run(operator_a, rows)
    assert outcome.counts == {"new": 0, "updated": 1, "unchanged": 1, "errors": 0}
    first.refresh_from_db()
    assert (Innovation.objects.count(), first.economic_benefit, first.version) == (2, Decimal("20000.00"), 2)
    assert team(first) == [("陆工", "leader"), ("沈技师", "member")]
    assert InnovationMember.objects.count() == 3
    assert run(operator_a, rows).counts["unchanged"] == 2


def test_errors_name_row_and_column_never_the_id_number_and_nothing_is_written(operator_a, people):
    a, a2, b = people["a"], people["a2"], people["b"]
    rows = [
        row("好的一行", a),  # fine on its own
        row("负效益", a, **{"经济效益（元）": "-5"}),
        row("外企业成员", a, b),  # b is not the operator's worker
        row("重复成员", a, a2, a),
        row("类别错", a, kind="大发明"),
        row("未来", a, day=(D.today() + datetime.timedelta(days=3)).isoformat()),
        row("好的一行", a),  # the same as row 2
        [None, "小建议", None, "2024-05-10", a.id_number[:17], None, None, None, None],
        row("别家企业", a, 申报企业="湖州南浔善琏湖笔厂"),
    ]
    outcome = check(operator_a, rows)
    errors = {(e.row, e.column, e.reason) for e in outcome.errors}
    assert (3, "经济效益（元）", "金额不能为负数") in errors
    assert (4, "团队成员身份证号", "第 2 个身份证号未找到该职工或无权限") in errors
    assert (5, "团队成员身份证号", "第 3 个身份证号与第 1 个重复") in errors
    assert (6, "成果类别", "无法识别的成果类别“大发明”，应为：小发明、小创造、小革新、小设计、小建议") in errors
    assert any(e[:2] == (7, "申报日期") and "不能晚于今天" in e[2] for e in errors)
    assert (8, "成果名称", "与第 2 行重复（同一成果名称、申报企业和申报日期）") in errors
    assert (9, "成果名称", "必填项为空") in errors
    assert any(e[:2] == (9, "团队成员身份证号") and e[2].startswith("第 1 个身份证号：") for e in errors)
    assert any(e[:2] == (10, "申报企业") and "只能导入本企业" in e[2] for e in errors)
    assert {e.row for e in outcome.errors} == set(range(3, 11))
    for error in outcome.errors:
        for worker in people.values():
            assert worker.id_number not in error.value + error.reason + error.message
    assert any("*" in e.value for e in outcome.errors if e.column == "团队成员身份证号")
    assert not Innovation.objects.exists() and not InnovationMember.objects.exists()
    assert not AuditLog.objects.filter(action__in=[AuditAction.CREATE, AuditAction.IMPORT]).exists()


def test_one_bad_row_writes_nothing(admin_user, people):
    from talentpool.core.imports.write import ImportNotValid

    outcome = check(
        admin_user, [row("一号成果", people["a"]), row("二号成果", people["a"], **{"经济效益（元）": "-1"})]
    )
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "经济效益（元）")]
    with pytest.raises(ImportNotValid):
        write_outcome(outcome, actor=admin_user, filename="t.xlsx")
    assert not Innovation.objects.exists() and not InnovationMember.objects.exists()


def test_a_missing_required_column_is_an_error(admin_user, people):
    from talentpool.core.imports.reader import ImportFileError

    headers = [h for h in HEADERS if h != "团队成员身份证号"]
    with pytest.raises(ImportFileError, match="缺少必填列：团队成员身份证号"):
        check(admin_user, [["成果", "小发明", None, "2024-05-10", None, None, None, None]], headers)


def test_an_admin_imports_for_any_enterprise_by_name_credit_code_or_the_leader(admin_user, people, enterprise_b):
    rows = [
        row("湖笔成果", people["b"], 申报企业=enterprise_b.uscc),
        row("钢材成果", people["a"], people["a2"]),  # blank: the leader's enterprise
        row("错配成果", people["b"], 申报企业="浙江久立特材科技股份有限公司"),
        row("无企业成果", people["a"], 申报企业="不存在的企业"),
    ]
    outcome = check(admin_user, rows)
    errors = {(e.row, e.column, e.reason) for e in outcome.errors}
    assert errors == {
        (4, "团队成员身份证号", "第 1 个（钱工匠）成员不是申报企业的在职职工"),
        (5, "申报企业", "系统中没有名称或统一社会信用代码为“不存在的企业”的企业"),
    }
    outcome = run(admin_user, rows[:2])
    assert outcome.is_valid, outcome.errors
    assert Innovation.objects.get(title="湖笔成果").enterprise == enterprise_b
    assert Innovation.objects.get(title="钢材成果").enterprise == people["a"].current_enterprise


def test_operators_cannot_update_other_enterprises_or_evaluated_innovations(operator_a, admin_user, people):
    theirs = InnovationFactory(title="湖笔成果", enterprise=people["b"].current_enterprise, team=[people["b"]])
    outcome = check(
        admin_user, [row("湖笔成果", people["b"], 申报企业=theirs.enterprise.name, **{"经济效益（元）": "1"})]
    )
    assert outcome.is_valid  # the admin may
    own = InnovationFactory(
        title="焊接成果", enterprise=people["a"].current_enterprise, team=[people["a"]], status="evaluated"
    )
    outcome = check(operator_a, [row("焊接成果", people["a"], **{"经济效益（元）": "1"})])
    assert [(e.row, e.column, e.reason) for e in outcome.errors] == [(2, "成果名称", "该成果已评审，不能通过导入修改")]
    own.refresh_from_db()
    assert (own.economic_benefit, own.version) == (None, 1)


def test_the_import_locks_the_innovations_it_updates_while_writing(operator_a, people, locks):
    InnovationFactory(title="焊接成果", enterprise=people["a"].current_enterprise, team=[people["a"]])
    outcome = check(operator_a, [row("焊接成果", people["a"], 是否采纳="是")])
    from django.db import transaction

    with transaction.atomic():
        locked = validate_sheet(outcome.sheet, actor=operator_a, mode="update", lock=True)
    assert locked.is_valid
    assert any(model is Innovation and of == ("self",) for model, of, _atomic in locks)


def test_the_kind_is_offered_to_admins_and_operators_only(admin_user, operator_a, leader, worker_user):
    from talentpool.core.imports.spec import allowed_kinds

    assert "innovations" in {k.key for k in allowed_kinds(admin_user)}
    assert "innovations" in {k.key for k in allowed_kinds(operator_a)}
    assert "innovations" not in {k.key for k in allowed_kinds(leader)}
    assert "innovations" not in {k.key for k in allowed_kinds(worker_user)}


def test_the_template_downloads_and_the_schema_names_the_api(as_admin, as_operator_a, as_leader):
    from django.urls import reverse

    url = reverse("core:import_template", args=["innovations"])
    for client in (as_admin, as_operator_a):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert as_leader.get(url).status_code == 404
    schema = as_admin.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/innovations/" in schema.content
