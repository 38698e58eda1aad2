"""Trigram indexes for the worker search on PostgreSQL (SQLite is left as it is).

``WorkerQuerySet.search`` filters with ``LIKE '%…%'`` on ``name_search`` (pinyin keys, ASCII) and
on ``name`` (汉字); without these indexes each search reads all 100,000 rows of a district.
pg_trgm is a trusted extension (PostgreSQL 13+), so a database owner can create it.

pg_trgm only extracts trigrams from Han characters when the database's LC_CTYPE is not C/POSIX
(``C.UTF-8``, ``zh_CN.UTF-8`` …); under a C ctype the index on ``name`` would never be used, so it
is created only where it can help.
"""

from django.db import migrations

NAME_SEARCH_INDEX = "registry_worker_name_search_trgm"
NAME_INDEX = "registry_worker_name_trgm"


def create_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME_SEARCH_INDEX} ON registry_worker "
            "USING gin (name_search gin_trgm_ops)"
        )
        cursor.execute("SHOW lc_ctype")
        ctype = cursor.fetchone()[0]
        if ctype.upper() not in {"C", "POSIX"}:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {NAME_INDEX} ON registry_worker USING gin (name gin_trgm_ops)"
            )


def drop_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {NAME_SEARCH_INDEX}")
        cursor.execute(f"DROP INDEX IF EXISTS {NAME_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_reference_data")]
    operations = [migrations.RunPython(create_indexes, drop_indexes)]
