"""REST API of the registry: one viewset per resource, querysets from ``restrict``.

Writes go through the same services as the pages; personal data is masked in every payload."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from talentpool.core.api import (
    ErrorSerializer,
    RequestSerializer,
    RestrictedViewSetMixin,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictPrimaryKeyRelatedField,
)
from talentpool.core.roles import Action
from talentpool.rules import masking
from talentpool.rules.dates import DatedEvent, event_date_error
from talentpool.rules.idnumber import InvalidIdNumber, parse_id_number
from talentpool.rules.names import normalise_name
from talentpool.rules.text import normalise_text
from talentpool.rules.uscc import InvalidUscc, validate_uscc

from . import services
from .choices import Education, Ownership, RetirementCategory, SkillLevel
from .fields import OccupationRelatedField
from .filters import CertificateFilter, EnterpriseFilter, HonourFilter, WorkerFilter
from .models import Certificate, Enterprise, Honour, Industry, Worker
from .occupations import choosable
from .search import TooManyIdSearches, looks_like_id_number, search_by_id_number, search_for


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
                  "contact_name", "contact_phone", "version"]


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
                  "current_enterprise_name", "version"]


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
    occupation = OccupationRelatedField(  # a record number, or a code, name or alias (occupations.py)
        queryset=choosable(), label=_("occupation"), required=False, allow_null=True,
        help_text=_("The occupation's record number, or its code, name or alias: 6-18-01-01, 车工, 维修电工."),
        default=None,
    )
    enterprise = ChangeableEnterpriseField(
        queryset=Enterprise.objects.all(), label=_("enterprise"),
        help_text=_("The employing enterprise (an operator: their own)."),
    )
    employment_start = StrictDateField(label=_("employed since"))
    position = StrictCharField(label=_("post"), max_length=64, required=False, allow_blank=True, default="")

    def validate_name(self, value: str) -> str:
        name = normalise_name(value)
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
        if value and (error := event_date_error(DatedEvent.WORK_START, value, today=timezone.localdate())):
            raise serializers.ValidationError(error)
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The rules of the record across fields (services.worker_rule_errors), on their fields."""
        attrs = super().validate(attrs)
        if errors := services.worker_rule_errors(attrs, self.instance):
            raise serializers.ValidationError(errors)
        return attrs


# Edits: the version read, sent back --------------------------------------------------------
# GET of one worker or enterprise sends ``ETag: W/"<version>"``. PUT and PATCH must say which
# version they change: ``If-Match`` with that ETag (or ``*``: any), else a ``version`` field in the
# body; neither is a 428. A change saved meanwhile is a 412 and nothing is written
# (services.EditConflict, checked under the row lock).

VERSION_HELP = _("The version you read (the number in the ETag of GET). Needed when no If-Match header is sent.")
STALE = _(
    "This record was changed by someone else after you read it; nothing was saved. Read it again (GET) and "
    "send your change with its new ETag."
)
NO_VERSION = _("Send the version you read: the If-Match header with the ETag of GET, or a version field in the body.")
IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description=_('The ETag of GET (W/"<version>"): the change is refused with 412 if the record changed since.'),
)
ETAG = OpenApiParameter(
    "ETag", str, OpenApiParameter.HEADER, response=[200],
    description=_('W/"<version>": send it back as If-Match to change this version only.'),
)
EDIT_RESPONSES = {
    412: OpenApiResponse(ErrorSerializer, description=_("Changed by someone else since the version sent.")),
    428: OpenApiResponse(ErrorSerializer, description=_("Neither If-Match nor version was sent.")),
}
PAUSED = OpenApiResponse(
    ErrorSerializer, description=_("Too many registrations were refused in the last hour: registering by ID number "
                                   "is paused (Retry-After says for how long)."),
)


def etag(obj: Worker | Enterprise) -> str:
    return f'W/"{obj.version}"'


