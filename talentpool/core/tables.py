"""The base of every list table (django-tables2): the styling, the empty text and the sort
indicator all lists share.

A sortable column's header says how the list is sorted: ``aria-sort`` (ascending, descending, or
none while another column sorts it) for screen readers, and ▲/▼ drawn by the stylesheet from
django-tables2's ``orderable``/``asc``/``desc`` classes (site.css; no script)."""

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _


def aria_sort(bound_column: Any) -> str | None:
    """The header's ``aria-sort``: only on sortable columns."""
    if not bound_column.orderable:
        return None
    if not bound_column.is_ordered:
        return "none"
    return "descending" if bound_column.order_by_alias.is_descending else "ascending"


class ListTable(tables.Table):
    """What every list table shares."""

    class Meta:
        empty_text = _("No records match.")
        attrs = {"class": "table table-hover table-sm align-middle mb-0", "th": {"aria-sort": aria_sort}}
