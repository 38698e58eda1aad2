"""REST API of the registry: one viewset per resource, querysets from ``restrict``.

Writes go through the same services as the pages; personal data is masked in every payload."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from talentpool.core.exceptions import ServiceError
from talentpool.core.roles import Action
from talentpool.rules.idnumber import InvalidIdNumber, parse_id_number

from . import services
from .filters import CertificateFilter, EnterpriseFilter, HonourFilter, WorkerFilter
from .forms import NewWorkerForm
from .models import Certificate, Enterprise, Honour, Industry, Worker
from .search import looks_like_id_number


class IndustrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Industry
        fields = ["id", "name", "is_heritage"]


class EnterpriseSerializer(serializers.ModelSerializer):
    industry = serializers.StringRelatedField()
    contact_phone = serializers.CharField(source="contact_phone_masked")

    class Meta:
        model = Enterprise
        fields = ["id", "name", "uscc", "industry", "ownership", "is_above_scale", "town", "address",
                  "contact_name", "contact_phone"]


class WorkerSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)
    current_enterprise = serializers.PrimaryKeyRelatedField(read_only=True)
    current_enterprise_name = serializers.CharField(source="current_enterprise.name", read_only=True, default=None)

    class Meta:
        model = Worker
        fields = ["id", "name", "id_number", "sex", "birth_date", "phone", "education", "retirement_category",
                  "is_frontline", "work_start_date", "skill_level", "occupation", "current_enterprise",
                  "current_enterprise_name"]


class CertificateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certificate
        fields = ["id", "worker", "number", "level", "occupation_name", "issuer", "issued_on", "warnings"]


class HonourSerializer(serializers.ModelSerializer):
    class Meta:
        model = Honour
        fields = ["id", "worker", "name", "level", "awarded_on", "issuer"]


class IdLookupSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=24)

    def validate_id_number(self, value: str) -> str:
        try:
            return parse_id_number(value).number
        except InvalidIdNumber as exc:
            raise serializers.ValidationError(str(exc)) from exc


class RestrictedViewSetMixin:
    model: Any
    request: Request

    def get_queryset(self) -> QuerySet[Any]:
        return self.model.objects.restrict(self.request.user, Action.VIEW).order_by("pk")


class IndustryViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Industry
    serializer_class = IndustrySerializer
    pagination_class = None


class EnterpriseViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Enterprise
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("industry")


class WorkerViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    model = Worker
    serializer_class = WorkerSerializer
    filterset_class = WorkerFilter

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("current_enterprise")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if looks_like_id_number(request.query_params.get("q", "")):
            # an ID number in a URL ends up in access logs: refuse it and name the way that keeps it out
            return Response({"q": ["身份证号不能放在网址中，请用 POST /api/workers/lookup/ 查询"]},
                            status=status.HTTP_400_BAD_REQUEST)
        return super().list(request, *args, **kwargs)

    @extend_schema(request=IdLookupSerializer, responses=WorkerSerializer(many=True))
    @action(detail=False, methods=["post"])
    def lookup(self, request: Request) -> Response:
        """Find a worker by exact ID number, sent in the body so it never appears in a URL."""
        query = IdLookupSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        workers = self.get_queryset().search(query.validated_data["id_number"])  # type: ignore[attr-defined]
        return Response(self.get_serializer(workers, many=True).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Register a worker (same fields and rules as the page)."""
        enterprises = Enterprise.objects.restrict(request.user, Action.CHANGE)
        form = NewWorkerForm(request.data, enterprises=enterprises)
        if not form.is_valid():
            return Response(form.errors, status=status.HTTP_400_BAD_REQUEST)
        data = dict(form.cleaned_data)
        try:
            worker = services.register_worker(
                actor=request.user, enterprise=data.pop("enterprise"),  # type: ignore[arg-type]
                employment_start=data.pop("employment_start"), position=data.pop("position"), **data,
            )
        except ServiceError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(self.get_serializer(worker).data, status=status.HTTP_201_CREATED)


class CertificateViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Certificate
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter


class HonourViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Honour
    serializer_class = HonourSerializer
    filterset_class = HonourFilter
