"""Writing a validated import: one transaction, bulk inserts, audit records in bulk.

The caller (the write job) re-validates inside the same transaction, so the plans reflect the
database as it is now; any database error rolls the whole import back.
"""

from __future__ import annotations

import functools
import json
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from talentpool.core.audit import _plain, append_rows, record
from talentpool.core.context import current_ip
from talentpool.core.crypto import EncryptedTextField, encrypt
from talentpool.core.models import AuditAction, AuditLog, User
from talentpool.rules.employment import end_of_previous

from ..models import Certificate, Employment, Enterprise, Honour, Worker
from ..services import ENTERPRISE_FIELDS, WORKER_FIELDS, values_snapshot, worker_values
from .schema import ImportKind
from .validate import CertificatePlan, EnterprisePlan, HonourPlan, Outcome, Status, WorkerPlan

if TYPE_CHECKING:
    from talentpool.core.jobs import Progress

BATCH = 1000
# ``version`` is raised by every change, as the services do: an edit form opened before the
# import then refuses to overwrite it (services.check_version). New rows take the default, 1.
WORKER_UPDATE_FIELDS = [
    "name", "name_search", "name_sort", "phone", "phone_masked", "education", "retirement_category", "is_frontline",
    "work_start_date", "skill_level", "occupation", "current_enterprise", "updated_at", "version",
]
ENTERPRISE_UPDATE_FIELDS = [*ENTERPRISE_FIELDS, "updated_at", "version"]
NEXT_VERSION = F("version") + 1


class ImportNotValid(Exception):
    """The outcome has row errors: nothing may be written."""


# Fast inserts -----------------------------------------------------------------------------
# Django's bulk_create spends most of a large import compiling and client-side quoting one big
# INSERT per batch. On PostgreSQL we COPY instead (ids drawn from the table's sequence first, so
# the caller still gets primary keys); other databases use bulk_create. Values go through the
# fields' own preparation where it matters (encryption, JSON), so the rows are exactly what the
# ORM would store.


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _preparer(field: models.Field) -> Callable[[Any], Any] | None:
    """How a value of ``field`` becomes what the column stores, when that is not the value itself."""
    if isinstance(field, EncryptedTextField):
        return lambda value: encrypt(value) if value else value  # what get_prep_value stores
    if isinstance(field, models.JSONField):  # jsonb: UTF-8 text parses to the same value as escapes
        return functools.partial(json.dumps, cls=field.encoder, ensure_ascii=False)
    return None


