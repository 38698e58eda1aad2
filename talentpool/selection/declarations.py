"""What the selection app declares into core's registration points (called once, from
SelectionConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentpool.core.roles import Role


def declare_all() -> None:
    from talentpool.core.registry import MenuItem, register_audit_events, register_menu, register_urls

    from . import events, imports

    register_urls("selection/", "talentpool.selection.urls")
    register_audit_events(events.EVENTS)
    imports.register()  # the nominations' Excel import (推荐)
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
    declare_start_notice()
    from . import demo

    demo.declare_demo_steps()


def start_notice(request):  # type: ignore[no-untyped-def]
    """The open campaign's notice (通知公告) on operators' start pages while it takes nominations:
    rules, quotas, the deadline with a countdown, and how far their enterprise is. (Admins follow
    the nominations on the campaign's stage board, with the enterprises that have not nominated.)"""
    from django.db.models import Count

    from .choices import NominationStatus, Stage
    from .models import Campaign, Nomination

    campaign = Campaign.objects.filter(stage=Stage.NOMINATING).order_by("-year").first()
    if campaign is None:
        return None
    user = request.user
    context = {"campaign": campaign, "tiers": list(campaign.tiers.select_related("tier").order_by("tier__order"))}
    counts = dict(Nomination.objects.filter(campaign=campaign, enterprise_id=user.enterprise_id)
                  .exclude(status=NominationStatus.WITHDRAWN).values_list("status").annotate(n=Count("pk")))
    context["drafts"] = counts.get(NominationStatus.DRAFT, 0)
    context["submitted"] = counts.get(NominationStatus.SUBMITTED, 0)
    return context


def declare_start_notice() -> None:
    from talentpool.core.registry import StartNotice, register_start_notice

    register_start_notice(StartNotice("selection.campaign", (Role.OPERATOR,),
                                      "selection/_start_notice.html", start_notice, order=10))
