"""Jobs record their worker (pid, host) and a heartbeat, so a job whose worker died is failed
(core.jobs.fail_dead_jobs); job files are stored encrypted (core.files.JobFileStorage)."""

from django.db import migrations, models

import talentpool.core.files


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_audit_chain"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="job",
            name="worker_pid",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="job",
            name="worker_host",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AlterField(
            model_name="job",
            name="input_file",
            field=models.FileField(
                blank=True, storage=talentpool.core.files.job_storage, upload_to="jobs/input/%Y/%m/"
            ),
        ),
        migrations.AlterField(
            model_name="job",
            name="result_file",
            field=models.FileField(
                blank=True,
                storage=talentpool.core.files.job_storage,
                upload_to="jobs/result/%Y/%m/",
                verbose_name="result file",
            ),
        ),
    ]
