"""Occupations as offices write them: the minor groups and occupations of the 2022 classification
(registry/data/occupations_2022.py, which names its source) under the medium groups of 0002, the
aliases offices use (维修电工 → 电工), and pinyin keys on occupations, aliases and enterprises
(rules.names.phrase_keys: found by 车工, chegong or cg; enterprises listed in pinyin order)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

BATCH = 2000


def fill_keys(model, fields=("pk", "name", "name_search", "name_sort")):
    from talentpool.rules.names import phrase_keys

    batch = []
    for row in model.objects.only(*fields).iterator(chunk_size=BATCH):
        keys = phrase_keys(row.name)
        if (row.name_search, row.name_sort) != keys:
            row.name_search, row.name_sort = keys
            batch.append(row)
        if len(batch) == BATCH:
            model.objects.bulk_update(batch, ["name_search", "name_sort"])
            batch = []
    model.objects.bulk_update(batch, ["name_search", "name_sort"])


def load_occupations(apps, schema_editor):
    from talentpool.registry.data.occupations_2022 import ALIASES, MINOR_GROUPS, OCCUPATIONS

    Occupation = apps.get_model("registry", "Occupation")
    OccupationAlias = apps.get_model("registry", "OccupationAlias")
    Enterprise = apps.get_model("registry", "Enterprise")
    known = {o.code: o for o in Occupation.objects.all()}
    for level, rows in ((3, MINOR_GROUPS), (4, OCCUPATIONS)):
        for code, name in rows:
            parent = known.get(code.rsplit("-", 1)[0])
            if code in known or parent is None:  # kept as an admin entered it; or no group to sit under
                continue
            known[code] = Occupation.objects.create(code=code, name=name, level=level, parent=parent)
    names = set(Occupation.objects.values_list("name", flat=True))
    for alias, code in ALIASES:
        if code in known and alias not in names:
            OccupationAlias.objects.get_or_create(name=alias, defaults={"occupation": known[code]})
    fill_keys(Occupation)
    fill_keys(OccupationAlias)
    fill_keys(Enterprise)


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0010_normalise_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="occupation",
            name="name_search",
            field=models.CharField(default="", editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name="occupation",
            name="name_sort",
            field=models.CharField(default="", editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name="enterprise",
            name="name_search",
            field=models.CharField(default="", editable=False, max_length=800),
        ),
        migrations.AddField(
            model_name="enterprise",
            name="name_sort",
            field=models.CharField(default="", editable=False, max_length=800),
        ),
        migrations.AlterModelOptions(
            name="enterprise",
            options={
                "ordering": ["name_sort", "name"],
                "verbose_name": "enterprise",
                "verbose_name_plural": "enterprises",
            },
        ),
        migrations.CreateModel(
            name="OccupationAlias",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name_search", models.CharField(default="", editable=False, max_length=800)),
                ("name_sort", models.CharField(default="", editable=False, max_length=800)),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="alias")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                (
                    "occupation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="aliases",
                        to="registry.occupation",
                        verbose_name="occupation",
                    ),
                ),
            ],
            options={
                "verbose_name": "occupation alias",
                "verbose_name_plural": "occupation aliases",
                "ordering": ["name_sort", "name"],
            },
        ),
        migrations.RunPython(load_occupations, migrations.RunPython.noop),
    ]
