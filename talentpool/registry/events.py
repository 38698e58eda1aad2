"""The registry's own audit events (core.registry: dotted names, declared in RegistryConfig.ready()).
Creating, changing, deleting, revealing, importing and exporting are core's events (core.models.AuditAction)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class RegistryEvent(StrEnum):
    DUPLICATE_REFUSED = "registry.worker.duplicate_refused"
    ID_SEARCH = "registry.worker.id_search"
    ID_SEARCH_REFUSED = "registry.worker.id_search_refused"


EVENTS = {
    RegistryEvent.DUPLICATE_REFUSED: _("registration refused (duplicate)"),
    RegistryEvent.ID_SEARCH: _("searched by ID number"),
    RegistryEvent.ID_SEARCH_REFUSED: _("search by ID number refused (too many)"),
}

# The names these records were written with while they were core's (before dotted names).
LEGACY = {
    "duplicate_refused": RegistryEvent.DUPLICATE_REFUSED,
    "id_search": RegistryEvent.ID_SEARCH,
    "id_search_refused": RegistryEvent.ID_SEARCH_REFUSED,
}

# How the keys of the registry's audit records that are no model field read in the audit log
# (core.audit_display; a model field reads as its verbose_name).
CHANGE_LABELS = {
    "enterprise": _("enterprise"),
    "position": _("post"),
    "reason": _("reason"),
    "via": _("through"),
    "certificate_number": _("certificate number"),
    "matched": _("found"),
    "file": _("file"),
    "job": _("job"),
    "mode": _("mode"),
    "new": _("new"),
    "updated": _("updated"),
    "unchanged": _("unchanged"),
    "id_number": _("ID number"),
}
