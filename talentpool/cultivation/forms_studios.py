"""Forms of an innovation studio: input checks and the rules a form can apply (services_studios);
the service applies them again, with the studio's row locked."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from talentpool.core.forms import DateInput, StyledFormMixin
from talentpool.core.widgets import TypeaheadSelect
from talentpool.registry.fields import EnterpriseChoiceField
from talentpool.registry.forms import VersionedFormMixin
from talentpool.registry.models import Enterprise, Worker

from .choices import RecordLevel
from .forms_mentorship import BenefitField, WorkerChoiceField
from .models import Studio, StudioResult
from .services_studios import founded_year_error, result_year_error


class OptionalBenefitField(BenefitField):
    """Yuan as offices write them; blank is no figure (None), not zero."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in (None, "") or not str(value).strip():
            return None
        return super().to_python(value)


def _worker_field(label: Any, source: str) -> WorkerChoiceField:
    return WorkerChoiceField(
        label=label, widget=TypeaheadSelect(source, placeholder=gettext_lazy("Name, pinyin or initials"))
    )


def _year_field(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=1900, max_value=2199, **kwargs)


def studio_initial(studio: Studio) -> dict[str, Any]:
    return {
        "name": studio.name,
        "leader": studio.leader_id,
        "level": studio.level,
        "is_demonstration": studio.is_demonstration,
        "founded_year": studio.founded_year,
        "description": studio.description,
    }


class StudioForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    """A new studio (an admin may name its enterprise: by default the leader's), or the edit of
    one (``studio``: its enterprise stays). ``workers``: those who may lead it."""

    name = forms.CharField(label=gettext_lazy("studio name"), max_length=120)
    enterprise = EnterpriseChoiceField(
        label=gettext_lazy("enterprise"),
        required=False,
        help_text=gettext_lazy("Leave blank for the leader's current enterprise."),
    )
    leader = _worker_field(gettext_lazy("leader"), "cultivation:studio_worker_search")
    level = forms.ChoiceField(label=gettext_lazy("level"), choices=[("", "—"), *RecordLevel.choices])
    is_demonstration = forms.BooleanField(label=gettext_lazy("demonstration studio (示范性)"), required=False)
    founded_year = _year_field(gettext_lazy("founding year"))
    description = forms.CharField(
        label=gettext_lazy("description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self,
        *args: Any,
        workers: QuerySet[Worker] | None = None,
        studio: Studio | None = None,
        admin: bool = False,
        **kwargs: Any,
    ) -> None:
        if studio is not None:
            kwargs["initial"] = studio_initial(studio)
        super().__init__(*args, **kwargs)
        self.studio = studio
        offered = (workers if workers is not None else Worker.objects.none()).only("pk", "name")
        self.fields["leader"].queryset = offered  # type: ignore[attr-defined]
        if studio is not None:
            self.fields["leader"].widget.source = f"/cultivation/studios/{studio.pk}/workers/"  # type: ignore[attr-defined]
        if studio is not None or not admin:
            del self.fields["enterprise"]
        else:
            self.fields["enterprise"].queryset = Enterprise.objects.all()  # type: ignore[attr-defined]
        if studio is not None:
            self.add_version_field(studio.version)

    def saved_values(self, current: Any) -> dict[str, Any]:
        return studio_initial(current)

    def clean_founded_year(self) -> Any:
        year = self.cleaned_data.get("founded_year")
        if year is not None and (error := founded_year_error(year)):
            raise forms.ValidationError(error)
        return year

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        enterprise, leader = cleaned.get("enterprise"), cleaned.get("leader")
        if enterprise is not None and leader is not None and leader.current_enterprise_id != enterprise.pk:
            self.add_error("leader", gettext_lazy("The leader must be a current worker of the studio's enterprise."))
        return cleaned


class CloseForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    closed_year = _year_field(gettext_lazy("closed in"))

    def __init__(self, *args: Any, studio: Studio, **kwargs: Any) -> None:
        kwargs["initial"] = {"closed_year": timezone.localdate().year}
        super().__init__(*args, **kwargs)
        self.add_version_field(studio.version)

    def saved_values(self, current: Any) -> dict[str, Any]:
        return {"closed_year": current.closed_year}


class MemberForm(StyledFormMixin, forms.Form):
    """A member to add: one of the studio's enterprise's current workers (``workers``)."""

    worker = _worker_field(gettext_lazy("worker"), "cultivation:studio_worker_search")
    joined_on = forms.DateField(label=gettext_lazy("joined on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, studio: Studio, workers: QuerySet[Worker], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers.only("pk", "name")  # type: ignore[attr-defined]
        self.fields["worker"].widget.source = f"/cultivation/studios/{studio.pk}/workers/"  # type: ignore[attr-defined]


class LeaveForm(StyledFormMixin, forms.Form):
    left_on = forms.DateField(label=gettext_lazy("left on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"left_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ResultForm(StyledFormMixin, forms.Form):
    """A year's results (new: with its year; edit: the year stays)."""

    year = _year_field(gettext_lazy("year"))
    summary = forms.CharField(label=gettext_lazy("results"), widget=forms.Textarea(attrs={"rows": 4}))
    benefit = OptionalBenefitField(
        label=gettext_lazy("benefit created (yuan)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, studio: Studio, result: StudioResult | None = None, **kwargs: Any) -> None:
        if result is not None:
            kwargs["initial"] = {"summary": result.summary, "benefit": result.benefit}
        else:
            kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        self.studio = studio
        if result is not None:
            del self.fields["year"]

    def clean_year(self) -> Any:
        year = self.cleaned_data.get("year")
        if year is not None and (error := result_year_error(self.studio, year)):
            raise forms.ValidationError(error)
        return year
