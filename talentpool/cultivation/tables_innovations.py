"""The list of "五小" innovations, and its export (core.exports: every column, hidden ones too)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from talentpool.core.tables import ListTable
from talentpool.registry.tables import enterprise_order

from .models import Innovation


def team_names(record: Any) -> list[str]:
    """The team's names, leader first (the list prefetches the members in order)."""
    return [m.worker.name for m in record.members.all()]


class InnovationTable(ListTable):
    title = tables.Column(linkify=lambda record: record.get_absolute_url())
    enterprise = tables.Column(
        verbose_name=_("enterprise"), accessor="enterprise__name", order_by=enterprise_order("enterprise__")
    )
    submitted_on = tables.DateColumn(format="Y-m-d")
    leader = tables.Column(verbose_name=_("team leader"), accessor="pk", orderable=False)
    economic_benefit = tables.Column(default="—")
    commendation_level = tables.Column(default="—")
    commendation_year = tables.Column(default="—")
    # export only
    members = tables.Column(verbose_name=_("team"), accessor="pk", orderable=False, visible=False)
    description = tables.Column(visible=False)
    social_benefit = tables.Column(visible=False)
    evaluation = tables.Column(visible=False)
    commended_on = tables.DateColumn(format="Y-m-d", visible=False)

    class Meta(ListTable.Meta):
        model = Innovation
        fields = [
            "title",
            "kind",
            "enterprise",
            "submitted_on",
            "is_adopted",
            "economic_benefit",
            "status",
            "commendation_level",
            "commendation_year",
        ]
        sequence = [
            "title",
            "kind",
            "enterprise",
            "submitted_on",
            "leader",
            "members",
            "description",
            "is_adopted",
            "economic_benefit",
            "social_benefit",
            "status",
            "evaluation",
            "commendation_level",
            "commendation_year",
            "commended_on",
        ]
        order_by = ("-submitted_on",)
        export_widths = {"title": 30, "enterprise": 28, "members": 30, "description": 40, "social_benefit": 30}

    def render_leader(self, record: Any) -> str:
        names = team_names(record)
        return names[0] if names else "—"

    def value_leader(self, record: Any) -> str:
        names = team_names(record)
        return names[0] if names else ""

    def render_members(self, record: Any) -> str:
        return "、".join(team_names(record)) or "—"

    def value_members(self, record: Any) -> str:
        return "、".join(team_names(record))
