"""The talent registry (人才信息库): enterprises, workers, their employment, occupations,
certificates and honours. State changes go through ``services``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentpool.core.crypto import EncryptedTextField
from talentpool.rules import masking
from talentpool.rules.names import phrase_keys
from talentpool.rules.retirement import RetirementCategory as RuleCategory
from talentpool.rules.retirement import full_years, retirement_date

from .choices import (
    Education,
    HonourLevel,
    OccupationLevel,
    Ownership,
    RetirementCategory,
    Sex,
    SkillLevel,
)
from .querysets import EnterpriseQuerySet, ReferenceQuerySet, WorkerOwnedQuerySet, WorkerQuerySet


class Industry(models.Model):
    """A local industry grouping (电梯, 湖笔 …): every industry should have a role model."""

    name = models.CharField(_("name"), max_length=32, unique=True)
    is_heritage = models.BooleanField(_("intangible heritage craft"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


PINYIN_KEY_LENGTH = 800  # a 100-character name in pinyin, with its initials


class PinyinNamed(models.Model):
    """A record found by its name in Chinese, full pinyin or initials, and listed in pinyin order:
    ``name_search`` and ``name_sort`` (rules.names.phrase_keys) follow ``name`` on every save.
    Bulk writes (bulk_create, bulk_update) call ``fill_name_keys`` first."""

    name: models.CharField
    name_search = models.CharField(max_length=PINYIN_KEY_LENGTH, editable=False, default="")
    name_sort = models.CharField(max_length=PINYIN_KEY_LENGTH, editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_name_keys()
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields:
            kwargs["update_fields"] = {*fields, "name_search", "name_sort"}
        super().save(*args, **kwargs)

    def fill_name_keys(self) -> None:
        self.name_search, self.name_sort = phrase_keys(self.name)


class Occupation(PinyinNamed):
    """An entry of the national occupational classification (职业分类大典 2022): a major, medium or
    minor group, or an occupation (level 4), which sits under its minor group (``parent``)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=OccupationLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OccupationAlias(PinyinNamed):
    """Another name offices write for an occupation (维修电工 for 电工, 电焊工 for 焊工); admins
    maintain them. An alias is never the name of an occupation (reference.create_alias)."""

    name = models.CharField(_("alias"), max_length=100, unique=True)
    occupation = models.ForeignKey(
        Occupation, verbose_name=_("occupation"), on_delete=models.CASCADE, related_name="aliases"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("occupation alias")
        verbose_name_plural = _("occupation aliases")
        ordering = ["name_sort", "name"]

    def __str__(self) -> str:
        return self.name


class Enterprise(PinyinNamed):
    """An employer in the district, identified by its unified social credit code; listed and
    picked in pinyin order (``name_sort``)."""

    name = models.CharField(_("enterprise name"), max_length=100, unique=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="enterprises"
    )
    ownership = models.CharField(_("ownership"), max_length=16, choices=Ownership.choices, default=Ownership.NON_PUBLIC)
    is_above_scale = models.BooleanField(_("above designated size"), default=True)
    town = models.CharField(_("town or street"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=32, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Raised by every change (services, import): an edit based on an older version is refused
    # instead of silently undoing the change made meanwhile (services.check_version).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name_sort", "name"]
        indexes = [models.Index(fields=["industry", "name"]), models.Index(fields=["town"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:enterprise_detail", args=[self.pk])

    @property
    def contact_phone_masked(self) -> str:
        return masking.mask_phone(self.contact_phone) if self.contact_phone else ""


class Worker(models.Model):
    """A person in the registry. The ID number and phone are encrypted at rest; birth date and
    sex are derived from the ID number; ``current_enterprise`` mirrors the open employment."""

    name = models.CharField(_("name"), max_length=32)  # indexed for prefix search: see Meta.indexes
    name_search = models.CharField(max_length=400, editable=False, default="")
    name_sort = models.CharField(max_length=200, editable=False, default="")  # pinyin order
    id_number = EncryptedTextField(_("ID number"))
    id_number_hash = models.CharField(max_length=64, editable=False)  # unique: see Meta.constraints
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_masked = models.CharField(_("phone"), max_length=24, blank=True, editable=False)
    education = models.CharField(_("education"), max_length=16, choices=Education.choices, blank=True)
    retirement_category = models.CharField(_("retirement category"), max_length=16, choices=RetirementCategory.choices)
    actual_retirement_date = models.DateField(_("actual retirement date"), null=True, blank=True)
    is_frontline = models.BooleanField(_("front-line worker"), default=True)
    work_start_date = models.DateField(_("started work"), null=True, blank=True)
    skill_level = models.PositiveSmallIntegerField(_("skill level"), choices=SkillLevel.choices, null=True, blank=True)
    occupation = models.ForeignKey(
        Occupation, verbose_name=_("occupation"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    current_enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("current enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workers",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)  # see Enterprise.version

    objects = WorkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["name_sort", "name", "pk"]
        indexes = [
            # The list's order. On PostgreSQL it also carries the columns the list filters on, so
            # a deep page, or a search or filter shown in list order, is an index-only scan.
            models.Index(
                fields=["name_sort", "name", "id"],
                include=["name_search", "current_enterprise", "skill_level"],
                name="registry_worker_order",
            ),
            # Counting "level at least N" in an industry reads this index alone (bench_pages.py).
            models.Index(fields=["skill_level", "current_enterprise"], name="registry_worker_level"),
            models.Index(fields=["birth_date"]),
            # Name search is prefix-first (``name LIKE '王%'``) and exact; with pattern operators one
            # index serves both on PostgreSQL (db_index would add a second, plain one). Elsewhere
            # the operator class is ignored: a plain index.
            models.Index(fields=["name"], name="registry_worker_name_like", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            # A constraint rather than unique=True: PostgreSQL then builds no second (LIKE) index
            # on the hash, which is only ever compared whole.
            models.UniqueConstraint(fields=["id_number_hash"], name="registry_worker_id_number_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:worker_detail", args=[self.pk])

    @property
    def retirement_date(self) -> date:
        return retirement_date(
            self.birth_date, RuleCategory(self.retirement_category), actual=self.actual_retirement_date
        )

    def age_on(self, day: date) -> int:
        return full_years(self.birth_date, day)

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def years_of_service(self) -> int | None:
        if not self.work_start_date:
            return None
        return full_years(self.work_start_date, timezone.localdate())


class Employment(models.Model):
    """A worker at an enterprise from–to; the open one (no end) is the current employment."""

    worker = models.ForeignKey(Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="employments")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="employments"
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    position = models.CharField(_("post"), max_length=64, blank=True)
    occupation = models.ForeignKey(
        Occupation, verbose_name=_("occupation"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = WorkerOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employment history")
        ordering = ["worker", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker"], condition=Q(end_date__isnull=True), name="one_current_employment"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="employment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.enterprise}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class Certificate(models.Model):
    """A vocational skill certificate (职业技能等级证书 or older 职业资格证书)."""

    worker = models.ForeignKey(Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="certificates")
    number = models.CharField(_("certificate number"), max_length=40)
    level = models.PositiveSmallIntegerField(_("skill level"), choices=SkillLevel.choices)
    occupation = models.ForeignKey(
        Occupation, verbose_name=_("occupation"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occupation_name = models.CharField(_("occupation (as printed)"), max_length=100, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"))
    warnings = models.CharField(_("warnings"), max_length=400, blank=True)

    objects = WorkerOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["worker", "-issued_on"]
        constraints = [models.UniqueConstraint(fields=["number"], name="unique_certificate_number")]

    def __str__(self) -> str:
        return self.number


class Honour(models.Model):
    """An honour the worker holds (劳动模范, 五一劳动奖章, 技术能手 …) at a level."""

    worker = models.ForeignKey(Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="honours")
    name = models.CharField(_("honour"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=HonourLevel.choices)
    awarded_on = models.DateField(_("awarded on"))
    issuer = models.CharField(_("awarded by"), max_length=100, blank=True)

    objects = WorkerOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["worker", "-awarded_on"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "name", "awarded_on"], name="unique_honour_per_worker_day")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_level_display()}）"
