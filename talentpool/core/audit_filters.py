"""Filters of the audit log, for its page (core.views.AuditLogView) and its API (core.audit_api).

An event is chosen by its dotted name (core.registry) and matches the records written under any
of its names: the dotted one and the undotted names of records from before (``names_for_event``),
which the hash chain keeps as they were stored."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .filters import DateRangeFilter
from .forms import style_fields
from .models import AuditLog
from .registry import audit_event_choices, names_for_event


@extend_schema_field(OpenApiTypes.STR)  # the events are the apps' (core.registry), known at start-up
class EventFilter(django_filters.ChoiceFilter):
    """One declared audit event; the records of its legacy names as well."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", audit_event_choices)  # a callable: the events of every app, read late
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in ([], (), {}, "", None):
            return qs
        return qs.filter(action__in=names_for_event(str(value)))


class AuditFilter(django_filters.FilterSet):
    """The audit page's filter: who (part of the name), what, which object (part of its text), when."""

    actor_label = django_filters.CharFilter(label=_("user"), lookup_expr="icontains")
    action = EventFilter(label=_("action"))
    object_repr = django_filters.CharFilter(label=_("object"), lookup_expr="icontains")
    at = DateRangeFilter(label=_("time"))  # a reversed range is a form error (core.filters)

    class Meta:
        model = AuditLog
        fields = ["actor_label", "action", "object_repr", "at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self.form.fields, small=True)


class AuditApiFilter(django_filters.FilterSet):
    """``GET /api/audit/``'s filters: ``event`` (a dotted name), ``actor`` (a username, exactly),
    ``object_type`` (``app_label.model``, e.g. ``registry.worker``), ``object_id``, and the time
    range ``at_after`` / ``at_before`` (dates, both days included)."""

    event = EventFilter(label=_("event"), help_text=_("A dotted event name; older records of the event match too."))
    actor = django_filters.CharFilter(field_name="actor_label", label=_("user"), help_text=_("The username, exactly."))
    object_type = django_filters.CharFilter(
        method="filter_object_type", label=_("object type"),
        help_text=_("The model of the object, as app_label.model (e.g. registry.worker)."),
    )
    object_id = django_filters.CharFilter(label=_("object number"))
    at = django_filters.DateFromToRangeFilter(label=_("time"))

    class Meta:
        model = AuditLog
        fields = ["event", "actor", "object_type", "object_id", "at"]

    def filter_object_type(self, queryset: QuerySet[AuditLog], name: str, value: str) -> QuerySet[AuditLog]:
        app_label, _dot, model = value.strip().lower().partition(".")
        if not app_label or not model:
            return queryset.none()
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)
