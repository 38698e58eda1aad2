# The competitions records: the starting promotion rule table (破格晋升, seed 004). It is a
# starting point that admins edit on 系统管理 › 破格晋升规则; nothing else reads these rows as fixed.
from django.db import migrations

# (competition level, class ("" = any), rank from, rank to, levels up, highest level reachable)
# Levels are rules.skills.SkillLevel values: 4 = 技师（二级）, 5 = 高级技师（一级）.
DEFAULT_RULES = [
    ("national", "first", 1, 3, 2, 5),  # national class I, ranks 1–3: two levels, up to 高级技师
    ("national", "", 1, 10, 1, 5),  # any national contest, ranks 1–10: one level, up to 高级技师
    ("provincial", "first", 1, 5, 1, 5),  # provincial class I, ranks 1–5: one level, up to 高级技师
    ("provincial", "second", 1, 3, 1, 4),  # provincial class II, ranks 1–3: one level, up to 技师
    ("city", "first", 1, 3, 1, 4),  # city class I, ranks 1–3: one level, up to 技师
    ("district", "first", 1, 1, 1, 4),  # district class I, rank 1: one level, up to 技师
]


def seed_rules(apps, schema_editor):
    PromotionRule = apps.get_model("cultivation", "PromotionRule")
    if PromotionRule.objects.exists():
        return
    PromotionRule.objects.bulk_create(
        PromotionRule(level=level, competition_class=cls, rank_from=rank_from, rank_to=rank_to,
                      levels_up=levels_up, highest_level=highest)
        for level, cls, rank_from, rank_to, levels_up, highest in DEFAULT_RULES
    )


def unseed_rules(apps, schema_editor):
    PromotionRule = apps.get_model("cultivation", "PromotionRule")
    for level, cls, rank_from, rank_to, levels_up, highest in DEFAULT_RULES:
        PromotionRule.objects.filter(level=level, competition_class=cls, rank_from=rank_from, rank_to=rank_to,
                                     levels_up=levels_up, highest_level=highest).delete()


class Migration(migrations.Migration):
    dependencies = [("cultivation", "0002_training")]

    operations = [migrations.RunPython(seed_rules, unseed_rules)]
