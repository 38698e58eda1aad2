"""Writing a validated import: one transaction, bulk inserts, audit records in bulk.

The caller (the write job) re-validates inside the same transaction, so the plans reflect the
database as it is now; any database error rolls the whole import back.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from talentpool.core.audit import _plain, diff, record
from talentpool.core.context import current_ip
from talentpool.core.models import AuditAction, AuditLog, User

from ..models import Certificate, Employment, Enterprise, Honour, Worker
from ..services import ENTERPRISE_FIELDS, WORKER_FIELDS, _apply_fields, snapshot
from .schema import ImportKind
from .validate import CertificatePlan, EnterprisePlan, HonourPlan, Outcome, Status, WorkerPlan

if TYPE_CHECKING:
    from talentpool.core.jobs import Progress

BATCH = 1000
WORKER_UPDATE_FIELDS = [
    "name", "name_search", "phone", "phone_masked", "education", "retirement_category", "is_frontline",
    "work_start_date", "skill_level", "occupation", "current_enterprise", "updated_at",
]
ENTERPRISE_UPDATE_FIELDS = [*ENTERPRISE_FIELDS, "updated_at"]


class ImportNotValid(Exception):
    """The outcome has row errors: nothing may be written."""


class AuditBatch:
    """Audit records collected while writing and inserted in bulk (same content as ``record``)."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.label = actor.get_username()
        self.ip = current_ip.get()
        self.entries: list[AuditLog] = []
        self.at = timezone.now()

    def add(self, action: str, obj: models.Model, changes: dict[str, Any], object_repr: str | None = None) -> None:
        self.entries.append(AuditLog(
            at=self.at, actor=self.actor, actor_label=self.label, action=action,
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk),
            object_repr=(object_repr if object_repr is not None else str(obj))[:200],
            changes={k: _plain(v) for k, v in changes.items()}, ip_address=self.ip,
        ))

    def save(self) -> None:
        AuditLog.objects.bulk_create(self.entries, batch_size=BATCH)


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
        Enterprise.objects.bulk_create([p.enterprise for p in new], batch_size=BATCH)
        for p in new:
            self.audit.add(AuditAction.CREATE, p.enterprise, p.changes)
        updated: list[EnterprisePlan] = self.plans(Status.UPDATED)
        for p in updated:
            p.enterprise.updated_at = self.now
            self.audit.add(AuditAction.UPDATE, p.enterprise, p.changes)
        Enterprise.objects.bulk_update([p.enterprise for p in updated], ENTERPRISE_UPDATE_FIELDS, batch_size=BATCH)
        self.advance(len(self.outcome.plans))

    # Workers ------------------------------------------------------------------------------

    def workers(self) -> None:
        new: list[WorkerPlan] = self.plans(Status.NEW)
        for start in range(0, len(new), BATCH):
            batch = new[start:start + BATCH]
            for p in batch:
                _apply_fields(p.worker, p.fields)
            Worker.objects.bulk_create([p.worker for p in batch])
            Employment.objects.bulk_create([
                Employment(worker=p.worker, enterprise_id=p.enterprise_id, start_date=p.employment_start,
                           position=p.position, occupation=p.worker.occupation)
                for p in batch
            ])
            for p in batch:
                after = snapshot(p.worker, WORKER_FIELDS) | {"enterprise": p.enterprise_name}
                self.audit.add(AuditAction.CREATE, p.worker, diff({}, after))
            self.advance(len(batch))

        updated: list[WorkerPlan] = self.plans(Status.UPDATED)
        ended: list[Employment] = []
        renamed_posts: list[Employment] = []
        opened: list[Employment] = []
        for p in updated:
            p.worker.updated_at = self.now
            if p.moves:
                if p.current is not None:
                    p.current.end_date = p.employment_start - timedelta(days=1)
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
        Certificate.objects.bulk_create([p.certificate for p in new], batch_size=BATCH)
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
                ).update(skill_level=level, updated_at=self.now)
        self.advance(len(self.outcome.plans))

    def honours(self) -> None:
        new: list[HonourPlan] = self.plans(Status.NEW)
        Honour.objects.bulk_create([p.honour for p in new], batch_size=BATCH)
        for p in new:
            h = p.honour
            self.audit.add(AuditAction.CREATE, h, {"worker": p.worker_name, "name": h.name, "level": h.level,
                                                   "awarded_on": h.awarded_on}, object_repr=f"{p.worker_name} {h}")
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
