"""A small district of cultivation records around the year 2025, each one placed on a boundary
(1 January, 31 December) or just outside (31 December 2024, 1 January 2026), with the figures it
must give (``EXPECTED_2025``), district-wide and per enterprise."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from talentpool.cultivation.choices import AttendanceStatus, ClassMode, ClassStatus, EnrolmentStatus
from talentpool.cultivation.models import Attendance, Innovation, Mentorship, Studio
from talentpool.registry.models import Enterprise
from talentpool.registry.tests.factories import CertificateFactory, WorkerFactory

from .factories_competitions import CompetitionEventFactory, EntryFactory
from .factories_training import EnrolmentFactory, SessionFactory, TrainingClassFactory

D = datetime.date
JAN1, DEC31 = D(2025, 1, 1), D(2025, 12, 31)
BEFORE, AFTER = D(2024, 12, 31), D(2026, 1, 1)

# district, A, B
EXPECTED_2025: dict[str, tuple[Any, Any, Any]] = {
    "training_sessions": (4, 4, 3),
    "training_participations": (3, 2, 1),
    "level_ups": (2, 2, 0),
    "competition_events": (3, 2, 1),
    "competition_participations": (3, 2, 1),
    "certificates_gained": (3, 2, 1),
    "innovations_collected": (3, 1, 2),
    "innovations_commended": (2, 2, 0),
    "mentorship_pairs": (4, 3, 1),
    "famous_master_pairs": (2, 1, 1),
    "mentorship_benefit": (Decimal("1334.75"), Decimal("100.25"), Decimal("1234.50")),
    "studios": (2, 1, 1),
}


def expected(which: int) -> dict[str, Any]:
    """0: the district, 1: enterprise A, 2: enterprise B."""
    return {key: values[which] for key, values in EXPECTED_2025.items()}


def build_district(enterprise_a: Enterprise, enterprise_b: Enterprise) -> dict[str, Any]:
    wa1 = WorkerFactory(name="沈一", enterprise=enterprise_a)
    wa2 = WorkerFactory(name="沈二", enterprise=enterprise_a)
    wa3 = WorkerFactory(name="沈三", enterprise=enterprise_a)
    wb1 = WorkerFactory(name="钱一", enterprise=enterprise_b)
    wb2 = WorkerFactory(name="钱二", enterprise=enterprise_b)

    # Training. c1 (menu, A and B enrolled): sessions on both boundaries, mid-year and outside.
    c1 = TrainingClassFactory(mode=ClassMode.MENU, status=ClassStatus.RUNNING)
    s = {day: SessionFactory(training_class=c1, held_on=day) for day in (BEFORE, JAN1, D(2025, 6, 1), DEC31, AFTER)}
    e_wa1 = EnrolmentFactory(training_class=c1, worker=wa1, level_up_on=DEC31)
    e_wb1 = EnrolmentFactory(training_class=c1, worker=wb1, level_up_on=AFTER)
    present, absent, leave = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.LEAVE
    for session, enrolment, status in [
        (s[JAN1], e_wa1, present),
        (s[DEC31], e_wa1, present),
        (s[AFTER], e_wa1, present),
        (s[D(2025, 6, 1)], e_wa1, absent),
        (s[D(2025, 6, 1)], e_wb1, present),
        (s[JAN1], e_wb1, leave),
        (s[BEFORE], e_wb1, present),
    ]:
        Attendance.objects.create(session=session, enrolment=enrolment, status=status)
    # c2 cancelled: its session does not count, even for A who enrolled.
    c2 = TrainingClassFactory(mode=ClassMode.MENU, status=ClassStatus.CANCELLED)
    SessionFactory(training_class=c2, held_on=D(2025, 3, 1))
    EnrolmentFactory(training_class=c2, worker=wa2)
    # c3 ordered by A: A's (enrolled), not B's (withdrawn).
    c3 = TrainingClassFactory(mode=ClassMode.ORDER, ordered_by=enterprise_a, status=ClassStatus.CLOSED)
    SessionFactory(training_class=c3, held_on=D(2025, 5, 5))
    EnrolmentFactory(training_class=c3, worker=wa3, level_up_on=JAN1)
    EnrolmentFactory(training_class=c3, worker=wb2, status=EnrolmentStatus.WITHDRAWN)

    # Competitions: e4 held in the year with no entries (district only).
    ev1 = CompetitionEventFactory(held_on=JAN1)
    ev2 = CompetitionEventFactory(held_on=DEC31)
    ev3 = CompetitionEventFactory(held_on=BEFORE)
    CompetitionEventFactory(held_on=D(2025, 7, 1))
    EntryFactory(event=ev1, worker=wa1)
    EntryFactory(event=ev1, worker=wb1)
    EntryFactory(event=ev2, worker=wa2)
    EntryFactory(event=ev3, worker=wb1)

    # Certificates (the registry's).
    CertificateFactory(worker=wa1, issued_on=JAN1)
    CertificateFactory(worker=wa2, issued_on=DEC31)
    CertificateFactory(worker=wb1, issued_on=AFTER)
    CertificateFactory(worker=wb2, issued_on=D(2025, 6, 1))

    # Innovations.
    def innovation(enterprise: Enterprise, submitted: datetime.date, commended: datetime.date | None) -> Innovation:
        return Innovation.objects.create(
            title=f"革新{submitted:%Y%m%d}{enterprise.pk}", kind="innovation", enterprise=enterprise,
            submitted_on=submitted, commended_on=commended,
        )

    innovation(enterprise_a, JAN1, DEC31)
    innovation(enterprise_a, BEFORE, JAN1)
    innovation(enterprise_b, DEC31, None)
    innovation(enterprise_b, D(2025, 6, 1), AFTER)

    # Mentorship.
    def pair(master, apprentice, start, end=None, benefit="0", famous=False):  # type: ignore[no-untyped-def]
        return Mentorship.objects.create(
            master=master, apprentice=apprentice, enterprise=apprentice.current_enterprise, start_date=start,
            end_date=end, benefit=Decimal(benefit), is_famous_master=famous,
        )

    pair(wa1, wa2, D(2024, 3, 1), famous=True)  # at work, open
    pair(wa1, wa3, DEC31, D(2026, 6, 30), "500")  # at work from the last day, ends after
    pair(wa2, wa3, D(2024, 1, 1), BEFORE, "1000")  # ended the day before
    pair(wb1, wb2, D(2024, 5, 1), JAN1, "1234.50", famous=True)  # ends on the first day
    pair(wb2, wb1, AFTER)  # starts the day after
    pair(wa3, wa1, D(2025, 2, 1), DEC31, "100.25")

    # Studios.
    def studio(name, leader, founded, closed=None):  # type: ignore[no-untyped-def]
        return Studio.objects.create(
            name=name, leader=leader, enterprise=leader.current_enterprise, level="district",
            founded_year=founded, closed_year=closed,
        )

    studio("沈一工作室", wa1, 2025)
    studio("沈二工作室", wa2, 2020, 2024)
    studio("钱一工作室", wb1, 2026)
    studio("钱二工作室", wb2, 2010, 2025)
    return {"wa1": wa1, "wa2": wa2, "wa3": wa3, "wb1": wb1, "wb2": wb2}
