"""The list of master–apprentice pairs, and its export (core.exports: every column, hidden ones too)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from talentpool.core.tables import ListTable
from talentpool.registry.tables import WORKER_ORDER, enterprise_order

from .models import Mentorship


class MentorshipTable(ListTable):
    master = tables.Column(
        verbose_name=_("master"), accessor="master__name", order_by=tuple(f"master__{t}" for t in WORKER_ORDER)
    )
    apprentice = tables.Column(
        verbose_name=_("apprentice"),
        accessor="apprentice__name",
        order_by=tuple(f"apprentice__{t}" for t in WORKER_ORDER),
        linkify=lambda record: record.get_absolute_url(),
    )
    enterprise = tables.Column(
        verbose_name=_("enterprise"), accessor="enterprise__name", order_by=enterprise_order("enterprise__")
    )
    start_date = tables.DateColumn(format="Y-m-d")
    end_date = tables.DateColumn(format="Y-m-d", default="—")
    benefit = tables.Column()
    # export only
    goals = tables.Column(visible=False)
    competition_results = tables.Column(visible=False)
    outcome_note = tables.Column(visible=False)

    class Meta(ListTable.Meta):
        model = Mentorship
        fields = [
            "master",
            "apprentice",
            "enterprise",
            "start_date",
            "end_date",
            "status",
            "is_famous_master",
            "apprentice_level_gained",
            "benefit",
        ]
        sequence = [
            "master",
            "apprentice",
            "enterprise",
            "start_date",
            "end_date",
            "status",
            "is_famous_master",
            "goals",
            "apprentice_level_gained",
            "competition_results",
            "benefit",
            "outcome_note",
        ]
        order_by = ("-start_date",)
        export_widths = {"enterprise": 28, "goals": 30, "competition_results": 30, "outcome_note": 30}
