"""The filter of the studios' list, export and API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from talentpool.registry.filters import EnterpriseChoiceFilter, StyledFilterSet
from talentpool.registry.models import Enterprise, Worker
from talentpool.registry.search import search_workers

from .choices import RecordLevel
from .models import Studio

OPEN, CLOSED = "open", "closed"


class StudioFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Studio or leader"), method="filter_text")
    level = django_filters.ChoiceFilter(label=_("level"), choices=RecordLevel.choices)
    is_demonstration = django_filters.BooleanFilter(label=_("demonstration studio (示范性)"))
    enterprise = EnterpriseChoiceFilter(label=_("enterprise"), queryset=Enterprise.objects.none())
    founded_year = django_filters.NumberFilter(label=_("founding year"), min_value=1900, max_value=2199)
    founded_from = django_filters.NumberFilter(
        label=_("founded from"), field_name="founded_year", lookup_expr="gte", min_value=1900, max_value=2199
    )
    founded_to = django_filters.NumberFilter(
        label=_("founded until"), field_name="founded_year", lookup_expr="lte", min_value=1900, max_value=2199
    )
    state = django_filters.ChoiceFilter(
        label=_("open or closed"),
        choices=[(OPEN, _("In operation")), (CLOSED, _("Closed down"))],
        method="filter_state",
    )

    class Meta:
        model = Studio
        fields = ["q", "level", "is_demonstration", "enterprise", "founded_year", "state"]

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        user = self.user
        if user is not None and not (user.is_admin or user.role == "leader"):
            self.form.fields.pop("enterprise", None)  # an operator's list is one enterprise's
            self.filters.pop("enterprise", None)

    def filter_text(self, queryset: QuerySet[Studio], name: str, value: str) -> QuerySet[Studio]:
        leaders = search_workers(self.request, Worker.objects.all(), value).values("pk")
        return queryset.filter(Q(name__icontains=value.strip()) | Q(leader__in=leaders))

    def filter_state(self, queryset: QuerySet[Studio], name: str, value: str) -> QuerySet[Studio]:
        if value == OPEN:
            return queryset.filter(closed_year__isnull=True)
        if value == CLOSED:
            return queryset.filter(closed_year__isnull=False)
        return queryset
