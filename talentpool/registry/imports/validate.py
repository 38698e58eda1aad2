"""The registry kinds' checks of each row against the database (core.imports.validate runs them).

Lookups are prefetched into dicts in a few queries, never one query per row; the records an update
changes are read through ``Validator.matching`` (locked while the import is written). An operator
learns nothing about records outside their enterprise: such rows are refused with the neutral
message and recorded (``refusals``), and too many refusals pause the rows registering by number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Max
from django.utils import timezone

from talentpool.core.audit import diff
from talentpool.core.crypto import lookup_hash
from talentpool.core.imports.reader import RawRow
from talentpool.core.imports.spec import ImportMode
from talentpool.core.imports.validate import Plan, Status, matching
from talentpool.core.imports.validate import Validator as BaseValidator
from talentpool.core.imports.validate import chunks as _chunks
from talentpool.core.roles import Action
from talentpool.rules import masking
from talentpool.rules.dates import DatedEvent, event_date_error
from talentpool.rules.employment import EmploymentConflict, check_next_employment
from talentpool.rules.idnumber import Sex
from talentpool.rules.masking import mask_certificate_number
from talentpool.rules.names import normalise_name
from talentpool.rules.retirement import category_conflict
from talentpool.rules.skills import SkillLevel, check_certificate_number
from talentpool.rules.text import normalise_code, normalise_text

from ..models import Certificate, Employment, Enterprise, Honour, Industry, Occupation, Worker
from ..occupations import resolve_occupations
from ..services import (
    ENTERPRISE_FIELDS,
    REFUSAL_WINDOW,
    WORKER_FIELDS,
    _apply_fields,
    refusal_allowance,
    snapshot,
)
from .schema import WOMEN_CATEGORIES, ImportKind

NOT_FOUND = "未找到该职工或无权限"
# An operator is told no more than this about an ID or certificate number held by a record they
# cannot see (the same words as services.neutral_id_message / neutral_certificate_message).
NEUTRAL_ID = "该身份证号无法在本企业登记。如此人已调入本企业，请联系区总工会办理调动。"
NEUTRAL_CERTIFICATE = "该证书编号无法使用。请核对证书上的编号；如编号无误，请联系区总工会。"
THROTTLED = "过去一小时内被拒绝的登记过多，按身份证号或证书编号登记已暂停至 {time}。如有急需，请联系区总工会。"


@dataclass
class EnterprisePlan(Plan):
    enterprise: Enterprise


@dataclass
class WorkerPlan(Plan):
    worker: Worker | None  # None for a new worker; the registered one with the file's values applied
    fields: dict[str, Any]  # for services._apply_fields on a new worker
    enterprise_id: int
    enterprise_name: str
    employment_start: date
    position: str
    current: Employment | None = None  # the open employment of a registered worker
    moves: bool = False  # a registered worker takes up a new employment
    position_changed: bool = False


@dataclass
class CertificatePlan(Plan):
    certificate: Certificate
    worker_name: str


@dataclass
class HonourPlan(Plan):
    honour: Honour
    worker_name: str


class Validator(BaseValidator):
    """A registry kind's checks, with the refusals that must not tell who works where."""

    kind: ImportKind

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.numbered: list[tuple[RawRow, str]] = []  # rows registering by ID or certificate number
        self.allowance, self.paused_until = 1 << 30, None

    def finish(self, plans: list[Plan], statuses: dict[int, Status]) -> list[Plan]:
        if len(self.refusals) > self.allowance:
            plans = self.pause(plans, statuses)
        return plans

    # Refusals that must not tell who works where (see services) ---------------------------

    def start_refusals(self) -> None:
        self.allowance, self.paused_until = refusal_allowance(self.actor)

    def numbered_row(self, raw: RawRow, key: str) -> bool:
        """Note a row that registers by ID or certificate number; False (and the row refused) while
        the actor is paused after too many refusals."""
        self.numbered.append((raw, key))
        if self.paused_until is not None:
            self.error(raw, key, THROTTLED.format(time=timezone.localtime(self.paused_until).strftime("%H:%M")))
            return False
        return True

    def refuse(self, raw: RawRow, key: str, reason: str, changes: dict[str, Any]) -> None:
        self.error(raw, key, reason)
        self.refusals.append(changes)

    def pause(self, plans: list[Plan], statuses: dict[int, Status]) -> list[Plan]:
        """More refusals than the actor had left this hour: which rows were refused must not show,
        so every row with a number is refused for the pause instead."""
        reason = THROTTLED.format(time=timezone.localtime(timezone.now() + REFUSAL_WINDOW).strftime("%H:%M"))
        self.errors = [e for e in self.errors if e.reason not in (NEUTRAL_ID, NEUTRAL_CERTIFICATE)]
        for raw, key in self.numbered:
            self.error(raw, key, reason)
            statuses[raw.number] = Status.ERROR
        return [p for p in plans if statuses[p.row] != Status.ERROR]


