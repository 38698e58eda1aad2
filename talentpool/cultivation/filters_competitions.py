"""Filters of the competitions lists, exports and API alike (django-filter via core.filters)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from talentpool.core.filters import StyledFilterSet
from talentpool.registry.filters import EnterpriseChoiceFilter
from talentpool.registry.filters import StyledFilterSet as RegistryFilterSet
from talentpool.registry.models import Enterprise

from .choices import Award, CompetitionClass, PromotionStatus, RecordLevel
from .models import Competition, CompetitionEvent, Entry, PromotionProposal


def _year(field_name: str) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(label=_("year"), field_name=field_name, min_value=1949, max_value=2199)


class CompetitionFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    year = _year("year")
    level = django_filters.ChoiceFilter(label=_("level"), choices=RecordLevel.choices)
    competition_class = django_filters.ChoiceFilter(label=_("competition class"), choices=CompetitionClass.choices)

    class Meta:
        model = Competition
        fields = ["q", "year", "level", "competition_class"]

    def filter_q(self, queryset: QuerySet[Competition], name: str, value: str) -> QuerySet[Competition]:
        return queryset.filter(Q(name__icontains=value) | Q(organiser__icontains=value))


class CompetitionEventFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    competition = django_filters.NumberFilter(label=_("competition"), field_name="competition_id")
    year = _year("competition__year")
    level = django_filters.ChoiceFilter(label=_("level"), field_name="competition__level", choices=RecordLevel.choices)

    class Meta:
        model = CompetitionEvent
        fields = ["q", "competition", "year", "level"]

    def filter_q(self, queryset: QuerySet[CompetitionEvent], name: str, value: str) -> QuerySet[CompetitionEvent]:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class EntryFilter(RegistryFilterSet):
    q = django_filters.CharFilter(label=_("Event or competition"), method="filter_q")
    year = _year("event__competition__year")
    level = django_filters.ChoiceFilter(
        label=_("level"), field_name="event__competition__level", choices=RecordLevel.choices
    )
    award = django_filters.ChoiceFilter(label=_("award"), choices=Award.choices)
    enterprise = EnterpriseChoiceFilter(label=_("enterprise"), queryset=Enterprise.objects.none())

    class Meta:
        model = Entry
        fields = ["q", "year", "level", "award", "enterprise"]

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        user = self.user
        if user is not None and not (user.is_admin or user.role == "leader"):
            self.form.fields.pop("enterprise", None)  # an operator's or worker's list is one enterprise's
            self.filters.pop("enterprise", None)

    def filter_q(self, queryset: QuerySet[Entry], name: str, value: str) -> QuerySet[Entry]:
        return queryset.filter(
            Q(event__code__icontains=value)
            | Q(event__name__icontains=value)
            | Q(event__competition__name__icontains=value)
        )


class ProposalFilter(StyledFilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=PromotionStatus.choices)
    year = _year("year")

    class Meta:
        model = PromotionProposal
        fields = ["status", "year"]
