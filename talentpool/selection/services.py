"""Campaign set-up and stages (SPEC.md §3.2): create a campaign (copying last year's configuration
on request), change its settings and quotas, and move it from stage to stage. Admins only; every
change is audited, the campaign row is locked and version-checked."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentpool.core import programme
from talentpool.core.audit import record
from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.core.models import AuditAction, User
from talentpool.cultivation.versioning import check_version
from talentpool.rules import eligibility, scoring
from talentpool.titles.models import Tier

from .choices import STAGES, NominationStatus, Stage
from .models import Campaign, CampaignTier, Criterion, Nomination, StageChange

#: The expert review's criteria when there is no earlier campaign to copy (a 100-point form).
DEFAULT_CRITERIA: tuple[tuple[str, str, int], ...] = (
    ("工作业绩", "岗位贡献、技术攻关与创新成果", 40),
    ("技能水平", "技能等级、绝技绝活与解决难题的能力", 30),
    ("职业道德", "爱岗敬业、精益求精的工匠精神", 15),
    ("传技带徒", "带徒传艺、培养技能人才的成效", 15),
)

#: Which stage may follow which (forward one step at a time).
NEXT_STAGE = dict(itertools.pairwise(STAGES))


def require_admin(actor: User) -> None:
    """Every selection state change but the operators' nominations and the experts' reviews is an
    admin's: anyone else is out of scope (404)."""
    if not (actor is not None and actor.is_authenticated and actor.is_admin):
        raise OutOfScope(f"the selection is run by programme admins, not by {getattr(actor, 'pk', None)}")


def objective_rules_data(categories: tuple[scoring.Category, ...] = scoring.DEFAULT_CATEGORIES) -> list[dict]:
    """The objective-point categories as the campaign stores them (JSON: Decimals as strings)."""
    rows = []
    for category in categories:
        rows.append({
            "kind": category.kind,
            "cap": None if category.cap is None else str(category.cap),
            "highest_only": category.highest_only,
            "window_years": category.window_years,
            "rules": [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(rule).items()}
                      for rule in category.rules],
        })
    return rows


def objective_categories(campaign: Campaign) -> tuple[scoring.Category, ...]:
    """The campaign's objective-point categories (rules.scoring) from its stored configuration."""
    categories = []
    for row in campaign.objective_rules or []:
        rules = tuple(scoring.PointRule(Decimal(r["points"]), level=r.get("level", ""), rank_from=r.get("rank_from"),
                                        rank_to=r.get("rank_to"), competition_class=r.get("competition_class", ""))
                      for r in row.get("rules", []))
        cap = row.get("cap")
        categories.append(scoring.Category(row["kind"], rules, cap=None if cap is None else Decimal(cap),
                                           highest_only=bool(row.get("highest_only")),
                                           window_years=row.get("window_years")))
    return tuple(categories)


def eligibility_rules_data(rank: int) -> list[dict]:
    specs = eligibility.DEFAULT_RULES.get(rank, eligibility.DEFAULT_RULES[max(eligibility.DEFAULT_RULES)])
    return [{"key": spec.key, "params": dict(spec.params)} for spec in specs]


def tier_rules(campaign_tier: CampaignTier) -> list[eligibility.RuleSpec]:
    return [eligibility.RuleSpec(row["key"], row.get("params") or {}) for row in campaign_tier.eligibility_rules]


def default_name(year: int) -> str:
    return _("%(year)s %(district)s skilled talent selection") % {
        "year": year, "district": programme.current().district_name}


def configure_defaults(campaign: Campaign) -> None:
    """The programme's default tiers (every tier in use, its default quota and allowance, the
    eligibility defaults of its rank) and criteria (a 100-point form) for a new campaign."""
    CampaignTier.objects.bulk_create(
        CampaignTier(campaign=campaign, tier=tier, quota=tier.default_quota, annual_allowance=tier.annual_allowance,
                     eligibility_rules=eligibility_rules_data(tier.order))
        for tier in Tier.objects.filter(is_active=True).order_by("order"))
    Criterion.objects.bulk_create(
        Criterion(campaign=campaign, name=n, description=d, max_score=Decimal(m), order=i)
        for i, (n, d, m) in enumerate(DEFAULT_CRITERIA, start=1))


