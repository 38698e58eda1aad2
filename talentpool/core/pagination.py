"""Pages of long lists that stay fast deep into 100,000 rows.

A plain ``OFFSET 49950 LIMIT 50`` over a list that joins enterprises and industries makes the
database build and throw away 49,950 joined rows. Instead a page is read in two steps (a
"deferred join"): first the page's primary keys, from the filtered and ordered list alone (an
index-only scan when an index covers the ordering), then the page's 50 rows with their
relations, by primary key, put back in list order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django_tables2.data import TableQuerysetData
from django_tables2.rows import BoundRows
from rest_framework import pagination


def stable(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The queryset ordered so that no two rows tie (primary key last): sorted by a column with
    repeated values, like a skill level, a row could otherwise show on two pages and another on none."""
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    if any(isinstance(term, str) and term.lstrip("-") in {"pk", queryset.model._meta.pk.attname}
           for term in ordering):
        return queryset
    return queryset.order_by(*ordering, "pk")


def page_of(queryset: QuerySet[Any], bottom: int, top: int) -> list[Any]:
    """``list(stable(queryset)[bottom:top])``, read as keys first, then rows by key."""
    keys = list(stable(queryset).values_list("pk", flat=True)[bottom:top])
    if not keys:
        return []
    by_key = {obj.pk: obj for obj in queryset.order_by().filter(pk__in=keys)}
    return [by_key[key] for key in keys if key in by_key]


class DeferredJoinPaginator(Paginator):
    """A Paginator whose pages of a queryset (or of a django-tables2 table over one) are read by
    ``page_of``; anything else is sliced as usual."""

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._slice(bottom, top), number, self)  # type: ignore[attr-defined]

    def _slice(self, bottom: int, top: int) -> Sequence[Any]:
        rows = self.object_list
        if isinstance(rows, QuerySet):
            return page_of(rows, bottom, top)
        if isinstance(rows, BoundRows) and isinstance(rows.data, TableQuerysetData):
            return BoundRows(page_of(rows.data.data, bottom, top), table=rows.table, pinned_data=rows.pinned_data)
        return rows[bottom:top]  # type: ignore[return-value]


class PageNumberPagination(pagination.PageNumberPagination):
    """The API's pages (``?page=``), read the same way as the list pages'."""

    django_paginator_class = DeferredJoinPaginator
