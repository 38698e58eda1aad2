"""Bounded fuzzing of the whole API against its own OpenAPI schema (schemathesis).

Every operation of the schema is called with generated requests, valid and invalid, by a
programme admin and by the operator of enterprise A, through the real WSGI application with a
logged-in session and its CSRF token. Each answer must be no 5xx, a documented status code, a
documented content type and a body of the documented shape. Examples are bounded and the seed
fixed (``derandomize``), so the run is repeatable and short: ``scripts/test`` runs it as its own
stage, ``pytest -m api_fuzz``.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from talentpool.core.models import User
from talentpool.registry import services
from talentpool.registry.tests.factories import CertificateFactory, HonourFactory, WorkerFactory, make_id_number

pytestmark = [pytest.mark.api_fuzz, pytest.mark.django_db]

MAX_EXAMPLES = 30  # per operation and persona: 15 operations x 2 personas stay well under 2 minutes
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CSRF_TOKEN = "f" * 32  # any 32 letters/digits do: the cookie and the header only have to agree


def openapi() -> dict[str, Any]:
    """The schema ``/api/schema/`` serves, built the same way without a request."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))  # type: ignore[no-any-return]


schema = schemathesis.openapi.from_dict(openapi())
# Generated examples only: the coverage phase tries every boundary of every field, unbounded.
schema.config.phases.update(phases=["examples", "fuzzing"])
APP = WSGIHandler()


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    """Keep the test's database connection across requests, as Django's test client does: a
    finished request otherwise closes it, and the test's transaction with it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def records(enterprise_a, enterprise_b, admin_user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Workers, certificates and honours in both enterprises, and a worker who has left (no
    current enterprise), so that record numbers the fuzzer tries can hit real rows."""
    wa = WorkerFactory(name="慎建民", enterprise=enterprise_a)
    wb = WorkerFactory(name="单田芳", enterprise=enterprise_b, male=False)
    gone = WorkerFactory(name="王伟", enterprise=enterprise_a)
    services.end_employment(gone, actor=admin_user, end_date=datetime.date(2024, 6, 30))
    for worker in (wa, wb):
        CertificateFactory(worker=worker)
        HonourFactory(worker=worker)
    return {"workers": [wa, wb, gone]}


@pytest.fixture(params=["admin_user", "operator_a"])
def session(request: pytest.FixtureRequest) -> dict[str, str]:
    """The cookies of a logged-in persona: its session, and a CSRF token (sent as a header too,
    as DRF's session authentication demands for writes)."""
    user: User = request.getfixturevalue(request.param)
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_TOKEN}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_generated_request_as_documented(case, session, records, in_test_transaction):  # type: ignore[no-untyped-def]
    case.call_and_validate(app=APP, cookies=session, headers={"X-CSRFToken": CSRF_TOKEN}, checks=CHECKS)


# Known requests: the answers fuzzing seldom reaches (a valid registration, an edit of the version
# read, a record in scope), checked against the schema the same way.
NEW_ID = make_id_number(datetime.date(1990, 5, 17), male=False, seq=42)


def _known_requests(r: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], Any, tuple[int, int]]]:
    """(method, path, path parameters, JSON body, (status for the admin, for operator A))."""
    wa, wb, gone = r["workers"]
    ea = wa.current_enterprise
    new = {"name": "钱多多", "id_number": NEW_ID, "retirement_category": "woman_50", "enterprise": ea.pk,
           "employment_start": "2020-01-01", "skill_level": 3, "education": "college"}
    address = {"address": "南浔区适园路 1 号", "version": ea.version}
    return [
        ("POST", "/api/workers/", {}, new, (201, 201)),
        ("POST", "/api/workers/", {}, new, (400, 400)),  # now registered: a business refusal
        ("POST", "/api/workers/", {}, {**new, "employment_start": 20200101}, (400, 400)),
        ("POST", "/api/workers/lookup/", {}, {"id_number": wa.id_number}, (200, 200)),
        ("GET", "/api/workers/", {}, None, (200, 200)),
        ("GET", "/api/workers/{id}/", {"id": wa.pk}, None, (200, 200)),
        ("GET", "/api/workers/{id}/", {"id": gone.pk}, None, (200, 404)),  # left A: nulls, out of A's scope
        ("GET", "/api/workers/{id}/", {"id": wb.pk}, None, (200, 404)),
        ("PATCH", "/api/workers/{id}/", {"id": wa.pk}, {"name": "慎建国", "version": wa.version}, (200, 200)),
        ("PATCH", "/api/workers/{id}/", {"id": wa.pk}, {"name": "慎建华", "version": wa.version}, (412, 412)),
        ("PATCH", "/api/workers/{id}/", {"id": wa.pk}, {"name": "慎建华"}, (428, 428)),
        ("PATCH", "/api/enterprises/{id}/", {"id": ea.pk}, address, (200, 200)),
        ("GET", "/api/enterprises/{id}/", {"id": ea.pk}, None, (200, 200)),
        ("GET", "/api/certificates/", {}, None, (200, 200)),
        ("GET", "/api/honours/", {}, None, (200, 200)),
        ("GET", "/api/industries/", {}, None, (200, 200)),
    ]


@pytest.mark.parametrize(("persona", "column"), [("admin_user", 0), ("operator_a", 1)])
def test_known_requests_are_answered_as_documented(request, persona, column, records, in_test_transaction):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_TOKEN}
    for method, path, parameters, body, expected in _known_requests(records):
        case = schema[path][method].Case(
            path_parameters=parameters,
            body=NOT_SET if body is None else body,
            media_type=None if body is None else "application/json",
        )
        response = case.call(app=APP, cookies=cookies, headers={"X-CSRFToken": CSRF_TOKEN})
        assert (method, path, response.status_code) == (method, path, expected[column]), response.content[:300]
        case.validate_response(response, checks=CHECKS)
