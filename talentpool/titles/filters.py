"""The filter of the titles' list, export and API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from talentpool.registry.filters import StyledFilterSet
from talentpool.registry.models import Industry, Worker
from talentpool.registry.search import search_workers

from .choices import TitleStatus
from .models import Tier, Title


class TitleFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Worker or certificate number"), method="filter_text")
    tier = django_filters.ModelChoiceFilter(label=_("tier"), queryset=Tier.objects.all())
    status = django_filters.ChoiceFilter(label=_("status"), choices=TitleStatus.choices)
    year = django_filters.NumberFilter(label=_("programme year"), min_value=2000, max_value=2199)
    industry = django_filters.ModelChoiceFilter(
        label=_("industry"), queryset=Industry.objects.all(), field_name="worker__current_enterprise__industry"
    )

    choice_label_fields = {**StyledFilterSet.choice_label_fields, Tier: "name"}

    class Meta:
        model = Title
        fields = ["q", "tier", "status", "year", "industry"]

    def filter_text(self, queryset: QuerySet[Title], name: str, value: str) -> QuerySet[Title]:
        text = value.strip()
        workers = search_workers(self.request, Worker.objects.all(), text).values("pk")
        return queryset.filter(Q(certificate_number=text.upper()) | Q(worker__in=workers))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["tier"].queryset = Tier.objects.order_by("order", "code")  # type: ignore[attr-defined]
