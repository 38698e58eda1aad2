"""The Django admin (/django-admin/) as one more page of the site: signed in through our login page
(its lockout, second factor and audit), open only to active staff programme admins whose session
is fully signed in, and every change made in it written to our audit log.

Imports only Django at module level: ``AdminConfig`` is loaded with INSTALLED_APPS, before models.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.auth.decorators import login_not_required
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache


class AdminConfig(DjangoAdminConfig):
    default_site = "talentpool.core.adminsite.AdminSite"


class AuditedModelAdmin:
    """Mixed into every ModelAdmin the site registers (ours and the installed apps'): what the
    admin logs in its LogEntry, our audit log records too, with the admin's change message."""

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        from .audit import record
        from .models import AuditAction

        entries = super().log_addition(request, obj, message)  # type: ignore[misc]
        record(request.user, AuditAction.CREATE, obj, changes={"django_admin": message})  # type: ignore[arg-type]
        return entries

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        from .audit import record
        from .models import AuditAction

        entries = super().log_change(request, obj, message)  # type: ignore[misc]
        record(request.user, AuditAction.UPDATE, obj, changes={"django_admin": message})  # type: ignore[arg-type]
        return entries

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Model] | list[Model]) -> Any:
        from .audit import record
        from .models import AuditAction

        entries = super().log_deletions(request, queryset)  # type: ignore[misc]
        for obj in queryset:
            record(request.user, AuditAction.DELETE, obj, changes={"django_admin": "deleted"})  # type: ignore[arg-type]
        return entries


class AdminSite(admin.AdminSite):
    site_header = _("Skilled Talent Pool settings")
    site_title = _("Skilled Talent Pool settings")
    index_title = _("Settings")

    def register(self, model_or_iterable, admin_class=None, **options):  # type: ignore[no-untyped-def]
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedModelAdmin):
            attrs = {"__module__": admin_class.__module__}
            admin_class = type(admin_class.__name__, (AuditedModelAdmin, admin_class), attrs)
        return super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request: HttpRequest) -> bool:
        from .twofactor import is_pending

        user = request.user
        return bool(user.is_active and user.is_staff and user.is_admin and not is_pending(request))  # type: ignore[union-attr]

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """No login form of its own: the site's login page, then back here. A signed-in user
        without the right to the admin gets a 404, as for any page out of scope."""
        from django.contrib.auth.views import redirect_to_login

        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
            raise Http404
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, login_url=reverse("login"))
