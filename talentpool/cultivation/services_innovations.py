"""Every state change of a "五小" innovation (小发明, 小创造, 小革新, 小设计, 小建议): one transaction
each, scope-checked, the innovation's row locked, its version checked, audited.

Who submits. An innovation belongs to the enterprise that submits it (``Innovation.enterprise``):
an operator submits for their own enterprise, a programme admin for any enterprise. Its team (the
first member leads it) are workers currently employed at that enterprise when they are named.
Leaders read every innovation, workers the innovations whose team they are in.

Its course. Submitted → evaluated (the union's evaluation, by an admin) → commended (level, year,
date) or recorded as not commended (an evaluated innovation without a commendation, or a
commendation recorded by mistake withdrawn). An operator edits or deletes their innovation while it
is only submitted; an admin edits it at any stage and deletes it while it is only submitted."""

from __future__ import annotations

from collections.abc import Sequence
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

from .choices import InnovationKind, InnovationStatus, MemberRole, RecordLevel
from .events import INNOVATION_COMMEND, INNOVATION_EVALUATE, INNOVATION_NOT_COMMENDED
from .keepers import may_keep, nameable_workers
from .models import Innovation, InnovationMember
from .versioning import check_version, save_audited

FIRST_YEAR = 1949
MAX_TEAM = 50
AUDITED_FIELDS = [
    "title",
    "kind",
    "enterprise",
    "submitted_on",
    "description",
    "is_adopted",
    "adopted_on",
    "economic_benefit",
    "social_benefit",
    "status",
    "evaluation",
    "evaluated_on",
    "commendation_level",
    "commendation_year",
    "commended_on",
]
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "kind",
        "submitted_on",
        "description",
        "is_adopted",
        "adopted_on",
        "economic_benefit",
        "social_benefit",
        "members",
    }
)


def snapshot(innovation: Innovation, members: Sequence[Worker] | None = None) -> dict[str, Any]:
    """The innovation's fields for the audit log (enterprise and team by name; nothing personal)."""
    values: dict[str, Any] = {}
    for field in AUDITED_FIELDS:
        if field == "enterprise":
            values[field] = innovation.enterprise.name if innovation.enterprise_id else None
        else:
            values[field] = getattr(innovation, field)
    if members is not None:
        values["members"] = "、".join(w.name for w in members)
    return values


def team_of(innovation: Innovation) -> list[Worker]:
    """The innovation's team in order (its leader first)."""
    return [m.worker for m in innovation.members.select_related("worker").order_by("order", "pk")]


# Values ----------------------------------------------------------------------------------------


def benefit_value(value: Any) -> Decimal | None:
    """An economic benefit as the model stores it (yuan, 2 places; blank: none). A negative or
    unreadable amount raises ServiceError with the rule's Chinese message (rules.mentorship.parse_yuan)."""
    if value in (None, ""):
        return None
    try:
        return parse_yuan(value)
    except InvalidAmount as exc:
        raise ServiceError(str(exc)) from exc


def _title(title: Any) -> str:
    text = (title or "").strip()
    if not text:
        raise ServiceError(_("Enter the innovation's title."))
    if len(text) > 200:
        raise ServiceError(_("The title is too long: at most 200 characters."))
    return text


def _kind(kind: Any) -> str:
    if kind not in InnovationKind.values:
        raise ServiceError(
            _("Choose the kind of innovation (small invention, creation, innovation, design or suggestion).")
        )
    return str(kind)


def _past_date(day: date | None, what: str) -> date:
    if day is None:
        raise ServiceError(_("Enter the %(what)s.") % {"what": what})
    if day > timezone.localdate():
        raise ServiceError(_("The %(what)s cannot be after today.") % {"what": what})
    return day


def _check_adoption(innovation: Innovation) -> None:
    if not innovation.is_adopted:
        innovation.adopted_on = None
    elif innovation.adopted_on is not None:
        _past_date(innovation.adopted_on, _("adoption date"))
        if innovation.adopted_on < innovation.submitted_on:
            raise ServiceError(_("The adoption date cannot be before the submission date."))


