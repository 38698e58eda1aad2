"""One FilterSet per model, shared by list pages, exports and the API (NetBox)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.forms import TextInput
from django.utils.translation import gettext_lazy as _

from talentpool.core.filters import DateRangeFilter
from talentpool.core.filters import StyledFilterSet as CoreStyledFilterSet
from talentpool.core.widgets import TypeaheadSelect

from .choices import Education, HonourLevel, Ownership, Sex, SkillLevel
from .fields import EnterpriseChoiceField
from .models import Certificate, Enterprise, Honour, Industry, Worker
from .search import MaskedTermInput, is_token, search_workers, shown_terms


class EnterpriseChoiceFilter(django_filters.ModelChoiceFilter):
    """An enterprise, picked by type-ahead (StyledFilterSet.style_widgets): the field takes the
    record number the picker sends, or a name or credit code typed without JavaScript."""

    field_class = EnterpriseChoiceField


class StyledFilterSet(CoreStyledFilterSet):
    """The registry's filter sets: enterprise choices scoped to the user, enterprises and
    industries labelled by name, and search boxes that show a token's masked text (search.py)."""

    restricted_filters = ("enterprise", "current_enterprise")
    choice_label_fields = {Enterprise: "name", Industry: "name"}

    def style_widgets(self) -> None:
        for field in self.form.fields.values():
            if isinstance(field, EnterpriseChoiceField):  # not the <select> of 430 the core set gave it
                field.widget = TypeaheadSelect("registry:enterprise_search",
                                               placeholder=_("All: type a name, pinyin or initials"))
                field.widget.choices = field.choices
        # a box holding a token (search.py) shows the masked text it stands for, never the token
        data = self.data
        tokens = hasattr(data, "getlist") and any(is_token(v) for key in data for v in data.getlist(key))
        shown = shown_terms(self.request) if tokens else {}
        for field in self.form.fields.values():
            if type(field.widget) is TextInput:
                field.widget = MaskedTermInput(field.widget.attrs, shown=shown)
        super().style_widgets()


class WorkerFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    current_enterprise = EnterpriseChoiceFilter(label=_("enterprise"), queryset=Enterprise.objects.none())
    industry = django_filters.ModelChoiceFilter(
        label=_("industry"), queryset=Industry.objects.all(), field_name="current_enterprise__industry"
    )
    skill_level = django_filters.ChoiceFilter(label=_("skill level"), choices=SkillLevel.choices)
    min_level = django_filters.ChoiceFilter(
        label=_("level at least"), choices=SkillLevel.choices, field_name="skill_level", lookup_expr="gte"
    )
    sex = django_filters.ChoiceFilter(label=_("sex"), choices=Sex.choices)
    education = django_filters.ChoiceFilter(label=_("education"), choices=Education.choices)
    is_frontline = django_filters.BooleanFilter(label=_("front-line worker"))
    ownership = django_filters.ChoiceFilter(
        label=_("ownership"), choices=Ownership.choices, field_name="current_enterprise__ownership"
    )

    class Meta:
        model = Worker
        fields = [
            "q",
            "current_enterprise",
            "industry",
            "skill_level",
            "min_level",
            "sex",
            "education",
            "is_frontline",
            "ownership",
        ]

    def filter_q(self, queryset: QuerySet[Worker], name: str, value: str) -> QuerySet[Worker]:
        return search_workers(self.request, queryset, value)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.attrs["placeholder"] = _("Name, pinyin, initials or ID number")
        self.form.fields["q"].widget.attrs["autocomplete"] = "off"


class EnterpriseFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    industry = django_filters.ModelChoiceFilter(label=_("industry"), queryset=Industry.objects.all())
    ownership = django_filters.ChoiceFilter(label=_("ownership"), choices=Ownership.choices)
    is_above_scale = django_filters.BooleanFilter(label=_("above designated size"))
    town = django_filters.CharFilter(label=_("town or street"), lookup_expr="icontains")

    class Meta:
        model = Enterprise
        fields = ["q", "industry", "ownership", "is_above_scale", "town"]

    def filter_q(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        if is_token(value):  # a personal number (search.py): no enterprise name or credit code holds one
            return queryset.none()
        return queryset.search(value)  # type: ignore[attr-defined,no-any-return]


class CertificateFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Worker"), method="filter_worker")
    number = django_filters.CharFilter(label=_("certificate number"), lookup_expr="icontains")
    level = django_filters.ChoiceFilter(label=_("skill level"), choices=SkillLevel.choices)
    enterprise = EnterpriseChoiceFilter(
        label=_("enterprise"), queryset=Enterprise.objects.none(), field_name="worker__current_enterprise"
    )
    issued_on = DateRangeFilter(label=_("issued on"))  # a reversed range is a form error

    class Meta:
        model = Certificate
        fields = ["q", "number", "level", "enterprise"]

    def filter_worker(self, queryset: QuerySet[Certificate], name: str, value: str) -> QuerySet[Certificate]:
        return queryset.filter(worker__in=search_workers(self.request, Worker.objects.all(), value).values("pk"))


class HonourFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Worker"), method="filter_worker")
    name = django_filters.CharFilter(label=_("honour"), lookup_expr="icontains")
    level = django_filters.ChoiceFilter(label=_("level"), choices=HonourLevel.choices)
    enterprise = EnterpriseChoiceFilter(
        label=_("enterprise"), queryset=Enterprise.objects.none(), field_name="worker__current_enterprise"
    )

    class Meta:
        model = Honour
        fields = ["q", "name", "level", "enterprise"]

    def filter_worker(self, queryset: QuerySet[Honour], name: str, value: str) -> QuerySet[Honour]:
        return queryset.filter(worker__in=search_workers(self.request, Worker.objects.all(), value).values("pk"))
