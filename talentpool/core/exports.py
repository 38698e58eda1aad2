"""Excel export of a list, its columns taken from the list's table (django-tables2).

One export per list, no list of kinds: a list exports what its table shows, in the order it
shows it, for the rows its filter selects.

- Columns: the table's columns in their order (``Table.columns.iterall()``, hidden ones too), so
  a column declared ``visible=False`` is an export-only column and one declared
  ``exclude_from_export=True`` stays on screen only (django-tables2's own switches). The header is
  the column's header (its ``verbose_name``); the value is the one the table computes for the cell
  — the table's ``value_<name>`` or ``render_<name>``, else the column's value, a choice by its
  label — without HTML. ``Meta.export_widths`` (``{column name: width}``) sets column widths.
- Rows: the filtered queryset ordered as the table orders it for the request (its ``sort``
  parameter, a column's ``order_by`` and the table's ``order_<name>`` methods, as
  ``RequestConfig`` applies them to the page), ties broken by primary key as the pages do
  (core.pagination.stable), and streamed in chunks into xlsxwriter's constant-memory mode, so
  a 100,000-row export stays small in memory (``write_workbook``).
- Cells: text as text (codes keep their leading zeros), numbers as numbers, dates as dates
  (YYYY-MM-DD), booleans as 是/否.
- Audit: every export is one record (what list, how many rows, which filters as the caller
  gives them, masked); an export of personal data in full (``export_records(..., reveal=...)``)
  is one record that is both an export and a reveal.
"""

from __future__ import annotations

import datetime
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import django_tables2 as tables
import xlsxwriter
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django_tables2 import RequestConfig
from django_tables2.rows import BoundRow

from .audit import record
from .models import AuditAction
from .pagination import stable

#: An export holding personal data in full (an admin's round-trip workbook): one record that is
#: an export and a reveal at once.
EXPORT_REVEAL = AuditAction.EXPORT_REVEAL

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000
DEFAULT_WIDTH = 14


@dataclass(frozen=True)
class ExportColumn:
    """One column of a workbook: its header, the cell's value for a row, its width, and whether
    it is formatted as text in Excel (codes and numbers typed back in keep their digits)."""

    header: str
    value: Callable[[Any], Any]
    width: int = DEFAULT_WIDTH
    is_text: bool = False


# Columns from a table ---------------------------------------------------------------------

_PLAIN_COLUMNS = (tables.Column, tables.BooleanColumn, tables.DateColumn, tables.DateTimeColumn)


def _fields(model: type[models.Model] | None, bits: Sequence[str]) -> list[models.Field[Any, Any]]:
    """The model fields ``bits`` walk through, as far as they are model fields."""
    found: list[models.Field[Any, Any]] = []
    for bit in bits:
        if model is None:
            break
        try:
            field = model._meta.get_field(bit)
        except FieldDoesNotExist:
            break
        if not isinstance(field, models.Field):
            break
        found.append(field)
        model = field.related_model if field.is_relation else None  # type: ignore[assignment]
    return found


def _path_value(bits: Sequence[str]) -> Callable[[Any], Any]:
    """``record.a.b.c`` for the accessor ``a__b__c``, None once a step is None (Accessor.resolve)."""

    def value(obj: Any) -> Any:
        for bit in bits:
            obj = getattr(obj, bit, None)
            if obj is None:
                return None
            if callable(obj) and not isinstance(obj, models.Model):
                obj = obj()
        return obj

    return value


def _cell_value(table: tables.Table, name: str) -> Callable[[Any], Any]:
    """The table's own value for column ``name`` (value_/render_ methods, custom columns)."""

    def value(obj: Any) -> Any:
        return BoundRow(obj, table=table).get_cell_value(name)

    return value


def _column_value(table: tables.Table, bound_column: Any, model: type[models.Model] | None) -> Callable[[Any], Any]:
    name = bound_column.name
    column = bound_column.column
    if hasattr(table, f"value_{name}") or hasattr(table, f"render_{name}") or type(column) not in _PLAIN_COLUMNS:
        return _cell_value(table, name)
    bits = bound_column.accessor.split("__")
    fields = _fields(model, bits)
    resolve = _path_value(bits)
    empty = column.empty_values
    if len(fields) == len(bits) and fields[-1].choices:
        # the labels in the request's language, translated once (not once per cell)
        labels = {value: str(label) for value, label in fields[-1].flatchoices}

        def choice(obj: Any) -> Any:
            raw = resolve(obj)
            return None if raw in empty else labels.get(raw, raw)

        return choice

    if isinstance(column, tables.DateColumn):  # a date, even of a time (in local time, as the page shows it)

        def day(obj: Any) -> Any:
            raw = resolve(obj)
            if isinstance(raw, datetime.datetime):
                return (timezone.localtime(raw) if timezone.is_aware(raw) else raw).date()
            return None if raw in empty else raw

        return day

    def plain(obj: Any) -> Any:
        raw = resolve(obj)
        return None if raw in empty else raw

    return plain


