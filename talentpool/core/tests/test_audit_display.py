"""The audit log in Chinese (core.audit_display): field and choice labels through the record's
content type, 是/否, one date format, personal numbers masked whatever a record holds; the page
paginated with a fixed number of queries."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from talentpool.core import audit_display
from talentpool.core.audit import record
from talentpool.core.audit_display import Change
from talentpool.core.exports import EXPORT_REVEAL
from talentpool.core.models import AuditAction, User

pytestmark = pytest.mark.django_db

FULL_ID = "330503198503071230"


def _ct(model) -> int:  # type: ignore[no-untyped-def]
    return ContentType.objects.get_for_model(model).pk


def test_fields_read_as_their_labels_and_choices_as_theirs(db):
    changes = {"role": ["operator", "leader"], "is_active": [True, False], "full_name": [None, "李测二"]}
    assert audit_display.changes_of(changes, _ct(User)) == [
        Change("角色", "领导小组成员单位", "企业经办人"),
        Change("启用", "否", "是"),
        Change("姓名", "李测二"),  # a creation: no value before
    ]


def test_times_and_dates_read_in_one_format(db):
    changes = {"date_joined": ["2024-03-05T09:30:00+00:00", "2024-03-06T01:02:03.456+00:00"],
               "last_login": [None, "2024-03-06"]}
    assert audit_display.changes_of(changes, _ct(User)) == [
        Change("加入日期", "2024-03-06 09:02", "2024-03-05 17:30"),  # Asia/Shanghai
        Change("上次登录", "2024-03-06"),
    ]


def test_keys_that_are_no_field_read_as_declared_or_as_themselves(db):
    assert audit_display.changes_of({"rows": 3, "filters": "q=%E7%8E%8B&sort=-name", "unknown": "x"}, None) == [
        Change("行数", "3"), Change("筛选条件", "q=王&sort=-name"), Change("unknown", "x")]
    audit_display.register_change_labels({"test_only_key": "测试键"})
    assert audit_display.changes_of({"test_only_key": [1, 2]}, None) == [Change("测试键", "2", "1")]
    with pytest.raises(ValueError, match="declared twice"):
        audit_display.register_change_labels({"rows": "别的"})


def test_a_reveal_names_the_field_revealed_by_its_label(db):
    from talentpool.registry.models import Worker

    assert audit_display.changes_of({"field": "id_number"}, _ct(Worker)) == [Change("字段", "身份证号")]


def test_personal_numbers_are_masked_whatever_a_record_holds(db):
    from talentpool.registry.models import Enterprise, Worker

    old = {"id_number": [None, FULL_ID], "phone": ["13912345678", "139****5678"], "name": [None, "曾志伟"]}
    assert audit_display.changes_of(old, _ct(Worker)) == [
        Change("身份证号", "330503********1230"), Change("手机号", "139****5678", "139****5678"),
        Change("姓名", "曾志伟")]
    # a landline, which redaction does not recognise, masked as the field is encrypted
    assert audit_display.changes_of({"contact_phone": ["0572-1234567", ""]}, _ct(Enterprise)) == [
        Change("联系电话", "—", "0572-***4567")]
    # and anywhere else, in any record
    assert audit_display.changes_of({"note": f"查 {FULL_ID} 与 13812345678"}, None) == [
        Change("note", "查 330503********1230 与 138****5678")]
    assert audit_display.object_label(f"按身份证号查询：{FULL_ID}") == "按身份证号查询：330503********1230"


def test_the_action_reads_as_its_event_or_its_choice_label():
    assert audit_display.action_label(EXPORT_REVEAL) == "导出完整个人信息"
    assert audit_display.action_label("export", "导出") == "导出"
    assert audit_display.action_label("no.such.event") == "no.such.event"


def test_the_page_reads_in_chinese_and_masked(as_admin, admin_user, operator_a, worker_a):
    from talentpool.registry import services
    from talentpool.registry.models import Worker

    services.update_worker(worker_a, actor=operator_a, education="bachelor", is_frontline=False)
    record(admin_user, AuditAction.UPDATE, Worker.objects.get(pk=worker_a.pk),
           changes={"id_number": ["330503********1230", FULL_ID]})  # an old record holding a full number
    body = as_admin.get("/core/audit/").content.decode()
    assert "学历：高中（中专、技校） → 本科" in body
    assert "一线职工：是 → 否" in body
    assert "education" not in body and "bachelor" not in body and "[None" not in body
    assert FULL_ID not in body and "身份证号：330503********1230 → 330503********1230" in body
    assert "修改" in body


def test_the_page_is_paginated_with_a_fixed_number_of_queries(as_admin, admin_user, django_assert_max_num_queries):
    for n in range(60):
        record(admin_user, AuditAction.EXPORT, object_repr=f"职工 ({n})", changes={"kind": "workers", "rows": n})
    as_admin.get("/core/audit/")  # content types warmed up

    def log_queries(url: str):  # type: ignore[no-untyped-def]
        # the session and the user (and the middleware's session refresh) besides the log's own
        with django_assert_max_num_queries(7) as queries:
            response = as_admin.get(url)
        assert response.status_code == 200
        log = [q["sql"].split(" FROM ")[0] for q in queries.captured_queries if '"core_auditlog"' in q["sql"]]
        assert log[0] == 'SELECT COUNT(*) AS "__count"' and len(log) == 2  # the count, then the page's 50
        return response

    response = log_queries("/core/audit/")
    table = response.context["table"]
    assert len(table.page.object_list) == 50 and table.paginator.count == 60
    assert "职工 (59)" in response.content.decode() and "职工 (9)" not in response.content.decode()
    second = log_queries("/core/audit/?page=2")
    assert "职工 (9)" in second.content.decode() and "职工 (10)" not in second.content.decode()
