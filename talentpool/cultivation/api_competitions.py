"""Read-only API of the competitions: competitions, their events and the entries, each scoped like
its pages (core.api.RestrictedViewSetMixin) and filtered by the lists' filter sets."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from talentpool.core.api import RestrictedViewSetMixin

from .filters_competitions import CompetitionEventFilter, CompetitionFilter, EntryFilter
from .models import Competition, CompetitionEvent, Entry


class CompetitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Competition
        fields = [
            "id",
            "name",
            "year",
            "level",
            "competition_class",
            "organiser",
            "enterprise",
            "start_date",
            "end_date",
            "description",
            "version",
        ]


class CompetitionEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompetitionEvent
        fields = ["id", "competition", "code", "name", "occupation", "held_on", "venue", "results_recorded"]


class EntrySerializer(serializers.ModelSerializer):
    worker_name = serializers.CharField(source="worker.name", read_only=True)
    event_code = serializers.CharField(source="event.code", read_only=True)

    class Meta:
        model = Entry
        fields = ["id", "event", "event_code", "worker", "worker_name", "enterprise", "rank", "score", "award"]


class CompetitionViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Competition
    serializer_class = CompetitionSerializer
    filterset_class = CompetitionFilter


class CompetitionEventViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = CompetitionEvent
    serializer_class = CompetitionEventSerializer
    filterset_class = CompetitionEventFilter


class EntryViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Entry
    serializer_class = EntrySerializer
    filterset_class = EntryFilter

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("worker", "event")
