"""The read-only API of "五小" innovations (/api/innovations/), scoped like the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from rest_framework import serializers, viewsets

from talentpool.core.api import RestrictedViewSetMixin

from .filters_innovations import InnovationFilter
from .models import Innovation, InnovationMember


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="worker.name", read_only=True)

    class Meta:
        model = InnovationMember
        fields = ["worker", "name", "role"]


class InnovationSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    members = MemberSerializer(many=True, read_only=True)

    class Meta:
        model = Innovation
        fields = [
            "id",
            "title",
            "kind",
            "enterprise",
            "enterprise_name",
            "submitted_on",
            "members",
            "description",
            "is_adopted",
            "adopted_on",
            "economic_benefit",
            "social_benefit",
            "status",
            "evaluation",
            "evaluated_on",
            "commendation_level",
            "commendation_year",
            "commended_on",
            "version",
        ]


def members_prefetch() -> Prefetch:
    return Prefetch(
        "members",
        queryset=InnovationMember.objects.select_related("worker")
        .only("pk", "innovation_id", "role", "order", "worker_id", "worker__name")
        .order_by("order", "pk"),
    )


class InnovationViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Innovation
    serializer_class = InnovationSerializer
    filterset_class = InnovationFilter

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("enterprise").prefetch_related(members_prefetch())
