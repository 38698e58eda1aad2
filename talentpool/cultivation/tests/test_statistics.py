"""The cultivation figures: exact counts on a small district, the period's boundaries, an
enterprise's figures, event-like figures adding up over adjacent periods, money as Decimal, and a
fixed number of queries whatever the size."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentpool.cultivation import statistics
from talentpool.cultivation.choices import AttendanceStatus
from talentpool.cultivation.models import Attendance, Innovation, Mentorship, Studio
from talentpool.cultivation.statistics import (
    EVENT_KEYS,
    KEYS,
    STANDING_KEYS,
    cultivation_statistics,
    statistics_for,
    year_period,
)
from talentpool.registry.tests.factories import CertificateFactory, WorkerFactory

from .factories_competitions import CompetitionEventFactory, EntryFactory
from .factories_statistics import build_district, expected
from .factories_training import EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db
D = datetime.date
QUERIES = 9  # one per model: sessions, attendance, enrolments, events, entries, certificates,
# innovations, pairs, studios


@pytest.fixture
def district(enterprise_a, enterprise_b):  # type: ignore[no-untyped-def]
    return build_district(enterprise_a, enterprise_b)


def test_the_keys_are_the_twelve_in_order():
    assert KEYS == (
        "training_sessions", "training_participations", "level_ups", "competition_events",
        "competition_participations", "certificates_gained", "innovations_collected", "innovations_commended",
        "mentorship_pairs", "famous_master_pairs", "mentorship_benefit", "studios",
    )
    assert STANDING_KEYS == ("mentorship_pairs", "famous_master_pairs", "studios")
    assert set(EVENT_KEYS) | set(STANDING_KEYS) == set(KEYS) and not set(EVENT_KEYS) & set(STANDING_KEYS)
    assert tuple(k for k in KEYS if k not in STANDING_KEYS) == EVENT_KEYS


def test_year_period_is_the_closed_calendar_year():
    assert year_period(2025) == (D(2025, 1, 1), D(2025, 12, 31))
    assert year_period(2024) == (D(2024, 1, 1), D(2024, 12, 31))


def test_exact_figures_of_the_district_in_a_fixed_number_of_queries(district, django_assert_num_queries):
    with django_assert_num_queries(QUERIES):
        figures = cultivation_statistics(*year_period(2025))
    assert list(figures) == list(KEYS)
    assert figures == expected(0)


def test_an_enterprise_counts_its_own_records_given_as_instance_or_pk(
    district, enterprise_a, enterprise_b, django_assert_num_queries
):
    with django_assert_num_queries(QUERIES):
        figures_a = cultivation_statistics(*year_period(2025), enterprise=enterprise_a)
    assert figures_a == expected(1)
    assert cultivation_statistics(*year_period(2025), enterprise=enterprise_a.pk) == expected(1)
    assert cultivation_statistics(*year_period(2025), enterprise_b) == expected(2)


def test_an_operator_gets_their_enterprise_others_the_district(
    district, operator_a, operator_b, admin_user, leader
):
    period = year_period(2025)
    assert statistics_for(operator_a, *period) == expected(1)
    assert statistics_for(operator_b, *period) == expected(2)
    assert statistics_for(admin_user, *period) == expected(0)
    assert statistics_for(leader, *period) == expected(0)


def test_an_operator_of_no_enterprise_counts_nothing(district, operator_a):
    operator_a.enterprise = None
    assert statistics_for(operator_a, *year_period(2025)) == statistics.nothing()


def test_money_is_decimal_yuan_with_two_places(district):
    benefit = cultivation_statistics(*year_period(2025))["mentorship_benefit"]
    assert type(benefit) is Decimal and benefit == Decimal("1334.75") and benefit.as_tuple().exponent == -2
    empty = cultivation_statistics(*year_period(1999))["mentorship_benefit"]
    assert type(empty) is Decimal and str(empty) == "0.00"
    counts = cultivation_statistics(*year_period(2025))
    assert all(type(v) is int for k, v in counts.items() if k != "mentorship_benefit")


def test_an_empty_year_and_an_inverted_period_count_nothing(district):
    assert cultivation_statistics(*year_period(1999)) == statistics.nothing()
    assert cultivation_statistics(D(2025, 12, 31), D(2025, 1, 1)) == statistics.nothing()


def test_all_years_count_every_dated_record(district):
    figures = cultivation_statistics(*statistics.ALL_YEARS)
    assert figures["training_sessions"] == 6  # 5 + 1, the cancelled class's not
    assert figures["training_participations"] == 5
    assert figures["level_ups"] == 3
    assert figures["competition_events"] == 4
    assert figures["competition_participations"] == 4
    assert figures["certificates_gained"] == 4
    assert (figures["innovations_collected"], figures["innovations_commended"]) == (4, 3)
    assert (figures["mentorship_pairs"], figures["famous_master_pairs"]) == (6, 2)
    assert figures["mentorship_benefit"] == Decimal("2834.75")  # the open pairs' benefit is not yet counted
    assert figures["studios"] == 4


# Boundaries: one of each record on a given day ------------------------------------------------


def records_on(day: datetime.date, enterprise) -> None:  # type: ignore[no-untyped-def]
    worker = WorkerFactory(name="吴一", enterprise=enterprise)
    apprentice = WorkerFactory(name="吴二", enterprise=enterprise)
    session = SessionFactory(held_on=day)
    enrolment = EnrolmentFactory(training_class=session.training_class, worker=worker, level_up_on=day)
    Attendance.objects.create(session=session, enrolment=enrolment, status=AttendanceStatus.PRESENT)
    EntryFactory(event=CompetitionEventFactory(held_on=day), worker=worker)
    CertificateFactory(worker=worker, issued_on=day)
    Innovation.objects.create(title="革新", kind="design", enterprise=enterprise, submitted_on=day, commended_on=day)
    Mentorship.objects.create(
        master=worker, apprentice=apprentice, enterprise=enterprise, start_date=day - datetime.timedelta(days=30),
        end_date=day, benefit=Decimal("10.50"), is_famous_master=True,
    )
    Studio.objects.create(
        name="吴工作室", leader=worker, enterprise=enterprise, level="city", founded_year=day.year - 1,
        closed_year=day.year,
    )


START, END = D(2025, 3, 10), D(2025, 3, 20)


@pytest.mark.parametrize("day", [START, END, D(2025, 3, 15)], ids=["on start", "on end", "inside"])
def test_a_record_on_either_boundary_counts(enterprise_a, day):
    records_on(day, enterprise_a)
    figures = cultivation_statistics(START, END)
    assert figures == {
        **{key: 1 for key in KEYS}, "mentorship_benefit": Decimal("10.50"),
    }
    assert cultivation_statistics(START, END, enterprise_a) == figures


@pytest.mark.parametrize("day", [START - datetime.timedelta(days=1), END + datetime.timedelta(days=1)],
                         ids=["day before", "day after"])
def test_a_record_one_day_outside_does_not(enterprise_a, day):
    records_on(day, enterprise_a)
    figures = cultivation_statistics(START, END)
    assert {key: figures[key] for key in EVENT_KEYS} == {key: statistics.nothing()[key] for key in EVENT_KEYS}
    if day > END:  # the pair started before the period and the studio was founded the year before
        assert (figures["mentorship_pairs"], figures["famous_master_pairs"], figures["studios"]) == (1, 1, 1)
    else:  # the pair ended the day before; the studio (years) was still at work in 2025
        assert (figures["mentorship_pairs"], figures["famous_master_pairs"], figures["studios"]) == (0, 0, 1)


def test_another_enterprise_counts_none_of_them(enterprise_a, enterprise_b):
    records_on(START, enterprise_a)
    assert cultivation_statistics(START, END, enterprise_b) == statistics.nothing()


# Additivity ----------------------------------------------------------------------------------

DAYS = st.dates(min_value=D(2024, 6, 1), max_value=D(2026, 6, 30))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=DAYS, second=DAYS, third=DAYS, which=st.sampled_from([0, 1, 2]))
def test_event_figures_add_up_over_adjacent_periods(district, enterprise_a, enterprise_b, first, second, third, which):
    start, split, end = sorted([first, second, third])
    enterprise = (None, enterprise_a, enterprise_b)[which]
    whole = cultivation_statistics(start, end, enterprise)
    before = cultivation_statistics(start, split, enterprise)
    after = cultivation_statistics(split + datetime.timedelta(days=1), end, enterprise)
    for key in EVENT_KEYS:
        assert before[key] + after[key] == whole[key], key
    for key in STANDING_KEYS:  # standing figures do not add up, but neither part exceeds the whole
        assert max(before[key], after[key]) <= whole[key] <= before[key] + after[key], key


def test_two_halves_of_2025_add_up_to_the_year(district):
    first = cultivation_statistics(D(2025, 1, 1), D(2025, 6, 30))
    second = cultivation_statistics(D(2025, 7, 1), D(2025, 12, 31))
    year = cultivation_statistics(*year_period(2025))
    assert {k: first[k] + second[k] for k in EVENT_KEYS} == {k: year[k] for k in EVENT_KEYS}
