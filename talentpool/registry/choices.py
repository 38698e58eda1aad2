"""Enumerations of the registry, with the Chinese users see (through the zh-hans catalogue)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from talentpool.rules.retirement import RetirementCategory as RuleRetirementCategory
from talentpool.rules.skills import SkillLevel as RuleSkillLevel


class Ownership(models.TextChoices):
    PUBLIC = "public", _("Public sector")
    NON_PUBLIC = "non_public", _("Non-public sector")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    JUNIOR_SECONDARY = "junior", _("Junior secondary or below")
    SENIOR_SECONDARY = "senior", _("Senior secondary / vocational school")
    COLLEGE = "college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class RetirementCategory(models.TextChoices):
    MAN = RuleRetirementCategory.MAN.value, _("Man (60)")
    WOMAN_55 = RuleRetirementCategory.WOMAN_55.value, _("Woman, cadre or technical post (55)")
    WOMAN_50 = RuleRetirementCategory.WOMAN_50.value, _("Woman worker (50)")


class SkillLevel(models.IntegerChoices):
    APPRENTICE = RuleSkillLevel.APPRENTICE.value, _("Apprentice")
    JUNIOR = RuleSkillLevel.JUNIOR.value, _("Junior worker (level 5)")
    INTERMEDIATE = RuleSkillLevel.INTERMEDIATE.value, _("Intermediate worker (level 4)")
    SENIOR = RuleSkillLevel.SENIOR.value, _("Senior worker (level 3)")
    TECHNICIAN = RuleSkillLevel.TECHNICIAN.value, _("Technician (level 2)")
    SENIOR_TECHNICIAN = RuleSkillLevel.SENIOR_TECHNICIAN.value, _("Senior technician (level 1)")
    PRINCIPAL_TECHNICIAN = RuleSkillLevel.PRINCIPAL_TECHNICIAN.value, _("Principal technician")
    CHIEF_TECHNICIAN = RuleSkillLevel.CHIEF_TECHNICIAN.value, _("Chief technician")


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    ENTERPRISE = "enterprise", _("Enterprise")


class OccupationLevel(models.IntegerChoices):
    MAJOR = 1, _("Major group")
    MEDIUM = 2, _("Medium group")
    SMALL = 3, _("Small group")
    OCCUPATION = 4, _("Occupation")
