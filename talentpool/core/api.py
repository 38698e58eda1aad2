"""What every API endpoint shares: strict input fields, the error shapes and the exception handler
that turns every refusal into a 4xx answer with a Chinese message (bad input is never a 500), and
the schema class that documents those answers on every operation.

Apps build their request serializers on :class:`RequestSerializer` and the ``Strict*`` fields:
DRF's own fields take ``123`` for a text, ``1`` for a boolean and ``true`` for a primary key, and
a huge number for a key reaches the database."""

from __future__ import annotations

from datetime import date
from typing import Any

import uritemplate
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, UnreadablePostError
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback
from rest_framework.views import exception_handler as drf_exception_handler

from talentpool.rules.text import MAX_YEAR, MIN_YEAR

from .exceptions import OutOfScope, ServiceError
from .roles import Action

# The largest key a (big) integer column holds: a larger one is no record, not a database error.
MAX_KEY = 2**63 - 1
# Form posts through the session may carry the CSRF token in the body, next to the fields.
IGNORED_KEYS = frozenset({"csrfmiddlewaretoken"})


# Fields ------------------------------------------------------------------------------------


class StrictCharField(serializers.CharField):
    """Text, and only text: a number, list or object is refused (DRF turns ``123`` into ``"123"``),
    and so is text the database cannot store (a NUL, or a lone UTF-16 surrogate as JSON can write)."""

    default_error_messages = {
        "invalid": _("Enter text (a string)."),
        "unstorable": _("The text contains characters that cannot be stored."),
    }

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            self.fail("unstorable")
        if "\x00" in data:  # PostgreSQL stores no NUL; DRF's own message for it is mistranslated
            self.fail("unstorable")
        return str(super().to_internal_value(data))


class StrictBooleanField(serializers.BooleanField):
    """``true`` or ``false`` (or their form spellings): a number is not a yes or no."""

    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, (bool, str)):
            self.fail("invalid")
        return bool(super().to_internal_value(data))


class StrictChoiceField(serializers.ChoiceField):
    """One of the listed values (a number choice also as its digits); the refusal names the
    choices instead of echoing what was sent, which may be long or personal."""

    default_error_messages = {"invalid_choice": _("Choose one of: {choices}.")}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, (str, int)):
            self.fail("invalid_choice", choices=", ".join(map(str, self.choices)))
        if data == "" and self.allow_blank:
            return ""
        try:
            return self.choice_strings_to_values[str(data)]
        except KeyError:
            self.fail("invalid_choice", choices=", ".join(map(str, self.choices)))


