"""The audit log: recorded by services with masked values, shown to admins only."""

from __future__ import annotations

import datetime

import pytest

from talentpool.core.audit import diff, record
from talentpool.core.models import AuditAction, AuditLog

pytestmark = pytest.mark.django_db


def test_diff_keeps_only_changed_fields_as_plain_values():
    before = {"name": "慎建民", "level": 3, "since": datetime.date(2020, 1, 1), "same": "x"}
    after = {"name": "慎建民", "level": 4, "since": datetime.date(2021, 1, 1), "same": "x", "new": True}
    assert diff(before, after) == {"level": [3, 4], "since": ["2020-01-01", "2021-01-01"], "new": [None, True]}


def test_record_keeps_who_what_and_from_where(as_admin, admin_user, worker_a):
    as_admin.post(f"/registry/workers/{worker_a.pk}/reveal/phone/", REMOTE_ADDR="192.0.2.7")
    log = AuditLog.objects.get()
    assert (log.actor, log.actor_label, log.action, log.object_id, log.object_repr, log.ip_address) == (
        admin_user, "admin", AuditAction.REVEAL, str(worker_a.pk), "慎建民", "192.0.2.7")
    assert log.content_type.model == "worker"


def test_record_without_an_actor(db):
    log = record(None, AuditAction.LOGIN_FAILED, object_repr="someone")
    assert (log.actor, log.actor_label, log.object_id) == (None, "", "")


@pytest.mark.parametrize(("persona", "expected"), [
    ("as_admin", 200), ("as_leader", 404), ("as_operator_a", 404), ("as_expert", 404), ("as_worker", 404)])
def test_the_audit_log_page_is_for_admins_only(request, admin_user, persona, expected):
    record(admin_user, AuditAction.EXPORT, object_repr="职工 (3)")
    response = request.getfixturevalue(persona).get("/core/audit/")
    assert response.status_code == expected
    assert ("职工 (3)" in response.content.decode()) == (expected == 200)


def test_the_audit_log_page_filters_by_action(as_admin, admin_user):
    record(admin_user, AuditAction.EXPORT, object_repr="导出记录")
    record(admin_user, AuditAction.REVEAL, object_repr="查看记录", changes={"field": "id_number"})
    response = as_admin.get("/core/audit/?action=personal_data.reveal")
    assert [r.object_repr for r in response.context["object_list"]] == ["查看记录"]
    body = response.content.decode()
    assert "查看记录" in body and "导出记录" not in body
    response = as_admin.get("/core/audit/?actor_label=adm&object_repr=导出")
    assert [r.object_repr for r in response.context["object_list"]] == ["导出记录"]


def test_the_audit_log_page_shows_changes_masked(as_admin, operator_a, worker_a):
    from talentpool.registry import services

    services.update_worker(worker_a, actor=operator_a, phone="13912345678")
    services.update_worker(worker_a, actor=operator_a, phone="13600001234")
    body = as_admin.get("/core/audit/").content.decode()
    assert "139****5678" in body and "136****1234" in body
    assert "13600001234" not in body and "13912345678" not in body


def test_anonymous_is_sent_to_login(anonymous):
    response = anonymous.get("/core/audit/")
    assert response.status_code == 302 and response.url == "/login/?next=/core/audit/"
