"""Every state change of a master–apprentice pair (师徒结对): one transaction each, scope-checked,
locked, audited; the rules are rules.mentorship's, the same the forms and the import apply.

Who pairs whom. A pair belongs to the enterprise the apprentice works at when it is made
(``Mentorship.enterprise``), and stays with it if the apprentice moves on. An operator pairs their
own current workers only (master and apprentice both); a programme admin may also pair an
apprentice with a master from another enterprise (名师带徒: a famous master from elsewhere), which
the apprentice's operator then sees in their list by the master's name only. Leaders read, workers
read the pairs they are in (as master or as apprentice).

Overlap. Two pairs of the same master and apprentice may not share a day (rules.mentorship:
inclusive ends, no end = ongoing). The check runs with the apprentice's worker row locked
(SELECT … FOR UPDATE OF self), so two concurrent creations or edits for one apprentice run one
after the other and the second sees the first's pair.

The level an apprentice gained is an outcome recorded on the pair; the worker's own level changes
only with a certificate, through the registry's services (registry.services.add_certificate)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from talentpool.core.audit import diff, record
from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.core.models import AuditAction, User
from talentpool.core.roles import Action
from talentpool.core.services import ensure_scope
from talentpool.registry.models import Worker
from talentpool.rules.mentorship import (
    OVERLAP,
    InvalidAmount,
    Period,
    closing_date_error,
    date_errors,
    overlapping,
    own_master_error,
    parse_yuan,
)

from .choices import MentorshipStatus
from .events import MENTORSHIP_COMPLETE, MENTORSHIP_END
from .keepers import may_keep, nameable_workers
from .models import Mentorship
from .versioning import check_version, save_audited

AUDITED_FIELDS = [
    "master",
    "apprentice",
    "enterprise",
    "start_date",
    "end_date",
    "goals",
    "is_famous_master",
    "status",
    "apprentice_level_gained",
    "competition_results",
    "benefit",
    "outcome_note",
]
EDITABLE_FIELDS = frozenset(
    {
        "start_date",
        "end_date",
        "goals",
        "is_famous_master",
        "apprentice_level_gained",
        "competition_results",
        "benefit",
        "outcome_note",
    }
)
OUTCOME_FIELDS = ("apprentice_level_gained", "competition_results", "benefit", "outcome_note")


def snapshot(pair: Mentorship) -> dict[str, Any]:
    """The pair's fields for the audit log (workers by name; nothing personal)."""
    values: dict[str, Any] = {}
    for field in AUDITED_FIELDS:
        if field in {"master", "apprentice", "enterprise"}:
            related = getattr(pair, field, None)
            values[field] = related.name if related is not None else None
        else:
            values[field] = getattr(pair, field)
    return values


def _label(pair: Mentorship) -> str:
    return f"{pair.master.name} → {pair.apprentice.name}"


def benefit_value(value: Any) -> Decimal:
    """A benefit as the model stores it (rules.mentorship.parse_yuan); ServiceError if unreadable."""
    if value in (None, ""):
        return Decimal("0.00")
    try:
        return parse_yuan(value)
    except InvalidAmount as exc:
        raise ServiceError(str(exc)) from exc


# Who may pair whom ------------------------------------------------------------------------


may_keep_pairs = may_keep


pairable_workers = nameable_workers  # whom a master or apprentice may be


def _check_pairable(actor: User, master: Worker, apprentice: Worker) -> None:
    if not may_keep_pairs(actor):
        raise OutOfScope(f"mentorships are not kept by {actor.pk}")
    if apprentice.current_enterprise_id is None:
        raise ServiceError(_("The apprentice has no current employer: a pair belongs to the apprentice's enterprise."))
    if not actor.is_admin:
        allowed = set(pairable_workers(actor).filter(pk__in=[master.pk, apprentice.pk]).values_list("pk", flat=True))
        if apprentice.pk not in allowed:
            raise ServiceError(_("You can only pair apprentices who are current workers of your enterprise."))
        if master.pk not in allowed:
            raise ServiceError(_("You can only choose a master among the current workers of your enterprise."))


