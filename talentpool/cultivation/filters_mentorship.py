"""The filter of the pairs' list, export and API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from talentpool.core.filters import DateRangeFilter
from talentpool.registry.filters import EnterpriseChoiceFilter, StyledFilterSet
from talentpool.registry.models import Enterprise, Worker
from talentpool.registry.search import search_workers

from .choices import MentorshipStatus
from .models import Mentorship


class MentorshipFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Master or apprentice"), method="filter_worker")
    status = django_filters.ChoiceFilter(label=_("status"), choices=MentorshipStatus.choices)
    is_famous_master = django_filters.BooleanFilter(label=_("famous master (名师带徒)"))
    enterprise = EnterpriseChoiceFilter(label=_("enterprise"), queryset=Enterprise.objects.none())
    start_year = django_filters.NumberFilter(
        label=_("start year"), field_name="start_date", lookup_expr="year", min_value=1900, max_value=2199
    )
    start_date = DateRangeFilter(label=_("start date"))

    class Meta:
        model = Mentorship
        fields = ["q", "status", "is_famous_master", "enterprise", "start_year"]

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        user = self.user
        if user is not None and not (user.is_admin or user.role == "leader"):
            self.form.fields.pop("enterprise", None)  # an operator's or worker's list is one enterprise's
            self.filters.pop("enterprise", None)

    def filter_worker(self, queryset: QuerySet[Mentorship], name: str, value: str) -> QuerySet[Mentorship]:
        found = search_workers(self.request, Worker.objects.all(), value).values("pk")
        return queryset.filter(Q(master__in=found) | Q(apprentice__in=found))
