"""Read-only API of training: courses, classes and enrolments, each scoped like its pages
(core.api.RestrictedViewSetMixin) and filtered by the lists' filter sets."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from talentpool.core.api import RestrictedViewSetMixin

from .filters_training import CourseFilter, EnrolmentFilter, TrainingClassFilter
from .models import Course, Enrolment, TrainingClass


class CourseSerializer(serializers.ModelSerializer):
    occupations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Course
        fields = ["id", "code", "name", "occupations", "target_level", "hours", "description", "is_active"]


class TrainingClassSerializer(serializers.ModelSerializer):
    enterprises = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = TrainingClass
        fields = [
            "id",
            "code",
            "name",
            "course",
            "mode",
            "status",
            "ordered_by",
            "enterprises",
            "capacity",
            "start_date",
            "end_date",
            "venue",
            "teacher",
        ]


class EnrolmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enrolment
        fields = [
            "id",
            "training_class",
            "worker",
            "enterprise",
            "status",
            "result",
            "score",
            "level_up_certificate",
            "level_up_on",
        ]


class CourseViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Course
    serializer_class = CourseSerializer
    filterset_class = CourseFilter

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().prefetch_related("occupations")


class TrainingClassViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = TrainingClass
    serializer_class = TrainingClassSerializer
    filterset_class = TrainingClassFilter

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().prefetch_related("enterprises")


class EnrolmentViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Enrolment
    serializer_class = EnrolmentSerializer
    filterset_class = EnrolmentFilter