def _lock_apprentice(apprentice_id: int) -> Worker:
    """The apprentice's row, locked until the transaction ends: concurrent pairings of one
    apprentice run one after the other (see the module's text)."""
    return Worker.objects.select_for_update(of=("self",)).get(pk=apprentice_id)


def existing_periods(master_id: int, apprentice_id: int, *, exclude: int | None = None) -> list[Period]:
    pairs = Mentorship.objects.filter(master_id=master_id, apprentice_id=apprentice_id)
    if exclude is not None:
        pairs = pairs.exclude(pk=exclude)
    return [Period(start, end) for start, end in pairs.values_list("start_date", "end_date")]


def check_pair_rules(
    master: Worker,
    apprentice: Worker,
    start_date: date,
    end_date: date | None,
    *,
    exclude: int | None = None,
    today: date | None = None,
) -> None:
    """Raise ServiceError (Chinese) if the pair breaks a rule of rules.mentorship: own master,
    its dates, or an overlap with another pair of the same two workers (``exclude``: the pair edited)."""
    if error := own_master_error(master.pk, apprentice.pk):
        raise ServiceError(error)
    today = today or timezone.localdate()
    errors = date_errors(
        start_date, end_date, today=today, master_birth=master.birth_date, apprentice_birth=apprentice.birth_date
    )
    if errors:
        raise ServiceError("；".join(errors.values()))
    if overlapping(Period(start_date, end_date), existing_periods(master.pk, apprentice.pk, exclude=exclude)):
        raise ServiceError(OVERLAP)


def _locked_pair(pair: Mentorship, actor: User, action: Action) -> Mentorship:
    ensure_scope(pair, actor=actor, action=action)
    if not may_keep_pairs(actor):
        raise OutOfScope(f"mentorships are not kept by {actor.pk}")
    _lock_apprentice(pair.apprentice_id)
    return (
        Mentorship.objects.select_for_update(of=("self",))
        .select_related("master", "apprentice", "enterprise")
        .get(pk=pair.pk)
    )


# Changes ----------------------------------------------------------------------------------


@transaction.atomic
def create_mentorship(
    *,
    actor: User,
    master: Worker,
    apprentice: Worker,
    start_date: date,
    end_date: date | None = None,
    goals: str = "",
    is_famous_master: bool = False,
    apprentice_level_gained: int | None = None,
    competition_results: str = "",
    benefit: Any = None,
    outcome_note: str = "",
) -> Mentorship:
    """Pair ``master`` with ``apprentice`` from ``start_date`` (``end_date`` None: ongoing), for
    the apprentice's current enterprise. Raises ServiceError when a rule refuses it; nothing is
    written then."""
    if error := own_master_error(master.pk, apprentice.pk):
        raise ServiceError(error)
    _check_pairable(actor, master, apprentice)
    apprentice = _lock_apprentice(apprentice.pk)
    _check_pairable(actor, master, apprentice)  # as locked: still employed where the actor may pair them
    master = Worker.objects.get(pk=master.pk)
    check_pair_rules(master, apprentice, start_date, end_date)
    enterprise_id = apprentice.current_enterprise_id
    assert enterprise_id is not None  # _check_pairable refused an apprentice without an employer
    pair = Mentorship.objects.create(
        master=master,
        apprentice=apprentice,
        enterprise_id=enterprise_id,
        start_date=start_date,
        end_date=end_date,
        goals=goals,
        is_famous_master=is_famous_master,
        apprentice_level_gained=apprentice_level_gained,
        competition_results=competition_results,
        benefit=benefit_value(benefit),
        outcome_note=outcome_note,
    )
    pair = Mentorship.objects.select_related("master", "apprentice", "enterprise").get(pk=pair.pk)
    record(actor, AuditAction.CREATE, pair, object_repr=_label(pair), changes=diff({}, snapshot(pair)))
    return pair


