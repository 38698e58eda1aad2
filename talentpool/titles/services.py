"""Every state change of a title, and the read helpers other apps (selection's eligibility rules,
its naming) call. Each change runs in one transaction, locks the rows it decides on, writes the
title's history (``TitleChange``: who, when, why) and is audited (core.audit, events.py).

Only programme admins change titles. A worker *holds* a title that is active or suspended (a
suspended title is still theirs; it earns nothing while suspended); revoked, superseded and
retired titles have ended (``valid_to`` set) and never come back: a new title is conferred.

Certificate numbers. ``<place><year><tier><nnnn>``: the pinyin initials of the district's place
name (南浔区 → NX), the programme year, the pinyin initials of the tier's name without the place
(南浔工匠 → GJ, 首席技工 → SXJG, 技术标兵 → JSBB) and a four-digit sequence from 0001 (more digits
past 9999): ``NX2026GJ0001``. The sequence is one ``CertificateSequence`` row per prefix, locked
while a number is taken in the transaction that stores the title, so numbers are unique and, since
a rolled-back conferral gives its number back, gap-free per year and tier under concurrency."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from talentpool.core import programme
from talentpool.core.audit import diff, record
from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.core.models import HonourTier, User
from talentpool.registry.models import Worker

from . import events
from .choices import ENDED, TRANSITIONS, TitleStatus
from .models import CertificateSequence, Tier, TierAllowance, Title, TitleChange, initials, place_name

#: A worker holds the titles in these statuses (eligibility: "not holding this or a higher tier").
HELD = frozenset({TitleStatus.ACTIVE, TitleStatus.SUSPENDED})
FIRST_YEAR = 2000
MAX_SOURCE = 100
NUMBER_DIGITS = 4

STATUS_EVENTS = {
    TitleStatus.SUSPENDED: events.TITLE_SUSPEND,
    TitleStatus.ACTIVE: events.TITLE_REINSTATE,
    TitleStatus.REVOKED: events.TITLE_REVOKE,
    TitleStatus.RETIRED: events.TITLE_RETIRE,
}


def _check_admin(actor: User) -> None:
    if not (actor is not None and actor.is_authenticated and actor.is_admin):
        raise OutOfScope(f"titles are changed by programme admins, not by {getattr(actor, 'pk', None)}")


def _as_tier(tier: Tier | HonourTier) -> Tier:
    return tier if isinstance(tier, Tier) else Tier.objects.get(pk=tier.pk)


def _status_label(status: str) -> str:
    return str(TitleStatus(status).label) if status else ""


# Read helpers (selection's eligibility rules call these) ------------------------------------


def active_title(worker: Worker | int) -> Title | None:
    """The worker's active title (with its tier), or None."""
    worker_id = worker if isinstance(worker, int) else worker.pk
    return Title.objects.active().select_related("tier").filter(worker_id=worker_id).first()


def held_titles(worker: Worker | int) -> list[Title]:
    """The titles the worker holds (active or suspended), highest tier first."""
    worker_id = worker if isinstance(worker, int) else worker.pk
    return list(
        Title.objects.filter(worker_id=worker_id, status__in=HELD).select_related("tier").order_by("tier__order", "pk")
    )


def holds_tier_or_higher(worker: Worker | int, tier: Tier | HonourTier) -> bool:
    """Whether the worker holds (active or suspended) a title of ``tier`` or a higher one."""
    worker_id = worker if isinstance(worker, int) else worker.pk
    return Title.objects.filter(worker_id=worker_id, status__in=HELD, tier__order__lte=tier.order).exists()


def barred_by_revocation(worker: Worker | int, *, since: datetime.date | None = None) -> bool:
    """Whether a title of the worker's was revoked (its end on or after ``since``, if given)."""
    worker_id = worker if isinstance(worker, int) else worker.pk
    revoked = Title.objects.filter(worker_id=worker_id, status=TitleStatus.REVOKED)
    if since is not None:
        revoked = revoked.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=since))
    return revoked.exists()


