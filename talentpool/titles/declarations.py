"""What the titles app declares into core's and the registry's registration points (called
once, from TitlesConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talentpool.core.roles import Role


def declare_all() -> None:
    from talentpool.core.registry import (
        AdminLink,
        MenuItem,
        register_admin_link,
        register_api,
        register_audit_events,
        register_menu,
        register_urls,
    )
    from talentpool.registry.profile import register_profile_section

    from . import api, demo, events, profile

    register_urls("titles/", "talentpool.titles.urls")
    register_audit_events(events.EVENTS)
    register_menu(
        MenuItem(
            key="titles",
            label=pgettext_lazy("honour", "titles"),
            url_name="titles:title_list",
            roles=(Role.ADMIN, Role.LEADER, Role.OPERATOR),
            order=47,
            active_for=("titles:",),
        ),
    )
    register_admin_link(
        AdminLink(
            key="titles.tiers",
            label=_("Tiers and allowances"),
            url_name="titles:tier_list",
            order=75,
            description=_("The honour tiers' quotas, the titles held and the annual allowance by year."),
        ),
    )
    register_api("titles", api.TitleViewSet, basename="title")
    register_api("tiers", api.TierViewSet, basename="tier")
    register_profile_section(profile.SECTION)  # the same section again is a no-op (ready() may run again)
    demo.declare_demo_step()  # the titles of the past named years (load_demo), after the registry's users
