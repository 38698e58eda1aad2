"""The list of titles, and its export (core.exports: every column, hidden ones too)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from talentpool.core.tables import ListTable
from talentpool.registry.tables import WORKER_ORDER, enterprise_order

from .models import Title


class TitleTable(ListTable):
    certificate_number = tables.Column(linkify=lambda record: record.get_absolute_url())
    worker = tables.Column(
        verbose_name=_("worker"), accessor="worker__name", order_by=tuple(f"worker__{t}" for t in WORKER_ORDER)
    )
    enterprise = tables.Column(
        verbose_name=_("enterprise"),
        accessor="worker__current_enterprise__name",
        order_by=enterprise_order("worker__current_enterprise__"),
        default="—",
    )
    industry = tables.Column(
        verbose_name=_("industry"), accessor="worker__current_enterprise__industry__name", default="—"
    )
    tier = tables.Column(verbose_name=_("tier"), accessor="tier__name", order_by=("tier__order", "tier__code"))
    valid_to = tables.Column(default="—")
    # export only
    source = tables.Column(visible=False)

    class Meta(ListTable.Meta):
        model = Title
        fields = ["certificate_number", "year", "valid_from", "valid_to", "status", "source"]
        sequence = [
            "certificate_number",
            "worker",
            "enterprise",
            "industry",
            "tier",
            "year",
            "valid_from",
            "valid_to",
            "status",
            "source",
        ]
        order_by = ("-year", "tier", "certificate_number")
        export_widths = {"certificate_number": 18, "enterprise": 28, "source": 20}
