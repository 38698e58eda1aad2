"""Shared form pieces: Bootstrap classes on every widget."""

import html
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters.fields import DateRangeField


def style_fields(fields: Any, *, small: bool = False) -> None:
    size = " form-select-sm" if small else ""
    for field in fields.values():
        widget = field.widget
        if isinstance(widget, forms.NullBooleanSelect):
            # "all / yes / no" reads better in a filter than Django's "unknown / yes / no"
            widget.choices = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]
            widget.attrs.setdefault("class", "form-select" + size)
        elif isinstance(widget, (forms.CheckboxInput,)):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            widget.attrs.setdefault("class", "form-select" + size)
        elif isinstance(widget, forms.MultiWidget):
            for sub in widget.widgets:
                sub.attrs.setdefault("class", "form-control" + (" form-control-sm" if small else ""))
        else:
            widget.attrs.setdefault("class", "form-control" + (" form-control-sm" if small else ""))


class StyledFormMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        style_fields(self.fields)  # type: ignore[attr-defined]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class DateRange(forms.MultiWidget):
    """Two date pickers side by side, "from" and "to" (django-filter's ``_after`` / ``_before``
    names, for DateFromToRangeFilter); its stock widget stacks two text boxes around a dash."""

    template_name = "core/widgets/date_range.html"
    suffixes = ("after", "before")  # read from the class by drf-spectacular for the API's parameters

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"after": DateInput(), "before": DateInput()}, attrs)

    def decompress(self, value: Any) -> list[Any]:
        return [value.start, value.stop] if value else [None, None]


class OrderedDateRangeField(DateRangeField):
    """django-filter's date range, "from" and "to" as two date pickers, refusing a "from" after
    the "to" (the filter's list then shows nothing and the form says why, instead of a range
    that silently matches nothing)."""

    widget = DateRange

    def clean(self, value: Any) -> Any:
        cleaned = super().clean(value)
        if cleaned is not None and cleaned.start and cleaned.stop and cleaned.start > cleaned.stop:
            raise forms.ValidationError(_("The start date is after the end date."), code="reversed")
        return cleaned


class ValueChoices(BaseChoiceIterator):
    """The choices of a ModelChoiceField read as ``(pk, label)`` pairs by ``values_list``, for a
    model whose label is one column: no model instance for each of a district's 430 enterprises.
    Lazy (a BaseChoiceIterator, which widgets do not copy into a list): one query per rendering,
    and the empty label is read then, so it may still be changed after."""

    def __init__(self, field: forms.ModelChoiceField, label: str) -> None:
        self.field, self.label = field, label

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield "", self.field.empty_label
        yield from self.field.queryset.values_list("pk", self.label)


class FastSelect(forms.Select):
    """A <select> rendered in Python. Django renders one template per option, which for the 430
    enterprises of a district was a fifth of a list page's time (bench/bench_pages.py)."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        values = value if isinstance(value, (list, tuple)) else [value]
        selected = {str(v) for v in values if v not in (None, "")}
        parts = [format_html("<select name=\"{}\"{}>", name, flatatt(self.build_attrs(self.attrs, attrs)))]
        for option_value, label in self.choices:
            option = "" if option_value is None else str(option_value)
            flag = " selected" if option in selected else ""
            # the stdlib's escape is several times faster than format_html for hundreds of options
            parts.append(f'<option value="{html.escape(option)}"{flag}>{html.escape(str(label))}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))  # every value and label above was escaped
