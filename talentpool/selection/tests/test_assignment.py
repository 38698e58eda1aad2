"""Reviewer assignment (services_assignment.py): the optimal proposal with its reasons, no expert
on a conflict, capacity and one expert per employer, experts see only confirmed assignments, an
expert declines and only that nomination is re-solved."""

from __future__ import annotations

import datetime

import pytest

from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.core.models import User
from talentpool.core.roles import Action, Role
from talentpool.cultivation.models import Mentorship
from talentpool.registry.tests.factories import EnterpriseFactory, WorkerFactory
from talentpool.selection import services, services_assignment, services_nomination, services_qualification
from talentpool.selection.choices import Stage
from talentpool.selection.models import Assignment, DeclaredRelation, Expert, ExpertEmployment


def _expert(name: str, *, employer=None, employer_name: str = "", occupations=(), industries=(), capacity=60,  # type: ignore[no-untyped-def]
            user: bool = False, worker=None) -> Expert:
    login = User.objects.create_user(username=f"expert_{name}", password="x", role=Role.EXPERT) if user else None
    expert = Expert.objects.create(name=name, employer=employer, employer_name=employer_name or (employer.name if
                                   employer else "学院"), capacity=capacity, user=login, worker=worker)
    expert.occupations.set(occupations)
    expert.industries.set(industries)
    return expert


@pytest.fixture
def review(campaign, admin_user, operator_a, enterprise_a, craftsman):  # type: ignore[no-untyped-def]
    """Two eligible nominations of enterprise A at the expert review stage, 2 experts each."""
    services.update_campaign(admin_user, campaign, {"experts_per_nomination": 2})
    rows = []
    for name in ("甲", "乙"):
        worker = WorkerFactory(name=f"被推荐{name}", enterprise=enterprise_a, skill_level=4,
                               work_start_date=datetime.date(2008, 1, 1), birth_date=datetime.date(1985, 3, 1))
        n = services_nomination.create_nomination(operator_a, campaign, worker, craftsman.pk, statement="x",
                                                  consent=True)
        rows.append(services_nomination.submit_nomination(operator_a, n))
    services.advance_stage(admin_user, campaign, Stage.QUALIFICATION)
    services_qualification.run_review(admin_user, campaign)
    campaign = services.advance_stage(admin_user, campaign, Stage.EXPERT_REVIEW)
    return campaign, rows


def test_the_proposal_maximises_the_match_and_gives_its_reasons(review, admin_user, enterprise_a) -> None:  # type: ignore[no-untyped-def]
    campaign, rows = review
    occupation = rows[0].worker.occupation
    industry = enterprise_a.industry
    same_occupation = _expert("对口", occupations=[occupation] if occupation else [], industries=[industry])
    same_industry = _expert("同行", employer_name="大学", industries=[industry])
    _expert("外行", employer_name="研究所")
    report = services_assignment.propose(admin_user, campaign)
    assert (report.proposed, report.kept, report.nominations) == (4, 0, 2)
    chosen = {(a.nomination_id, a.expert.name) for a in Assignment.objects.select_related("expert")}
    assert chosen == {(n.pk, e) for n in rows for e in ("对口", "同行")}
    reasons = {a.expert.name: a.reasons for a in Assignment.objects.select_related("expert")}
    assert reasons["同行"] == [f"同行业：{industry.name}"]
    assert same_occupation.pk and same_industry.pk
    assert set(Assignment.objects.values_list("status", flat=True)) == {"proposed"}


