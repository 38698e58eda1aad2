"""Fields choosing an occupation or an enterprise by what people write, for the pages and the API.

The pages use the type-ahead picker (core.widgets.TypeaheadSelect): with JavaScript it sends the
record's number; without, the text typed. So these fields take either. An occupation is resolved
by registry.occupations.resolve_occupation (code, name, alias); an enterprise by its exact name or
credit code, among the enterprises the field offers (its queryset, scoped to the user).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from talentpool.core.api import MAX_KEY, StrictPrimaryKeyRelatedField
from talentpool.core.widgets import TypeaheadSelect
from talentpool.rules.text import normalise_code, normalise_text

from .models import Enterprise, Occupation
from .occupations import choosable, resolve_occupation

SUGGESTED_ENTERPRISES = 3


def _offered(field: forms.ModelChoiceField) -> QuerySet[Any]:
    assert field.queryset is not None
    return field.queryset


def _record_number(text: str) -> int | None:
    """The record number a picker sent (digits only), else None."""
    if text.isascii() and text.isdigit() and len(text) < 19:
        number = int(text)
        return number if 0 < number <= MAX_KEY else -1
    return None


class PickedChoiceField(forms.ModelChoiceField):
    """A record of the field's queryset by the number the type-ahead picker sends, or by what the
    user typed without JavaScript (``find``: the record the text names, or ValueError saying why
    not, in Chinese)."""

    def find(self, text: str) -> Model:
        raise NotImplementedError

    def to_python(self, value: Any) -> Model | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Model):
            return value
        text = str(value).strip()
        number = _record_number(text)
        if number is not None:
            found = _offered(self).filter(pk=number).first() if number > 0 else None
            if found is None:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            return found  # type: ignore[no-any-return]
        try:
            return self.find(text)
        except ValueError as exc:
            # The message quotes the typed text: as a parameter, so a "%" in it is never read as a
            # placeholder by whoever formats the error again (django-filter's API errors do).
            raise forms.ValidationError("%(message)s", code="invalid_choice", params={"message": str(exc)}) from exc


class OccupationChoiceField(PickedChoiceField):
    """An occupation by record number (the picker), code, name or alias (typed)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", choosable().only("pk", "code", "name", "level"))
        kwargs.setdefault("widget", TypeaheadSelect("registry:occupation_search",
                                                    placeholder=gettext_lazy("Name, code, pinyin or initials")))
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Model) -> str:
        return str(obj)  # "6-18-01-01 车工": resolve_occupation reads it back

    def find(self, text: str) -> Occupation:
        return resolve_occupation(text)


def find_enterprise(queryset: QuerySet[Enterprise], text: str) -> Enterprise:
    """The enterprise of ``queryset`` whose name or credit code ``text`` is; ValueError (Chinese)
    naming a few of ``queryset``'s enterprises whose names contain it, if none is."""
    name = normalise_text(text)
    code = normalise_code(text)
    found = queryset.filter(name=name).first() or queryset.filter(uscc=code).first()
    if found is not None:
        return found
    compact = name.replace(" ", "")
    close = list(queryset.filter(name__contains=compact).order_by("name_sort").values_list("name", flat=True)
                 [:SUGGESTED_ENTERPRISES]) if compact else []
    if close:
        raise ValueError(_("No enterprise is called “%(text)s”. Did you mean: %(names)s?")
                         % {"text": name, "names": "、".join(close)})
    raise ValueError(_("No enterprise you may choose has the name or credit code “%(text)s”.") % {"text": name})


class EnterpriseChoiceField(PickedChoiceField):
    """An enterprise of the field's queryset by record number (the picker), name or credit code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Enterprise.objects.none())
        kwargs.setdefault("widget", TypeaheadSelect("registry:enterprise_search",
                                                    placeholder=gettext_lazy("Name, pinyin, initials or credit code")))
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Model) -> str:
        return obj.name  # type: ignore[attr-defined,no-any-return]

    def find(self, text: str) -> Enterprise:
        return find_enterprise(_offered(self), text)


class OccupationRelatedField(StrictPrimaryKeyRelatedField):
    """An occupation in the API: its record number, or a code, name or alias as offices write it
    (``"6-18-01-01"``, ``"车工"``, ``"维修电工"``)."""

    default_error_messages = {
        "incorrect_type": gettext_lazy("Enter the occupation's record number, code or name."),
    }

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and not (data.isascii() and data.isdigit()):
            try:
                occupation = resolve_occupation(data)
            except ValueError as exc:
                raise serializers.ValidationError(str(exc)) from exc
            return occupation
        return super().to_internal_value(data)
