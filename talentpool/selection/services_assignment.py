"""Reviewer assignment (评审分配): the system proposes which experts review which eligible
nomination (rules.assignment, the exact optimum: every nomination fully reviewed, no expert over
capacity, no conflict of interest, at most one expert of an employer per nomination, the best
expertise match), with each match's reasons; the admin confirms it (only then do experts see
their assignments); an expert who declines is replaced by re-solving only the unstarted
assignments, while started and submitted reviews are kept.

Conflicts come from the data (rules.conflicts): the nominating enterprise now or within 3 years,
a stint shared elsewhere, a master–apprentice pair, a relation declared."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from talentpool.core.audit import record
from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.core.models import User
from talentpool.cultivation.models import Mentorship
from talentpool.registry.models import Employment
from talentpool.rules.assignment import assign_reviewers
from talentpool.rules.conflicts import Stint, conflicts
from talentpool.rules.solving import Infeasible

from .choices import AssignmentStatus, Eligibility, NominationStatus, Stage
from .models import Assignment, Campaign, DeclaredRelation, Expert, ExpertEmployment, Nomination, Panel
from .services import require_admin

#: Match of an expert's speciality with a nomination (the solver maximises the sum).
SAME_OCCUPATION, SAME_INDUSTRY, OTHER = 1.0, 0.6, 0.2
KEPT = (AssignmentStatus.CONFIRMED, AssignmentStatus.STARTED, AssignmentStatus.SUBMITTED)



def reviewable(campaign: Campaign) -> list[Nomination]:
    """The nominations the experts review: submitted and eligible (after any override)."""
    return list(Nomination.objects.filter(campaign=campaign, status=NominationStatus.SUBMITTED,
                                          eligibility=Eligibility.ELIGIBLE)
                .select_related("worker__occupation", "enterprise__industry", "tier").order_by("pk"))


@dataclass(frozen=True)
class Facts:
    """What the proposal reads, once, for every nomination × expert."""

    experts: list[Expert]
    occupations: dict[int, set[int]]  # expert → occupation ids
    industries: dict[int, set[int]]  # expert → industry ids
    panel_industries: dict[int, set[int]]  # expert → industries of the panels they sit on (none: no panels)
    stints: dict[int, list[Stint]]  # expert → employments
    worker_stints: dict[int, list[Stint]]  # worker → employments
    pairs: set[tuple[int, int]]  # (worker, worker) master–apprentice, both directions
    declared: dict[tuple[int, int], list[str]]  # (expert, worker) → notes


def gather(campaign: Campaign, nominations: list[Nomination]) -> Facts:
    experts = list(Expert.objects.filter(is_active=True).select_related("employer").order_by("pk"))
    occupations: dict[int, set[int]] = defaultdict(set)
    industries: dict[int, set[int]] = defaultdict(set)
    for expert_id, occupation_id in Expert.occupations.through.objects.filter(
            expert__in=experts).values_list("expert_id", "occupation_id"):
        occupations[expert_id].add(occupation_id)
    for expert_id, industry_id in Expert.industries.through.objects.filter(
            expert__in=experts).values_list("expert_id", "industry_id"):
        industries[expert_id].add(industry_id)
    panel_industries: dict[int, set[int]] = defaultdict(set)
    panels = list(Panel.objects.filter(campaign=campaign).prefetch_related("industries", "experts"))
    for panel in panels:
        covered = {i.pk for i in panel.industries.all()}
        for expert in panel.experts.all():
            panel_industries[expert.pk] |= covered
    stints: dict[int, list[Stint]] = defaultdict(list)
    for expert in experts:
        if expert.employer_id:
            stints[expert.pk].append(Stint(expert.employer_id, expert.employer.name))  # type: ignore[union-attr]
    for stint in ExpertEmployment.objects.filter(expert__in=experts).select_related("enterprise"):
        stints[stint.expert_id].append(Stint(stint.enterprise_id, stint.enterprise.name, stint.start_date,
                                             stint.end_date))
    workers = [n.worker_id for n in nominations]
    worker_stints: dict[int, list[Stint]] = defaultdict(list)
    for job in Employment.objects.filter(worker_id__in=workers).select_related("enterprise"):
        worker_stints[job.worker_id].append(Stint(job.enterprise_id, job.enterprise.name, job.start_date, job.end_date))
    expert_workers = [e.worker_id for e in experts if e.worker_id]
    pairs: set[tuple[int, int]] = set()
    for master, apprentice in Mentorship.objects.filter(
            Q(master_id__in=expert_workers, apprentice_id__in=workers)
            | Q(apprentice_id__in=expert_workers, master_id__in=workers)).values_list("master_id", "apprentice_id"):
        pairs |= {(master, apprentice), (apprentice, master)}
    declared: dict[tuple[int, int], list[str]] = defaultdict(list)
    for expert_id, worker_id, note in DeclaredRelation.objects.filter(
            expert__in=experts, worker_id__in=workers).values_list("expert_id", "worker_id", "note"):
        declared[(expert_id, worker_id)].append(note)
    return Facts(experts, occupations, industries, panel_industries if panels else {}, stints, worker_stints,
                 pairs, declared)


def match(facts: Facts, nomination: Nomination, expert: Expert) -> tuple[float, list[str]]:
    """The expert's match with the nomination, and why."""
    worker = nomination.worker
    if worker.occupation_id and worker.occupation_id in facts.occupations.get(expert.pk, ()):
        return SAME_OCCUPATION, [_("Same occupation: %(name)s") % {"name": worker.occupation.name}]  # type: ignore[union-attr]
    if nomination.enterprise.industry_id in facts.industries.get(expert.pk, ()):
        return SAME_INDUSTRY, [_("Same industry: %(name)s") % {"name": nomination.enterprise.industry.name}]
    return OTHER, [_("Outside their specialities")]


