"""The forms of the titles' pages: an admin's status change (with its reason) and a tier's
allowance from a year on. The services decide; the forms only read what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from talentpool.core.forms import DateInput, StyledFormMixin

from . import services
from .choices import ENDED, TitleStatus
from .models import Tier, Title


class StatusForm(StyledFormMixin, forms.Form):
    """Suspend, reinstate, revoke or retire a title: the moves ``services.allowed_statuses`` offers."""

    status = forms.ChoiceField(label=gettext_lazy("new status"))
    reason = forms.CharField(label=gettext_lazy("reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    on = forms.DateField(
        label=gettext_lazy("effective date"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("Revoked and retired titles end on this date (blank: today)."),
    )

    def __init__(self, *args: Any, title: Title, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(TitleStatus.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in services.allowed_statuses(title)]
        self.fields["on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") not in ENDED:
            data["on"] = None
        return data


class AllowanceForm(StyledFormMixin, forms.Form):
    """A tier's annual allowance from a year on."""

    tier = forms.ModelChoiceField(label=gettext_lazy("tier"), queryset=Tier.objects.none(), empty_label=None)
    from_year = forms.IntegerField(label=gettext_lazy("from year"), min_value=2000, max_value=2199)
    amount = forms.CharField(label=gettext_lazy("annual allowance (yuan)"), max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = Tier.objects.order_by("order", "code")  # type: ignore[attr-defined]
        self.fields["from_year"].initial = timezone.localdate().year
