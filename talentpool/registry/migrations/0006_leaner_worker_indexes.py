"""Fewer indexes to maintain on every new worker (an import of 10,000 workers spent a large part
of its database time on them, bench_import.py):

- the (current enterprise, name) index: the FK index serves an enterprise's workers, and the
  lists are ordered by pinyin (registry_worker_order), not by name;
- the LIKE index PostgreSQL builds beside a unique CharField: the ID-number hash is only ever
  compared whole, so it becomes a plain unique constraint;
- the trigram index on names: a name search is a prefix search on the name's own index first
  (querysets.WorkerQuerySet.search), and the rare substring fallback may read the table.
"""

from django.db import migrations, models

NAME_INDEX = "registry_worker_name_trgm"


def drop_name_trigrams(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME_INDEX}")


def create_name_trigrams(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME_INDEX} ON registry_worker USING gin (name gin_trgm_ops)")


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0005_list_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='worker',
            name='registry_wo_current_700efe_idx',
        ),
        migrations.AlterField(
            model_name='worker',
            name='id_number_hash',
            field=models.CharField(editable=False, max_length=64),
        ),
        migrations.AddConstraint(
            model_name='worker',
            constraint=models.UniqueConstraint(fields=('id_number_hash',), name='registry_worker_id_number_unique'),
        ),
        migrations.RunPython(drop_name_trigrams, create_name_trigrams),
    ]