def refusals(facts: Facts, nomination: Nomination, expert: Expert, *, on: Any) -> list[str]:
    """Why the expert may not review the nomination: not on its panel, or a conflict."""
    reasons = []
    if facts.panel_industries and nomination.enterprise.industry_id not in facts.panel_industries.get(expert.pk, ()):
        reasons.append(_("Not on the panel for %(industry)s") % {"industry": nomination.enterprise.industry.name})
    worker = nomination.worker_id
    reasons += conflicts(
        facts.stints.get(expert.pk, []), facts.worker_stints.get(worker, []),
        nominating=Stint(nomination.enterprise_id, nomination.enterprise.name), on=on,
        master_apprentice=expert.worker_id is not None and (expert.worker_id, worker) in facts.pairs,
        declared=facts.declared.get((expert.pk, worker), []))
    return reasons


@dataclass(frozen=True)
class Proposal:
    proposed: int
    kept: int
    nominations: int


def _solve(campaign: Campaign, nominations: list[Nomination], facts: Facts, kept: dict[int, list[int]],
           load: dict[int, int]) -> list[Assignment]:
    """Proposed assignments filling each nomination up to the campaign's number of experts, given
    the experts it keeps (``kept``) and each expert's kept load."""
    experts = facts.experts
    per = campaign.experts_per_nomination
    groups: dict[str, int] = {}
    group = np.array([groups.setdefault(e.group_key, len(groups)) for e in experts], dtype=np.int64)
    capacity = np.array([max(0, e.capacity - load.get(e.pk, 0)) for e in experts], dtype=np.int64)
    on = campaign.judged_on
    by_missing: dict[int, list[Nomination]] = defaultdict(list)
    for nomination in nominations:
        missing = per - len(kept.get(nomination.pk, []))
        if missing > 0:
            by_missing[missing].append(nomination)
    made: list[Assignment] = []
    for missing, rows in sorted(by_missing.items(), reverse=True):
        affinity = np.zeros((len(rows), len(experts)))
        allowed = np.zeros((len(rows), len(experts)), dtype=bool)
        why: dict[tuple[int, int], list[str]] = {}
        for i, nomination in enumerate(rows):
            taken = set(kept.get(nomination.pk, []))
            taken_groups = {group[j] for j, e in enumerate(experts) if e.pk in taken}
            for j, expert in enumerate(experts):
                if expert.pk in taken or group[j] in taken_groups or refusals(facts, nomination, expert, on=on):
                    continue
                allowed[i, j] = True
                affinity[i, j], why[(i, j)] = match(facts, nomination, expert)
        try:
            chosen = assign_reviewers(affinity, allowed, missing, capacity, expert_group=group)
        except Infeasible as exc:
            raise ServiceError(_("No assignment satisfies every rule: %(reason)s") % {"reason": exc}) from exc
        for i, nomination in enumerate(rows):
            for j in chosen[i]:
                capacity[j] -= 1
                made.append(Assignment(nomination=nomination, expert=experts[j], affinity=float(affinity[i, j]),
                                       reasons=why[(i, int(j))]))
    return made


