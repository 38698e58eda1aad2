"""The filter of a campaign's nominations list and export."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from talentpool.registry.filters import EnterpriseChoiceFilter, StyledFilterSet
from talentpool.registry.models import Enterprise, Industry, Worker
from talentpool.registry.search import search_workers
from talentpool.titles.models import Tier

from .choices import Eligibility, NominationStatus
from .models import Nomination


class NominationFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Nominee"), method="filter_worker")
    tier = django_filters.ModelChoiceFilter(label=_("tier applied for"), queryset=Tier.objects.order_by("order"))
    status = django_filters.ChoiceFilter(label=_("status"), choices=NominationStatus.choices)
    eligibility = django_filters.ChoiceFilter(label=_("qualification"), choices=Eligibility.choices)
    enterprise = EnterpriseChoiceFilter(label=_("enterprise"), queryset=Enterprise.objects.none())
    industry = django_filters.ModelChoiceFilter(label=_("industry"), field_name="enterprise__industry",
                                                queryset=Industry.objects.all())

    class Meta:
        model = Nomination
        fields = ["q", "tier", "status", "eligibility", "enterprise", "industry"]

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        user = self.user
        if user is not None and not (user.is_admin or user.role == "leader"):
            for name in ("enterprise", "industry"):
                self.form.fields.pop(name, None)
                self.filters.pop(name, None)

    def filter_worker(self, queryset: QuerySet[Nomination], name: str, value: str) -> QuerySet[Nomination]:
        return queryset.filter(worker__in=search_workers(self.request, Worker.objects.all(), value).values("pk"))
