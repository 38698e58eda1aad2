"""Excel import of innovation studios (创新工作室) through core's import engine, one row per studio.

A row names the studio, its enterprise (name or credit code; an operator may leave it blank: their
own), its leader by ID number (never echoed in clear: messages show the masked number), its level,
whether it is a 示范性 studio, its founding year and a description. The same rules as the pages
(services_studios): the leader a current worker of the studio's enterprise, the founding year
from 1949 to this year and not after the studio's first yearly result. A row naming a registered
studio updates it (re-importing a file never doubles it); a studio stays with its enterprise.
Operators import their own enterprise's studios only. All or nothing (core.imports.write); the
studios an import updates are locked while it is written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Min
from django.utils import timezone

from talentpool.core.audit import diff
from talentpool.core.crypto import lookup_hash
from talentpool.core.imports import Column, ImportKindSpec, ImportTemplate
from talentpool.core.imports.cells import CellError, choice_parser, is_number, parse_yes_no, text_parser
from talentpool.core.imports.reader import RawRow
from talentpool.core.imports.validate import Plan, Status, chunks
from talentpool.core.imports.validate import Validator as BaseValidator
from talentpool.core.imports.write import BATCH, ImportWriter, insert_instances
from talentpool.core.models import AuditAction
from talentpool.core.roles import Action, Role
from talentpool.registry.imports.schema import (
    HONOUR_LEVEL_ALIASES,
    HONOUR_LEVEL_LABELS,
    ID_HELP,
    parse_id_cell,
    shown_id_number,
)
from talentpool.registry.models import Enterprise, Worker
from talentpool.rules.text import normalise_code

from ..choices import RecordLevel
from ..models import Studio, StudioResult
from ..services_studios import FIRST_YEAR, snapshot
from .scope import importable_enterprises, importable_workers, may_import

NOT_FOUND = "未找到该职工或无权限"
NOT_THE_ENTERPRISE = "领衔人不是该企业的在职职工"

parse_level = choice_parser(
    dict(zip(HONOUR_LEVEL_LABELS, [str(v) for v in RecordLevel.values], strict=True)) | HONOUR_LEVEL_ALIASES,
    "级别",
    HONOUR_LEVEL_LABELS,
)


def parse_year_cell(value: Any, text: str) -> int:
    """A year as offices write it: 2018, 2018.0, “2018年”."""
    if is_number(value) and float(value).is_integer():
        return int(value)
    digits = text.removesuffix("年").strip()
    if len(digits) == 4 and digits.isdigit():
        return int(digits)
    raise CellError(f"无法识别的年份“{text}”，应为四位数年份，如 2018")


COLUMNS = (
    Column("name", "工作室名称", text_parser(120), required=True, aliases=("名称", "工作室"), width=32),
    Column(
        "enterprise",
        "所在企业",
        text_parser(100),
        aliases=("企业", "企业名称", "单位", "所在单位"),
        help="企业名称或统一社会信用代码；企业经办人可不填（即本企业）；管理员不填时为领衔人当前所在企业",
        width=30,
    ),
    Column(
        "leader_id",
        "领衔人身份证号",
        parse_id_cell,
        required=True,
        aliases=("领衔人身份证号码", "领办人身份证号", "负责人身份证号"),
        help=ID_HELP,
        is_text=True,
        mask=lambda value, text: shown_id_number(value),
        width=22,
    ),
    Column(
        "level", "级别", parse_level, required=True, aliases=("工作室级别", "层级"), choices=tuple(HONOUR_LEVEL_LABELS)
    ),
    Column("is_demonstration", "是否示范性", parse_yes_no, aliases=("示范性", "是否示范"), choices=("是", "否")),
    Column("founded_year", "创建年份", parse_year_cell, required=True, aliases=("成立年份", "成立时间", "创建时间")),
    Column("description", "简介", text_parser(2000), aliases=("工作室简介", "描述", "说明"), width=40),
)


@dataclass
class StudioPlan(Plan):
    studio: Studio


class StudioValidator(BaseValidator):
    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        self.this_year = timezone.localdate().year
        for values in rows:
            if "leader_id" in values:
                values["_leader_id"] = lookup_hash(values["leader_id"])
        hashes = {r["_leader_id"] for r in rows if "_leader_id" in r}
        scope = importable_workers(self.actor).only("pk", "name", "id_number_hash", "current_enterprise_id")
        self.workers: dict[str, Worker] = {w.id_number_hash: w for w in self.matching(scope, "id_number_hash", hashes)}
        self.enterprises: dict[str, Enterprise]
        self.own: Enterprise | None
        self.enterprises, self.own = importable_enterprises(self.actor)
        self.by_id = {e.pk: e for e in self.enterprises.values()}
        names = {r["name"] for r in rows if "name" in r}
        # the studios an update changes: locked while the import is written
        self.existing: dict[str, Studio] = {
            s.name: s for s in self.matching(Studio.objects.select_related("leader", "enterprise"), "name", names)
        }
        ids = [s.pk for s in self.existing.values()]
        self.changeable = (
            set(Studio.objects.restrict(self.actor, Action.CHANGE).filter(pk__in=ids).values_list("pk", flat=True))
            if ids
            else set()
        )
        self.first_result: dict[int, int] = {}
        for chunk in chunks(ids):
            found = StudioResult.objects.filter(studio_id__in=chunk).values("studio_id").annotate(first=Min("year"))
            self.first_result.update((r["studio_id"], r["first"]) for r in found)
        self.seen: dict[str, int] = {}

    def _enterprise(
        self, raw: RawRow, values: dict[str, Any], leader: Worker | None, known: Studio | None
    ) -> Enterprise | None:
        text = values.get("enterprise", "")
        if not text:
            if self.own is not None:
                return self.own
            if known is not None:
                return known.enterprise
            if leader is not None and leader.current_enterprise_id in self.by_id:
                return self.by_id[leader.current_enterprise_id]
            if leader is not None:
                self.error(raw, "enterprise", "请填写所在企业（企业名称或统一社会信用代码）")
            return None
        found = self.enterprises.get(text) or self.enterprises.get(normalise_code(text))
        if found is None:
            if self.own is not None:
                self.error(raw, "enterprise", f"只能导入本企业（{self.own.name}）的工作室；本列可不填")
            else:
                self.error(raw, "enterprise", f"系统中没有名称或统一社会信用代码为“{text}”的企业")
        return found

    def check(self, raw: RawRow, values: dict[str, Any]) -> Plan | None:
        leader = None
        if "_leader_id" in values:
            leader = self.workers.get(values["_leader_id"])
            if leader is None:
                self.error(raw, "leader_id", NOT_FOUND)
        name = values.get("name")
        known = self.existing.get(name) if name is not None else None
        enterprise = self._enterprise(raw, values, leader, known)
        if leader is not None and enterprise is not None and leader.current_enterprise_id != enterprise.pk:
            self.error(raw, "leader_id", NOT_THE_ENTERPRISE)
        year = values.get("founded_year")
        if year is not None and not FIRST_YEAR <= year <= self.this_year:
            self.error(raw, "founded_year", f"创建年份应在 {FIRST_YEAR} 至 {self.this_year} 年之间")
        if name is not None:
            if (first := self.first_seen(self.seen, name, raw)) is not None:
                self.error(raw, "name", f"与第 {first} 行的工作室名称重复")
            if known is not None and known.pk not in self.changeable:
                self.error(raw, "name", "该名称的工作室已登记在其他企业名下，无法更新")
            elif known is not None and enterprise is not None and known.enterprise_id != enterprise.pk:
                self.error(raw, "enterprise", f"该工作室登记在“{known.enterprise.name}”名下，导入不能更改所在企业")
            elif known is not None and year is not None:
                first_result = self.first_result.get(known.pk)
                if first_result is not None and year > first_result:
                    self.error(raw, "founded_year", f"该工作室已有 {first_result} 年的成果，创建年份不能晚于该年")
                elif known.closed_year is not None and year > known.closed_year:
                    self.error(raw, "founded_year", f"该工作室于 {known.closed_year} 年撤销，创建年份不能晚于该年")
        if self.has_error(raw) or leader is None or enterprise is None or name is None or year is None:
            return None
        fields = {
            "leader": leader,
            "level": values["level"],
            "is_demonstration": values.get("is_demonstration", False),
            "founded_year": year,
            "description": values.get("description", ""),
        }
        if known is None:
            studio = Studio(name=name, enterprise=enterprise, **fields)
            return StudioPlan(raw.number, Status.NEW, studio, changes=diff({}, snapshot(studio)))
        before = snapshot(known)
        for key, value in fields.items():
            setattr(known, key, value)
        changes = diff(before, snapshot(known))
        return StudioPlan(raw.number, Status.UPDATED if changes else Status.UNCHANGED, known, changes=changes)


UPDATE_FIELDS = ["leader", "level", "is_demonstration", "founded_year", "description", "updated_at", "version"]


class StudioWriter(ImportWriter):
    def write(self) -> None:
        new: list[StudioPlan] = self.plans(Status.NEW)
        for p in new:
            p.studio.created_at = p.studio.updated_at = self.now
        insert_instances(Studio, [p.studio for p in new])
        for p in new:
            self.audit.add(AuditAction.CREATE, p.studio, p.changes, object_repr=p.studio.name)
        updated: list[StudioPlan] = self.plans(Status.UPDATED)
        for p in updated:
            p.studio.updated_at = self.now
            self.audit.add(AuditAction.UPDATE, p.studio, p.changes, object_repr=p.studio.name)
            p.studio.version = F("version") + 1  # type: ignore[assignment]
        Studio.objects.bulk_update([p.studio for p in updated], UPDATE_FIELDS, batch_size=BATCH)
        self.advance(len(self.outcome.plans))


STUDIOS = ImportKindSpec(
    key="studios",
    label="创新工作室",
    columns=COLUMNS,
    match=StudioValidator,
    write=StudioWriter,
    roles=(Role.ADMIN, Role.OPERATOR),
    allowed=may_import,
    order=150,
    model=Studio,
    template=ImportTemplate(
        notes=(
            "每行一个工作室；领衔人须为所在企业已登记的在职职工；企业经办人只能导入本企业的工作室",
            "工作室名称已登记时更新该工作室，不会重复登记；已登记工作室的所在企业不能通过导入更改",
            "级别为国家级、省级、市级、区级或企业级；是否示范性填“是”或“否”，不填为否",
            "创建年份为四位数年份，不能晚于今年；成员和年度成果请在工作室页面登记",
        )
    ),
)
