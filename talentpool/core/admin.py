"""Django admin for programme admins: accounts and the working-day calendar. The site itself (who
may enter, how they sign in, the audit of every change) is core/adminsite.py."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import AuditLog, CalendarDay, CalendarYear, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "full_name",
        "role",
        "enterprise",
        "organisation",
        "is_active",
        "last_login",
        "two_factor",
    ]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name", "organisation"]
    raw_id_fields = ["enterprise", "worker"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Role"), {"fields": ["role", "full_name", "organisation", "enterprise", "worker"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Role"), {"fields": ["role", "full_name", "organisation", "enterprise", "worker"]}),
    ]

    @admin.display(description=_("two-factor sign-in"))
    def two_factor(self, obj: User) -> str:
        return format_html('<a href="{}">{}</a>', reverse("core:reset_two_factor", args=[obj.pk]), _("Reset"))


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["day", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "day"
    search_fields = ["note"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "is_complete"]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_repr", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_repr"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
