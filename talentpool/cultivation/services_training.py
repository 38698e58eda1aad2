"""Every state change of training (培训): courses of the catalogue, classes in their three modes
and their status machine, sessions, enrolments, attendance, results and level-ups (晋级).

Each service checks scope (``restrict(actor, action)``; out of scope is OutOfScope, a 404), runs in
one transaction, locks what it changes, audits, and refuses with a ServiceError (Chinese) that
leaves everything as it was. A level-up records its certificate through the registry's
``add_certificate``, which also raises the worker's level: never written here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from talentpool.core.audit import diff, record
from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.core.models import AuditAction, User
from talentpool.core.roles import Action, Role
from talentpool.registry.models import Certificate, Enterprise, Occupation, Worker
from talentpool.registry.services import CertificateData, add_certificate

from . import events
from .choices import AttendanceStatus, ClassMode, ClassStatus, EnrolmentResult, EnrolmentStatus
from .models import Attendance, Course, Enrolment, TrainingClass, TrainingSession
from .versioning import check_version

OPEN_FOR_ENROLMENT = {ClassStatus.PLANNED, ClassStatus.RUNNING}
FINISHED = {ClassStatus.CLOSED, ClassStatus.CANCELLED}
COURSE_FIELDS = ["code", "name", "target_level", "hours", "description"]
CLASS_FIELDS = ["name", "capacity", "start_date", "end_date", "venue", "teacher", "note"]
SESSION_FIELDS = ["held_on", "topic", "venue", "teacher", "hours"]


def _require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise OutOfScope(f"user {actor.pk} is not an admin")


def _locked_class(training_class: TrainingClass, actor: User, action: Action) -> TrainingClass:
    """The class, locked, if ``actor`` may do ``action`` on it; OutOfScope otherwise."""
    visible = TrainingClass.objects.restrict(actor, action).filter(pk=training_class.pk).values("pk")
    try:
        return TrainingClass.objects.select_for_update(of=("self",)).get(pk__in=visible)
    except TrainingClass.DoesNotExist as exc:
        raise OutOfScope(f"class {training_class.pk} is out of scope for {actor.pk}") from exc


def _snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


# Courses ----------------------------------------------------------------------------------


@dataclass
class CourseData:
    code: str
    name: str
    target_level: int
    hours: Decimal
    description: str = ""
    occupations: list[Occupation] = field(default_factory=list)


def _code_taken(model: type[Course] | type[TrainingClass], code: str, exclude: int | None = None) -> bool:
    queryset = model.objects.filter(code=code)
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude)
    return queryset.exists()


@transaction.atomic
def create_course(data: CourseData, *, actor: User) -> Course:
    _require_admin(actor)
    if _code_taken(Course, data.code):
        raise ServiceError(_("A course with the code %(code)s is already in the catalogue.") % {"code": data.code})
    try:
        with transaction.atomic():
            course = Course.objects.create(
                code=data.code,
                name=data.name,
                target_level=data.target_level,
                hours=data.hours,
                description=data.description,
            )
    except IntegrityError as exc:
        raise ServiceError(
            _("A course with the code %(code)s is already in the catalogue.") % {"code": data.code}
        ) from exc
    course.occupations.set(data.occupations)
    record(
        actor,
        AuditAction.CREATE,
        course,
        changes=diff({}, _snapshot(course, COURSE_FIELDS))
        | {"occupations": "、".join(o.name for o in data.occupations)},
    )
    return course


@transaction.atomic
def update_course(course: Course, data: CourseData, *, actor: User, expected_version: int | None = None) -> Course:
    _require_admin(actor)
    course = Course.objects.select_for_update().get(pk=course.pk)
    check_version(course, expected_version)
    if data.code != course.code and _code_taken(Course, data.code, exclude=course.pk):
        raise ServiceError(_("A course with the code %(code)s is already in the catalogue.") % {"code": data.code})
    before = _snapshot(course, COURSE_FIELDS)
    before_occupations = sorted(course.occupations.values_list("name", flat=True))
    for name in COURSE_FIELDS:
        setattr(course, name, getattr(data, name))
    course.version += 1
    course.save()
    course.occupations.set(data.occupations)
    changes = diff(before, _snapshot(course, COURSE_FIELDS))
    after_occupations = sorted(o.name for o in data.occupations)
    if after_occupations != before_occupations:
        changes["occupations"] = ["、".join(before_occupations), "、".join(after_occupations)]
    record(actor, AuditAction.UPDATE, course, changes=changes)
    return course


@transaction.atomic
def set_course_active(course: Course, active: bool, *, actor: User) -> Course:
    """Retire a course from the catalogue (no new classes or orders) or bring it back."""
    _require_admin(actor)
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.is_active == active:
        return course
    course.is_active = active
    course.version += 1
    course.save(update_fields=["is_active", "version", "updated_at"])
    record(actor, events.TRAINING_COURSE_RESTORE if active else events.TRAINING_COURSE_RETIRE, course)
    return course


# Classes ----------------------------------------------------------------------------------


@dataclass
class ClassData:
    """What the admin plans (and an operator's order asks for: name, capacity, dates, note)."""

    name: str
    capacity: int
    start_date: date | None = None
    end_date: date | None = None
    venue: str = ""
    teacher: str = ""
    note: str = ""


def _check_dates(data: ClassData) -> None:
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise ServiceError(_("The class cannot end before it starts."))
    if data.capacity < 1:
        raise ServiceError(_("The capacity must be at least 1."))


def next_class_code(year: int) -> str:
    """PX2026-0001, PX2026-0002 … (the next free number of the year)."""
    prefix = f"PX{year}-"
    codes = TrainingClass.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(c[len(prefix) :]) for c in codes if c[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _create_class(**values: Any) -> TrainingClass:
    """Insert a class with the next free code; a concurrent insert taking the code makes it try the next."""
    year = (values.get("start_date") or timezone.localdate()).year
    for _attempt in range(5):
        code = next_class_code(year)
        try:
            with transaction.atomic():
                return TrainingClass.objects.create(code=code, **values)
        except IntegrityError:
            continue
    raise ServiceError(_("The class could not be numbered; please try again."))


def _check_course_open(course: Course) -> None:
    if not course.is_active:
        raise ServiceError(_("The course %(course)s has been retired from the catalogue.") % {"course": course.name})


@transaction.atomic
def order_class(course: Course, data: ClassData, *, actor: User) -> TrainingClass:
    """An operator orders a course for their own enterprise (订单式): a class waiting for the union
    to plan it (status ``ordered``)."""
    if actor.role != Role.OPERATOR or not actor.enterprise_id:
        raise OutOfScope(f"user {actor.pk} cannot order a training")
    if not Course.objects.restrict(actor, Action.VIEW).filter(pk=course.pk).exists():
        raise OutOfScope(f"course {course.pk}")
    _check_course_open(course)
    _check_dates(data)
    training_class = _create_class(
        course=course,
        name=data.name or course.name,
        mode=ClassMode.ORDER,
        status=ClassStatus.ORDERED,
        ordered_by_id=actor.enterprise_id,
        capacity=data.capacity,
        start_date=data.start_date,
        end_date=data.end_date,
        note=data.note,
        created_by=actor,
    )
    record(
        actor, events.TRAINING_CLASS_ORDER, training_class, changes={"course": course.name, "capacity": data.capacity}
    )
    return training_class


@transaction.atomic
def plan_class(
    course: Course,
    data: ClassData,
    *,
    mode: str,
    actor: User,
    enterprises: Iterable[Enterprise] = (),
    ordered_by: Enterprise | None = None,
) -> TrainingClass:
    """The admin plans a class: menu-style (open to every enterprise), combined (the named
    enterprises together) or order-style for one enterprise."""
    _require_admin(actor)
    _check_course_open(course)
    _check_dates(data)
    enterprises = list(enterprises)
    if mode == ClassMode.ORDER and ordered_by is None:
        raise ServiceError(_("An order-style class needs the enterprise it is for."))
    if mode == ClassMode.COMBINED and len(enterprises) < 2:
        raise ServiceError(_("A combined class trains at least two enterprises together."))
    training_class = _create_class(
        course=course,
        mode=mode,
        status=ClassStatus.PLANNED,
        created_by=actor,
        ordered_by=ordered_by if mode == ClassMode.ORDER else None,
        **{name: getattr(data, name) for name in CLASS_FIELDS},
    )
    if mode == ClassMode.COMBINED:
        training_class.enterprises.set(enterprises)
    record(
        actor,
        events.TRAINING_CLASS_PLAN,
        training_class,
        changes=diff({}, _snapshot(training_class, CLASS_FIELDS)) | {"mode": mode, "course": course.name},
    )
    return training_class


@transaction.atomic
def accept_order(training_class: TrainingClass, data: ClassData, *, actor: User) -> TrainingClass:
    """The union plans an ordered class (teacher, venue, dates, capacity): ``ordered`` → ``planned``."""
    _require_admin(actor)
    training_class = _locked_class(training_class, actor, Action.CHANGE)
    if training_class.status != ClassStatus.ORDERED:
        raise ServiceError(_("Only an ordered class waits to be planned."))
    _check_dates(data)
    before = _snapshot(training_class, CLASS_FIELDS)
    for name in CLASS_FIELDS:
        setattr(training_class, name, getattr(data, name))
    training_class.status = ClassStatus.PLANNED
    training_class.version += 1
    training_class.save()
    record(
        actor,
        events.TRAINING_CLASS_PLAN,
        training_class,
        changes=diff(before, _snapshot(training_class, CLASS_FIELDS))
        | {"status": [ClassStatus.ORDERED, ClassStatus.PLANNED]},
    )
    return training_class


@transaction.atomic
def update_class(
    training_class: TrainingClass,
    data: ClassData,
    *,
    actor: User,
    enterprises: Iterable[Enterprise] | None = None,
    expected_version: int | None = None,
) -> TrainingClass:
    """The admin edits a class not yet closed or cancelled; the capacity may not fall below the
    workers enrolled."""
    _require_admin(actor)
    training_class = _locked_class(training_class, actor, Action.CHANGE)
    check_version(training_class, expected_version)
    if training_class.status in FINISHED:
        raise ServiceError(_("A closed or cancelled class cannot be changed."))
    _check_dates(data)
    enrolled = training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
    if data.capacity < enrolled:
        raise ServiceError(_("%(count)s workers are enrolled: the capacity cannot be less.") % {"count": enrolled})
    if enterprises is not None and training_class.mode == ClassMode.COMBINED and len(list(enterprises)) < 2:
        raise ServiceError(_("A combined class trains at least two enterprises together."))
    before = _snapshot(training_class, CLASS_FIELDS)
    for name in CLASS_FIELDS:
        setattr(training_class, name, getattr(data, name))
    training_class.version += 1
    training_class.save()
    if enterprises is not None and training_class.mode == ClassMode.COMBINED:
        training_class.enterprises.set(list(enterprises))
    record(actor, AuditAction.UPDATE, training_class, changes=diff(before, _snapshot(training_class, CLASS_FIELDS)))
    return training_class


@transaction.atomic
def start_class(training_class: TrainingClass, *, actor: User) -> TrainingClass:
    _require_admin(actor)
    training_class = _locked_class(training_class, actor, Action.CHANGE)
    if training_class.status != ClassStatus.PLANNED:
        raise ServiceError(_("Only a planned class can start."))
    training_class.status = ClassStatus.RUNNING
    training_class.version += 1
    training_class.save(update_fields=["status", "version", "updated_at"])
    record(actor, events.TRAINING_CLASS_START, training_class)
    return training_class


def pending_enrolments(training_class: TrainingClass) -> list[Enrolment]:
    return list(
        training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED, result=EnrolmentResult.PENDING)
        .select_related("worker")
        .order_by("pk")
    )


@transaction.atomic
def close_class(training_class: TrainingClass, *, actor: User) -> TrainingClass:
    """Close a running class once every enrolled worker has a result."""
    _require_admin(actor)
    training_class = _locked_class(training_class, actor, Action.CHANGE)
    if training_class.status != ClassStatus.RUNNING:
        raise ServiceError(_("Only a running class can be closed."))
    pending = pending_enrolments(training_class)
    if pending:
        names = "、".join(e.worker.name for e in pending[:10]) + ("…" if len(pending) > 10 else "")
        raise ServiceError(
            _("The class cannot be closed: %(count)s workers have no result yet (%(names)s).")
            % {"count": len(pending), "names": names}
        )
    training_class.status = ClassStatus.CLOSED
    training_class.closed_at = timezone.now()
    training_class.version += 1
    training_class.save(update_fields=["status", "closed_at", "version", "updated_at"])
    record(actor, events.TRAINING_CLASS_CLOSE, training_class)
    return training_class


@transaction.atomic
def cancel_class(training_class: TrainingClass, reason: str, *, actor: User) -> TrainingClass:
    """The admin cancels an ordered or planned class (with a reason); an operator cancels their
    own order while it is still ``ordered``."""
    training_class = _locked_class(training_class, actor, Action.CHANGE)
    if not actor.is_admin:
        if training_class.ordered_by_id != actor.enterprise_id or training_class.mode != ClassMode.ORDER:
            raise OutOfScope(f"class {training_class.pk}")
        if training_class.status != ClassStatus.ORDERED:
            raise ServiceError(
                _("The union has already planned this class: ask the district trade union to cancel it.")
            )
    if training_class.status not in {ClassStatus.ORDERED, ClassStatus.PLANNED}:
        raise ServiceError(_("Only an ordered or planned class can be cancelled."))
    reason = reason.strip()
    if actor.is_admin and not reason:
        raise ServiceError(_("Give the reason for cancelling."))
    old = training_class.status
    training_class.status = ClassStatus.CANCELLED
    if reason:
        training_class.note = f"{training_class.note}\n{_('Cancelled')}: {reason}".strip()
    training_class.version += 1
    training_class.save(update_fields=["status", "note", "version", "updated_at"])
    record(
        actor,
        events.TRAINING_CLASS_CANCEL,
        training_class,
        changes={"status": [old, ClassStatus.CANCELLED], "reason": reason},
    )
    return training_class


# Sessions ---------------------------------------------------------------------------------


@dataclass
class SessionData:
    held_on: date
    hours: Decimal
    topic: str = ""
    venue: str = ""
    teacher: str = ""


def _session_class(training_class: TrainingClass, actor: User) -> TrainingClass:
    _require_admin(actor)
    training_class = _locked_class(training_class, actor, Action.CHANGE)
    if training_class.status in FINISHED:
        raise ServiceError(_("Sessions of a closed or cancelled class cannot be changed."))
    return training_class


@transaction.atomic
def add_session(training_class: TrainingClass, data: SessionData, *, actor: User) -> TrainingSession:
    training_class = _session_class(training_class, actor)
    session = TrainingSession.objects.create(training_class=training_class, **_snapshot(data, SESSION_FIELDS))
    record(actor, AuditAction.CREATE, session, changes=diff({}, _snapshot(session, SESSION_FIELDS)))
    return session


@transaction.atomic
def update_session(session: TrainingSession, data: SessionData, *, actor: User) -> TrainingSession:
    _session_class(session.training_class, actor)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    before = _snapshot(session, SESSION_FIELDS)
    for name in SESSION_FIELDS:
        setattr(session, name, getattr(data, name))
    session.save()
    record(actor, AuditAction.UPDATE, session, changes=diff(before, _snapshot(session, SESSION_FIELDS)))
    return session


@transaction.atomic
def delete_session(session: TrainingSession, *, actor: User) -> TrainingClass:
    training_class = _session_class(session.training_class, actor)
    record(actor, AuditAction.DELETE, session, changes={"attendance": session.attendances.count()})
    session.delete()
    return training_class


# Enrolment --------------------------------------------------------------------------------


def may_enrol_from(training_class: TrainingClass, enterprise_id: int | None) -> bool:
    """Whether workers of ``enterprise_id`` may be enrolled in the class (by its mode)."""
    if enterprise_id is None:
        return False
    if training_class.mode == ClassMode.ORDER:
        return training_class.ordered_by_id == enterprise_id
    if training_class.mode == ClassMode.COMBINED:
        return training_class.enterprises.filter(pk=enterprise_id).exists()
    return True


def enrolable_workers(training_class: TrainingClass, actor: User, enterprise: Enterprise | None = None) -> Any:
    """The workers ``actor`` may enrol in the class: currently employed at their enterprise (an
    operator's own; an admin's choice of ``enterprise``) and not enrolled in it already."""
    enterprise_id = actor.enterprise_id if not actor.is_admin else (enterprise.pk if enterprise else None)
    if enterprise_id is None or not may_enrol_from(training_class, enterprise_id):
        return Worker.objects.none()
    taken = training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED).values("worker_id")
    return Worker.objects.filter(current_enterprise_id=enterprise_id).exclude(pk__in=taken).order_by("name_sort", "pk")


