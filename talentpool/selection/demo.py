"""The demo district's current campaign (SPEC.md §3.2): this year's selection, open for
nominations, with the enterprises' nominations under way, at the seed's proportions (seed 000:
about 1,100 nominations a year from 400 enterprises for 100 / 200 / 800 places).

One demo step, ``selection.campaign``, after the registry's users (the admin opens the campaign).
The campaign's configuration is the programme's defaults (services.configure_defaults); the
nominations are written in bulk, like the other demo steps' rows: no per-row audit records, the
load itself is one administrative act. Most nominations are submitted, a few are still drafts, and
about one in ten would fail a rule (too low a level, too near retirement), so the qualification
review has reasons to show. The demo operator's enterprise has a submitted nomination and a draft,
and places left, so the operator has something to do; the example worker is not nominated."""

from __future__ import annotations

import datetime
from random import Random

from django.utils import timezone

from talentpool.core.demo import DemoContext, DemoStep, register_demo_step
from talentpool.core.models import User
from talentpool.registry.demo import EXAMPLE_ENTERPRISE, EXAMPLE_NAME
from talentpool.registry.models import Enterprise, Worker
from talentpool.rules.retirement import RetirementCategory, months_before_retirement
from talentpool.titles.models import Tier

from . import services
from .choices import NominationStatus, Stage
from .models import Campaign, Nomination, StageChange

DISTRICT_WORKERS = 100_000
DISTRICT_NOMINATIONS = 1_100
#: Share of the nominations per tier rank (100 / 200 / 800 places, a few more nominees than places).
TIER_SHARES = {1: 0.12, 2: 0.2, 3: 0.68}
#: The lowest level a nominee of each tier rank usually has (rules.eligibility's defaults).
USUAL_LEVEL = {1: 4, 2: 3, 3: 2}
DRAFT_SHARE = 0.08
STATEMENTS = (
    "扎根生产一线{years}年，主持“{topic}”技术攻关，解决关键工序难题，年节约成本数十万元；带徒{apprentices}名，"
    "其中多人获得高级工及以上等级。",
    "长期从事{occupation}工作，技术精湛，在区职工技能运动会中多次获奖；牵头开展“{topic}”小革新，"
    "提高合格率，带徒{apprentices}名。",
    "爱岗敬业、精益求精，{years}年来坚持一线操作，完成“{topic}”等多项工艺改进，获评企业“技术能手”，"
    "积极传技带徒{apprentices}名。",
)
TOPICS = ("精密加工工艺优化", "设备故障快速诊断", "节能降耗", "焊接质量提升", "自动化改造", "传统工艺传承",
          "检测方法改进", "工装夹具革新")


def _statement(rng: Random, worker: Worker, today: datetime.date) -> str:
    years = max(1, today.year - (worker.work_start_date.year if worker.work_start_date else today.year - 10))
    occupation = worker.occupation.name if worker.occupation_id else "技能岗位"
    return rng.choice(STATEMENTS).format(years=years, topic=rng.choice(TOPICS), apprentices=rng.randint(1, 8),
                                         occupation=occupation)