class StrictDateField(serializers.DateField):
    """A date written ``YYYY-MM-DD`` between the years the rules know (rules.text), so that no date
    arithmetic in a service can overflow."""

    default_error_messages = {
        "invalid": _("Enter a date as YYYY-MM-DD."),
        "out_of_range": _("Enter a date between {low} and {high}."),
    }

    def to_internal_value(self, value: Any) -> date:
        if not isinstance(value, str):
            self.fail("invalid")
        day = super().to_internal_value(value)
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            self.fail("out_of_range", low=f"{MIN_YEAR}-01-01", high=f"{MAX_YEAR}-12-31")
        return day


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A record's number: a whole number (or its digits) within the key range. ``true``, ``1.5``
    and lists are refused; a number beyond any key is 'not found', never a database error."""

    default_error_messages = {
        "incorrect_type": _("Enter the record's number (a whole number)."),
        "does_not_exist": _("No such record, or not one you may choose."),
    }

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and data.isascii() and data.isdigit():
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 0 < data <= MAX_KEY:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


# Serializers -------------------------------------------------------------------------------


class RequestSerializer(serializers.Serializer):
    """The body of a write: named fields only. A key the endpoint does not take is refused (and
    the schema says so), so a client sending ``sex`` or ``birth_date`` learns they are derived."""

    default_error_messages = {"unknown_field": _("This field is not accepted here.")}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if hasattr(self.initial_data, "keys"):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(self.initial_data.keys()) - writable - IGNORED_KEYS)
            if unknown:
                message = self.error_messages["unknown_field"]
                raise serializers.ValidationError({str(key): [message] for key in unknown})
        return attrs


class ErrorSerializer(serializers.Serializer):
    """A refusal that is not about one field: not logged in, not allowed, not found, a business
    rule (``ServiceError``) or a body that could not be read."""

    detail = serializers.CharField(help_text=_("What was refused and what to do."))


class ValidationErrorSerializer(serializers.Serializer):
    """A refused request: each field's messages under its name, messages about the body as a
    whole under ``non_field_errors``, or one ``detail`` message."""

    detail = serializers.CharField(required=False, help_text=_("What was refused and what to do."))
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


class RequestSerializerSchema(OpenApiSerializerExtension):  # type: ignore[no-untyped-call]
    target_class = RequestSerializer
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        schema["additionalProperties"] = False
        return schema


class ValidationErrorSchema(OpenApiSerializerExtension):  # type: ignore[no-untyped-call]
    target_class = ValidationErrorSerializer

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        schema["additionalProperties"] = {"type": "array", "items": {"type": "string"}}
        return schema


BAD_REQUEST = OpenApiResponse(
    ValidationErrorSerializer,
    description=_("Refused: a field, a filter or the body is not valid, or a business rule refused the change."),
)
FORBIDDEN = OpenApiResponse(ErrorSerializer, description=_("Not logged in, or not allowed."))
NOT_FOUND = OpenApiResponse(ErrorSerializer, description=_("No such record within your scope (or no such page)."))
UNSUPPORTED = OpenApiResponse(ErrorSerializer, description=_("The body is not JSON or form data."))


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, with the error answers every operation can give: 400 (a field,
    a filter, or a query string carrying personal data), 403, 404 (out of scope, or a page past
    the end) and 415. An operation's own ``extend_schema(responses=…)`` wins for its codes."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        errors: dict[str, OpenApiResponse] = {"400": BAD_REQUEST, "403": FORBIDDEN}
        has_body = self.method in ("POST", "PUT", "PATCH")
        if uritemplate.variables(self.path) or (self.method == "GET" and self._is_list_view()
                                                and self._get_paginator()):
            errors["404"] = NOT_FOUND
        if has_body:
            errors["415"] = UNSUPPORTED
        for code, response in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return dict(sorted(responses.items()))


# Viewsets ----------------------------------------------------------------------------------


class RestrictedViewSetMixin:
    """The scoping every viewset starts from: ``model.objects.restrict(user, Action.VIEW)``, in
    key order (a stable page order); a record out of scope is a 404 like one that does not exist.
    A viewset names its ``model`` and narrows ``get_queryset`` with ``super()`` (select_related…)."""

    model: Any
    request: Request

    def get_queryset(self) -> QuerySet[Any]:
        return self.model.objects.restrict(self.request.user, Action.VIEW).order_by("pk")  # type: ignore[no-any-return]


# Exceptions --------------------------------------------------------------------------------

UNREADABLE = _("The request body could not be read: send JSON (Content-Type: application/json) or form data.")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus: a ``ServiceError`` is a 400 with its message, ``OutOfScope`` a 404,
    an unreadable or oversized body a 400, a Django ``ValidationError`` a 400 with its messages;
    every answer is an object (``detail`` or field → messages), as the schema documents."""
    if isinstance(exc, OutOfScope):
        exc = exceptions.NotFound()
    elif isinstance(exc, ServiceError):
        set_rollback()
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, exceptions.ParseError | SuspiciousOperation | UnreadablePostError):
        exc = exceptions.ParseError(UNREADABLE)
    elif not isinstance(exc, exceptions.APIException | Http404 | PermissionDenied):
        return None
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {"non_field_errors": response.data}
    return response


class NotFoundView(APIView):
    """Any other URL under ``/api/`` (a record number no route takes, like ``-1.0``, a mistyped name): a JSON 404
    like the API's own, not the HTML page; anonymous callers get the API's 403 first."""

    schema = None  # not an operation of the API

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()
