"""Excel import of competition entries and results (参赛及成绩) through core's import engine.

One row per entry: 项目编号 (the event's code), 身份证号 (the worker; never echoed in clear), and
optionally 名次, 成绩 and 奖项. A row of a worker not yet entered enters them, for the enterprise
they work at now; a row of an entered worker updates the entry's results (re-importing a file never
doubles an entry). The same rules as the pages: an operator enters their own current workers only,
into events whose results are not recorded yet and enterprise contests of their own enterprise
only, and records no results (the union does: admins); admins enter anyone. A rank is 1 or more;
ties are allowed. All or nothing (core.imports.write). After writing, the events whose results
changed are marked recorded and their promotions proposed (services.sync_proposals), in the same
transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType

from talentpool.core.crypto import lookup_hash
from talentpool.core.imports import Column, ImportKindSpec, ImportTemplate
from talentpool.core.imports.cells import Cell, CellError, choice_parser, code_parser, is_number
from talentpool.core.imports.reader import RawRow
from talentpool.core.imports.validate import Plan, Status, Validator, matching
from talentpool.core.imports.write import ImportWriter, insert_instances
from talentpool.core.roles import Action, Role
from talentpool.registry.imports.schema import ID_HELP, parse_id_cell, shown_id_number
from talentpool.registry.models import Worker

from .. import events
from ..choices import Award
from ..models import CompetitionEvent, Entry
from ..services_competitions import sync_proposals
from .scope import may_import

NOT_FOUND = "未找到该职工或无权限"
NOT_EMPLOYED = "该职工当前没有在职企业，无法报名参赛"
NO_EVENT = "未找到该比赛项目编号"
RESULTS_RECORDED = "该项目已登记成绩，不能再报名"
OTHER_ENTERPRISE = "企业内部比武只限本企业职工参加"
ADMINS_ONLY = "成绩由区总工会登记，企业操作员只能导入报名"
MAX_SCORE = Decimal("9999.99")

AWARD_LABELS = ["一等奖", "二等奖", "三等奖", "优秀奖"]
AWARD_ALIASES: dict[str, str] = {
    **dict.fromkeys(["一等奖", "一等", "金奖"], Award.FIRST.value),
    **dict.fromkeys(["二等奖", "二等", "银奖"], Award.SECOND.value),
    **dict.fromkeys(["三等奖", "三等", "铜奖"], Award.THIRD.value),
    **dict.fromkeys(["优秀奖", "优胜奖", "优秀"], Award.EXCELLENCE.value),
}
parse_award = choice_parser(AWARD_ALIASES, "奖项", AWARD_LABELS)
AWARD_SHOWN = dict(zip([a.value for a in Award], AWARD_LABELS, strict=True))


def parse_rank(value: Cell, text: str) -> int:
    """名次: a whole number of 1 or more ("3", 3.0, "第3名")."""
    if is_number(value):
        number = float(value)  # type: ignore[arg-type]
        if not number.is_integer():
            raise CellError(f"名次应为整数，实为 {text}")
        rank = int(number)
    else:
        match = re.fullmatch(r"第?\s*(\d+)\s*名?", text)
        if match is None:
            raise CellError(f"名次应为整数，如 1、2、3，实为“{text}”")
        rank = int(match.group(1))
    if rank < 1:
        raise CellError("名次从 1 开始")
    return rank


def parse_score(value: Cell, text: str) -> str:
    """成绩: a number of at most two decimal places, 0 to 9999.99, as text (the parsed cells are
    kept as JSON between the check and the write; the validator makes it a Decimal)."""
    try:
        score = Decimal(repr(value) if isinstance(value, float) else text)
    except InvalidOperation:
        raise CellError(f"成绩应为数字，实为“{text}”") from None
    if not score.is_finite() or score < 0 or score > MAX_SCORE:
        raise CellError(f"成绩应在 0 到 {MAX_SCORE} 之间")
    if score != score.quantize(Decimal("0.01")):
        raise CellError("成绩最多保留两位小数")
    return str(score.quantize(Decimal("0.01")))


COLUMNS = (
    Column(
        "event_code",
        "项目编号",
        code_parser(20),
        required=True,
        aliases=("比赛项目编号", "项目代码", "比赛项目代码"),
        help="比赛项目页面上的编号",
        is_text=True,
        width=16,
    ),
    Column(
        "id_number",
        "身份证号",
        parse_id_cell,
        required=True,
        aliases=("身份证号码", "公民身份号码", "身份证"),
        help=ID_HELP,
        is_text=True,
        mask=lambda value, text: shown_id_number(value),
        width=22,
    ),
    Column("rank", "名次", parse_rank, aliases=("排名", "比赛名次"), help="1 起的整数；可并列"),
    Column("score", "成绩", parse_score, aliases=("得分", "分数"), help="最多两位小数"),
    Column("award", "奖项", parse_award, aliases=("获奖", "获奖等次"), choices=tuple(AWARD_LABELS)),
)

NOTES = (
    "每行登记一名职工在一个比赛项目的参赛：项目编号、职工身份证号，以及名次、成绩、奖项（可不填）。",
    "职工尚未报名该项目时按其当前所在企业报名；已报名时按文件更新其名次、成绩和奖项，不会重复登记。",
    "企业操作员只能为本企业在职职工报名，且不能导入名次、成绩和奖项（由区总工会登记）。",
    "导入成绩后，符合破格晋升规则的名次自动生成晋升建议，由管理员确认或驳回。",
)

RESULT_KEYS = ("rank", "score", "award")


@dataclass
class EntryPlan(Plan):
    entry: Entry
    label: str  # "name @ code", for the audit


class EntryValidator(Validator):
    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        for values in rows:
            if "id_number" in values:
                values["_hash"] = lookup_hash(values["id_number"])
        codes = {r["event_code"] for r in rows if "event_code" in r}
        self.events: dict[str, CompetitionEvent] = {
            e.code: e
            for e in matching(
                CompetitionEvent.objects.restrict(self.actor, Action.VIEW).select_related("competition"),
                "code",
                codes,
            )
        }
        scope: Any
        if self.actor.is_admin:
            scope = Worker.objects.all()
        elif self.actor.role == Role.OPERATOR and self.actor.enterprise_id:
            scope = Worker.objects.restrict(self.actor, Action.CHANGE)
        else:
            scope = Worker.objects.none()
        hashes = {r["_hash"] for r in rows if "_hash" in r}
        self.workers: dict[str, Worker] = {
            w.id_number_hash: w
            for w in matching(
                scope.only("pk", "name", "id_number_hash", "current_enterprise_id"), "id_number_hash", hashes
            )
        }
        event_ids = [e.pk for e in self.events.values()]
        # by the event's pk, not event_id: the __any lookup (PostgreSQL) is registered on fields, not foreign keys
        self.entries: dict[tuple[int, int], Entry] = {
            (e.event_id, e.worker_id): e for e in self.matching(Entry.objects.all(), "event__pk", event_ids)
        }
        self.seen: dict[tuple[int, int], int] = {}

    def check(self, raw: RawRow, values: dict[str, Any]) -> Plan | None:
        event = self.events.get(values["event_code"]) if "event_code" in values else None
        if "event_code" in values and event is None:
            self.error(raw, "event_code", NO_EVENT)
        worker = self.workers.get(values["_hash"]) if "_hash" in values else None
        if "_hash" in values and worker is None:
            self.error(raw, "id_number", NOT_FOUND)
        if not self.actor.is_admin:
            for key in RESULT_KEYS:
                if key in values:
                    self.error(raw, key, ADMINS_ONLY)
        if event is None or worker is None:
            return None
        if first := self.first_seen(self.seen, (event.pk, worker.pk), raw):
            self.error(raw, "id_number", f"与第 {first} 行重复（同一项目、同一职工）")
        known = self.entries.get((event.pk, worker.pk))
        if known is None:
            competition = event.competition
            if worker.current_enterprise_id is None:
                self.error(raw, "id_number", NOT_EMPLOYED)
            elif competition.enterprise_id and worker.current_enterprise_id != competition.enterprise_id:
                self.error(raw, "id_number", OTHER_ENTERPRISE)
            if not self.actor.is_admin and event.results_recorded:
                self.error(raw, "event_code", RESULTS_RECORDED)
        if self.has_error(raw):
            return None
        label = f"{worker.name} @ {event.code}"
        results = {key: values.get(key) for key in RESULT_KEYS}
        if results["score"] is not None:
            results["score"] = Decimal(results["score"])
        results["award"] = results["award"] or ""
        if known is None:
            enterprise_id: Any = worker.current_enterprise_id  # checked above: employed
            entry = Entry(event=event, worker=worker, enterprise_id=enterprise_id, **results)
            shown = {k: _shown(k, v) for k, v in results.items() if v not in (None, "")}
            return EntryPlan(raw.number, Status.NEW, entry, label, changes={"worker": worker.name, **shown})
        before = {key: getattr(known, key) for key in RESULT_KEYS}
        changes = {k: [_shown(k, before[k]), _shown(k, results[k])] for k in RESULT_KEYS if before[k] != results[k]}
        if not changes:
            return EntryPlan(raw.number, Status.UNCHANGED, known, label)
        for key, value in results.items():
            setattr(known, key, value)
        return EntryPlan(raw.number, Status.UPDATED, known, label, changes=changes)


def _shown(key: str, value: Any) -> Any:
    if value in (None, ""):
        return None
    if key == "award":
        return AWARD_SHOWN.get(value, value)
    return str(value) if isinstance(value, Decimal) else value


class EntryWriter(ImportWriter):
    def write(self) -> None:
        new: list[EntryPlan] = self.plans(Status.NEW)
        for p in new:
            p.entry.entered_at = self.now
        insert_instances(Entry, [p.entry for p in new])
        for p in new:
            self.audit.add(events.COMPETITION_ENTER, p.entry, {**p.changes, "via": "import"}, object_repr=p.label)
        updated: list[EntryPlan] = self.plans(Status.UPDATED)
        Entry.objects.bulk_update([p.entry for p in updated], list(RESULT_KEYS), batch_size=1000)
        self.advance(len(self.outcome.plans))
        # the events whose results this import wrote: recorded, audited once each, promotions proposed
        scored: dict[int, dict[str, Any]] = {}
        for p in [*new, *updated]:
            if p.status == Status.UPDATED or any(getattr(p.entry, k) not in (None, "") for k in RESULT_KEYS):
                changes = scored.setdefault(p.entry.event_id, {})
                changes[p.label] = p.changes
        if not scored:
            return
        CompetitionEvent.objects.filter(pk__in=list(scored)).update(results_recorded=True)
        content_type = ContentType.objects.get_for_model(CompetitionEvent).pk
        codes = dict(CompetitionEvent.objects.filter(pk__in=list(scored)).values_list("pk", "code"))
        for event_id, changes in scored.items():
            self.audit.add_row(
                events.COMPETITION_RESULTS,
                content_type,
                event_id,
                codes[event_id],
                {"entries": changes, "via": "import"},
            )
        sync_proposals(sorted(scored), actor=self.actor)


ENTRIES = ImportKindSpec(
    key="competition_entries",
    label="竞赛参赛及成绩",
    columns=COLUMNS,
    match=EntryValidator,
    write=EntryWriter,
    roles=(Role.ADMIN, Role.OPERATOR),
    allowed=may_import,
    order=120,
    model=Entry,
    template=ImportTemplate(notes=NOTES),
)
