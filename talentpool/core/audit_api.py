"""``GET /api/audit/``: the audit log, read-only and for admins only (anyone else gets a 404, as
on the audit page), filtered by event, user, object type and time (core.audit_filters), paginated,
and shown as the page shows it: event labels, field and choice labels, personal numbers masked
(core.audit_display). Registered on the one API root by CoreConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, viewsets
from rest_framework.request import Request

from . import audit_display
from .audit_filters import AuditApiFilter
from .models import AuditLog
from .registry import audit_event_label, canonical_event


class AuditChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text=_("The field's label (or the key of what was recorded)."))
    before = serializers.CharField(allow_null=True, help_text=_("The value before (null: a single value)."))
    after = serializers.CharField(help_text=_("The value after, or the value recorded."))


class AuditRecordSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label", help_text=_("Who acted (username, or the command)."))
    event = serializers.SerializerMethodField(help_text=_("The dotted event name (older records: their event's)."))
    event_label = serializers.SerializerMethodField()
    object_type = serializers.SerializerMethodField(help_text=_("app_label.model of the object, or null."))
    object = serializers.SerializerMethodField(help_text=_("The object as it was named, personal numbers masked."))
    changes = serializers.SerializerMethodField()
    address = serializers.IPAddressField(source="ip_address", allow_null=True, read_only=True)

    class Meta:
        model = AuditLog
        fields = ["id", "at", "actor", "event", "event_label", "object_type", "object_id", "object", "changes",
                  "address"]

    def get_event(self, record: AuditLog) -> str:
        return canonical_event(record.action)

    def get_event_label(self, record: AuditLog) -> str:
        return audit_event_label(record.action)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_object_type(self, record: AuditLog) -> str | None:
        if record.content_type_id is None:
            return None
        try:
            content_type = ContentType.objects.get_for_id(record.content_type_id)  # cached per process
        except ContentType.DoesNotExist:
            return None
        return f"{content_type.app_label}.{content_type.model}"

    def get_object(self, record: AuditLog) -> str:
        return audit_display.object_label(record.object_repr)

    @extend_schema_field(AuditChangeSerializer(many=True))
    def get_changes(self, record: AuditLog) -> list[dict[str, Any]]:
        return [{"field": c.label, "before": c.before, "after": c.after} for c in audit_display.record_changes(record)]


class AuditLogViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log, newest first (admins only)."""

    serializer_class = AuditRecordSerializer
    filterset_class = AuditApiFilter

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # anonymous callers: the API's 403
        if not request.user.is_admin:  # type: ignore[union-attr]
            raise exceptions.NotFound()

    def get_queryset(self) -> QuerySet[AuditLog]:
        return AuditLog.objects.order_by("-at", "-id")
