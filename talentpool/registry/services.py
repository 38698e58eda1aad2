"""Every state change of the registry: one transaction each, scope-checked, audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from talentpool.core.audit import diff, record
from talentpool.core.crypto import lookup_hash
from talentpool.core.exceptions import ServiceError
from talentpool.core.models import AuditAction, User
from talentpool.core.roles import Action, Role
from talentpool.core.services import ensure_scope
from talentpool.rules import masking
from talentpool.rules.employment import EmploymentConflict, check_next_employment, end_of_previous
from talentpool.rules.idnumber import parse_id_number
from talentpool.rules.names import name_keys
from talentpool.rules.uscc import validate_uscc

from .models import Certificate, Employment, Enterprise, Honour, Worker

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


# Enterprises ------------------------------------------------------------------------------


@transaction.atomic
def create_enterprise(*, actor: User, **fields: Any) -> Enterprise:
    if not actor.is_admin:
        raise ServiceError(_("Only programme admins can add enterprises."))
    fields["uscc"] = validate_uscc(fields["uscc"])
    if Enterprise.objects.filter(uscc=fields["uscc"]).exists():
        raise ServiceError(_("An enterprise with this credit code already exists."))
    enterprise = Enterprise.objects.create(**fields)
    record(actor, AuditAction.CREATE, enterprise, changes=diff({}, snapshot(enterprise, ENTERPRISE_FIELDS)))
    return enterprise


@transaction.atomic
def update_enterprise(enterprise: Enterprise, *, actor: User, **fields: Any) -> Enterprise:
    ensure_scope(enterprise, actor=actor, action=Action.CHANGE)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if actor.role == Role.OPERATOR:
        # Operators keep their contacts up to date; identity and classification are the admins'.
        fields = {k: v for k, v in fields.items() if k in {"address", "contact_name", "contact_phone"}}
    before = snapshot(enterprise, ENTERPRISE_FIELDS)
    if "uscc" in fields:
        fields["uscc"] = validate_uscc(fields["uscc"])
    for key, value in fields.items():
        setattr(enterprise, key, value)
    enterprise.save()
    changes = diff(before, snapshot(enterprise, ENTERPRISE_FIELDS))
    if changes:
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
            values["name"] = value.strip()
            values["name_search"], values["name_sort"] = name_keys(values["name"])
        else:
            values[key] = value
    return values


def _apply_fields(worker: Worker, fields: dict[str, Any]) -> None:
    for key, value in worker_values(fields).items():
        setattr(worker, key, value)


def values_snapshot(values: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """``snapshot`` of an object that would hold ``values`` (from ``worker_values``)."""
    masked = {"id_number": values.get("id_number_masked"), "phone": values.get("phone_masked")}
    return {f: masked[f] if f in masked and values.get(f) else values.get(f) for f in fields}


def find_worker_by_id_number(id_number: str) -> Worker | None:
    number = parse_id_number(id_number).number
    return Worker.objects.filter(id_number_hash=lookup_hash(number)).first()


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
    taken on (a new employment, their record updated); one employed anywhere raises ServiceError."""
    ensure_scope(enterprise, actor=actor, action=Action.VIEW)
    _check_operator_enterprise(actor, enterprise)
    if actor.role not in (Role.ADMIN, Role.OPERATOR) and not actor.is_admin:
        raise ServiceError(_("You may not register workers."))
    existing = find_worker_by_id_number(fields["id_number"])
    if existing is not None:
        return _take_on(
            existing, actor=actor, enterprise=enterprise, start_date=employment_start, position=position, fields=fields
        )
    worker = Worker()
    _apply_fields(worker, fields)
    worker.current_enterprise = enterprise
    worker.save()
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
        if worker.current_enterprise_id == enterprise.pk:
            raise ServiceError(_("A worker with this ID number is already registered."))
        raise ServiceError(
            _(
                "This person is registered as employed by another enterprise. That enterprise must first record "
                "their departure, or a programme admin can record the change of employer."
            )
        )
    last_end = worker.employments.aggregate(last_end=Max("end_date"))["last_end"]
    try:
        check_next_employment(start_date, last_end=last_end)
    except EmploymentConflict as exc:
        raise ServiceError(str(exc)) from exc
    before = snapshot(worker, WORKER_FIELDS) | {"enterprise": None}
    _apply_fields(worker, {k: v for k, v in fields.items() if v not in (None, "")})
    worker.current_enterprise = enterprise
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


