"""The cultivation figures of a period (SPEC.md §3.4): how many sessions were held, how many
person-times trained, levels raised, events held and entered, certificates gained, innovations
collected and commended, pairs and studios at work, and the benefit pairs created.

``cultivation_statistics(start, end, enterprise=None)`` counts the records dated in the closed
period [start, end], district-wide or for one enterprise (an operator's figures). One aggregate
query per model (conditional ``Count``/``Sum``), so a year of the whole district costs nine
queries whatever its size (bench/bench_cultivation_stats.py).

Two kinds of figure:

- **event-like** (``EVENT_KEYS``): each record has one date (a session's, a level-up's, a pair's
  end), so the figures of two adjacent periods add up to the figure of their union;
- **standing** (``STANDING_KEYS``): pairs and studios *at work* during the period, counted once
  however long they last, so they do not add up.

An enterprise's figures take each record with the enterprise it names (an enrolment, an entry, a
pair keep the enterprise their worker was at, see querysets.py), with two exceptions: a training
session is the enterprise's when the enterprise had a worker enrolled (not withdrawn) in its class
(this covers the three modes alike: an order-style class's enterprise enrols its own workers, a
menu-style class has no enterprise list), and a certificate, which names no enterprise, is scoped
as the registry scopes certificates for the enterprise's operator: those of the workers now at it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce

from talentpool.registry.models import Certificate, Enterprise

from .choices import AttendanceStatus, ClassStatus, EnrolmentStatus
from .models import (
    Attendance,
    CompetitionEvent,
    Enrolment,
    Entry,
    Innovation,
    Mentorship,
    Studio,
    TrainingSession,
)

KEYS: tuple[str, ...] = (
    "training_sessions",
    "training_participations",
    "level_ups",
    "competition_events",
    "competition_participations",
    "certificates_gained",
    "innovations_collected",
    "innovations_commended",
    "mentorship_pairs",
    "famous_master_pairs",
    "mentorship_benefit",
    "studios",
)
STANDING_KEYS: tuple[str, ...] = ("mentorship_pairs", "famous_master_pairs", "studios")
EVENT_KEYS: tuple[str, ...] = tuple(key for key in KEYS if key not in STANDING_KEYS)

# The whole record, for "all years" (PostgreSQL and SQLite both hold these dates).
ALL_YEARS: tuple[datetime.date, datetime.date] = (datetime.date(1, 1, 1), datetime.date(9999, 12, 31))

CENT = Decimal("0.01")
_MONEY = DecimalField(max_digits=16, decimal_places=2)


def year_period(year: int) -> tuple[datetime.date, datetime.date]:
    """The calendar year as a closed period: 1 January to 31 December."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _enterprise_pk(enterprise: Enterprise | int | None) -> int | None:
    if enterprise is None or isinstance(enterprise, int):
        return enterprise
    return enterprise.pk


def nothing() -> dict[str, Any]:
    """The figures of no record at all."""
    return {key: (Decimal("0.00") if key == "mentorship_benefit" else 0) for key in KEYS}


def cultivation_statistics(
    start: datetime.date, end: datetime.date, enterprise: Enterprise | int | None = None
) -> dict[str, Any]:
    """The twelve figures (``KEYS``, in that order) of the records dated in [start, end], of the
    whole district or of ``enterprise`` (an Enterprise or its pk). ``mentorship_benefit`` is
    Decimal yuan (2 places), the others ints. An empty period (end before start) counts nothing."""
    if end < start:
        return nothing()
    ent = _enterprise_pk(enterprise)
    period = (start, end)
    figures: dict[str, Any] = {}

    # Training: sessions held, person-times present, level-ups.
    sessions = TrainingSession.objects.filter(held_on__range=period).exclude(
        training_class__status=ClassStatus.CANCELLED
    )
    if ent is not None:
        sessions = sessions.filter(
            Exists(
                Enrolment.objects.filter(training_class_id=OuterRef("training_class_id"), enterprise_id=ent).exclude(
                    status=EnrolmentStatus.WITHDRAWN
                )
            )
        )
    figures["training_sessions"] = sessions.count()

    attendance = Attendance.objects.filter(status=AttendanceStatus.PRESENT, session__held_on__range=period)
    if ent is not None:
        attendance = attendance.filter(enrolment__enterprise_id=ent)
    figures["training_participations"] = attendance.count()

    level_ups = Enrolment.objects.filter(level_up_on__range=period)
    if ent is not None:
        level_ups = level_ups.filter(enterprise_id=ent)
    figures["level_ups"] = level_ups.count()

    # Competitions: events held, entries in them.
    events = CompetitionEvent.objects.filter(held_on__range=period)
    if ent is not None:
        events = events.filter(Exists(Entry.objects.filter(event_id=OuterRef("pk"), enterprise_id=ent)))
    figures["competition_events"] = events.count()

    entries = Entry.objects.filter(event__held_on__range=period)
    if ent is not None:
        entries = entries.filter(enterprise_id=ent)
    figures["competition_participations"] = entries.count()

    # Certificates (the registry's): an enterprise's are those of the workers now at it.
    certificates = Certificate.objects.filter(issued_on__range=period)
    if ent is not None:
        certificates = certificates.filter(worker__current_enterprise_id=ent)
    figures["certificates_gained"] = certificates.count()

    # Innovations: collected (submitted) and commended, one query.
    submitted = Q(submitted_on__range=period)
    commended = Q(commended_on__range=period)
    innovations = Innovation.objects.filter(submitted | commended)
    if ent is not None:
        innovations = innovations.filter(enterprise_id=ent)
    figures.update(
        innovations.aggregate(
            innovations_collected=Count("pk", filter=submitted),
            innovations_commended=Count("pk", filter=commended),
        )
    )

    # Mentorship: pairs at work in the period; the benefit of those that ended in it. A pair that
    # ended in the period was at work in it, so one filter serves the three figures.
    at_work = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    pairs = Mentorship.objects.filter(at_work)
    if ent is not None:
        pairs = pairs.filter(enterprise_id=ent)
    figures.update(
        pairs.aggregate(
            mentorship_pairs=Count("pk"),
            famous_master_pairs=Count("pk", filter=Q(is_famous_master=True)),
            mentorship_benefit=Coalesce(
                Sum("benefit", filter=Q(end_date__range=period)), Value(Decimal("0")), output_field=_MONEY
            ),
        )
    )
    figures["mentorship_benefit"] = Decimal(figures["mentorship_benefit"]).quantize(CENT)

    # Studios at work in the period (founding and closing are years).
    studios = Studio.objects.filter(founded_year__lte=end.year).filter(
        Q(closed_year__isnull=True) | Q(closed_year__gte=start.year)
    )
    if ent is not None:
        studios = studios.filter(enterprise_id=ent)
    figures["studios"] = studios.count()

    return {key: figures[key] for key in KEYS}


def statistics_for(user: Any, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """The figures a user may see: an operator's enterprise's, the district's for the others
    (callers decide who may see figures at all)."""
    from talentpool.core.roles import Role

    if not user.is_admin and user.role == Role.OPERATOR:
        if not user.enterprise_id:  # an operator of no enterprise sees no one's figures
            return nothing()
        return cultivation_statistics(start, end, user.enterprise_id)
    return cultivation_statistics(start, end)