@transaction.atomic
def enrol_workers(training_class: TrainingClass, workers: Iterable[Worker], *, actor: User) -> list[Enrolment]:
    """Enrol workers in a class, all or none. The class row is locked while the places are
    counted, so two enrolments at once cannot overfill it."""
    if not (actor.is_admin or (actor.role == Role.OPERATOR and actor.enterprise_id)):
        raise OutOfScope(f"user {actor.pk} cannot enrol")
    training_class = _locked_class(training_class, actor, Action.VIEW)
    if training_class.status == ClassStatus.ORDERED:
        raise ServiceError(_("The class is still an order: workers can be enrolled once the union has planned it."))
    if training_class.status not in OPEN_FOR_ENROLMENT:
        raise ServiceError(_("The class is closed or cancelled: no more workers can be enrolled."))
    if not actor.is_admin and not may_enrol_from(training_class, actor.enterprise_id):
        raise OutOfScope(f"class {training_class.pk} is not open to enterprise {actor.enterprise_id}")
    workers = list(Worker.objects.select_for_update(of=("self",)).filter(pk__in=[w.pk for w in workers]).order_by("pk"))
    if not workers:
        raise ServiceError(_("Choose the workers to enrol."))
    existing = {
        e.worker_id: e
        for e in Enrolment.objects.select_for_update().filter(training_class=training_class, worker__in=workers)
    }
    for worker in workers:
        if worker.current_enterprise_id is None:
            raise ServiceError(_("%(name)s is not employed at an enterprise.") % {"name": worker.name})
        if not actor.is_admin and worker.current_enterprise_id != actor.enterprise_id:
            raise ServiceError(_("%(name)s is not a worker of your enterprise.") % {"name": worker.name})
        if actor.is_admin and not may_enrol_from(training_class, worker.current_enterprise_id):
            raise ServiceError(_("The class is not open to the enterprise of %(name)s.") % {"name": worker.name})
        known = existing.get(worker.pk)
        if known is not None and known.status == EnrolmentStatus.ENROLLED:
            raise ServiceError(_("%(name)s is already enrolled in this class.") % {"name": worker.name})
    taken = training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
    if taken + len(workers) > training_class.capacity:
        left = max(training_class.capacity - taken, 0)
        raise ServiceError(
            _("The class is full: %(left)s of its %(capacity)s places are left, %(count)s workers were chosen.")
            % {"left": left, "capacity": training_class.capacity, "count": len(workers)}
        )
    enrolments = []
    for worker in workers:
        known = existing.get(worker.pk)
        enterprise_id = worker.current_enterprise_id
        assert enterprise_id is not None  # checked above
        if known is not None:  # withdrawn earlier: enrolled again
            known.status = EnrolmentStatus.ENROLLED
            known.result = EnrolmentResult.PENDING
            known.enterprise_id = enterprise_id
            known.enrolled_at = timezone.now()
            known.enrolled_by = actor
            known.save()
            enrolment = known
        else:
            enrolment = Enrolment.objects.create(
                training_class=training_class, worker=worker, enterprise_id=enterprise_id, enrolled_by=actor
            )
        record(actor, events.TRAINING_ENROL, enrolment, changes={"worker": worker.name, "class": training_class.code})
        enrolments.append(enrolment)
    return enrolments