def table_columns(table: tables.Table) -> list[ExportColumn]:
    """The export columns of ``table`` (see the module's text)."""
    model = getattr(table._meta, "model", None)
    widths: dict[str, int] = getattr(getattr(table, "Meta", None), "export_widths", {})
    columns = []
    for bound_column in table.columns.iterall():
        if bound_column.column.exclude_from_export:
            continue
        header = str(bound_column.header)
        width = widths.get(bound_column.name, max(DEFAULT_WIDTH, 2 * len(header) + 2))
        columns.append(ExportColumn(header, _column_value(table, bound_column, model), width))
    return columns


def related_paths(model: type[models.Model], accessors: Iterable[str]) -> list[str]:
    """The forward relations the accessors walk through (``current_enterprise__industry`` for
    ``current_enterprise__industry__name``), for ``select_related``."""
    paths: dict[str, None] = {}
    for accessor in accessors:
        bits = accessor.split("__")
        walked = []
        for field in _fields(model, bits):
            if not (field.many_to_one or field.one_to_one):
                break
            walked.append(field.name)
            paths["__".join(walked)] = None
    return [path for path in paths if not any(other.startswith(path + "__") for other in paths)]


def export_queryset(queryset: QuerySet[Any], accessors: Iterable[str]) -> QuerySet[Any]:
    """``queryset`` with every column loaded (a list page loads only what its table shows; an
    export-only column, a property or a row's ``__str__`` may read any) and the relations the
    accessors walk through joined."""
    return queryset.defer(None).select_related(*related_paths(queryset.model, accessors))


def ordered_table(request: HttpRequest, table_class: type[tables.Table], queryset: QuerySet[Any],
                  **table_kwargs: Any) -> tables.Table:
    """The table the list shows for ``request``, over the whole ``queryset`` and ordered as the
    page orders it (RequestConfig applies the ``sort`` parameter), not paginated."""
    table = table_class(queryset, **table_kwargs)
    RequestConfig(request, paginate=False).configure(table)
    return table


# Columns an import reads back -------------------------------------------------------------


@dataclass(frozen=True)
class FullExport:
    """A list's workbook with personal data in full, for admins only (core.lists): the columns of
    the app's import (``import_columns``), so that the import accepts the workbook back unchanged.

    ``prepare`` joins what the columns read to the list's filtered, ordered rows; ``reveal`` names
    the personal-data fields it holds in full (the export's audit record is a reveal of them)."""

    title: str | Promise
    columns: Callable[[], list[ExportColumn]]
    prepare: Callable[[QuerySet[Any]], QuerySet[Any]]
    reveal: tuple[str, ...]


def _labels_read_back(column: Any) -> dict[Any, str]:
    """``{value: label}``: for each value the column's parser gives, the first of its labels
    (``choices``) that parses to it, so that a stored value is written as the import reads it."""
    labels: dict[Any, str] = {}
    for label in column.choices:
        labels.setdefault(column.parse(label, label), label)
    return labels


def import_columns(specs: Iterable[Any], values: Mapping[str, Callable[[Any], Any]]) -> list[ExportColumn]:
    """The export columns of an import's column specs (``key``, ``template_header``, ``parse``,
    ``choices``, ``is_text``, ``width``: core.imports.spec.Column), in the import's order and with
    its template's headers; ``values[key](record)`` is the record's stored value for each, written
    as the label the column's parser reads back to it when the column offers labels. Every column
    of the import must have a value (KeyError otherwise): a workbook missing one would not be
    read back unchanged."""
    columns = []
    for spec in specs:
        get = values[spec.key]
        labels = _labels_read_back(spec) if spec.choices else None
        if labels is not None:
            get = _labelled(get, labels)
        columns.append(ExportColumn(spec.template_header, get, spec.width, spec.is_text))
    return columns


def _labelled(get: Callable[[Any], Any], labels: Mapping[Any, str]) -> Callable[[Any], Any]:
    def value(obj: Any) -> Any:
        raw = get(obj)
        return None if raw is None or raw == "" else labels.get(raw, raw)

    return value


# Writing ----------------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return gettext("yes") if value else gettext("no")


#: RAM-backed scratch space (tmpfs): the rows of a workbook with personal data in full may wait there,
#: never on a disk.
RAM_SCRATCH = "/dev/shm"


