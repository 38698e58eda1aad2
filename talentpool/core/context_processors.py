"""The navigation bar: which sections each role sees."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items: list[tuple[str, str]] = []
    if user is not None and user.is_authenticated:
        if user.is_admin or user.role == Role.LEADER:
            items = [
                (_("Workers"), reverse("registry:worker_list")),
                (_("Enterprises"), reverse("registry:enterprise_list")),
                (_("Certificates"), reverse("registry:certificate_list")),
                (_("Honours"), reverse("registry:honour_list")),
            ]
            if user.is_admin:
                items += [
                    (_("Import"), reverse("core:import_start")),
                    (_("Jobs"), reverse("core:job_list")),
                    (_("Audit log"), reverse("core:audit_log")),
                ]
                if user.is_staff:
                    items.append((_("Settings"), reverse("admin:index")))
        elif user.role == Role.OPERATOR:
            items = [
                (_("My enterprise"), reverse("registry:enterprise_home")),
                (_("Workers"), reverse("registry:worker_list")),
                (_("Certificates"), reverse("registry:certificate_list")),
                (_("Honours"), reverse("registry:honour_list")),
                (_("Import"), reverse("core:import_start")),
                (_("Jobs"), reverse("core:job_list")),
            ]
        elif user.role == Role.WORKER:
            items = [(_("My profile"), reverse("registry:my_profile"))]
    return {
        "nav_items": items,
        "programme_name": settings.PROGRAMME_NAME,
        "district_name": settings.DISTRICT_NAME,
    }
