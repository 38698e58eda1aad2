"""Excel import of nominations (推荐) into the campaign open for nominations, through core's import
engine: one row per nominee, each a draft nomination.

A row names the worker by ID number (never echoed in clear: messages show it masked) or, failing
that, by name (which must then name one worker alone); with both, the name is checked against the
ID number's worker. Then the tier applied for (its name, with or without the district's name:
南浔工匠 or 工匠, 首席技工 or 南浔首席技工), the statement of achievements (as typed: line breaks and
Chinese punctuation are kept) and whether the nominee consents to publication (是/否, blank: 否).

Every row goes through ``services_nomination.create_nomination``, the form's own service, so that
every rule (own current workers, the tier in this campaign, the enterprise's allowance, one
nomination per worker, the stage and the deadline) applies exactly as on the form: the check runs
it for each row in a transaction it rolls back, and a refusal is that row's error; the write runs
it again for real, every row in the write's one transaction. What the service cannot see because
the check rolls each row back is checked across the file here: one row per worker, and the
enterprise's places left against the rows before (the row past them names the rows that took
them). A nomination file is short (a few places per enterprise), so a few queries per row are
spent to keep the form's rules in one place.

Operators nominate their own enterprise's current workers, admins any current worker; only while
the current campaign (``services.current_campaign``) takes nominations (``nominating_refusal``):
otherwise the check, or the write if the stage moved on meanwhile, refuses the whole file. While
the import is written the campaign row stays locked (the service locks it too), so a nomination on
the form waits for it. All or nothing (core.imports.write)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count

from talentpool.core import programme
from talentpool.core.crypto import lookup_hash
from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.core.imports import Column, ImportKindSpec, ImportTemplate
from talentpool.core.imports.cells import Cell, CellError, choice_key, parse_yes_no, text_parser
from talentpool.core.imports.reader import RawRow
from talentpool.core.imports.validate import Plan, Status
from talentpool.core.imports.validate import Validator as BaseValidator
from talentpool.core.imports.write import ImportWriter
from talentpool.core.jobs import JobFailed
from talentpool.core.roles import Role
from talentpool.registry.imports.schema import ID_HELP, name_parser, parse_id_cell, shown_id_number
from talentpool.registry.models import Worker
from talentpool.rules.names import normalise_name
from talentpool.titles.models import place_name

from .choices import NominationStatus
from .models import Campaign, CampaignTier, Nomination
from .services_nomination import STATEMENT_MAX, create_nomination, may_nominate, nominable_workers, nominating_refusal

KEY = "nominations"
NO_CAMPAIGN = "当前没有进行中的评选活动，不能导入推荐"
NOT_FOUND = "未找到该职工，或不是本企业的在职职工（只能推荐本企业的在职职工）"
NOT_FOUND_ADMIN = "未找到该职工，或该职工当前没有在职企业（只能推荐在职职工）"
NO_WORKER = "请填写身份证号或姓名"
NAME_MISMATCH = "姓名与系统中该身份证号的职工不一致"


# Cells --------------------------------------------------------------------------------------


def parse_statement_cell(value: Cell, text: str) -> str:
    """The statement as typed: the cell's own text (line breaks, Chinese punctuation and full-width
    characters kept, unlike the normalised ``text``), each line's trailing spaces dropped."""
    raw = value if isinstance(value, str) else text
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    statement = "\n".join(line.rstrip() for line in lines).strip()
    if len(statement) > STATEMENT_MAX:
        raise CellError(f"内容过长：最多 {STATEMENT_MAX} 个字，实为 {len(statement)} 个字")
    return statement


def shown_statement(value: Cell, text: str) -> str:
    """A statement on screen and in messages: its beginning. (A column with a mask is parsed cell
    by cell, never memoised by its normalised text, which would lose the statement's line breaks.)"""
    return text if len(text) <= 40 else text[:39] + "…"


def tier_keys(name: str, district: str) -> set[str]:
    """The ways a row may write the tier ``name``: as it is, and with or without the district's
    name in front (南浔工匠 / 工匠 / 南浔区工匠; 首席技工 / 南浔首席技工 / 南浔区首席技工)."""
    place = place_name(district)
    names = {name}
    if place and name.startswith(place) and name != place:
        bare = name[len(place):]
        names |= {bare, district + bare}
    elif place:
        names |= {place + name, district + name}
    return {choice_key(n) for n in names}


