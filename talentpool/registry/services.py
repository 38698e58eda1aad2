"""Every state change of the registry: one transaction each, scope-checked, audited."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from talentpool.core.audit import diff, record
from talentpool.core.crypto import lookup_hash
from talentpool.core.exceptions import EditConflict, ServiceError
from talentpool.core.models import AuditAction, User
from talentpool.core.roles import Action, Role
from talentpool.core.services import ensure_scope
from talentpool.core.throttle import recent_action_times, resume_time_label
from talentpool.rules import masking
from talentpool.rules.dates import DatedEvent, employment_end_error, event_date_error
from talentpool.rules.employment import EmploymentConflict, check_next_employment, end_of_previous
from talentpool.rules.idnumber import InvalidIdNumber, parse_id_number
from talentpool.rules.masking import mask_certificate_number
from talentpool.rules.names import name_keys, normalise_name
from talentpool.rules.retirement import category_conflict
from talentpool.rules.skills import recomputed_level
from talentpool.rules.uscc import validate_uscc

from .events import RegistryEvent
from .models import Certificate, Employment, Enterprise, Honour, Worker
from .occupations import printed_occupation_id

ENTERPRISE_FIELDS = [
    "name",
    "uscc",
    "industry",
    "ownership",
    "is_above_scale",
    "town",
    "address",
    "contact_name",
    "contact_phone",
]
WORKER_FIELDS = [
    "name",
    "id_number",
    "phone",
    "education",
    "retirement_category",
    "actual_retirement_date",
    "is_frontline",
    "work_start_date",
    "skill_level",
    "occupation",
]
SENSITIVE = {"id_number", "phone", "contact_phone"}


def snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    """Field values for the audit log, with personal data masked."""
    values: dict[str, Any] = {}
    for field in fields:
        value = getattr(obj, field, None)
        if field == "id_number" and value:
            value = masking.mask_id_number(value)
        elif field in SENSITIVE and value:
            value = masking.mask_phone(value)
        values[field] = value
    return values


def _check_operator_enterprise(actor: User, enterprise: Enterprise) -> None:
    if actor.role == Role.OPERATOR and enterprise.pk != actor.enterprise_id:
        raise ServiceError(_("You can only register workers of your own enterprise."))


T = TypeVar("T")


def _insert(create: Callable[[], T], refusal: Callable[[], ServiceError]) -> T:
    """Run ``create`` (an insert) in a savepoint; if a unique constraint refuses it (a concurrent
    registration won the race after our check), raise ``refusal()`` instead of a database error.
    ``refusal`` runs after the savepoint is rolled back, so it may query (and see the winner's row
    on PostgreSQL)."""
    try:
        with transaction.atomic():
            return create()
    except IntegrityError as exc:
        raise refusal() from exc


# Edits based on an old version -------------------------------------------------------------


def check_version(obj: Worker | Enterprise, expected_version: int | None) -> None:
    """Raise EditConflict if ``obj`` (locked) is no longer at ``expected_version`` (None: no check)."""
    if expected_version is not None and obj.version != expected_version:
        raise EditConflict(obj)


# Refusals that must not tell who works where ----------------------------------------------
# An operator sees their own enterprise only. A registration refused because the ID number (or a
# certificate number) is held by a record they cannot see says only what to do, the same words
# whatever the reason (employed elsewhere, left with a later end date, registered meanwhile); it is
# audited for the admins and counted, and after DUPLICATE_REFUSALS_PER_HOUR such refusals in an
# hour the operator may not register by ID number for a while, so nobody can probe the registry.
# Admins see every record, so they are told the full reason and are not counted.

REFUSAL_WINDOW = timedelta(hours=1)


def neutral_id_message() -> str:
    return _(
        "This ID number cannot be registered at your enterprise. If the person has moved to your enterprise, "
        "ask the district trade union to record the transfer."
    )


def neutral_certificate_message() -> str:
    return _(
        "This certificate number cannot be used. Check it against the certificate; if it is right, "
        "ask the district trade union."
    )


class DuplicateRefused(ServiceError):
    """Refused because the number is held by a record the actor may not see; the message is the
    neutral one. ``changes`` (masked number, reason) goes to the audit record."""

    def __init__(self, message: str, *, changes: dict[str, Any]) -> None:
        super().__init__(message)
        self.changes = changes


class DuplicateRecord(ServiceError):
    """Refused because the number is held by ``existing``, a worker the actor may see (an admin
    sees every one; an operator their own): the refusal links to that record (``link``). A
    holder the actor may not see is a DuplicateRefused, which names nobody."""

    def __init__(self, message: str, *, existing: Worker) -> None:
        super().__init__(message)
        self.existing = existing
        self.link = (existing.get_absolute_url(), _("Open the record of %(name)s") % {"name": existing.name})


class TooManyRefusals(ServiceError):
    """Registration by ID or certificate number is paused for the actor until ``until``."""

    def __init__(self, until: datetime) -> None:
        super().__init__(
            _(
                "Too many registrations were refused in the last hour, so registering by ID number or "
                "certificate number is paused until %(time)s. If it cannot wait, ask the district trade union."
            )
            % {"time": resume_time_label(until)}
        )
        self.until = until


def refusal_allowance(actor: User) -> tuple[int, datetime | None]:
    """How many more refusals ``actor`` may have this hour, and until when they are paused (None:
    not paused). Admins are never paused."""
    if actor.is_admin:
        return 1 << 30, None
    limit = max(int(settings.DUPLICATE_REFUSALS_PER_HOUR), 1)
    recent = recent_action_times(actor, RegistryEvent.DUPLICATE_REFUSED, within=REFUSAL_WINDOW, limit=limit)
    if len(recent) < limit:
        return limit - len(recent), None
    return 0, recent[-1] + REFUSAL_WINDOW  # then fewer than ``limit`` are left in the window


def check_refusal_throttle(actor: User) -> None:
    """Raise TooManyRefusals while ``actor`` is paused (see refusal_allowance)."""
    _remaining, until = refusal_allowance(actor)
    if until is not None:
        raise TooManyRefusals(until)


def record_refusals(actor: User, refusals: list[dict[str, Any]]) -> None:
    """Audit refusals (each a ``changes`` dict: masked number and reason). Called after the refused
    transaction rolled back, so the record stays."""
    for changes in refusals:
        number = changes.get("id_number") or changes.get("certificate_number") or ""
        record(actor, RegistryEvent.DUPLICATE_REFUSED, None, object_repr=f"登记被拒（重复）：{number}", changes=changes)


def _audited_refusals(service: Callable[..., T]) -> Callable[..., T]:
    """Audit a DuplicateRefused raised by ``service`` once its transaction has rolled back."""

    @functools.wraps(service)
    def wrapper(*args: Any, actor: User, **kwargs: Any) -> T:
        try:
            return service(*args, actor=actor, **kwargs)
        except DuplicateRefused as exc:
            record_refusals(actor, [exc.changes])
            raise

    return wrapper


def own_worker_message() -> str:
    return _("A worker with this ID number is already registered at your enterprise: find them in the list of workers.")


def _id_refusal(
    actor: User, enterprise: Enterprise | None, holder: Worker | None, number: str, reason: str
) -> ServiceError:
    """Why registering ``number`` at ``enterprise`` (None: changing a worker's ID number to it) is
    refused, saying no more than the actor may know. ``holder`` is the worker who has it, if found."""
    own = actor.enterprise_id if enterprise is None else enterprise.pk
    if holder is not None and own is not None and holder.current_enterprise_id == own:
        return DuplicateRecord(
            own_worker_message() if not actor.is_admin else _("A worker with this ID number is already registered."),
            existing=holder,
        )
    if actor.is_admin:
        if holder is not None and holder.current_enterprise_id is not None and enterprise is not None:
            return DuplicateRecord(
                _(
                    "This person is registered as employed by another enterprise. That enterprise must first record "
                    "their departure, or a programme admin can record the change of employer."
                ),
                existing=holder,
            )
        message = _("A worker with this ID number is already registered.")
        return DuplicateRecord(message, existing=holder) if holder is not None else ServiceError(message)
    return DuplicateRefused(
        neutral_id_message(), changes={"id_number": masking.mask_id_number(number), "reason": reason}
    )


# Enterprises ------------------------------------------------------------------------------


def _enterprise_clash(uscc: str | None, name: str | None, *, exclude: int | None = None) -> ServiceError | None:
    others = Enterprise.objects.exclude(pk=exclude) if exclude is not None else Enterprise.objects.all()
    if uscc is not None and others.filter(uscc=uscc).exists():
        return ServiceError(_("An enterprise with this credit code already exists."))
    if name is not None and others.filter(name=name).exists():
        return ServiceError(_("An enterprise with this name already exists."))
    return None


def _enterprise_taken(uscc: str | None, name: str | None, *, exclude: int | None = None) -> ServiceError:
    """The refusal for an insert or update that a unique constraint refused (a concurrent save)."""
    return _enterprise_clash(uscc, name, exclude=exclude) or ServiceError(
        _("An enterprise with this credit code or name already exists.")
    )


@transaction.atomic
def create_enterprise(*, actor: User, **fields: Any) -> Enterprise:
    """Add an enterprise (admins only). Raises ServiceError for a credit code or name in use."""
    if not actor.is_admin:
        raise ServiceError(_("Only programme admins can add enterprises."))
    fields["uscc"] = validate_uscc(fields["uscc"])
    if clash := _enterprise_clash(fields["uscc"], fields.get("name")):
        raise clash
    enterprise = _insert(
        lambda: Enterprise.objects.create(**fields), lambda: _enterprise_taken(fields["uscc"], fields.get("name"))
    )
    record(actor, AuditAction.CREATE, enterprise, changes=diff({}, snapshot(enterprise, ENTERPRISE_FIELDS)))
    return enterprise


@transaction.atomic
def update_enterprise(
    enterprise: Enterprise, *, actor: User, expected_version: int | None = None, **fields: Any
) -> Enterprise:
    """Change an enterprise's fields (operators: contacts only). Raises EditConflict if it was saved
    since ``expected_version``, ServiceError for a credit code or name another enterprise has."""
    ensure_scope(enterprise, actor=actor, action=Action.CHANGE)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    check_version(enterprise, expected_version)
    if actor.role == Role.OPERATOR:
        # Operators keep their contacts up to date; identity and classification are the admins'.
        fields = {k: v for k, v in fields.items() if k in {"address", "contact_name", "contact_phone"}}
    before = snapshot(enterprise, ENTERPRISE_FIELDS)
    if "uscc" in fields:
        fields["uscc"] = validate_uscc(fields["uscc"])
    uscc = fields["uscc"] if fields.get("uscc", enterprise.uscc) != enterprise.uscc else None
    name = fields["name"] if fields.get("name", enterprise.name) != enterprise.name else None
    if clash := _enterprise_clash(uscc, name, exclude=enterprise.pk):
        raise clash
    for key, value in fields.items():
        setattr(enterprise, key, value)
    changes = diff(before, snapshot(enterprise, ENTERPRISE_FIELDS))
    if changes:
        enterprise.version += 1
        _insert(enterprise.save, lambda: _enterprise_taken(uscc, name, exclude=enterprise.pk))
        record(actor, AuditAction.UPDATE, enterprise, changes=changes)
    return enterprise


# Workers ----------------------------------------------------------------------------------


def worker_values(fields: dict[str, Any]) -> dict[str, Any]:
    """The attributes a worker stores for the given editable ``fields``: from an ID number its
    normalised form, keyed hash, masked copy, birth date and sex; a phone validated and masked;
    a name trimmed, with its pinyin search and sort keys; other fields as given."""
    values: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "id_number":
            parsed = parse_id_number(value)
            values["id_number"] = parsed.number
            values["id_number_hash"] = lookup_hash(parsed.number)
            values["id_number_masked"] = masking.mask_id_number(parsed.number)
            values["birth_date"] = parsed.birth_date
            values["sex"] = parsed.sex.value
        elif key == "phone":
            phone = masking.validate_phone(value) if value else ""
            values["phone"] = phone
            values["phone_masked"] = masking.mask_phone(phone) if phone else ""
        elif key == "name":
            values["name"] = normalise_name(value)
            if not values["name"]:
                raise ServiceError(_("Enter the name."))
            values["name_search"], values["name_sort"] = name_keys(values["name"])
        else:
            values[key] = value
    return values


def _apply_fields(worker: Worker, fields: dict[str, Any]) -> None:
    for key, value in worker_values(fields).items():
        setattr(worker, key, value)


# The rules of a worker's record: whichever path writes it (form, API, import, service) ------


def _unchanged(worker: Worker, key: str, value: Any) -> bool:
    if key == "id_number":
        try:
            return lookup_hash(parse_id_number(value).number) == worker.id_number_hash
        except InvalidIdNumber:
            return True  # sent back masked (left as it was), or invalid: that field's own check says so
    return bool(getattr(worker, key, None) == value)


def worker_rule_errors(
    fields: Mapping[str, Any], worker: Worker | None = None, *, today: date | None = None
) -> dict[str, str]:
    """``{field: Chinese message}`` for the rules that ``fields`` (a registration's or an edit's
    values, over ``worker``'s saved ones) break: the retirement category against the sex the ID
    number encodes (rules.retirement.category_conflict); the work start and employment start
    neither in the future nor before birth (rules.dates). Only the rules a changed field takes
    part in are checked, so a record saved before a rule existed can still be edited otherwise.
    The forms, the API serializers and the services call this; the import calls the same rules."""
    changed = {k: v for k, v in fields.items() if worker is None or not _unchanged(worker, k, v)}
    today = today or timezone.localdate()
    sex, birth = (worker.sex, worker.birth_date) if worker is not None else (None, None)
    if changed.get("id_number"):
        try:
            parsed = parse_id_number(changed["id_number"])
        except InvalidIdNumber:
            pass
        else:
            sex, birth = parsed.sex.value, parsed.birth_date
    errors: dict[str, str] = {}
    category = fields.get("retirement_category") or (worker.retirement_category if worker is not None else None)
    touched = {"id_number", "retirement_category"} & changed.keys()
    if sex and category and touched and (conflict := category_conflict(sex, category)):
        errors["retirement_category"] = conflict
    for key, event in (("work_start_date", DatedEvent.WORK_START), ("employment_start", DatedEvent.EMPLOYMENT_START)):
        day = fields.get(key, getattr(worker, key, None) if worker is not None else None)
        touched = {key, "id_number"} & changed.keys()
        if day and touched and (error := event_date_error(event, day, today=today, birth=birth)):
            errors[key] = error
    return errors


def check_worker_rules(fields: Mapping[str, Any], worker: Worker | None = None) -> None:
    """Raise ServiceError with the messages of ``worker_rule_errors``, if any."""
    if errors := worker_rule_errors(fields, worker):
        raise ServiceError("；".join(errors.values()))


def check_event_date(event: DatedEvent, day: date, worker: Worker) -> None:
    """Raise ServiceError if ``day`` cannot be the date of ``event`` in ``worker``'s record."""
    if error := event_date_error(event, day, today=timezone.localdate(), birth=worker.birth_date):
        raise ServiceError(error)


def values_snapshot(values: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """``snapshot`` of an object that would hold ``values`` (from ``worker_values``)."""
    masked = {"id_number": values.get("id_number_masked"), "phone": values.get("phone_masked")}
    return {f: masked[f] if f in masked and values.get(f) else values.get(f) for f in fields}


def find_worker_by_id_number(id_number: str) -> Worker | None:
    number = parse_id_number(id_number).number
    return Worker.objects.filter(id_number_hash=lookup_hash(number)).first()


@_audited_refusals
@transaction.atomic
def register_worker(
    *,
    actor: User,
    enterprise: Enterprise,
    employment_start: date,
    position: str = "",
    **fields: Any,
) -> Worker:
    """Add a worker with a current employment at ``enterprise``.

    A person already in the registry is never doubled: one who has left their last employer is
    taken on (a new employment, their record updated). Otherwise raises ServiceError: for an
    operator whose refusal would tell about a record they cannot see, DuplicateRefused with the
    neutral message (audited once the transaction has rolled back); TooManyRefusals while the
    operator is paused after too many of those."""
    ensure_scope(enterprise, actor=actor, action=Action.VIEW)
    _check_operator_enterprise(actor, enterprise)
    if actor.role not in (Role.ADMIN, Role.OPERATOR) and not actor.is_admin:
        raise ServiceError(_("You may not register workers."))
    check_worker_rules({**fields, "employment_start": employment_start})
    check_refusal_throttle(actor)
    number = parse_id_number(fields["id_number"]).number
    existing = find_worker_by_id_number(number)
    if existing is not None:
        return _take_on(
            existing, actor=actor, enterprise=enterprise, start_date=employment_start, position=position, fields=fields
        )
    worker = Worker()
    _apply_fields(worker, fields)
    worker.current_enterprise = enterprise
    # Two registrations of one new person at once: the unique ID hash refuses the second insert.
    _insert(
        worker.save,
        lambda: _id_refusal(actor, enterprise, find_worker_by_id_number(number), number, "registered_meanwhile"),
    )
    Employment.objects.create(
        worker=worker,
        enterprise=enterprise,
        start_date=employment_start,
        position=position,
        occupation=worker.occupation,
    )
    after = snapshot(worker, WORKER_FIELDS) | {"enterprise": enterprise.name}
    record(actor, AuditAction.CREATE, worker, changes=diff({}, after))
    return worker


def _take_on(
    worker: Worker, *, actor: User, enterprise: Enterprise, start_date: date, position: str, fields: dict[str, Any]
) -> Worker:
    """Employ a registered worker who has no current employer (they left their last one)."""
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    if worker.current_enterprise_id is not None:
        raise _id_refusal(actor, enterprise, worker, worker.id_number, "employed_elsewhere")
    last_end = worker.employments.aggregate(last_end=Max("end_date"))["last_end"]
    try:
        check_next_employment(start_date, last_end=last_end)
    except EmploymentConflict as exc:
        if actor.is_admin:
            raise ServiceError(str(exc)) from exc
        # The last employment's end date is another enterprise's record.
        raise _id_refusal(actor, enterprise, worker, worker.id_number, "left_later") from exc
    before = snapshot(worker, WORKER_FIELDS) | {"enterprise": None}
    _apply_fields(worker, {k: v for k, v in fields.items() if v not in (None, "")})
    worker.current_enterprise = enterprise
    worker.version += 1
    worker.save()
    Employment.objects.create(
        worker=worker, enterprise=enterprise, start_date=start_date, position=position, occupation=worker.occupation
    )
    record(
        actor,
        AuditAction.UPDATE,
        worker,
        changes=diff(before, snapshot(worker, WORKER_FIELDS) | {"enterprise": enterprise.name}),
    )
    return worker


@_audited_refusals
@transaction.atomic
def update_worker(worker: Worker, *, actor: User, expected_version: int | None = None, **fields: Any) -> Worker:
    """Change a worker's fields. Raises EditConflict if the worker was saved since
    ``expected_version``; for an ID number another worker has, ServiceError (DuplicateRefused for
    an operator when that worker is not theirs, see register_worker; TooManyRefusals when paused)."""
    ensure_scope(worker, actor=actor, action=Action.CHANGE)
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    check_version(worker, expected_version)
    check_worker_rules(fields, worker)
    before = snapshot(worker, WORKER_FIELDS)
    number = None
    if "id_number" in fields:
        number = parse_id_number(fields["id_number"]).number
        if lookup_hash(number) != worker.id_number_hash:
            check_refusal_throttle(actor)
            clash = Worker.objects.filter(id_number_hash=lookup_hash(number)).exclude(pk=worker.pk).first()
            if clash is not None:
                raise _id_refusal(actor, None, clash, number, "id_number_of_another_worker")
    _apply_fields(worker, fields)
    changes = diff(before, snapshot(worker, WORKER_FIELDS))
    if changes:
        worker.version += 1
        _insert(
            worker.save,
            lambda: _id_refusal(
                actor, None, find_worker_by_id_number(number) if number else None, number or "", "registered_meanwhile"
            ),
        )
        record(actor, AuditAction.UPDATE, worker, changes=changes)
    return worker


@transaction.atomic
def change_employer(
    worker: Worker,
    *,
    actor: User,
    enterprise: Enterprise,
    start_date: date,
    position: str = "",
) -> Employment:
    """End the current employment the day before ``start_date`` and open one at ``enterprise``.

    Admins only: between enterprises, the old employer records the departure (end_employment)
    and the new one registers the person again, which takes them on (register_worker)."""
    if not actor.is_admin:
        raise ServiceError(_("You may not change employment records."))
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    check_event_date(DatedEvent.EMPLOYMENT_START, start_date, worker)
    current = worker.employments.filter(end_date__isnull=True).first()
    if current is not None:
        if current.enterprise_id == enterprise.pk:
            raise ServiceError(_("The worker is already employed by this enterprise."))
        try:
            check_next_employment(start_date, current_start=current.start_date)
        except EmploymentConflict as exc:
            raise ServiceError(str(exc)) from exc
        current.end_date = end_of_previous(start_date)
        current.save(update_fields=["end_date"])
    employment = Employment.objects.create(
        worker=worker,
        enterprise=enterprise,
        start_date=start_date,
        position=position,
        occupation=worker.occupation,
    )
    before = worker.current_enterprise.name if worker.current_enterprise else None
    worker.current_enterprise = enterprise
    worker.version += 1
    worker.save(update_fields=["current_enterprise", "updated_at", "version"])
    record(actor, AuditAction.UPDATE, worker, changes={"enterprise": [before, enterprise.name]})
    return employment


@transaction.atomic
def end_employment(worker: Worker, *, actor: User, end_date: date) -> Employment:
    ensure_scope(worker, actor=actor, action=Action.CHANGE)
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    current = worker.employments.filter(end_date__isnull=True).first()
    if current is None:
        raise ServiceError(_("The worker has no current employment."))
    error = employment_end_error(end_date, start=current.start_date, today=timezone.localdate(),
                                 birth=worker.birth_date)
    if error:
        raise ServiceError(error)
    current.end_date = end_date
    current.save(update_fields=["end_date"])
    before = worker.current_enterprise.name if worker.current_enterprise else None
    worker.current_enterprise = None
    worker.version += 1
    worker.save(update_fields=["current_enterprise", "updated_at", "version"])
    record(actor, AuditAction.UPDATE, worker, changes={"enterprise": [before, None]})
    return current


# Certificates and honours -----------------------------------------------------------------


@dataclass(frozen=True)
class CertificateData:
    number: str
    level: int
    issued_on: date
    issuer: str = ""
    occupation_name: str = ""
    occupation_id: int | None = None


def certificate_number_taken(number: str) -> bool:
    return Certificate.objects.filter(number=number).exists()


def _certificate_refusal(actor: User, number: str) -> ServiceError:
    """Why ``number`` cannot be recorded: in full if its holder is in the actor's view, else the
    neutral message (DuplicateRefused), never whose certificate it is."""
    holder = Certificate.objects.filter(number=number).values_list("worker_id", flat=True).first()
    seen = Worker.objects.restrict(actor, Action.VIEW).filter(pk=holder).first() if holder is not None else None
    if seen is not None:
        return DuplicateRecord(_("A certificate with this number is already recorded."), existing=seen)
    return DuplicateRefused(
        neutral_certificate_message(),
        changes={"certificate_number": mask_certificate_number(number), "reason": "certificate_elsewhere"},
    )


@_audited_refusals
@transaction.atomic
def add_certificate(worker: Worker, data: CertificateData, *, actor: User) -> Certificate:
    """Record a certificate; the worker's level follows (see set_level_from_certificates). The
    date of issue may be neither in the future nor before the worker's birth.

    A number already recorded raises ServiceError, DuplicateRefused (neutral, audited) when its
    holder is outside the actor's view, TooManyRefusals while the actor is paused."""
    from talentpool.rules.skills import SkillLevel, check_certificate_number

    ensure_scope(worker, actor=actor, action=Action.CHANGE)
    check_event_date(DatedEvent.CERTIFICATE_ISSUED, data.issued_on, worker)
    check_refusal_throttle(actor)
    check = check_certificate_number(data.number, SkillLevel(data.level))
    if certificate_number_taken(check.number):
        raise _certificate_refusal(actor, check.number)
    certificate = _insert(
        lambda: Certificate.objects.create(
            worker=worker,
            number=check.number,
            level=data.level,
            issued_on=data.issued_on,
            issuer=data.issuer,
            occupation_name=data.occupation_name,
            occupation_id=data.occupation_id or printed_occupation_id(data.occupation_name),
            warnings="；".join(check.warnings),
        ),
        lambda: _certificate_refusal(actor, check.number),
    )
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    record(
        actor,
        AuditAction.CREATE,
        certificate,
        object_repr=f"{worker.name} {certificate.number}",
        changes={"worker": worker.name, "number": certificate.number, "level": data.level},
    )
    set_level_from_certificates(worker, actor=actor, added=certificate)
    return certificate


def set_level_from_certificates(
    worker: Worker, *, actor: User, added: Certificate | None = None, removed: Certificate | None = None
) -> None:
    """Recompute the level of ``worker`` (locked) once ``added`` was recorded or ``removed`` is
    about to be deleted (rules.skills.recomputed_level, from the certificates before and after),
    and audit a change as an update of the worker's level. The import writes the same rule."""
    levels = dict(worker.certificates.values_list("pk", "level"))
    after = [level for pk, level in levels.items() if removed is None or pk != removed.pk]
    before = [level for pk, level in levels.items() if added is None or pk != added.pk]
    level = recomputed_level(worker.skill_level, before, after)
    if level == worker.skill_level:
        return
    old, worker.skill_level = worker.skill_level, level
    worker.version += 1
    worker.save(update_fields=["skill_level", "updated_at", "version"])
    record(actor, AuditAction.UPDATE, worker, changes={"skill_level": [old, level]})


@transaction.atomic
def delete_certificate(certificate: Certificate, *, actor: User) -> None:
    """Delete a certificate; the worker's level falls back if it rested on it (see
    set_level_from_certificates)."""
    ensure_scope(certificate, actor=actor, action=Action.DELETE)
    worker = Worker.objects.select_for_update().get(pk=certificate.worker_id)
    record(actor, AuditAction.DELETE, certificate, object_repr=f"{worker.name} {certificate.number}")
    set_level_from_certificates(worker, actor=actor, removed=certificate)
    certificate.delete()


def honour_recorded(worker: Worker, name: str, awarded_on: date) -> bool:
    return Honour.objects.filter(worker=worker, name=name, awarded_on=awarded_on).exists()


@transaction.atomic
def add_honour(worker: Worker, *, actor: User, name: str, level: str, awarded_on: date, issuer: str = "") -> Honour:
    ensure_scope(worker, actor=actor, action=Action.CHANGE)
    check_event_date(DatedEvent.HONOUR_AWARDED, awarded_on, worker)

    def already() -> ServiceError:
        return ServiceError(_("This honour is already recorded for the worker."))

    if honour_recorded(worker, name, awarded_on):
        raise already()
    honour = _insert(
        lambda: Honour.objects.create(worker=worker, name=name, level=level, awarded_on=awarded_on, issuer=issuer),
        already,
    )
    record(
        actor,
        AuditAction.CREATE,
        honour,
        object_repr=f"{worker.name} {honour}",
        changes={"worker": worker.name, "name": name, "level": level, "awarded_on": awarded_on},
    )
    return honour


@transaction.atomic
def delete_honour(honour: Honour, *, actor: User) -> None:
    ensure_scope(honour, actor=actor, action=Action.DELETE)
    record(actor, AuditAction.DELETE, honour, object_repr=f"{honour.worker.name} {honour}")
    honour.delete()
