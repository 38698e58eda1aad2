"""The three tiers of the seed (seeds/000: 南浔工匠 100, 首席技工 200, 技术标兵 800) with their
annual allowances from the programme's first year, 2018 (5,000 / 3,000 / 1,500 yuan). Core's
migration 0009 seeds the tiers as programme settings; this one makes sure they are there (named
after the district, as core names them) and gives each its allowance schedule."""

from decimal import Decimal

from django.conf import settings
from django.db import migrations

FIRST_YEAR = 2018
# code, name (after the district), rank, quota, allowance from FIRST_YEAR
TIERS = [
    ("craftsman", "{place}工匠", 1, 100, Decimal("5000")),
    ("chief_technician", "首席技工", 2, 200, Decimal("3000")),
    ("technical_model", "技术标兵", 3, 800, Decimal("1500")),
]


def place_name(district: str) -> str:
    return district[:-1] if len(district) > 2 and district[-1] in "区县市旗" else district


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    ProgrammeSettings = apps.get_model("core", "ProgrammeSettings")
    HonourTier = apps.get_model("core", "HonourTier")
    TierAllowance = apps.get_model("titles", "TierAllowance")
    programme, _ = ProgrammeSettings.objects.get_or_create(
        pk=1, defaults={"district_name": settings.DISTRICT_NAME, "programme_name": settings.PROGRAMME_NAME}
    )
    for code, name, rank, quota, amount in TIERS:
        tier, _ = HonourTier.objects.get_or_create(
            code=code,
            defaults={
                "programme": programme,
                "name": name.format(place=place_name(programme.district_name)),
                "order": rank,
                "annual_allowance": amount,
                "default_quota": quota,
            },
        )
        TierAllowance.objects.get_or_create(tier_id=tier.pk, from_year=FIRST_YEAR, defaults={"amount": amount})


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    TierAllowance = apps.get_model("titles", "TierAllowance")
    TierAllowance.objects.filter(tier__code__in=[code for code, *_ in TIERS], from_year=FIRST_YEAR).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("titles", "0001_initial"),
        ("core", "0009_sysadmin"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