COLUMNS = (
    Column(
        "id_number",
        "身份证号",
        parse_id_cell,
        aliases=("身份证号码", "身份证", "公民身份号码", "被推荐人身份证号"),
        help="被推荐人的 18 位公民身份号码；不填时按姓名查找（同名的须填身份证号）。" + ID_HELP,
        is_text=True,
        mask=lambda value, text: shown_id_number(value),
        width=22,
    ),
    Column(
        "name",
        "姓名",
        name_parser(32),
        aliases=("职工姓名", "被推荐人", "被推荐人姓名"),
        help="填写身份证号时与系统中该职工的姓名核对",
    ),
    Column(
        "tier",
        "申报层级",
        text_parser(50),
        required=True,
        aliases=("层级", "推荐层级", "申报称号", "称号层级", "申报类别"),
        help="本届活动设置名额的层级名称，区名可写可不写",
        width=16,
    ),
    Column(
        "statement",
        "事迹材料",
        parse_statement_cell,
        aliases=("主要事迹", "事迹", "事迹简介", "推荐理由"),
        help=f"工作业绩、技能水平、创新成果、带徒传技等，最多 {STATEMENT_MAX} 字；提交前须填写",
        mask=shown_statement,
        width=60,
    ),
    Column(
        "consent",
        "本人同意公开",
        parse_yes_no,
        aliases=("同意公开", "本人同意", "是否同意公开"),
        help="被推荐人是否同意在公示和光荣榜上公开姓名、企业、职业和简要事迹；不填为否，提交前须为是",
        choices=("是", "否"),
    ),
)


# Checking -----------------------------------------------------------------------------------


class _DryRun(Exception):
    """Rolls back the check's run of the service for one row."""


def open_campaign(*, lock: bool = False) -> Campaign:
    """The current campaign if it takes nominations now; else JobFailed with the reason (Chinese)."""
    from .services import current_campaign

    campaign = current_campaign()
    if campaign is not None and lock:
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign is None:
        raise JobFailed(NO_CAMPAIGN)
    refusal = nominating_refusal(campaign)
    if refusal:
        raise JobFailed(f"{campaign.name}：{refusal}未导入任何数据")
    return campaign


@dataclass
class NominationPlan(Plan):
    campaign_id: int
    worker_id: int
    tier_id: int
    statement: str
    consent: bool


class NominationValidator(BaseValidator):
    def prefetch(self, rows: list[dict[str, Any]]) -> None:
        # Written: the campaign stays locked until the commit, as create_nomination locks it.
        self.campaign = open_campaign(lock=self.lock)
        district = programme.current().district_name
        self.tiers: dict[str, int] = {}
        self.tier_names: list[str] = []
        ambiguous: set[str] = set()
        for row in (CampaignTier.objects.filter(campaign=self.campaign, quota__gt=0).select_related("tier")
                    .order_by("tier__order")):
            self.tier_names.append(row.tier.name)
            for key in tier_keys(row.tier.name, district):
                if self.tiers.setdefault(key, row.tier_id) != row.tier_id:
                    ambiguous.add(key)
        for key in ambiguous:
            del self.tiers[key]
        for values in rows:
            if "id_number" in values:
                values["_hash"] = lookup_hash(values["id_number"])
        scope = nominable_workers(self.actor).only("pk", "name", "id_number_hash", "current_enterprise_id")
        hashes = {r["_hash"] for r in rows if "_hash" in r}
        self.by_hash: dict[str, Worker] = {w.id_number_hash: w for w in self.matching(scope, "id_number_hash", hashes)}
        names = {r["name"] for r in rows if "name" in r and "_hash" not in r}
        self.by_name: dict[str, list[Worker]] = {}
        for worker in self.matching(scope, "name", names):
            self.by_name.setdefault(worker.name, []).append(worker)
        self.used: dict[int, int] = dict(
            Nomination.objects.filter(campaign=self.campaign).exclude(status=NominationStatus.WITHDRAWN)
            .values_list("enterprise_id").annotate(n=Count("pk")).order_by()
        )
        self.taken: dict[int, list[int]] = {}  # enterprise → the rows of this file that take its places
        self.seen: dict[int, int] = {}  # worker → the first row naming them
        self.not_found = NOT_FOUND_ADMIN if self.actor.is_admin else NOT_FOUND

    def _worker(self, raw: RawRow, values: dict[str, Any]) -> tuple[Worker | None, str]:
        """The row's worker and the column naming them (errors about the worker go there)."""
        if "_hash" in values:
            worker = self.by_hash.get(values["_hash"])
            if worker is None:
                self.error(raw, "id_number", self.not_found)
            elif "name" in values and normalise_name(values["name"]) != normalise_name(worker.name):
                self.error(raw, "name", NAME_MISMATCH)
            return worker, "id_number"
        if raw.texts.get("id_number"):
            return None, "id_number"  # an unreadable ID number: its error is recorded
        if "name" not in values:
            if not raw.texts.get("name"):
                self.error(raw, "id_number", NO_WORKER)
            return None, "name"
        found = self.by_name.get(values["name"], [])
        if not found:
            self.error(raw, "name", self.not_found)
            return None, "name"
        if len(found) > 1:
            where = "系统中" if self.actor.is_admin else "本企业"
            self.error(raw, "name", f"{where}有 {len(found)} 名在职职工叫“{values['name']}”，请填写身份证号")
            return None, "name"
        return found[0], "name"

    def _tier(self, raw: RawRow, values: dict[str, Any]) -> int | None:
        if "tier" not in values:
            return None
        tier_id = self.tiers.get(choice_key(values["tier"]))
        if tier_id is None:
            offered = "、".join(self.tier_names) or "（无）"
            self.error(raw, "tier", f"本届活动没有层级“{values['tier']}”，应为：{offered}")
        return tier_id

    def _places(self, raw: RawRow, worker: Worker, column: str) -> None:
        """The enterprise's places left against the rows of this file before this one."""
        enterprise = worker.current_enterprise_id
        assert enterprise is not None  # nominable workers are employed
        taken = self.taken.get(enterprise, [])
        limit = self.campaign.nominations_per_enterprise
        used = self.used.get(enterprise, 0)
        if taken and used + len(taken) >= limit:
            whose = "该职工所在企业" if self.actor.is_admin else "本企业"
            rows = "、".join(str(r) for r in taken)
            self.error(raw, column, f"超出推荐名额：{whose}本届共 {limit} 个推荐名额，已用 {used} 个，"
                                    f"剩余 {limit - used} 个已由本文件第 {rows} 行占用")

    def _dry_run(self, raw: RawRow, worker: Worker, tier_id: int, values: dict[str, Any], column: str) -> None:
        """create_nomination on this row, rolled back: its refusal is the row's error."""
        try:
            with transaction.atomic():
                create_nomination(self.actor, self.campaign, worker.pk, tier_id,
                                  statement=values.get("statement", ""), consent=values.get("consent", False))
                raise _DryRun
        except _DryRun:
            pass
        except (ServiceError, OutOfScope) as exc:
            self.error(raw, column, str(exc) if isinstance(exc, ServiceError) else self.not_found)

    def check(self, raw: RawRow, values: dict[str, Any]) -> Plan | None:
        worker, column = self._worker(raw, values)
        tier_id = self._tier(raw, values)
        if worker is not None:
            if (first := self.first_seen(self.seen, worker.pk, raw)) is not None:
                self.error(raw, column, f"与第 {first} 行是同一名职工：每人在本届活动中只能被推荐一次")
            else:
                self._places(raw, worker, column)
        if self.has_error(raw) or worker is None or tier_id is None:
            return None
        self._dry_run(raw, worker, tier_id, values, column)
        if self.has_error(raw):
            return None
        assert worker.current_enterprise_id is not None
        self.taken.setdefault(worker.current_enterprise_id, []).append(raw.number)
        statement, consent = values.get("statement", ""), values.get("consent", False)
        warnings = []
        if not statement:
            warnings.append("未填写事迹材料：提交前须补写")
        if not consent:
            warnings.append("未记录本人同意公开：提交前须补录")
        return NominationPlan(raw.number, Status.NEW, self.campaign.pk, worker.pk, tier_id, statement, consent,
                              warnings=warnings)


