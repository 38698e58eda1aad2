"""Every state change of the competitions records (岗位练兵, 职工技能运动会): one transaction each,
scope-checked, locked, audited. Promotions from results (破格晋升) are proposed by the one rule
(rules.promotion) through ``sync_proposals``, which the results grid and the import both call; a
confirmed promotion records its certificate through the registry's service (add_certificate),
which raises the worker's level."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentpool.core.audit import diff, record
from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.core.models import AuditAction, User
from talentpool.core.roles import Action, Role
from talentpool.registry.models import Worker
from talentpool.registry.services import CertificateData, add_certificate
from talentpool.rules import promotion

from . import events
from .choices import PromotionStatus, RecordLevel
from .models import Competition, CompetitionEvent, Entry, PromotionProposal, PromotionRule

COMPETITION_FIELDS = [
    "name",
    "year",
    "level",
    "competition_class",
    "organiser",
    "enterprise",
    "start_date",
    "end_date",
    "description",
]
EVENT_FIELDS = ["code", "name", "occupation", "held_on", "venue"]
RULE_FIELDS = ["level", "competition_class", "rank_from", "rank_to", "levels_up", "highest_level", "is_active"]


def _values(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


# Competitions ------------------------------------------------------------------------------


def can_keep(actor: User, competition: Competition) -> bool:
    """Admins keep every competition; an operator the enterprise-level contests of their enterprise."""
    if actor.is_admin:
        return True
    return (
        actor.role == Role.OPERATOR
        and bool(actor.enterprise_id)
        and competition.level == RecordLevel.ENTERPRISE
        and competition.enterprise_id == actor.enterprise_id
    )


def _check_competition(actor: User, fields: dict[str, Any], *, exclude: int | None = None) -> None:
    if not actor.is_admin:
        if actor.role != Role.OPERATOR or not actor.enterprise_id:
            raise OutOfScope("competition")
        if fields.get("level") != RecordLevel.ENTERPRISE:
            raise ServiceError(_("An enterprise operator records only their enterprise's own contests."))
        fields["enterprise"] = actor.enterprise
    if fields.get("level") != RecordLevel.ENTERPRISE:
        fields["enterprise"] = None
    elif fields.get("enterprise") is None:
        raise ServiceError(_("An enterprise-level contest names its enterprise."))
    start, end = fields.get("start_date"), fields.get("end_date")
    if start and end and end < start:
        raise ServiceError(_("The end date is before the start date."))
    others = Competition.objects.filter(year=fields["year"], name=fields["name"])
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise ServiceError(_("A competition of this name is already recorded for that year."))


@transaction.atomic
def create_competition(*, actor: User, **fields: Any) -> Competition:
    _check_competition(actor, fields)
    try:
        with transaction.atomic():
            competition = Competition.objects.create(**fields)
    except IntegrityError as exc:
        raise ServiceError(_("A competition of this name is already recorded for that year.")) from exc
    record(actor, AuditAction.CREATE, competition, changes=diff({}, _values(competition, COMPETITION_FIELDS)))
    return competition


@transaction.atomic
def update_competition(competition: Competition, *, actor: User, **fields: Any) -> Competition:
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    if not can_keep(actor, competition):
        raise OutOfScope("competition")
    fields = {**_values(competition, COMPETITION_FIELDS), **fields}
    _check_competition(actor, fields, exclude=competition.pk)
    before = _values(competition, COMPETITION_FIELDS)
    for key, value in fields.items():
        setattr(competition, key, value)
    changes = diff(before, _values(competition, COMPETITION_FIELDS))
    if changes:
        competition.version += 1
        competition.save()
        record(actor, AuditAction.UPDATE, competition, changes=changes)
    return competition


# Events ------------------------------------------------------------------------------------


def _check_event(fields: dict[str, Any], *, exclude: int | None = None) -> None:
    others = CompetitionEvent.objects.filter(code=fields["code"])
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise ServiceError(_("An event with this code is already recorded."))


@transaction.atomic
def add_event(competition: Competition, *, actor: User, **fields: Any) -> CompetitionEvent:
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    if not can_keep(actor, competition):
        raise OutOfScope("competition")
    _check_event(fields)
    event = CompetitionEvent.objects.create(competition=competition, **fields)
    record(actor, AuditAction.CREATE, event, changes=diff({}, _values(event, EVENT_FIELDS)))
    return event


@transaction.atomic
def update_event(event: CompetitionEvent, *, actor: User, **fields: Any) -> CompetitionEvent:
    event = CompetitionEvent.objects.select_for_update().select_related("competition").get(pk=event.pk)
    if not can_keep(actor, event.competition):
        raise OutOfScope("event")
    _check_event({**_values(event, EVENT_FIELDS), **fields}, exclude=event.pk)
    before = _values(event, EVENT_FIELDS)
    for key, value in fields.items():
        setattr(event, key, value)
    changes = diff(before, _values(event, EVENT_FIELDS))
    if changes:
        event.save()
        record(actor, AuditAction.UPDATE, event, changes=changes)
    return event


# Entries -----------------------------------------------------------------------------------


def _visible_event(event: CompetitionEvent, actor: User) -> CompetitionEvent:
    found = (
        CompetitionEvent.objects.restrict(actor, Action.VIEW)
        .select_for_update(of=("self",))
        .select_related("competition")
        .filter(pk=event.pk)
        .first()
    )
    if found is None:
        raise OutOfScope("event")
    return found


@transaction.atomic
def enter_workers(event: CompetitionEvent, workers: list[Worker], *, actor: User) -> list[Entry]:
    """Enter ``workers`` in ``event``, each for the enterprise they work at now. An operator enters
    their own current workers, into an event without results yet, and into an enterprise-level
    contest only of their own enterprise; admins enter anyone. A worker entered already is refused."""
    if actor.role not in {Role.OPERATOR} and not actor.is_admin:
        raise OutOfScope("event")
    event = _visible_event(event, actor)
    if not actor.is_admin and event.results_recorded:
        raise ServiceError(_("The results of this event are recorded: no more entries."))
    scope = Worker.objects.restrict(actor, Action.CHANGE)
    entries = []
    for worker in workers:
        locked = scope.select_for_update(of=("self",)).filter(pk=worker.pk).first()
        if locked is None:
            raise OutOfScope("worker")
        if locked.current_enterprise_id is None:
            raise ServiceError(_("%(name)s works at no enterprise now and cannot be entered.") % {"name": locked.name})
        competition = event.competition
        if competition.enterprise_id and locked.current_enterprise_id != competition.enterprise_id:
            raise ServiceError(_("Only workers of the organising enterprise may enter its contest."))
        if Entry.objects.filter(event=event, worker=locked).exists():
            raise ServiceError(_("%(name)s is already entered in this event.") % {"name": locked.name})
        try:
            with transaction.atomic():
                entry = Entry.objects.create(event=event, worker=locked, enterprise_id=locked.current_enterprise_id)
        except IntegrityError as exc:
            raise ServiceError(_("%(name)s is already entered in this event.") % {"name": locked.name}) from exc
        record(
            actor,
            events.COMPETITION_ENTER,
            entry,
            object_repr=f"{locked.name} @ {event.code}",
            changes={"worker": locked.name, "event": event.code},
        )
        entries.append(entry)
    return entries


@transaction.atomic
def withdraw_entry(entry: Entry, *, actor: User) -> None:
    found = Entry.objects.restrict(actor, Action.DELETE).select_for_update(of=("self",)).filter(pk=entry.pk).first()
    if found is None:
        raise OutOfScope("entry")
    if found.rank is not None or found.score is not None or found.award:
        raise ServiceError(_("An entry with results cannot be withdrawn."))
    if PromotionProposal.objects.filter(entry=found).exclude(status=PromotionStatus.PROPOSED).exists():
        raise ServiceError(_("An entry with a decided promotion cannot be withdrawn."))
    record(actor, events.COMPETITION_WITHDRAW, found, object_repr=str(found))
    found.delete()


@dataclass(frozen=True)
class Result:
    entry_id: int
    rank: int | None
    score: Decimal | None
    award: str


@transaction.atomic
def record_results(event: CompetitionEvent, results: list[Result], *, actor: User) -> CompetitionEvent:
    """Record rank, score and award of entries of ``event`` (admins), all or nothing; ties are
    allowed (two entries may share a rank), a rank is 1 or more. The promotions the results
    qualify for follow (sync_proposals)."""
    if not actor.is_admin:
        raise OutOfScope("event")
    event = _visible_event(event, actor)
    entries = {e.pk: e for e in Entry.objects.select_for_update(of=("self",)).filter(event=event)}
    changes: dict[str, Any] = {}
    for result in results:
        entry = entries.get(result.entry_id)
        if entry is None:
            raise ServiceError(_("An entry of another event was sent."))
        if result.rank is not None and result.rank < 1:
            raise ServiceError(_("A rank is 1 or more."))
        before = (entry.rank, entry.score, entry.award)
        entry.rank, entry.score, entry.award = result.rank, result.score, result.award or ""
        if before != (entry.rank, entry.score, entry.award):
            entry.save(update_fields=["rank", "score", "award"])
            changes[str(entry.pk)] = [list(map(_plain, before)), [entry.rank, _plain(entry.score), entry.award]]
    event.results_recorded = True
    event.save(update_fields=["results_recorded"])
    record(actor, events.COMPETITION_RESULTS, event, changes={"entries": changes})
    sync_proposals([event.pk], actor=actor)
    return event


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


# Promotions --------------------------------------------------------------------------------


def rule_values(queryset: Any = None) -> list[promotion.Rule]:
    rows = (queryset if queryset is not None else PromotionRule.objects.all()).order_by("pk")
    return [
        promotion.Rule(
            r.level,
            r.competition_class,
            r.rank_from,
            r.rank_to,
            r.levels_up,
            r.highest_level,
            id=r.pk,
            active=r.is_active,
        )
        for r in rows
    ]


def sync_proposals(event_ids: list[int], *, actor: User) -> dict[str, int]:
    """Bring the proposals of the entries of ``event_ids`` in line with their results and the rule
    table (rules.promotion.propose): a qualifying entry gets a proposal or has its still-proposed one
    updated; a still-proposed one that no longer qualifies is withdrawn (deleted); a decided
    (confirmed or refused) proposal is never touched. Called inside the caller's transaction."""
    rules = rule_values()
    counts = {"proposed": 0, "updated": 0, "withdrawn": 0}
    entries = (
        Entry.objects.filter(event_id__in=event_ids)
        .select_related("event__competition", "worker")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    existing = {
        p.entry_id: p for p in PromotionProposal.objects.select_for_update().filter(entry__event_id__in=event_ids)
    }
    for entry in entries:
        competition = entry.event.competition
        current = entry.worker.skill_level
        found = promotion.propose(
            rules,
            level=competition.level,
            competition_class=competition.competition_class,
            rank=entry.rank,
            current_level=current,
        )
        proposal = existing.get(entry.pk)
        if proposal is not None and proposal.status != PromotionStatus.PROPOSED:
            continue
        if found is None:
            if proposal is not None:
                record(actor, events.PROMOTION_WITHDRAW, proposal, object_repr=str(proposal))
                proposal.delete()
                counts["withdrawn"] += 1
            continue
        values = {
            "rule_id": found.rule.id,
            "from_level": current,
            "proposed_level": found.new_level,
            "year": competition.year,
            "worker_id": entry.worker_id,
            "enterprise_id": entry.enterprise_id,
        }
        if proposal is None:
            proposal = PromotionProposal.objects.create(entry=entry, **values)
            record(
                actor,
                events.PROMOTION_PROPOSE,
                proposal,
                object_repr=str(proposal),
                changes={"worker": entry.worker.name, "proposed_level": found.new_level, "rule": found.rule.id},
            )
            counts["proposed"] += 1
        elif any(getattr(proposal, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(proposal, key, value)
            proposal.save()
            record(
                actor,
                events.PROMOTION_PROPOSE,
                proposal,
                object_repr=str(proposal),
                changes={"proposed_level": found.new_level, "rule": found.rule.id},
            )
            counts["updated"] += 1
    return counts


def _open_proposal(proposal: PromotionProposal, actor: User) -> PromotionProposal:
    if not actor.is_admin:
        raise OutOfScope("proposal")
    locked = PromotionProposal.objects.select_for_update().filter(pk=proposal.pk).first()
    if locked is None:
        raise OutOfScope("proposal")
    if locked.status != PromotionStatus.PROPOSED:
        raise ServiceError(_("This promotion is already decided."))
    return locked


def already_promoted_message() -> str:
    return _("The worker already has a confirmed competition promotion this year: at most one a year.")


@transaction.atomic
def confirm_proposal(
    proposal: PromotionProposal, *, actor: User, number: str, issued_on: date, issuer: str = "", reason: str = ""
) -> PromotionProposal:
    """Confirm a proposed promotion (admins): the certificate of the proposed level is recorded
    through the registry (add_certificate), which raises the worker's level. At most one confirmed
    competition promotion per worker per year. A refusal changes nothing."""
    proposal = _open_proposal(proposal, actor)
    if PromotionProposal.objects.filter(
        worker_id=proposal.worker_id, year=proposal.year, status=PromotionStatus.CONFIRMED
    ).exists():
        raise ServiceError(already_promoted_message())
    worker = Worker.objects.get(pk=proposal.worker_id)
    if worker.skill_level is not None and worker.skill_level >= proposal.proposed_level:
        raise ServiceError(_("The worker already holds the proposed level or a higher one."))
    event = CompetitionEvent.objects.select_related("occupation").get(entries__pk=proposal.entry_id)
    certificate = add_certificate(
        worker,
        CertificateData(
            number=number,
            level=proposal.proposed_level,
            issued_on=issued_on,
            issuer=issuer,
            occupation_name=event.occupation.name if event.occupation else "",
            occupation_id=event.occupation_id,
        ),
        actor=actor,
    )
    proposal.status = PromotionStatus.CONFIRMED
    proposal.certificate = certificate
    proposal.reason = reason
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError as exc:
        raise ServiceError(already_promoted_message()) from exc
    record(
        actor,
        events.PROMOTION_CONFIRM,
        proposal,
        object_repr=str(proposal),
        changes={"worker": worker.name, "proposed_level": proposal.proposed_level, "certificate": certificate.number},
    )
    return proposal


@transaction.atomic
def refuse_proposal(proposal: PromotionProposal, *, actor: User, reason: str) -> PromotionProposal:
    """Refuse a proposed promotion (admins), with a reason (required)."""
    reason = (reason or "").strip()
    proposal = _open_proposal(proposal, actor)
    if not reason:
        raise ServiceError(_("Give the reason for refusing the promotion."))
    proposal.status = PromotionStatus.REFUSED
    proposal.reason = reason
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save()
    record(actor, events.PROMOTION_REFUSE, proposal, object_repr=str(proposal), changes={"reason": reason})
    return proposal


# The rule table ----------------------------------------------------------------------------


def _check_rule(fields: dict[str, Any], *, exclude: int | None = None) -> None:
    candidate = promotion.Rule(
        fields["level"],
        fields.get("competition_class") or "",
        fields["rank_from"],
        fields["rank_to"],
        fields["levels_up"],
        fields["highest_level"],
        id=exclude,
    )
    errors = promotion.rule_errors(candidate)
    if errors:
        raise ServiceError("；".join(errors.values()))
    clash = promotion.overlapping_rules(candidate, rule_values())
    if clash:
        other = clash[0]
        raise ServiceError(
            _("The ranks %(start)s–%(end)s overlap the rule for ranks %(from)s–%(to)s of the same level and class.")
            % {"start": candidate.rank_from, "end": candidate.rank_to, "from": other.rank_from, "to": other.rank_to}
        )


@transaction.atomic
def create_rule(*, actor: User, **fields: Any) -> PromotionRule:
    if not actor.is_admin:
        raise OutOfScope("rule")
    list(PromotionRule.objects.select_for_update())  # one editor of the table at a time
    _check_rule(fields)
    rule = PromotionRule.objects.create(**fields)
    record(actor, AuditAction.CREATE, rule, changes=diff({}, _values(rule, RULE_FIELDS)))
    return rule


@transaction.atomic
def update_rule(rule: PromotionRule, *, actor: User, **fields: Any) -> PromotionRule:
    if not actor.is_admin:
        raise OutOfScope("rule")
    list(PromotionRule.objects.select_for_update())
    rule = PromotionRule.objects.get(pk=rule.pk)
    values = {**_values(rule, RULE_FIELDS), **fields}
    _check_rule(values, exclude=rule.pk)
    before = _values(rule, RULE_FIELDS)
    for key, value in fields.items():
        setattr(rule, key, value)
    changes = diff(before, _values(rule, RULE_FIELDS))
    if changes:
        rule.save()
        record(actor, AuditAction.UPDATE, rule, changes=changes)
    return rule


@transaction.atomic
def delete_rule(rule: PromotionRule, *, actor: User) -> None:
    if not actor.is_admin:
        raise OutOfScope("rule")
    record(actor, AuditAction.DELETE, rule)
    PromotionRule.objects.filter(pk=rule.pk).delete()
