"""Qualification review (资格审查): every submitted nomination is checked against its tier's rules
(rules.eligibility) on registry, cultivation and titles data as of the campaign's reference day;
each rule's pass / fail is stored with its Chinese reason. An admin may override one result with
a written reason (audited); re-running the review keeps the overrides of rules whose outcome did
not change, and drops (and reports) those whose outcome did."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from talentpool.core.audit import record
from talentpool.core.exceptions import ServiceError
from talentpool.core.models import User
from talentpool.rules import eligibility
from talentpool.titles.choices import TitleStatus
from talentpool.titles.models import Title, TitleChange

from .choices import Eligibility, NominationStatus, Stage
from .models import Campaign, CampaignTier, EligibilityResult, Nomination
from .services import require_admin, tier_rules


def candidates(nominations: list[Nomination]) -> dict[int, eligibility.Candidate]:
    """The facts of each nomination's nominee (three queries for any number of nominations)."""
    worker_ids = [n.worker_id for n in nominations]
    held = {t.worker_id: t for t in Title.objects.filter(worker_id__in=worker_ids, status=TitleStatus.ACTIVE)
            .select_related("tier")}
    revoked = dict(TitleChange.objects.filter(title__worker_id__in=worker_ids, to_status=TitleStatus.REVOKED)
                   .values("title__worker_id").annotate(last=Max("at")).values_list("title__worker_id", "last"))
    facts = {}
    for n in nominations:
        w = n.worker
        title = held.get(w.pk)
        last_revoked = revoked.get(w.pk)
        facts[n.pk] = eligibility.Candidate(
            tier_rank=n.tier.order, tier_name=n.tier.name, is_frontline=w.is_frontline, skill_level=w.skill_level,
            work_start_date=w.work_start_date, birth_date=w.birth_date, retirement_category=w.retirement_category,
            actual_retirement_date=w.actual_retirement_date, employed_in_district=w.current_enterprise_id is not None,
            held_tier_rank=title.tier.order if title else None, held_tier_name=title.tier.name if title else "",
            revoked_on=timezone.localdate(last_revoked) if last_revoked else None,
        )
    return facts


@dataclass(frozen=True)
class ReviewReport:
    checked: int
    eligible: int
    ineligible: int
    overrides_dropped: int


def _verdict(results: list[EligibilityResult]) -> str:
    return Eligibility.ELIGIBLE if all(r.effective for r in results) else Eligibility.INELIGIBLE


@transaction.atomic
def run_review(actor: User, campaign: Campaign) -> ReviewReport:
    """Check every submitted nomination of the campaign (at the qualification stage)."""
    require_admin(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.stage != Stage.QUALIFICATION:
        raise ServiceError(_("The qualification review runs at the qualification stage (now: %(stage)s).") % {
            "stage": Stage(campaign.stage).label})
    nominations = list(Nomination.objects.filter(campaign=campaign, status=NominationStatus.SUBMITTED)
                       .select_related("worker", "tier").select_for_update(of=("self",)))
    rules = {row.tier_id: tier_rules(row) for row in CampaignTier.objects.filter(campaign=campaign)}
    facts = candidates(nominations)
    existing: dict[int, dict[str, EligibilityResult]] = defaultdict(dict)
    for result in EligibilityResult.objects.filter(nomination__in=nominations):
        existing[result.nomination_id][result.key] = result
    on = campaign.judged_on
    now = timezone.now()
    fresh: list[EligibilityResult] = []
    dropped = 0
    verdicts: dict[int, list[EligibilityResult]] = {}
    for nomination in nominations:
        outcomes = eligibility.check_eligibility(facts[nomination.pk], rules.get(nomination.tier_id, []), on=on)
        rows = []
        for order, outcome in enumerate(outcomes):
            old = existing[nomination.pk].get(outcome.key)
            row = EligibilityResult(nomination=nomination, key=outcome.key, label=outcome.label, order=order,
                                    passed=outcome.passed, reason=outcome.reason, checked_at=now)
            if old is not None and old.override is not None:
                if old.passed == outcome.passed:
                    row.override, row.override_reason = old.override, old.override_reason
                    row.overridden_by_id, row.overridden_at = old.overridden_by_id, old.overridden_at
                else:
                    dropped += 1
            rows.append(row)
        fresh += rows
        verdicts[nomination.pk] = rows
    EligibilityResult.objects.filter(nomination__in=nominations).delete()
    EligibilityResult.objects.bulk_create(fresh)
    eligible = 0
    for nomination in nominations:
        verdict = _verdict(verdicts[nomination.pk])
        eligible += verdict == Eligibility.ELIGIBLE
        if nomination.eligibility != verdict:
            nomination.eligibility = verdict
            nomination.version += 1
            nomination.save(update_fields=["eligibility", "version", "updated_at"])
    report = ReviewReport(len(nominations), eligible, len(nominations) - eligible, dropped)
    record(actor, "selection.qualification.run", campaign, object_repr=campaign.name,
           changes={"checked": report.checked, "eligible": report.eligible, "ineligible": report.ineligible,
                    "overrides_dropped": dropped})
    return report


@transaction.atomic
def override_result(actor: User, result: EligibilityResult, *, passed: bool | None, reason: str) -> EligibilityResult:
    """Set (``passed`` True/False) or clear (None) an admin's override of one rule's result."""
    require_admin(actor)
    row = EligibilityResult.objects.select_for_update().select_related("nomination__campaign").get(pk=result.pk)
    nomination = Nomination.objects.select_for_update().get(pk=row.nomination_id)
    if nomination.campaign.stage != Stage.QUALIFICATION:
        raise ServiceError(_("Results can be overridden only at the qualification stage."))
    reason = (reason or "").strip()
    if passed is not None and not reason:
        raise ServiceError(_("An override needs a written reason."))
    if passed is not None and passed == row.passed:
        raise ServiceError(_("The override must differ from the automatic result."))
    before = row.effective
    row.override = passed
    row.override_reason = reason[:300] if passed is not None else ""
    row.overridden_by = actor if passed is not None else None
    row.overridden_at = timezone.now() if passed is not None else None
    row.save()
    verdict = _verdict(list(nomination.eligibility_results.all()))
    if nomination.eligibility != verdict:
        nomination.eligibility = verdict
        nomination.version += 1
        nomination.save(update_fields=["eligibility", "version", "updated_at"])
    record(actor, "selection.qualification.override", nomination, object_repr=str(nomination),
           changes={"rule": row.label, "result": [before, row.effective], "reason": reason or "—",
                    "automatic": row.reason})
    return row
