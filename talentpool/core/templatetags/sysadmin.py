"""``{% sysadmin_nav %}``: the side navigation of 系统管理, from the pages every app declared
(core.registry.register_admin_link). A page of another app joins it by extending
``sysadmin/base.html``."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from talentpool.core.registry import AdminLink, admin_links

register = template.Library()


def _prefixes(link: AdminLink) -> tuple[str, ...]:
    """The views a link is active on: its own, and its siblings (``sysadmin:account_list`` →
    ``sysadmin:account_*``), as for the navigation bar's tabs."""
    namespace, _, name = link.url_name.rpartition(":")
    stem = name.split("_", 1)[0]
    return (link.url_name, f"{namespace}:{stem}_" if namespace else f"{stem}_")


@register.inclusion_tag("sysadmin/_nav.html", takes_context=True)
def sysadmin_nav(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match is not None else ""
    items = []
    for link in admin_links():
        active = any(view_name == p or (p.endswith("_") and view_name.startswith(p)) for p in _prefixes(link))
        items.append({"key": link.key, "label": link.label, "url": reverse(link.url_name), "active": active})
    current = next((item["label"] for item in items if item["active"]), None)
    return {"items": items, "index_active": view_name == "sysadmin:index", "current": current}