# Enterprises ------------------------------------------------------------------------------


class EnterpriseValidator(Validator):
    kind = ImportKind.ENTERPRISES

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        self.industries = {normalise_text(i.name).replace(" ", ""): i for i in Industry.objects.all()}
        codes = {r["uscc"] for r in rows if "uscc" in r}
        names = {r["name"] for r in rows if "name" in r}
        self.by_uscc: dict[str, Enterprise] = {}
        self.by_name: dict[str, Enterprise] = {}
        for e in self.matching(Enterprise.objects.select_related("industry"), "uscc", codes):
            self.by_uscc[e.uscc] = e  # the enterprises an update changes: locked while writing
        for chunk in _chunks(names):
            for e in Enterprise.objects.filter(name__in=chunk).select_related("industry"):
                self.by_name[e.name] = e
        self.seen_uscc: dict[str, int] = {}
        self.seen_name: dict[str, int] = {}

    def check(self, raw: RawRow, values: dict[str, Any]) -> Plan | None:
        uscc, name = values.get("uscc"), values.get("name")
        if uscc and (first := self.first_seen(self.seen_uscc, uscc, raw)):
            self.error(raw, "uscc", f"与第 {first} 行的统一社会信用代码重复")
        if name and (first := self.first_seen(self.seen_name, name, raw)):
            self.error(raw, "name", f"与第 {first} 行的企业名称重复")
        industry = None
        if "industry" in values:
            industry = self.industries.get(values["industry"].replace(" ", ""))
            if industry is None:
                known = "、".join(i.name for i in list(self.industries.values())[:20])
                self.error(raw, "industry", f"行业“{values['industry']}”不在系统的行业列表中（可选：{known}）")
        existing = self.by_uscc.get(uscc) if uscc else None
        if existing is not None and self.mode == ImportMode.REPORT:
            self.error(raw, "uscc", "该统一社会信用代码的企业已登记（已存在）；如需更新请选择“更新已有记录”")
        if name and uscc:
            holder = self.by_name.get(name)
            if holder is not None and holder.uscc != uscc:
                self.error(raw, "name", f"企业名称已被另一家已登记企业使用（统一社会信用代码 {holder.uscc}）")
        if self.has_error(raw):
            return None
        fields = {k: v for k, v in values.items() if k != "industry"}
        fields["industry"] = industry
        if existing is None:
            enterprise = Enterprise(**{"is_above_scale": True, **fields})
            return EnterprisePlan(raw.number, Status.NEW, enterprise,
                                  changes=diff({}, snapshot(enterprise, ENTERPRISE_FIELDS)))
        enterprise = existing  # each registered enterprise is planned at most once (duplicates are errors)
        before = snapshot(enterprise, ENTERPRISE_FIELDS)
        for key, value in fields.items():
            setattr(enterprise, key, value)
        changes = diff(before, snapshot(enterprise, ENTERPRISE_FIELDS))
        return EnterprisePlan(raw.number, Status.UPDATED if changes else Status.UNCHANGED, enterprise, changes=changes)


# Workers ----------------------------------------------------------------------------------


_WORKER_KEYS = frozenset(WORKER_FIELDS)


