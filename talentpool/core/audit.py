"""Writing the audit log. Services call ``record`` inside their transaction.

The log is a hash chain (MLPS 2.0 security audit: records protected against deletion,
modification and overwriting): each record's ``hash`` is an HMAC-SHA256 over a canonical JSON of
its fields and the previous record's hash. The key is derived (HKDF) from ENCRYPTION_KEY, not
SECRET_KEY: it must live as long as the log, and someone who can write to the database but does
not hold the key cannot recompute the chain after editing, inserting or deleting a record.
Every writer locks the chain head (``AuditChain``) first, so concurrent transactions append one
after the other and never fork the chain; ``verify_audit`` walks it.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import functools
import hmac
import ipaddress
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from .context import current_ip
from .models import AuditAction, AuditChain, AuditLog, User
from .registry import is_declared_event

_AS_IS = frozenset({str, int, bool, float, type(None)})

# The fields a record's hash covers, by attribute name, in the order of AuditLog.
CHAINED_FIELDS = (
    "at", "actor_id", "actor_label", "action", "content_type_id", "object_id", "object_repr", "changes", "ip_address",
)
HEAD_PK = 1


def _plain(value: Any) -> Any:
    """A JSON-ready form of a field value: model instances by name, dates in ISO form."""
    if type(value) in _AS_IS:  # most values: a set lookup instead of three isinstance checks
        return value
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    keys = list(dict.fromkeys([*before, *after]))
    return {
        k: [_plain(before.get(k)), _plain(after.get(k))] for k in keys if _plain(before.get(k)) != _plain(after.get(k))
    }


# The chain --------------------------------------------------------------------------------


@functools.cache
def _chain_key(key: str) -> bytes:
    master = base64.urlsafe_b64decode(key.encode())
    return HKDF(algorithm=SHA256(), length=32, salt=None, info=b"talentpool audit chain v1").derive(master)


@functools.lru_cache(maxsize=256)  # a bulk import's records share one time
def _utc(at: datetime.datetime) -> str:
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@functools.lru_cache(maxsize=256)
def _ip(value: str) -> str:
    """The address as the column gives it back (IPv6 compressed, as both backends store it)."""
    return str(ipaddress.ip_address(value))


_dumps = json.JSONEncoder(sort_keys=True, separators=(",", ":"), allow_nan=False).encode


def seal(row: Mapping[str, Any], prev_hash: str) -> str:
    """The hash of a record with the fields ``row`` (attribute names, values as stored) that
    follows a record whose hash is ``prev_hash``. Sorted keys and UTC microsecond times, so the
    value read back from either database (jsonb reorders keys) gives the same hash."""
    ip = row["ip_address"]
    payload = _dumps({  # the fields by name, for a format that explains itself
        "at": _utc(row["at"]),
        "actor_id": row["actor_id"],
        "actor_label": row["actor_label"],
        "action": str(row["action"]),
        "content_type_id": row["content_type_id"],
        "object_id": str(row["object_id"]),
        "object_repr": row["object_repr"],
        "changes": row["changes"],
        "ip_address": _ip(ip) if ip else None,
        "prev_hash": prev_hash,
    })
    return hmac.digest(_chain_key(settings.ENCRYPTION_KEY), payload.encode(), "sha256").hex()


def _locked_head() -> AuditChain:
    """The chain head, locked until the transaction ends (on SQLite the IMMEDIATE transaction
    already holds the database's write lock). Created again after a test flush."""
    head, _ = AuditChain.objects.select_for_update().get_or_create(pk=HEAD_PK)
    return head


def append_rows(rows: list[dict[str, Any]], insert: Callable[[list[dict[str, Any]]], None]) -> None:
    """Chain ``rows`` (``{attname: value}`` for every chained field) onto the log in their order
    and have ``insert`` store them in that order (the ids the table gives them follow it). For
    bulk writers; ``record`` writes one."""
    if not rows:
        return
    for action in {str(row["action"]) for row in rows}:
        check_event(action)
    with transaction.atomic():
        head = _locked_head()
        prev = head.last_hash
        for row in rows:
            row["prev_hash"] = prev
            row["hash"] = prev = seal(row, prev)
        insert(rows)
        # Under the lock nobody else appends, so the newest record is the last of ours.
        last_id = AuditLog.objects.order_by("-id").values_list("id", flat=True)[0]
        AuditChain.objects.filter(pk=head.pk).update(last_id=last_id, last_hash=prev)


def check_event(action: str) -> None:
    """Refuse a name no app declared (a typo, or an old undotted name): it would be a record the
    log cannot label or filter."""
    if not is_declared_event(action):
        raise ValueError(f"audit event {action!r} is not declared (core.registry.register_audit_events)")


def record(
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    *,
    changes: dict[str, Any] | None = None,
    object_repr: str | None = None,
    actor_label: str = "",
) -> AuditLog:
    """Append a record to the log (chained, under the chain's lock until the caller's transaction
    ends). ``actor_label`` names who acted when there is no user (a management command).
    ``action`` is a declared event (core.registry.register_audit_events); any other is a ValueError."""
    check_event(str(action))
    entry = AuditLog(
        actor_id=actor.pk if actor is not None and actor.pk else None,
        actor_label=(actor.get_username() if actor is not None else actor_label) or "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr if object_repr is not None else str(obj) if obj is not None else "")[:200],
        changes={k: _plain(v) for k, v in (changes or {}).items()},
        ip_address=current_ip.get(),
    )
    with transaction.atomic():
        head = _locked_head()
        entry.prev_hash = head.last_hash
        entry.hash = seal({name: getattr(entry, name) for name in CHAINED_FIELDS}, entry.prev_hash)
        entry.save(force_insert=True)
        AuditChain.objects.filter(pk=head.pk).update(last_id=entry.pk, last_hash=entry.hash)
    return entry


# Verifying --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain first fails: the record (id, time) and how."""

    kind: str  # "altered": its hash does not match its fields; "unlinked": a record before it is
    #             missing or it was inserted; "truncated": records after it are missing
    record_id: int | None
    at: datetime.datetime | None


@dataclass(frozen=True)
class ChainReport:
    count: int
    first_break: ChainBreak | None

    @property
    def is_intact(self) -> bool:
        return self.first_break is None


def _rows(chunk_size: int) -> Iterator[dict[str, Any]]:
    fields = ("id", *CHAINED_FIELDS, "prev_hash", "hash")
    return AuditLog.objects.order_by("id").values(*fields).iterator(chunk_size=chunk_size)


def verify_chain(*, chunk_size: int = 2000) -> ChainReport:
    """Walk the log in id order from the anchor (the last purged record) to the head; stop at the
    first record whose hash or link does not hold."""
    head = AuditChain.objects.filter(pk=HEAD_PK).first() or AuditChain(pk=HEAD_PK)
    expected, count = head.anchor_hash, 0
    last: dict[str, Any] | None = None
    for row in _rows(chunk_size):
        if seal(row, row["prev_hash"]) != row["hash"]:
            return ChainReport(count, ChainBreak("altered", row["id"], row["at"]))
        if row["prev_hash"] != expected:
            return ChainReport(count, ChainBreak("unlinked", row["id"], row["at"]))
        expected, last = row["hash"], row
        count += 1
    if expected != head.last_hash or (last is not None and last["id"] != head.last_id):
        return ChainReport(count, ChainBreak("truncated", last["id"] if last else None, last["at"] if last else None))
    return ChainReport(count, None)


def seal_existing(log: Any, chunk_size: int = 2000) -> tuple[int, str]:
    """Chain the records written before the chain existed, in id order (migration 0006, with the
    historical model). Returns the last id and hash."""
    last_id, prev, batch = 0, "", []
    fields = ["id", *CHAINED_FIELDS]
    for row in log.objects.order_by("id").values(*fields).iterator(chunk_size=chunk_size):
        entry = log(id=row["id"], prev_hash=prev)
        entry.hash = prev = seal(row, prev)
        batch.append(entry)
        last_id = row["id"]
        if len(batch) >= chunk_size:
            log.objects.bulk_update(batch, ["prev_hash", "hash"])
            batch = []
    if batch:
        log.objects.bulk_update(batch, ["prev_hash", "hash"])
    return last_id, prev


# Purging ----------------------------------------------------------------------------------

MIN_RETENTION_DAYS = 180  # MLPS 2.0 / Cybersecurity Law art. 21: network logs kept at least six months


class RetentionError(Exception):
    """The purge date is inside the retention period; ``latest`` is the latest date allowed."""

    def __init__(self, days: int, latest: datetime.date) -> None:
        super().__init__(days, latest)
        self.days, self.latest = days, latest


class ChainBroken(Exception):
    """The chain does not verify: purging would destroy the evidence."""

    def __init__(self, report: ChainReport) -> None:
        super().__init__(report)
        self.report = report


@dataclass(frozen=True)
class Purge:
    deleted: int
    anchor_id: int


def retention_days() -> int:
    return max(MIN_RETENTION_DAYS, int(getattr(settings, "AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS)))


def latest_purge_date(today: datetime.date | None = None) -> datetime.date:
    """The latest ``before`` date a purge may use: every record it removes is older than the
    retention period."""
    return (today or timezone.localdate()) - datetime.timedelta(days=retention_days())


@transaction.atomic
def purge_before(day: datetime.date, *, actor_label: str = "") -> Purge:
    """Delete the records from before ``day`` (local midnight) and anchor the chain at the last
    one deleted, so the first kept record still verifies; audit the purge. Only the oldest
    records go, in id order: the first record from ``day`` on and everything after it stay.
    Raises RetentionError if ``day`` is within the retention period, ChainBroken if the chain
    does not verify (a tampered log is kept whole for investigation)."""
    if day > latest_purge_date():
        raise RetentionError(retention_days(), latest_purge_date())
    head = _locked_head()
    report = verify_chain()
    if not report.is_intact:
        raise ChainBroken(report)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    kept = AuditLog.objects.filter(at__gte=start).order_by("id").values_list("id", flat=True).first()
    doomed = AuditLog.objects.order_by("id")
    if kept is not None:
        doomed = doomed.filter(id__lt=kept)
    last = doomed.order_by("-id").values("id", "at", "hash").first()
    if last is None:
        return Purge(0, head.anchor_id)
    with connection.cursor() as cursor:  # the queryset refuses deletes
        cursor.execute(f"DELETE FROM {AuditLog._meta.db_table} WHERE id <= %s", [last["id"]])
        deleted = cursor.rowcount
    AuditChain.objects.filter(pk=head.pk).update(anchor_id=last["id"], anchor_hash=last["hash"], anchor_at=last["at"])
    record(None, AuditAction.PURGE, object_repr=f"审计日志 {day:%Y-%m-%d} 之前", actor_label=actor_label,
           changes={"before": day.isoformat(), "deleted": deleted, "anchor_id": last["id"],
                    "anchor_hash": last["hash"]})
    return Purge(deleted, last["id"])
