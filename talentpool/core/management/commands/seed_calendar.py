from django.core.management.base import BaseCommand, CommandError

from talentpool.core.calendar import seed_year
from talentpool.rules import workdays


class Command(BaseCommand):
    help = "Copy the installed chinesecalendar's holiday arrangement into the working-day table (keeps admin edits)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("years", nargs="*", type=int, help="years to seed (default: every year the library knows)")

    def handle(self, *args, years: list[int], **options):  # type: ignore[no-untyped-def]
        for year in years or sorted(workdays.library_years()):
            try:
                created = seed_year(year)
            except workdays.CalendarUnknown as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"{year}: {created} new days")