class WorkerValidator(Validator):
    kind = ImportKind.WORKERS

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        self.today = timezone.localdate()
        for values in rows:
            if "id_number" in values:
                values["_hash"] = lookup_hash(values["id_number"])
        hashes = {r["_hash"] for r in rows if "_hash" in r}
        self.existing: dict[str, Worker] = {}
        # the workers an update changes: locked while the import is written
        for w in self.matching(Worker.objects.select_related("occupation", "current_enterprise"), "id_number_hash",
                               hashes):
            self.existing[w.id_number_hash] = w
        self.current: dict[int, Employment] = {}
        self.last_end: dict[int, date] = {}
        for chunk in _chunks(w.pk for w in self.existing.values()):
            for e in Employment.objects.filter(worker_id__in=chunk, end_date__isnull=True):
                self.current[e.worker_id] = e
            ended = Employment.objects.filter(worker_id__in=chunk, end_date__isnull=False).values("worker_id")
            self.last_end.update(ended.annotate(last=Max("end_date")).values_list("worker_id", "last"))
        self.enterprises: dict[str, tuple[int, str]] = {}
        if self.actor.is_admin:
            for pk, name, uscc in Enterprise.objects.values_list("pk", "name", "uscc"):
                self.enterprises[normalise_text(name)] = (pk, name)
                self.enterprises[uscc] = (pk, name)
            self.own: tuple[int, str] | None = None
        else:
            own = Enterprise.objects.get(pk=self.actor.enterprise_id)
            self.own = (own.pk, own.name)
            self.enterprises = {normalise_text(own.name): self.own, own.uscc: self.own}
        # a code, name or alias, each distinct text resolved once (a few queries in all)
        self.occupations = resolve_occupations(r["occupation"] for r in rows if "occupation" in r)
        self.seen: dict[str, int] = {}
        self.start_refusals()

    def _enterprise(self, raw: RawRow, values: dict[str, Any]) -> tuple[int, str] | None:
        text = values.get("enterprise", "")
        if not text:
            if self.own is not None:
                return self.own
            self.error(raw, "enterprise", "请填写所在企业（企业名称或统一社会信用代码）")
            return None
        found = self.enterprises.get(text) or self.enterprises.get(normalise_code(text))
        if found is None:
            if self.own is not None:
                self.error(raw, "enterprise", f"只能导入本企业（{self.own[1]}）的职工；本列可不填")
            else:
                self.error(raw, "enterprise", f"系统中没有名称或统一社会信用代码为“{text}”的企业，请先导入企业")
        return found

    def _retirement(self, raw: RawRow, values: dict[str, Any], existing: Worker | None) -> str | None:
        number = values["id_number"]
        male = int(number[16]) % 2 == 1
        category = values.get("retirement_category")
        if category is not None:
            if conflict := category_conflict(Sex.MALE if male else Sex.FEMALE, category):
                self.error(raw, "retirement_category", conflict)
            return category
        if male:
            return "man"
        if existing is not None and existing.retirement_category != "man":
            return None  # keep the registered category
        self.error(raw, "retirement_category", f"女职工须填写退休类别：{WOMEN_CATEGORIES}")
        return None

    def refuse_id(self, raw: RawRow, values: dict[str, Any], reason: str) -> None:
        self.refuse(raw, "id_number", NEUTRAL_ID, {"id_number": masking.mask_id_number(values["id_number"]),
                                                   "reason": reason, "via": "import"})

    def check(self, raw: RawRow, values: dict[str, Any]) -> Plan | None:
        existing = None
        if "_hash" in values:
            if not self.numbered_row(raw, "id_number"):
                return None
            first = self.first_seen(self.seen, values["_hash"], raw)
            if first:
                self.error(raw, "id_number", f"与第 {first} 行的身份证号重复")
            existing = self.existing.get(values["_hash"])
        if existing is not None and self.own is not None and existing.current_enterprise_id != self.own[0]:
            # An operator may take on a person who has left (update mode); about anyone else, or
            # in report mode, they learn only that the number cannot be registered here.
            if existing.current_enterprise_id is not None:
                self.refuse_id(raw, values, "employed_elsewhere")
                return None
            if self.mode == ImportMode.REPORT:
                self.refuse_id(raw, values, "left")
                return None
        enterprise = self._enterprise(raw, values)
        if "id_number" in values:
            category = self._retirement(raw, values, existing)
            if category is not None:
                values["retirement_category"] = category
        born = None
        if "id_number" in values:
            born = date(int(values["id_number"][6:10]), int(values["id_number"][10:12]),
                        int(values["id_number"][12:14]))
        for key, event in (("work_start_date", DatedEvent.WORK_START),
                           ("employment_start", DatedEvent.EMPLOYMENT_START)):
            if key in values and (error := event_date_error(event, values[key], today=self.today, birth=born)):
                self.error(raw, key, error)
        occupation = None
        if "occupation" in values:
            found = self.occupations.get(values["occupation"])
            if isinstance(found, Occupation):
                occupation = found
            elif found is not None:
                self.error(raw, "occupation", str(found))
        if existing is not None and self.mode == ImportMode.REPORT:
            self.error(raw, "id_number", "该身份证号的职工已登记（已存在）；如需更新请选择“更新已有记录”")
        if self.has_error(raw) or enterprise is None:
            return None

        fields = {k: v for k, v in values.items() if k in _WORKER_KEYS}
        if occupation is not None:
            fields["occupation"] = occupation
        position = values.get("position", "")
        start = values["employment_start"]
        if existing is None:
            fields = {"phone": "", "education": "", "is_frontline": True, "work_start_date": None,
                      "skill_level": None, "occupation": None, **fields}
            return WorkerPlan(raw.number, Status.NEW, None, fields, enterprise[0], enterprise[1], start, position)
        return self._update(raw, existing, fields, enterprise, start, position)

    def _update(
        self, raw: RawRow, existing: Worker, fields: dict[str, Any], enterprise: tuple[int, str], start: date,
        position: str,
    ) -> Plan | None:
        current = self.current.get(existing.pk)
        moves = existing.current_enterprise_id != enterprise[0]
        hidden = self.own is not None  # an operator: the worker's other employments are not theirs to see
        if moves and hidden and current is not None:
            self.refuse_id(raw, fields, "employed_elsewhere")
            return None
        if moves:
            try:
                check_next_employment(start, current_start=current.start_date if current is not None else None,
                                      last_end=self.last_end.get(existing.pk))
            except EmploymentConflict as exc:
                if hidden:
                    self.refuse_id(raw, fields, "left_later")
                else:
                    self.error(raw, "employment_start", str(exc))
                return None
        worker = existing  # each registered worker is planned at most once (duplicates are errors)
        before = snapshot(worker, WORKER_FIELDS)
        fields.pop("id_number", None)
        _apply_fields(worker, fields)
        changes = diff(before, snapshot(worker, WORKER_FIELDS))
        position_changed = not moves and current is not None and bool(position) and position != current.position
        if moves:
            former = existing.current_enterprise
            changes["enterprise"] = [former.name if former is not None else None, enterprise[1]]
        if position_changed and current is not None:
            changes["position"] = [current.position, position]
        status = Status.UPDATED if changes else Status.UNCHANGED
        return WorkerPlan(raw.number, status, worker, fields, enterprise[0], enterprise[1], start, position,
                          changes=changes, current=current, moves=moves, position_changed=position_changed)