# Who keeps which innovation --------------------------------------------------------------------


may_keep_innovations = may_keep


team_workers = nameable_workers  # whom a team may name


def _check_keeper(actor: User) -> None:
    if not may_keep_innovations(actor):
        raise OutOfScope(f"innovations are not kept by {actor.pk}")


def _check_admin(actor: User) -> None:
    if not actor.is_admin:
        raise OutOfScope(f"innovations are evaluated and commended by admins only, not {actor.pk}")


def _team(members: Sequence[Worker], enterprise_id: int, keep: frozenset[int] = frozenset()) -> list[Worker]:
    """The team as locked rows, in order; ServiceError unless it is one or more distinct current
    workers of ``enterprise_id`` (``keep``: members of the team already, who may have moved on)."""
    if not members:
        raise ServiceError(_("Name the team: at least its leader."))
    ids = [w.pk for w in members]
    if len(set(ids)) != len(ids):
        raise ServiceError(_("A worker is named twice in the team."))
    if len(ids) > MAX_TEAM:
        raise ServiceError(_("A team has at most %(n)s members.") % {"n": MAX_TEAM})
    found = {w.pk: w for w in Worker.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")}
    team = [found[pk] for pk in ids if pk in found]
    outsiders = [w.name for w in team if w.current_enterprise_id != enterprise_id and w.pk not in keep]
    if len(team) != len(ids) or outsiders:
        raise ServiceError(
            _("Team members must be current workers of the submitting enterprise: %(names)s is not.")
            % {"names": "、".join(outsiders) or "—"}
        )
    return team


def _write_team(innovation: Innovation, team: Sequence[Worker]) -> None:
    innovation.members.all().delete()
    InnovationMember.objects.bulk_create(
        [
            InnovationMember(
                innovation=innovation,
                worker=worker,
                role=MemberRole.LEADER if i == 0 else MemberRole.MEMBER,
                order=i,
            )
            for i, worker in enumerate(team)
        ]
    )


def _locked(innovation: Innovation | int, actor: User, action: Action = Action.CHANGE) -> Innovation:
    """The innovation's row, scope-checked and locked until the transaction ends."""
    pk = innovation if isinstance(innovation, int) else innovation.pk
    _check_keeper(actor)
    if not Innovation.objects.restrict(actor, action).filter(pk=pk).exists():
        raise OutOfScope(f"Innovation {pk} is out of scope for {actor.pk}")
    return Innovation.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=pk)


def _save(
    innovation: Innovation,
    actor: User,
    before: dict[str, Any],
    event: str = AuditAction.UPDATE,
    members: Sequence[Worker] | None = None,
) -> Innovation:
    changes = diff(before, snapshot(innovation, members))
    return save_audited(innovation, actor, changes, event=event, label=innovation.title)


# Submitting and editing ------------------------------------------------------------------------


@transaction.atomic
def submit_innovation(
    *,
    actor: User,
    title: str,
    kind: str,
    submitted_on: date,
    members: Sequence[Worker],
    enterprise: Enterprise | None = None,
    description: str = "",
    is_adopted: bool = False,
    adopted_on: date | None = None,
    economic_benefit: Any = None,
    social_benefit: str = "",
) -> Innovation:
    """Submit an innovation of ``enterprise`` (an operator's: their own; an admin's: the leader's
    current enterprise when none is named) with its team ``members`` (the first leads it). Raises
    ServiceError when a rule refuses it; nothing is written then."""
    _check_keeper(actor)
    if not actor.is_admin:
        if enterprise is not None and enterprise.pk != actor.enterprise_id:
            raise OutOfScope(f"enterprise {enterprise.pk} is not {actor.pk}'s")
        enterprise_id = actor.enterprise_id
    elif enterprise is not None:
        enterprise_id = enterprise.pk
    else:
        leader = members[0] if members else None
        enterprise_id = (
            Worker.objects.filter(pk=leader.pk).values_list("current_enterprise_id", flat=True).first()
            if leader is not None
            else None
        )
        if enterprise_id is None:
            raise ServiceError(_("Name the submitting enterprise."))
    assert enterprise_id is not None
    innovation = Innovation(
        title=_title(title),
        kind=_kind(kind),
        enterprise_id=enterprise_id,
        submitted_on=_past_date(submitted_on, _("submission date")),
        description=description or "",
        is_adopted=bool(is_adopted),
        adopted_on=adopted_on,
        economic_benefit=benefit_value(economic_benefit),
        social_benefit=social_benefit or "",
    )
    _check_adoption(innovation)
    team = _team(members, enterprise_id)
    innovation.save()
    _write_team(innovation, team)
    innovation = Innovation.objects.select_related("enterprise").get(pk=innovation.pk)
    record(
        actor,
        AuditAction.CREATE,
        innovation,
        object_repr=innovation.title,
        changes=diff({}, snapshot(innovation, team)),
    )
    return innovation


