"""Campaign set-up and stages (services.py): defaults, copying last year, frozen settings, one
stage at a time with its preconditions, audit and history; refusals change nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from talentpool.core.exceptions import EditConflict, OutOfScope, ServiceError
from talentpool.core.models import AuditLog
from talentpool.selection import services
from talentpool.selection.choices import Stage
from talentpool.selection.models import Campaign, CampaignTier, Criterion, StageChange


def test_a_first_campaign_takes_the_programme_defaults(admin_user) -> None:  # type: ignore[no-untyped-def]
    campaign = services.create_campaign(admin_user, 2026)
    assert campaign.stage == Stage.DRAFT
    assert campaign.name == "2026年度南浔区技能人才选树"
    rows = list(campaign.tiers.select_related("tier").order_by("tier__order"))
    assert [(r.tier.name, r.quota, r.annual_allowance) for r in rows] == [
        ("南浔工匠", 100, Decimal("5000.00")), ("首席技工", 200, Decimal("3000.00")),
        ("技术标兵", 800, Decimal("1500.00"))]
    assert rows[0].eligibility_rules[1] == {"key": "min_level", "params": {"level": 4}}
    assert [c.name for c in campaign.criteria.all()] == ["工作业绩", "技能水平", "职业道德", "传技带徒"]
    assert sum(c.max_score for c in campaign.criteria.all()) == 100
    assert [c.kind for c in services.objective_categories(campaign)] == [
        "certificate", "competition", "honour", "apprentice", "innovation"]
    assert AuditLog.objects.filter(action="selection.campaign.create").count() == 1


def test_the_next_campaign_copies_last_year_s(admin_user, craftsman) -> None:  # type: ignore[no-untyped-def]
    first = services.create_campaign(admin_user, 2025)
    services.update_campaign(admin_user, first, {"nominations_per_enterprise": 7, "notice_days": 7,
                                                 "notice_text": "各企业请于截止前推荐。"})
    services.set_quota(admin_user, first.tiers.get(tier=craftsman), 90)
    Criterion.objects.filter(campaign=first, name="职业道德").update(max_score=20)
    second = services.create_campaign(admin_user, 2026)
    assert (second.nominations_per_enterprise, second.notice_days) == (7, 7)
    assert second.notice_text == "各企业请于截止前推荐。"
    assert second.tiers.get(tier=craftsman).quota == 90
    assert second.criteria.get(name="职业道德").max_score == 20
    fresh = services.create_campaign(admin_user, 2027, copy_previous=False)
    assert fresh.nominations_per_enterprise == 5 and fresh.tiers.get(tier=craftsman).quota == 100


def test_refusals_change_nothing(admin_user, operator_a) -> None:  # type: ignore[no-untyped-def]
    services.create_campaign(admin_user, 2026)
    with pytest.raises(ServiceError, match="已有 2026 年的选树活动"):
        services.create_campaign(admin_user, 2026)
    with pytest.raises(ServiceError, match="2000 到 2199"):
        services.create_campaign(admin_user, 1999)
    with pytest.raises(OutOfScope):
        services.create_campaign(operator_a, 2030)
    assert Campaign.objects.count() == 1 and CampaignTier.objects.count() == 3


def test_stages_move_one_at_a_time_with_their_preconditions(admin_user) -> None:  # type: ignore[no-untyped-def]
    campaign = services.create_campaign(admin_user, 2026)
    with pytest.raises(ServiceError, match="一次只能前进一个阶段"):
        services.advance_stage(admin_user, campaign, Stage.QUALIFICATION)
    with pytest.raises(ServiceError, match="先设定推荐截止时间"):
        services.advance_stage(admin_user, campaign, Stage.NOMINATING)
    past = timezone.now() - datetime.timedelta(hours=1)
    services.update_campaign(admin_user, campaign, {"nomination_deadline": past})
    with pytest.raises(ServiceError, match="截止时间已过"):
        services.advance_stage(admin_user, campaign, Stage.NOMINATING)
    campaign.refresh_from_db()
    assert campaign.stage == Stage.DRAFT and not StageChange.objects.exists()
    soon = timezone.now() + datetime.timedelta(days=3)
    services.update_campaign(admin_user, campaign, {"nomination_deadline": soon})
    campaign = services.advance_stage(admin_user, campaign, Stage.NOMINATING, note="发布通知")
    assert campaign.stage == Stage.NOMINATING
    change = StageChange.objects.get()
    assert (change.from_stage, change.to_stage, change.note) == ("draft", "nominating", "发布通知")
    assert change.by == admin_user
    with pytest.raises(ServiceError, match="尚无已提交的推荐"):
        services.advance_stage(admin_user, campaign, Stage.QUALIFICATION)


def test_a_stale_version_is_refused(admin_user) -> None:  # type: ignore[no-untyped-def]
    campaign = services.create_campaign(admin_user, 2026)
    services.update_campaign(admin_user, campaign, {"notice_days": 6}, expected_version=1)
    with pytest.raises(EditConflict):
        services.update_campaign(admin_user, campaign, {"notice_days": 8}, expected_version=1)
    campaign.refresh_from_db()
    assert campaign.notice_days == 6 and campaign.version == 2


def test_settings_freeze_as_the_campaign_moves_on(campaign, admin_user) -> None:  # type: ignore[no-untyped-def]
    # At the nomination stage the per-enterprise number may still change; the notice text always.
    services.update_campaign(admin_user, campaign, {"nominations_per_enterprise": 4, "notice_text": "补充说明"})
    Campaign.objects.filter(pk=campaign.pk).update(stage=Stage.QUALIFICATION)
    campaign.refresh_from_db()
    with pytest.raises(ServiceError, match="已不能修改"):
        services.update_campaign(admin_user, campaign, {"nominations_per_enterprise": 9})
    campaign.refresh_from_db()
    assert campaign.nominations_per_enterprise == 4


def test_quotas_are_fixed_from_the_ranking(campaign, admin_user, craftsman) -> None:  # type: ignore[no-untyped-def]
    row = campaign.tiers.get(tier=craftsman)
    with pytest.raises(ServiceError, match="名额须为 0 或以上的整数"):
        services.set_quota(admin_user, row, -1)
    services.set_quota(admin_user, row, 120, annual_allowance=Decimal("6000"))
    row.refresh_from_db()
    assert (row.quota, row.annual_allowance) == (120, Decimal("6000.00"))
    Campaign.objects.filter(pk=campaign.pk).update(stage=Stage.RANKING)
    with pytest.raises(ServiceError, match="已开始拟定"):
        services.set_quota(admin_user, row, 80)
    row.refresh_from_db()
    assert row.quota == 120
