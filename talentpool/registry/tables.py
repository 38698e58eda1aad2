"""django-tables2 tables of the registry's list pages."""

from html import escape

import django_tables2 as tables
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from talentpool.core.tables import ListTable

from .choices import Education, Sex, SkillLevel
from .models import Certificate, Enterprise, Honour, Worker
from .privacy import BIRTH_YEAR_ORDER, birth_year

SEX_LABELS = dict(Sex.choices)
LEVEL_LABELS = dict(SkillLevel.choices)
EDUCATION_LABELS = dict(Education.choices)


class WorkerRecordTable(ListTable):
    """A list of records that belong to a worker (certificates, honours): whose, and where they work."""

    worker = tables.Column(linkify=True, order_by=("worker__name",))
    enterprise = tables.Column(verbose_name=_("enterprise"), accessor="worker__current_enterprise__name",
                               order_by=("worker__current_enterprise__name",))


class WorkerTable(ListTable):
    name = tables.Column(linkify=True, order_by=("name_sort", "name", "pk"))  # pinyin order
    id_number_masked = tables.Column(verbose_name=_("ID number"), orderable=False, attrs={"td": {"class": "masked"}})
    current_enterprise = tables.Column(verbose_name=_("enterprise"), order_by=("current_enterprise__name",))
    # Not sortable: ordering 100,000 rows by a two-join column costs a full sort (bench_pages.py).
    industry = tables.Column(verbose_name=_("industry"), accessor="current_enterprise__industry__name",
                             orderable=False)
    skill_level = tables.Column()
    # The year, never the date: beside the masked ID number the date is the whole number (privacy.py).
    birth_year = tables.Column(verbose_name=_("birth year"), accessor="birth_date__year", order_by=BIRTH_YEAR_ORDER)

    class Meta(ListTable.Meta):
        model = Worker
        template_name = "registry/tables/worker.html"
        fields = ["name", "id_number_masked", "sex", "birth_year", "current_enterprise", "industry",
                  "skill_level", "education", "is_frontline"]

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
    name = tables.Column(linkify=True)
    worker_count = tables.Column(verbose_name=_("workers"), orderable=True)

    class Meta(ListTable.Meta):
        model = Enterprise
        template_name = "registry/tables/enterprise.html"
        fields = ["name", "uscc", "industry", "ownership", "is_above_scale", "town", "worker_count"]


class CertificateTable(WorkerRecordTable):
    issued_on = tables.DateColumn(format="Y-m-d")

    class Meta(ListTable.Meta):
        model = Certificate
        template_name = "registry/tables/certificate.html"
        fields = ["number", "worker", "enterprise", "level", "occupation_name", "issuer", "issued_on"]


class HonourTable(WorkerRecordTable):
    awarded_on = tables.DateColumn(format="Y-m-d")

    class Meta(ListTable.Meta):
        model = Honour
        template_name = "registry/tables/honour.html"
        fields = ["name", "level", "worker", "enterprise", "awarded_on", "issuer"]
