"""The read-only API of titles (/api/titles/), scoped like the pages, each with its history, and
of the tiers (/api/tiers/) with their allowance by year."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from rest_framework import serializers, viewsets

from talentpool.core.api import RestrictedViewSetMixin

from .choices import TitleStatus
from .filters import TitleFilter
from .models import Tier, TierAllowance, Title, TitleChange

STATUS_HELP = "One of: " + ", ".join(TitleStatus.values) + " (blank: none, before the conferral)."


def status_field() -> serializers.CharField:
    """A title status as a plain string: the choice set is named once in the schema's text, not as
    an enum of its own per field (drf-spectacular would name one per field, colliding with the
    other apps' ``status`` enums)."""
    return serializers.CharField(read_only=True, help_text=STATUS_HELP)


class TitleChangeSerializer(serializers.ModelSerializer):
    from_status = status_field()
    to_status = status_field()

    class Meta:
        model = TitleChange
        fields = ["from_status", "to_status", "at", "reason"]


class TitleSerializer(serializers.ModelSerializer):
    worker_name = serializers.CharField(source="worker.name", read_only=True)
    tier_code = serializers.CharField(source="tier.code", read_only=True)
    tier_name = serializers.CharField(source="tier.name", read_only=True)
    status = status_field()
    changes = TitleChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Title
        fields = [
            "id",
            "certificate_number",
            "worker",
            "worker_name",
            "tier",
            "tier_code",
            "tier_name",
            "year",
            "valid_from",
            "valid_to",
            "status",
            "source",
            "superseded_by",
            "changes",
        ]


class TitleViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Title
    serializer_class = TitleSerializer
    filterset_class = TitleFilter

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .select_related("worker", "tier")
            .prefetch_related(Prefetch("changes", queryset=TitleChange.objects.order_by("at", "pk")))
        )


class TierAllowanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = TierAllowance
        fields = ["from_year", "amount"]


class TierSerializer(serializers.ModelSerializer):
    rank = serializers.IntegerField(source="order", read_only=True)
    allowances = TierAllowanceSerializer(many=True, read_only=True)

    class Meta:
        model = Tier
        fields = ["id", "code", "name", "rank", "default_quota", "is_active", "allowances"]


class TierViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Tier
    serializer_class = TierSerializer

    def get_queryset(self) -> QuerySet[Any]:
        allowances = Prefetch("allowances", queryset=TierAllowance.objects.order_by("from_year"))
        return super().get_queryset().order_by("order", "code").prefetch_related(allowances)
