"""The programme settings that are data (系统参数): the district's and the programme's names and
the honour tiers as the district names them.

Every page shows the names (the navigation bar, the footer, the login page), so they are read
through a cache, not the database: ``current()`` costs no query once warm. Saving clears the cache
of this process; other processes (gunicorn workers) keep theirs for at most ``CACHE_SECONDS``.
Until an admin has saved the settings (or after a test flushed the table) the names are
settings.DISTRICT_NAME and PROGRAMME_NAME, the seed's defaults.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from .audit import diff, record
from .models import HonourTier, ProgrammeSettings, User

AUDIT_EVENTS = {
    "programme.settings.update": gettext_lazy("changed the programme settings"),
    "programme.tier.create": gettext_lazy("added an honour tier"),
    "programme.tier.update": gettext_lazy("changed an honour tier"),
}

CACHE_KEY = "talentpool:programme-settings"
CACHE_SECONDS = 60
SINGLETON_PK = 1
CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Names:
    district_name: str
    programme_name: str


def defaults() -> Names:
    return Names(district_name=settings.DISTRICT_NAME, programme_name=settings.PROGRAMME_NAME)


def current() -> Names:
    """The names as the admin has set them (cached)."""
    cached = cache.get(CACHE_KEY)
    if cached is not None:
        return Names(**cached)
    row = ProgrammeSettings.objects.filter(pk=SINGLETON_PK).values("district_name", "programme_name").first()
    names = Names(**row) if row else defaults()
    cache.set(CACHE_KEY, asdict(names), CACHE_SECONDS)
    return names


def clear_cache() -> None:
    cache.delete(CACHE_KEY)


def programme(request: HttpRequest) -> dict[str, Any]:
    """Context processor (settings.TEMPLATES, after ``navigation``, whose keys it overrides)."""
    names = current()
    return {"district_name": names.district_name, "programme_name": names.programme_name}


def settings_row() -> ProgrammeSettings:
    """The one settings row, created with the defaults if it is missing (not cached: for editing)."""
    row, _ = ProgrammeSettings.objects.get_or_create(pk=SINGLETON_PK, defaults=asdict(defaults()))
    return row


def tiers(*, active_only: bool = False) -> QuerySet[HonourTier]:
    """The honour tiers, highest first."""
    rows = HonourTier.objects.filter(programme_id=SINGLETON_PK)
    return rows.filter(is_active=True) if active_only else rows


TIER_FIELDS = ("code", "name", "order", "annual_allowance", "default_quota", "is_active")


def _tier_values(tier: HonourTier) -> dict[str, Any]:
    values = {name: getattr(tier, name) for name in TIER_FIELDS}
    values["annual_allowance"] = Decimal(values["annual_allowance"] or 0).quantize(CENTS)  # 5000 == 5000.00
    return values


@transaction.atomic
def update_settings(
    *, district_name: str, programme_name: str, tiers: list[HonourTier], actor: User
) -> ProgrammeSettings:
    """Save the names and the tiers (changed or new ``HonourTier`` instances, not yet saved);
    one audit record for the names if they changed and one per tier created or changed."""
    row = ProgrammeSettings.objects.select_for_update().get(pk=settings_row().pk)
    before = {"district_name": row.district_name, "programme_name": row.programme_name}
    row.district_name, row.programme_name = district_name, programme_name
    changes = diff(before, {"district_name": district_name, "programme_name": programme_name})
    if changes:
        row.save()
        record(actor, "programme.settings.update", row, changes=changes)
    saved = {t.pk: t for t in HonourTier.objects.select_for_update().filter(pk__in=[t.pk for t in tiers if t.pk])}
    for tier in tiers:
        tier.programme = row
        old = saved.get(tier.pk)
        if old is None:
            tier.save()
            record(actor, "programme.tier.create", tier, changes=diff({}, _tier_values(tier)))
            continue
        tier_changes = diff(_tier_values(old), _tier_values(tier))
        if tier_changes:
            tier.save()
            record(actor, "programme.tier.update", tier, changes=tier_changes)
    transaction.on_commit(clear_cache)
    clear_cache()
    return row
