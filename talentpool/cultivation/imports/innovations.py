"""Excel import of "五小" innovations through core's import engine, one row per innovation.

A row names the innovation's title, its kind (小发明, 小创造, 小革新, 小设计, 小建议), the submitting
enterprise (name or credit code; an operator may leave it blank: their own; an admin's blank is
the leader's current enterprise), the date it was submitted, its team by ID numbers separated by
“、” or “,” (the first leads it; never echoed in clear: messages say which number, and show the
masked ones), whether it was adopted, its economic benefit (yuan, not negative), its social benefit
and a description. The same rules as the pages (services_innovations): every member a current
worker of the submitting enterprise, the submission date not after today. A row with the title,
enterprise and submission date of a registered innovation updates it while it is only submitted
(re-importing a file never doubles it). Operators import their own enterprise's innovations only.
All or nothing (core.imports.write); the innovations an import updates are locked while it is
written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils import timezone

from talentpool.core.audit import diff
from talentpool.core.crypto import lookup_hash
from talentpool.core.imports import Column, ImportKindSpec, ImportTemplate
from talentpool.core.imports.cells import (
    DATE_HELP,
    CellError,
    choice_parser,
    parse_date_cell,
    parse_yes_no,
    text_parser,
)
from talentpool.core.imports.reader import RawRow
from talentpool.core.imports.validate import Plan, Status, chunks
from talentpool.core.imports.validate import Validator as BaseValidator
from talentpool.core.imports.write import BATCH, ImportWriter, insert_instances
from talentpool.core.models import AuditAction
from talentpool.core.roles import Action, Role
from talentpool.registry.imports.schema import parse_id_cell, shown_id_number
from talentpool.registry.models import Enterprise, Worker
from talentpool.rules.text import normalise_code, normalise_text

from ..choices import InnovationKind, InnovationStatus, MemberRole
from ..models import Innovation, InnovationMember
from ..services_innovations import MAX_TEAM, snapshot
from .mentorship import parse_benefit_cell
from .scope import importable_enterprises, importable_workers, may_import

SEPARATORS = re.compile(r"[、,，;；\s]+")
KIND_LABELS = ["小发明", "小创造", "小革新", "小设计", "小建议"]
parse_kind = choice_parser(
    dict(zip(KIND_LABELS, [str(v) for v in InnovationKind.values], strict=True))
    | {"发明": "invention", "创造": "creation", "革新": "innovation", "设计": "design", "建议": "suggestion"},
    "成果类别",
    KIND_LABELS,
)


def _numbers(text: str) -> list[str]:
    return [part for part in SEPARATORS.split(text.strip()) if part]


def parse_members_cell(value: Any, text: str) -> tuple[str, ...]:
    """The team's ID numbers, in order, separated by “、” or “,” (also “，”, “;” or spaces)."""
    if not isinstance(value, str):
        # a single number Excel stored as a number: parse_id_cell explains the lost digits
        return (parse_id_cell(value, text),)
    parts = _numbers(text)
    if len(parts) > MAX_TEAM:
        raise CellError(f"团队成员最多 {MAX_TEAM} 人，实为 {len(parts)} 人")
    numbers: list[str] = []
    for position, part in enumerate(parts, start=1):
        try:
            numbers.append(parse_id_cell(part, part))
        except ValueError as exc:
            raise CellError(f"第 {position} 个身份证号：{exc}") from None
    for position, number in enumerate(numbers, start=1):
        if numbers.index(number) != position - 1:
            raise CellError(f"第 {position} 个身份证号与第 {numbers.index(number) + 1} 个重复")
    return tuple(numbers)


def _shown_members(value: Any, text: str) -> str:
    if not isinstance(value, str):
        return shown_id_number(value)
    return "、".join(shown_id_number(part) for part in _numbers(text))


COLUMNS = (
    Column("title", "成果名称", text_parser(200), required=True, aliases=("名称", "项目名称", "成果"), width=32),
    Column(
        "kind",
        "成果类别",
        parse_kind,
        required=True,
        aliases=("类别", "五小类别", "类型"),
        choices=tuple(KIND_LABELS),
    ),
    Column(
        "enterprise",
        "申报企业",
        text_parser(100),
        aliases=("企业", "企业名称", "单位", "申报单位"),
        help="企业名称或统一社会信用代码；企业经办人可不填（即本企业）；管理员不填时为第一位成员（负责人）当前所在企业",
        width=30,
    ),
    Column(
        "submitted_on",
        "申报日期",
        parse_date_cell,
        required=True,
        aliases=("提交日期", "申报时间"),
        help=DATE_HELP,
        is_date=True,
    ),
    Column(
        "members",
        "团队成员身份证号",
        parse_members_cell,
        required=True,
        aliases=("成员身份证号", "团队成员", "完成人身份证号"),
        help="18 位公民身份号码，多人用“、”或“,”分隔，第一位为负责人；本列已设为文本格式",
        is_text=True,
        mask=_shown_members,
        width=40,
    ),
    Column("is_adopted", "是否采纳", parse_yes_no, aliases=("采纳", "已采纳"), choices=("是", "否")),
    Column(
        "economic_benefit",
        "经济效益（元）",
        parse_benefit_cell,
        aliases=("经济效益(元)", "经济效益", "效益（元）"),
        help="单位为元，不能为负数；不填表示未测算",
    ),
    Column("social_benefit", "社会效益", text_parser(2000), width=30),
    Column("description", "成果简介", text_parser(5000), aliases=("简介", "描述", "说明"), width=40),
)


