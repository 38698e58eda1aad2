"""Forms of a master–apprentice pair: input checks and the rules a form can apply
(rules.mentorship); the service applies them again with the overlap, under a lock."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentpool.core.forms import DateInput, StyledFormMixin
from talentpool.core.widgets import TypeaheadSelect
from talentpool.registry.fields import PickedChoiceField
from talentpool.registry.forms import VersionedFormMixin
from talentpool.registry.models import Worker
from talentpool.rules.mentorship import InvalidAmount, closing_date_error, date_errors, own_master_error, parse_yuan

from .choices import SkillLevel
from .models import Mentorship


class WorkerChoiceField(PickedChoiceField):
    """A worker the user may pair (the field's queryset), by the number the type-ahead sends or,
    without JavaScript, by their exact name when only one offered worker has it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Worker.objects.none())
        kwargs.setdefault(
            "widget",
            TypeaheadSelect(
                "cultivation:mentorship_worker_search", placeholder=gettext_lazy("Name, pinyin or initials")
            ),
        )
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Model) -> str:
        return obj.name  # type: ignore[attr-defined,no-any-return]

    def find(self, text: str) -> Model:
        assert self.queryset is not None
        found = list(self.queryset.filter(name=text)[:2])
        if len(found) == 1:
            return found[0]  # type: ignore[no-any-return]
        if found:
            raise ValueError(
                _("Several workers you may choose are called “%(name)s”: pick one from the list.") % {"name": text}
            )
        raise ValueError(_("No worker you may choose is called “%(name)s”.") % {"name": text})


class BenefitField(forms.CharField):
    """Yuan as offices write them ("1,234.5", full-width digits): a Decimal of 2 places, ≥ 0."""

    def to_python(self, value: Any) -> Decimal:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return Decimal("0.00")
        try:
            return parse_yuan(text)
        except InvalidAmount as exc:
            raise forms.ValidationError(str(exc)) from exc


def _level_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=gettext_lazy("level the apprentice gained"),
        choices=[("", "—"), *SkillLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )


def _text(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}))


def pair_initial(pair: Mentorship) -> dict[str, Any]:
    return {
        f: getattr(pair, f)
        for f in (
            "start_date",
            "end_date",
            "goals",
            "is_famous_master",
            "apprentice_level_gained",
            "competition_results",
            "benefit",
            "outcome_note",
        )
    }


class MentorshipForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    """A new pair (master, apprentice chosen among ``workers``), or the edit of one (``pair``:
    its dates, goals, flag and outcomes; the two workers stay)."""

    master = WorkerChoiceField(label=gettext_lazy("master"))
    apprentice = WorkerChoiceField(label=gettext_lazy("apprentice"))
    start_date = forms.DateField(label=gettext_lazy("start date"), widget=DateInput())
    end_date = forms.DateField(
        label=gettext_lazy("end date"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Leave blank while the pair is ongoing."),
    )
    goals = _text(gettext_lazy("goals"))
    is_famous_master = forms.BooleanField(label=gettext_lazy("famous master (名师带徒)"), required=False)
    apprentice_level_gained = _level_field()
    competition_results = _text(gettext_lazy("competition results"))
    benefit = BenefitField(
        label=gettext_lazy("benefit created (yuan)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    outcome_note = _text(gettext_lazy("outcomes"))

    def __init__(
        self, *args: Any, workers: QuerySet[Worker] | None = None, pair: Mentorship | None = None, **kwargs: Any
    ) -> None:
        if pair is not None:
            kwargs["initial"] = pair_initial(pair)
        super().__init__(*args, **kwargs)
        self.pair = pair
        if pair is not None:
            del self.fields["master"], self.fields["apprentice"]
            self.add_version_field(pair.version)
        else:
            offered = (workers if workers is not None else Worker.objects.none()).only("pk", "name", "birth_date")
            self.fields["master"].queryset = offered  # type: ignore[attr-defined]
            self.fields["apprentice"].queryset = offered  # type: ignore[attr-defined]
            for name in ("apprentice_level_gained", "competition_results", "benefit", "outcome_note"):
                del self.fields[name]

    def saved_values(self, current: Any) -> dict[str, Any]:
        return pair_initial(current)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        master = cleaned.get("master") if self.pair is None else self.pair.master
        apprentice = cleaned.get("apprentice") if self.pair is None else self.pair.apprentice
        if master is not None and apprentice is not None and (error := own_master_error(master.pk, apprentice.pk)):
            self.add_error("apprentice" if self.pair is None else None, error)
        start = cleaned.get("start_date")
        if start is not None:
            errors = date_errors(
                start,
                cleaned.get("end_date"),
                today=timezone.localdate(),
                master_birth=getattr(master, "birth_date", None),
                apprentice_birth=getattr(apprentice, "birth_date", None),
            )
            for key, message in errors.items():
                if key in self.fields:
                    self.add_error(key, message)
        return cleaned


class CloseForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    """Completing a pair (its outcomes too) or ending it early (why, in the note)."""

    end_date = forms.DateField(label=gettext_lazy("end date"), widget=DateInput())
    apprentice_level_gained = _level_field()
    competition_results = _text(gettext_lazy("competition results"))
    benefit = BenefitField(
        label=gettext_lazy("benefit created (yuan)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    outcome_note = _text(gettext_lazy("outcomes"))

    def __init__(self, *args: Any, pair: Mentorship, complete: bool, **kwargs: Any) -> None:
        kwargs["initial"] = {**pair_initial(pair), "end_date": pair.end_date or timezone.localdate()}
        super().__init__(*args, **kwargs)
        self.pair = pair
        if not complete:
            for name in ("apprentice_level_gained", "competition_results", "benefit"):
                del self.fields[name]
        self.add_version_field(pair.version)

    def saved_values(self, current: Any) -> dict[str, Any]:
        return pair_initial(current)

    def clean_end_date(self) -> Any:
        end = self.cleaned_data["end_date"]
        if end and (error := closing_date_error(end, start=self.pair.start_date, today=timezone.localdate())):
            raise forms.ValidationError(error)
        return end