def make_campaign(context: DemoContext) -> None:
    rng, today = context.random, context.today
    admin = User.objects.filter(username="admin").first()
    year = today.year
    campaign = Campaign.objects.create(
        year=year, name=services.default_name(year), stage=Stage.NOMINATING,
        nomination_deadline=timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=12),
                                                                          datetime.time(17, 0))),
        reference_date=today + datetime.timedelta(days=12), objective_rules=services.objective_rules_data(),
        notice_text=("根据区总工会“千名技能人才”工程实施方案，现启动本年度选树工作。请各企业对照申报条件，"
                     "在截止时间前通过本系统推荐本企业一线技能人才，上传事迹材料和证明材料，并记录本人同意公示。"),
    )
    services.configure_defaults(campaign)
    if admin is not None:
        StageChange.objects.create(campaign=campaign, from_stage=Stage.DRAFT, to_stage=Stage.NOMINATING, by=admin,
                                   at=timezone.now() - datetime.timedelta(days=18), note="发布通知公告")
    tiers = {t.order: t for t in Tier.objects.filter(is_active=True)}
    share = Worker.objects.count() / DISTRICT_WORKERS
    total = max(len(tiers) * 2, round(DISTRICT_NOMINATIONS * share))
    limit = campaign.nominations_per_enterprise
    example = Enterprise.objects.filter(name=EXAMPLE_ENTERPRISE).first()
    # the example enterprise's nominations are made below, by hand
    candidates = list(
        Worker.objects.filter(is_frontline=True, skill_level__gte=2).exclude(current_enterprise=None)
        .exclude(name=EXAMPLE_NAME).exclude(current_enterprise=example).select_related("occupation")
        .only("pk", "name", "skill_level", "work_start_date", "birth_date", "retirement_category",
              "actual_retirement_date", "current_enterprise_id", "occupation__name")
        .order_by("pk"))
    rng.shuffle(candidates)
    used: dict[int, int] = {}
    rows: list[Nomination] = []
    now = timezone.now()

    def take(rank: int, pool: list[Worker], *, eligible: bool) -> Worker | None:
        for i, worker in enumerate(pool):
            if used.get(worker.current_enterprise_id, 0) >= limit:
                continue
            months = months_before_retirement(worker.birth_date, RetirementCategory(worker.retirement_category), today,
                                              actual=worker.actual_retirement_date)
            fits = worker.skill_level >= USUAL_LEVEL[rank] and months >= 66
            if fits == eligible:
                return pool.pop(i)
        return None

    for rank, tier_share in sorted(TIER_SHARES.items()):
        if rank not in tiers:
            continue
        for _n in range(max(2, round(total * tier_share))):
            worker = take(rank, candidates, eligible=len(rows) % 8 != 5)  # about one in eight is not
            if worker is None:
                continue
            used[worker.current_enterprise_id] = used.get(worker.current_enterprise_id, 0) + 1
            draft = rng.random() < DRAFT_SHARE
            created = now - datetime.timedelta(days=rng.randint(1, 17), minutes=rng.randint(0, 600))
            rows.append(Nomination(
                campaign=campaign, worker=worker, tier=tiers[rank], enterprise_id=worker.current_enterprise_id,
                statement=_statement(rng, worker, today), consent=not draft or rng.random() < 0.5,
                consent_recorded_at=created, status=NominationStatus.DRAFT if draft else NominationStatus.SUBMITTED,
                submitted_at=None if draft else created + datetime.timedelta(hours=rng.randint(1, 48)),
                created_at=created))
    # The demo operator's enterprise: one submitted, one draft to finish, places left.
    if example is not None:
        own = list(Worker.objects.filter(current_enterprise=example, is_frontline=True, skill_level__gte=3)
                   .exclude(name=EXAMPLE_NAME).select_related("occupation").order_by("-skill_level", "pk")[:2])
        for worker, submitted in zip(own, (True, False), strict=False):
            rank = 1 if worker.skill_level >= 4 else 2
            rows.append(Nomination(
                campaign=campaign, worker=worker, tier=tiers.get(rank, tiers[min(tiers)]), enterprise=example,
                statement=_statement(rng, worker, today) if submitted else "", consent=submitted,
                consent_recorded_at=now - datetime.timedelta(days=3) if submitted else None,
                status=NominationStatus.SUBMITTED if submitted else NominationStatus.DRAFT,
                submitted_at=now - datetime.timedelta(days=2) if submitted else None,
                created_at=now - datetime.timedelta(days=3)))
    Nomination.objects.bulk_create(rows, batch_size=500)
    context.count("campaigns", 1)
    context.count("nominations", len(rows))


def is_loaded() -> bool:
    return Campaign.objects.exists()


def wipe() -> None:
    from .models import Attachment, EligibilityResult

    EligibilityResult.objects.all().delete()
    for attachment in Attachment.objects.all():
        attachment.file.delete(save=False)
    Attachment.objects.all().delete()
    Nomination.objects.all().delete()
    Campaign.objects.all().delete()


def declare_demo_steps() -> None:
    register_demo_step(DemoStep("selection.campaign", make_campaign, order=60, after=("registry.users",),
                                is_loaded=is_loaded, wipe=wipe))
