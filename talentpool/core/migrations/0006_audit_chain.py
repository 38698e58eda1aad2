"""The audit log becomes an append-only hash chain: every record gets ``prev_hash`` and ``hash``
(core.audit.seal), the records already there are chained in id order, and the chain head is one
row of AuditChain. On PostgreSQL a trigger refuses any UPDATE of a record and the DELETE of one
younger than 180 days (the minimum retention, purge_audit), whatever the application does."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION core_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit records cannot be changed (core_auditlog is append-only)';
    END IF;
    IF OLD.at > now() - interval '180 days' THEN
        RAISE EXCEPTION 'audit records younger than 180 days cannot be deleted';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditlog_append_only BEFORE UPDATE OR DELETE ON core_auditlog
    FOR EACH ROW EXECUTE FUNCTION core_auditlog_append_only();
"""

DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS core_auditlog_append_only ON core_auditlog;
DROP FUNCTION IF EXISTS core_auditlog_append_only();
"""


def chain_existing(apps, schema_editor):
    from talentpool.core.audit import HEAD_PK, seal_existing

    last_id, last_hash = seal_existing(apps.get_model("core", "AuditLog"))
    apps.get_model("core", "AuditChain").objects.create(pk=HEAD_PK, last_id=last_id, last_hash=last_hash)


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER_SQL)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0005_audit_action_choices_callable"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChain",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("last_id", models.BigIntegerField(default=0)),
                ("last_hash", models.CharField(blank=True, max_length=64)),
                ("anchor_id", models.BigIntegerField(default=0)),
                ("anchor_hash", models.CharField(blank=True, max_length=64)),
                ("anchor_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "audit chain",
                "verbose_name_plural": "audit chain",
            },
        ),
        migrations.AddField(
            model_name="auditlog",
            name="hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditlog",
            name="prev_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditlog",
            name="actor",
            field=models.ForeignKey(
                blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="user",
            ),
        ),
        migrations.AlterField(
            model_name="auditlog",
            name="content_type",
            field=models.ForeignKey(
                blank=True, db_constraint=False, db_index=False, null=True,
                on_delete=django.db.models.deletion.DO_NOTHING, to="contenttypes.contenttype",
            ),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(add_trigger, drop_trigger, elidable=False),
    ]
