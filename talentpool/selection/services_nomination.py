"""Nominations (推荐): an enterprise operator puts their own current workers forward for a tier,
writes the statement of achievements, attaches files, records the nominee's consent to
publication and submits before the deadline. Admins may act for any enterprise. Every change is
audited; the nomination row is locked and version-checked."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentpool.core.audit import record
from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.core.models import AuditAction, User
from talentpool.core.roles import Action, Role
from talentpool.cultivation.versioning import check_version
from talentpool.registry.models import Worker

from . import attachments
from .choices import NominationStatus, Stage
from .models import Attachment, Campaign, CampaignTier, Nomination

STATEMENT_MAX = 5000


def may_nominate(actor: User) -> bool:
    return actor.is_authenticated and (actor.is_admin or (actor.role == Role.OPERATOR and bool(actor.enterprise_id)))


def nominable_workers(actor: User):  # type: ignore[no-untyped-def]
    """The workers ``actor`` may nominate: an operator's enterprise's current workers; all current
    workers for an admin."""
    workers = Worker.objects.exclude(current_enterprise=None)
    if actor.is_admin:
        return workers
    if actor.role == Role.OPERATOR and actor.enterprise_id:
        return workers.filter(current_enterprise_id=actor.enterprise_id)
    return workers.none()


def nominating_refusal(campaign: Campaign, *, now: Any = None) -> str | None:
    """Why nominations cannot be written or submitted now (None: they can)."""
    if campaign.stage != Stage.NOMINATING:
        return _("Nominations are open only while the campaign is at the nomination stage (now: %(stage)s).") % {
            "stage": Stage(campaign.stage).label}
    if campaign.deadline_passed(now):
        return _("The nomination deadline (%(deadline)s) has passed: nominations are locked.") % {
            "deadline": timezone.localtime(campaign.nomination_deadline).strftime("%Y-%m-%d %H:%M")}
    return None


def _check_open(campaign: Campaign) -> None:
    refusal = nominating_refusal(campaign)
    if refusal:
        raise ServiceError(refusal)


def _locked(nomination: Nomination | int, actor: User, action: Action = Action.CHANGE) -> Nomination:
    pk = nomination if isinstance(nomination, int) else nomination.pk
    row = Nomination.objects.restrict(actor, action).select_for_update(of=("self",)).filter(pk=pk).first()
    if row is None:
        raise OutOfScope(f"nomination {pk} is out of scope for {actor.pk}")
    return row


def _clean_statement(statement: str) -> str:
    text = (statement or "").replace("\r\n", "\n").strip()
    if len(text) > STATEMENT_MAX:
        raise ServiceError(_("The statement is %(length)s characters long; at most %(max)s.") % {
            "length": len(text), "max": STATEMENT_MAX})
    return text


def _quota_refusal(campaign: Campaign, enterprise_id: int, *, excluding: int | None = None) -> str | None:
    used = Nomination.objects.filter(campaign=campaign, enterprise_id=enterprise_id).exclude(
        status=NominationStatus.WITHDRAWN)
    if excluding is not None:
        used = used.exclude(pk=excluding)
    if used.count() >= campaign.nominations_per_enterprise:
        return _("Your enterprise has used all %(limit)s of its nominations in this campaign.") % {
            "limit": campaign.nominations_per_enterprise}
    return None


@transaction.atomic
def create_nomination(actor: User, campaign: Campaign, worker: Worker | int, tier_id: int, *,
                      statement: str = "", consent: bool = False) -> Nomination:
    """A draft nomination of ``worker`` for the campaign's tier ``tier_id``."""
    if not may_nominate(actor):
        raise OutOfScope(f"{actor.pk} may not nominate")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _check_open(campaign)
    worker_id = worker if isinstance(worker, int) else worker.pk
    nominee = nominable_workers(actor).filter(pk=worker_id).select_related("current_enterprise").first()
    if nominee is None:
        raise ServiceError(_("You can only nominate current workers of your enterprise."))
    if not CampaignTier.objects.filter(campaign=campaign, tier_id=tier_id, quota__gt=0).exists():
        raise ServiceError(_("This campaign names no such tier."))
    refusal = _quota_refusal(campaign, nominee.current_enterprise_id)
    if refusal:
        raise ServiceError(refusal)
    existing = Nomination.objects.filter(campaign=campaign, worker=nominee).exclude(
        status=NominationStatus.WITHDRAWN).first()
    if existing is not None:
        error = ServiceError(_("%(name)s is already nominated in this campaign.") % {"name": nominee.name})
        if Nomination.objects.restrict(actor, Action.VIEW).filter(pk=existing.pk).exists():
            error.link = (existing.get_absolute_url(), str(existing))
        raise error
    now = timezone.now()
    nomination = Nomination(campaign=campaign, worker=nominee, tier_id=tier_id,
                            enterprise_id=nominee.current_enterprise_id,
                            statement=_clean_statement(statement), consent=bool(consent),
                            consent_recorded_at=now if consent else None, created_by=actor)
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError as exc:  # a second request for the same worker won the race
        raise ServiceError(_("%(name)s is already nominated in this campaign.") % {"name": nominee.name}) from exc
    record(actor, AuditAction.CREATE, nomination, object_repr=str(nomination),
           changes={"tier": nomination.tier.name, "consent": nomination.consent})
    return nomination


EDITABLE = ("tier_id", "statement", "consent")