@transaction.atomic
def create_campaign(actor: User, year: int, *, copy_previous: bool = True, name: str = "") -> Campaign:
    """A new campaign in draft for ``year``. With ``copy_previous`` its configuration (settings,
    tiers and quotas, eligibility rules, criteria, objective points) is copied from the latest
    earlier campaign; without one, or without ``copy_previous``, the programme's defaults: every
    tier in use with its default quota and allowance, rules.eligibility's and rules.scoring's
    defaults and a 100-point form."""
    require_admin(actor)
    if not isinstance(year, int) or not 2000 <= year <= 2199:
        raise ServiceError(_("The year must be between 2000 and 2199."))
    if Campaign.objects.filter(year=year).exists():
        raise ServiceError(_("There is already a campaign for %(year)s.") % {"year": year})
    previous = Campaign.objects.filter(year__lt=year).order_by("-year").first() if copy_previous else None
    campaign = Campaign(year=year, name=(name or "").strip() or default_name(year))
    if previous is not None:
        for field in ("nominations_per_enterprise", "experts_per_nomination", "notice_days", "blind_review",
                      "experts_see_each_other", "min_scores_for_normalisation", "expert_weight", "enterprise_cap",
                      "frontline_bonus", "non_public_bonus", "objective_rules", "notice_text"):
            setattr(campaign, field, getattr(previous, field))
    else:
        campaign.objective_rules = objective_rules_data()
    campaign.save()
    if previous is not None:
        CampaignTier.objects.bulk_create(
            CampaignTier(campaign=campaign, tier_id=row.tier_id, quota=row.quota, annual_allowance=row.annual_allowance,
                         eligibility_rules=row.eligibility_rules)
            for row in previous.tiers.filter(tier__is_active=True))
        Criterion.objects.bulk_create(
            Criterion(campaign=campaign, name=c.name, description=c.description, max_score=c.max_score,
                      weight=c.weight, order=c.order) for c in previous.criteria.all())
    else:
        configure_defaults(campaign)
    record(actor, "selection.campaign.create", campaign, object_repr=campaign.name,
           changes={"year": year, "copied_from": previous.year if previous else None})
    return campaign


def _locked(campaign: Campaign | int) -> Campaign:
    pk = campaign if isinstance(campaign, int) else campaign.pk
    return Campaign.objects.select_for_update().get(pk=pk)


SETTINGS_FIELDS = ("name", "nomination_deadline", "nominations_per_enterprise", "experts_per_nomination",
                   "notice_days", "reference_date", "blind_review", "experts_see_each_other",
                   "min_scores_for_normalisation", "expert_weight", "enterprise_cap", "frontline_bonus",
                   "non_public_bonus", "notice_text")

#: Settings that may no longer change once the campaign has reached a stage.
FROZEN_FROM = {
    "nominations_per_enterprise": Stage.QUALIFICATION, "reference_date": Stage.QUALIFICATION,
    "experts_per_nomination": Stage.EXPERT_REVIEW, "blind_review": Stage.EXPERT_REVIEW,
    "experts_see_each_other": Stage.EXPERT_REVIEW, "min_scores_for_normalisation": Stage.RANKING,
    "expert_weight": Stage.RANKING, "enterprise_cap": Stage.NOTICE, "frontline_bonus": Stage.NOTICE,
    "non_public_bonus": Stage.NOTICE, "notice_days": Stage.NOTICE, "nomination_deadline": Stage.QUALIFICATION,
}


def _reached(campaign: Campaign, stage: str) -> bool:
    return STAGES.index(campaign.stage) >= STAGES.index(stage)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@transaction.atomic
def update_campaign(actor: User, campaign: Campaign, data: dict[str, Any], *,
                    expected_version: int | None = None) -> Campaign:
    """Change the campaign's settings (``SETTINGS_FIELDS``); a setting the stage has frozen is refused."""
    require_admin(actor)
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    locked = _locked(campaign)
    check_version(locked, expected_version)
    changes = {}
    for field, value in data.items():
        if field == "name":
            value = (value or "").strip()
            if not value:
                raise ServiceError(_("The campaign needs a name."))
        if getattr(locked, field) == value:
            continue
        frozen = FROZEN_FROM.get(field)
        if frozen and _reached(locked, frozen) and locked.stage != Stage.DRAFT:
            raise ServiceError(_("%(field)s can no longer change: the campaign has reached %(stage)s.") % {
                "field": getattr(Campaign._meta.get_field(field), "verbose_name", field), "stage": Stage(frozen).label})
        changes[field] = [_jsonable(getattr(locked, field)), _jsonable(value)]
        setattr(locked, field, value)
    if locked.expert_weight is not None and locked.expert_weight < 0:
        raise ServiceError(_("The expert score weight cannot be negative."))
    if changes:
        locked.version += 1
        locked.save()
        record(actor, AuditAction.UPDATE, locked, object_repr=locked.name, changes=changes)
    return locked


