"""Walk the audit log's hash chain; exit non-zero at the first edited, inserted or deleted record."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from talentpool.core.audit import ChainReport, verify_chain


def describe_break(report: ChainReport) -> str:
    """The first break, in words, naming the record (id and local time) and what to do."""
    brk = report.first_break
    assert brk is not None
    at = f"{timezone.localtime(brk.at):%Y-%m-%d %H:%M:%S}" if brk.at is not None else ""
    if brk.kind == "altered":
        what = _("record #%(id)s (%(at)s) does not match its hash: it was changed or forged.")
    elif brk.kind == "unlinked":
        what = _("record #%(id)s (%(at)s) does not follow the record before it: a record before it was "
                 "deleted, or it was inserted.")
    elif brk.record_id is not None:
        what = _("records after the last one, #%(id)s (%(at)s), were deleted.")
    else:
        what = _("every record was deleted.")
    return _("The audit log has been tampered with: %(what)s %(count)s records before it verify. Keep the "
             "database as it is and tell the security officer.") % {
        "what": what % {"id": brk.record_id, "at": at}, "count": report.count}


class Command(BaseCommand):
    help = "Verify the audit log's hash chain (every record, in id order, from the last purge on)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--chunk-size", type=int, default=2000, help="records read per query")

    def handle(self, *args, chunk_size: int, **options):  # type: ignore[no-untyped-def]
        report = verify_chain(chunk_size=chunk_size)
        if not report.is_intact:
            raise CommandError(describe_break(report))
        message = _("The audit log is intact: %(count)s records, the chain verifies.")
        self.stdout.write(message % {"count": report.count})