@transaction.atomic
def update_nomination(actor: User, nomination: Nomination, data: dict[str, Any], *,
                      expected_version: int | None = None) -> Nomination:
    """Change a draft: its tier, statement or consent."""
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    row = _locked(nomination, actor)
    check_version(row, expected_version)
    _check_open(row.campaign)
    if row.status != NominationStatus.DRAFT:
        raise ServiceError(_("Only a draft can be changed; this nomination is %(status)s.") % {
            "status": row.get_status_display()})
    changes: dict[str, Any] = {}
    if "tier_id" in data and data["tier_id"] != row.tier_id:
        if not CampaignTier.objects.filter(campaign=row.campaign, tier_id=data["tier_id"], quota__gt=0).exists():
            raise ServiceError(_("This campaign names no such tier."))
        old = row.tier.name
        row.tier_id = data["tier_id"]
        row.tier = CampaignTier.objects.get(campaign=row.campaign, tier_id=data["tier_id"]).tier
        changes["tier"] = [old, row.tier.name]
    if "statement" in data:
        text = _clean_statement(data["statement"])
        if text != row.statement:
            changes["statement"] = [len(row.statement), len(text)]  # lengths: the text is in the record
            row.statement = text
    if "consent" in data and bool(data["consent"]) != row.consent:
        changes["consent"] = [row.consent, bool(data["consent"])]
        row.consent = bool(data["consent"])
        row.consent_recorded_at = timezone.now() if row.consent else None
    if changes:
        row.version += 1
        row.save()
        record(actor, AuditAction.UPDATE, row, object_repr=str(row), changes=changes)
    return row


def submit_refusal(nomination: Nomination) -> str | None:
    if nomination.status != NominationStatus.DRAFT:
        return _("Only a draft can be submitted; this nomination is %(status)s.") % {
            "status": nomination.get_status_display()}
    if not nomination.statement.strip():
        return _("Write the statement of achievements before submitting.")
    if not nomination.consent:
        return _("Record the nominee's consent to publication on the notice and honour roll before submitting.")
    return nominating_refusal(nomination.campaign)


@transaction.atomic
def submit_nomination(actor: User, nomination: Nomination, *, expected_version: int | None = None) -> Nomination:
    row = _locked(nomination, actor)
    check_version(row, expected_version)
    refusal = submit_refusal(row)
    if refusal:
        raise ServiceError(refusal)
    row.status = NominationStatus.SUBMITTED
    row.submitted_at = timezone.now()
    row.version += 1
    row.save()
    record(actor, "selection.nomination.submit", row, object_repr=str(row))
    return row


def withdraw_refusal(actor: User, nomination: Nomination) -> str | None:
    """Why ``actor`` may not withdraw the nomination now (None: they may): operators while
    nominations are open, admins until the notice (then only an upheld objection withdraws)."""
    if nomination.status == NominationStatus.WITHDRAWN:
        return _("This nomination is already withdrawn.")
    if not actor.is_admin:
        return nominating_refusal(nomination.campaign)
    if nomination.campaign.stage in (Stage.NOTICE, Stage.NAMED):
        return _("During the notice a nomination is withdrawn through an upheld objection.")
    return None


@transaction.atomic
def withdraw_nomination(actor: User, nomination: Nomination, *, reason: str,
                        expected_version: int | None = None) -> Nomination:
    """Withdraw a draft or submitted nomination while nominations are open (an admin: until the
    notice), with a reason. Its place in the enterprise's allowance is freed."""
    row = _locked(nomination, actor)
    check_version(row, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give a reason for the withdrawal."))
    refusal = withdraw_refusal(actor, row)
    if refusal:
        raise ServiceError(refusal)
    before = row.status
    row.status = NominationStatus.WITHDRAWN
    row.withdrawn_reason = reason[:200]
    row.version += 1
    row.save()
    record(actor, "selection.nomination.withdraw", row, object_repr=str(row),
           changes={"status": [str(NominationStatus(before).label), str(NominationStatus.WITHDRAWN.label)],
                    "reason": reason})
    return row


@transaction.atomic
def add_attachment(actor: User, nomination: Nomination, name: str, data: bytes) -> Attachment:
    """Attach a file to a draft (type judged by its content, size limited)."""
    row = _locked(nomination, actor)
    _check_open(row.campaign)
    if row.status != NominationStatus.DRAFT:
        raise ServiceError(_("Files can be attached only to a draft."))
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:150] or "file"
    try:
        content_type = attachments.check_file(name, data)
    except attachments.AttachmentRefused as exc:
        raise ServiceError(str(exc)) from exc
    if row.attachments.count() >= attachments.MAX_PER_NOMINATION:
        raise ServiceError(_("A nomination takes at most %(count)s files.") % {"count": attachments.MAX_PER_NOMINATION})
    attachment = Attachment(nomination=row, name=name, size=len(data), content_type=content_type, uploaded_by=actor)
    attachment.file.save(attachments.stored_name(), ContentFile(data), save=False)
    attachment.save()
    record(actor, "selection.attachment.add", row, object_repr=str(row), changes={"file": name, "size": len(data)})
    return attachment


@transaction.atomic
def remove_attachment(actor: User, attachment: Attachment) -> None:
    row = _locked(attachment.nomination_id, actor)
    _check_open(row.campaign)
    if row.status != NominationStatus.DRAFT:
        raise ServiceError(_("Files can be removed only from a draft."))
    stored = Attachment.objects.select_for_update().get(pk=attachment.pk, nomination=row)
    name = stored.name
    stored.file.delete(save=False)
    stored.delete()
    record(actor, "selection.attachment.remove", row, object_repr=str(row), changes={"file": name})
