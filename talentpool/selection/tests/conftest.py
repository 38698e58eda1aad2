"""Fixtures of the selection tests: a campaign open for nominations, and its tiers."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from talentpool.selection import services
from talentpool.selection.choices import Stage
from talentpool.selection.models import Campaign
from talentpool.titles.models import Tier

YEAR = 2026


def open_campaign(admin, *, year: int = YEAR, deadline_days: int = 10) -> Campaign:  # type: ignore[no-untyped-def]
    campaign = services.create_campaign(admin, year)
    services.update_campaign(admin, campaign, {
        "nomination_deadline": timezone.now() + datetime.timedelta(days=deadline_days),
        "nominations_per_enterprise": 3, "reference_date": datetime.date(2026, 6, 1)})
    return services.advance_stage(admin, campaign, Stage.NOMINATING)


@pytest.fixture
def campaign(admin_user) -> Campaign:  # type: ignore[no-untyped-def]
    return open_campaign(admin_user)


@pytest.fixture
def craftsman(db) -> Tier:  # type: ignore[no-untyped-def]
    return Tier.objects.get(code="craftsman")


@pytest.fixture
def chief(db) -> Tier:  # type: ignore[no-untyped-def]
    return Tier.objects.get(code="chief_technician")