def test_conflicts_are_never_assigned(review, admin_user, enterprise_a, operator_a) -> None:  # type: ignore[no-untyped-def]
    campaign, rows = review
    insider = _expert("本单位", employer=enterprise_a)  # works at the nominating enterprise
    former = _expert("离职", employer_name="学院甲")
    ExpertEmployment.objects.create(expert=former, enterprise=enterprise_a, start_date=datetime.date(2010, 1, 1),
                                    end_date=datetime.date.today() - datetime.timedelta(days=400))
    master_worker = WorkerFactory(name="师傅", enterprise=EnterpriseFactory())
    master = _expert("师傅", employer_name="学院乙", worker=master_worker)
    Mentorship.objects.create(master=master_worker, apprentice=rows[0].worker, enterprise=enterprise_a,
                              start_date=datetime.date(2015, 1, 1))
    related = _expert("亲属", employer_name="学院丙")
    DeclaredRelation.objects.create(expert=related, worker=rows[1].worker, note="表兄弟", declared_by=admin_user)
    for name in ("甲1", "乙1", "丙1"):
        _expert(name, employer_name=f"机构{name}")
    services_assignment.propose(admin_user, campaign)
    pairs = set(Assignment.objects.values_list("nomination_id", "expert_id"))
    assert not {(n.pk, insider.pk) for n in rows} & pairs
    assert not {(n.pk, former.pk) for n in rows} & pairs
    assert (rows[0].pk, master.pk) not in pairs and (rows[1].pk, related.pk) not in pairs
    # the admin may not put them back either, and is told why
    proposal = Assignment.objects.filter(nomination=rows[0]).first()
    with pytest.raises(ServiceError, match=r"专家现在推荐单位 .* 工作"):
        services_assignment.replace_expert(admin_user, proposal, insider)
    with pytest.raises(ServiceError, match="师徒关系"):
        services_assignment.replace_expert(admin_user, proposal, master)
    assert Assignment.objects.get(pk=proposal.pk).expert_id == proposal.expert_id


def test_one_expert_per_employer_and_capacity(review, admin_user) -> None:  # type: ignore[no-untyped-def]
    campaign, rows = review
    assert len(rows) == 2
    _expert("同校一", employer_name="职业技术学院")
    _expert("同校二", employer_name="职业技术学院")
    _expert("独立", employer_name="研究院", capacity=1)
    _expert("另一", employer_name="大学")
    services_assignment.propose(admin_user, campaign)
    for n in rows:
        employers = list(Assignment.objects.filter(nomination=n).values_list("expert__employer_name", flat=True))
        assert len(employers) == len(set(employers)) == 2
    assert Assignment.objects.filter(expert__name="独立").count() <= 1


def test_an_impossible_assignment_says_why_and_writes_nothing(review, admin_user) -> None:  # type: ignore[no-untyped-def]
    campaign, _rows = review
    _expert("唯一", employer_name="学院")
    with pytest.raises(ServiceError, match="没有满足全部规则的分配"):
        services_assignment.propose(admin_user, campaign)
    assert not Assignment.objects.exists()


def test_experts_see_only_their_confirmed_assignments_and_decline(review, admin_user) -> None:  # type: ignore[no-untyped-def]
    campaign, _rows = review
    mine = _expert("本人", employer_name="学院一", user=True)
    _expert("二", employer_name="学院二")
    _expert("三", employer_name="学院三")
    services_assignment.propose(admin_user, campaign)
    me = mine.user
    assert not Assignment.objects.restrict(me, Action.VIEW).exists()  # a proposal is not shown
    services_assignment.confirm(admin_user, campaign)
    visible = list(Assignment.objects.restrict(me, Action.VIEW))
    assert visible and all(a.expert_id == mine.pk for a in visible)
    target = visible[0]
    with pytest.raises(ServiceError, match="请填写谢绝理由"):
        services_assignment.decline(me, target, reason=" ")
    with pytest.raises(OutOfScope):
        services_assignment.decline(admin_user, target, reason="出差")
    others_before = set(Assignment.objects.exclude(nomination=target.nomination).values_list("pk", "expert_id"))
    made = services_assignment.decline(me, target, reason="出差在外")
    target.refresh_from_db()
    assert (target.status, target.declined_reason) == ("declined", "出差在外")
    assert len(made) == 1 and made[0].expert_id != mine.pk and made[0].status == "confirmed"
    live = Assignment.objects.filter(nomination=target.nomination).exclude(status="declined")
    assert live.count() == 2 and mine.pk not in set(live.values_list("expert_id", flat=True))
    assert set(Assignment.objects.exclude(nomination=target.nomination).values_list("pk", "expert_id")) == others_before


def test_only_admins_and_only_at_the_expert_review(campaign, admin_user, operator_a) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OutOfScope):
        services_assignment.propose(operator_a, campaign)
    with pytest.raises(ServiceError, match="评审分配在专家评审阶段进行（当前：推荐）"):
        services_assignment.propose(admin_user, campaign)
    assert not Assignment.objects.exists()
