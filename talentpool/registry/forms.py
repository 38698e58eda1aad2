"""Input validation for the registry's pages (400 on bad input); services enforce the rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.template.defaultfilters import yesno
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentpool.core.forms import DateInput, StyledFormMixin
from talentpool.rules import masking
from talentpool.rules.dates import DatedEvent, event_date_error
from talentpool.rules.idnumber import InvalidIdNumber, parse_id_number
from talentpool.rules.names import normalise_name
from talentpool.rules.skills import InvalidCertificateNumber, check_certificate_number
from talentpool.rules.skills import SkillLevel as RuleSkillLevel
from talentpool.rules.text import normalise_text
from talentpool.rules.uscc import InvalidUscc, validate_uscc

from .choices import Education, HonourLevel, RetirementCategory, SkillLevel
from .fields import EnterpriseChoiceField, OccupationChoiceField
from .models import Enterprise, Industry, Worker
from .services import WORKER_FIELDS, worker_rule_errors

MASKED_FIELDS = {"id_number": masking.mask_id_number, "phone": masking.mask_phone, "contact_phone": masking.mask_phone}


@dataclass(frozen=True)
class Conflict:
    """A field whose saved value differs from what the second editor submitted (both as shown)."""

    label: str
    yours: str
    saved: str


class VersionedFormMixin:
    """An edit form that carries the version of the record it was opened on (a hidden field).

    When someone saved the record meanwhile (``is_stale``, or the service's EditConflict), the form
    shows each field whose saved value differs from the submitted one (personal data masked),
    keeps every value typed and takes on the saved version, so saving again keeps them knowingly."""

    fields: dict[str, forms.Field]
    data: Any
    initial: dict[str, Any]
    conflicts: list[Conflict]

    def add_version_field(self, version: int) -> None:
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
        self.initial.setdefault("version", version)
        self.conflicts = []

    def saved_values(self, current: Any) -> dict[str, Any]:
        """The field values of ``current`` as the form shows them (personal data masked)."""
        raise NotImplementedError

    def posted_version(self) -> int | None:
        try:
            return int(self.data.get("version", ""))
        except (TypeError, ValueError):
            return None  # a page from before versions existed: the edit is not checked

    def is_stale(self, current: Any) -> bool:
        posted = self.posted_version()
        return posted is not None and posted != current.version

    def _shown(self, name: str, value: Any) -> str:
        field = self.fields[name]
        if value in (None, ""):
            return "—"
        if name in MASKED_FIELDS:
            text = str(value)
            return text if "*" in text else MASKED_FIELDS[name](text)
        if isinstance(field, forms.BooleanField):
            return yesno(value)
        if isinstance(field, forms.ModelChoiceField):
            if isinstance(value, str | int):
                value = field.queryset.filter(pk=value).first() if str(value).isdigit() else None
            return str(value) if value is not None else "—"
        if isinstance(field, forms.ChoiceField):
            return str(dict((str(k), v) for k, v in field.choices).get(str(value), value))
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return str(value)

    def show_conflict(self, current: Any, message: str) -> None:
        saved = self.saved_values(current)
        cleaned = getattr(self, "cleaned_data", {})
        data = self.data.copy()
        self.conflicts = []
        for name, field in self.fields.items():
            if name == "version" or field.disabled:
                continue
            if name in cleaned:
                yours = cleaned[name]
            elif isinstance(field, forms.BooleanField):
                yours = field.widget.value_from_datadict(self.data, {}, name)
            else:
                yours = self.data.get(name, "")
            mine, theirs = self._shown(name, yours), self._shown(name, saved.get(name))
            if mine != theirs:
                self.conflicts.append(Conflict(str(field.label), mine, theirs))
            if name in MASKED_FIELDS and "*" in str(self.data.get(name, "")):
                data[name] = saved.get(name) or ""  # not retyped: the masked saved value, left as it is
        data["version"] = str(current.version)
        self.data = data
        self.add_error(None, message)  # type: ignore[attr-defined]


class EnterpriseForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
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
        if self.instance.pk:
            self.add_version_field(self.instance.version)

    def saved_values(self, current: Any) -> dict[str, Any]:
        values = {name: getattr(current, name) for name in self._meta.fields}
        values["contact_phone"] = current.contact_phone_masked
        return values

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


def _event_date(event: DatedEvent, value: Any) -> Any:
    """``value`` if it may be the date of ``event`` as far as a form knows (not in the future; the
    service checks the worker's birth date), else the rule's message (rules.dates)."""
    if value and (error := event_date_error(event, value, today=timezone.localdate())):
        raise forms.ValidationError(error)
    return value


def worker_initial(worker: Worker) -> dict[str, Any]:
    """The edit form's values for ``worker``; personal data masked (seeing it in full is a reveal,
    which is audited)."""
    initial = {f: getattr(worker, f) for f in WORKER_FIELDS}
    initial.update(id_number=worker.id_number_masked, phone=worker.phone_masked)
    return initial


class WorkerForm(VersionedFormMixin, StyledFormMixin, forms.Form):
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
    occupation = OccupationChoiceField(label=_("occupation"), required=False)  # code, name or alias too

    def __init__(self, *args: Any, worker: Worker | None = None, **kwargs: Any) -> None:
        if worker is not None:
            kwargs["initial"] = worker_initial(worker)
        super().__init__(*args, **kwargs)
        self.worker = worker
        if worker is not None:
            self.add_version_field(worker.version)

    def saved_values(self, current: Any) -> dict[str, Any]:
        return worker_initial(current)

    def clean_name(self) -> str:
        name = normalise_name(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Enter the name."))
        return name

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
        return _event_date(DatedEvent.WORK_START, self.cleaned_data["work_start_date"])

    def clean(self) -> dict[str, Any]:
        """The rules of the record across fields (services.worker_rule_errors), on their fields."""
        cleaned = super().clean()
        checked = {"id_number", "retirement_category", "work_start_date", "employment_start"}
        values = {key: value for key, value in cleaned.items() if key in checked}
        for key, message in worker_rule_errors(values, self.worker).items():
            self.add_error(key, message)
        return cleaned


class NewWorkerForm(WorkerForm):
    enterprise = EnterpriseChoiceField(label=_("enterprise"))
    employment_start = forms.DateField(label=_("employed since"), widget=DateInput())
    position = forms.CharField(label=_("post"), required=False, max_length=64)

    def __init__(self, *args: Any, enterprises: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if enterprises is not None:
            self.fields["enterprise"].queryset = enterprises
            if enterprises.count() == 1:
                self.fields["enterprise"].initial = enterprises.first()


class ChangeEmployerForm(StyledFormMixin, forms.Form):
    enterprise = EnterpriseChoiceField(label=_("new enterprise"))
    start_date = forms.DateField(label=_("employed since"), widget=DateInput())
    position = forms.CharField(label=_("post"), required=False, max_length=64)

    def __init__(self, *args: Any, enterprises: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises if enterprises is not None else Enterprise.objects.none()

    def clean_start_date(self) -> Any:
        return _event_date(DatedEvent.EMPLOYMENT_START, self.cleaned_data["start_date"])


class LeaveForm(StyledFormMixin, forms.Form):
    end_date = forms.DateField(label=_("last day of employment"), widget=DateInput())

    def clean_end_date(self) -> Any:
        return _event_date(DatedEvent.EMPLOYMENT_END, self.cleaned_data["end_date"])


class CertificateForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=_("certificate number"), max_length=40)
    level = forms.TypedChoiceField(label=_("skill level"), choices=SkillLevel.choices, coerce=int)
    occupation_name = forms.CharField(label=_("occupation (as printed)"), max_length=100, required=False)
    issuer = forms.CharField(label=_("issuing body"), max_length=100, required=False)
    issued_on = forms.DateField(label=_("issued on"), widget=DateInput())
    # Shown (a checkbox) once the number drew a warning: saving it as it is is then a choice.
    keep_number = forms.BooleanField(
        label=_("The number is right: save it as it is"), required=False, widget=forms.HiddenInput
    )

    def clean_number(self) -> str:
        try:
            return check_certificate_number(self.cleaned_data["number"]).number
        except InvalidCertificateNumber as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self) -> dict[str, Any]:
        """A doubtful number (rules.skills.check_certificate_number: not a known format, or its
        level digit not the level chosen) is not saved until the user has read why and ticked
        ``keep_number``; the warning is the number's error text, on a phone too."""
        data = super().clean() or {}
        keep = data.pop("keep_number", False)
        number, level = data.get("number"), data.get("level")
        if number and level is not None and not keep:
            warnings = check_certificate_number(number, RuleSkillLevel(level)).warnings
            if warnings:
                self.fields["keep_number"].widget = forms.CheckboxInput(attrs={"class": "form-check-input"})
                self.add_error("number", _(
                    "%(warnings)s. Check the number against the certificate; if it is right, tick "
                    "“The number is right: save it as it is” and save again."
                ) % {"warnings": "；".join(warnings)})
        return data

    def clean_issued_on(self) -> Any:
        return _event_date(DatedEvent.CERTIFICATE_ISSUED, self.cleaned_data["issued_on"])


class HonourForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("honour"), max_length=100, widget=forms.TextInput(attrs={"list": "honour-names"}))
    level = forms.ChoiceField(label=_("level"), choices=HonourLevel.choices)
    awarded_on = forms.DateField(label=_("awarded on"), widget=DateInput())
    issuer = forms.CharField(label=_("awarded by"), max_length=100, required=False)

    def clean_name(self) -> str:
        return normalise_text(self.cleaned_data["name"])

    def clean_awarded_on(self) -> Any:
        return _event_date(DatedEvent.HONOUR_AWARDED, self.cleaned_data["awarded_on"])


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
