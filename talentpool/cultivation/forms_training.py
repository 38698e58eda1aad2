"""Input validation of the training pages (400 on bad input); services_training enforces the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from talentpool.core.forms import DateInput, StyledFormMixin
from talentpool.registry.choices import SkillLevel
from talentpool.registry.fields import EnterpriseChoiceField, OccupationChoiceField
from talentpool.registry.models import Enterprise
from talentpool.rules.dates import DatedEvent, event_date_error
from talentpool.rules.skills import InvalidCertificateNumber, check_certificate_number
from talentpool.rules.text import normalise_code, normalise_text

from .choices import AttendanceStatus, ClassMode, EnrolmentResult
from .models import Course
from .services_training import ClassData, CourseData, LevelUpData, ResultData, SessionData

OCCUPATION_SLOTS = 3


class CourseForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("course code"), max_length=20)
    name = forms.CharField(label=_("course name"), max_length=100)
    target_level = forms.TypedChoiceField(label=_("target level"), choices=SkillLevel.choices, coerce=int)
    hours = forms.DecimalField(label=_("hours"), max_digits=5, decimal_places=1, min_value=Decimal("0.5"))
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, course: Course | None = None, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        if course is not None:
            initial.update(
                {
                    name: getattr(course, name)
                    for name in ("code", "name", "target_level", "hours", "description", "version")
                }
            )
            for i, occupation in enumerate(course.occupations.order_by("code")[:OCCUPATION_SLOTS], start=1):
                initial[f"occupation_{i}"] = occupation
        super().__init__(*args, **kwargs)
        for i in range(1, OCCUPATION_SLOTS + 1):
            self.fields[f"occupation_{i}"] = OccupationChoiceField(
                label=_("occupation") if i == 1 else _("another occupation"), required=False
            )
        self.fields["occupation_1"].help_text = _("The occupations (工种) the course trains for; up to three.")

    def clean_code(self) -> str:
        return normalise_code(self.cleaned_data["code"])

    def clean_name(self) -> str:
        return normalise_text(self.cleaned_data["name"])

    def course_data(self) -> CourseData:
        data = self.cleaned_data
        occupations = []
        for i in range(1, OCCUPATION_SLOTS + 1):
            occupation = data.get(f"occupation_{i}")
            if occupation is not None and occupation not in occupations:
                occupations.append(occupation)
        return CourseData(
            code=data["code"],
            name=data["name"],
            target_level=data["target_level"],
            hours=data["hours"],
            description=data.get("description", ""),
            occupations=occupations,
        )


class ClassFieldsForm(StyledFormMixin, forms.Form):
    """The planning details of a class (what an admin sets when planning or accepting an order)."""

    name = forms.CharField(
        label=_("class name"), max_length=120, required=False, help_text=_("Leave blank to use the course's name.")
    )
    capacity = forms.IntegerField(label=_("capacity"), min_value=1, max_value=10_000)
    start_date = forms.DateField(label=_("start date"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("end date"), required=False, widget=DateInput())
    venue = forms.CharField(label=_("venue"), max_length=100, required=False)
    teacher = forms.CharField(
        label=_("teacher"), max_length=64, required=False, help_text=_("Hired by the district trade union.")
    )
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The class cannot end before it starts."))
        return data

    def class_data(self, default_name: str = "") -> ClassData:
        data = self.cleaned_data
        return ClassData(
            name=normalise_text(data.get("name") or "") or default_name,
            capacity=data["capacity"],
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
            venue=data.get("venue", ""),
            teacher=data.get("teacher", ""),
            note=data.get("note", ""),
        )


class OrderForm(StyledFormMixin, forms.Form):
    """An operator orders a course for their enterprise: how many places, when, what for."""

    name = forms.CharField(
        label=_("class name"), max_length=120, required=False, help_text=_("Leave blank to use the course's name.")
    )
    capacity = forms.IntegerField(label=_("places wanted"), min_value=1, max_value=10_000)
    start_date = forms.DateField(label=_("wished start date"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the training should cover, when the workers are free…"),
    )

    def class_data(self, default_name: str) -> ClassData:
        data = self.cleaned_data
        return ClassData(
            name=normalise_text(data.get("name") or "") or default_name,
            capacity=data["capacity"],
            start_date=data.get("start_date"),
            note=data.get("note", ""),
        )


ENTERPRISE_SLOTS = 6


class PlanClassForm(ClassFieldsForm):
    """The admin plans a class of a course in one of the three modes."""

    course = forms.ModelChoiceField(label=_("course"), queryset=Course.objects.filter(is_active=True))
    mode = forms.ChoiceField(label=_("training mode"), choices=ClassMode.choices)

    field_order = ["course", "mode", "name", "capacity", "start_date", "end_date", "venue", "teacher", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ordered_by"] = EnterpriseChoiceField(
            label=_("ordered by"),
            required=False,
            queryset=Enterprise.objects.all(),
            help_text=_("Order-style: the enterprise the class is for."),
        )
        for i in range(1, ENTERPRISE_SLOTS + 1):
            self.fields[f"enterprise_{i}"] = EnterpriseChoiceField(
                label=_("participating enterprise %(n)s") % {"n": i},
                required=False,
                queryset=Enterprise.objects.all(),
                help_text=_("Combined: the enterprises trained together.") if i == 1 else "",
            )

    def enterprises(self) -> list[Enterprise]:
        found: list[Enterprise] = []
        for i in range(1, ENTERPRISE_SLOTS + 1):
            enterprise = self.cleaned_data.get(f"enterprise_{i}")
            if enterprise is not None and enterprise not in found:
                found.append(enterprise)
        return found


class EditClassForm(ClassFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("reason"), max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SessionForm(StyledFormMixin, forms.Form):
    held_on = forms.DateField(label=_("date"), widget=DateInput())
    topic = forms.CharField(label=_("topic"), max_length=120, required=False)
    hours = forms.DecimalField(
        label=_("hours"), max_digits=4, decimal_places=1, min_value=Decimal("0.5"), max_value=Decimal("24")
    )
    venue = forms.CharField(label=_("venue"), max_length=100, required=False)
    teacher = forms.CharField(label=_("teacher"), max_length=64, required=False)

    def session_data(self) -> SessionData:
        data = self.cleaned_data
        return SessionData(
            held_on=data["held_on"],
            hours=data["hours"],
            topic=data.get("topic", ""),
            venue=data.get("venue", ""),
            teacher=data.get("teacher", ""),
        )


class AttendanceGridForm(forms.Form):
    """One radio group per enrolled worker (``att_<enrolment pk>``): present, on leave, absent."""

    def __init__(self, *args: Any, enrolments: list[Any], current: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for enrolment in enrolments:
            name = f"att_{enrolment.pk}"
            self.fields[name] = forms.ChoiceField(
                label=enrolment.worker.name,
                choices=AttendanceStatus.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=current.get(enrolment.pk),
            )
            self.rows.append((enrolment, name))

    def statuses(self) -> dict[int, str]:
        return {enrolment.pk: self.cleaned_data[name] for enrolment, name in self.rows if self.cleaned_data.get(name)}


class ResultsGridForm(forms.Form):
    """Each enrolled worker's result and score (``result_<pk>``, ``score_<pk>``)."""

    def __init__(self, *args: Any, enrolments: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for enrolment in enrolments:
            result, score = f"result_{enrolment.pk}", f"score_{enrolment.pk}"
            self.fields[result] = forms.ChoiceField(
                label=enrolment.worker.name,
                choices=EnrolmentResult.choices,
                initial=enrolment.result,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[score] = forms.DecimalField(
                label=_("score"),
                required=False,
                max_digits=5,
                decimal_places=1,
                min_value=Decimal(0),
                max_value=Decimal(100),
                initial=enrolment.score,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.5"}),
            )
            self.rows.append((enrolment, result, score))

    def results(self) -> dict[int, ResultData]:
        return {e.pk: ResultData(self.cleaned_data[r], self.cleaned_data.get(s)) for e, r, s in self.rows}


class LevelUpForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=_("certificate number"), max_length=40)
    level = forms.TypedChoiceField(label=_("skill level"), choices=SkillLevel.choices, coerce=int)
    issued_on = forms.DateField(label=_("issued on"), widget=DateInput())
    issuer = forms.CharField(label=_("issuing body"), max_length=100, required=False)

    def clean_number(self) -> str:
        try:
            return check_certificate_number(self.cleaned_data["number"]).number
        except InvalidCertificateNumber as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_issued_on(self) -> Any:
        from django.utils import timezone

        day = self.cleaned_data["issued_on"]
        if error := event_date_error(DatedEvent.CERTIFICATE_ISSUED, day, today=timezone.localdate()):
            raise forms.ValidationError(error)
        return day

    def level_up_data(self) -> LevelUpData:
        data = self.cleaned_data
        return LevelUpData(
            number=data["number"], level=data["level"], issued_on=data["issued_on"], issuer=data.get("issuer", "")
        )


class EnrolForm(forms.Form):
    """The workers to enrol (checkboxes of those the actor may enrol)."""

    workers = forms.ModelMultipleChoiceField(label=_("workers"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = workers  # type: ignore[attr-defined]
        self.fields["workers"].label_from_instance = lambda w: f"{w.name}（{w.id_number_masked}）"  # type: ignore[attr-defined]


class EnterprisePickForm(StyledFormMixin, forms.Form):
    """An admin's choice of the enterprise whose workers to enrol."""

    enterprise = EnterpriseChoiceField(label=_("enterprise"), queryset=Enterprise.objects.all(), required=False)
