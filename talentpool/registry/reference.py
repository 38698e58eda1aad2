"""State changes of the registry's reference data, by programme admins (系统管理): industries,
occupations added under a minor group of the classification, and the aliases offices write for an
occupation. One transaction each, admins only, audited; a refusal changes nothing."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from talentpool.core.audit import diff, record
from talentpool.core.exceptions import ServiceError
from talentpool.core.models import AuditAction, User
from talentpool.rules.text import normalise_text

from .choices import OccupationLevel
from .models import Industry, Occupation, OccupationAlias
from .occupations import LOWEST_LEVEL

INDUSTRY_FIELDS = ["name", "is_heritage", "sort_order"]
OCCUPATION_SUFFIX = re.compile(r"\d{2}")


def _admins_only(actor: User) -> None:
    if not actor.is_admin:
        raise ServiceError(_("Only programme admins can change reference data."))


def _snapshot(industry: Industry) -> dict[str, Any]:
    return {field: getattr(industry, field) for field in INDUSTRY_FIELDS}


def _industry_name(name: str, *, exclude: int | None = None) -> str:
    name = normalise_text(name)
    if not name:
        raise ServiceError(_("Enter the name."))
    others = Industry.objects.exclude(pk=exclude) if exclude is not None else Industry.objects.all()
    if others.filter(name=name).exists():
        raise ServiceError(_("An industry called “%(name)s” already exists.") % {"name": name})
    return name


# Industries -----------------------------------------------------------------------------------


@transaction.atomic
def create_industry(*, actor: User, name: str, is_heritage: bool = False, sort_order: int = 100) -> Industry:
    _admins_only(actor)
    industry = Industry.objects.create(name=_industry_name(name), is_heritage=is_heritage, sort_order=sort_order)
    record(actor, AuditAction.CREATE, industry, changes=diff({}, _snapshot(industry)))
    return industry


@transaction.atomic
def update_industry(industry: Industry, *, actor: User, **fields: Any) -> Industry:
    _admins_only(actor)
    industry = Industry.objects.select_for_update().get(pk=industry.pk)
    before = _snapshot(industry)
    if "name" in fields:
        fields["name"] = _industry_name(fields["name"], exclude=industry.pk)
    for key, value in fields.items():
        if key in INDUSTRY_FIELDS:
            setattr(industry, key, value)
    changes = diff(before, _snapshot(industry))
    if changes:
        industry.save()
        record(actor, AuditAction.UPDATE, industry, changes=changes)
    return industry


@transaction.atomic
def delete_industry(industry: Industry, *, actor: User) -> None:
    """Delete an industry no enterprise belongs to; one in use is refused and kept."""
    _admins_only(actor)
    industry = Industry.objects.select_for_update().get(pk=industry.pk)
    in_use = industry.enterprises.count()
    if in_use:
        raise ServiceError(
            _("The industry “%(name)s” has %(count)s enterprises, so it cannot be deleted. Move them to another "
              "industry first.") % {"name": industry.name, "count": in_use}
        )
    record(actor, AuditAction.DELETE, industry, changes=diff(_snapshot(industry), {}))
    industry.delete()


# Occupations ----------------------------------------------------------------------------------


def _occupation_name(name: str) -> str:
    name = normalise_text(name)
    if not name:
        raise ServiceError(_("Enter the name."))
    alias = OccupationAlias.objects.filter(name=name).select_related("occupation").first()
    if alias is not None:
        raise ServiceError(_("“%(name)s” is already an alias of %(occupation)s; delete the alias first.")
                           % {"name": name, "occupation": alias.occupation})
    return name


@transaction.atomic
def create_occupation(*, actor: User, parent: Occupation, code: str, name: str) -> Occupation:
    """Add an occupation (level 4) under the minor group ``parent``; its code is the group's code and
    two digits (``6-18-01`` → ``6-18-01-13``), not yet used."""
    _admins_only(actor)
    if parent.level != OccupationLevel.SMALL:
        raise ServiceError(_("An occupation sits under a minor group (小类) of the classification."))
    code = normalise_text(code).replace(" ", "")
    suffix = code.removeprefix(parent.code + "-") if code.startswith(parent.code + "-") else None
    if suffix is None or not OCCUPATION_SUFFIX.fullmatch(suffix):
        raise ServiceError(_("The code of an occupation under %(group)s is %(group)s-NN (two digits, e.g. "
                             "%(group)s-01).") % {"group": parent.code})
    if Occupation.objects.filter(code=code).exists():
        raise ServiceError(_("The code %(code)s is already used.") % {"code": code})
    occupation = Occupation.objects.create(code=code, name=_occupation_name(name), level=OccupationLevel.OCCUPATION,
                                           parent=parent)
    record(actor, AuditAction.CREATE, occupation,
           changes=diff({}, {"code": occupation.code, "name": occupation.name, "parent": str(parent)}))
    return occupation


# Aliases --------------------------------------------------------------------------------------


@transaction.atomic
def create_alias(*, actor: User, occupation: Occupation, name: str) -> OccupationAlias:
    """Record another name offices write for ``occupation``; never the name of an entry of the
    classification (that name already finds its entry) nor an alias already taken."""
    _admins_only(actor)
    name = normalise_text(name)
    if not name:
        raise ServiceError(_("Enter the alias."))
    if occupation.level < LOWEST_LEVEL:
        raise ServiceError(_("An alias names an occupation or a medium or minor group, not a major group."))
    named = Occupation.objects.filter(name=name).first()
    if named is not None:
        raise ServiceError(_("“%(name)s” is the name of %(occupation)s in the classification, which finds it "
                             "already.") % {"name": name, "occupation": named})
    taken = OccupationAlias.objects.filter(name=name).select_related("occupation").first()
    if taken is not None:
        raise ServiceError(_("“%(name)s” is already an alias of %(occupation)s.")
                           % {"name": name, "occupation": taken.occupation})
    alias = OccupationAlias.objects.create(name=name, occupation=occupation)
    record(actor, AuditAction.CREATE, alias, changes=diff({}, {"name": alias.name, "occupation": str(occupation)}))
    return alias


@transaction.atomic
def delete_alias(alias: OccupationAlias, *, actor: User) -> None:
    _admins_only(actor)
    record(actor, AuditAction.DELETE, alias, changes=diff({"name": alias.name, "occupation": str(alias.occupation)},
                                                          {}))
    alias.delete()