# Certificates and honours -----------------------------------------------------------------


class WorkerRecordValidator(Validator):
    """Rows that belong to a registered worker in the actor's scope, found by ID number."""

    def prefetch_workers(self, rows: list[dict[str, Any]]) -> None:
        for values in rows:
            if "id_number" in values:
                values["_hash"] = lookup_hash(values["id_number"])
        hashes = {r["_hash"] for r in rows if "_hash" in r}
        self.today = timezone.localdate()
        self.workers: dict[str, Worker] = {}
        scope = Worker.objects.restrict(self.actor, Action.CHANGE).only(
            "pk", "name", "id_number_hash", "skill_level", "birth_date"
        )
        for w in self.matching(scope, "id_number_hash", hashes):  # a certificate may raise their level
            self.workers[w.id_number_hash] = w

    def worker_for(self, raw: RawRow, values: dict[str, Any]) -> Worker | None:
        if "_hash" not in values:
            return None
        worker = self.workers.get(values["_hash"])
        if worker is None:
            self.error(raw, "id_number", NOT_FOUND)
            return None
        if values.get("name") and normalise_name(values["name"]) != normalise_name(worker.name):
            self.error(raw, "name", "姓名与系统中该身份证号的职工不一致")
        return worker

    def check_date(self, raw: RawRow, values: dict[str, Any], key: str, event: DatedEvent, worker: Worker) -> None:
        """The row's date of ``event`` may be neither in the future nor before the worker's birth."""
        if key in values and (error := event_date_error(event, values[key], today=self.today,
                                                        birth=worker.birth_date)):
            self.error(raw, key, error)


