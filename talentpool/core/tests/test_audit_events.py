"""Audit events are dotted names the apps declare (core.registry): no migration per event, an
unknown name is refused, and records written under the old undotted names keep them (the chain
hashes them) yet read, filter and count as their event. And the read-only audit API."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from talentpool.conftest import PASSWORD, client_for
from talentpool.core.audit import append_rows, record, verify_chain
from talentpool.core.models import AuditAction, AuditLog, User
from talentpool.core.registry import (
    audit_event_choices,
    audit_event_label,
    canonical_event,
    is_declared_event,
    names_for_event,
    register_audit_events,
)
from talentpool.core.roles import Role
from talentpool.core.throttle import recent_action_times
from talentpool.registry.events import RegistryEvent
from talentpool.rules.idnumber import compute_check_char, mask_id_number

ID_17 = "33050319850307123"
FULL_ID = ID_17 + compute_check_char(ID_17)


@pytest.fixture
def legacy_record(monkeypatch):  # type: ignore[no-untyped-def]
    """Write a record as the code did before dotted names: chained, under an old name."""

    def write(name: str, actor: User | None = None, **fields: object) -> AuditLog:
        with monkeypatch.context() as patch:
            patch.setattr("talentpool.core.audit.check_event", lambda action: None)
            return record(actor, name, **fields)  # type: ignore[arg-type]

    return write


# The names ----------------------------------------------------------------------------------


def test_core_and_registry_events_are_dotted_and_labelled():
    choices = dict(audit_event_choices())
    assert {str(k): str(v) for k, v in choices.items() if k in {
        "record.create", "personal_data.reveal", "auth.two_factor.reset", "registry.worker.duplicate_refused",
        "registry.worker.id_search", "registry.worker.id_search_refused"}} == {
        "record.create": "新增", "personal_data.reveal": "查看个人信息", "auth.two_factor.reset": "重置两步验证",
        "registry.worker.duplicate_refused": "登记被拒（重复）", "registry.worker.id_search": "按身份证号查询",
        "registry.worker.id_search_refused": "按身份证号查询被拒（过于频繁）",
    }
    assert all("." in name for name in choices)
    assert {event.value for event in AuditAction} <= set(choices)
    assert {event.value for event in RegistryEvent} <= set(choices)


def test_the_action_field_takes_its_choices_from_the_registry_without_a_migration(db):
    field = AuditLog._meta.get_field("action")
    assert [value for value, _label in field.choices] == [value for value, _label in audit_event_choices()]
    call_command("makemigrations", "core", "--check", "--dry-run", verbosity=0)  # SystemExit(1) if one were due


@pytest.mark.parametrize(("old", "new"), [
    ("create", "record.create"), ("update", "record.update"), ("delete", "record.delete"),
    ("reveal", "personal_data.reveal"), ("import", "data.import"), ("export", "data.export"),
    ("login", "auth.login"), ("login_failed", "auth.login_failed"), ("locked", "auth.locked"),
    ("two_factor_enrolment", "auth.two_factor.enrolment"), ("two_factor_confirmed", "auth.two_factor.confirmed"),
    ("recovery_code_used", "auth.two_factor.recovery_code_used"), ("two_factor_reset", "auth.two_factor.reset"),
    ("purge", "audit.purge"), ("duplicate_refused", "registry.worker.duplicate_refused"),
    ("id_search", "registry.worker.id_search"), ("id_search_refused", "registry.worker.id_search_refused"),
])
def test_every_old_name_reads_as_its_event(old, new):
    assert canonical_event(old) == new
    assert audit_event_label(old) == audit_event_label(new) != new
    assert old in names_for_event(new)
    assert not is_declared_event(old)


def test_record_refuses_an_event_nobody_declared_and_writes_nothing(db, admin_user):
    with pytest.raises(ValueError, match=r"'registry\.worker\.rename' is not declared"):
        record(admin_user, "registry.worker.rename", object_repr="x")
    with pytest.raises(ValueError, match="'reveal' is not declared"):  # an old name: only old records carry it
        record(admin_user, "reveal", object_repr="x")
    row = {"at": timezone.now(), "actor_id": admin_user.pk, "actor_label": "admin", "action": "typo.event",
           "content_type_id": None, "object_id": "", "object_repr": "", "changes": {}, "ip_address": None}
    with pytest.raises(ValueError, match=r"'typo\.event' is not declared"):
        append_rows([row], lambda rows: AuditLog.objects.bulk_create(AuditLog(**r) for r in rows))
    assert AuditLog.objects.count() == 0
    assert verify_chain().is_intact


def test_declaring_is_checked():
    with pytest.raises(ValueError, match="not a dotted name"):
        register_audit_events({"noticeboard": "x"})
    with pytest.raises(ValueError, match="declared twice"):
        register_audit_events({"record.create": "something else"})
    with pytest.raises(ValueError, match="not declared"):
        register_audit_events({}, legacy={"old_name": "nowhere.declared"})


# Old records ---------------------------------------------------------------------------------


def test_the_page_labels_and_filters_old_records_with_the_new(as_admin, admin_user, legacy_record):
    old = legacy_record("reveal", admin_user, object_repr="旧的查看")
    new = record(admin_user, AuditAction.REVEAL, object_repr="新的查看", changes={"field": "id_number"})
    record(admin_user, AuditAction.EXPORT, object_repr="导出记录")
    response = as_admin.get("/core/audit/?action=personal_data.reveal")
    assert [r.pk for r in response.context["object_list"]] == [new.pk, old.pk]
    body = response.content.decode()
    assert body.count("查看个人信息") >= 2 and "导出记录" not in body
    assert AuditLog.objects.get(pk=old.pk).action == "reveal"  # never rewritten
    assert verify_chain().is_intact


def test_the_limits_count_old_and_new_records(operator_a, legacy_record):
    legacy_record("duplicate_refused", operator_a, object_repr="旧")
    record(operator_a, RegistryEvent.DUPLICATE_REFUSED, object_repr="新")
    record(operator_a, AuditAction.EXPORT, object_repr="别的")
    times = recent_action_times(operator_a, RegistryEvent.DUPLICATE_REFUSED, within=datetime.timedelta(hours=1),
                                limit=10)
    assert len(times) == 2


# Django admin ------------------------------------------------------------------------------


def test_user_changes_in_the_django_admin_are_recorded_under_the_dotted_names(db):
    root = User.objects.create_superuser("root", password=PASSWORD, role=Role.ADMIN, full_name="root")
    client = client_for(root)
    response = client.post("/django-admin/core/user/add/", {
        "username": "clerk", "usable_password": "true", "password1": "Clerk-pass-2026", "password2": "Clerk-pass-2026",
        "role": Role.LEADER, "full_name": "王文书", "organisation": "区人社局",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    clerk = User.objects.get(username="clerk")
    created = AuditLog.objects.get(content_type__model="user", object_id=str(clerk.pk))
    assert (created.action, created.actor) == ("record.create", root)
    client.post(f"/django-admin/core/user/{clerk.pk}/delete/", {"post": "yes"})
    assert AuditLog.objects.filter(action="record.delete", object_id=str(clerk.pk)).count() == 1


# The API -------------------------------------------------------------------------------------


@pytest.fixture
def log(admin_user, operator_a, worker_a, legacy_record):  # type: ignore[no-untyped-def]
    from talentpool.registry import services

    entries = {
        "old_reveal": legacy_record("reveal", admin_user, object_repr="旧的查看"),
        "export": record(admin_user, AuditAction.EXPORT, object_repr=f"职工 q={FULL_ID}",
                         changes={"filters": f"q={FULL_ID}", "rows": 3}),
    }
    services.update_worker(worker_a, actor=operator_a, phone="13912345678")
    entries["update"] = AuditLog.objects.get(action="record.update")
    entries["reveal"] = record(admin_user, AuditAction.REVEAL, worker_a, changes={"field": "id_number"})
    return entries


@pytest.mark.parametrize(("persona", "status"), [
    ("as_leader", 404), ("as_operator_a", 404), ("as_expert", 404), ("as_worker", 404), ("anonymous", 403)])
def test_the_audit_api_is_for_admins_only(request, log, persona, status):
    response = request.getfixturevalue(persona).get("/api/audit/")
    assert response.status_code == status
    assert "职工" not in response.content.decode()
    assert request.getfixturevalue(persona).get(f"/api/audit/{log['export'].pk}/").status_code == status


def test_the_audit_api_reads_a_page_in_queries_that_do_not_grow_with_it(as_admin, log, admin_user, worker_a,
                                                                         django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert as_admin.get("/api/audit/").status_code == 200
    for i in range(30):
        record(admin_user, AuditAction.REVEAL, worker_a, changes={"field": "phone"})
        record(admin_user, AuditAction.EXPORT, object_repr=f"导出 {i}", changes={"rows": i})
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(as_admin.get("/api/audit/").json()["results"]) == 50
    assert len(few.captured_queries) <= 10  # session, user and devices, count, keys, rows, the session's save


def test_the_audit_api_shows_records_as_the_page_does(as_admin, log, worker_a):
    response = as_admin.get("/api/audit/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    rows = {row["id"]: row for row in body["results"]}
    assert [row["id"] for row in body["results"]] == [log["reveal"].pk, log["update"].pk, log["export"].pk,
                                                      log["old_reveal"].pk]
    export = rows[log["export"].pk]
    assert (export["event"], export["event_label"], export["actor"], export["object_type"]) == (
        "data.export", "导出", "admin", None)
    assert FULL_ID not in response.content.decode()
    masked = mask_id_number(FULL_ID)
    assert export["object"] == f"职工 q={masked}"
    assert sorted((c["before"], c["after"]) for c in export["changes"]) == [(None, "3"), (None, f"q={masked}")]
    update = rows[log["update"].pk]
    assert (update["event"], update["event_label"], update["object_type"], update["object_id"]) == (
        "record.update", "修改", "registry.worker", str(worker_a.pk))
    assert update["changes"] == [{"field": "手机号", "before": worker_a.phone_masked, "after": "139****5678"}]
    assert "13912345678" not in response.content.decode()
    old = rows[log["old_reveal"].pk]
    assert (old["event"], old["event_label"]) == ("personal_data.reveal", "查看个人信息")


def test_the_audit_api_filters(as_admin, log, admin_user, operator_a):
    def ids(query: str) -> list[int]:
        response = as_admin.get(f"/api/audit/?{query}")
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids("event=personal_data.reveal") == [log["reveal"].pk, log["old_reveal"].pk]
    assert ids("event=data.export") == [log["export"].pk]
    assert ids("actor=operator_a") == [log["update"].pk]
    assert ids("actor=operator") == []  # exactly the username
    assert ids("object_type=registry.worker") == [log["reveal"].pk, log["update"].pk]
    assert ids("object_type=worker") == []
    today = timezone.localdate()
    assert len(ids(f"at_after={today}&at_before={today}")) == 4
    assert ids(f"at_before={today - datetime.timedelta(days=1)}") == []
    refused = as_admin.get("/api/audit/?event=no.such.event")
    assert refused.status_code == 400 and "event" in refused.json()


def test_the_audit_api_pages(as_admin, admin_user):
    for i in range(55):
        record(admin_user, AuditAction.EXPORT, object_repr=f"导出 {i}")
    first = as_admin.get("/api/audit/").json()
    assert (first["count"], len(first["results"])) == (55, 50)
    second = as_admin.get("/api/audit/?page=2").json()
    assert [row["object"] for row in second["results"]] == [f"导出 {i}" for i in range(4, -1, -1)]


def test_the_audit_api_is_read_only(as_admin, log):
    assert as_admin.post("/api/audit/", {"action": "record.create"}).status_code == 405
    assert as_admin.delete(f"/api/audit/{log['export'].pk}/").status_code == 405
    assert AuditLog.objects.count() == 4


def test_the_api_root_lists_every_registered_route(as_admin):
    from talentpool.core.registry import api_routes

    root = as_admin.get("/api/").json()
    assert set(root) == {route.prefix for route in api_routes()}
    assert {"audit", "enterprises", "workers", "certificates", "honours", "industries"} <= set(root)
    assert root["audit"] == "http://testserver/api/audit/"
