"""The read-only API of master–apprentice pairs (/api/mentorships/), scoped like the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from talentpool.core.api import RestrictedViewSetMixin

from .filters_mentorship import MentorshipFilter
from .models import Mentorship


class MentorshipSerializer(serializers.ModelSerializer):
    master_name = serializers.CharField(source="master.name", read_only=True)
    apprentice_name = serializers.CharField(source="apprentice.name", read_only=True)

    class Meta:
        model = Mentorship
        fields = [
            "id",
            "master",
            "master_name",
            "apprentice",
            "apprentice_name",
            "enterprise",
            "start_date",
            "end_date",
            "goals",
            "is_famous_master",
            "status",
            "apprentice_level_gained",
            "competition_results",
            "benefit",
            "outcome_note",
            "version",
        ]


class MentorshipViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Mentorship
    serializer_class = MentorshipSerializer
    filterset_class = MentorshipFilter

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("master", "apprentice")
