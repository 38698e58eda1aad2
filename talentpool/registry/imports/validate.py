"""Validating every row of an import before anything is written.

Each kind parses its cells (errors name the Excel row, the Chinese column header and the reason),
then checks the row against the database: lookups are prefetched into dicts in a few queries,
never one query per row. The outcome is a plan per valid row (new / updated / unchanged) plus
the list of row errors; the writer refuses to run unless that list is empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from talentpool.core.audit import diff
from talentpool.core.crypto import lookup_hash
from talentpool.core.models import User
from talentpool.core.roles import Action
from talentpool.rules import masking
from talentpool.rules.employment import EmploymentConflict, check_next_employment
from talentpool.rules.masking import mask_certificate_number
from talentpool.rules.skills import SkillLevel, check_certificate_number
from talentpool.rules.text import normalise_code, normalise_text

from ..models import Certificate, Employment, Enterprise, Honour, Industry, Occupation, Worker
from ..services import (
    ENTERPRISE_FIELDS,
    REFUSAL_WINDOW,
    WORKER_FIELDS,
    _apply_fields,
    refusal_allowance,
    snapshot,
)
from .reader import RawRow, Sheet
from .schema import Cell, Column, ImportKind, ImportMode, shown_id_number

if TYPE_CHECKING:
    from talentpool.core.jobs import Progress

CHUNK = 900  # parameters per IN (...) query, well below SQLite's limit
NOT_FOUND = "未找到该职工或无权限"
# An operator is told no more than this about an ID or certificate number held by a record they
# cannot see (the same words as services.neutral_id_message / neutral_certificate_message).
NEUTRAL_ID = "该身份证号无法在本企业登记。如此人已调入本企业，请联系区总工会办理调动。"
NEUTRAL_CERTIFICATE = "该证书编号无法使用。请核对证书上的编号；如编号无误，请联系区总工会。"
THROTTLED = "过去一小时内被拒绝的登记过多，按身份证号或证书编号登记已暂停至 {time}。如有急需，请联系区总工会。"


class Status(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    ERROR = "error"


STATUS_LABELS = {Status.NEW: "新增", Status.UPDATED: "更新", Status.UNCHANGED: "无变化", Status.ERROR: "错误"}


@dataclass(frozen=True)
class RowError:
    row: int  # Excel row number (header = 1)
    column: str  # Chinese header
    value: str  # the cell as shown to the user; ID numbers masked
    reason: str  # Chinese

    @property
    def message(self) -> str:
        return _("Row %(row)s, column “%(column)s”: %(reason)s") % {
            "row": self.row, "column": self.column, "reason": self.reason,
        }

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass
class Plan:
    row: int
    status: Status


@dataclass
class EnterprisePlan(Plan):
    enterprise: Enterprise
    changes: dict[str, Any]


@dataclass
class WorkerPlan(Plan):
    worker: Worker | None  # None for a new worker; the registered one with the file's values applied
    fields: dict[str, Any]  # for services._apply_fields on a new worker
    enterprise_id: int
    enterprise_name: str
    employment_start: date
    position: str
    changes: dict[str, Any] = field(default_factory=dict)
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


@dataclass
class Outcome:
    sheet: Sheet
    mode: ImportMode
    plans: list[Plan]
    errors: list[RowError]
    statuses: dict[int, Status]
    values: list[dict[str, Any]]  # each row's parsed cells (before the database checks)
    # Rows refused with the neutral message, as audit ``changes`` (masked number, reason): the
    # caller records them (services.record_refusals) once any transaction around the check is over.
    refusals: list[dict[str, Any]] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(["new", "updated", "unchanged"], 0)
        for plan in self.plans:
            counts[plan.status.value] += 1
        counts["errors"] = len({e.row for e in self.errors})
        return counts

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = list(values)
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def matching(queryset: QuerySet[Any], field: str, values: Iterable[Any]) -> Iterable[Any]:
    """The rows of ``queryset`` whose ``field`` is one of ``values``: one ``= ANY(array)`` query
    on PostgreSQL (core/lookups.py), ``IN`` queries of CHUNK values elsewhere."""
    items = list(values)
    if not items:
        return
    if connection.vendor == "postgresql":
        yield from queryset.order_by().filter(**{f"{field}__any": items})
        return
    for chunk in _chunks(items):
        yield from queryset.order_by().filter(**{f"{field}__in": chunk})


class Validator:
    """Parses and checks the rows of one sheet for one actor."""

    kind: ImportKind

    def __init__(self, sheet: Sheet, *, actor: User, mode: ImportMode) -> None:
        self.sheet = sheet
        self.spec = sheet.spec
        self.actor = actor
        self.mode = mode
        self.errors: list[RowError] = []
        self._error_rows: set[int] = set()
        self.present = sheet.present
        self._memo: dict[str, dict[str, tuple[bool, Any]]] = {c.key: {} for c in self.present if not c.is_id_number}
        self.refusals: list[dict[str, Any]] = []
        self.numbered: list[tuple[RawRow, str]] = []  # rows registering by ID or certificate number
        self.allowance, self.paused_until = 1 << 30, None

    # Errors -----------------------------------------------------------------------------

    def shown(self, column: Column, value: Cell, text: str) -> str:
        if not text:
            return ""
        if column.is_id_number:
            return shown_id_number(value)
        return text if len(text) <= 40 else text[:39] + "…"

    def error(self, raw: RawRow, key: str, reason: str) -> None:
        column = self.spec.column(key)
        shown = self.shown(column, raw.cells.get(key), raw.texts.get(key, ""))
        self.errors.append(RowError(raw.number, column.header, shown, reason))
        self._error_rows.add(raw.number)

    def has_error(self, raw: RawRow) -> bool:
        return raw.number in self._error_rows

    # Running ----------------------------------------------------------------------------

    def parse(self, raw: RawRow) -> dict[str, Any]:
        values: dict[str, Any] = {}
        texts = raw.texts
        for column in self.present:
            key = column.key
            text = texts[key]
            if not text:
                if column.required:
                    self.error(raw, key, "必填项为空")
                continue
            cell = raw.cells[key]
            # A text cell's value depends on its text alone (see schema): each distinct text of a
            # column is parsed once. ID numbers are unique and personal: not kept.
            memo = self._memo.get(key) if type(cell) is str else None
            if memo is not None and text in memo:
                ok, result = memo[text]
            else:
                try:
                    ok, result = True, column.parse(cell, text)
                except ValueError as exc:
                    ok, result = False, str(exc)
                if memo is not None:
                    memo[text] = (ok, result)
            if ok:
                values[key] = result
            else:
                self.error(raw, key, result)
        return values

    def run(self, progress: Progress | None = None, parsed_values: list[dict[str, Any]] | None = None) -> Outcome:
        rows = self.sheet.rows
        base = progress.job.progress_done if progress is not None else 0
        parsed: list[tuple[RawRow, dict[str, Any]]] = []
        if parsed_values is None:
            for index, raw in enumerate(rows, start=1):
                parsed.append((raw, self.parse(raw)))
                if progress is not None:
                    progress.advance(base + index)
        else:
            parsed = list(zip(rows, parsed_values, strict=True))
        clean = [dict(values) for _, values in parsed]  # before the checks add their lookups
        self.prefetch([values for _, values in parsed])
        plans: list[Plan] = []
        statuses: dict[int, Status] = {}
        for raw, values in parsed:
            plan = self.check(raw, values)
            if self.has_error(raw) or plan is None:
                statuses[raw.number] = Status.ERROR
            else:
                plans.append(plan)
                statuses[raw.number] = plan.status
        if len(self.refusals) > self.allowance:
            plans = self.pause(plans, statuses)
        self.errors.sort(key=lambda e: e.row)
        return Outcome(self.sheet, self.mode, plans, self.errors, statuses, clean, self.refusals)

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def check(self, raw: RawRow, values: dict[str, Any]) -> Plan | None:
        raise NotImplementedError

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

    # Shared lookups ---------------------------------------------------------------------

    def first_seen(self, seen: dict[Any, int], key: Any, raw: RawRow) -> int | None:
        """The row where ``key`` first appeared in this file, or None (and remember this row)."""
        if key in seen:
            return seen[key]
        seen[key] = raw.number
        return None


# Enterprises ------------------------------------------------------------------------------


class EnterpriseValidator(Validator):
    kind = ImportKind.ENTERPRISES

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        self.industries = {normalise_text(i.name).replace(" ", ""): i for i in Industry.objects.all()}
        codes = {r["uscc"] for r in rows if "uscc" in r}
        names = {r["name"] for r in rows if "name" in r}
        self.by_uscc: dict[str, Enterprise] = {}
        self.by_name: dict[str, Enterprise] = {}
        for chunk in _chunks(codes):
            for e in Enterprise.objects.filter(uscc__in=chunk).select_related("industry"):
                self.by_uscc[e.uscc] = e
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
            return EnterprisePlan(raw.number, Status.NEW, enterprise, diff({}, snapshot(enterprise, ENTERPRISE_FIELDS)))
        enterprise = existing  # each registered enterprise is planned at most once (duplicates are errors)
        before = snapshot(enterprise, ENTERPRISE_FIELDS)
        for key, value in fields.items():
            setattr(enterprise, key, value)
        changes = diff(before, snapshot(enterprise, ENTERPRISE_FIELDS))
        return EnterprisePlan(raw.number, Status.UPDATED if changes else Status.UNCHANGED, enterprise, changes)


# Workers ----------------------------------------------------------------------------------


_WORKER_KEYS = frozenset(WORKER_FIELDS)


class WorkerValidator(Validator):
    kind = ImportKind.WORKERS

    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        for values in rows:
            if "id_number" in values:
                values["_hash"] = lookup_hash(values["id_number"])
        hashes = {r["_hash"] for r in rows if "_hash" in r}
        self.existing: dict[str, Worker] = {}
        for w in matching(Worker.objects.select_related("occupation", "current_enterprise"), "id_number_hash",
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
        codes = {r["occupation"] for r in rows if "occupation" in r}
        self.occupations: dict[str, Occupation] = {}
        for chunk in _chunks(codes):
            for o in Occupation.objects.filter(code__in=chunk):
                self.occupations[o.code] = o
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
            if male and category != "man":
                self.error(raw, "retirement_category", "身份证号显示为男性，退休类别应为男职工")
            elif not male and category == "man":
                self.error(raw, "retirement_category",
                           "身份证号显示为女性，退休类别应为女职工（55岁）或女职工（50岁）")
            return category
        if male:
            return "man"
        if existing is not None and existing.retirement_category != "man":
            return None  # keep the registered category
        self.error(raw, "retirement_category",
                   "女职工须填写退休类别：女职工（55岁）（干部、管理技术岗）或女职工（50岁）（工人）")
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
            born = date(int(values["id_number"][6:10]), int(values["id_number"][10:12]),
                        int(values["id_number"][12:14]))
            for key in ("employment_start", "work_start_date"):
                if key in values and values[key] <= born:
                    self.error(raw, key, f"日期 {values[key].isoformat()} 早于出生日期")
        occupation = None
        if "occupation" in values:
            occupation = self.occupations.get(values["occupation"])
            if occupation is None:
                self.error(raw, "occupation", f"职业编码“{values['occupation']}”不在职业分类中")
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
        self.workers: dict[str, Worker] = {}
        scope = Worker.objects.restrict(self.actor, Action.CHANGE).only("pk", "name", "id_number_hash", "skill_level")
        for w in matching(scope, "id_number_hash", hashes):
            self.workers[w.id_number_hash] = w

    def worker_for(self, raw: RawRow, values: dict[str, Any]) -> Worker | None:
        if "_hash" not in values:
            return None
        worker = self.workers.get(values["_hash"])
        if worker is None:
            self.error(raw, "id_number", NOT_FOUND)
            return None
        if values.get("name") and normalise_text(values["name"]) != normalise_text(worker.name):
            self.error(raw, "name", "姓名与系统中该身份证号的职工不一致")
        return worker


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
        names = {r["occupation_name"] for r in rows if r.get("occupation_name")}
        self.occupations: dict[str, int | None] = {}
        for chunk in _chunks(names):
            for o in Occupation.objects.filter(Q(code__in=chunk) | Q(name__in=chunk)).only("pk", "code", "name"):
                self.occupations[o.code] = o.pk
                # A name two occupations share identifies neither.
                self.occupations[o.name] = None if o.name in self.occupations else o.pk
        self.seen: dict[str, int] = {}

    def check(self, raw: RawRow, values: dict[str, Any]) -> Plan | None:
        check = values.get("_check")
        if check is not None and not self.numbered_row(raw, "number"):
            return None
        worker = self.worker_for(raw, values)
        if check is not None and (first := self.first_seen(self.seen, check.number, raw)):
            self.error(raw, "number", f"与第 {first} 行的证书编号重复")
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
        return CertificatePlan(raw.number, status, certificate, worker.name)


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


VALIDATORS: dict[ImportKind, type[Validator]] = {
    ImportKind.ENTERPRISES: EnterpriseValidator,
    ImportKind.WORKERS: WorkerValidator,
    ImportKind.CERTIFICATES: CertificateValidator,
    ImportKind.HONOURS: HonourValidator,
}


def validate_sheet(
    sheet: Sheet,
    *,
    actor: User,
    mode: ImportMode | str,
    progress: Progress | None = None,
    parsed_values: list[dict[str, Any]] | None = None,
) -> Outcome:
    """Parse and check every row of ``sheet``; nothing is written.

    With ``parsed_values`` (the ``Outcome.values`` of an earlier run on the same file) the cells
    are not parsed again: only the checks against the database run."""
    validator = VALIDATORS[sheet.spec.kind](sheet, actor=actor, mode=ImportMode(mode))
    return validator.run(progress, parsed_values)