def enrol_worker(training_class: TrainingClass, worker: Worker, *, actor: User) -> Enrolment:
    return enrol_workers(training_class, [worker], actor=actor)[0]


def _locked_enrolment(enrolment: Enrolment, actor: User, action: Action) -> Enrolment:
    visible = Enrolment.objects.restrict(actor, action).filter(pk=enrolment.pk).values("pk")
    try:
        return Enrolment.objects.select_for_update(of=("self",)).select_related("worker").get(pk__in=visible)
    except Enrolment.DoesNotExist as exc:
        raise OutOfScope(f"enrolment {enrolment.pk}") from exc


@transaction.atomic
def withdraw_enrolment(enrolment: Enrolment, *, actor: User) -> Enrolment:
    """Withdraw an enrolment (the operator their own enterprise's, the admin any) before the class closes."""
    if not (actor.is_admin or actor.role == Role.OPERATOR):
        raise OutOfScope(f"user {actor.pk}")
    training_class = TrainingClass.objects.select_for_update(of=("self",)).get(pk=enrolment.training_class_id)
    enrolment = _locked_enrolment(enrolment, actor, Action.CHANGE)
    if training_class.status in FINISHED:
        raise ServiceError(_("The class is closed or cancelled: its enrolments can no longer change."))
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ServiceError(_("This enrolment has already been withdrawn."))
    if enrolment.result != EnrolmentResult.PENDING:
        raise ServiceError(_("A result is recorded for this worker: the enrolment can no longer be withdrawn."))
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save(update_fields=["status"])
    record(
        actor,
        events.TRAINING_WITHDRAW,
        enrolment,
        changes={"worker": enrolment.worker.name, "class": training_class.code},
    )
    return enrolment


