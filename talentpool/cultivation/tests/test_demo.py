"""The demo district's cultivation records (cultivation/demo.py): every kind is made, in proportion
to the district's size, the same seed gives the same records, and the demo logins find theirs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import F

from talentpool.core.models import User
from talentpool.core.roles import Action
from talentpool.registry.demo import EXAMPLE_ENTERPRISE, EXAMPLE_NAME, load_demo
from talentpool.registry.models import Certificate, Worker
from talentpool.rules.skills import SkillLevel, check_certificate_number

from ..choices import AttendanceStatus, InnovationStatus, RecordLevel
from ..models import (
    Attendance,
    Competition,
    CompetitionEvent,
    Course,
    Enrolment,
    Entry,
    Innovation,
    InnovationMember,
    Mentorship,
    Studio,
    StudioMember,
    StudioResult,
    TrainingClass,
    TrainingSession,
)
from ..statistics import ALL_YEARS, cultivation_statistics

TODAY = date(2026, 11, 21)
WORKERS = 800
ENTERPRISES = 30
KINDS = (Course, TrainingClass, TrainingSession, Enrolment, Attendance, Competition, CompetitionEvent, Entry,
         Innovation, InnovationMember, Mentorship, Studio, StudioMember, StudioResult)


@pytest.fixture
def district(db):  # type: ignore[no-untyped-def]
    return load_demo(workers=WORKERS, enterprises=ENTERPRISES, seed=7, today=TODAY)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in KINDS}


# The classes in progress that every demo has: running, open for enrolment, an order to plan.
CURRENT_CLASSES = [("menu", "running", TODAY - timedelta(days=20)), ("menu", "planned", TODAY + timedelta(days=16)),
                   ("order", "ordered", TODAY + timedelta(days=30))]


def _current_classes() -> list[tuple[str, str, date]]:
    return list(TrainingClass.objects.filter(start_date__gt=TODAY - timedelta(days=21)).order_by("start_date")
                .values_list("mode", "status", "start_date"))


def _digest() -> list[object]:
    return [
        list(Enrolment.objects.order_by("training_class__code", "worker__name", "pk")
             .values_list("training_class__code", "worker__name", "result", "level_up_on")),
        list(Entry.objects.order_by("event__code", "rank", "worker__name")
             .values_list("event__code", "worker__name", "rank", "score")),
        list(Mentorship.objects.order_by("start_date", "master__name", "apprentice__name")
             .values_list("master__name", "apprentice__name", "start_date", "is_famous_master", "benefit")),
        list(Innovation.objects.order_by("submitted_on", "title").values_list("title", "submitted_on", "status")),
        list(Studio.objects.order_by("name").values_list("name", "founded_year", "level")),
    ]


def test_it_makes_records_of_every_kind_and_counts_what_it_wrote(district) -> None:  # type: ignore[no-untyped-def]
    counts = _counts()
    assert all(counts.values()), counts
    assert district.counts["training sessions"] == counts["TrainingSession"]
    assert district.counts["attendances"] == counts["Attendance"]
    assert district.counts["competition entries"] == counts["Entry"]
    assert district.counts["mentorship pairs"] == counts["Mentorship"]
    assert district.counts["level-ups"] == Enrolment.objects.exclude(level_up_on=None).count() > 0
    assert Innovation.objects.filter(status=InnovationStatus.COMMENDED).exists()
    assert Attendance.objects.filter(status=AttendanceStatus.PRESENT).count() > 0.8 * counts["Attendance"]
    # The registry's summary counts the level-ups' certificates too.
    assert district.certificates == Certificate.objects.count()
    figures = cultivation_statistics(*ALL_YEARS)
    assert figures["training_sessions"] == counts["TrainingSession"]
    assert figures["competition_participations"] == counts["Entry"]
    assert figures["innovations_collected"] == counts["Innovation"]


def test_dates_lie_in_the_programme_up_to_today(district) -> None:  # type: ignore[no-untyped-def]
    assert all(date(2018, 1, 1) <= d <= TODAY for d in TrainingSession.objects.filter(
        attendances__isnull=False).values_list("held_on", flat=True))
    assert max(CompetitionEvent.objects.values_list("held_on", flat=True)) <= TODAY
    assert min(Innovation.objects.values_list("submitted_on", flat=True)) >= date(2018, 1, 1)
    assert all(e is None or s <= e <= TODAY for s, e in Mentorship.objects.values_list("start_date", "end_date"))
    # entries and enrolments are of workers of the enterprise they name
    for worker, enterprise in Enrolment.objects.values_list("worker__current_enterprise_id", "enterprise_id"):
        assert worker == enterprise
    assert not Mentorship.objects.filter(master_id=F("apprentice_id")).exists()


def test_level_ups_record_valid_certificates_that_raise_the_worker(district) -> None:  # type: ignore[no-untyped-def]
    level_ups = list(Enrolment.objects.exclude(level_up_certificate=None)
                     .select_related("level_up_certificate", "worker", "training_class__course"))
    assert level_ups
    for enrolment in level_ups:
        certificate = enrolment.level_up_certificate
        assert certificate.issued_on == enrolment.level_up_on <= TODAY
        assert certificate.level == enrolment.training_class.course.target_level
        assert certificate.level <= enrolment.worker.skill_level
        check = check_certificate_number(certificate.number, SkillLevel(certificate.level))
        assert check.warnings == () and check.number == certificate.number
        assert enrolment.result == "passed" and enrolment.training_class.end_date < certificate.issued_on


def test_records_grow_with_the_district(db) -> None:  # type: ignore[no-untyped-def]
    load_demo(workers=400, enterprises=ENTERPRISES, seed=3, today=TODAY)
    small = _counts()
    assert _current_classes() == CURRENT_CLASSES
    load_demo(workers=1_600, enterprises=ENTERPRISES, seed=3, today=TODAY, force=True)
    large = _counts()
    assert _current_classes() == CURRENT_CLASSES  # this year's work in progress is there at any scale
    for counts in (small, large):
        counts["TrainingClass"] -= len(CURRENT_CLASSES)
    for kind in ("TrainingClass", "Entry", "Innovation", "Mentorship"):
        assert 2.5 * small[kind] <= large[kind] <= 6.5 * small[kind], (kind, small[kind], large[kind])


def test_the_same_seed_gives_the_same_records(db) -> None:  # type: ignore[no-untyped-def]
    load_demo(workers=300, enterprises=20, seed=11, today=TODAY)
    first = _digest()
    load_demo(workers=300, enterprises=20, seed=11, today=TODAY, force=True)
    assert _digest() == first
    assert Certificate.objects.filter(number__startswith="S33050380001").count() == \
        Enrolment.objects.exclude(level_up_certificate=None).exclude(worker__name=EXAMPLE_NAME).filter(
            level_up_on__gte=date(2020, 1, 1)).count()
    load_demo(workers=300, enterprises=20, seed=12, today=TODAY, force=True)
    assert _digest() != first


def test_the_demo_logins_find_records_of_every_kind(district) -> None:  # type: ignore[no-untyped-def]
    worker_user = User.objects.get(username="worker")
    example = Worker.objects.get(name=EXAMPLE_NAME)
    assert worker_user.worker_id == example.pk
    assert Enrolment.objects.restrict(worker_user, Action.VIEW).exists()
    assert TrainingClass.objects.restrict(worker_user, Action.VIEW).exists()
    assert Entry.objects.restrict(worker_user, Action.VIEW).exists()
    pair = Mentorship.objects.get(master=example)
    assert pair.is_famous_master and pair.apprentice.current_enterprise_id == example.current_enterprise_id
    assert Studio.objects.filter(leader=example, level=RecordLevel.CITY, is_demonstration=True).exists()
    assert InnovationMember.objects.filter(worker=example, role="leader").exists()
    # His class led to his own 高级技师 certificate of December 2021.
    enrolment = Enrolment.objects.get(worker=example)
    assert enrolment.level_up_certificate.level == SkillLevel.SENIOR_TECHNICIAN
    assert example.skill_level == SkillLevel.SENIOR_TECHNICIAN

    operator = User.objects.get(username="operator")
    assert operator.enterprise.name == EXAMPLE_ENTERPRISE
    for model in (TrainingClass, Enrolment, Entry, Innovation, Mentorship, Studio):
        assert model.objects.restrict(operator, Action.VIEW).exists(), model.__name__
    assert TrainingClass.objects.filter(ordered_by=operator.enterprise).exists()
    assert Competition.objects.filter(enterprise=operator.enterprise).exists()
    admin = User.objects.get(username="admin")
    assert Entry.objects.restrict(admin, Action.VIEW).count() == Entry.objects.count()


def test_force_wipes_the_records_before_the_registry(db) -> None:  # type: ignore[no-untyped-def]
    load_demo(workers=200, enterprises=15, seed=5, today=TODAY)
    first = _counts()
    load_demo(workers=200, enterprises=15, seed=5, today=TODAY, force=True)
    assert _counts() == first


def test_entries_and_attendance_read_back_as_written(district) -> None:  # type: ignore[no-untyped-def]
    entry = Entry.objects.exclude(score=None).select_related("event").order_by("pk").first()
    assert entry is not None and entry.entered_at.tzinfo is not None
    assert entry.entered_at.date() < entry.event.held_on and entry.score.as_tuple().exponent == -2
    assert set(Attendance.objects.values_list("status", flat=True)) <= set(AttendanceStatus.values)


def test_most_certificates_come_from_training_and_the_registry_keeps_the_higher_ones(district) -> None:  # type: ignore[no-untyped-def]
    # Seed 000: 37,852 people in the district hold a certificate, ~27,800 of them through training.
    level_ups = set(Enrolment.objects.exclude(level_up_certificate=None).values_list("level_up_certificate_id",
                                                                                       flat=True))
    own = Certificate.objects.exclude(pk__in=level_ups)
    assert 0 < own.count() < 0.2 * Worker.objects.count()
    holders = set(own.values_list("worker_id", flat=True))

    def share(levels: list[int]) -> float:
        workers = list(Worker.objects.filter(skill_level__in=levels).values_list("pk", flat=True))
        return sum(1 for pk in workers if pk in holders) / len(workers)

    assert share([SkillLevel.TECHNICIAN, SkillLevel.SENIOR_TECHNICIAN]) > 3 * share([SkillLevel.INTERMEDIATE])