def is_editable_by(innovation: Innovation, actor: User) -> bool:
    """Admins change an innovation at any stage; its enterprise's operator only while it is just submitted."""
    return bool(actor.is_admin or innovation.status == InnovationStatus.SUBMITTED)


def may_change(innovation: Innovation, actor: User) -> bool:
    """Whether ``actor`` may edit ``innovation`` now (the pages offer the edit where this holds)."""
    return bool(
        may_keep_innovations(actor)
        and is_editable_by(innovation, actor)
        and Innovation.objects.restrict(actor, Action.CHANGE).filter(pk=innovation.pk).exists()
    )


def _check_editable(innovation: Innovation, actor: User) -> None:
    if not is_editable_by(innovation, actor):
        raise ServiceError(_("This innovation has been evaluated: only the programme's administrators may change it."))


@transaction.atomic
def update_innovation(
    innovation: Innovation, *, actor: User, expected_version: int | None = None, **fields: Any
) -> Innovation:
    """Change an innovation's title, kind, dates, description, adoption, benefits or team
    (``members``, leader first). Raises EditConflict if it was saved since ``expected_version``,
    ServiceError when a rule refuses the change."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    innovation = _locked(innovation, actor)
    check_version(innovation, expected_version)
    _check_editable(innovation, actor)
    current_team = team_of(innovation)
    before = snapshot(innovation, current_team)
    if "title" in fields:
        innovation.title = _title(fields["title"])
    if "kind" in fields:
        innovation.kind = _kind(fields["kind"])
    if "submitted_on" in fields:
        innovation.submitted_on = _past_date(fields["submitted_on"], _("submission date"))
        for later, what in (
            (innovation.evaluated_on, _("evaluation date")),
            (innovation.commended_on, _("commendation date")),
        ):
            if later is not None and later < innovation.submitted_on:
                raise ServiceError(
                    _("The submission date cannot be after the %(what)s (%(day)s).") % {"what": what, "day": later}
                )
    for key in ("description", "social_benefit"):
        if key in fields:
            setattr(innovation, key, fields[key] or "")
    if "is_adopted" in fields:
        innovation.is_adopted = bool(fields["is_adopted"])
    if "adopted_on" in fields:
        innovation.adopted_on = fields["adopted_on"]
    if "economic_benefit" in fields:
        innovation.economic_benefit = benefit_value(fields["economic_benefit"])
    _check_adoption(innovation)
    team = current_team
    if "members" in fields:
        team = _team(list(fields["members"]), innovation.enterprise_id, frozenset(w.pk for w in current_team))
        if [w.pk for w in team] != [w.pk for w in current_team]:
            _write_team(innovation, team)
    return _save(innovation, actor, before, members=team)


@transaction.atomic
def delete_innovation(innovation: Innovation, *, actor: User) -> None:
    """Delete an innovation submitted by mistake, with its team: only while it is only submitted."""
    innovation = _locked(innovation, actor, Action.DELETE)
    if innovation.status != InnovationStatus.SUBMITTED:
        raise ServiceError(_("An evaluated innovation cannot be deleted."))
    changes = diff(snapshot(innovation, team_of(innovation)), {})
    record(actor, AuditAction.DELETE, innovation, object_repr=innovation.title, changes=changes)
    innovation.delete()


# Evaluation and commendation (admins) ------------------------------------------------------------


@transaction.atomic
def evaluate_innovation(
    innovation: Innovation,
    *,
    actor: User,
    evaluation: str,
    evaluated_on: date,
    expected_version: int | None = None,
) -> Innovation:
    """Record the union's evaluation of a submitted innovation (or correct that of an evaluated one)."""
    _check_admin(actor)
    innovation = _locked(innovation, actor)
    check_version(innovation, expected_version)
    if innovation.status == InnovationStatus.COMMENDED:
        raise ServiceError(_("This innovation is commended already: withdraw the commendation to evaluate it again."))
    text = (evaluation or "").strip()
    if not text:
        raise ServiceError(_("Write the evaluation."))
    day = _past_date(evaluated_on, _("evaluation date"))
    if day < innovation.submitted_on:
        raise ServiceError(_("The evaluation date cannot be before the submission date."))
    before = snapshot(innovation)
    innovation.evaluation, innovation.evaluated_on = text, day
    innovation.status = InnovationStatus.EVALUATED
    return _save(innovation, actor, before, INNOVATION_EVALUATE)


