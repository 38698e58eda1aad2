"""Delete audit records older than the retention period (at least 180 days), keeping the chain."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from talentpool.core.audit import ChainBroken, RetentionError, purge_before

from .verify_audit import describe_break


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("Give the date as YYYY-MM-DD, for example 2025-01-31.")) from None


class Command(BaseCommand):
    help = "Delete the audit records from before a date, which must be at least the retention period ago."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--before", required=True, help="YYYY-MM-DD: records from before this day are deleted")

    def handle(self, *args, before: str, **options):  # type: ignore[no-untyped-def]
        day = iso_date(before)
        try:
            purge = purge_before(day, actor_label="manage.py purge_audit")
        except RetentionError as exc:
            raise CommandError(
                _("Audit records are kept for at least %(days)s days: --before may be %(latest)s at the latest.")
                % {"days": exc.days, "latest": exc.latest.isoformat()}
            ) from None
        except ChainBroken as exc:
            problem = describe_break(exc.report)
            raise CommandError(_("Nothing was deleted. %(problem)s") % {"problem": problem}) from None
        if not purge.deleted:
            message = _("No audit records from before %(day)s: nothing was deleted.")
            self.stdout.write(message % {"day": day.isoformat()})
            return
        self.stdout.write(
            _("Deleted %(count)s audit records from before %(day)s; the chain now starts after record #%(id)s.")
            % {"count": purge.deleted, "day": day.isoformat(), "id": purge.anchor_id}
        )
