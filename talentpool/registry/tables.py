"""django-tables2 tables of the registry's list pages, and of their exports (core.exports: the
export has the table's columns, hidden ones included, in the table's order).

Orders: workers by name in pinyin (``name_sort``), enterprises in their one order
(``Enterprise.Meta.ordering``, see ``enterprise_order``), education and honour levels by level
(core.ordering: the order of their choices), skill levels by their number."""

from html import escape
from typing import Any

import django_tables2 as tables
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from talentpool.core.ordering import order_by_choices
from talentpool.core.tables import ListTable

from .choices import Education, HonourLevel, Sex, SkillLevel
from .models import Certificate, Enterprise, Honour, Worker
from .privacy import BIRTH_YEAR_ORDER, birth_year

SEX_LABELS = dict(Sex.choices)
LEVEL_LABELS = dict(SkillLevel.choices)
EDUCATION_LABELS = dict(Education.choices)
WORKER_ORDER = ("name_sort", "name", "pk")  # pinyin (Worker.Meta.ordering)


def enterprise_order(prefix: str = "") -> tuple[str, ...]:
    """The order of enterprises wherever they are listed or sorted by (the enterprise list, a
    worker's or a record's enterprise column, the pickers through the model's default):
    ``Enterprise.Meta.ordering``, reached through ``prefix`` (``"current_enterprise__"``)."""
    terms = [str(term) for term in Enterprise._meta.ordering]  # names are unique: no tie to break
    return tuple(f"-{prefix}{t[1:]}" if t.startswith("-") else prefix + t for t in terms)


class WorkerRecordTable(ListTable):
    """A list of records that belong to a worker (certificates, honours): whose, and where they work."""

    worker = tables.Column(linkify=True, order_by=tuple(f"worker__{term}" for term in WORKER_ORDER))
    enterprise = tables.Column(verbose_name=_("enterprise"), accessor="worker__current_enterprise__name",
                               order_by=enterprise_order("worker__current_enterprise__"))
    # export only: whose record it is, masked like every ID number outside an audited reveal
    worker_id_number = tables.Column(verbose_name=_("ID number"), accessor="worker__id_number_masked",
                                     visible=False)


