"""Excel export of any filtered list (the format the offices live in).

Rows are streamed from the database in chunks into xlsxwriter's constant-memory mode, so a
100,000-row export stays small in memory. Every export is audited (what, how many rows)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from talentpool.core.audit import record
from talentpool.core.models import AuditAction
from talentpool.rules.idnumber import mask_id_number

from .privacy import birth_year
from .search import is_token, shown_terms


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    width: int = 14


def _display(obj: Any, field: str) -> str:
    return str(getattr(obj, f"get_{field}_display")() or "") if getattr(obj, field) not in (None, "") else ""


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def worker_columns() -> list[Column]:
    return [
        Column(_("name"), lambda w: w.name, 10),
        Column(_("ID number"), lambda w: w.id_number_masked, 22),
        Column(_("sex"), lambda w: _display(w, "sex"), 6),
        # the year, never the date: beside the masked ID number it is the whole number (privacy.py)
        Column(_("birth year"), birth_year, 8),
        Column(_("phone"), lambda w: w.phone_masked, 14),
        Column(_("education"), lambda w: _display(w, "education"), 14),
        Column(_("retirement category"), lambda w: _display(w, "retirement_category"), 18),
        Column(_("front-line worker"), lambda w: _yes_no(w.is_frontline), 8),
        Column(_("started work"), lambda w: w.work_start_date, 12),
        Column(_("skill level"), lambda w: _display(w, "skill_level"), 16),
        Column(_("occupation"), lambda w: str(w.occupation) if w.occupation_id else "", 20),
        Column(_("current enterprise"), lambda w: w.current_enterprise.name if w.current_enterprise_id else "", 28),
        Column(_("industry"), lambda w: w.current_enterprise.industry.name if w.current_enterprise_id else "", 10),
    ]


def enterprise_columns() -> list[Column]:
    return [
        Column(_("name"), lambda e: e.name, 30),
        Column(_("unified social credit code"), lambda e: e.uscc, 22),
        Column(_("industry"), lambda e: e.industry.name, 10),
        Column(_("ownership"), lambda e: e.get_ownership_display(), 10),
        Column(_("above designated size"), lambda e: _yes_no(e.is_above_scale), 8),
        Column(_("town or street"), lambda e: e.town, 10),
        Column(_("address"), lambda e: e.address, 30),
        Column(_("contact person"), lambda e: e.contact_name, 10),
        Column(_("contact phone"), lambda e: e.contact_phone_masked, 14),
    ]


def _owner_columns() -> list[Column]:
    """Whose record a row is (certificates, honours): the worker's name, masked ID and employer."""
    return [
        Column(_("name"), lambda r: r.worker.name, 10),
        Column(_("ID number"), lambda r: r.worker.id_number_masked, 22),
        Column(
            _("enterprise"), lambda r: r.worker.current_enterprise.name if r.worker.current_enterprise_id else "", 28
        ),
    ]


def certificate_columns() -> list[Column]:
    return [
        *_owner_columns(),
        Column(_("certificate number"), lambda c: c.number, 26),
        Column(_("skill level"), lambda c: c.get_level_display(), 16),
        Column(_("occupation (as printed)"), lambda c: c.occupation_name, 16),
        Column(_("issuing body"), lambda c: c.issuer, 24),
        Column(_("issued on"), lambda c: c.issued_on, 12),
    ]


def honour_columns() -> list[Column]:
    return [
        *_owner_columns(),
        Column(_("honour"), lambda h: h.name, 20),
        Column(_("level"), lambda h: h.get_level_display(), 8),
        Column(_("awarded on"), lambda h: h.awarded_on, 12),
        Column(_("awarded by"), lambda h: h.issuer, 24),
    ]


EXPORTS: dict[str, tuple[Callable[[], list[Column]], Callable[[], str], tuple[str, ...]]] = {
    "workers": (worker_columns, lambda: _("Workers"), ("current_enterprise__industry", "occupation")),
    "enterprises": (enterprise_columns, lambda: _("Enterprises"), ("industry",)),
    "certificates": (certificate_columns, lambda: _("Certificates"), ("worker__current_enterprise",)),
    "honours": (honour_columns, lambda: _("Honours"), ("worker__current_enterprise",)),
}


def write_workbook(columns: list[Column], rows: Iterable[Any], sheet: str) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True, "strings_to_numbers": False})
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    ws = book.add_worksheet(sheet[:31])
    for c, column in enumerate(columns):
        ws.set_column(c, c, column.width)
        ws.write_string(0, c, column.header, bold)
    ws.freeze_panes(1, 0)
    r = 0
    for r, obj in enumerate(rows, start=1):
        for c, column in enumerate(columns):
            value = column.value(obj)
            if value is None or value == "":
                continue
            if hasattr(value, "isoformat") and not isinstance(value, str):
                ws.write_datetime(r, c, timezone.datetime(value.year, value.month, value.day), date)
            else:
                ws.write_string(r, c, str(value))  # text, so codes keep their leading zeros
    ws.autofilter(0, 0, max(r, 1), len(columns) - 1)
    book.close()
    return buffer.getvalue()


def export_rows(kind: str, queryset: QuerySet[Any]) -> tuple[bytes, int, str]:
    columns_factory, title, related = EXPORTS[kind]
    # defer(None): the list page loads only its table's columns, the workbook needs every column
    queryset = queryset.defer(None).select_related(*related).order_by(*queryset.query.order_by or ["pk"])
    count = queryset.count()
    content = write_workbook(columns_factory(), queryset.iterator(chunk_size=2000), title())
    return content, count, title()


def audited_filters(request: HttpRequest) -> str:
    """The export's filters for its audit record. A search by ID number is kept masked, never in
    full: a token (search.py) as the masked text the search box showed for it."""
    filters = request.GET.copy()
    shown = shown_terms(request)
    for key in filters:
        filters.setlist(key, [shown.get(v, v) if is_token(v) else v for v in filters.getlist(key)])
    filters.setlist("q", [mask_id_number(v) if sum(c.isdigit() for c in v) >= 15 else v for v in filters.getlist("q")])
    return filters.urlencode(safe="*@")


def export_list(request: HttpRequest, kind: str, queryset: QuerySet[Any]) -> HttpResponse:
    content, count, title = export_rows(kind, queryset)
    record(
        request.user,
        AuditAction.EXPORT,
        object_repr=f"{title} ({count})",  # type: ignore[arg-type]
        changes={"kind": kind, "rows": count, "filters": audited_filters(request)},
    )
    filename = f"{title}-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
