"""Forms and filters of the admin's pages (系统管理, core.views_sysadmin)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm
from django.db.models import Q, QuerySet
from django.forms import inlineformset_factory
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .accounts import enterprise_model, username_taken, worker_model
from .auth import FAILURE_REASONS
from .forms import DateInput, DateRange, FastSelect, StyledFormMixin, ValueChoices, style_fields
from .models import AuditAction, AuditLog, CalendarDay, HonourTier, ProgrammeSettings, User
from .registry import picker_source
from .roles import Role
from .widgets import TypeaheadSelect

# Accounts -------------------------------------------------------------------------------------


class AccountFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    role = django_filters.ChoiceFilter(label=_("role"), choices=Role.choices)
    is_active = django_filters.BooleanFilter(label=_("active"))

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.attrs["placeholder"] = _("username, name, organisation or enterprise")
        style_fields(self.form.fields, small=True)

    def search(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(username__icontains=text)
            | Q(full_name__icontains=text)
            | Q(organisation__icontains=text)
            | Q(enterprise__name__icontains=text)
        )


class PickedChoiceField(forms.ModelChoiceField):
    """A record chosen with the type-ahead picker: its number (the picker, with JavaScript) or its
    exact name (typed, without)."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if text.isascii() and text.isdigit():
            return super().to_python(text)
        found = self.queryset.filter(name=text).first() if self.queryset is not None else None
        if found is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found


def _enterprise_field() -> forms.ModelChoiceField:
    """The enterprise picker, in the enterprises' own order (pinyin): the type-ahead picker over the
    search the enterprises' app declared (core.registry.register_picker), else a <select> of every
    enterprise rendered fast. Choosing one reloads the worker choices (htmx; without it, saving
    does)."""
    model = enterprise_model()
    help_text = _("Required for an enterprise operator; for a worker's account, choose the worker's enterprise first.")
    reload = {"hx-get": reverse_lazy("sysadmin:account_worker_choices"), "hx-target": "#id_worker"}
    source = picker_source(model)
    if source is not None:
        return PickedChoiceField(
            label=_("enterprise"), queryset=model._default_manager.all(), required=False, help_text=help_text,
            error_messages={
                "invalid_choice": _("No enterprise has that name: type its full name or pick it from the list.")
            },
            widget=TypeaheadSelect(source, attrs={
                **reload, "hx-trigger": "change from:closest .typeahead", "hx-include": "closest .typeahead"}),
        )
    field = forms.ModelChoiceField(
        label=_("enterprise"), queryset=model._default_manager.all(), required=False, help_text=help_text
    )
    field.widget = FastSelect(attrs={**reload, "hx-trigger": "change"}, choices=ValueChoices(field, "name"))
    return field


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        masked = getattr(obj, "id_number_masked", "")
        return f"{obj}（{masked}）" if masked else str(obj)


def workers_without_account(enterprise_pk: Any, *, keep: Any = None) -> QuerySet[Any]:
    """The workers currently at an enterprise who have no account yet (and ``keep``, the record
    the account being edited is bound to). ``current_enterprise`` is the registry's field for a
    worker's present employer; ``account`` is the reverse of ``User.worker``."""
    workers = worker_model()._default_manager
    if not enterprise_pk:
        return workers.filter(pk=keep.pk) if keep is not None else workers.none()
    chosen = workers.filter(current_enterprise_id=enterprise_pk).filter(account__isnull=True)
    if keep is not None:
        chosen = chosen | workers.filter(pk=keep.pk)
    return chosen


def enterprise_number(value: Any) -> str:
    """The enterprise a form or the worker-choice request names: the picker's number, or an exact
    name typed without JavaScript; "" for none."""
    text = str(value or "").strip()
    if text.isascii() and text.isdigit():
        return text
    if not text:
        return ""
    pk = enterprise_model()._default_manager.filter(name=text).values_list("pk", flat=True).first()
    return str(pk) if pk is not None else ""