class WorkerTable(ListTable):
    name = tables.Column(linkify=True, order_by=WORKER_ORDER)  # pinyin order
    id_number_masked = tables.Column(verbose_name=_("ID number"), orderable=False, attrs={"td": {"class": "masked"}})
    current_enterprise = tables.Column(verbose_name=_("enterprise"), order_by=enterprise_order("current_enterprise__"))
    # Not sortable: ordering 100,000 rows by a two-join column costs a full sort (bench_pages.py).
    industry = tables.Column(verbose_name=_("industry"), accessor="current_enterprise__industry__name",
                             orderable=False)
    skill_level = tables.Column()
    # The year, never the date: beside the masked ID number the date is the whole number (privacy.py).
    birth_year = tables.Column(verbose_name=_("birth year"), accessor="birth_date__year", order_by=BIRTH_YEAR_ORDER)
    # export only (core.exports): what the page leaves to the worker's own page
    phone_masked = tables.Column(verbose_name=_("phone"), visible=False)
    retirement_category = tables.Column(visible=False)
    work_start_date = tables.DateColumn(visible=False)
    occupation = tables.Column(visible=False)

    class Meta(ListTable.Meta):
        model = Worker
        template_name = "registry/tables/worker.html"
        fields = ["name", "id_number_masked", "sex", "birth_year", "current_enterprise", "industry",
                  "skill_level", "education", "is_frontline"]
        # the page shows the visible ones in this order (body_html); the export all of them
        sequence = ["name", "id_number_masked", "sex", "birth_year", "phone_masked", "current_enterprise", "industry",
                    "skill_level", "occupation", "education", "retirement_category", "is_frontline",
                    "work_start_date"]
        order_by = ("name",)
        export_widths = {"name": 10, "id_number_masked": 22, "sex": 6, "birth_year": 8, "current_enterprise": 28,
                         "occupation": 20, "retirement_category": 18, "work_start_date": 12}

    def order_education(self, queryset: QuerySet[Any], is_descending: bool) -> tuple[QuerySet[Any], bool]:
        """By level (初中及以下 < 高中 < 大专 < 本科 < 研究生), not by the stored code; blanks last."""
        return order_by_choices(queryset, "education", Education, is_descending, then=WORKER_ORDER)

    def body_html(self) -> SafeString:
        """The page's rows, written in Python: Django's template engine took most of a list
        page's time for 50 rows of 9 cells (bench/bench_pages.py). Headers, sorting and paging
        stay django-tables2's own; the cells must follow ``Meta.fields``."""
        rows = []
        for row in self.paginated_rows:
            w: Worker = row.record
            enterprise = w.current_enterprise
            cells = (
                f'<a href="{escape(reverse("registry:worker_detail", args=[w.pk]))}">{escape(w.name)}</a>',
                escape(w.id_number_masked),
                escape(str(SEX_LABELS.get(w.sex, w.sex))),
                str(birth_year(w)) if w.birth_date else "—",
                escape(enterprise.name) if enterprise else "—",
                escape(enterprise.industry.name) if enterprise and enterprise.industry else "—",
                escape(str(LEVEL_LABELS[w.skill_level])) if w.skill_level is not None else "—",
                escape(str(EDUCATION_LABELS[w.education])) if w.education else "—",
                "✔" if w.is_frontline else "—",
            )
            rows.append(
                "<tr>" + "".join(f'<td class="masked">{c}</td>' if i == 1 else f"<td>{c}</td>"
                                 for i, c in enumerate(cells)) + "</tr>"
            )
        return mark_safe("\n".join(rows))  # every value above is escaped


class EnterpriseTable(ListTable):
    name = tables.Column(linkify=True, order_by=enterprise_order())
    worker_count = tables.Column(verbose_name=_("workers"), orderable=True)
    # export only (core.exports)
    address = tables.Column(visible=False)
    contact_name = tables.Column(visible=False)
    contact_phone_masked = tables.Column(verbose_name=_("contact phone"), visible=False)

    class Meta(ListTable.Meta):
        model = Enterprise
        template_name = "registry/tables/enterprise.html"
        fields = ["name", "uscc", "industry", "ownership", "is_above_scale", "town", "worker_count"]
        order_by = ("name",)
        export_widths = {"name": 30, "uscc": 22, "address": 30}


class CertificateTable(WorkerRecordTable):
    issued_on = tables.DateColumn(format="Y-m-d")

    class Meta(ListTable.Meta):
        model = Certificate
        template_name = "registry/tables/certificate.html"
        fields = ["number", "worker", "enterprise", "level", "occupation_name", "issuer", "issued_on"]
        sequence = ["number", "worker", "worker_id_number", "enterprise", "level", "occupation_name", "issuer",
                    "issued_on"]
        export_widths = {"number": 26, "worker_id_number": 22, "enterprise": 28, "issuer": 24}


class HonourTable(WorkerRecordTable):
    awarded_on = tables.DateColumn(format="Y-m-d")

    class Meta(ListTable.Meta):
        model = Honour
        template_name = "registry/tables/honour.html"
        fields = ["name", "level", "worker", "enterprise", "awarded_on", "issuer"]
        sequence = ["name", "level", "worker", "worker_id_number", "enterprise", "awarded_on", "issuer"]
        export_widths = {"name": 20, "worker_id_number": 22, "enterprise": 28, "issuer": 24}

    def order_level(self, queryset: QuerySet[Any], is_descending: bool) -> tuple[QuerySet[Any], bool]:
        """By level (企业级 < 区级 < 市级 < 省级 < 国家级), not by the stored code."""
        return order_by_choices(queryset, "level", HonourLevel, is_descending, highest_first=True,
                                then=("-awarded_on", "pk"))
