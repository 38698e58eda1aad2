"""The navigation bar: the tabs the apps declared (core.registry.register_menu) that the user's
role sees, in their order, the one whose views the page belongs to marked active."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise

from .registry import menu_for, start_notices_for


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url: str
    active: bool


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match is not None else ""
    items = []
    active_seen = False
    for item in menu_for(user):
        # one active tab: the first (in menu order) whose views the page belongs to
        active = not active_seen and bool(view_name) and item.matches(view_name)
        active_seen = active_seen or active
        items.append(NavItem(item.key, item.label, reverse(item.url_name), active))
    # the district's and programme's names: core.programme.programme
    return {"nav_items": items, "start_notices": start_notices_for(request, view_name)}
