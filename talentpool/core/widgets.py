"""A searchable picker for a choice among hundreds (an enterprise of the district, an occupation of
the classification) instead of a long ``<select>``.

``TypeaheadSelect`` renders a text box named like the field. Without JavaScript the user types the
record's name (or code) and the form field resolves it (the field's ``to_python`` must accept text
as well as a record's number). With static/talentpool/typeahead.js the box becomes a combobox:
typing fetches ``source?q=…`` (a JSON view answering ``{"results": [{"id", "value", "label",
"hint"}]}``, at most 20), the arrows move through the list, Enter picks, Escape closes; the record's
number then travels in a hidden input of the field's name and the box only shows the label. The
script is a static file: the Content-Security-Policy allows no inline script.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class TypeaheadSelect(forms.Widget):
    """The picker for a ModelChoiceField: ``source`` is the URL name (or URL) of its JSON search.

    The field sets ``choices`` (its ModelChoiceIterator) on the widget, as for a ``<select>``; the
    widget reads one record from it, the one selected, to show its label (never every choice)."""

    template_name = "core/widgets/typeahead.html"

    def __init__(
        self, source: str, attrs: dict[str, Any] | None = None, *, placeholder: str | Any = None,
    ) -> None:
        super().__init__(attrs)
        self.source = source
        self.placeholder = placeholder if placeholder is not None else _("Type a name, pinyin or initials")
        self.choices: Any = ()

    def source_url(self) -> str:
        return self.source if self.source.startswith("/") else reverse(self.source)

    def selected(self, value: Any) -> tuple[str, str]:
        """``(label, number)`` of the record ``value`` names; text that names none is shown as typed."""
        if value in (None, ""):
            return "", ""
        if isinstance(value, (list, tuple)):
            value = value[0] if value else ""
        if isinstance(value, Model):
            return self._label(value), str(value.pk)
        text = str(value)
        queryset = getattr(self.choices, "queryset", None)
        if queryset is not None and text.isascii() and text.isdigit() and len(text) < 19:
            record = queryset.filter(pk=int(text)).first()
            if record is not None:
                return self._label(record), str(record.pk)
        return text, ""

    def _label(self, record: Model) -> str:
        field = getattr(self.choices, "field", None)
        return str(field.label_from_instance(record)) if field is not None else str(record)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        label, number = self.selected(value)
        widget = context["widget"]
        widget["attrs"].setdefault("placeholder", self.placeholder)
        widget.update(
            label=label,
            number=number,
            source=self.source_url(),
            listbox_id=f"{widget['attrs'].get('id') or name}-options",
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data

    def format_value(self, value: Any) -> Any:
        return value
