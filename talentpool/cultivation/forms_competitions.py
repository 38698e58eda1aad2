"""Input validation of the competitions pages (400 on bad input); services_competitions enforces
the rules (who keeps a competition, duplicate codes, the rule table's overlaps)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talentpool.core.forms import DateInput, StyledFormMixin
from talentpool.registry.fields import EnterpriseChoiceField, OccupationChoiceField
from talentpool.registry.forms import VersionedFormMixin
from talentpool.registry.models import Enterprise
from talentpool.rules.dates import DatedEvent, event_date_error
from talentpool.rules.skills import InvalidCertificateNumber, check_certificate_number
from talentpool.rules.text import normalise_code, normalise_text

from .choices import Award, CompetitionClass, RecordLevel, SkillLevel
from .models import Competition, CompetitionEvent, PromotionRule
from .services_competitions import COMPETITION_FIELDS, EVENT_FIELDS, RULE_FIELDS, Result

SMALL_INPUT = "form-control form-control-sm"


class CompetitionForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    """A competition; an operator records only their enterprise's own contests (岗位练兵): the
    level is "enterprise" and the enterprise theirs, so neither is asked."""

    name = forms.CharField(label=_("competition name"), max_length=120)
    year = forms.IntegerField(label=_("year"), min_value=1949, max_value=2199)
    level = forms.ChoiceField(label=_("level"), choices=RecordLevel.choices)
    competition_class = forms.ChoiceField(
        label=_("competition class"), choices=[("", "—"), *CompetitionClass.choices], required=False
    )
    organiser = forms.CharField(label=_("organiser"), max_length=100, required=False)
    enterprise = EnterpriseChoiceField(
        label=_("enterprise"),
        queryset=Enterprise.objects.all(),
        required=False,
        help_text=_("The enterprise of an enterprise-level contest (岗位练兵)."),
    )
    start_date = forms.DateField(label=_("start date"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("end date"), required=False, widget=DateInput())
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, actor: Any, competition: Competition | None = None, **kwargs: Any) -> None:
        if competition is not None:
            kwargs["initial"] = competition_initial(competition)
        elif "initial" not in kwargs:
            kwargs["initial"] = {"year": timezone.localdate().year}
        super().__init__(*args, **kwargs)
        self.competition = competition
        if not actor.is_admin:
            del self.fields["level"], self.fields["enterprise"]
        if competition is not None:
            self.add_version_field(competition.version)

    def clean_name(self) -> str:
        return normalise_text(self.cleaned_data["name"])

    def saved_values(self, current: Any) -> dict[str, Any]:
        return competition_initial(current)

    def competition_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k in COMPETITION_FIELDS}
        if "level" not in self.fields:
            data["level"] = RecordLevel.ENTERPRISE
        data["competition_class"] = data.get("competition_class") or ""
        return data


def competition_initial(competition: Competition) -> dict[str, Any]:
    return {f: getattr(competition, f) for f in COMPETITION_FIELDS}


class EventForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("event code"), max_length=20)
    name = forms.CharField(label=_("event name"), max_length=120)
    occupation = OccupationChoiceField(label=_("occupation"), required=False)
    held_on = forms.DateField(label=_("date"), widget=DateInput())
    venue = forms.CharField(label=_("venue"), max_length=100, required=False)

    def __init__(self, *args: Any, event: CompetitionEvent | None = None, **kwargs: Any) -> None:
        if event is not None:
            kwargs["initial"] = {f: getattr(event, f) for f in EVENT_FIELDS}
        super().__init__(*args, **kwargs)

    def clean_code(self) -> str:
        return normalise_code(self.cleaned_data["code"])

    def clean_name(self) -> str:
        return normalise_text(self.cleaned_data["name"])

    def event_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "name": data["name"],
            "occupation": data.get("occupation"),
            "held_on": data["held_on"],
            "venue": data.get("venue") or "",
        }


class EnterForm(forms.Form):
    """The workers to enter (checkboxes of those the actor may enter)."""

    workers = forms.ModelMultipleChoiceField(label=_("workers"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = workers  # type: ignore[attr-defined]
        self.fields["workers"].label_from_instance = lambda w: f"{w.name}（{w.id_number_masked}）"  # type: ignore[attr-defined]


class ResultsGridForm(forms.Form):
    """Each entry's rank, score and award (``rank_<pk>``, ``score_<pk>``, ``award_<pk>``)."""

    def __init__(self, *args: Any, entries: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for entry in entries:
            rank, score, award = f"rank_{entry.pk}", f"score_{entry.pk}", f"award_{entry.pk}"
            self.fields[rank] = forms.IntegerField(
                label=pgettext_lazy("competition", "rank"),
                required=False,
                min_value=1,
                initial=entry.rank,
                widget=forms.NumberInput(attrs={"class": SMALL_INPUT, "min": "1"}),
            )
            self.fields[score] = forms.DecimalField(
                label=_("score"),
                required=False,
                max_digits=6,
                decimal_places=2,
                min_value=Decimal(0),
                initial=entry.score,
                widget=forms.NumberInput(attrs={"class": SMALL_INPUT, "step": "0.01"}),
            )
            self.fields[award] = forms.ChoiceField(
                label=_("award"),
                required=False,
                choices=[("", "—"), *Award.choices],
                initial=entry.award,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.rows.append((entry, rank, score, award))

    def results(self) -> list[Result]:
        data = self.cleaned_data
        return [Result(e.pk, data.get(r), data.get(s), data.get(a) or "") for e, r, s, a in self.rows]


class ConfirmForm(StyledFormMixin, forms.Form):
    """Confirming a promotion: the certificate of the proposed level (registry.add_certificate)."""

    number = forms.CharField(label=_("certificate number"), max_length=40)
    issued_on = forms.DateField(label=_("issued on"), widget=DateInput())
    issuer = forms.CharField(label=_("issuing body"), max_length=100, required=False)
    reason = forms.CharField(label=_("note"), max_length=400, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_number(self) -> str:
        try:
            return check_certificate_number(self.cleaned_data["number"]).number
        except InvalidCertificateNumber as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_issued_on(self) -> Any:
        day = self.cleaned_data["issued_on"]
        if error := event_date_error(DatedEvent.CERTIFICATE_ISSUED, day, today=timezone.localdate()):
            raise forms.ValidationError(error)
        return day


class RefuseForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=400, widget=forms.Textarea(attrs={"rows": 2}))


class RuleForm(StyledFormMixin, forms.Form):
    """A row of the promotion rule table (level, class, rank range → levels up, highest level)."""

    level = forms.ChoiceField(label=_("competition level"), choices=RecordLevel.choices)
    competition_class = forms.ChoiceField(
        label=_("competition class"),
        choices=[("", _("Any class")), *CompetitionClass.choices],
        required=False,
    )
    rank_from = forms.IntegerField(label=_("from rank"), min_value=1)
    rank_to = forms.IntegerField(label=_("to rank"), min_value=1)
    levels_up = forms.IntegerField(label=_("levels up"), min_value=1, max_value=7)
    highest_level = forms.TypedChoiceField(label=_("highest level reachable"), choices=SkillLevel.choices, coerce=int)
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)

    def __init__(self, *args: Any, rule: PromotionRule | None = None, **kwargs: Any) -> None:
        if rule is not None:
            kwargs["initial"] = {f: getattr(rule, f) for f in RULE_FIELDS}
        super().__init__(*args, **kwargs)

    def rule_data(self) -> dict[str, Any]:
        data = {f: self.cleaned_data.get(f) for f in RULE_FIELDS}
        data["competition_class"] = data["competition_class"] or ""
        data["is_active"] = bool(data["is_active"])
        return data
