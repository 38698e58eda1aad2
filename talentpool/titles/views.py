"""Pages of the titles app (称号): the list, a title with its history, an admin's status change
and the tiers page. Every queryset starts from ``restrict(user, action)``; out of scope is 404.
State changes go through ``services``."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from talentpool.core.pages import form_page, require_roles
from talentpool.core.roles import Action, Role
from talentpool.core.scoping import get_restricted_or_404
from talentpool.registry.views import RegistryListView

from . import services
from .choices import TitleStatus
from .filters import TitleFilter
from .forms import AllowanceForm, StatusForm
from .models import Tier, TierAllowance, Title, TitleChange
from .tables import TitleTable

RELATED = ("worker__current_enterprise__industry", "tier")


def is_worker(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.WORKER and not user.is_admin)


class TitleListView(RegistryListView):
    """The titles the user may see; its search box posts (an ID number typed into it never
    reaches a URL, registry.search). A worker sees their own titles, without export."""

    model = Title
    table_class = TitleTable
    filterset_class = TitleFilter
    export_kind = "titles"
    title = pgettext_lazy("honour", "titles")
    view_roles = (Role.LEADER, Role.OPERATOR, Role.WORKER)
    related = RELATED

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") and is_worker(request.user):
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .only(
                "pk",
                "certificate_number",
                "year",
                "valid_from",
                "valid_to",
                "status",
                "source",
                "worker__name",
                "worker__current_enterprise__name",
                "worker__current_enterprise__industry__name",
                "tier__name",
            )
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if is_worker(self.request.user):
            context["export_url"] = ""
        return context


def _title(request: HttpRequest, pk: int) -> Title:
    queryset = Title.objects.select_related("tier", "worker__current_enterprise", "created_by", "superseded_by__tier")
    return get_restricted_or_404(queryset, request.user, Action.VIEW, pk=pk)  # type: ignore[no-any-return]


def title_detail(request: HttpRequest, pk: int) -> HttpResponse:
    title = _title(request, pk)
    user: Any = request.user
    history = list(TitleChange.objects.filter(title=title).select_related("by").order_by("at", "pk"))
    supersedes = list(title.supersedes.select_related("tier").order_by("valid_from", "pk"))
    return render(
        request,
        "titles/detail.html",
        {
            "title": title,
            "history": history,
            "supersedes": supersedes,
            "can_change": user.is_admin and bool(services.allowed_statuses(title)),
            "allowance": services.allowance_in(title.tier, title.year),
        },
    )


def title_status(request: HttpRequest, pk: int) -> HttpResponse:
    """An admin changes a title's status (suspend, reinstate, revoke, retire) with a reason."""
    require_roles(request)
    title = _title(request, pk)
    if not services.allowed_statuses(title):
        raise Http404
    user: Any = request.user
    form = StatusForm(request.POST or None, title=title)
    return form_page(
        request,
        form,
        title=_("Change the status of the title %(number)s (%(worker)s, %(tier)s)")
        % {"number": title.certificate_number, "worker": title.worker.name, "tier": title.tier.name},
        save=lambda data: services.change_status(user, title, data["status"], reason=data["reason"], on=data["on"]),
        success=lambda changed: _("The title %(number)s is now %(status)s.")
        % {"number": changed.certificate_number, "status": changed.get_status_display()},
        cancel_url=title.get_absolute_url(),
    )


def tier_list(request: HttpRequest) -> HttpResponse:
    """The tiers (admins): rank, quota, whether in use, the titles held and the allowance by year."""
    require_roles(request)
    held = Q(titles__status__in=list(services.HELD))
    tiers = list(
        Tier.objects.restrict(request.user, Action.VIEW)
        .annotate(
            active_count=Count("titles", filter=Q(titles__status=TitleStatus.ACTIVE)),
            held_count=Count("titles", filter=held),
        )
        .prefetch_related(Prefetch("allowances", queryset=TierAllowance.objects.order_by("-from_year")))
        .order_by("order", "code")
    )
    return render(
        request,
        "titles/tiers.html",
        {"tiers": tiers, "title": _("Tiers and allowances"), "settings_url": reverse("sysadmin:settings")},
    )


def allowance_set(request: HttpRequest) -> HttpResponse:
    require_roles(request)
    user: Any = request.user
    form = AllowanceForm(request.POST or None, initial={"tier": request.GET.get("tier")})
    return form_page(
        request,
        form,
        title=_("Set a tier's annual allowance"),
        save=lambda data: (
            services.set_allowance(user, data["tier"], from_year=data["from_year"], amount=data["amount"]),
            "titles:tier_list",
        )[1],
        success=lambda target: _("Allowance saved."),
        cancel_url=reverse("titles:tier_list"),
    )