def _scratch(private: bool) -> tempfile.TemporaryDirectory[str] | None:
    """A directory of one's own for xlsxwriter's finished rows, removed when the workbook is done:
    for a workbook with personal data in full only in RAM (tmpfs), else None (keep the sheet in
    memory: the numbers must not reach a disk unencrypted)."""
    if not private:
        return tempfile.TemporaryDirectory(prefix="export-")
    if os.path.isdir(RAM_SCRATCH) and os.access(RAM_SCRATCH, os.W_OK):
        return tempfile.TemporaryDirectory(prefix="export-", dir=RAM_SCRATCH)
    return None


def write_workbook(columns: Sequence[ExportColumn], rows: Iterable[Any], sheet: str, *,
                   private: bool = False) -> tuple[bytes, int]:
    """The workbook (.xlsx bytes) of ``rows`` under ``columns`` on one sheet, and the row count.

    Rows are written one after the other and dropped: xlsxwriter's constant-memory mode keeps each
    finished row in a scratch file (a 50,000-row sheet of 12 columns peaks at about 2 MiB instead
    of 240 MiB in memory). ``private``: the rows hold personal data in full, so the scratch file is
    in RAM (tmpfs) or, without one, the sheet stays in memory."""
    scratch = _scratch(private)
    try:
        return _write(columns, rows, sheet, scratch.name if scratch is not None else None)
    finally:
        if scratch is not None:
            scratch.cleanup()


def _write(columns: Sequence[ExportColumn], rows: Iterable[Any], sheet: str, scratch: str | None) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    options = {"constant_memory": True, "tmpdir": scratch} if scratch is not None else {"in_memory": True}
    book = xlsxwriter.Workbook(buffer, {**options, "strings_to_numbers": False})
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    text = book.add_format({"num_format": "@"})
    ws = book.add_worksheet(sheet[:31])
    for c, column in enumerate(columns):
        ws.set_column(c, c, column.width, text if column.is_text else None)
        ws.write_string(0, c, column.header, bold)
    ws.freeze_panes(1, 0)
    yes, no = _yes_no(True), _yes_no(False)
    r = 0
    for r, obj in enumerate(rows, start=1):
        for c, column in enumerate(columns):
            value = column.value(obj)
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                ws.write_string(r, c, yes if value else no)
            elif isinstance(value, int | float) and not column.is_text:
                ws.write_number(r, c, value)
            elif isinstance(value, datetime.datetime):
                local = timezone.localtime(value) if timezone.is_aware(value) else value
                ws.write_datetime(r, c, local.replace(tzinfo=None), moment)
            elif isinstance(value, datetime.date):
                ws.write_datetime(r, c, datetime.datetime(value.year, value.month, value.day), date)
            else:
                ws.write_string(r, c, str(value), text if column.is_text else None)
    if columns:
        ws.autofilter(0, 0, max(r, 1), len(columns) - 1)
    book.close()
    return buffer.getvalue(), r


def workbook_response(content: bytes, title: str) -> HttpResponse:
    filename = f"{title}-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def export_records(
    request: HttpRequest,
    columns: Sequence[ExportColumn],
    queryset: QuerySet[Any],
    *,
    kind: str,
    title: str,
    filters: str,
    reveal: Sequence[str] = (),
) -> HttpResponse:
    """Write ``queryset`` (ordered; ties broken by primary key) under ``columns`` and audit it:
    one record naming the list (``kind``), the row count and ``filters`` (masked by the caller).
    ``reveal`` names the personal-data fields the workbook holds in full (paths from the rows'
    model: ``worker__id_number``): the record is then an audited reveal as well as an export
    (EXPORT_REVEAL), about the rows' model, so that the audit log names the fields by their labels."""
    content, count = write_workbook(columns, stable(queryset).iterator(chunk_size=CHUNK), title, private=bool(reveal))
    changes: dict[str, Any] = {"kind": kind, "rows": count, "filters": filters}
    if reveal:
        changes["revealed"] = list(reveal)
    record(
        request.user,  # type: ignore[arg-type]
        EXPORT_REVEAL if reveal else AuditAction.EXPORT,
        queryset.model() if reveal else None,  # the content type only: no one object
        object_repr=f"{title} ({count})",
        changes=changes,
    )
    return workbook_response(content, title)


def export_table(
    request: HttpRequest,
    table_class: type[tables.Table],
    queryset: QuerySet[Any],
    *,
    kind: str,
    title: str,
    filters: str,
    **table_kwargs: Any,
) -> HttpResponse:
    """The list's export: ``queryset`` (the filtered rows) through ``table_class`` as the page
    shows it for ``request`` (columns, values, order), audited (see the module's text)."""
    table = ordered_table(request, table_class, queryset, **table_kwargs)
    columns = table_columns(table)
    accessors = [c.accessor for c in table.columns.iterall() if not c.column.exclude_from_export]
    rows = export_queryset(table.data.data, accessors)
    return export_records(request, columns, rows, kind=kind, title=title, filters=filters)
