from typing import Any

from django.core.management.base import BaseCommand

from talentpool.core.jobs import fail_dead_jobs


class Command(BaseCommand):
    help = "Mark running jobs whose worker process died (no heartbeat, or gone from this machine) as failed."

    def handle(self, *args: Any, **options: Any) -> None:
        dead = fail_dead_jobs()
        self.stdout.write(f"dead jobs failed: {len(dead)}" + (f" ({', '.join(map(str, dead))})" if dead else ""))