@transaction.atomic
def update_worker(worker: Worker, *, actor: User, **fields: Any) -> Worker:
    ensure_scope(worker, actor=actor, action=Action.CHANGE)
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    before = snapshot(worker, WORKER_FIELDS)
    if "id_number" in fields:
        number = parse_id_number(fields["id_number"]).number
        clash = Worker.objects.filter(id_number_hash=lookup_hash(number)).exclude(pk=worker.pk)
        if clash.exists():
            raise ServiceError(_("A worker with this ID number is already registered."))
    _apply_fields(worker, fields)
    worker.save()
    changes = diff(before, snapshot(worker, WORKER_FIELDS))
    if changes:
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
    worker.save(update_fields=["current_enterprise", "updated_at"])
    record(actor, AuditAction.UPDATE, worker, changes={"enterprise": [before, enterprise.name]})
    return employment


@transaction.atomic
def end_employment(worker: Worker, *, actor: User, end_date: date) -> Employment:
    ensure_scope(worker, actor=actor, action=Action.CHANGE)
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    current = worker.employments.filter(end_date__isnull=True).first()
    if current is None:
        raise ServiceError(_("The worker has no current employment."))
    if end_date < current.start_date:
        raise ServiceError(_("The end date is before the employment began."))
    current.end_date = end_date
    current.save(update_fields=["end_date"])
    before = worker.current_enterprise.name if worker.current_enterprise else None
    worker.current_enterprise = None
    worker.save(update_fields=["current_enterprise", "updated_at"])
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


@transaction.atomic
def add_certificate(worker: Worker, data: CertificateData, *, actor: User) -> Certificate:
    """Record a certificate; a higher level than the worker's raises their current level."""
    from talentpool.rules.skills import SkillLevel, check_certificate_number

    ensure_scope(worker, actor=actor, action=Action.CHANGE)
    check = check_certificate_number(data.number, SkillLevel(data.level))
    if Certificate.objects.filter(number=check.number).exists():
        raise ServiceError(_("A certificate with this number is already recorded."))
    certificate = Certificate.objects.create(
        worker=worker,
        number=check.number,
        level=data.level,
        issued_on=data.issued_on,
        issuer=data.issuer,
        occupation_name=data.occupation_name,
        occupation_id=data.occupation_id,
        warnings="；".join(check.warnings),
    )
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    if worker.skill_level is None or worker.skill_level < data.level:
        worker.skill_level = data.level
        worker.save(update_fields=["skill_level", "updated_at"])
    record(
        actor,
        AuditAction.CREATE,
        certificate,
        object_repr=f"{worker.name} {certificate.number}",
        changes={"worker": worker.name, "number": certificate.number, "level": data.level},
    )
    return certificate


@transaction.atomic
def delete_certificate(certificate: Certificate, *, actor: User) -> None:
    ensure_scope(certificate, actor=actor, action=Action.DELETE)
    record(actor, AuditAction.DELETE, certificate, object_repr=f"{certificate.worker.name} {certificate.number}")
    certificate.delete()


@transaction.atomic
def add_honour(worker: Worker, *, actor: User, name: str, level: str, awarded_on: date, issuer: str = "") -> Honour:
    ensure_scope(worker, actor=actor, action=Action.CHANGE)
    if Honour.objects.filter(worker=worker, name=name, awarded_on=awarded_on).exists():
        raise ServiceError(_("This honour is already recorded for the worker."))
    honour = Honour.objects.create(worker=worker, name=name, level=level, awarded_on=awarded_on, issuer=issuer)
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
