from django.db import migrations


def seed(apps, schema_editor):
    from talentpool.rules import workdays

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarYear = apps.get_model("core", "CalendarYear")
    rows = []
    for year in sorted(workdays.library_years()):
        rows += [CalendarDay(day=d, is_workday=w, note=n) for d, w, n in workdays.seed_days(year)]
        CalendarYear.objects.get_or_create(year=year, defaults={"is_complete": True})
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
