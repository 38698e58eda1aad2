"""Writing the registry kinds' plans (core.imports.write runs the writer inside the import's one
transaction, after the check ran again there with the records it updates locked): bulk inserts,
bulk updates, audit records in bulk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import F

from talentpool.core.audit import _plain
from talentpool.core.imports.validate import Status
from talentpool.core.imports.write import (
    BATCH,
    ImportWriter,
    created,
    insert_instances,
    insert_rows,
    insert_rows_returning_ids,
)
from talentpool.core.models import AuditAction
from talentpool.rules.employment import end_of_previous
from talentpool.rules.skills import recomputed_level

from ..models import Certificate, Employment, Enterprise, Honour, Worker
from ..services import ENTERPRISE_FIELDS, WORKER_FIELDS, values_snapshot, worker_values
from .schema import ImportKind
from .validate import CertificatePlan, EnterprisePlan, HonourPlan, WorkerPlan

# ``version`` is raised by every change, as the services do: an edit form opened before the
# import then refuses to overwrite it (services.check_version). New rows take the default, 1.
WORKER_UPDATE_FIELDS = [
    "name", "name_search", "name_sort", "phone", "phone_masked", "education", "retirement_category", "is_frontline",
    "work_start_date", "skill_level", "occupation", "current_enterprise", "updated_at", "version",
]
ENTERPRISE_UPDATE_FIELDS = [*ENTERPRISE_FIELDS, "name_search", "name_sort", "updated_at", "version"]
NEXT_VERSION = F("version") + 1


class Writer(ImportWriter):
    """The writer of every registry kind: ``write`` picks the kind's method."""

    def write(self) -> None:
        {
            ImportKind.ENTERPRISES: self.enterprises,
            ImportKind.WORKERS: self.workers,
            ImportKind.CERTIFICATES: self.certificates,
            ImportKind.HONOURS: self.honours,
        }[ImportKind(self.outcome.sheet.spec.key)]()

    # Enterprises --------------------------------------------------------------------------

    def enterprises(self) -> None:
        new: list[EnterprisePlan] = self.plans(Status.NEW)
        for p in new:
            p.enterprise.created_at = p.enterprise.updated_at = self.now
            p.enterprise.fill_name_keys()  # pinyin keys (models.PinyinNamed): a bulk insert skips save()
        insert_instances(Enterprise, [p.enterprise for p in new])
        for p in new:
            self.audit.add(AuditAction.CREATE, p.enterprise, p.changes)
        updated: list[EnterprisePlan] = self.plans(Status.UPDATED)
        for p in updated:
            p.enterprise.updated_at = self.now
            p.enterprise.fill_name_keys()
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
        # The workers' levels follow their certificates as services.set_level_from_certificates
        # has it (rules.skills.recomputed_level): read before the new ones are inserted.
        added: dict[int, list[int]] = defaultdict(list)
        for p in new:
            added[p.certificate.worker_id].append(p.certificate.level)
        ids = list(added)
        before: dict[int, list[int]] = defaultdict(list)
        recorded: dict[int, tuple[int | None, str]] = {}
        for start in range(0, len(ids), BATCH):
            chunk = ids[start:start + BATCH]
            for pk, level, name in Worker.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values_list(
                "pk", "skill_level", "name"
            ):
                recorded[pk] = (level, name)
            for worker_id, level in Certificate.objects.filter(worker_id__in=chunk).values_list("worker_id", "level"):
                before[worker_id].append(level)
        insert_instances(Certificate, [p.certificate for p in new])
        for p in new:
            c = p.certificate
            self.audit.add(AuditAction.CREATE, c, {"worker": p.worker_name, "number": c.number, "level": c.level},
                           object_repr=f"{p.worker_name} {c.number}")
        by_level: dict[int | None, list[int]] = defaultdict(list)
        content_type = ContentType.objects.get_for_model(Worker).pk
        for worker_id, levels in added.items():
            old, name = recorded[worker_id]
            level = recomputed_level(old, before[worker_id], before[worker_id] + levels)
            if level != old:
                by_level[level].append(worker_id)
                self.audit.add_row(AuditAction.UPDATE, content_type, worker_id, name, {"skill_level": [old, level]})
        for level, changed in by_level.items():
            for start in range(0, len(changed), BATCH):
                Worker.objects.filter(pk__in=changed[start:start + BATCH]).update(
                    skill_level=level, updated_at=self.now, version=NEXT_VERSION
                )
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