def allowance_in(tier: Tier | HonourTier, year: int) -> Decimal | None:
    """The tier's annual allowance in force in ``year`` (the schedule's latest ``from_year`` not
    after it), or None before the schedule starts."""
    row = TierAllowance.objects.filter(tier_id=tier.pk, from_year__lte=year).order_by("-from_year").first()
    return row.amount if row is not None else None


# Certificate numbers -------------------------------------------------------------------------


def certificate_prefix(year: int, tier: Tier | HonourTier) -> str:
    """``NX2026GJ``: the place, the year and the tier of a certificate number (module text)."""
    district = programme.current().district_name
    return f"{initials(place_name(district))}{year}{_as_tier(tier).short_code(district)}"


@transaction.atomic
def next_certificate_number(year: int, tier: Tier | HonourTier) -> str:
    """The next certificate number of ``year`` and ``tier`` (``NX2026GJ0001``, module text). Call
    it inside the transaction that stores the title: the sequence row stays locked until that
    transaction ends, and a rollback gives the number back (no gaps). A number already taken by
    hand is skipped."""
    prefix = certificate_prefix(year, tier)
    CertificateSequence.objects.bulk_create([CertificateSequence(prefix=prefix)], ignore_conflicts=True)
    sequence = CertificateSequence.objects.select_for_update().get(prefix=prefix)
    while True:
        sequence.last += 1
        number = f"{prefix}{sequence.last:0{NUMBER_DIGITS}d}"
        if not Title.objects.filter(certificate_number=number).exists():
            break
    CertificateSequence.objects.filter(pk=sequence.pk).update(last=sequence.last)
    return number


# Changes -------------------------------------------------------------------------------------


def _history(title: Title, actor: User, from_status: str, reason: str, at: datetime.datetime) -> TitleChange:
    return TitleChange.objects.create(
        title=title, from_status=from_status, to_status=title.status, at=at, by=actor, reason=reason
    )


def _end_date(title: Title, on: datetime.date | None) -> datetime.date:
    end = on or timezone.localdate()
    if end < title.valid_from:
        raise ServiceError(
            _("A title cannot end (%(end)s) before it began (%(start)s).") % {"end": end, "start": title.valid_from}
        )
    return end


def _locked_title(title: Title | int) -> Title:
    pk = title if isinstance(title, int) else title.pk
    return Title.objects.select_for_update(of=("self",)).select_related("tier", "worker").get(pk=pk)


def _supersede(actor: User, title: Title, *, on: datetime.date, by: Title | None, reason: str) -> Title:
    """Supersede the locked ``title`` (no checks of the actor)."""
    if title.status not in HELD:
        raise ServiceError(
            _("The title %(number)s has ended already (%(status)s): only a title held can be superseded.")
            % {"number": title.certificate_number, "status": title.get_status_display()}
        )
    before = title.status
    end = _end_date(title, on)
    title.status, title.valid_to = TitleStatus.SUPERSEDED, end
    title.superseded_by = by
    title.save(update_fields=["status", "valid_to", "superseded_by"])
    _history(title, actor, before, reason, timezone.now())
    record(
        actor,
        events.TITLE_SUPERSEDE,
        title,
        changes={
            **diff(
                {"status": before, "valid_to": None},
                {"status": title.status, "valid_to": end},
            ),
            "superseded_by": by.certificate_number if by is not None else None,
            "reason": reason,
        },
    )
    return title


@transaction.atomic
def supersede_title(
    actor: User, title: Title | int, *, on: datetime.date | None = None, by: Title | None = None, reason: str = ""
) -> Title:
    """End a held title because its holder was promoted (晋升) to a higher tier: superseded from
    ``on`` (default today), pointing to the title ``by`` that supersedes it if given. Conferring
    the higher title (``confer_title``) does this itself, in its own transaction."""
    _check_admin(actor)
    locked = _locked_title(title)
    if by is not None and not by.tier.is_higher_than(locked.tier):
        raise ServiceError(_("A title is superseded only by a title of a higher tier."))
    end = on or (by.valid_from if by is not None else timezone.localdate())
    return _supersede(actor, locked, on=end, by=by, reason=reason.strip())


