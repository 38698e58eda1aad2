"""What the selection app declares into core's registration points (called once, from
SelectionConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentpool.core.roles import Role


def declare_all() -> None:
    from talentpool.core.registry import MenuItem, register_audit_events, register_menu, register_urls

    from . import events

    register_urls("selection/", "talentpool.selection.urls")
    register_audit_events(events.EVENTS)
    register_menu(
        MenuItem(
            key="selection",
            label=_("Selection"),
            url_name="selection:home",
            roles=(Role.ADMIN, Role.LEADER, Role.OPERATOR),
            order=42,
            active_for=("selection:",),
        ),
    )