def commendation_year_error(year: int | None, *, this_year: int | None = None) -> str | None:
    this_year = this_year or timezone.localdate().year
    if year is None:
        return _("Enter the commendation year.")
    if year < FIRST_YEAR or year > this_year:
        return _("The commendation year must be between %(first)s and %(last)s.") % {
            "first": FIRST_YEAR,
            "last": this_year,
        }
    return None


@transaction.atomic
def commend_innovation(
    innovation: Innovation,
    *,
    actor: User,
    level: str,
    year: int,
    commended_on: date,
    expected_version: int | None = None,
) -> Innovation:
    """Commend an evaluated innovation: its level (national … enterprise), the year of the
    commendation and the date it was conferred."""
    _check_admin(actor)
    innovation = _locked(innovation, actor)
    check_version(innovation, expected_version)
    if innovation.status == InnovationStatus.SUBMITTED:
        raise ServiceError(_("Evaluate the innovation before commending it."))
    if innovation.status == InnovationStatus.COMMENDED:
        raise ServiceError(_("This innovation is commended already."))
    if level not in RecordLevel.values:
        raise ServiceError(_("Choose the commendation level."))
    if error := commendation_year_error(year):
        raise ServiceError(error)
    day = _past_date(commended_on, _("commendation date"))
    if innovation.evaluated_on is not None and day < innovation.evaluated_on:
        raise ServiceError(_("The commendation date cannot be before the evaluation date."))
    before = snapshot(innovation)
    innovation.commendation_level, innovation.commendation_year, innovation.commended_on = level, year, day
    innovation.status = InnovationStatus.COMMENDED
    return _save(innovation, actor, before, INNOVATION_COMMEND)


@transaction.atomic
def record_not_commended(innovation: Innovation, *, actor: User, expected_version: int | None = None) -> Innovation:
    """The evaluated innovation is not commended (or a commendation recorded by mistake is
    withdrawn): it stays evaluated, without a commendation."""
    _check_admin(actor)
    innovation = _locked(innovation, actor)
    check_version(innovation, expected_version)
    if innovation.status == InnovationStatus.SUBMITTED:
        raise ServiceError(_("Evaluate the innovation before deciding on its commendation."))
    before = snapshot(innovation)
    innovation.commendation_level, innovation.commendation_year, innovation.commended_on = "", None, None
    innovation.status = InnovationStatus.EVALUATED
    return _save(innovation, actor, before, INNOVATION_NOT_COMMENDED)


__all__ = [
    "commend_innovation",
    "delete_innovation",
    "evaluate_innovation",
    "may_keep_innovations",
    "record_not_commended",
    "submit_innovation",
    "team_workers",
    "update_innovation",
]
