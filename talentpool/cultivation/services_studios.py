"""Every state change of an innovation studio (创新工作室): one transaction each, scope-checked,
the studio's row locked, versions checked, audited.

Who keeps a studio. A studio belongs to an enterprise (``Studio.enterprise``); a programme admin
keeps every studio, an operator the studios of their own enterprise. Leaders read every studio,
workers the studios they lead or are (or were) members of. The leader and every member must be
current workers of the studio's enterprise when they are named.

Members and yearly results follow the studio: their changes lock the studio's row (so two
concurrent changes of one studio run one after the other) and are audited on their own record
and as the studio's event. A studio has at most one result per year, from its founding year to
the current year (and not after the year it closed)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentpool.core.audit import diff, record
from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.core.models import AuditAction, User
from talentpool.core.roles import Action
from talentpool.registry.models import Enterprise, Worker
from talentpool.rules.mentorship import InvalidAmount, parse_yuan

from .choices import RecordLevel
from .events import STUDIO_CLOSE, STUDIO_MEMBER_ADD, STUDIO_MEMBER_REMOVE, STUDIO_REOPEN, STUDIO_RESULT
from .keepers import may_keep, nameable_workers
from .models import Studio, StudioMember, StudioResult
from .versioning import check_version, save_audited

FIRST_YEAR = 1949
AUDITED_FIELDS = [
    "name",
    "enterprise",
    "leader",
    "level",
    "is_demonstration",
    "founded_year",
    "description",
    "closed_year",
]
EDITABLE_FIELDS = frozenset({"name", "leader", "level", "is_demonstration", "founded_year", "description"})


def snapshot(studio: Studio) -> dict[str, Any]:
    """The studio's fields for the audit log (people and enterprises by name; nothing personal)."""
    values: dict[str, Any] = {}
    for field in AUDITED_FIELDS:
        if field in {"enterprise", "leader"}:
            related = getattr(studio, field, None)
            values[field] = related.name if related is not None else None
        else:
            values[field] = getattr(studio, field)
    return values


def benefit_value(value: Any) -> Decimal | None:
    """A benefit as the model stores it (yuan, 2 places; blank: none); ServiceError if unreadable."""
    if value in (None, ""):
        return None
    try:
        return parse_yuan(value)
    except InvalidAmount as exc:
        raise ServiceError(str(exc)) from exc


# Rules --------------------------------------------------------------------------------------


def founded_year_error(year: int | None, *, this_year: int | None = None) -> str | None:
    """Why ``year`` cannot be a founding year (Chinese), or None."""
    this_year = this_year or timezone.localdate().year
    if year is None:
        return _("Enter the founding year.")
    if year < FIRST_YEAR or year > this_year:
        return _("The founding year must be between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": this_year}
    return None


def result_year_error(studio: Studio, year: int, *, this_year: int | None = None) -> str | None:
    """Why ``studio`` cannot have results for ``year`` (Chinese), or None."""
    this_year = this_year or timezone.localdate().year
    if year < studio.founded_year:
        return _("The studio was founded in %(founded)s: no results before that year.") % {
            "founded": studio.founded_year
        }
    if year > this_year:
        return _("Results are recorded for past years and this year only (%(year)s at the latest).") % {
            "year": this_year
        }
    if studio.closed_year is not None and year > studio.closed_year:
        return _("The studio closed in %(closed)s: no results after that year.") % {"closed": studio.closed_year}
    return None


def level_value(level: Any) -> str:
    if level not in RecordLevel.values:
        raise ServiceError(_("Choose the studio's level."))
    return str(level)


# Who keeps which studio --------------------------------------------------------------------


may_keep_studios = may_keep


studio_workers = nameable_workers  # whom a leader or member may be


def _check_keeper(actor: User) -> None:
    if not may_keep_studios(actor):
        raise OutOfScope(f"studios are not kept by {actor.pk}")


