"""The audit log is an append-only hash chain: edits, insertions and deletions show in
verify_audit; the application refuses to change or delete records; old ones are purged only past
the retention period, keeping the chain verifiable."""

from __future__ import annotations

import contextlib
import datetime
import importlib
import io
import json
import threading
import time
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError
from django.utils import timezone

from talentpool.core.audit import CHAINED_FIELDS, append_rows, record, seal, verify_chain
from talentpool.core.models import AuditAction, AuditChain, AuditLog, AuditLogIsAppendOnly

pytestmark = pytest.mark.django_db
TABLE = AuditLog._meta.db_table
IS_POSTGRESQL = connection.vendor == "postgresql"


def verify() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue().strip()


def verify_fails() -> str:
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit", stdout=io.StringIO())
    return str(exc.value)


def local(at: datetime.datetime) -> str:
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M:%S}"


@contextlib.contextmanager
def trigger_off() -> Iterator[None]:
    """On PostgreSQL, without the append-only trigger, as the table's owner can (an attacker with
    that access is what the chain must catch); rolled back with the test anyway."""
    if IS_POSTGRESQL:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER core_auditlog_append_only")
    yield
    if IS_POSTGRESQL:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER core_auditlog_append_only")


def tamper(sql: str, params: list[object]) -> None:
    """Raw SQL as an attacker with database access would run it."""
    with trigger_off(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def bulk_insert(rows: list[dict[str, object]]) -> None:
    AuditLog.objects.bulk_create([AuditLog(**row) for row in rows])


def old_rows(*days_ago: int) -> list[dict[str, object]]:
    now = timezone.now()
    return [
        {"at": now - datetime.timedelta(days=d), "actor_id": None, "actor_label": "old", "action": AuditAction.EXPORT,
         "content_type_id": None, "object_id": "", "object_repr": f"{d} 天前", "changes": {"n": d},
         "ip_address": None}
        for d in days_ago
    ]


@pytest.fixture
def three(admin_user, worker_a):  # type: ignore[no-untyped-def]
    first = record(admin_user, AuditAction.REVEAL, worker_a, changes={"field": "phone"})
    second = record(admin_user, AuditAction.UPDATE, worker_a, changes={"phone": ["139****5678", "136****1234"]})
    third = record(None, AuditAction.LOGIN_FAILED, object_repr="someone")
    return first, second, third


def test_each_record_chains_onto_the_one_before(three):
    first, second, third = three
    assert first.prev_hash == "" and second.prev_hash == first.hash and third.prev_hash == second.hash
    stored = AuditLog.objects.values(*CHAINED_FIELDS).get(pk=second.pk)
    assert seal(stored, first.hash) == second.hash
    assert AuditChain.objects.values_list("last_id", "last_hash").get() == (third.pk, third.hash)
    assert verify() == "审计日志完整：共 3 条记录，链校验通过。"


def test_the_hash_is_keyed_by_the_encryption_key(three, settings):
    _, second, _ = three
    stored = AuditLog.objects.values(*CHAINED_FIELDS).get(pk=second.pk)
    settings.ENCRYPTION_KEY = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY="
    assert seal(stored, second.prev_hash) != second.hash


def test_an_empty_log_verifies():
    assert verify() == "审计日志完整：共 0 条记录，链校验通过。"


def test_a_record_changed_in_the_database_is_named(three):
    _first, second, _third = three
    tamper(f"UPDATE {TABLE} SET changes = %s WHERE id = %s", [json.dumps({"phone": ["x", "y"]}), second.pk])
    assert verify_fails() == (
        f"审计日志被篡改：记录 #{second.pk}（{local(second.at)}）与其哈希不符：该记录被修改或伪造。"
        "其前 1 条记录校验通过。请保持数据库现状，并报告安全管理员。")


def test_a_record_changed_and_rehashed_without_the_key_is_named(three):
    _, second, _ = three
    stored = AuditLog.objects.values(*CHAINED_FIELDS).get(pk=second.pk)
    with pytest.MonkeyPatch.context() as mp:  # the attacker does not hold the key
        mp.setattr("django.conf.settings.ENCRYPTION_KEY", "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=")
        forged = seal({**stored, "actor_label": "someone else"}, second.prev_hash)
    tamper(f"UPDATE {TABLE} SET actor_label = %s, hash = %s WHERE id = %s", ["someone else", forged, second.pk])
    assert f"记录 #{second.pk}（{local(second.at)}）与其哈希不符" in verify_fails()


def test_a_deleted_record_is_named_by_the_one_after_it(three):
    _first, second, third = three
    tamper(f"DELETE FROM {TABLE} WHERE id = %s", [second.pk])
    assert verify_fails() == (
        f"审计日志被篡改：记录 #{third.pk}（{local(third.at)}）与前一条记录的链接断开："
        "其前的记录被删除，或该记录是插入的。"
        "其前 1 条记录校验通过。请保持数据库现状，并报告安全管理员。")


def test_deleted_newest_records_are_noticed(three):
    first, second, _third = three
    tamper(f"DELETE FROM {TABLE} WHERE id >= %s", [second.pk])
    assert verify_fails() == (
        f"审计日志被篡改：最后一条记录 #{first.pk}（{local(first.at)}）之后的记录被删除。"
        "其前 1 条记录校验通过。请保持数据库现状，并报告安全管理员。")
    tamper(f"DELETE FROM {TABLE}", [])
    assert verify_fails().startswith("审计日志被篡改：全部记录被删除。")


def test_a_forged_record_is_named(three):
    _first, _second, third = three
    at = timezone.now()
    tamper(
        f"INSERT INTO {TABLE} (at, actor_label, action, object_id, object_repr, changes, prev_hash, hash)"
        " VALUES (%s, 'admin', 'export', '', '伪造', '{}', %s, %s)",
        [at, third.hash, "0" * 64],
    )
    forged = AuditLog.objects.get(object_repr="伪造")
    assert f"记录 #{forged.pk}（{local(forged.at)}）与其哈希不符：该记录被修改或伪造。" in verify_fails()


def test_a_copy_of_a_real_record_inserted_later_is_named(three):
    _first, second, _third = three
    columns = ", ".join(["at", "actor_id", "actor_label", "action", "content_type_id", "object_id", "object_repr",
                         "changes", "ip_address", "prev_hash", "hash"])
    tamper(f"INSERT INTO {TABLE} ({columns}) SELECT {columns} FROM {TABLE} WHERE id = %s", [second.pk])
    copy = AuditLog.objects.order_by("-id").first()
    assert f"记录 #{copy.pk}（{local(copy.at)}）与前一条记录的链接断开" in verify_fails()


def test_the_application_refuses_to_change_or_delete_records(three):
    first, second, _ = three
    before = list(AuditLog.objects.order_by("id").values())
    second.object_repr = "改过"
    with pytest.raises(AuditLogIsAppendOnly):
        second.save()
    with pytest.raises(AuditLogIsAppendOnly):
        first.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditLog.objects.filter(pk=first.pk).update(object_repr="改过")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditLog.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):  # written around record(): not chained
        AuditLog.objects.create(action=AuditAction.EXPORT, object_repr="未入链")
    assert list(AuditLog.objects.order_by("id").values()) == before
    assert verify() == "审计日志完整：共 3 条记录，链校验通过。"


