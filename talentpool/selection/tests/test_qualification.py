"""The qualification review (services_qualification.py) on registry and titles data, and the
admin's override with its reason."""

from __future__ import annotations

import datetime

import pytest

from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.core.models import AuditLog
from talentpool.registry.tests.factories import WorkerFactory
from talentpool.selection import services, services_nomination, services_qualification
from talentpool.selection.choices import Stage
from talentpool.selection.models import EligibilityResult, Nomination
from talentpool.titles import services as titles
from talentpool.titles.choices import TitleStatus


def _submitted(operator, campaign, worker, tier):  # type: ignore[no-untyped-def]
    nomination = services_nomination.create_nomination(operator, campaign, worker, tier.pk, statement="事迹",
                                                       consent=True)
    return services_nomination.submit_nomination(operator, nomination)


@pytest.fixture
def reviewed(campaign, admin_user, operator_a, enterprise_a, craftsman, chief):  # type: ignore[no-untyped-def]
    qualified = WorkerFactory(name="合格者", enterprise=enterprise_a, skill_level=4,
                              work_start_date=datetime.date(2008, 1, 1), birth_date=datetime.date(1985, 3, 1))
    too_low = WorkerFactory(name="等级低", enterprise=enterprise_a, skill_level=3,
                            work_start_date=datetime.date(2008, 1, 1), birth_date=datetime.date(1985, 3, 1))
    holder = WorkerFactory(name="已获称号", enterprise=enterprise_a, skill_level=4,
                           work_start_date=datetime.date(2008, 1, 1), birth_date=datetime.date(1985, 3, 1))
    titles.confer_title(admin_user, holder, chief, certificate_number=None, valid_from=datetime.date(2024, 5, 1),
                        year=2024, source="2024年度选树")
    rows = {w.name: _submitted(operator_a, campaign, w, craftsman) for w in (qualified, too_low, holder)}
    services.advance_stage(admin_user, campaign, Stage.QUALIFICATION)
    report = services_qualification.run_review(admin_user, campaign)
    return rows, report


def test_each_rule_runs_and_explains_itself(reviewed) -> None:  # type: ignore[no-untyped-def]
    rows, report = reviewed
    assert (report.checked, report.eligible, report.ineligible) == (3, 2, 1)
    verdicts = {name: Nomination.objects.get(pk=n.pk).eligibility for name, n in rows.items()}
    assert verdicts == {"合格者": "eligible", "等级低": "ineligible", "已获称号": "eligible"}
    failing = EligibilityResult.objects.get(nomination=rows["等级低"], passed=False)
    assert (failing.key, failing.reason) == ("min_level", "技能等级 高级工，要求 技师及以上")
    holder = {r.key: r.reason for r in EligibilityResult.objects.filter(nomination=rows["已获称号"])}
    assert holder["not_holding"] == "现有 首席技工 称号，低于申报的 南浔工匠"
    assert len(holder) == 7


def test_holding_the_same_tier_fails(campaign, admin_user, operator_a, enterprise_a, chief) -> None:  # type: ignore[no-untyped-def]
    worker = WorkerFactory(name="同级", enterprise=enterprise_a, skill_level=4,
                           work_start_date=datetime.date(2008, 1, 1), birth_date=datetime.date(1985, 3, 1))
    titles.confer_title(admin_user, worker, chief, certificate_number=None, valid_from=datetime.date(2024, 5, 1),
                        year=2024, source="2024年度选树")
    nomination = _submitted(operator_a, campaign, worker, chief)
    services.advance_stage(admin_user, campaign, Stage.QUALIFICATION)
    services_qualification.run_review(admin_user, campaign)
    result = EligibilityResult.objects.get(nomination=nomination, key="not_holding")
    assert (result.passed, result.reason) == (False, "已获 首席技工 称号（同级层级），不得申报 首席技工")


def test_a_revoked_title_bars(campaign, admin_user, operator_a, enterprise_a, craftsman, chief) -> None:  # type: ignore[no-untyped-def]
    worker = WorkerFactory(name="被撤销", enterprise=enterprise_a, skill_level=4,
                           work_start_date=datetime.date(2008, 1, 1), birth_date=datetime.date(1985, 3, 1))
    title = titles.confer_title(admin_user, worker, chief, certificate_number=None,
                                valid_from=datetime.date(2023, 5, 1), year=2023, source="2023年度选树")
    titles.change_status(admin_user, title, TitleStatus.REVOKED, reason="弄虚作假")
    nomination = _submitted(operator_a, campaign, worker, craftsman)
    services.advance_stage(admin_user, campaign, Stage.QUALIFICATION)
    services_qualification.run_review(admin_user, campaign)
    result = EligibilityResult.objects.get(nomination=nomination, key="not_barred")
    assert not result.passed and result.reason.endswith("被撤销称号，不得再申报")


def test_an_override_needs_a_reason_is_audited_and_survives_a_rerun(reviewed, admin_user) -> None:  # type: ignore[no-untyped-def]
    rows, _report = reviewed
    failing = EligibilityResult.objects.get(nomination=rows["等级低"], passed=False)
    with pytest.raises(ServiceError, match="须写明理由"):
        services_qualification.override_result(admin_user, failing, passed=True, reason=" ")
    with pytest.raises(ServiceError, match="须与自动审查结果不同"):
        services_qualification.override_result(admin_user, failing, passed=False, reason="x")
    assert Nomination.objects.get(pk=rows["等级低"].pk).eligibility == "ineligible"
    services_qualification.override_result(admin_user, failing, passed=True, reason="省级技能大赛一等奖，破格")
    assert Nomination.objects.get(pk=rows["等级低"].pk).eligibility == "eligible"
    audit = AuditLog.objects.get(action="selection.qualification.override")
    assert audit.changes["reason"] == "省级技能大赛一等奖，破格"
    report = services_qualification.run_review(admin_user, rows["等级低"].campaign)
    assert report.overrides_dropped == 0 and report.eligible == 3
    kept = EligibilityResult.objects.get(nomination=rows["等级低"], key="min_level")
    assert kept.override is True and kept.override_reason == "省级技能大赛一等奖，破格"
    # The facts change (the worker became a technician): the override no longer applies and is dropped.
    worker = rows["等级低"].worker
    type(worker).objects.filter(pk=worker.pk).update(skill_level=4)
    report = services_qualification.run_review(admin_user, rows["等级低"].campaign)
    assert report.overrides_dropped == 1
    assert EligibilityResult.objects.get(nomination=rows["等级低"], key="min_level").override is None


def test_only_admins_review_and_only_at_its_stage(campaign, admin_user, operator_a) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OutOfScope):
        services_qualification.run_review(operator_a, campaign)
    with pytest.raises(ServiceError, match="只能在资格审查阶段运行（当前：推荐）"):
        services_qualification.run_review(admin_user, campaign)
    assert not EligibilityResult.objects.exists()


def test_expert_review_waits_for_every_review(reviewed, admin_user, operator_a) -> None:  # type: ignore[no-untyped-def]
    rows, _report = reviewed
    campaign = rows["合格者"].campaign
    Nomination.objects.filter(pk=rows["合格者"].pk).update(eligibility="pending")
    with pytest.raises(ServiceError, match="还有 1 份已提交的推荐未经资格审查"):
        services.advance_stage(admin_user, campaign, Stage.EXPERT_REVIEW)
    services_qualification.run_review(admin_user, campaign)
    assert services.advance_stage(admin_user, campaign, Stage.EXPERT_REVIEW).stage == Stage.EXPERT_REVIEW
