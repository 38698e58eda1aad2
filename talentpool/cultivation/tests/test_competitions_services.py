from __future__ import annotations

import datetime

import pytest

from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.core.models import AuditLog
from talentpool.cultivation import services_competitions as services
from talentpool.cultivation.models import Entry, PromotionProposal, PromotionRule
from talentpool.cultivation.services_competitions import Result
from talentpool.registry.models import Certificate
from talentpool.registry.tests.factories import WorkerFactory

from .factories_competitions import CompetitionEventFactory, CompetitionFactory, EntryFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 6, 1)


def test_seeded_rule_table() -> None:
    assert PromotionRule.objects.count() == 6


def test_operator_enters_own_worker_not_others(operator_a, worker_a, worker_b) -> None:  # type: ignore[no-untyped-def]
    event = CompetitionEventFactory()
    [entry] = services.enter_workers(event, [worker_a], actor=operator_a)
    assert (entry.worker, entry.enterprise) == (worker_a, worker_a.current_enterprise)
    with pytest.raises(ServiceError, match="已报名该项目"):
        services.enter_workers(event, [worker_a], actor=operator_a)
    with pytest.raises(OutOfScope):
        services.enter_workers(event, [worker_b], actor=operator_a)
    assert Entry.objects.count() == 1


def test_operator_b_cannot_see_operator_a_entries(operator_a, operator_b, worker_a) -> None:  # type: ignore[no-untyped-def]
    entry = EntryFactory(worker=worker_a)
    assert list(Entry.objects.restrict(operator_b)) == []
    assert list(Entry.objects.restrict(operator_a)) == [entry]
    with pytest.raises(OutOfScope):
        services.withdraw_entry(entry, actor=operator_b)
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_no_entry_by_operator_after_results(operator_a, worker_a) -> None:  # type: ignore[no-untyped-def]
    event = CompetitionEventFactory(results_recorded=True)
    with pytest.raises(ServiceError):
        services.enter_workers(event, [worker_a], actor=operator_a)
    assert not Entry.objects.exists()


def test_operator_competitions_only_enterprise_level(operator_a, enterprise_b) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError):
        services.create_competition(actor=operator_a, name="x", year=2025, level="city")
    c = services.create_competition(
        actor=operator_a, name="岗位练兵", year=2025, level="enterprise", enterprise=enterprise_b
    )
    assert c.enterprise_id == operator_a.enterprise_id  # their own, whatever was sent


def _results(event, pairs):  # type: ignore[no-untyped-def]
    return [Result(e.pk, rank, None, "") for e, rank in pairs]


def test_results_propose_and_confirm_raises_level(admin_user, worker_a) -> None:  # type: ignore[no-untyped-def]
    event = CompetitionEventFactory()  # national class I
    other = WorkerFactory(name="李四", skill_level=4, enterprise=worker_a.current_enterprise)
    e1, e2 = EntryFactory(event=event, worker=worker_a), EntryFactory(event=event, worker=other)
    services.record_results(event, _results(event, [(e1, 1), (e2, 12)]), actor=admin_user)
    proposal = PromotionProposal.objects.get()
    assert (proposal.entry, proposal.from_level, proposal.proposed_level, proposal.status) == (e1, 3, 5, "proposed")
    services.confirm_proposal(
        proposal, actor=admin_user, number="S000033050010000000001", issued_on=DAY, issuer="区人社局"
    )
    worker_a.refresh_from_db()
    proposal.refresh_from_db()
    assert worker_a.skill_level == 5 and proposal.status == "confirmed"
    assert Certificate.objects.get(worker=worker_a).level == 5
    assert AuditLog.objects.filter(action="cultivation.promotion.confirm").count() == 1