# Attendance -------------------------------------------------------------------------------


@transaction.atomic
def record_attendance(session: TrainingSession, statuses: Mapping[int, str], *, actor: User) -> dict[str, int]:
    """The admin records a session's attendance: ``{enrolment pk: status}`` of enrolled workers
    of its class, all saved or none. Returns how many were added, changed and unchanged."""
    _require_admin(actor)
    training_class = _locked_class(session.training_class, actor, Action.CHANGE)
    if training_class.status not in OPEN_FOR_ENROLMENT:
        raise ServiceError(_("Attendance is recorded for planned or running classes only."))
    valid = set(AttendanceStatus.values)
    if any(status not in valid for status in statuses.values()):
        raise ServiceError(_("Choose present, on leave or absent for each worker."))
    enrolled = set(
        training_class.enrolments.filter(status=EnrolmentStatus.ENROLLED, pk__in=list(statuses)).values_list(
            "pk", flat=True
        )
    )
    if set(statuses) - enrolled:
        raise ServiceError(_("Attendance can be recorded only for workers enrolled in the class."))
    existing = {a.enrolment_id: a for a in Attendance.objects.select_for_update().filter(session=session)}
    new, changed = [], []
    for enrolment_id, status in statuses.items():
        known = existing.get(enrolment_id)
        if known is None:
            new.append(Attendance(session=session, enrolment_id=enrolment_id, status=status))
        elif known.status != status:
            known.status = status
            changed.append(known)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["status"])
    counts = {"new": len(new), "updated": len(changed), "unchanged": len(statuses) - len(new) - len(changed)}
    if new or changed:
        record(actor, events.TRAINING_ATTENDANCE, session, changes=counts)
    return counts