@dataclass
class InnovationPlan(Plan):
    innovation: Innovation
    team: list[Worker] = field(default_factory=list)
    team_changed: bool = True


class InnovationValidator(BaseValidator):
    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        self.today = timezone.localdate()
        for values in rows:
            if "members" in values:
                values["_members"] = [lookup_hash(n) for n in values["members"]]
        hashes = {h for r in rows for h in r.get("_members", ())}
        scope = importable_workers(self.actor).only("pk", "name", "id_number_hash", "current_enterprise_id")
        self.workers: dict[str, Worker] = {w.id_number_hash: w for w in self.matching(scope, "id_number_hash", hashes)}
        self.enterprises: dict[str, Enterprise]
        self.own: Enterprise | None
        self.enterprises, self.own = importable_enterprises(self.actor)
        self.by_id = {e.pk: e for e in self.enterprises.values()}
        titles = {r["title"] for r in rows if "title" in r}
        # the innovations an update changes: locked while the import is written
        self.existing: dict[tuple[str, int, Any], Innovation] = {}
        for innovation in self.matching(Innovation.objects.select_related("enterprise"), "title", titles):
            self.existing[(innovation.title, innovation.enterprise_id, innovation.submitted_on)] = innovation
        ids = [i.pk for i in self.existing.values()]
        self.changeable = (
            set(Innovation.objects.restrict(self.actor, Action.CHANGE).filter(pk__in=ids).values_list("pk", flat=True))
            if ids
            else set()
        )
        self.teams: dict[int, list[Worker]] = {}
        for chunk in chunks(ids):
            for member in (
                InnovationMember.objects.filter(innovation_id__in=chunk)
                .select_related("worker")
                .only("innovation_id", "order", "worker__name", "worker__current_enterprise_id")
                .order_by("innovation_id", "order", "pk")
            ):
                self.teams.setdefault(member.innovation_id, []).append(member.worker)
        self.seen: dict[tuple[str, int, Any], int] = {}

    def _enterprise(self, raw: RawRow, values: dict[str, Any], leader: Worker | None) -> Enterprise | None:
        text = values.get("enterprise", "")
        if not text:
            if self.own is not None:
                return self.own
            if leader is not None and leader.current_enterprise_id in self.by_id:
                return self.by_id[leader.current_enterprise_id]
            if leader is not None:
                self.error(raw, "enterprise", "请填写申报企业（企业名称或统一社会信用代码）")
            return None
        found = self.enterprises.get(normalise_text(text)) or self.enterprises.get(normalise_code(text))
        if found is None:
            if self.own is not None:
                self.error(raw, "enterprise", f"只能导入本企业（{self.own.name}）的成果；本列可不填")
            else:
                self.error(raw, "enterprise", f"系统中没有名称或统一社会信用代码为“{text}”的企业")
        return found

    def _team(self, raw: RawRow, values: dict[str, Any]) -> list[Worker] | None:
        if "_members" not in values:
            return None
        team: list[Worker] = []
        missing = []
        for position, digest in enumerate(values["_members"], start=1):
            worker = self.workers.get(digest)
            if worker is None:
                missing.append(str(position))
            else:
                team.append(worker)
        if missing:
            self.error(raw, "members", f"第 {'、'.join(missing)} 个身份证号未找到该职工或无权限")
            return None
        return team

    def check(self, raw: RawRow, values: dict[str, Any]) -> Plan | None:
        team = self._team(raw, values)
        enterprise = self._enterprise(raw, values, team[0] if team else None)
        if team and enterprise is not None:
            outsiders = [
                f"第 {i} 个（{w.name}）" for i, w in enumerate(team, 1) if w.current_enterprise_id != enterprise.pk
            ]
            if outsiders:
                self.error(raw, "members", f"{'、'.join(outsiders)}成员不是申报企业的在职职工")
        submitted = values.get("submitted_on")
        if submitted is not None and submitted > self.today:
            self.error(raw, "submitted_on", f"申报日期不能晚于今天（{self.today.isoformat()}）")
        title = values.get("title")
        known = None
        if title is not None and enterprise is not None and submitted is not None:
            key = (title, enterprise.pk, submitted)
            if (first := self.first_seen(self.seen, key, raw)) is not None:
                self.error(raw, "title", f"与第 {first} 行重复（同一成果名称、申报企业和申报日期）")
            known = self.existing.get(key)
            if known is not None and known.pk not in self.changeable:
                self.error(raw, "title", "该成果属于其他企业，无法更新")
            elif known is not None and known.status != InnovationStatus.SUBMITTED:
                self.error(raw, "title", "该成果已评审，不能通过导入修改")
        if self.has_error(raw) or team is None or enterprise is None or title is None or submitted is None:
            return None
        benefit = values.get("economic_benefit")
        fields = {
            "kind": values["kind"],
            "is_adopted": values.get("is_adopted", False),
            "economic_benefit": None if benefit is None else Decimal(benefit),
            "social_benefit": values.get("social_benefit", ""),
            "description": values.get("description", ""),
        }
        if known is None:
            innovation = Innovation(title=title, enterprise=enterprise, submitted_on=submitted, **fields)
            return InnovationPlan(
                raw.number, Status.NEW, innovation, team=team, changes=diff({}, snapshot(innovation, team))
            )
        current = self.teams.get(known.pk, [])
        before = snapshot(known, current)
        for name, value in fields.items():
            setattr(known, name, value)
        if not known.is_adopted:
            known.adopted_on = None
        changes = diff(before, snapshot(known, team))
        team_changed = [w.pk for w in team] != [w.pk for w in current]
        status = Status.UPDATED if changes else Status.UNCHANGED
        return InnovationPlan(raw.number, status, known, team=team, team_changed=team_changed, changes=changes)