# Writing ------------------------------------------------------------------------------------


class NominationWriter(ImportWriter):
    """Each plan through create_nomination (which audits it), inside the write's transaction: a
    refusal now (it cannot be, the check ran again under the campaign's lock) undoes them all."""

    def write(self) -> None:
        plans: list[NominationPlan] = self.plans(Status.NEW)
        campaigns: dict[int, Campaign] = {}
        for plan in plans:
            campaign = campaigns.get(plan.campaign_id) or Campaign.objects.get(pk=plan.campaign_id)
            campaigns[plan.campaign_id] = campaign
            try:
                create_nomination(self.actor, campaign, plan.worker_id, plan.tier_id, statement=plan.statement,
                                  consent=plan.consent)
            except ServiceError as exc:
                raise JobFailed(f"第 {plan.row} 行：{exc}未导入任何数据，请重新上传文件") from None
            self.advance(1)


# The kind -----------------------------------------------------------------------------------


def tier_choices() -> list[str]:
    """The template's dropdown: the tiers the current campaign names (all tiers in use if none)."""
    from talentpool.titles.models import Tier

    from .services import current_campaign

    campaign = current_campaign()
    if campaign is not None:
        return [row.tier.name for row in CampaignTier.objects.filter(campaign=campaign, quota__gt=0)
                .select_related("tier").order_by("tier__order")]
    return [tier.name for tier in Tier.objects.filter(is_active=True).order_by("order")]


NOMINATIONS = ImportKindSpec(
    key=KEY,
    label="推荐（申报）",
    columns=COLUMNS,
    match=NominationValidator,
    write=NominationWriter,
    roles=(Role.ADMIN, Role.OPERATOR),
    allowed=may_nominate,
    order=200,
    model=Nomination,
    template=ImportTemplate(
        notes=(
            "导入到当前开放推荐的评选活动，仅限推荐阶段、截止时间之前；每行推荐一名职工，导入后为草稿",
            "被推荐人填身份证号，或只填姓名（本企业有同名职工时须填身份证号）",
            "企业经办人只能推荐本企业的在职职工；每名职工在本届活动中只能被推荐一次",
            "推荐人数不能超过本企业剩余的推荐名额；文件中有任何一行出错时，整个文件都不导入",
            "事迹材料和本人同意公开也可以导入后在推荐页面补填；附件请在推荐页面上传，然后提交",
        ),
        choices={"tier": tier_choices},
    ),
)


def register() -> None:
    from talentpool.core.imports import register_import_kind

    register_import_kind(NOMINATIONS)