# Results and level-ups --------------------------------------------------------------------


@dataclass
class ResultData:
    result: str
    score: Decimal | None = None


@transaction.atomic
def record_results(training_class: TrainingClass, results: Mapping[int, ResultData], *, actor: User) -> int:
    """The admin records the results of a class's enrolled workers (``{enrolment pk: ResultData}``),
    all or none; returns how many changed. A result that raised a level stays passed."""
    _require_admin(actor)
    training_class = _locked_class(training_class, actor, Action.CHANGE)
    if training_class.status not in {ClassStatus.PLANNED, ClassStatus.RUNNING}:
        raise ServiceError(_("Results are recorded while the class runs; this class is closed or cancelled."))
    enrolments = {
        e.pk: e
        for e in Enrolment.objects.select_for_update(of=("self",))
        .select_related("worker")
        .filter(training_class=training_class, status=EnrolmentStatus.ENROLLED, pk__in=list(results))
    }
    if set(results) - set(enrolments):
        raise ServiceError(_("Results can be recorded only for workers enrolled in the class."))
    changed = 0
    for pk, data in results.items():
        enrolment = enrolments[pk]
        if data.result not in EnrolmentResult.values:
            raise ServiceError(_("Choose a result for each worker."))
        if data.score is not None and not (Decimal(0) <= data.score <= Decimal(100)):
            raise ServiceError(_("A score is between 0 and 100."))
        if enrolment.level_up_certificate_id and data.result != EnrolmentResult.PASSED:
            raise ServiceError(
                _("%(name)s's level was raised after this class: the result stays passed.")
                % {"name": enrolment.worker.name}
            )
        if (enrolment.result, enrolment.score) == (data.result, data.score):
            continue
        before = {"result": enrolment.result, "score": enrolment.score}
        enrolment.result, enrolment.score = data.result, data.score
        enrolment.save(update_fields=["result", "score"])
        record(
            actor,
            events.TRAINING_RESULT,
            enrolment,
            changes=diff(before, {"result": data.result, "score": data.score}) | {"worker": enrolment.worker.name},
        )
        changed += 1
    return changed