def _column_values(fields: list[models.Field], rows: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    """Each row's values in ``fields`` order: given, else the field's default, else None; prepared
    for storage where needed (encryption, JSON). One C-level lookup per row, not one call per value."""
    base = {f.attname: f.get_default() if f.has_default() else None for f in fields}
    pick = operator.itemgetter(*base)
    prepare = [(i, p) for i, f in enumerate(fields) if (p := _preparer(f)) is not None]
    for row in rows:
        values = list(pick({**base, **row}))
        for i, p in prepare:
            values[i] = p(values[i])
        yield values


def _copy(model: type[models.Model], fields: list[models.Field], rows: Iterable[list[Any]]) -> None:
    """COPY ``rows`` into ``model``'s table. ``rows`` may be a generator: it is consumed while the
    COPY streams, so the server stores and indexes the rows already sent while Python prepares
    the next ones (no other query may run on the connection meanwhile)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _allocate_ids(model: type[models.Model], count: int) -> list[int]:
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count])
        return [row[0] for row in cursor.fetchall()]


def insert_instances(model: type[models.Model], objs: list[Any]) -> None:
    """Insert unsaved instances (every field set, including auto_now ones) and set their pks."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=BATCH)
        return
    for obj, pk in zip(objs, _allocate_ids(model, len(objs)), strict=True):
        obj.pk = pk
    fields = [model._meta.pk, *_fields(model)]
    _copy(model, fields, _column_values(fields, ({f.attname: getattr(obj, f.attname) for f in fields} for obj in objs)))


def insert_rows(model: type[models.Model], rows: Iterable[dict[str, Any]], *, with_pk: bool = False) -> None:
    """Insert rows given as ``{attname: value}`` (every field without a default; the primary key
    too ``with_pk``), no pks back. ``rows`` may be a generator, consumed while the COPY streams (see
    ``_copy``)."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**row) for row in rows], batch_size=BATCH)
        return
    fields = ([model._meta.pk] if with_pk else []) + _fields(model)
    _copy(model, fields, _column_values(fields, rows))


def insert_rows_returning_ids(model: type[models.Model], rows: Iterable[dict[str, Any]], count: int) -> list[int]:
    """``insert_rows`` for ``count`` rows, returning their new primary keys in order."""
    if connection.vendor != "postgresql":
        objs = [model(**row) for row in rows]
        model._default_manager.bulk_create(objs, batch_size=BATCH)
        return [obj.pk for obj in objs]
    if not count:
        return []
    ids = _allocate_ids(model, count)
    pk = model._meta.pk.attname
    insert_rows(model, ({**row, pk: key} for row, key in zip(rows, ids, strict=True)), with_pk=True)
    return ids


def created(after: dict[str, Any]) -> dict[str, list[Any]]:
    """``diff({}, after)`` for a new object, without comparing against nothing."""
    changes = {}
    for key, value in after.items():
        value = _plain(value)
        if value is not None:
            changes[key] = [None, value]
    return changes


class AuditBatch:
    """Audit records collected while writing and inserted in bulk (same content as ``record``)."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.label = actor.get_username()
        self.ip = current_ip.get()
        self.entries: list[dict[str, Any]] = []
        self.at = timezone.now()

    def add(self, action: str, obj: models.Model, changes: dict[str, Any], object_repr: str | None = None) -> None:
        """``changes`` must already hold plain values (as ``diff`` returns them)."""
        self.add_row(action, ContentType.objects.get_for_model(obj).pk, obj.pk,
                     object_repr if object_repr is not None else str(obj), changes)

    def add_row(self, action: str, content_type_id: int, pk: Any, object_repr: str, changes: dict[str, Any]) -> None:
        self.entries.append({
            "at": self.at, "actor_id": self.actor.pk, "actor_label": self.label, "action": action,
            "content_type_id": content_type_id, "object_id": str(pk), "object_repr": object_repr[:200],
            "changes": changes, "ip_address": self.ip,
        })

    def save(self) -> None:
        """Chain the records onto the audit log (under its lock, in order) and COPY them."""
        append_rows(self.entries, functools.partial(insert_rows, AuditLog))


class Writer:
    def __init__(self, outcome: Outcome, *, actor: User, progress: Progress | None) -> None:
        self.outcome = outcome
        self.actor = actor
        self.progress = progress
        self.audit = AuditBatch(actor)
        self.now = timezone.now()
        self.base = progress.job.progress_done if progress is not None else 0
        self.done = 0

    def advance(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress.advance(self.base + self.done, force=True)

    def plans(self, status: Status) -> list[Any]:
        return [p for p in self.outcome.plans if p.status == status]

    # Enterprises --------------------------------------------------------------------------

    def enterprises(self) -> None:
        new: list[EnterprisePlan] = self.plans(Status.NEW)
        for p in new:
            p.enterprise.created_at = p.enterprise.updated_at = self.now
        insert_instances(Enterprise, [p.enterprise for p in new])
        for p in new:
            self.audit.add(AuditAction.CREATE, p.enterprise, p.changes)
        updated: list[EnterprisePlan] = self.plans(Status.UPDATED)
        for p in updated:
            p.enterprise.updated_at = self.now
            p.enterprise.version = NEXT_VERSION
            self.audit.add(AuditAction.UPDATE, p.enterprise, p.changes)
        Enterprise.objects.bulk_update([p.enterprise for p in updated], ENTERPRISE_UPDATE_FIELDS, batch_size=BATCH)
        self.advance(len(self.outcome.plans))

    # Workers ------------------------------------------------------------------------------

    def workers(self) -> None:
        new: list[WorkerPlan] = self.plans(Status.NEW)
        stored: list[dict[str, Any]] = []  # each new worker's stored values, for the audit

        def occupation_id(values: dict[str, Any]) -> int | None:
            return values["occupation"].pk if values.get("occupation") is not None else None

        def rows() -> Iterable[dict[str, Any]]:
            for p in new:
                values = worker_values(p.fields)
                stored.append(values)  # kept whole: the audit records the occupation by name
                row = dict(values, current_enterprise_id=p.enterprise_id, created_at=self.now, updated_at=self.now)
                del row["occupation"]  # a model instance: the column takes its key
                row["occupation_id"] = occupation_id(values)
                yield row

        ids = insert_rows_returning_ids(Worker, rows(), len(new))
        insert_rows(Employment, (
            {"worker_id": pk, "enterprise_id": p.enterprise_id, "start_date": p.employment_start, "end_date": None,
             "position": p.position, "occupation_id": occupation_id(values)}
            for p, pk, values in zip(new, ids, stored, strict=True)
        ))
        content_type = ContentType.objects.get_for_model(Worker).pk
        for p, pk, values in zip(new, ids, stored, strict=True):
            after = values_snapshot(values, WORKER_FIELDS) | {"enterprise": p.enterprise_name}
            self.audit.add_row(AuditAction.CREATE, content_type, pk, values["name"], created(after))
        self.advance(len(new))

        updated: list[WorkerPlan] = self.plans(Status.UPDATED)
        ended: list[Employment] = []
        renamed_posts: list[Employment] = []
        opened: list[Employment] = []
        for p in updated:
            p.worker.updated_at = self.now
            p.worker.version = NEXT_VERSION
            if p.moves:
                if p.current is not None:
                    p.current.end_date = end_of_previous(p.employment_start)
                    ended.append(p.current)
                p.worker.current_enterprise_id = p.enterprise_id
                opened.append(Employment(worker=p.worker, enterprise_id=p.enterprise_id, start_date=p.employment_start,
                                         position=p.position, occupation=p.worker.occupation))
            elif p.position_changed and p.current is not None:
                p.current.position = p.position
                renamed_posts.append(p.current)
            self.audit.add(AuditAction.UPDATE, p.worker, p.changes)
        Worker.objects.bulk_update([p.worker for p in updated], WORKER_UPDATE_FIELDS, batch_size=BATCH)
        # End the old employments before opening new ones: one open employment per worker.
        Employment.objects.bulk_update(ended, ["end_date"], batch_size=BATCH)
        Employment.objects.bulk_update(renamed_posts, ["position"], batch_size=BATCH)
        Employment.objects.bulk_create(opened, batch_size=BATCH)
        self.advance(len(self.outcome.plans) - len(new))

    # Certificates and honours -------------------------------------------------------------

    def certificates(self) -> None:
        new: list[CertificatePlan] = self.plans(Status.NEW)
        insert_instances(Certificate, [p.certificate for p in new])
        # A higher certificate raises the worker's current level (as services.add_certificate does).
        highest: dict[int, int] = {}
        for p in new:
            c = p.certificate
            highest[c.worker_id] = max(highest.get(c.worker_id, -1), c.level)
            self.audit.add(AuditAction.CREATE, c, {"worker": p.worker_name, "number": c.number, "level": c.level},
                           object_repr=f"{p.worker_name} {c.number}")
        by_level: dict[int, list[int]] = defaultdict(list)
        for worker_id, level in highest.items():
            by_level[level].append(worker_id)
        for level, ids in by_level.items():
            for start in range(0, len(ids), BATCH):
                Worker.objects.filter(pk__in=ids[start:start + BATCH]).filter(
                    Q(skill_level__isnull=True) | Q(skill_level__lt=level)
                ).update(skill_level=level, updated_at=self.now, version=NEXT_VERSION)
        self.advance(len(self.outcome.plans))

    def honours(self) -> None:
        new: list[HonourPlan] = self.plans(Status.NEW)
        insert_instances(Honour, [p.honour for p in new])
        for p in new:
            h = p.honour
            self.audit.add(AuditAction.CREATE, h, {"worker": p.worker_name, "name": h.name, "level": h.level,
                                                   "awarded_on": _plain(h.awarded_on)},
                           object_repr=f"{p.worker_name} {h}")
        self.advance(len(self.outcome.plans))


@transaction.atomic
def write_outcome(
    outcome: Outcome, *, actor: User, filename: str = "", job_id: int | None = None, progress: Progress | None = None
) -> dict[str, int]:
    """Write every plan of a valid outcome in one transaction and audit it: one IMPORT record plus
    a create/update record per object. Raises ImportNotValid if the outcome has row errors."""
    if not outcome.is_valid:
        raise ImportNotValid
    writer = Writer(outcome, actor=actor, progress=progress)
    kind = outcome.sheet.spec.kind
    {
        ImportKind.ENTERPRISES: writer.enterprises,
        ImportKind.WORKERS: writer.workers,
        ImportKind.CERTIFICATES: writer.certificates,
        ImportKind.HONOURS: writer.honours,
    }[kind]()
    writer.audit.save()
    counts = outcome.counts
    record(actor, AuditAction.IMPORT, None, object_repr=f"导入{outcome.sheet.spec.label}：{filename}"[:200],
           changes={"kind": kind.value, "file": filename, "job": job_id, "mode": outcome.mode.value,
                    "new": counts["new"], "updated": counts["updated"], "unchanged": counts["unchanged"]})
    return counts
