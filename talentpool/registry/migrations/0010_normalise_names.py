"""Store every worker's name as rules.names.normalise_name gives it, whatever path saved it: no
space inside a Han name (" 李　测二 " was stored as "李 测二", so neither 李测二 nor lcr found it),
one middle dot (U+00B7) in transcribed names (阿不都·热合曼), single spaces in Latin names; the
pinyin search and sort keys recomputed from the stored name (as 0008_refresh_name_keys does)."""

from django.db import migrations

NAME_MAX_LENGTH = 32  # Worker.name


def normalise_names(apps, schema_editor):
    from talentpool.rules.names import name_keys, normalise_name

    Worker = apps.get_model("registry", "Worker")
    batch = []
    for worker in Worker.objects.only("pk", "name", "name_search", "name_sort").iterator(chunk_size=2000):
        name = normalise_name(worker.name)
        if len(name) > NAME_MAX_LENGTH:  # NFKC can lengthen a name (㍿): keep it as it was
            name = worker.name
        keys = name_keys(name)
        if (worker.name, worker.name_search, worker.name_sort) != (name, *keys):
            worker.name = name
            worker.name_search, worker.name_sort = keys
            batch.append(worker)
        if len(batch) == 2000:
            Worker.objects.bulk_update(batch, ["name", "name_search", "name_sort"])
            batch = []
    Worker.objects.bulk_update(batch, ["name", "name_search", "name_sort"])


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0009_edit_versions"),
    ]

    operations = [
        migrations.RunPython(normalise_names, migrations.RunPython.noop),
    ]
