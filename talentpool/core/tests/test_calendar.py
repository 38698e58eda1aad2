from datetime import date

import pytest
from django.core.management import call_command

from talentpool.core.calendar import notice_end, seed_year, statutory_calendar
from talentpool.core.models import CalendarDay, CalendarYear
from talentpool.rules.workdays import CalendarUnknown


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 9, 26), date(2025, 10, 9)),
        (date(2025, 1, 24), date(2025, 2, 6)),
        (date(2026, 2, 12), date(2026, 2, 25)),
    ],
)
def test_notice_end_uses_the_seeded_table(start, end):
    assert notice_end(start, 5) == end


@pytest.mark.django_db
def test_the_migration_seeded_every_library_year():
    assert CalendarYear.objects.filter(year=2025, is_complete=True).exists()
    national_day = CalendarDay.objects.get(day=date(2025, 10, 1))
    assert national_day.is_workday is False
    makeup = CalendarDay.objects.get(day=date(2025, 9, 28))  # Sunday make-up workday
    assert makeup.is_workday is True
    assert "调休上班" in makeup.note


@pytest.mark.django_db
def test_an_admin_edit_overrides_the_library():
    # A local extra holiday on Monday 2026-02-16 … in fact already a holiday; use 2026-03-02 (Monday).
    CalendarDay.objects.create(day=date(2026, 3, 2), is_workday=False, note="本地调整")
    assert statutory_calendar().is_workday(date(2026, 3, 2)) is False
    assert notice_end(date(2026, 3, 2), 1) == date(2026, 3, 3)


@pytest.mark.django_db
def test_a_year_without_data_is_refused_until_an_admin_enters_it():
    with pytest.raises(CalendarUnknown, match="2027 年的法定节假日安排尚未录入"):
        notice_end(date(2026, 12, 28), 10)
    CalendarYear.objects.create(year=2027, is_complete=True)
    CalendarDay.objects.create(day=date(2027, 1, 1), is_workday=False, note="元旦")
    # 2026-12-28 Mon … 12-31 Thu = 4 days; 2027-01-01 holiday; Mon 01-04 … = days 5..10
    assert notice_end(date(2026, 12, 28), 10) == date(2027, 1, 11)


@pytest.mark.django_db
def test_seeding_again_keeps_admin_edits():
    CalendarDay.objects.filter(day=date(2025, 10, 1)).update(note="改过的备注")
    assert seed_year(2025) == 0
    assert CalendarDay.objects.get(day=date(2025, 10, 1)).note == "改过的备注"
    call_command("seed_calendar", "2025")