class AccountForm(StyledFormMixin, forms.Form):
    """The fields an admin sets on an account; what each role needs is checked by the service
    (core.accounts), which clears the others."""

    full_name = forms.CharField(label=_("full name"), max_length=64)
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    enterprise: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None)  # type: ignore[arg-type]  # see __init__
    worker = WorkerChoiceField(
        label=_("worker record"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        help_text=_("For a worker's account: the workers of the chosen enterprise who have no account yet."),
    )
    organisation = forms.CharField(
        label=_("organisation"),
        max_length=100,
        required=False,
        help_text=_("Required for leaders and the finance bureau, e.g. 区人社局; shown for experts."),
    )

    def __init__(self, *args: Any, account: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"] = _enterprise_field()
        keep = account.worker if account is not None and account.worker_id else None
        if self.is_bound:
            enterprise_pk = enterprise_number(self.data.get("enterprise") or "")
        else:
            enterprise_pk = self.initial.get("enterprise") or ""
            if keep is not None and not enterprise_pk:  # a worker's account opens on the worker's employer
                enterprise_pk = getattr(keep, "current_enterprise_id", "") or ""
                self.initial["enterprise"] = enterprise_pk
        if not str(enterprise_pk).isdigit():
            enterprise_pk = ""
        self.worker_field.queryset = workers_without_account(enterprise_pk, keep=keep)
        style_fields(self.fields)

    @property
    def worker_field(self) -> WorkerChoiceField:
        return self.fields["worker"]  # type: ignore[return-value]

    @property
    def binding(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "role": data["role"],
            "enterprise": data.get("enterprise"),
            "worker": data.get("worker"),
            "organisation": data.get("organisation", ""),
        }


class NewPasswordMixin:
    """Two password boxes checked against each other and Django's password validators."""

    password_user: User

    def clean_password2(self) -> str:
        data = self.cleaned_data  # type: ignore[attr-defined]
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(_("The two passwords differ."))
        if second:
            password_validation.validate_password(second, self.password_user)
        return str(second or "")


def _password_fields() -> tuple[forms.CharField, forms.CharField]:
    widget = {"autocomplete": "new-password"}
    return (
        forms.CharField(
            label=_("Temporary password"),
            strip=False,
            widget=forms.PasswordInput(attrs=widget),
            help_text=password_validation.password_validators_help_text_html(),
        ),
        forms.CharField(label=_("Temporary password again"), strip=False, widget=forms.PasswordInput(attrs=widget)),
    )


class AccountCreateForm(NewPasswordMixin, AccountForm):
    username = forms.CharField(label=_("username"), max_length=150)
    password1, password2 = _password_fields()

    field_order = ["username", "full_name", "role", "enterprise", "worker", "organisation", "password1", "password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        self.fields["username"].widget.attrs["autocomplete"] = "off"
        self.password_user = User(
            username=self.data.get("username", ""), full_name=self.data.get("full_name", "")
        )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        User.username_validator(username)
        if username_taken(username):
            raise forms.ValidationError(_("The username %(username)s is taken.") % {"username": username})
        return username


class PasswordResetForm(NewPasswordMixin, StyledFormMixin, forms.Form):
    password1, password2 = _password_fields()

    def __init__(self, *args: Any, account: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.password_user = account


class OwnPasswordChangeForm(PasswordChangeForm):
    """The user's own password: the current one, then the new one twice (Django's form and
    validators)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self.fields)


# Calendar -------------------------------------------------------------------------------------

HOLIDAY, MAKEUP = "holiday", "makeup"


class CalendarDayForm(StyledFormMixin, forms.Form):
    day = forms.DateField(label=_("date"), widget=DateInput())
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[(HOLIDAY, _("holiday (a weekday off)")), (MAKEUP, _("make-up working day (a weekend at work)"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("note"), max_length=64, required=False, help_text=_("e.g. 国庆节, 国庆节调休上班"))

    @classmethod
    def initial_for(cls, row: CalendarDay) -> dict[str, Any]:
        return {"day": row.day, "kind": MAKEUP if row.is_workday else HOLIDAY, "note": row.note}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "form-check-input"


# Programme settings ---------------------------------------------------------------------------


class ProgrammeSettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ProgrammeSettings
        fields = ["district_name", "programme_name"]


class HonourTierForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = HonourTier
        fields = ["code", "name", "order", "annual_allowance", "default_quota", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the key other apps refer to: fixed once saved
            self.fields["code"].disabled = True
        self.fields["code"].help_text = _("Letters, digits, - and _; fixed once saved.")

    def has_changed(self) -> bool:
        """The empty row for a new tier counts as left empty unless a code or a name is typed (its
        other boxes show defaults: in use, 0 yuan, quota 0)."""
        if self.instance.pk is None:
            return any(str(self.data.get(self.add_prefix(name), "")).strip() for name in ("code", "name"))
        return super().has_changed()


class BaseTierFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        ranks: set[int] = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            order = form.cleaned_data.get("order") if hasattr(form, "cleaned_data") else None
            if order is None:
                continue
            if order in ranks:
                raise forms.ValidationError(_("Two tiers have the rank %(rank)s: give each tier its own rank.")
                                            % {"rank": order})
            ranks.add(order)


HonourTierFormSet = inlineformset_factory(
    ProgrammeSettings, HonourTier, form=HonourTierForm, formset=BaseTierFormSet, extra=1, can_delete=False
)


# Login log ------------------------------------------------------------------------------------

SUCCESS, FAILURE, LOCKED = "success", "failure", "locked"
RESULT_ACTIONS = {SUCCESS: AuditAction.LOGIN, FAILURE: AuditAction.LOGIN_FAILED, LOCKED: AuditAction.LOCKED}
LOGIN_ACTIONS = list(RESULT_ACTIONS.values())


class LoginLogFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(label=_("user"), field_name="object_repr", lookup_expr="icontains")
    result = django_filters.ChoiceFilter(
        label=_("result"),
        choices=[(SUCCESS, _("signed in")), (FAILURE, _("failed")), (LOCKED, _("locked"))],
        method="by_result",
    )
    reason = django_filters.ChoiceFilter(label=_("reason"), choices=list(FAILURE_REASONS.items()),
                                         field_name="changes__reason")
    at = django_filters.DateFromToRangeFilter(label=_("date"), widget=DateRange())

    class Meta:
        model = AuditLog
        fields = ["username", "result", "reason", "at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self.form.fields, small=True)

    def by_result(self, queryset: QuerySet[AuditLog], name: str, value: str) -> QuerySet[AuditLog]:
        return queryset.filter(action=RESULT_ACTIONS[value]) if value in RESULT_ACTIONS else queryset