@transaction.atomic
def set_quota(actor: User, campaign_tier: CampaignTier, quota: int, *,
              annual_allowance: Decimal | None = None) -> CampaignTier:
    """A tier's quota (and allowance) for this campaign; fixed once the ranking has begun."""
    require_admin(actor)
    campaign = _locked(campaign_tier.campaign_id)
    row = CampaignTier.objects.select_for_update().get(pk=campaign_tier.pk)
    if _reached(campaign, Stage.RANKING):
        raise ServiceError(_("Quotas can no longer change: the ranking has begun."))
    if not isinstance(quota, int) or quota < 0:
        raise ServiceError(_("A quota is a whole number, 0 or more."))
    changes: dict[str, Any] = {}
    if row.quota != quota:
        changes["quota"] = [row.quota, quota]
        row.quota = quota
    if annual_allowance is not None and row.annual_allowance != annual_allowance:
        if annual_allowance < 0:
            raise ServiceError(_("An allowance cannot be negative."))
        changes["annual_allowance"] = [str(row.annual_allowance), str(annual_allowance)]
        row.annual_allowance = annual_allowance
    if changes:
        row.save()
        campaign.version += 1
        campaign.save(update_fields=["version", "updated_at"])
        record(actor, AuditAction.UPDATE, campaign, object_repr=f"{campaign.name} · {row.tier.name}", changes=changes)
    return row


def stage_refusal(campaign: Campaign, to_stage: str, *, now: datetime.datetime | None = None) -> str | None:
    """Why the campaign may not move to ``to_stage`` now (None: it may)."""
    if NEXT_STAGE.get(campaign.stage) != to_stage:
        return _("A campaign moves one stage at a time: after %(stage)s comes %(next)s.") % {
            "stage": Stage(campaign.stage).label,
            "next": Stage(NEXT_STAGE[campaign.stage]).label if campaign.stage in NEXT_STAGE else "—"}
    if to_stage == Stage.NOMINATING:
        if campaign.nomination_deadline is None:
            return _("Set the nomination deadline before opening nominations.")
        if campaign.nomination_deadline <= (now or timezone.now()):
            return _("The nomination deadline has already passed.")
        if not campaign.tiers.filter(quota__gt=0).exists():
            return _("Give at least one tier a quota before opening nominations.")
    submitted = campaign.nominations.filter(status=NominationStatus.SUBMITTED)
    if to_stage == Stage.QUALIFICATION and not submitted.exists():
        return _("No nomination has been submitted yet.")
    if to_stage == Stage.EXPERT_REVIEW:
        pending = campaign.nominations.filter(status=NominationStatus.SUBMITTED, eligibility="pending").count()
        if pending:
            return _("%(count)s submitted nominations have not been through the qualification review.") % {
                "count": pending}
    if to_stage in (Stage.RANKING, Stage.NOTICE, Stage.NAMED):
        return _("%(stage)s opens with the expert review's pages, which this version does not have yet.") % {
            "stage": Stage(to_stage).label}
    return None


@transaction.atomic
def advance_stage(actor: User, campaign: Campaign, to_stage: str, *, note: str = "",
                  expected_version: int | None = None) -> Campaign:
    """Move the campaign to the next stage, recording who, when and why."""
    require_admin(actor)
    locked = _locked(campaign)
    check_version(locked, expected_version)
    refusal = stage_refusal(locked, to_stage)
    if refusal:
        raise ServiceError(refusal)
    before = locked.stage
    locked.stage = to_stage
    locked.version += 1
    locked.save()
    StageChange.objects.create(campaign=locked, from_stage=before, to_stage=to_stage, by=actor,
                               note=(note or "")[:200])
    record(actor, "selection.campaign.stage", locked, object_repr=locked.name,
           changes={"stage": [str(Stage(before).label), str(Stage(to_stage).label)],
                    **({"note": note} if note else {})})
    return locked


def current_campaign() -> Campaign | None:
    """The campaign operators work on: the latest one past its draft."""
    return Campaign.objects.exclude(stage=Stage.DRAFT).order_by("-year").first()


def nomination_counts(campaign: Campaign) -> dict[str, int]:
    """Nominations per status and per qualification result (the stage board's figures)."""
    from django.db.models import Count

    counts = {row["status"]: row["n"] for row in
              Nomination.objects.filter(campaign=campaign).values("status").annotate(n=Count("pk"))}
    eligibility_counts = {row["eligibility"]: row["n"] for row in
                          Nomination.objects.filter(campaign=campaign, status=NominationStatus.SUBMITTED)
                          .values("eligibility").annotate(n=Count("pk"))}
    return {**{s: counts.get(s, 0) for s in NominationStatus.values},
            **{f"eligibility_{k}": eligibility_counts.get(k, 0) for k in ("pending", "eligible", "ineligible")}}