@transaction.atomic
def propose(actor: User, campaign: Campaign) -> Proposal:
    """Replace the proposed (unconfirmed) assignments of the campaign by the optimal ones; the
    confirmed, started and submitted ones are kept and count against their experts' capacity."""
    require_admin(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.stage != Stage.EXPERT_REVIEW:
        raise ServiceError(_("Assignments are made at the expert review stage (now: %(stage)s).") % {
            "stage": Stage(campaign.stage).label})
    nominations = reviewable(campaign)
    if not nominations:
        raise ServiceError(_("No eligible nomination to review."))
    facts = gather(campaign, nominations)
    if not facts.experts:
        raise ServiceError(_("The expert pool is empty."))
    Assignment.objects.filter(nomination__campaign=campaign, status=AssignmentStatus.PROPOSED).delete()
    kept: dict[int, list[int]] = defaultdict(list)
    load: dict[int, int] = defaultdict(int)
    for nomination_id, expert_id in Assignment.objects.filter(
            nomination__campaign=campaign, status__in=KEPT).values_list("nomination_id", "expert_id"):
        kept[nomination_id].append(expert_id)
        load[expert_id] += 1
    made = _solve(campaign, nominations, facts, kept, load)
    Assignment.objects.bulk_create(made)
    record(actor, "selection.assignment.propose", campaign, object_repr=campaign.name,
           changes={"proposed": len(made), "kept": sum(len(v) for v in kept.values())})
    return Proposal(len(made), sum(len(v) for v in kept.values()), len(nominations))


@transaction.atomic
def confirm(actor: User, campaign: Campaign) -> int:
    """Confirm every proposed assignment: from now on each expert sees theirs."""
    require_admin(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.stage != Stage.EXPERT_REVIEW:
        raise ServiceError(_("Assignments are made at the expert review stage (now: %(stage)s).") % {
            "stage": Stage(campaign.stage).label})
    count = Assignment.objects.filter(nomination__campaign=campaign, status=AssignmentStatus.PROPOSED).update(
        status=AssignmentStatus.CONFIRMED, confirmed_at=timezone.now())
    if not count:
        raise ServiceError(_("There is no proposed assignment to confirm."))
    record(actor, "selection.assignment.confirm", campaign, object_repr=campaign.name, changes={"confirmed": count})
    return count


@transaction.atomic
def replace_expert(actor: User, assignment: Assignment, expert: Expert) -> Assignment:
    """The admin's edit of a proposal: another expert for this nomination, if the rules allow."""
    require_admin(actor)
    row = Assignment.objects.select_for_update().select_related("nomination__campaign").get(pk=assignment.pk)
    if row.status != AssignmentStatus.PROPOSED:
        raise ServiceError(_("Only a proposed assignment can be changed; confirmed ones are declined by the expert."))
    nomination = Nomination.objects.select_related("worker__occupation", "enterprise__industry").get(
        pk=row.nomination_id)
    facts = gather(nomination.campaign, [nomination])
    others = set(Assignment.objects.filter(nomination=nomination).exclude(pk=row.pk)
                 .exclude(status=AssignmentStatus.DECLINED).values_list("expert_id", flat=True))
    if expert.pk in others:
        raise ServiceError(_("%(name)s already reviews this nomination.") % {"name": expert.name})
    if any(e.group_key == expert.group_key for e in Expert.objects.filter(pk__in=others)):
        raise ServiceError(_("Another expert of %(employer)s already reviews this nomination.") % {
            "employer": expert.employer_name})
    reasons = refusals(facts, nomination, expert, on=nomination.campaign.judged_on)
    if reasons:
        raise ServiceError(_("%(name)s may not review this nomination: %(reasons)s") % {
            "name": expert.name, "reasons": "；".join(reasons)})
    load = Assignment.objects.filter(expert=expert).exclude(status=AssignmentStatus.DECLINED).count()
    if load >= expert.capacity:
        raise ServiceError(_("%(name)s already has %(count)s reviews, their most.") % {
            "name": expert.name, "count": expert.capacity})
    before = row.expert.name
    row.expert = expert
    row.affinity, row.reasons = match(facts, nomination, expert)
    row.reasons = [*row.reasons, _("Chosen by the admin")]
    row.save()
    record(actor, "selection.assignment.change", nomination, object_repr=str(nomination),
           changes={"expert": [before, expert.name]})
    return row


@transaction.atomic
def decline(actor: User, assignment: Assignment, *, reason: str) -> list[Assignment]:
    """The expert declines a confirmed assignment (with a reason); the nominations' missing reviews
    are filled by re-solving only the unstarted assignments (started and submitted reviews stay).
    Returns the replacements, confirmed at once (the admin confirmed this nomination's review)."""
    row = Assignment.objects.select_for_update().select_related("nomination__campaign", "expert").get(pk=assignment.pk)
    if row.expert.user_id != actor.pk:
        raise OutOfScope(f"assignment {row.pk} is not {actor.pk}'s")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give a reason for declining."))
    if row.status != AssignmentStatus.CONFIRMED:
        raise ServiceError(_("Only an assignment not yet started can be declined."))
    row.status = AssignmentStatus.DECLINED
    row.declined_reason = reason[:200]
    row.save()
    campaign = row.nomination.campaign
    nominations = [n for n in reviewable(campaign) if n.pk == row.nomination_id]
    facts = gather(campaign, nominations)
    # never an expert who declined this nomination (this one included) again
    declined = set(Assignment.objects.filter(nomination=row.nomination, status=AssignmentStatus.DECLINED)
                   .values_list("expert_id", flat=True))
    facts.experts[:] = [e for e in facts.experts if e.pk not in declined]
    kept: dict[int, list[int]] = defaultdict(list)
    load: dict[int, int] = defaultdict(int)
    for nomination_id, expert_id in Assignment.objects.filter(
            nomination__campaign=campaign).exclude(status=AssignmentStatus.DECLINED).values_list(
            "nomination_id", "expert_id"):
        load[expert_id] += 1
        if nomination_id == row.nomination_id:
            kept[nomination_id].append(expert_id)
    made = _solve(campaign, nominations, facts, kept, load)
    now = timezone.now()
    for replacement in made:
        replacement.status, replacement.confirmed_at = AssignmentStatus.CONFIRMED, now
    Assignment.objects.bulk_create(made)
    record(actor, "selection.assignment.decline", row.nomination, object_repr=str(row.nomination),
           changes={"expert": row.expert.name, "reason": reason, "replaced_by": [a.expert.name for a in made]})
    return made
