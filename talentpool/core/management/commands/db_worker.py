"""django-tasks-db's worker, started after failing the jobs a dead worker left running and
purging job files past their retention (talentpool.core is listed before django_tasks_db in
INSTALLED_APPS, so this command takes the place of theirs)."""

import logging
from typing import Any

from django_tasks_db.management.commands import db_worker

from talentpool.core.files import purge_job_files
from talentpool.core.jobs import fail_dead_jobs

logger = logging.getLogger(__name__)


class Command(db_worker.Command):
    help = db_worker.Command.help + " (after failing dead jobs and purging job files past their retention)"

    def handle(self, *args: Any, **options: Any) -> None:
        dead = fail_dead_jobs()
        deleted = purge_job_files()
        logger.info("worker start: %s dead jobs failed, %s job files purged", len(dead), sum(deleted.values()))
        super().handle(*args, **options)