def _clean_confer(tier: Tier, certificate_number: str | None, valid_from: Any, year: Any, source: str) -> str:
    if not tier.is_active:
        raise ServiceError(
            _("The tier %(tier)s is no longer in use: no title of it can be conferred.") % {"tier": tier.name}
        )
    if not isinstance(valid_from, datetime.date):
        raise ServiceError(_("Enter the date the title takes effect."))
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not FIRST_YEAR <= year <= this_year + 1:
        bounds = {"first": FIRST_YEAR, "last": this_year + 1}
        raise ServiceError(_("The programme year must be between %(first)s and %(last)s.") % bounds)
    if len(source) > MAX_SOURCE:
        raise ServiceError(_("The source is at most %(n)s characters.") % {"n": MAX_SOURCE})
    number = (certificate_number or "").strip().upper()
    if number and Title.objects.filter(certificate_number=number).exists():
        raise ServiceError(_("The certificate number %(number)s is taken already.") % {"number": number})
    return number


@transaction.atomic
def confer_title(
    actor: User,
    worker: Worker | int,
    tier: Tier | HonourTier,
    *,
    certificate_number: str | None,
    valid_from: datetime.date,
    year: int,
    source: str,
    reason: str = "",
) -> Title:
    """Confer ``tier`` on ``worker`` (命名): an active title from ``valid_from``, of programme year
    ``year``, with ``certificate_number`` (None or blank: the next of the year and tier,
    ``next_certificate_number``). Refused if the worker holds a title of this tier or a higher one;
    a lower title they hold is superseded by the new one in the same transaction (晋升). The
    worker's row is locked, so two conferrals on one worker run one after the other."""
    _check_admin(actor)
    tier = _as_tier(tier)
    source, reason = (source or "").strip(), (reason or "").strip()
    number = _clean_confer(tier, certificate_number, valid_from, year, source)
    worker_id = worker if isinstance(worker, int) else worker.pk
    locked_worker = Worker.objects.select_for_update(of=("self",)).get(pk=worker_id)
    held = list(
        Title.objects.select_for_update(of=("self",))
        .filter(worker_id=worker_id, status__in=HELD)
        .select_related("tier")
        .order_by("tier__order", "pk")
    )
    blocking = next((t for t in held if t.tier.order <= tier.order), None)
    if blocking is not None:
        raise ServiceError(
            _(
                "%(worker)s already holds the title %(held)s (%(number)s, %(status)s): "
                "a title of %(tier)s cannot be conferred."
            )
            % {
                "worker": locked_worker.name,
                "held": blocking.tier.name,
                "number": blocking.certificate_number,
                "status": blocking.get_status_display(),
                "tier": tier.name,
            }
        )
    for lower in held:
        promotion = _("Promoted to %(tier)s (%(year)s).") % {"tier": tier.name, "year": year}
        _supersede(actor, lower, on=max(valid_from, lower.valid_from), by=None, reason=promotion)
    number = number or next_certificate_number(year, tier)
    now = timezone.now()
    title = Title.objects.create(
        worker=locked_worker,
        tier=tier,
        certificate_number=number,
        valid_from=valid_from,
        year=year,
        source=source,
        status=TitleStatus.ACTIVE,
        created_at=now,
        created_by=actor,
    )
    if held:
        Title.objects.filter(pk__in=[t.pk for t in held]).update(superseded_by=title)
    _history(title, actor, "", reason, now)
    record(
        actor,
        events.TITLE_CONFER,
        title,
        changes={
            "worker": locked_worker.name,
            "tier": tier.name,
            "certificate_number": number,
            "valid_from": valid_from,
            "year": year,
            "source": source,
            "reason": reason,
            "supersedes": [t.certificate_number for t in held],
        },
    )
    return title