def expected_version(request: Request, body_version: int | None) -> int | Response | None:
    """The version a PUT or PATCH changes (None: any, for ``If-Match: *``), or the 428 answer."""
    header = request.headers.get("If-Match")
    if header is None:
        if body_version is None:
            return Response({"detail": NO_VERSION}, status=status.HTTP_428_PRECONDITION_REQUIRED)
        return body_version
    tags = [tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")]
    if "*" in tags:
        return None
    numbers = [int(tag) for tag in tags if tag.isdigit()]
    return numbers[0] if len(numbers) == 1 else -1  # several or none: matches no version


ID_SEARCHES_PAUSED = OpenApiResponse(
    ErrorSerializer, description=_("Too many searches by ID number in the last hour (Retry-After says for how long)."),
)


def paused(exc: services.TooManyRefusals | TooManyIdSearches) -> Response:
    wait = max(int((exc.until - timezone.now()).total_seconds()) + 1, 1)
    return Response({"detail": str(exc)}, status=status.HTTP_429_TOO_MANY_REQUESTS, headers={"Retry-After": str(wait)})


class WorkerUpdateSerializer(WorkerCreateSerializer):
    """The body of ``PUT`` / ``PATCH /api/workers/<id>/``: the edit page's fields. The ID number
    and phone may be sent back masked, as GET gives them: that leaves them as they are."""

    enterprise = None  # employment changes are their own pages (departure, change of employer)
    employment_start = None
    position = None
    version = serializers.IntegerField(min_value=1, required=False, write_only=True, help_text=VERSION_HELP)

    def validate_id_number(self, value: str) -> str:
        if self.instance is not None and value == self.instance.id_number_masked:
            return value
        return super().validate_id_number(value)

    def validate_phone(self, value: str) -> str:
        if self.instance is not None and value and value == self.instance.phone_masked:
            return value
        return super().validate_phone(value)

    def changes(self) -> dict[str, Any]:
        """The validated fields for services.update_worker: masked values sent back dropped."""
        data = dict(self.validated_data)
        data.pop("version", None)
        worker = self.instance
        if data.get("id_number") == worker.id_number_masked:
            del data["id_number"]
        if "phone" in data and data["phone"] and data["phone"] == worker.phone_masked:
            del data["phone"]
        return data


class EnterpriseUpdateSerializer(RequestSerializer):
    """The body of ``PUT`` / ``PATCH /api/enterprises/<id>/``: the edit page's fields. Operators
    change the address and contacts of their own enterprise only (other fields are kept); the
    contact phone may be sent back masked, as GET gives it."""

    name = StrictCharField(label=_("enterprise name"), max_length=100)
    uscc = StrictCharField(label=_("unified social credit code"), max_length=24)
    industry = StrictPrimaryKeyRelatedField(queryset=Industry.objects.all(), label=_("industry"))
    ownership = StrictChoiceField(Ownership.choices, label=_("ownership"))
    is_above_scale = StrictBooleanField(label=_("above designated size"))
    town = StrictCharField(label=_("town or street"), max_length=32, allow_blank=True)
    address = StrictCharField(label=_("address"), max_length=200, allow_blank=True)
    contact_name = StrictCharField(label=_("contact person"), max_length=32, allow_blank=True)
    contact_phone = StrictCharField(label=_("contact phone"), max_length=24, allow_blank=True)
    version = serializers.IntegerField(min_value=1, required=False, write_only=True, help_text=VERSION_HELP)

    def validate_name(self, value: str) -> str:
        name = normalise_text(value)
        if not name:
            raise serializers.ValidationError(_("Enter the name."))
        return name

    def validate_uscc(self, value: str) -> str:
        try:
            return validate_uscc(value)
        except InvalidUscc as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate_contact_phone(self, value: str) -> str:
        if not value.strip() or (self.instance is not None and value == self.instance.contact_phone_masked):
            return value.strip()
        try:
            return masking.validate_phone(value.strip())
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def changes(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        data.pop("version", None)
        enterprise = self.instance
        if enterprise.contact_phone and data.get("contact_phone") == enterprise.contact_phone_masked:
            del data["contact_phone"]
        return data


class VersionedUpdateMixin:
    """``retrieve`` with an ETag; ``update`` / ``partial_update`` through ``update_service`` with the
    version the client read (see above)."""

    update_serializer: Any
    response_serializer: Any

    def update_service(self, obj: Any, *, actor: Any, expected_version: int | None, **fields: Any) -> Any:
        raise NotImplementedError

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()  # type: ignore[attr-defined]
        return Response(self.get_serializer(obj).data, headers={"ETag": etag(obj)})  # type: ignore[attr-defined]

    def _update(self, request: Request, *, partial: bool) -> Response:
        obj = self.get_object()  # type: ignore[attr-defined]
        body = self.update_serializer(obj, data=request.data, partial=partial,
                                      context=self.get_serializer_context())  # type: ignore[attr-defined]
        body.is_valid(raise_exception=True)
        version = expected_version(request, body.validated_data.get("version"))
        if isinstance(version, Response):
            return version
        try:
            obj = self.update_service(obj, actor=request.user, expected_version=version, **body.changes())
        except services.EditConflict:
            return Response({"detail": STALE}, status=status.HTTP_412_PRECONDITION_FAILED)
        except services.TooManyRefusals as exc:
            return paused(exc)
        obj = self.get_queryset().get(pk=obj.pk)  # type: ignore[attr-defined]
        return Response(self.get_serializer(obj).data, headers={"ETag": etag(obj)})  # type: ignore[attr-defined]

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._update(request, partial=False)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._update(request, partial=True)


class IndustryViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Industry
    serializer_class = IndustrySerializer
    pagination_class = None


def _edit_schema(body: Any, response: Any) -> Any:
    edit = {"request": body, "responses": {200: response, **EDIT_RESPONSES}, "parameters": [IF_MATCH, ETAG]}
    return extend_schema_view(
        retrieve=extend_schema(parameters=[ETAG]),
        update=extend_schema(description=_("Change every field, of the version read (If-Match, or version)."),
                             **edit),
        partial_update=extend_schema(description=_("Change the fields sent, of the version read (If-Match, or "
                                                   "version)."), **edit),
    )


@_edit_schema(EnterpriseUpdateSerializer, EnterpriseSerializer)
class EnterpriseViewSet(VersionedUpdateMixin, RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Enterprise
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    update_serializer = EnterpriseUpdateSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("industry")

    def update_service(self, obj: Any, **kwargs: Any) -> Any:
        return services.update_enterprise(obj, **kwargs)


@_edit_schema(WorkerUpdateSerializer, WorkerSerializer)
class WorkerViewSet(VersionedUpdateMixin, RestrictedViewSetMixin, mixins.CreateModelMixin,
                    viewsets.ReadOnlyModelViewSet):
    model = Worker
    serializer_class = WorkerSerializer
    filterset_class = WorkerFilter
    update_serializer = WorkerUpdateSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("current_enterprise")

    def update_service(self, obj: Any, **kwargs: Any) -> Any:
        return services.update_worker(obj, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if looks_like_id_number(request.query_params.get("q", "")):
            # an ID number in a URL ends up in access logs: refuse it and name the way that keeps it out
            return Response({"q": ["身份证号不能放在网址中，请用 POST /api/workers/lookup/ 查询"]},
                            status=status.HTTP_400_BAD_REQUEST)
        return super().list(request, *args, **kwargs)

    @extend_schema(request=IdLookupSerializer, responses={200: WorkerSerializer(many=True), 429: ID_SEARCHES_PAUSED})
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def lookup(self, request: Request) -> Response:
        """Find a worker by exact ID number, sent in the body so it never appears in a URL. Every
        lookup is audited, and beyond the hourly limit per user refused (429)."""
        query = IdLookupSerializer(data=request.data, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        search = search_for(query.validated_data["id_number"])
        try:
            workers = search_by_id_number(request.user, self.get_queryset(), search)
        except TooManyIdSearches as exc:
            return paused(exc)
        return Response(self.get_serializer(workers, many=True).data)

    @extend_schema(request=WorkerCreateSerializer, responses={201: WorkerSerializer, 429: PAUSED})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Register a worker (same fields and rules as the page). A business refusal (not your
        enterprise, no right to register, a person already registered) is a 400 with ``detail``;
        to an operator it never says where a person is registered, and after too many such
        refusals in an hour registration pauses (429)."""
        body = WorkerCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        try:
            worker = services.register_worker(  # a ServiceError becomes a 400 (core.api.exception_handler)
                actor=request.user,  # type: ignore[arg-type]
                enterprise=data.pop("enterprise"),
                employment_start=data.pop("employment_start"),
                position=data.pop("position"),
                **data,
            )
        except services.TooManyRefusals as exc:
            return paused(exc)
        return Response(self.get_serializer(worker).data, status=status.HTTP_201_CREATED)


class CertificateViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Certificate
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter


class HonourViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    model = Honour
    serializer_class = HonourSerializer
    filterset_class = HonourFilter
