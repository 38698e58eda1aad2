"""The filter of the innovations' list, export and API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from talentpool.registry.filters import EnterpriseChoiceFilter, StyledFilterSet
from talentpool.registry.models import Enterprise, Worker
from talentpool.registry.search import search_workers

from .choices import InnovationKind, InnovationStatus, RecordLevel
from .models import Innovation, InnovationMember


class InnovationFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Title or team member"), method="filter_text")
    year = django_filters.NumberFilter(
        label=_("year submitted"), field_name="submitted_on", lookup_expr="year", min_value=1900, max_value=2199
    )
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=InnovationKind.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=InnovationStatus.choices)
    commendation_level = django_filters.ChoiceFilter(label=_("commendation level"), choices=RecordLevel.choices)
    commendation_year = django_filters.NumberFilter(label=_("commendation year"), min_value=1900, max_value=2199)
    is_adopted = django_filters.BooleanFilter(label=_("adopted"))
    enterprise = EnterpriseChoiceFilter(label=_("enterprise"), queryset=Enterprise.objects.none())

    class Meta:
        model = Innovation
        fields = ["q", "year", "kind", "status", "commendation_level", "commendation_year", "is_adopted", "enterprise"]

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        user = self.user
        if user is not None and not (user.is_admin or user.role == "leader"):
            self.form.fields.pop("enterprise", None)  # an operator's or worker's list is one enterprise's
            self.filters.pop("enterprise", None)

    def filter_text(self, queryset: QuerySet[Innovation], name: str, value: str) -> QuerySet[Innovation]:
        found = search_workers(self.request, Worker.objects.all(), value).values("pk")
        teams = InnovationMember.objects.filter(worker__in=found).values("innovation_id")
        return queryset.filter(Q(title__icontains=value.strip()) | Q(pk__in=teams))