def test_second_promotion_same_year_refused_nothing_changed(admin_user, worker_a) -> None:  # type: ignore[no-untyped-def]
    ev1 = CompetitionEventFactory()
    ev2 = CompetitionEventFactory(competition=CompetitionFactory(level="provincial"))
    e1, e2 = EntryFactory(event=ev1, worker=worker_a), EntryFactory(event=ev2, worker=worker_a)
    services.record_results(ev1, _results(ev1, [(e1, 5)]), actor=admin_user)  # national 1–10: +1
    services.record_results(ev2, _results(ev2, [(e2, 1)]), actor=admin_user)  # provincial class I: +1
    p1, p2 = PromotionProposal.objects.order_by("pk")
    services.confirm_proposal(p1, actor=admin_user, number="S000033050010000000001", issued_on=DAY)
    worker_a.refresh_from_db()
    assert worker_a.skill_level == 4
    with pytest.raises(ServiceError, match="每年最多一次"):
        services.confirm_proposal(p2, actor=admin_user, number="S000033050010000000002", issued_on=DAY)
    p2.refresh_from_db()
    worker_a.refresh_from_db()
    assert p2.status == "proposed" and worker_a.skill_level == 4 and Certificate.objects.count() == 1


def test_refusal_needs_reason_and_rerecording_keeps_decided(admin_user, worker_a) -> None:  # type: ignore[no-untyped-def]
    event = CompetitionEventFactory()
    entry = EntryFactory(event=event, worker=worker_a)
    services.record_results(event, _results(event, [(entry, 2)]), actor=admin_user)
    proposal = PromotionProposal.objects.get()
    with pytest.raises(ServiceError):
        services.refuse_proposal(proposal, actor=admin_user, reason="  ")
    proposal.refresh_from_db()
    assert proposal.status == "proposed"
    services.refuse_proposal(proposal, actor=admin_user, reason="资格不符")
    services.record_results(event, _results(event, [(entry, 50)]), actor=admin_user)  # no longer qualifies
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reason, proposal.proposed_level) == ("refused", "资格不符", 5)


def test_rerecording_updates_and_withdraws_proposed(admin_user, worker_a) -> None:  # type: ignore[no-untyped-def]
    event = CompetitionEventFactory()
    entry = EntryFactory(event=event, worker=worker_a)
    services.record_results(event, _results(event, [(entry, 2)]), actor=admin_user)
    assert PromotionProposal.objects.get().proposed_level == 5
    services.record_results(event, _results(event, [(entry, 8)]), actor=admin_user)
    assert PromotionProposal.objects.get().proposed_level == 4
    services.record_results(event, _results(event, [(entry, 11)]), actor=admin_user)
    assert not PromotionProposal.objects.exists()


def test_results_are_admins_and_rank_positive(admin_user, operator_a, worker_a) -> None:  # type: ignore[no-untyped-def]
    event = CompetitionEventFactory()
    entry = EntryFactory(event=event, worker=worker_a)
    with pytest.raises(OutOfScope):
        services.record_results(event, _results(event, [(entry, 1)]), actor=operator_a)
    with pytest.raises(ServiceError):
        services.record_results(event, _results(event, [(entry, 0)]), actor=admin_user)
    entry.refresh_from_db()
    event.refresh_from_db()
    assert entry.rank is None and not event.results_recorded and not PromotionProposal.objects.exists()


def test_rule_overlap_refused(admin_user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError, match="规则重叠"):
        services.create_rule(
            actor=admin_user,
            level="national",
            competition_class="first",
            rank_from=2,
            rank_to=4,
            levels_up=1,
            highest_level=4,
            is_active=True,
        )
    with pytest.raises(ServiceError):
        services.create_rule(
            actor=admin_user,
            level="city",
            competition_class="",
            rank_from=3,
            rank_to=2,
            levels_up=1,
            highest_level=4,
            is_active=True,
        )
    rule = services.create_rule(
        actor=admin_user,
        level="city",
        competition_class="",
        rank_from=1,
        rank_to=3,
        levels_up=1,
        highest_level=4,
        is_active=True,
    )
    assert PromotionRule.objects.count() == 7 and rule.pk