def _check_worker_of(worker: Worker, enterprise_id: int, what: str) -> None:
    current = Worker.objects.filter(pk=worker.pk).values_list("current_enterprise_id", flat=True).first()
    if current != enterprise_id:
        if what == "leader":
            raise ServiceError(_("The leader must be a current worker of the studio's enterprise."))
        raise ServiceError(_("A member must be a current worker of the studio's enterprise."))


def _check_name(name: str, *, exclude: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Enter the studio's name."))
    others = Studio.objects.filter(name=name)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise ServiceError(_("A studio named “%(name)s” is already registered.") % {"name": name})
    return name


def _locked(studio: Studio | int, actor: User, action: Action = Action.CHANGE) -> Studio:
    """The studio's row, scope-checked and locked until the transaction ends."""
    pk = studio if isinstance(studio, int) else studio.pk
    _check_keeper(actor)
    if not Studio.objects.restrict(actor, action).filter(pk=pk).exists():
        raise OutOfScope(f"Studio {pk} is out of scope for {actor.pk}")
    return Studio.objects.select_for_update(of=("self",)).select_related("leader", "enterprise").get(pk=pk)


def _save(studio: Studio, actor: User, before: dict[str, Any], event: str = AuditAction.UPDATE) -> Studio:
    return save_audited(studio, actor, diff(before, snapshot(studio)), event=event, label=studio.name)


# Studios -------------------------------------------------------------------------------------


@transaction.atomic
def create_studio(
    *,
    actor: User,
    name: str,
    leader: Worker,
    level: str,
    founded_year: int,
    enterprise: Enterprise | None = None,
    is_demonstration: bool = False,
    description: str = "",
) -> Studio:
    """Register a studio of ``enterprise`` (an operator's: their own; an admin's: the leader's
    current enterprise when none is named) led by ``leader``. Raises ServiceError when a rule
    refuses it; nothing is written then."""
    _check_keeper(actor)
    if not actor.is_admin:
        if enterprise is not None and enterprise.pk != actor.enterprise_id:
            raise OutOfScope(f"enterprise {enterprise.pk} is not {actor.pk}'s")
        enterprise_id = actor.enterprise_id
    elif enterprise is not None:
        enterprise_id = enterprise.pk
    else:
        enterprise_id = Worker.objects.filter(pk=leader.pk).values_list("current_enterprise_id", flat=True).first()
        if enterprise_id is None:
            raise ServiceError(_("The leader has no current employer: name the studio's enterprise."))
    assert enterprise_id is not None
    leader = Worker.objects.select_for_update(of=("self",)).get(pk=leader.pk)
    _check_worker_of(leader, enterprise_id, "leader")
    if error := founded_year_error(founded_year):
        raise ServiceError(error)
    studio = Studio.objects.create(
        name=_check_name(name),
        leader=leader,
        enterprise_id=enterprise_id,
        level=level_value(level),
        is_demonstration=bool(is_demonstration),
        founded_year=founded_year,
        description=description or "",
    )
    studio = Studio.objects.select_related("leader", "enterprise").get(pk=studio.pk)
    record(actor, AuditAction.CREATE, studio, object_repr=studio.name, changes=diff({}, snapshot(studio)))
    return studio


@transaction.atomic
def update_studio(studio: Studio, *, actor: User, expected_version: int | None = None, **fields: Any) -> Studio:
    """Change a studio's name, leader, level, 示范性 flag, founding year or description. Raises
    EditConflict if it was saved since ``expected_version``, ServiceError when a rule refuses it."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    studio = _locked(studio, actor)
    check_version(studio, expected_version)
    before = snapshot(studio)
    if "name" in fields:
        studio.name = _check_name(fields["name"], exclude=studio.pk)
    if "leader" in fields and fields["leader"].pk != studio.leader_id:
        _check_worker_of(fields["leader"], studio.enterprise_id, "leader")
        studio.leader = fields["leader"]
    if "level" in fields:
        studio.level = level_value(fields["level"])
    if "is_demonstration" in fields:
        studio.is_demonstration = bool(fields["is_demonstration"])
    if "description" in fields:
        studio.description = fields["description"] or ""
    if "founded_year" in fields:
        year = fields["founded_year"]
        if error := founded_year_error(year):
            raise ServiceError(error)
        first_result = studio.results.order_by("year").values_list("year", flat=True).first()
        if first_result is not None and year > first_result:
            raise ServiceError(
                _("The studio has results for %(year)s: it cannot have been founded later.") % {"year": first_result}
            )
        if studio.closed_year is not None and year > studio.closed_year:
            raise ServiceError(_("The founding year cannot be after the year the studio closed."))
        studio.founded_year = year
    return _save(studio, actor, before)


@transaction.atomic
def close_studio(studio: Studio, *, actor: User, closed_year: int, expected_version: int | None = None) -> Studio:
    """The studio closed (撤销) in ``closed_year``: its founding year at the earliest, this year at
    the latest, and not before its last yearly result."""
    studio = _locked(studio, actor)
    check_version(studio, expected_version)
    if studio.closed_year is not None:
        raise ServiceError(_("This studio is closed already."))
    this_year = timezone.localdate().year
    if closed_year < studio.founded_year or closed_year > this_year:
        raise ServiceError(
            _("The closing year must be between %(first)s and %(last)s.")
            % {"first": studio.founded_year, "last": this_year}
        )
    last_result = studio.results.order_by("-year").values_list("year", flat=True).first()
    if last_result is not None and closed_year < last_result:
        raise ServiceError(
            _("The studio has results for %(year)s: it cannot have closed earlier.") % {"year": last_result}
        )
    before = snapshot(studio)
    studio.closed_year = closed_year
    return _save(studio, actor, before, STUDIO_CLOSE)


@transaction.atomic
def reopen_studio(studio: Studio, *, actor: User, expected_version: int | None = None) -> Studio:
    """Undo a closing recorded by mistake."""
    studio = _locked(studio, actor)
    check_version(studio, expected_version)
    if studio.closed_year is None:
        raise ServiceError(_("This studio is not closed."))
    before = snapshot(studio)
    studio.closed_year = None
    return _save(studio, actor, before, STUDIO_REOPEN)


@transaction.atomic
def delete_studio(studio: Studio, *, actor: User) -> None:
    """Delete a studio recorded by mistake, with its members and results."""
    studio = _locked(studio, actor, Action.DELETE)
    changes = diff(snapshot(studio), {})
    changes["members"] = [studio.members.count(), None]
    changes["results"] = [studio.results.count(), None]
    record(actor, AuditAction.DELETE, studio, object_repr=studio.name, changes=changes)
    studio.delete()


# Members -------------------------------------------------------------------------------------


def _member_label(member: StudioMember) -> str:
    return f"{member.worker.name} @ {member.studio.name}"


@transaction.atomic
def add_member(studio: Studio, *, actor: User, worker: Worker, joined_on: date | None = None) -> StudioMember:
    """Add ``worker`` (a current worker of the studio's enterprise) to the studio; a former member
    joins again (their left date is cleared)."""
    studio = _locked(studio, actor)
    if studio.closed_year is not None:
        raise ServiceError(_("This studio is closed: it takes no new members."))
    if worker.pk == studio.leader_id:
        raise ServiceError(_("The leader leads the studio: they are not added as a member."))
    _check_worker_of(worker, studio.enterprise_id, "member")
    today = timezone.localdate()
    if joined_on is not None and joined_on > today:
        raise ServiceError(_("The joining date cannot be after today."))
    member = StudioMember.objects.select_related("worker").filter(studio=studio, worker_id=worker.pk).first()
    if member is not None and member.left_on is None:
        raise ServiceError(_("%(name)s is a member of this studio already.") % {"name": member.worker.name})
    if member is None:
        member = StudioMember.objects.create(studio=studio, worker=worker, joined_on=joined_on)
        before: dict[str, Any] = {}
    else:
        before = {"joined_on": member.joined_on, "left_on": member.left_on}
        member.joined_on, member.left_on = joined_on, None
        member.save()
    member = StudioMember.objects.select_related("worker", "studio").get(pk=member.pk)
    changes = diff(before, {"worker": member.worker.name, "joined_on": member.joined_on, "left_on": None})
    record(actor, STUDIO_MEMBER_ADD, studio, object_repr=_member_label(member), changes=changes)
    return member


@transaction.atomic
def remove_member(member: StudioMember, *, actor: User, left_on: date | None = None) -> StudioMember:
    """The member left the studio on ``left_on`` (today if none): they stay in its history."""
    studio = _locked(member.studio_id, actor)
    member = StudioMember.objects.select_related("worker", "studio").get(pk=member.pk, studio=studio)
    if member.left_on is not None:
        raise ServiceError(_("%(name)s has left this studio already.") % {"name": member.worker.name})
    left_on = left_on or timezone.localdate()
    if left_on > timezone.localdate():
        raise ServiceError(_("The leaving date cannot be after today."))
    if member.joined_on is not None and left_on < member.joined_on:
        raise ServiceError(_("The leaving date cannot be before the joining date."))
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    record(
        actor,
        STUDIO_MEMBER_REMOVE,
        studio,
        object_repr=_member_label(member),
        changes={"worker": [member.worker.name, member.worker.name], "left_on": [None, left_on.isoformat()]},
    )
    return member


# Yearly results -------------------------------------------------------------------------------


@transaction.atomic
def record_result(studio: Studio, *, actor: User, year: int, summary: str, benefit: Any = None) -> StudioResult:
    """The studio's results of ``year`` (one record per year)."""
    studio = _locked(studio, actor)
    if error := result_year_error(studio, year):
        raise ServiceError(error)
    if not (summary or "").strip():
        raise ServiceError(_("Describe the year's results."))
    if StudioResult.objects.filter(studio=studio, year=year).exists():
        raise ServiceError(_("The results of %(year)s are recorded already: edit them instead.") % {"year": year})
    result = StudioResult.objects.create(
        studio=studio, year=year, summary=summary.strip(), benefit=benefit_value(benefit)
    )
    changes = diff({}, {"year": result.year, "summary": result.summary, "benefit": result.benefit})
    record(actor, STUDIO_RESULT, studio, object_repr=f"{studio.name} {year}", changes=changes)
    return result


@transaction.atomic
def update_result(result: StudioResult, *, actor: User, summary: str, benefit: Any = None) -> StudioResult:
    """Change the summary or benefit of a year's results (the year stays)."""
    studio = _locked(result.studio_id, actor)
    result = StudioResult.objects.get(pk=result.pk, studio=studio)
    if not (summary or "").strip():
        raise ServiceError(_("Describe the year's results."))
    before = {"year": result.year, "summary": result.summary, "benefit": result.benefit}
    result.summary, result.benefit = summary.strip(), benefit_value(benefit)
    changes = diff(before, {"year": result.year, "summary": result.summary, "benefit": result.benefit})
    if changes:
        result.save()
        record(actor, AuditAction.UPDATE, result, object_repr=f"{studio.name} {result.year}", changes=changes)
    return result


@transaction.atomic
def delete_result(result: StudioResult, *, actor: User) -> None:
    """Delete a year's results recorded by mistake."""
    studio = _locked(result.studio_id, actor)
    result = StudioResult.objects.get(pk=result.pk, studio=studio)
    changes = diff({"year": result.year, "summary": result.summary, "benefit": result.benefit}, {})
    record(actor, AuditAction.DELETE, result, object_repr=f"{studio.name} {result.year}", changes=changes)
    result.delete()


__all__ = [
    "add_member",
    "close_studio",
    "create_studio",
    "delete_result",
    "delete_studio",
    "may_keep_studios",
    "record_result",
    "remove_member",
    "reopen_studio",
    "studio_workers",
    "update_result",
    "update_studio",
]
