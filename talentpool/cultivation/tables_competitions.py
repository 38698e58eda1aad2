"""django-tables2 tables of the competitions lists and of their exports (core.exports follows the
table's columns, hidden ones included)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talentpool.core.tables import ListTable
from talentpool.registry.tables import WORKER_ORDER, enterprise_order

from .models import Competition, Entry, PromotionProposal


class CompetitionTable(ListTable):
    name = tables.Column(linkify=True)
    enterprise = tables.Column(accessor="enterprise__name", verbose_name=_("enterprise"), default="—")
    start_date = tables.DateColumn(format="Y-m-d", default="—")
    end_date = tables.DateColumn(format="Y-m-d", default="—")
    event_count = tables.Column(verbose_name=_("competition events"), orderable=True)
    description = tables.Column(visible=False)

    class Meta(ListTable.Meta):
        model = Competition
        fields = [
            "year",
            "name",
            "level",
            "competition_class",
            "organiser",
            "enterprise",
            "start_date",
            "end_date",
            "event_count",
        ]
        sequence = [
            "year",
            "name",
            "level",
            "competition_class",
            "organiser",
            "enterprise",
            "start_date",
            "end_date",
            "event_count",
            "description",
        ]
        order_by = ("-year", "name")
        export_widths = {"name": 30, "organiser": 24, "enterprise": 28, "description": 40}


class EntryTable(ListTable):
    worker = tables.Column(
        accessor="worker__name", verbose_name=_("worker"), order_by=tuple(f"worker__{t}" for t in WORKER_ORDER)
    )
    worker_id_number = tables.Column(
        verbose_name=_("ID number"),
        accessor="worker__id_number_masked",
        orderable=False,
        attrs={"td": {"class": "masked"}},
    )
    event_code = tables.Column(
        accessor="event__code",
        verbose_name=_("event code"),
        linkify=("cultivation:competition_event_detail", [tables.A("event_id")]),
    )
    event_name = tables.Column(accessor="event__name", verbose_name=_("event name"))
    competition = tables.Column(
        accessor="event__competition__name",
        verbose_name=_("competition"),
        linkify=("cultivation:competition_detail", [tables.A("event__competition_id")]),
    )
    year = tables.Column(accessor="event__competition__year", verbose_name=_("year"))
    level = tables.Column(accessor="event__competition__level", verbose_name=_("level"))
    enterprise = tables.Column(
        accessor="enterprise__name", verbose_name=_("enterprise"), order_by=enterprise_order("enterprise__")
    )
    rank = tables.Column(verbose_name=pgettext_lazy("competition", "rank"), default="—")
    score = tables.Column(default="—")

    class Meta(ListTable.Meta):
        model = Entry
        fields = [
            "worker",
            "worker_id_number",
            "event_code",
            "event_name",
            "competition",
            "year",
            "level",
            "enterprise",
            "rank",
            "score",
            "award",
        ]
        order_by = ("-year", "event_code", "rank")
        export_widths = {"worker_id_number": 22, "event_name": 24, "competition": 30, "enterprise": 28}

    def render_level(self, record: Entry) -> str:
        return record.event.competition.get_level_display()

    def value_level(self, record: Entry) -> str:
        return record.event.competition.get_level_display()


class ProposalTable(ListTable):
    worker = tables.Column(
        accessor="worker__name", verbose_name=_("worker"), order_by=tuple(f"worker__{t}" for t in WORKER_ORDER)
    )
    enterprise = tables.Column(accessor="enterprise__name", verbose_name=_("enterprise"))
    event = tables.Column(
        accessor="entry__event__code",
        verbose_name=_("competition event"),
        linkify=("cultivation:competition_event_detail", [tables.A("entry__event_id")]),
    )
    rank = tables.Column(accessor="entry__rank", verbose_name=pgettext_lazy("competition", "rank"), default="—")
    decide = tables.TemplateColumn(
        template_name="cultivation/competitions/_decide.html",
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta(ListTable.Meta):
        model = PromotionProposal
        fields = [
            "year",
            "worker",
            "enterprise",
            "event",
            "rank",
            "from_level",
            "proposed_level",
            "status",
            "reason",
            "decide",
        ]
        order_by = ("-year",)
        export_widths = {"enterprise": 28, "reason": 30}
