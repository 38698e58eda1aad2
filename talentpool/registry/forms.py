"""Input validation for the registry's pages (400 on bad input); services enforce the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentpool.core.forms import DateInput, StyledFormMixin
from talentpool.rules import masking
from talentpool.rules.idnumber import InvalidIdNumber, parse_id_number
from talentpool.rules.skills import InvalidCertificateNumber, check_certificate_number
from talentpool.rules.text import normalise_text
from talentpool.rules.uscc import InvalidUscc, validate_uscc

from .choices import Education, HonourLevel, RetirementCategory, SkillLevel
from .models import Enterprise, Industry, Occupation


class EnterpriseForm(StyledFormMixin, forms.ModelForm):
    contact_phone = forms.CharField(label=_("contact phone"), required=False)

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "uscc",
            "industry",
            "ownership",
            "is_above_scale",
            "town",
            "address",
            "contact_name",
            "contact_phone",
        ]

    def __init__(self, *args: Any, operator: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.contact_phone:  # seeing it in full is an audited reveal
            self.initial["contact_phone"] = self.instance.contact_phone_masked
        if operator:  # operators keep contacts current; identity is the admins'
            for name in ["name", "uscc", "industry", "ownership", "is_above_scale", "town"]:
                self.fields[name].disabled = True

    def clean_name(self) -> str:
        return normalise_text(self.cleaned_data["name"])

    def clean_uscc(self) -> str:
        try:
            return validate_uscc(self.cleaned_data["uscc"])
        except InvalidUscc as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data["contact_phone"].strip()
        if not value:
            return ""
        if self.initial.get("contact_phone") and "contact_phone" not in self.changed_data:
            return str(self.instance.contact_phone)  # masked on the form and left as it was
        try:
            return masking.validate_phone(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class WorkerForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("name"), max_length=32)
    id_number = forms.CharField(
        label=_("ID number"), max_length=24, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label=_("phone"), required=False, max_length=24, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    education = forms.ChoiceField(label=_("education"), choices=[("", "—"), *Education.choices], required=False)
    retirement_category = forms.ChoiceField(
        label=_("retirement category"),
        choices=RetirementCategory.choices,
        help_text=_("Recorded per person: sex alone does not decide it."),
    )
    actual_retirement_date = forms.DateField(label=_("actual retirement date"), required=False, widget=DateInput())
    is_frontline = forms.BooleanField(label=_("front-line worker"), required=False, initial=True)
    work_start_date = forms.DateField(label=_("started work"), required=False, widget=DateInput())
    skill_level = forms.TypedChoiceField(
        label=_("skill level"), choices=[("", "—"), *SkillLevel.choices], coerce=int, empty_value=None, required=False
    )
    occupation = forms.ModelChoiceField(label=_("occupation"), queryset=Occupation.objects.all(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occupation"].queryset = Occupation.objects.filter(level__gte=2).only("code", "name")

    def clean_name(self) -> str:
        return normalise_text(self.cleaned_data["name"])

    def clean_id_number(self) -> str:
        if self.initial.get("id_number") and "id_number" not in self.changed_data:
            return str(self.initial["id_number"])  # the masked number of the edit form, left as it was
        try:
            return parse_id_number(self.cleaned_data["id_number"]).number
        except InvalidIdNumber as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        if self.initial.get("phone") and "phone" not in self.changed_data:
            return value  # the masked phone of the edit form, left as it was
        try:
            return masking.validate_phone(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_work_start_date(self) -> Any:
        value = self.cleaned_data["work_start_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return value


class NewWorkerForm(WorkerForm):
    enterprise = forms.ModelChoiceField(label=_("enterprise"), queryset=Enterprise.objects.none())
    employment_start = forms.DateField(label=_("employed since"), widget=DateInput())
    position = forms.CharField(label=_("post"), required=False, max_length=64)

    def __init__(self, *args: Any, enterprises: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if enterprises is not None:
            self.fields["enterprise"].queryset = enterprises
            if enterprises.count() == 1:
                self.fields["enterprise"].initial = enterprises.first()


class ChangeEmployerForm(StyledFormMixin, forms.Form):
    enterprise = forms.ModelChoiceField(label=_("new enterprise"), queryset=Enterprise.objects.none())
    start_date = forms.DateField(label=_("employed since"), widget=DateInput())
    position = forms.CharField(label=_("post"), required=False, max_length=64)

    def __init__(self, *args: Any, enterprises: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises if enterprises is not None else Enterprise.objects.none()


class LeaveForm(StyledFormMixin, forms.Form):
    end_date = forms.DateField(label=_("last day of employment"), widget=DateInput())

    def clean_end_date(self) -> Any:
        value = self.cleaned_data["end_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return value


class CertificateForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=_("certificate number"), max_length=40)
    level = forms.TypedChoiceField(label=_("skill level"), choices=SkillLevel.choices, coerce=int)
    occupation_name = forms.CharField(label=_("occupation (as printed)"), max_length=100, required=False)
    issuer = forms.CharField(label=_("issuing body"), max_length=100, required=False)
    issued_on = forms.DateField(label=_("issued on"), widget=DateInput())

    def clean_number(self) -> str:
        try:
            return check_certificate_number(self.cleaned_data["number"]).number
        except InvalidCertificateNumber as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_issued_on(self) -> Any:
        value = self.cleaned_data["issued_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return value


class HonourForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("honour"), max_length=100, widget=forms.TextInput(attrs={"list": "honour-names"}))
    level = forms.ChoiceField(label=_("level"), choices=HonourLevel.choices)
    awarded_on = forms.DateField(label=_("awarded on"), widget=DateInput())
    issuer = forms.CharField(label=_("awarded by"), max_length=100, required=False)

    def clean_name(self) -> str:
        return normalise_text(self.cleaned_data["name"])


class IndustryForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Industry
        fields = ["name", "is_heritage", "sort_order"]


HONOUR_SUGGESTIONS = [
    "全国劳动模范",
    "省劳动模范",
    "全国五一劳动奖章",
    "省五一劳动奖章",
    "市五一劳动奖章",
    "全国技术能手",
    "省技术能手",
    "市技术能手",
    "南浔工匠",
    "浙江工匠",
    "湖州工匠",
    "首席技师",
]
