"""The demo's current campaign (selection/demo.py): open for nominations, in proportion, with the
demo operator's work waiting and reasons for the qualification review to show."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from talentpool.core.models import User
from talentpool.registry.demo import EXAMPLE_ENTERPRISE, EXAMPLE_NAME, load_demo
from talentpool.selection import services, services_qualification
from talentpool.selection.choices import Stage
from talentpool.selection.models import Campaign, EligibilityResult, Nomination

TODAY = date(2026, 11, 21)


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    return load_demo(workers=1_500, enterprises=40, seed=5, today=TODAY)


def test_the_current_campaign_takes_nominations(demo) -> None:  # type: ignore[no-untyped-def]
    campaign = Campaign.objects.get()
    assert (campaign.year, campaign.stage) == (2026, Stage.NOMINATING)
    assert campaign.nomination_deadline.date() == date(2026, 12, 3)
    nominations = list(Nomination.objects.select_related("worker", "enterprise"))
    assert demo.counts["nominations"] == len(nominations) >= 12
    per_enterprise = Counter(n.enterprise_id for n in nominations)
    assert max(per_enterprise.values()) <= campaign.nominations_per_enterprise
    assert all(n.worker.current_enterprise_id == n.enterprise_id for n in nominations)
    assert not [n for n in nominations if n.worker.name == EXAMPLE_NAME]
    own = Counter(n.status for n in nominations if n.enterprise.name == EXAMPLE_ENTERPRISE)
    assert own == {"submitted": 1, "draft": 1}
    assert Counter(n.tier.order for n in nominations).keys() == {1, 2, 3}
    assert campaign.stage_changes.get().by == User.objects.get(username="admin")


def test_the_review_on_the_demo_explains_who_is_not_eligible(demo) -> None:  # type: ignore[no-untyped-def]
    admin = User.objects.get(username="admin")
    campaign = services.advance_stage(admin, Campaign.objects.get(), Stage.QUALIFICATION)
    report = services_qualification.run_review(admin, campaign)
    assert report.checked == Nomination.objects.filter(status="submitted").count()
    assert 0 < report.ineligible < report.checked
    assert EligibilityResult.objects.filter(passed=False).exists()


def test_the_same_seed_gives_the_same_nominations(db) -> None:  # type: ignore[no-untyped-def]
    load_demo(workers=400, enterprises=20, seed=9, today=TODAY)
    first = sorted(Nomination.objects.values_list("worker__name", "tier__order", "status"))
    load_demo(workers=400, enterprises=20, seed=9, today=TODAY, force=True)
    assert sorted(Nomination.objects.values_list("worker__name", "tier__order", "status")) == first
