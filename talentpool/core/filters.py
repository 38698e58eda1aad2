"""The filter set every list, export and API filter is built on (django-filter, one per model).

``StyledFilterSet`` gives every field the site's look (Bootstrap, "All" for no choice), renders
model choices as a fast ``<select>`` (core.forms.FastSelect) and scopes them to the user:

- ``restricted_filters``: the names of model-choice filters whose choices are what the user may
  see (``Model.objects.restrict(user)``; declare the filter with ``queryset=Model.objects.none()``);
- ``choice_label_fields``: ``{Model: "column"}`` for models whose label (``__str__``) is one
  column, read with ``values_list`` instead of one model instance per option. Any other model's
  options are labelled by ``str(instance)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import django_filters
from django.db.models import Model
from django.forms import ModelChoiceField
from django.utils.translation import gettext_lazy as _

from .forms import FastSelect, OrderedDateRangeField, ValueChoices, style_fields


class StyledFilterSet(django_filters.FilterSet):
    restricted_filters: ClassVar[tuple[str, ...]] = ()
    choice_label_fields: ClassVar[Mapping[type[Model], str]] = {}

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        self.user = getattr(request, "user", None)
        # before self.form is first built: the form's choices are taken from these querysets
        for name in self.restricted_filters:
            if name in self.filters and self.user is not None:
                model = self.filters[name].queryset.model  # type: ignore[union-attr]
                queryset = model.objects.restrict(self.user)
                if model in self.choice_label_fields:
                    queryset = queryset.only("pk", self.choice_label_fields[model])
                self.filters[name].queryset = queryset
        for field in self.form.fields.values():
            if hasattr(field, "empty_label") and field.empty_label is not None:
                field.empty_label = _("All")
            elif hasattr(field, "choices") and field.choices and next(iter(field.choices))[0] == "":
                field.choices = [("", _("All")), *list(field.choices)[1:]]
        for field in self.form.fields.values():
            if isinstance(field, ModelChoiceField):
                label = self.choice_label_fields.get(field.queryset.model)  # type: ignore[union-attr]
                choices = ValueChoices(field, label) if label else field.choices
                field.widget = FastSelect(attrs=field.widget.attrs, choices=choices)  # type: ignore[arg-type]
        self.style_widgets()

    def style_widgets(self) -> None:
        """Bootstrap classes on every widget; a subclass replacing widgets does so before."""
        style_fields(self.form.fields, small=True)


class DateRangeFilter(django_filters.DateFromToRangeFilter):
    """A date range as two date pickers ("from", "to"; django-filter's ``_after`` and ``_before``
    parameters). A "from" after the "to" is a form error (开始日期晚于结束日期): the list shows
    nothing and says why, instead of a range that quietly matches nothing."""

    field_class = OrderedDateRangeField