def test_deleting_a_user_keeps_their_records_whole(three, admin_user):
    first, _, _ = three
    pk = admin_user.pk
    admin_user.delete()
    assert AuditLog.objects.values_list("actor_id", "actor_label").get(pk=first.pk) == (pk, "admin")
    assert verify() == "审计日志完整：共 3 条记录，链校验通过。"


@pytest.mark.skipif(not IS_POSTGRESQL, reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_a_raw_update_and_the_delete_of_a_young_record(three):
    first, _, _ = three
    for sql in (f"UPDATE {TABLE} SET object_repr = 'x' WHERE id = %s", f"DELETE FROM {TABLE} WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [first.pk])
    assert AuditLog.objects.get(pk=first.pk).object_repr == first.object_repr
    append_rows(old_rows(200), bulk_insert)
    with connection.cursor() as cursor:  # older than 180 days: the purge may delete it
        cursor.execute(f"DELETE FROM {TABLE} WHERE object_repr = '200 天前'")
        assert cursor.rowcount == 1


def test_bulk_records_chain_in_order_after_the_others(three):
    _, _, third = three
    rows = old_rows(3, 2, 1)
    append_rows(rows, bulk_insert)
    stored = list(AuditLog.objects.order_by("id").values("id", "prev_hash", "hash", "object_repr"))[3:]
    assert [r["object_repr"] for r in stored] == ["3 天前", "2 天前", "1 天前"]
    assert [r["prev_hash"] for r in stored] == [third.hash, stored[0]["hash"], stored[1]["hash"]]
    assert AuditChain.objects.values_list("last_id", "last_hash").get() == (stored[2]["id"], stored[2]["hash"])
    assert verify() == "审计日志完整：共 6 条记录，链校验通过。"


def test_the_verification_streams_in_chunks(three):
    append_rows(old_rows(*range(10, 0, -1)), bulk_insert)
    assert verify_chain(chunk_size=3).count == 13


def test_migration_chains_the_records_already_there(three, monkeypatch):
    """Migration 0006's data step, with the historical models, on records written before it."""
    migration = importlib.import_module("talentpool.core.migrations.0006_audit_chain")
    state = MigrationExecutor(connection).loader.project_state(("core", "0006_audit_chain"))
    tamper(f"UPDATE {TABLE} SET prev_hash = '', hash = ''", [])
    AuditChain.objects.all().delete()
    monkeypatch.setattr("talentpool.core.audit.seal_existing.__defaults__", (2,))  # batches of two
    with trigger_off():  # the migration chains the records before it adds the trigger
        migration.chain_existing(state.apps, None)
    chained = list(AuditLog.objects.order_by("id").values_list("prev_hash", "hash"))
    assert chained == [(r.prev_hash, r.hash) for r in three]
    assert AuditChain.objects.values_list("last_id", "last_hash").get() == (three[2].pk, three[2].hash)
    assert verify() == "审计日志完整：共 3 条记录，链校验通过。"


# Retention --------------------------------------------------------------------------------


def purge(day: datetime.date) -> str:
    out = io.StringIO()
    call_command("purge_audit", "--before", day.isoformat(), stdout=out)
    return out.getvalue().strip()


def test_purge_refuses_a_date_within_180_days(three):
    latest = timezone.localdate() - datetime.timedelta(days=180)
    with pytest.raises(CommandError) as exc:
        purge(latest + datetime.timedelta(days=1))
    assert str(exc.value) == f"审计记录至少保留 180 天：--before 最晚只能是 {latest.isoformat()}。"
    assert AuditLog.objects.count() == 3


def test_purge_refuses_a_shorter_retention_setting_and_honours_a_longer_one(three, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    day = timezone.localdate() - datetime.timedelta(days=100)
    with pytest.raises(CommandError, match="至少保留 180 天"):
        purge(day)
    settings.AUDIT_RETENTION_DAYS = 400
    with pytest.raises(CommandError, match="至少保留 400 天"):
        purge(timezone.localdate() - datetime.timedelta(days=200))
    assert AuditLog.objects.count() == 3


def test_purge_refuses_a_malformed_date():
    with pytest.raises(CommandError) as exc:
        call_command("purge_audit", "--before", "2025/01/01")
    assert str(exc.value) == "日期请写成 YYYY-MM-DD，例如 2025-01-31。"


def test_purge_deletes_old_records_and_the_chain_still_verifies(db):
    append_rows(old_rows(400, 300, 200, 100), bulk_insert)
    young = record(None, AuditAction.EXPORT, object_repr="今天")
    doomed = list(AuditLog.objects.order_by("id")[:2])
    day = timezone.localdate() - datetime.timedelta(days=250)
    assert purge(day) == (
        f"已删除 {day.isoformat()} 之前的 2 条审计记录；审计链从记录 #{doomed[1].pk} 之后开始。")
    kept = list(AuditLog.objects.order_by("id"))
    assert [r.object_repr for r in kept] == ["200 天前", "100 天前", "今天", f"审计日志 {day.isoformat()} 之前"]
    entry = kept[-1]
    assert (entry.action, entry.actor_label, entry.changes, entry.prev_hash) == (
        AuditAction.PURGE, "manage.py purge_audit",
        {"before": day.isoformat(), "deleted": 2, "anchor_id": doomed[1].pk, "anchor_hash": doomed[1].hash},
        young.hash)
    head = AuditChain.objects.get()
    assert (head.anchor_id, head.anchor_hash, head.anchor_at) == (doomed[1].pk, doomed[1].hash, doomed[1].at)
    assert verify() == "审计日志完整：共 4 条记录，链校验通过。"
    # the anchor holds: deleting the new first record still shows
    tamper(f"DELETE FROM {TABLE} WHERE id = %s", [kept[0].pk])
    assert f"记录 #{kept[1].pk}（{local(kept[1].at)}）与前一条记录的链接断开" in verify_fails()


def test_purge_with_nothing_old_deletes_nothing(three):
    day = timezone.localdate() - datetime.timedelta(days=200)
    assert purge(day) == f"没有 {day.isoformat()} 之前的审计记录，未删除任何记录。"
    assert AuditLog.objects.count() == 3


def test_purge_refuses_a_tampered_log(db):
    append_rows(old_rows(400, 300), bulk_insert)
    first = AuditLog.objects.order_by("id").first()
    tamper(f"UPDATE {TABLE} SET object_repr = 'x' WHERE id = %s", [first.pk])
    before = list(AuditLog.objects.order_by("id").values())
    with pytest.raises(CommandError) as exc:
        purge(timezone.localdate() - datetime.timedelta(days=250))
    assert str(exc.value).startswith(f"未删除任何记录。审计日志被篡改：记录 #{first.pk}")
    assert list(AuditLog.objects.order_by("id").values()) == before


@pytest.mark.skipif(not IS_POSTGRESQL, reason="SQLite's IMMEDIATE transactions serialise writers anyway")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    """Each writer holds the chain head until it commits, so the second chains onto the first."""
    first_locked, release = threading.Event(), threading.Event()

    def slow_writer() -> None:
        with transaction.atomic():
            record(None, AuditAction.EXPORT, object_repr="先")
            first_locked.set()
            release.wait(5)
        connection.close()

    def writer() -> None:
        first_locked.wait(5)
        record(None, AuditAction.EXPORT, object_repr="后")  # waits for the head's lock
        connection.close()

    threads = [threading.Thread(target=slow_writer), threading.Thread(target=writer)]
    for t in threads:
        t.start()
    first_locked.wait(5)
    time.sleep(0.3)  # the second writer is now blocked on the head
    assert AuditLog.objects.filter(object_repr="后").count() == 0
    release.set()
    for t in threads:
        t.join(10)
    rows = list(AuditLog.objects.order_by("id").values_list("object_repr", "prev_hash", "hash"))
    assert [r[0] for r in rows] == ["先", "后"] and rows[1][1] == rows[0][2]
    assert verify() == "审计日志完整：共 2 条记录，链校验通过。"


def test_an_imports_bulk_records_chain_between_the_others(admin_user, enterprise_a, settings, tmp_path):
    from talentpool.registry.tests.test_imports import ID_F, ID_M, WORKER_HEADERS, run_import, workbook, worker_row

    settings.MEDIA_ROOT = tmp_path
    before = record(admin_user, AuditAction.EXPORT, object_repr="导入前")
    content = workbook(WORKER_HEADERS, [worker_row("沈建国", ID_M, enterprise=enterprise_a.name),
                                        worker_row("陈丽", ID_F, enterprise=enterprise_a.name,
                                                   退休类别="女职工（50岁）")])
    _, write = run_import("workers", content, admin_user)
    assert write is not None and write.result["counts"]["new"] == 2
    rows = list(AuditLog.objects.filter(pk__gte=before.pk).order_by("id").values_list(
        "action", "object_repr", "prev_hash", "hash"))
    assert [(a, r) for a, r, _, _ in rows] == [
        ("data.export", "导入前"), ("record.create", "沈建国"), ("record.create", "陈丽"),
        ("data.import", "导入职工（含任职）：t.xlsx")]
    assert [p for _, _, p, _ in rows[1:]] == [h for _, _, _, h in rows[:-1]]
    assert verify() == f"审计日志完整：共 {AuditLog.objects.count()} 条记录，链校验通过。"
