"""The read-only API of innovation studios (/api/studios/), scoped like the pages, each studio
with its members and yearly results."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from rest_framework import serializers, viewsets

from talentpool.core.api import RestrictedViewSetMixin

from .filters_studios import StudioFilter
from .models import Studio, StudioMember, StudioResult


class StudioMemberSerializer(serializers.ModelSerializer):
    worker_name = serializers.CharField(source="worker.name", read_only=True)

    class Meta:
        model = StudioMember
        fields = ["worker", "worker_name", "joined_on", "left_on"]


class StudioResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = StudioResult
        fields = ["year", "summary", "benefit"]


class StudioSerializer(serializers.ModelSerializer):
    leader_name = serializers.CharField(source="leader.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    members = StudioMemberSerializer(many=True, read_only=True)
    results = StudioResultSerializer(many=True, read_only=True)

    class Meta:
        model = Studio
        fields = [
            "id",
            "name",
            "enterprise",
            "enterprise_name",
            "leader",
            "leader_name",
            "level",
            "is_demonstration",
            "founded_year",
            "closed_year",
            "description",
            "members",
            "results",
            "version",
        ]


class StudioViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Studio
    serializer_class = StudioSerializer
    filterset_class = StudioFilter

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .select_related("leader", "enterprise")
            .prefetch_related(
                Prefetch("members", queryset=StudioMember.objects.select_related("worker").order_by("pk")),
                Prefetch("results", queryset=StudioResult.objects.order_by("-year")),
            )
        )
