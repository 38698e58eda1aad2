"""Recompute the stored pinyin keys: common surnames (rules.names.COMMON_SURNAMES) no longer carry
every dictionary reading of their character (方 is fang, not also pang/wang/feng)."""

from django.db import migrations


def refresh_name_keys(apps, schema_editor):
    from talentpool.rules.names import name_keys

    Worker = apps.get_model("registry", "Worker")
    batch = []
    for worker in Worker.objects.only("pk", "name", "name_search", "name_sort").iterator(chunk_size=2000):
        keys = name_keys(worker.name.strip())
        if (worker.name_search, worker.name_sort) != keys:
            worker.name_search, worker.name_sort = keys
            batch.append(worker)
        if len(batch) == 2000:
            Worker.objects.bulk_update(batch, ["name_search", "name_sort"])
            batch = []
    Worker.objects.bulk_update(batch, ["name_search", "name_sort"])


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0007_one_name_index"),
    ]

    operations = [
        migrations.RunPython(refresh_name_keys, migrations.RunPython.noop),
    ]