def _apply(pair: Mentorship, fields: dict[str, Any]) -> None:
    unknown = set(fields) - EDITABLE_FIELDS - {"status"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for key, value in fields.items():
        if key == "benefit":
            value = benefit_value(value)
        setattr(pair, key, value)


def _save(pair: Mentorship, actor: User, before: dict[str, Any], event: str = AuditAction.UPDATE) -> Mentorship:
    return save_audited(pair, actor, diff(before, snapshot(pair)), event=event, label=_label(pair))


@transaction.atomic
def update_mentorship(
    pair: Mentorship, *, actor: User, expected_version: int | None = None, **fields: Any
) -> Mentorship:
    """Change a pair's dates, goals, famous-master flag or outcomes. Raises EditConflict if it was
    saved since ``expected_version``, ServiceError when a rule refuses the change."""
    pair = _locked_pair(pair, actor, Action.CHANGE)
    check_version(pair, expected_version)
    before = snapshot(pair)
    _apply(pair, fields)
    if pair.status != MentorshipStatus.ACTIVE and pair.end_date is None:
        raise ServiceError(_("A completed or ended pair keeps its end date."))
    if {"start_date", "end_date"} & fields.keys():
        check_pair_rules(pair.master, pair.apprentice, pair.start_date, pair.end_date, exclude=pair.pk)
    return _save(pair, actor, before)


def _close(
    pair: Mentorship,
    *,
    actor: User,
    status: MentorshipStatus,
    event: str,
    end_date: date,
    expected_version: int | None,
    fields: dict[str, Any],
) -> Mentorship:
    pair = _locked_pair(pair, actor, Action.CHANGE)
    check_version(pair, expected_version)
    if pair.status != MentorshipStatus.ACTIVE:
        raise ServiceError(_("This pair is no longer active: it was completed or ended already."))
    if error := closing_date_error(end_date, start=pair.start_date, today=timezone.localdate()):
        raise ServiceError(error)
    before = snapshot(pair)
    _apply(pair, {**fields, "end_date": end_date, "status": status})
    # a shorter term can only overlap less; the check stays for one rule in one place
    check_pair_rules(pair.master, pair.apprentice, pair.start_date, pair.end_date, exclude=pair.pk)
    return _save(pair, actor, before, event)


@transaction.atomic
def complete_mentorship(
    pair: Mentorship,
    *,
    actor: User,
    end_date: date,
    expected_version: int | None = None,
    apprentice_level_gained: int | None = None,
    competition_results: str = "",
    benefit: Any = None,
    outcome_note: str = "",
) -> Mentorship:
    """The pair ran its term (出师): its end date, status completed and its outcomes."""
    fields = {
        "apprentice_level_gained": apprentice_level_gained,
        "competition_results": competition_results,
        "benefit": benefit,
        "outcome_note": outcome_note,
    }
    return _close(
        pair,
        actor=actor,
        status=MentorshipStatus.COMPLETED,
        event=MENTORSHIP_COMPLETE,
        end_date=end_date,
        expected_version=expected_version,
        fields=fields,
    )


@transaction.atomic
def end_mentorship(
    pair: Mentorship, *, actor: User, end_date: date, expected_version: int | None = None, outcome_note: str = ""
) -> Mentorship:
    """The pair ended before its term (提前解除): its end date, status ended early and why."""
    fields = {"outcome_note": outcome_note} if outcome_note else {}
    return _close(
        pair,
        actor=actor,
        status=MentorshipStatus.ENDED,
        event=MENTORSHIP_END,
        end_date=end_date,
        expected_version=expected_version,
        fields=fields,
    )


@transaction.atomic
def delete_mentorship(pair: Mentorship, *, actor: User) -> None:
    """Delete a pair recorded by mistake."""
    pair = _locked_pair(pair, actor, Action.DELETE)
    record(actor, AuditAction.DELETE, pair, object_repr=_label(pair), changes=diff(snapshot(pair), {}))
    pair.delete()


# Queries for other apps -------------------------------------------------------------------


def pairs_between(worker_ids: Iterable[int]) -> set[frozenset[int]]:
    """The master–apprentice pairs (of any time, any status) among ``worker_ids``, each as the
    frozenset of the two workers' ids: for conflict checks (a master reviewing their apprentice).
    One query; no scoping (the caller's own checks decide what it may tell)."""
    ids = sorted(set(worker_ids))
    if len(ids) < 2:
        return set()
    rows = Mentorship.objects.filter(Q(master_id__in=ids) & Q(apprentice_id__in=ids)).values_list(
        "master_id", "apprentice_id"
    )
    return {frozenset(row) for row in rows.distinct()}
