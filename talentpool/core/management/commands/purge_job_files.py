from typing import Any

from django.core.management.base import BaseCommand

from talentpool.core.files import purge_job_files, retention_hours
from talentpool.core.jobs import fail_dead_jobs


class Command(BaseCommand):
    help = (
        "Fail the jobs whose worker died, then delete every job file past its retention: uploads of ended "
        "jobs, error reports, checked rows and export results older than TALENTPOOL_IMPORT_FILE_HOURS, files "
        "of deleted jobs and unencrypted files. Safe to run at any time and again (hourly systemd timer)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        dead = fail_dead_jobs()
        deleted = purge_job_files()
        details = ", ".join(f"{reason} {count}" for reason, count in sorted(deleted.items())) or "none"
        self.stdout.write(
            f"dead jobs failed: {len(dead)}; job files deleted: {sum(deleted.values())} ({details}); "
            f"retention {retention_hours()} h"
        )
