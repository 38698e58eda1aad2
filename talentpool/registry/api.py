"""REST API of the registry: one viewset per resource, querysets from ``restrict``.

Writes go through the same services as the pages; personal data is masked in every payload."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from talentpool.core.api import (
    RequestSerializer,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictPrimaryKeyRelatedField,
)
from talentpool.core.roles import Action
from talentpool.rules import masking
from talentpool.rules.idnumber import InvalidIdNumber, parse_id_number
from talentpool.rules.text import normalise_text

from . import services
from .choices import Education, RetirementCategory, SkillLevel
from .filters import CertificateFilter, EnterpriseFilter, HonourFilter, WorkerFilter
from .models import Certificate, Enterprise, Honour, Industry, Occupation, Worker
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
    current_enterprise = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    current_enterprise_name = serializers.CharField(
        source="current_enterprise.name", read_only=True, default=None, allow_null=True
    )  # null once the worker has left their last employer
    # The year, never the date: beside the masked ID number the date is the whole number (privacy.py).
    birth_year = serializers.IntegerField(source="birth_date.year", read_only=True)

    class Meta:
        model = Worker
        fields = ["id", "name", "id_number", "sex", "birth_year", "phone", "education", "retirement_category",
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


# Request bodies ----------------------------------------------------------------------------


def _id_number(value: str) -> str:
    try:
        return parse_id_number(value).number
    except InvalidIdNumber as exc:
        raise serializers.ValidationError(str(exc)) from exc


class IdLookupSerializer(RequestSerializer):
    """The body of ``POST /api/workers/lookup/``: an ID number, kept out of the URL."""

    id_number = StrictCharField(
        label=_("ID number"), max_length=24, write_only=True, help_text=_("18-character resident ID number.")
    )

    def validate_id_number(self, value: str) -> str:
        return _id_number(value)


class ChangeableEnterpriseField(StrictPrimaryKeyRelatedField):
    """An enterprise the requesting user may change (an operator: their own); any other is 'not found'."""

    def get_queryset(self) -> QuerySet[Enterprise]:
        return Enterprise.objects.restrict(self.context["request"].user, Action.CHANGE)


class WorkerCreateSerializer(RequestSerializer):
    """The body of ``POST /api/workers/``: the registration page's fields and rules
    (forms.NewWorkerForm). Birth date and sex are read from the ID number, not sent."""

    name = StrictCharField(label=_("name"), max_length=32)
    id_number = StrictCharField(
        label=_("ID number"), max_length=24, write_only=True, help_text=_("18-character resident ID number.")
    )
    phone = StrictCharField(label=_("phone"), max_length=24, required=False, allow_blank=True, default="")
    education = StrictChoiceField(
        Education.choices, label=_("education"), required=False, allow_blank=True, default=""
    )
    retirement_category = StrictChoiceField(RetirementCategory.choices, label=_("retirement category"))
    actual_retirement_date = StrictDateField(
        label=_("actual retirement date"), required=False, allow_null=True, default=None
    )
    is_frontline = StrictBooleanField(label=_("front-line worker"), required=False, default=True)
    work_start_date = StrictDateField(label=_("started work"), required=False, allow_null=True, default=None)
    skill_level = StrictChoiceField(
        SkillLevel.choices, label=_("skill level"), required=False, allow_null=True, default=None
    )
    occupation = StrictPrimaryKeyRelatedField(
        queryset=Occupation.objects.filter(level__gte=2), label=_("occupation"), required=False, allow_null=True,
        default=None,
    )
    enterprise = ChangeableEnterpriseField(
        queryset=Enterprise.objects.all(), label=_("enterprise"),
        help_text=_("The employing enterprise (an operator: their own)."),
    )
    employment_start = StrictDateField(label=_("employed since"))
    position = StrictCharField(label=_("post"), max_length=64, required=False, allow_blank=True, default="")

    def validate_name(self, value: str) -> str:
        name = normalise_text(value)
        if not name:
            raise serializers.ValidationError(_("Enter the name."))
        return name

    def validate_id_number(self, value: str) -> str:
        return _id_number(value)

    def validate_phone(self, value: str) -> str:
        if not value.strip():
            return ""
        try:
            return masking.validate_phone(value.strip())
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate_work_start_date(self, value: Any) -> Any:
        if value and value > timezone.localdate():
            raise serializers.ValidationError(_("The date is in the future."))
        return value


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

    @extend_schema(request=IdLookupSerializer, responses={200: WorkerSerializer(many=True)})
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def lookup(self, request: Request) -> Response:
        """Find a worker by exact ID number, sent in the body so it never appears in a URL."""
        query = IdLookupSerializer(data=request.data, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        workers = self.get_queryset().search(query.validated_data["id_number"])  # type: ignore[attr-defined]
        return Response(self.get_serializer(workers, many=True).data)

    @extend_schema(request=WorkerCreateSerializer, responses={201: WorkerSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Register a worker (same fields and rules as the page). A business refusal (not your
        enterprise, no right to register, a person already registered) is a 400 with ``detail``."""
        body = WorkerCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        worker = services.register_worker(  # a ServiceError becomes a 400 (core.api.exception_handler)
            actor=request.user,  # type: ignore[arg-type]
            enterprise=data.pop("enterprise"),
            employment_start=data.pop("employment_start"),
            position=data.pop("position"),
            **data,
        )
        return Response(self.get_serializer(worker).data, status=status.HTTP_201_CREATED)


class CertificateViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Certificate
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter


class HonourViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Honour
    serializer_class = HonourSerializer
    filterset_class = HonourFilter
