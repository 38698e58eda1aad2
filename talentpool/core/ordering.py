"""Sorting by a choice field's order of choices, not by the stored text.

``education`` stores ``junior``, ``senior``, ``college``, ``bachelor``, ``postgraduate``: sorted as
text, a bachelor comes before a junior-college graduate. The choices are declared in their order
(lowest first), and that order is the rank: one ``Case`` expression, used by a table's
``order_<column>`` method (django-tables2), so the list page, its export and the API sort alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.db.models.enums import Choices
from django.db.models.expressions import OrderBy


def choice_rank(field: str, choices: type[Choices], *, highest_first: bool = False) -> Case:
    """The rank of ``field``'s value in ``choices`` (0 for the first), NULL for a value that is no
    choice (blank). ``highest_first``: the choices are declared from the highest down (so that the
    rank still grows with the level)."""
    values = list(choices.values)
    if highest_first:
        values.reverse()
    return Case(
        *(When(**{field: value}, then=Value(rank)) for rank, value in enumerate(values)),
        default=None,
        output_field=IntegerField(),
    )


def by_choice_order(field: str, choices: type[Choices], descending: bool, *, highest_first: bool = False) -> OrderBy:
    """An ordering term: ``field`` by its rank in ``choices``, blanks last either way."""
    rank = choice_rank(field, choices, highest_first=highest_first)
    return rank.desc(nulls_last=True) if descending else rank.asc(nulls_last=True)


def order_by_choices(
    queryset: QuerySet[Any],
    field: str,
    choices: type[Choices],
    descending: bool,
    *,
    then: Sequence[str] = (),
    highest_first: bool = False,
) -> tuple[QuerySet[Any], bool]:
    """For a table's ``order_<column>(queryset, is_descending)``: ``queryset`` ordered by ``field``'s
    rank in ``choices``, then by ``then`` (the list's own order), and True (ordered)."""
    term = by_choice_order(field, choices, descending, highest_first=highest_first)
    return queryset.order_by(term, *then), True