class CertificateValidator(WorkerRecordValidator):
    kind = ImportKind.CERTIFICATES

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        self.prefetch_workers(rows)
        for values in rows:
            if "number" in values:
                level = SkillLevel(values["level"]) if "level" in values else None
                values["_check"] = check_certificate_number(values["number"], level)
        numbers = {r["_check"].number for r in rows if "_check" in r}
        self.certificates: dict[str, Certificate] = {}
        for c in matching(Certificate.objects.all(), "number", numbers):
            self.certificates[c.number] = c
        # Whose certificate a number is, the actor may learn only for workers they see.
        holders = {c.worker_id for c in self.certificates.values()}
        self.visible_holders: set[int] = holders
        if holders and not self.actor.is_admin:
            scope = Worker.objects.restrict(self.actor, Action.VIEW)
            self.visible_holders = {pk for pk, in matching(scope.values_list("pk"), "pk", holders)}
        self.start_refusals()
        # The occupation as printed, if the classification knows it (a code, name or alias): the
        # certificate links it; a name it does not know is kept as printed, not refused.
        resolved = resolve_occupations(r["occupation_name"] for r in rows if r.get("occupation_name"))
        self.occupations: dict[str, int | None] = {
            text: found.pk if isinstance(found, Occupation) else None for text, found in resolved.items()}
        self.seen: dict[str, int] = {}

    def check(self, raw: RawRow, values: dict[str, Any]) -> Plan | None:
        check = values.get("_check")
        if check is not None and not self.numbered_row(raw, "number"):
            return None
        worker = self.worker_for(raw, values)
        if check is not None and (first := self.first_seen(self.seen, check.number, raw)):
            self.error(raw, "number", f"与第 {first} 行的证书编号重复")
        if worker is not None:
            self.check_date(raw, values, "issued_on", DatedEvent.CERTIFICATE_ISSUED, worker)
        if worker is None or check is None or "level" not in values or "issued_on" not in values:
            return None
        occupation_name = values.get("occupation_name", "")
        certificate = Certificate(
            worker=worker, number=check.number, level=values["level"], issued_on=values["issued_on"],
            issuer=values.get("issuer", ""), occupation_name=occupation_name,
            occupation_id=self.occupations.get(occupation_name), warnings="；".join(check.warnings),
        )
        known = self.certificates.get(check.number)
        status = Status.NEW
        if known is not None and known.worker_id not in self.visible_holders:
            self.refuse(raw, "number", NEUTRAL_CERTIFICATE, {
                "certificate_number": mask_certificate_number(check.number), "reason": "certificate_elsewhere",
                "via": "import"})
            return None
        if known is not None:
            same = (known.worker_id == worker.pk and known.level == certificate.level
                    and known.issued_on == certificate.issued_on
                    and (not certificate.issuer or known.issuer == certificate.issuer)
                    and (not occupation_name or known.occupation_name == occupation_name))
            if not same:
                self.error(raw, "number", "该证书编号已登记，且与本行内容不一致")
            certificate, status = known, Status.UNCHANGED
        if self.has_error(raw):
            return None
        return CertificatePlan(raw.number, status, certificate, worker.name, warnings=list(check.warnings))


class HonourValidator(WorkerRecordValidator):
    kind = ImportKind.HONOURS

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        self.prefetch_workers(rows)
        self.honours: dict[tuple[int, str, date], Honour] = {}
        for chunk in _chunks(w.pk for w in self.workers.values()):
            for h in Honour.objects.filter(worker_id__in=chunk):
                self.honours[(h.worker_id, h.name, h.awarded_on)] = h
        self.seen: dict[tuple[str, str, date], int] = {}

    def check(self, raw: RawRow, values: dict[str, Any]) -> Plan | None:
        worker = self.worker_for(raw, values)
        if {"_hash", "honour", "awarded_on"} <= values.keys():
            key = (values["_hash"], values["honour"], values["awarded_on"])
            if first := self.first_seen(self.seen, key, raw):
                self.error(raw, "honour", f"与第 {first} 行重复（同一职工、同一荣誉、同一授予日期）")
        if worker is not None:
            self.check_date(raw, values, "awarded_on", DatedEvent.HONOUR_AWARDED, worker)
        if worker is None or not {"honour", "level", "awarded_on"} <= values.keys():
            return None
        honour = Honour(worker=worker, name=values["honour"], level=values["level"],
                        awarded_on=values["awarded_on"], issuer=values.get("issuer", ""))
        known = self.honours.get((worker.pk, honour.name, honour.awarded_on))
        status = Status.NEW
        if known is not None:
            if known.level != honour.level or (honour.issuer and known.issuer != honour.issuer):
                self.error(raw, "honour", "该职工在该日期已登记同名荣誉，但级别或授予单位不一致")
            honour, status = known, Status.UNCHANGED
        if self.has_error(raw):
            return None
        return HonourPlan(raw.number, status, honour, worker.name)
