from django.db import migrations


def seed(apps, schema_editor):
    from talentpool.registry.data.occupations import INDUSTRIES, MAJOR_GROUPS, MEDIUM_GROUPS

    Industry = apps.get_model("registry", "Industry")
    Occupation = apps.get_model("registry", "Occupation")
    for order, (name, heritage) in enumerate(INDUSTRIES, start=1):
        Industry.objects.get_or_create(name=name, defaults={"is_heritage": heritage, "sort_order": order * 10})
    majors = {}
    for code, name in MAJOR_GROUPS:
        majors[code], _ = Occupation.objects.get_or_create(code=code, defaults={"name": name, "level": 1})
    for code, name in MEDIUM_GROUPS:
        Occupation.objects.get_or_create(
            code=code, defaults={"name": name, "level": 2, "parent": majors[code.split("-")[0]]}
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
