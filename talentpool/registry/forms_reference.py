"""Forms of the reference-data pages (系统管理: occupations and their aliases); input validation
only, the rules are in registry.reference. The industry form is forms.IndustryForm."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from talentpool.core.forms import FastSelect, StyledFormMixin

from .choices import OccupationLevel
from .fields import OccupationChoiceField
from .models import Occupation


class MinorGroupField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class OccupationForm(StyledFormMixin, forms.Form):
    parent = MinorGroupField(
        label=_("minor group"), queryset=Occupation.objects.none(), widget=FastSelect,
        help_text=_("The minor group (小类) of the classification the occupation sits under."),
    )
    code = forms.CharField(label=_("code"), max_length=16, help_text=_("As the classification prints it, e.g. "
                                                                       "6-18-01-13."))
    name = forms.CharField(label=_("name"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["parent"]
        field.queryset = Occupation.objects.filter(level=OccupationLevel.SMALL).only("pk", "code", "name")
        field.widget.choices = field.choices


class AliasForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("alias"), max_length=100,
                           help_text=_("The name offices write, e.g. 维修电工 for 电工."))
    occupation = OccupationChoiceField(label=_("occupation"))