def status_refusal(title: Title, status: str) -> str | None:
    """Why ``title`` cannot move to ``status`` through ``change_status`` (Chinese), or None."""
    if status not in TitleStatus.values:
        return _("Choose the new status.")
    if status == title.status:
        return _("The title is %(status)s already.") % {"status": title.get_status_display()}
    if status == TitleStatus.SUPERSEDED:
        return _("A title is superseded when a higher one is conferred, not by changing its status.")
    if status not in TRANSITIONS[title.status]:
        return _("A title that is %(from)s cannot become %(to)s.") % {
            "from": title.get_status_display(),
            "to": _status_label(status),
        }
    return None


def allowed_statuses(title: Title) -> list[str]:
    """The statuses ``change_status`` would accept for ``title``, in the choices' order."""
    return [s for s in TitleStatus.values if s in TRANSITIONS[title.status]]


@transaction.atomic
def change_status(
    actor: User, title: Title | int, status: str, *, reason: str, on: datetime.date | None = None
) -> Title:
    """Suspend (暂停), reinstate (恢复: suspended → active), revoke (撤销) or retire (退休) a title,
    with the reason, which is required. Revoking and retiring end the title from ``on`` (default
    today). The allowed moves are ``choices.TRANSITIONS``; anything else is refused and changes
    nothing."""
    _check_admin(actor)
    reason = (reason or "").strip()
    locked = _locked_title(title)
    refusal = status_refusal(locked, status)
    if refusal is not None:
        raise ServiceError(refusal)
    if not reason:
        raise ServiceError(_("Give the reason for the change: it is kept in the title's history."))
    if status == TitleStatus.ACTIVE:
        other = Title.objects.active().filter(worker_id=locked.worker_id).exclude(pk=locked.pk).first()
        if other is not None:
            raise ServiceError(
                _("%(worker)s holds another active title (%(number)s): a worker holds at most one active title.")
                % {"worker": locked.worker.name, "number": other.certificate_number}
            )
    before = locked.status
    changes: dict[str, Any] = {"status": [str(before), str(status)], "reason": reason}
    if status in ENDED:
        end = _end_date(locked, on)
        changes |= diff({"valid_to": None}, {"valid_to": end})
        locked.valid_to = end
    locked.status = status
    locked.save(update_fields=["status", "valid_to"])
    _history(locked, actor, before, reason, timezone.now())
    record(actor, STATUS_EVENTS[TitleStatus(status)], locked, changes=changes)
    return locked


# Tiers ---------------------------------------------------------------------------------------


def parse_amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError) as exc:
        raise ServiceError(_("Enter the allowance in yuan, for example 5000 or 1500.50.")) from exc
    if not amount.is_finite() or amount < 0 or amount >= Decimal("100000000"):
        raise ServiceError(_("Enter the allowance in yuan, for example 5000 or 1500.50."))
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def set_allowance(actor: User, tier: Tier | HonourTier, *, from_year: int, amount: Any) -> TierAllowance:
    """The tier's annual allowance from ``from_year`` on (until a later row): a new row, or the
    amount of that year's row changed. The tier's ``annual_allowance`` (系统管理) follows the
    amount in force this year."""
    _check_admin(actor)
    this_year = timezone.localdate().year
    if not isinstance(from_year, int) or not FIRST_YEAR <= from_year <= this_year + 5:
        raise ServiceError(
            _("The year must be between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": this_year + 5}
        )
    value = parse_amount(amount)
    locked = Tier.objects.select_for_update().get(pk=tier.pk)
    row = TierAllowance.objects.filter(tier=locked, from_year=from_year).first()
    before = row.amount if row is not None else None
    if row is None:
        row = TierAllowance.objects.create(tier=locked, from_year=from_year, amount=value)
    elif row.amount != value:
        row.amount = value
        row.save(update_fields=["amount"])
    else:
        return row
    record(
        actor,
        events.TIER_ALLOWANCE_SET,
        row,
        object_repr=f"{locked.name} {from_year}",
        changes={"tier": locked.name, "from_year": from_year, **diff({"amount": before}, {"amount": value})},
    )
    current = allowance_in(locked, this_year)
    if current is not None and current != locked.annual_allowance:
        Tier.objects.filter(pk=locked.pk).update(annual_allowance=current)
        programme.clear_cache()
    return row