UPDATE_FIELDS = [
    "kind",
    "is_adopted",
    "adopted_on",
    "economic_benefit",
    "social_benefit",
    "description",
    "updated_at",
    "version",
]


def _members(plan: InnovationPlan) -> list[InnovationMember]:
    return [
        InnovationMember(
            innovation_id=plan.innovation.pk,
            worker_id=worker.pk,
            role=MemberRole.LEADER if i == 0 else MemberRole.MEMBER,
            order=i,
        )
        for i, worker in enumerate(plan.team)
    ]


class InnovationWriter(ImportWriter):
    def write(self) -> None:
        new: list[InnovationPlan] = self.plans(Status.NEW)
        for p in new:
            p.innovation.created_at = p.innovation.updated_at = self.now
        insert_instances(Innovation, [p.innovation for p in new])
        for p in new:
            self.audit.add(AuditAction.CREATE, p.innovation, p.changes, object_repr=p.innovation.title)
        updated: list[InnovationPlan] = self.plans(Status.UPDATED)
        for p in updated:
            p.innovation.updated_at = self.now
            self.audit.add(AuditAction.UPDATE, p.innovation, p.changes, object_repr=p.innovation.title)
            p.innovation.version = F("version") + 1  # type: ignore[assignment]
        Innovation.objects.bulk_update([p.innovation for p in updated], UPDATE_FIELDS, batch_size=BATCH)
        retimed = [p.innovation.pk for p in updated if p.team_changed]
        for chunk in chunks(retimed):
            InnovationMember.objects.filter(innovation_id__in=chunk).delete()
        members = [m for p in new for m in _members(p)]
        members += [m for p in updated if p.team_changed for m in _members(p)]
        InnovationMember.objects.bulk_create(members, batch_size=BATCH)
        self.advance(len(self.outcome.plans))


INNOVATIONS = ImportKindSpec(
    key="innovations",
    label="五小成果",
    columns=COLUMNS,
    match=InnovationValidator,
    write=InnovationWriter,
    roles=(Role.ADMIN, Role.OPERATOR),
    allowed=may_import,
    order=130,
    model=Innovation,
    template=ImportTemplate(
        notes=(
            "每行一项成果；成果类别为小发明、小创造、小革新、小设计或小建议",
            "团队成员填身份证号，多人用“、”或“,”分隔，第一位为负责人；成员须为申报企业已登记的在职职工",
            "企业经办人只能导入本企业的成果，申报企业一列可不填",
            "成果名称、申报企业、申报日期都相同的成果已登记时更新该成果（仅限尚未评审的），不会重复登记",
            "经济效益单位为元，不能为负数；是否采纳填“是”或“否”，不填为否；评审和表彰请在成果页面登记",
        )
    ),
)