@dataclass
class LevelUpData:
    number: str
    level: int
    issued_on: date
    issuer: str = ""


@transaction.atomic
def level_up_refusal(training_class: TrainingClass, enrolment: Enrolment) -> str | None:
    """Why a level-up cannot be recorded for ``enrolment`` now (None: it can). The pages offer
    the action where this is None; record_level_up refuses with it."""
    if training_class.status not in {ClassStatus.RUNNING, ClassStatus.CLOSED}:
        return _("A level-up is recorded for a running or closed class.")
    if enrolment.status != EnrolmentStatus.ENROLLED or enrolment.result != EnrolmentResult.PASSED:
        return _("Only a worker who passed can have a level-up recorded.")
    if enrolment.level_up_certificate_id:
        return _("A level-up is already recorded for this enrolment.")
    return None


def record_level_up(enrolment: Enrolment, data: LevelUpData, *, actor: User) -> Certificate:
    """Record the certificate a passed worker earned (晋级) through the registry's
    ``add_certificate`` (which raises their level), and link it to the enrolment. A refusal of the
    registry (a number already recorded, a date in the future…) changes nothing."""
    _require_admin(actor)
    training_class = _locked_class(enrolment.training_class, actor, Action.CHANGE)
    enrolment = _locked_enrolment(enrolment, actor, Action.CHANGE)
    refusal = level_up_refusal(training_class, enrolment)
    if refusal:
        raise ServiceError(refusal)
    occupation = training_class.course.occupations.order_by("code").first()
    certificate = add_certificate(
        enrolment.worker,
        CertificateData(
            number=data.number,
            level=data.level,
            issued_on=data.issued_on,
            issuer=data.issuer,
            occupation_name=occupation.name if occupation else "",
            occupation_id=occupation.pk if occupation else None,
        ),
        actor=actor,
    )
    enrolment.level_up_certificate = certificate
    enrolment.level_up_on = certificate.issued_on
    enrolment.save(update_fields=["level_up_certificate", "level_up_on"])
    record(
        actor,
        events.TRAINING_LEVEL_UP,
        enrolment,
        changes={
            "worker": enrolment.worker.name,
            "class": training_class.code,
            "level": data.level,
            "certificate": certificate.number,
        },
    )
    return certificate


# Read helpers for pages -------------------------------------------------------------------


def class_counts(training_class: TrainingClass) -> dict[str, int]:
    counts = training_class.enrolments.aggregate(
        enrolled=Count("pk", filter=Q(status=EnrolmentStatus.ENROLLED)),
        passed=Count("pk", filter=Q(status=EnrolmentStatus.ENROLLED, result=EnrolmentResult.PASSED)),
        levelled=Count("pk", filter=Q(level_up_certificate__isnull=False)),
    )
    return {k: v or 0 for k, v in counts.items()}
