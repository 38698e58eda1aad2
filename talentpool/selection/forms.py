"""Forms of the selection pages: input checks only; the services apply the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from talentpool.core.forms import DateInput, StyledFormMixin
from talentpool.core.widgets import TypeaheadSelect
from talentpool.cultivation.forms_mentorship import WorkerChoiceField
from talentpool.registry.forms import VersionedFormMixin
from talentpool.registry.models import Worker

from .models import Campaign, CampaignTier, Nomination
from .services_nomination import STATEMENT_MAX


class CampaignCreateForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=gettext_lazy("year"), min_value=2000, max_value=2199)
    name = forms.CharField(label=gettext_lazy("campaign name"), max_length=100, required=False,
                           help_text=gettext_lazy("Leave blank for the usual name."))
    copy_previous = forms.BooleanField(label=gettext_lazy("copy last campaign's configuration"), required=False,
                                       initial=True)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(**kwargs)


SETTINGS = ("name", "nomination_deadline", "nominations_per_enterprise", "experts_per_nomination", "notice_days",
            "reference_date", "blind_review", "experts_see_each_other", "min_scores_for_normalisation",
            "expert_weight", "enterprise_cap", "frontline_bonus", "non_public_bonus", "notice_text")


class CampaignSettingsForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    """The campaign's settings, and one quota field per tier (``quota_<tier id>``)."""

    class Meta:
        model = Campaign
        fields = SETTINGS
        widgets = {
            "nomination_deadline": DateTimeInput(),
            "reference_date": DateInput(),
            "notice_text": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, instance=campaign, **kwargs)
        self.fields["nomination_deadline"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]
        self.tier_rows: list[CampaignTier] = list(campaign.tiers.select_related("tier").order_by("tier__order"))
        for row in self.tier_rows:
            self.fields[f"quota_{row.tier_id}"] = forms.IntegerField(
                label=gettext_lazy("quota: %(tier)s") % {"tier": row.tier.name}, min_value=0, initial=row.quota)
            self.fields[f"allowance_{row.tier_id}"] = forms.DecimalField(
                label=gettext_lazy("annual allowance (yuan): %(tier)s") % {"tier": row.tier.name}, min_value=Decimal(0),
                max_digits=10, decimal_places=2, initial=row.annual_allowance)
        from talentpool.core.forms import style_fields

        style_fields(self.fields)
        self.add_version_field(campaign.version)

    def saved_values(self, current: Any) -> dict[str, Any]:
        return {f: getattr(current, f) for f in SETTINGS}

    def _post_clean(self) -> None:  # the service saves: skip the model form's own instance update
        pass


class NominationForm(VersionedFormMixin, StyledFormMixin, forms.Form):
    worker = WorkerChoiceField(label=gettext_lazy("worker"), widget=TypeaheadSelect(
        "selection:worker_search", placeholder=gettext_lazy("Name, pinyin or initials")))
    tier_id = forms.TypedChoiceField(label=gettext_lazy("tier applied for"), coerce=int)
    statement = forms.CharField(
        label=gettext_lazy("statement of achievements"), required=False, max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy("Work performance, skills, innovations, apprentices trained; at most 5,000 characters."))
    consent = forms.BooleanField(
        label=gettext_lazy("The nominee agrees that their name, enterprise, occupation and a short story are "
                           "published on the public notice and the honour roll."), required=False)

    def __init__(self, *args: Any, campaign: Campaign, workers: QuerySet[Worker] | None = None,
                 nomination: Nomination | None = None, **kwargs: Any) -> None:
        if nomination is not None:
            kwargs["initial"] = {"tier_id": nomination.tier_id, "statement": nomination.statement,
                                 "consent": nomination.consent}
        super().__init__(*args, **kwargs)
        self.fields["tier_id"].choices = [  # type: ignore[attr-defined]
            (row.tier_id, row.tier.name) for row in campaign.tiers.filter(quota__gt=0).select_related("tier")
            .order_by("tier__order")]
        if nomination is not None:
            del self.fields["worker"]
            self.add_version_field(nomination.version)
        else:
            offered = (workers if workers is not None else Worker.objects.none()).only("pk", "name", "birth_date")
            self.fields["worker"].queryset = offered  # type: ignore[attr-defined]

    def saved_values(self, current: Any) -> dict[str, Any]:
        return {"tier_id": current.tier_id, "statement": current.statement, "consent": current.consent}


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class StageForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=gettext_lazy("note"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("file"))


class OverrideForm(StyledFormMixin, forms.Form):
    passed = forms.TypedChoiceField(
        label=gettext_lazy("override to"), coerce=lambda v: {"pass": True, "fail": False}.get(v),
        empty_value=None, required=False,
        choices=[("pass", gettext_lazy("passed")), ("fail", gettext_lazy("not passed")),
                 ("", gettext_lazy("clear the override"))])
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=300, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
