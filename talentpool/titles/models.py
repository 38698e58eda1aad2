"""Tiers and titles (称号, SPEC.md §3.3, issue 10 "Where titles live"): the base the selection
campaign writes to and the title lifecycle builds on. State changes go through ``services``.

A tier is the programme's: ``core.HonourTier`` (系统管理 edits its name, rank, quota and whether it
is in use), seen here as ``Tier``, a proxy that adds what titles need of it — its rank, its short
code in certificate numbers and its allowance by year (``TierAllowance``). A title is a worker's
tier held from ``valid_from`` (to ``valid_to`` once it ended), with its status and its history of
who changed it, when and why (``TitleChange``, append-only). A worker holds at most one active
title: a partial unique constraint in the database, which the services check first to refuse in
Chinese."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talentpool.core.models import HonourTier
from talentpool.registry.models import Worker
from talentpool.rules.names import phrase_keys

from .choices import TitleStatus
from .querysets import TierQuerySet, TitleChangeQuerySet, TitleQuerySet

PLACE_SUFFIXES = "区县市旗"


def place_name(district: str) -> str:
    """南浔区 → 南浔 (as core's seed names the craftsman tier 南浔工匠)."""
    return district[:-1] if len(district) > 2 and district[-1] in PLACE_SUFFIXES else district


def initials(text: str) -> str:
    """The pinyin initials of ``text``, upper case: 首席技工 → SXJG (letters and digits kept as they are)."""
    sort_key = phrase_keys(text)[1]
    return "".join(syllable[0] for syllable in sort_key.split()).upper()


class Tier(HonourTier):
    """An honour tier (GLOSSARY: tier), the programme's ``core.HonourTier`` row. ``rank`` is its
    ``order`` (1 the highest)."""

    objects = TierQuerySet.as_manager()  # type: ignore[misc]  # HonourTier's manager, restricted

    class Meta:
        proxy = True
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["order", "code"]

    @property
    def rank(self) -> int:
        return self.order

    def short_code(self, district_name: str) -> str:
        """The tier in certificate numbers: the pinyin initials of its name without the place's
        name (南浔工匠 → 工匠 → GJ, 首席技工 → SXJG, 技术标兵 → JSBB)."""
        place = place_name(district_name)
        name = self.name[len(place):] if place and self.name.startswith(place) and self.name != place else self.name
        return initials(name) or self.code.upper()

    def is_higher_than(self, other: Tier | HonourTier) -> bool:
        return self.order < other.order


class TierAllowance(models.Model):
    """The annual allowance (考核津贴) of a tier from a year on: the amount in force in a year is
    the row with the latest ``from_year`` not after it (``services.allowance_in``)."""

    tier = models.ForeignKey(Tier, verbose_name=_("tier"), on_delete=models.PROTECT, related_name="allowances")
    from_year = models.PositiveSmallIntegerField(_("from year"))
    amount = models.DecimalField(_("annual allowance (yuan)"), max_digits=10, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TierQuerySet.as_manager()

    class Meta:
        verbose_name = _("tier allowance")
        verbose_name_plural = _("tier allowances")
        ordering = ["tier__order", "-from_year"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "from_year"], name="titles_one_allowance_per_tier_year"),
            models.CheckConstraint(condition=Q(amount__gte=Decimal("0")), name="titles_allowance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.tier} {self.from_year}: {self.amount}"


class Title(models.Model):
    """A worker's tier held from ``valid_from`` (GLOSSARY: title), conferred in programme year
    ``year`` (``source``: the campaign or record it came from, e.g. "2026年度选树")."""

    worker = models.ForeignKey(Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="titles")
    tier = models.ForeignKey(Tier, verbose_name=_("tier"), on_delete=models.PROTECT, related_name="titles")
    certificate_number = models.CharField(_("certificate number"), max_length=32, unique=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=TitleStatus.choices, default=TitleStatus.ACTIVE)
    year = models.PositiveSmallIntegerField(_("programme year"))
    source = models.CharField(_("source"), max_length=100, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = TitleQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("honour", "title")
        verbose_name_plural = pgettext_lazy("honour", "titles")
        ordering = ["-year", "tier__order", "certificate_number"]
        indexes = [
            models.Index(fields=["year", "tier"], name="titles_title_year_tier"),
            models.Index(fields=["status", "tier"], name="titles_title_status_tier"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["worker"], condition=Q(status=TitleStatus.ACTIVE), name="titles_one_active_title_per_worker"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="titles_title_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_number} {self.tier.name}"

    def get_absolute_url(self) -> str:
        return reverse("titles:title_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == TitleStatus.ACTIVE


class TitleChange(models.Model):
    """One change of a title's status: who, when, why (append-only; the conferral is the first,
    from no status)."""

    title = models.ForeignKey(
        Title, verbose_name=pgettext_lazy("honour", "title"), on_delete=models.PROTECT, related_name="changes"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=TitleStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=TitleStatus.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)

    objects = TitleChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("title change")
        verbose_name_plural = _("title changes")
        ordering = ["title", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.title_id}: {self.from_status or '—'} → {self.to_status}"


class CertificateSequence(models.Model):
    """The last certificate number given under a prefix (``NX2026GJ``: place, year, tier), locked
    while the next is taken, so numbers are unique and gap-free per year and tier."""

    prefix = models.CharField(max_length=24, unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("certificate number sequence")
        verbose_name_plural = _("certificate number sequences")

    def __str__(self) -> str:
        return f"{self.prefix}{self.last:04d}"
