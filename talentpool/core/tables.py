"""The base of every list table (django-tables2): the styling and the empty text all lists share."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _


class ListTable(tables.Table):
    """What every list table shares."""

    class Meta:
        empty_text = _("No records match.")
        attrs = {"class": "table table-hover table-sm align-middle mb-0"}
