"""django-tables2 tables of the registry's list pages."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Certificate, Enterprise, Honour, Worker


class WorkerTable(tables.Table):
    name = tables.Column(linkify=True, order_by=("name_sort", "name", "pk"))  # pinyin order
    id_number_masked = tables.Column(verbose_name=_("ID number"), orderable=False, attrs={"td": {"class": "masked"}})
    current_enterprise = tables.Column(verbose_name=_("enterprise"), order_by=("current_enterprise__name",))
    # Not sortable: ordering 100,000 rows by a two-join column costs a full sort (bench_pages.py).
    industry = tables.Column(verbose_name=_("industry"), accessor="current_enterprise__industry__name",
                             orderable=False)
    skill_level = tables.Column()
    birth_date = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = Worker
        template_name = "registry/tables/worker.html"
        empty_text = _("No records match.")
        fields = ["name", "id_number_masked", "sex", "birth_date", "current_enterprise", "industry",
                  "skill_level", "education", "is_frontline"]
        attrs = {"class": "table table-hover table-sm align-middle mb-0"}


class EnterpriseTable(tables.Table):
    name = tables.Column(linkify=True)
    worker_count = tables.Column(verbose_name=_("workers"), orderable=True)

    class Meta:
        model = Enterprise
        template_name = "registry/tables/enterprise.html"
        empty_text = _("No records match.")
        fields = ["name", "uscc", "industry", "ownership", "is_above_scale", "town", "worker_count"]
        attrs = {"class": "table table-hover table-sm align-middle mb-0"}


class CertificateTable(tables.Table):
    worker = tables.Column(linkify=True, order_by=("worker__name",))
    enterprise = tables.Column(verbose_name=_("enterprise"), accessor="worker__current_enterprise__name",
                               order_by=("worker__current_enterprise__name",))
    issued_on = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = Certificate
        template_name = "registry/tables/certificate.html"
        empty_text = _("No records match.")
        fields = ["number", "worker", "enterprise", "level", "occupation_name", "issuer", "issued_on"]
        attrs = {"class": "table table-hover table-sm align-middle mb-0"}


class HonourTable(tables.Table):
    worker = tables.Column(linkify=True, order_by=("worker__name",))
    enterprise = tables.Column(verbose_name=_("enterprise"), accessor="worker__current_enterprise__name",
                               order_by=("worker__current_enterprise__name",))
    awarded_on = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = Honour
        template_name = "registry/tables/honour.html"
        empty_text = _("No records match.")
        fields = ["name", "level", "worker", "enterprise", "awarded_on", "issuer"]
        attrs = {"class": "table table-hover table-sm align-middle mb-0"}
