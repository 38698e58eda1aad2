"""Excel import of master–apprentice pairs (师徒结对) through core's import engine.

A row names the master and the apprentice by ID number (never echoed in clear: messages show the
masked number). The same rules as the pages (rules.mentorship): not one's own master, dates, and
no overlap with an existing pair of the same two workers or with another row of the file. A row
with the master, apprentice and start date of an existing pair updates that pair (re-importing a
file never doubles it). Operators import pairs of their own current workers only; admins may name
a master from any enterprise. All or nothing (core.imports.write); the workers named are locked
while the import is written, as the service locks the apprentice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.utils import timezone

from talentpool.core.audit import diff
from talentpool.core.crypto import lookup_hash
from talentpool.core.imports import Column, ImportKindSpec, ImportTemplate
from talentpool.core.imports.cells import DATE_HELP, parse_date_cell, parse_yes_no, text_parser
from talentpool.core.imports.reader import RawRow
from talentpool.core.imports.validate import Plan, Status, chunks
from talentpool.core.imports.validate import Validator as BaseValidator
from talentpool.core.imports.write import BATCH, ImportWriter, insert_instances
from talentpool.core.models import AuditAction
from talentpool.core.roles import Action, Role
from talentpool.registry.imports.schema import ID_HELP, parse_id_cell, parse_skill_level, shown_id_number
from talentpool.registry.models import Worker
from talentpool.rules.mentorship import (
    OVERLAP,
    InvalidAmount,
    Period,
    date_errors,
    overlapping,
    own_master_error,
    parse_yuan,
)

from ..choices import MentorshipStatus
from ..models import Mentorship
from ..services_mentorship import snapshot
from .scope import importable_workers, may_import

NOT_FOUND = "未找到该职工或无权限"
NOT_EMPLOYED = "该徒弟当前没有在职企业，无法结对"


def parse_benefit_cell(value: Any, text: str) -> Any:
    try:
        return str(parse_yuan(value if isinstance(value, int | float) and not isinstance(value, bool) else text))
    except InvalidAmount as exc:
        raise ValueError(str(exc)) from exc


def _id_column(key: str, header: str, aliases: tuple[str, ...]) -> Column:
    return Column(
        key,
        header,
        parse_id_cell,
        required=True,
        aliases=aliases,
        help=ID_HELP,
        is_text=True,
        mask=lambda value, text: shown_id_number(value),
        width=22,
    )


COLUMNS = (
    _id_column("master_id", "师傅身份证号", ("师傅身份证号码", "师傅身份证")),
    _id_column("apprentice_id", "徒弟身份证号", ("徒弟身份证号码", "徒弟身份证")),
    Column(
        "start_date",
        "开始日期",
        parse_date_cell,
        required=True,
        aliases=("结对日期", "结对时间", "开始时间"),
        help=DATE_HELP,
        is_date=True,
    ),
    Column(
        "end_date",
        "结束日期",
        parse_date_cell,
        aliases=("结束时间", "出师日期"),
        help="不填表示结对进行中；" + DATE_HELP,
        is_date=True,
    ),
    Column("is_famous_master", "是否名师带徒", parse_yes_no, aliases=("名师带徒",), choices=("是", "否")),
    Column("goals", "目标", text_parser(2000), aliases=("带徒目标", "培养目标"), width=30),
    Column("apprentice_level_gained", "徒弟取得等级", parse_skill_level, aliases=("取得等级",)),
    Column("competition_results", "竞赛成绩", text_parser(2000), width=30),
    Column("benefit", "创造效益（元）", parse_benefit_cell, aliases=("创造效益(元)", "创造效益", "效益（元）")),
)


@dataclass
class PairPlan(Plan):
    pair: Mentorship


class MentorshipValidator(BaseValidator):
    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        self.today = timezone.localdate()
        for values in rows:
            for key in ("master_id", "apprentice_id"):
                if key in values:
                    values[f"_{key}"] = lookup_hash(values[key])
        hashes = {r[k] for r in rows for k in ("_master_id", "_apprentice_id") if k in r}
        scope = importable_workers(self.actor, employed_only=False).only(
            "pk", "name", "birth_date", "id_number_hash", "current_enterprise_id"
        )
        self.workers: dict[str, Worker] = {w.id_number_hash: w for w in self.matching(scope, "id_number_hash", hashes)}
        ids = [w.pk for w in self.workers.values()]
        self.pairs: dict[tuple[int, int], list[Mentorship]] = {}
        for chunk in chunks(ids):
            for pair in Mentorship.objects.filter(apprentice_id__in=chunk).select_related(
                "master", "apprentice", "enterprise"
            ):
                self.pairs.setdefault((pair.master_id, pair.apprentice_id), []).append(pair)
        self.changeable = (
            set(
                Mentorship.objects.restrict(self.actor, Action.CHANGE)
                .filter(apprentice_id__in=ids)
                .values_list("pk", flat=True)
            )
            if ids
            else set()
        )
        self.seen: dict[tuple[int, int], list[tuple[int, Period]]] = {}

    def _worker(self, raw: RawRow, values: dict[str, Any], key: str) -> Worker | None:
        if f"_{key}" not in values:
            return None
        worker = self.workers.get(values[f"_{key}"])
        if worker is None:
            self.error(raw, key, NOT_FOUND)
        return worker

    def check(self, raw: RawRow, values: dict[str, Any]) -> Plan | None:
        master = self._worker(raw, values, "master_id")
        apprentice = self._worker(raw, values, "apprentice_id")
        if master is None or apprentice is None or "start_date" not in values:
            return None
        if error := own_master_error(master.pk, apprentice.pk):
            self.error(raw, "apprentice_id", error)
            return None
        if apprentice.current_enterprise_id is None:
            self.error(raw, "apprentice_id", NOT_EMPLOYED)
        start, end = values["start_date"], values.get("end_date")
        for key, message in date_errors(
            start, end, today=self.today, master_birth=master.birth_date, apprentice_birth=apprentice.birth_date
        ).items():
            self.error(raw, key, message)
        period = Period(start, end)
        couple = (master.pk, apprentice.pk)
        for row, other in self.seen.get(couple, []):
            if other.start == start:
                self.error(raw, "start_date", f"与第 {row} 行重复（同一师傅、徒弟和开始日期）")
                break
            if overlapping(period, [other]):
                self.error(raw, "start_date", f"与第 {row} 行的结对时间重叠")
                break
        self.seen.setdefault(couple, []).append((raw.number, period))
        existing = [p for p in self.pairs.get(couple, []) if p.start_date == start]
        known = existing[0] if existing else None
        others = [Period(p.start_date, p.end_date) for p in self.pairs.get(couple, []) if p is not known]
        if overlapping(period, others):
            self.error(raw, "start_date", OVERLAP)
        if known is not None and known.pk not in self.changeable:
            self.error(raw, "apprentice_id", "该结对记录属于其他企业，无法更新")
        if self.has_error(raw):
            return None
        fields = {
            "end_date": end,
            "is_famous_master": values.get("is_famous_master", False),
            "goals": values.get("goals", ""),
            "apprentice_level_gained": values.get("apprentice_level_gained"),
            "competition_results": values.get("competition_results", ""),
            "benefit": parse_yuan(values["benefit"]) if "benefit" in values else parse_yuan(0),
        }
        closed = end is not None and end <= self.today
        if known is None:
            status = MentorshipStatus.COMPLETED if closed else MentorshipStatus.ACTIVE
            pair = Mentorship(
                master=master,
                apprentice=apprentice,
                enterprise_id=apprentice.current_enterprise_id,
                start_date=start,
                status=status,
                **fields,
            )
            changes = diff({}, snapshot_new(pair, master, apprentice))
            return PairPlan(raw.number, Status.NEW, pair, changes=changes)
        before = snapshot(known)
        for key, value in fields.items():
            setattr(known, key, value)
        if closed and known.status == MentorshipStatus.ACTIVE:
            known.status = MentorshipStatus.COMPLETED
        changes = diff(before, snapshot(known))
        return PairPlan(raw.number, Status.UPDATED if changes else Status.UNCHANGED, known, changes=changes)

    def finish(self, plans: list[Plan], statuses: dict[int, Status]) -> list[Plan]:
        return plans


def snapshot_new(pair: Mentorship, master: Worker, apprentice: Worker) -> dict[str, Any]:
    values = {k: v for k, v in snapshot_fields(pair).items()}
    values.update(master=master.name, apprentice=apprentice.name)
    return values


def snapshot_fields(pair: Mentorship) -> dict[str, Any]:
    from ..services_mentorship import AUDITED_FIELDS

    return {f: getattr(pair, f) for f in AUDITED_FIELDS if f not in {"master", "apprentice", "enterprise"}}


UPDATE_FIELDS = [
    "end_date",
    "is_famous_master",
    "goals",
    "apprentice_level_gained",
    "competition_results",
    "benefit",
    "status",
    "updated_at",
    "version",
]


class MentorshipWriter(ImportWriter):
    def write(self) -> None:
        new: list[PairPlan] = self.plans(Status.NEW)
        for p in new:
            p.pair.created_at = p.pair.updated_at = self.now
        insert_instances(Mentorship, [p.pair for p in new])
        for p in new:
            self.audit.add(
                AuditAction.CREATE, p.pair, p.changes, object_repr=f"{p.pair.master.name} → {p.pair.apprentice.name}"
            )
        updated: list[PairPlan] = self.plans(Status.UPDATED)
        for p in updated:
            p.pair.updated_at = self.now
            self.audit.add(
                AuditAction.UPDATE, p.pair, p.changes, object_repr=f"{p.pair.master.name} → {p.pair.apprentice.name}"
            )
            p.pair.version = F("version") + 1  # type: ignore[assignment]
        Mentorship.objects.bulk_update([p.pair for p in updated], UPDATE_FIELDS, batch_size=BATCH)
        self.advance(len(self.outcome.plans))


MENTORSHIPS = ImportKindSpec(
    key="mentorships",
    label="师徒结对",
    columns=COLUMNS,
    match=MentorshipValidator,
    write=MentorshipWriter,
    roles=(Role.ADMIN, Role.OPERATOR),
    allowed=may_import,
    order=140,
    model=Mentorship,
    template=ImportTemplate(
        notes=(
            "师傅、徒弟须为已登记的在职职工；企业操作员只能导入本企业职工的结对",
            "结对记在徒弟当前所在企业名下",
            "同一师傅、徒弟、开始日期的结对已存在时更新该结对，不会重复登记",
            "同一对师徒的结对时间不能重叠（某一天同属两段结对即为重叠，结束日期当天也算）",
            "结束日期不填表示结对进行中；结束日期不晚于今天的结对记为已出师",
        )
    ),
)
