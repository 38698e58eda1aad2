"""Forms of a "五小" innovation: input checks and the rules a form can apply (services_innovations);
the service applies them again, with the innovation's row and its team's rows locked."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from talentpool.core.forms import DateInput, StyledFormMixin
from talentpool.core.widgets import TypeaheadSelect
from talentpool.registry.fields import EnterpriseChoiceField
from talentpool.registry.forms import VersionedFormMixin
from talentpool.registry.models import Enterprise, Worker

from .choices import InnovationKind, RecordLevel
from .forms_mentorship import WorkerChoiceField
from .forms_studios import OptionalBenefitField
from .models import Innovation
from .services_innovations import commendation_year_error, team_of

MEMBER_FIELDS = 5  # pickers for the members besides the leader (more when a team has more)


def _text(label: Any, rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}))


def _worker_field(label: Any, source: str, required: bool) -> WorkerChoiceField:
    return WorkerChoiceField(
        label=label,
        required=required,
        widget=TypeaheadSelect(source, placeholder=gettext_lazy("Name, pinyin or initials")),
    )


def innovation_initial(innovation: Innovation, team: list[Worker] | None = None) -> dict[str, Any]:
    team = team if team is not None else team_of(innovation)
    values: dict[str, Any] = {
        f: getattr(innovation, f)
        for f in (
            "title",
            "kind",
            "submitted_on",
            "description",
            "is_adopted",
            "adopted_on",
            "economic_benefit",
            "social_benefit",
        )
    }
    values["leader"] = team[0].pk if team else None
    for i, worker in enumerate(team[1:], start=1):
        values[f"member_{i}"] = worker.pk
    return values


class InnovationForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    """A new innovation (an admin names its enterprise: by default the leader's), or the edit of
    one (``innovation``: its enterprise stays). ``workers``: those who may be in its team."""

    title = forms.CharField(label=gettext_lazy("title"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=[("", "—"), *InnovationKind.choices])
    enterprise = EnterpriseChoiceField(
        label=gettext_lazy("enterprise"),
        required=False,
        help_text=gettext_lazy("Leave blank for the team leader's current enterprise."),
    )
    submitted_on = forms.DateField(label=gettext_lazy("submitted on"), widget=DateInput())
    description = _text(gettext_lazy("description"), 4)
    is_adopted = forms.BooleanField(label=gettext_lazy("adopted"), required=False)
    adopted_on = forms.DateField(label=gettext_lazy("adopted on"), required=False, widget=DateInput())
    economic_benefit = OptionalBenefitField(
        label=gettext_lazy("economic benefit (yuan)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=gettext_lazy("In yuan, e.g. 12,500.00; leave blank if not measured."),
    )
    social_benefit = _text(gettext_lazy("social benefit"))

    def __init__(
        self,
        *args: Any,
        workers: QuerySet[Worker] | None = None,
        innovation: Innovation | None = None,
        admin: bool = False,
        **kwargs: Any,
    ) -> None:
        team = team_of(innovation) if innovation is not None else []
        if innovation is not None:
            kwargs["initial"] = innovation_initial(innovation, team)
        super().__init__(*args, **kwargs)
        self.innovation = innovation
        source = (
            f"/cultivation/innovations/{innovation.pk}/workers/"
            if innovation is not None
            else ("/cultivation/innovations/workers/")
        )
        offered = (workers if workers is not None else Worker.objects.none()).only("pk", "name")
        if team:  # members already in the team stay choosable, even if they moved on
            offered = Worker.objects.filter(Q(pk__in=offered.values("pk")) | Q(pk__in=[w.pk for w in team])).only(
                "pk", "name"
            )
        self.member_count = max(MEMBER_FIELDS, len(team) + 1)
        self.fields["leader"] = _worker_field(gettext_lazy("team leader"), source, True)
        self.fields["leader"].queryset = offered  # type: ignore[attr-defined]
        for i in range(1, self.member_count + 1):
            field = _worker_field(gettext_lazy("member %(n)s") % {"n": i}, source, False)
            field.queryset = offered
            self.fields[f"member_{i}"] = field
        if innovation is not None or not admin:
            del self.fields["enterprise"]
        else:
            self.fields["enterprise"].queryset = Enterprise.objects.all()  # type: ignore[attr-defined]
        if innovation is not None:
            self.add_version_field(innovation.version)
        self.order_fields(
            [
                "title",
                "kind",
                "enterprise",
                "submitted_on",
                "leader",
                *[f"member_{i}" for i in range(1, self.member_count + 1)],
            ]
        )

    def saved_values(self, current: Any) -> dict[str, Any]:
        return innovation_initial(current)

    def members(self) -> list[Worker]:
        """The team as chosen, leader first (blank pickers skipped)."""
        names = ["leader", *[f"member_{i}" for i in range(1, self.member_count + 1)]]
        return [w for w in (self.cleaned_data.get(n) for n in names) if w is not None]

    def clean_submitted_on(self) -> Any:
        day = self.cleaned_data.get("submitted_on")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(gettext_lazy("The submission date cannot be after today."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        names = ["leader", *[f"member_{i}" for i in range(1, self.member_count + 1)]]
        seen: set[int] = set()
        for name in names:
            worker = cleaned.get(name)
            if worker is None:
                continue
            if worker.pk in seen:
                self.add_error(name, gettext_lazy("A worker is named twice in the team."))
            seen.add(worker.pk)
        enterprise = cleaned.get("enterprise")
        if enterprise is not None:
            for name in names:
                worker = cleaned.get(name)
                if worker is not None and worker.current_enterprise_id != enterprise.pk:
                    self.add_error(
                        name, gettext_lazy("Team members must be current workers of the submitting enterprise.")
                    )
        adopted_on, submitted = cleaned.get("adopted_on"), cleaned.get("submitted_on")
        if adopted_on is not None and not cleaned.get("is_adopted"):
            self.add_error("adopted_on", gettext_lazy("Tick “adopted” to give an adoption date."))
        elif adopted_on is not None and submitted is not None and adopted_on < submitted:
            self.add_error("adopted_on", gettext_lazy("The adoption date cannot be before the submission date."))
        return cleaned

    def service_fields(self, changed_only: bool) -> dict[str, Any]:
        """What the service takes: the form's values (only the changed ones for an edit), the
        team as ``members``."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        member_names = {"leader", *[f"member_{i}" for i in range(1, self.member_count + 1)]}
        for name in member_names:
            data.pop(name, None)
        if changed_only:
            data = {k: v for k, v in data.items() if k in self.changed_data}
            current = [w.pk for w in team_of(self.innovation)] if self.innovation is not None else []
            if [w.pk for w in self.members()] != current:
                data["members"] = self.members()
        else:
            data["members"] = self.members()
            if data.get("enterprise") is None:
                data.pop("enterprise", None)
        return data


class EvaluateForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    evaluation = _text(gettext_lazy("evaluation"), 4)
    evaluated_on = forms.DateField(label=gettext_lazy("evaluated on"), widget=DateInput())

    def __init__(self, *args: Any, innovation: Innovation, **kwargs: Any) -> None:
        kwargs["initial"] = {
            "evaluation": innovation.evaluation,
            "evaluated_on": innovation.evaluated_on or timezone.localdate(),
        }
        super().__init__(*args, **kwargs)
        self.fields["evaluation"].required = True
        self.add_version_field(innovation.version)

    def saved_values(self, current: Any) -> dict[str, Any]:
        return {"evaluation": current.evaluation, "evaluated_on": current.evaluated_on}


class CommendForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    level = forms.ChoiceField(label=gettext_lazy("commendation level"), choices=[("", "—"), *RecordLevel.choices])
    year = forms.IntegerField(label=gettext_lazy("commendation year"), min_value=1900, max_value=2199)
    commended_on = forms.DateField(label=gettext_lazy("commended on"), widget=DateInput())

    def __init__(self, *args: Any, innovation: Innovation, **kwargs: Any) -> None:
        today = timezone.localdate()
        kwargs["initial"] = {"year": today.year, "commended_on": today}
        super().__init__(*args, **kwargs)
        self.add_version_field(innovation.version)

    def saved_values(self, current: Any) -> dict[str, Any]:
        return {
            "level": current.commendation_level,
            "year": current.commendation_year,
            "commended_on": current.commended_on,
        }

    def clean_year(self) -> Any:
        year = self.cleaned_data.get("year")
        if year is not None and (error := commendation_year_error(year)):
            raise forms.ValidationError(error)
        return year
