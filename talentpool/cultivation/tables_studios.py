"""The list of innovation studios, and its export (core.exports: every column, hidden ones too)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from talentpool.core.tables import ListTable
from talentpool.registry.tables import WORKER_ORDER, enterprise_order

from .models import Studio


class StudioTable(ListTable):
    name = tables.Column(linkify=lambda record: record.get_absolute_url())
    enterprise = tables.Column(
        verbose_name=_("enterprise"), accessor="enterprise__name", order_by=enterprise_order("enterprise__")
    )
    leader = tables.Column(
        verbose_name=_("leader"), accessor="leader__name", order_by=tuple(f"leader__{t}" for t in WORKER_ORDER)
    )
    closed_year = tables.Column(default="—")
    member_count = tables.Column(verbose_name=_("current members"), orderable=False)
    # export only
    description = tables.Column(visible=False)

    class Meta(ListTable.Meta):
        model = Studio
        fields = ["name", "enterprise", "leader", "level", "is_demonstration", "founded_year", "closed_year"]
        sequence = [
            "name",
            "enterprise",
            "leader",
            "level",
            "is_demonstration",
            "founded_year",
            "closed_year",
            "member_count",
            "description",
        ]
        order_by = ("-founded_year", "name")
        export_widths = {"name": 30, "enterprise": 28, "description": 40}
