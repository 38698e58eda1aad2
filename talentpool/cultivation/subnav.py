"""The cultivation app's second row of tabs (its kinds of record), declared by each kind in
``declarations`` and shown by ``{% cultivation_tabs %}`` on every page of the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class Tab:
    key: str  # the ``section`` a page passes to cultivation/_subnav.html
    label: str | Promise
    url_name: str
    order: int
    roles: tuple[str, ...]  # besides admins


TABS: list[Tab] = []


def add_tab(tab: Tab) -> None:
    if tab in TABS:  # the same declaration again (ready() run twice, as core's plugin test does)
        return
    if any(t.key == tab.key for t in TABS):
        raise ValueError(f"cultivation tab {tab.key!r} declared twice")
    TABS.append(tab)
    TABS.sort(key=lambda t: t.order)


def tabs_for(user: Any) -> list[Tab]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [t for t in TABS if user.is_admin or user.role in t.roles]
