"""The nominations list and its export (core.exports: every column, hidden ones too)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from talentpool.core.tables import ListTable
from talentpool.registry.tables import WORKER_ORDER, enterprise_order

from .models import Nomination


class NominationTable(ListTable):
    worker = tables.Column(verbose_name=_("worker"), accessor="worker__name",
                           order_by=tuple(f"worker__{t}" for t in WORKER_ORDER),
                           linkify=lambda record: record.get_absolute_url())
    tier = tables.Column(verbose_name=_("tier applied for"), accessor="tier__name", order_by=("tier__order",))
    enterprise = tables.Column(verbose_name=_("nominating enterprise"), accessor="enterprise__name",
                               order_by=enterprise_order("enterprise__"))
    industry = tables.Column(verbose_name=_("industry"), accessor="enterprise__industry__name")
    submitted_at = tables.DateTimeColumn(format="Y-m-d H:i", default="—")
    # export only
    occupation = tables.Column(verbose_name=_("occupation"), accessor="worker__occupation__name", visible=False)
    skill_level = tables.Column(verbose_name=_("skill level"), accessor="worker__skill_level", visible=False)

    class Meta(ListTable.Meta):
        model = Nomination
        fields = ["worker", "tier", "enterprise", "industry", "status", "eligibility", "consent", "submitted_at"]
        sequence = ["worker", "tier", "enterprise", "industry", "status", "eligibility", "consent", "submitted_at"]

    def render_skill_level(self, record: Nomination) -> str:
        return record.worker.get_skill_level_display() or "—"
