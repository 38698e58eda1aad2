"""Filters of the training lists, pages, exports and API alike (django-filter via core.filters)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from talentpool.core.filters import DateRangeFilter, StyledFilterSet
from talentpool.registry.choices import SkillLevel
from talentpool.registry.models import Enterprise

from .choices import ClassMode, ClassStatus, EnrolmentResult, EnrolmentStatus
from .models import Course, Enrolment, TrainingClass


class CourseFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    target_level = django_filters.ChoiceFilter(label=_("target level"), choices=SkillLevel.choices)
    is_active = django_filters.BooleanFilter(label=_("in the catalogue"))

    class Meta:
        model = Course
        fields = ["q", "target_level", "is_active"]

    def filter_q(self, queryset: QuerySet[Course], name: str, value: str) -> QuerySet[Course]:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class TrainingClassFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    mode = django_filters.ChoiceFilter(label=_("training mode"), choices=ClassMode.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=ClassStatus.choices)
    course = django_filters.ModelChoiceFilter(label=_("course"), queryset=Course.objects.none())
    enterprise = django_filters.ModelChoiceFilter(
        label=_("enterprise"), queryset=Enterprise.objects.none(), method="filter_enterprise"
    )
    year = django_filters.NumberFilter(label=_("year"), field_name="start_date__year", min_value=1900, max_value=2999)
    start_date = DateRangeFilter(label=_("start date"))

    restricted_filters = ("course", "enterprise")
    choice_label_fields = {Enterprise: "name"}

    class Meta:
        model = TrainingClass
        fields = ["q", "mode", "status", "course", "enterprise", "year"]

    def filter_q(self, queryset: QuerySet[TrainingClass], name: str, value: str) -> QuerySet[TrainingClass]:
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))

    def filter_enterprise(self, queryset: QuerySet[TrainingClass], name: str, value: Any) -> QuerySet[TrainingClass]:
        if value is None:
            return queryset
        return queryset.filter(Q(ordered_by=value) | Q(enterprises=value) | Q(enrolments__enterprise=value)).distinct()


class EnrolmentFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Class"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("status"), choices=EnrolmentStatus.choices)
    result = django_filters.ChoiceFilter(label=_("result"), choices=EnrolmentResult.choices)
    enterprise = django_filters.ModelChoiceFilter(label=_("enterprise"), queryset=Enterprise.objects.none())
    levelled_up = django_filters.BooleanFilter(
        label=_("level raised"), field_name="level_up_certificate", lookup_expr="isnull", exclude=True
    )

    restricted_filters = ("enterprise",)
    choice_label_fields = {Enterprise: "name"}

    class Meta:
        model = Enrolment
        fields = ["q", "status", "result", "enterprise", "levelled_up"]

    def filter_q(self, queryset: QuerySet[Enrolment], name: str, value: str) -> QuerySet[Enrolment]:
        return queryset.filter(Q(training_class__code__icontains=value) | Q(training_class__name__icontains=value))
