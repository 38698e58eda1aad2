"""The registry's exports beyond what the lists' tables give (core.exports exports every list
from its table): the audit's view of a list's filters, and the admins' round-trip workbooks.

A round-trip workbook has the columns of the list's import (imports.schema: the same headers,
order and labels as the import template) and holds ID numbers and phones in full, so that the
import accepts it back unchanged: validated, it has no errors, and imported in update mode it
changes nothing. Only admins get it (core.lists), and each one is an audited reveal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from talentpool.core.exports import ExportColumn, FullExport, import_columns
from talentpool.rules.idnumber import mask_id_number

from .imports.schema import CERTIFICATES, ENTERPRISES, HONOURS, WORKERS
from .models import Certificate, Employment, Enterprise, Honour, Worker
from .search import is_token, shown_terms


def audited_filters(request: HttpRequest) -> str:
    """The export's filters for its audit record. A search by ID number is kept masked, never in
    full: a token (search.py) as the masked text the search box showed for it."""
    filters = request.GET.copy()
    shown = shown_terms(request)
    for key in filters:
        filters.setlist(key, [shown.get(v, v) if is_token(v) else v for v in filters.getlist(key)])
    filters.setlist("q", [mask_id_number(v) if sum(c.isdigit() for c in v) >= 15 else v for v in filters.getlist("q")])
    return filters.urlencode(safe="*@")


# Round-trip workbooks -----------------------------------------------------------------------


def _current(worker: Worker) -> Employment | None:
    """The worker's open employment (prefetched as ``open_employments`` by ``_workers``)."""
    employments = getattr(worker, "open_employments", None)
    return employments[0] if employments else None


def _workers(queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.defer(None).select_related("occupation", "current_enterprise").prefetch_related(
        Prefetch("employments", queryset=Employment.objects.filter(end_date__isnull=True), to_attr="open_employments")
    )


def _worker_values() -> dict[str, Callable[[Worker], Any]]:
    return {
        "name": lambda w: w.name,
        "id_number": lambda w: w.id_number,
        "phone": lambda w: w.phone,
        "education": lambda w: w.education,
        "retirement_category": lambda w: w.retirement_category,
        "is_frontline": lambda w: w.is_frontline,
        "work_start_date": lambda w: w.work_start_date,
        "skill_level": lambda w: w.skill_level,
        "occupation": lambda w: w.occupation.code if w.occupation_id else None,
        # the credit code: one enterprise whatever its name is spelt like
        "enterprise": lambda w: w.current_enterprise.uscc if w.current_enterprise_id else None,
        "employment_start": lambda w: (e.start_date if (e := _current(w)) else None),
        "position": lambda w: (e.position if (e := _current(w)) else None),
    }


def _enterprise_values() -> dict[str, Callable[[Enterprise], Any]]:
    return {
        "name": lambda e: e.name,
        "uscc": lambda e: e.uscc,
        "industry": lambda e: e.industry.name,
        "ownership": lambda e: e.ownership,
        "is_above_scale": lambda e: e.is_above_scale,
        "town": lambda e: e.town,
        "address": lambda e: e.address,
        "contact_name": lambda e: e.contact_name,
        "contact_phone": lambda e: e.contact_phone,
    }


def _owner_values() -> dict[str, Callable[[Any], Any]]:
    """Whose record a certificate or honour is: the worker's ID number (in full) and name."""
    return {"id_number": lambda r: r.worker.id_number, "name": lambda r: r.worker.name}


def _certificate_values() -> dict[str, Callable[[Certificate], Any]]:
    return _owner_values() | {
        "number": lambda c: c.number,
        "level": lambda c: c.level,
        "occupation_name": lambda c: c.occupation_name,
        "issuer": lambda c: c.issuer,
        "issued_on": lambda c: c.issued_on,
    }


def _honour_values() -> dict[str, Callable[[Honour], Any]]:
    return _owner_values() | {
        "honour": lambda h: h.name,
        "level": lambda h: h.level,
        "awarded_on": lambda h: h.awarded_on,
        "issuer": lambda h: h.issuer,
    }


def _columns(spec: Any, values: Callable[[], dict[str, Callable[[Any], Any]]]) -> Callable[[], list[ExportColumn]]:
    return lambda: import_columns(spec.columns, values())


WORKERS_FULL = FullExport(
    title=_("Workers (for import)"),
    columns=_columns(WORKERS, _worker_values),
    prepare=_workers,
    reveal=("id_number", "phone"),
)
ENTERPRISES_FULL = FullExport(
    title=_("Enterprises (for import)"),
    columns=_columns(ENTERPRISES, _enterprise_values),
    prepare=lambda queryset: queryset.defer(None).select_related("industry"),
    reveal=("contact_phone",),
)
CERTIFICATES_FULL = FullExport(
    title=_("Certificates (for import)"),
    columns=_columns(CERTIFICATES, _certificate_values),
    prepare=lambda queryset: queryset.defer(None).select_related("worker"),
    reveal=("worker__id_number",),
)
HONOURS_FULL = FullExport(
    title=_("Honours (for import)"),
    columns=_columns(HONOURS, _honour_values),
    prepare=lambda queryset: queryset.defer(None).select_related("worker"),
    reveal=("worker__id_number",),
)
