"""Writing a validated import: one transaction, bulk inserts, audit records in bulk.

``write_outcome`` runs inside the write's transaction, after the check ran again there with
``lock`` (core.imports.validate), so the plans reflect the database as it is now and the records
they update stay locked until the commit; any database error rolls the whole import back. The
kind's writer (``ImportKindSpec.write``, an ``ImportWriter``) writes the plans; this module gives
it fast inserts (COPY on PostgreSQL) and audit records in bulk.
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from talentpool.core.audit import _plain, append_rows, record
from talentpool.core.context import current_ip
from talentpool.core.crypto import EncryptedTextField, encrypt
from talentpool.core.models import AuditAction, AuditLog

from .validate import Outcome, Status

if TYPE_CHECKING:
    from talentpool.core.jobs import Progress

BATCH = 1000


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
    columns = ", ".join(quote(f.column) for f in fields if f.column)
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

    def __init__(self, actor: Any) -> None:
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


class ImportWriter:
    """Writes the plans of one valid outcome; a kind subclasses it with ``write``. It reports
    progress with ``advance`` and audits each record it writes through ``audit`` (saved in bulk
    after ``write``)."""

    def __init__(self, outcome: Outcome, *, actor: Any, progress: Progress | None) -> None:
        self.outcome = outcome
        self.actor = actor
        self.progress = progress
        self.audit = AuditBatch(actor)
        self.now = timezone.now()
        self.base = progress.job.progress_done if progress is not None else 0
        self.done = 0

    def write(self) -> None:
        raise NotImplementedError

    def advance(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress.advance(self.base + self.done, force=True)

    def plans(self, status: Status) -> list[Any]:
        return [p for p in self.outcome.plans if p.status == status]


@transaction.atomic
def write_outcome(
    outcome: Outcome, *, actor: Any, filename: str = "", job_id: int | None = None, progress: Progress | None = None
) -> dict[str, int]:
    """Write every plan of a valid outcome in one transaction and audit it: one IMPORT record plus
    the kind's record per object. Raises ImportNotValid if the outcome has row errors."""
    if not outcome.is_valid:
        raise ImportNotValid
    spec = outcome.sheet.spec
    writer = spec.write(outcome, actor=actor, progress=progress)
    writer.write()
    writer.audit.save()
    counts = outcome.counts
    record(actor, AuditAction.IMPORT, None, object_repr=f"导入{spec.label}：{filename}"[:200],
           changes={"kind": spec.key, "file": filename, "job": job_id, "mode": outcome.mode.value,
                    "new": counts["new"], "updated": counts["updated"], "unchanged": counts["unchanged"]})
    return counts

