"""The REST API: the same scoping as the pages, masked personal data, writes through services."""

from __future__ import annotations

import json

import pytest

from talentpool.core.models import AuditLog
from talentpool.registry.models import Worker

from .conftest import KNOWN_ID

pytestmark = pytest.mark.django_db

# endpoint → (persona → names of the workers whose rows it may see)
SEES = {
    "admin": {"慎建民", "单田芳"},
    "leader": {"慎建民", "单田芳"},
    "operator_a": {"慎建民"},
    "operator_b": {"单田芳"},
    "expert": set(),
    "worker": {"慎建民"},
}
PERSONAS = list(SEES)


def _results(response):  # type: ignore[no-untyped-def]
    data = response.json()
    return data["results"] if isinstance(data, dict) else data


@pytest.mark.parametrize("persona", PERSONAS)
def test_worker_list_shows_exactly_the_workers_in_scope(client_of, world, persona):
    response = client_of(persona).get("/api/workers/")
    assert response.status_code == 200
    assert {row["name"] for row in _results(response)} == SEES[persona]
    assert response.json()["count"] == len(SEES[persona])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("endpoint", "key"), [("certificates", "number"), ("honours", "name")])
def test_certificate_and_honour_lists_follow_the_worker_scope(client_of, world, persona, endpoint, key):
    response = client_of(persona).get(f"/api/{endpoint}/")
    assert response.status_code == 200
    owners = {row["worker"] for row in _results(response)}
    expected = {pk for name, pk in (("慎建民", world["wa"]), ("单田芳", world["wb"])) if name in SEES[persona]}
    assert owners == expected


@pytest.mark.parametrize(("persona", "expected"), [
    ("admin", {"浙江久立特材科技股份有限公司", "湖州南浔善琏湖笔厂"}),
    ("leader", {"浙江久立特材科技股份有限公司", "湖州南浔善琏湖笔厂"}),
    ("operator_a", {"浙江久立特材科技股份有限公司"}),
    ("operator_b", {"湖州南浔善琏湖笔厂"}),
    ("expert", set()),
    ("worker", {"浙江久立特材科技股份有限公司"}),
])
def test_enterprise_list_shows_exactly_the_enterprises_in_scope(client_of, world, persona, expected):
    response = client_of(persona).get("/api/enterprises/")
    assert {row["name"] for row in _results(response)} == expected


DETAIL = [("workers", "wa", "wb"), ("enterprises", "ea", "eb"), ("certificates", "ca", "cb"),
          ("honours", "ha", "hb")]


@pytest.mark.parametrize(("endpoint", "own", "other"), DETAIL)
def test_operator_a_gets_404_for_records_of_enterprise_b(as_operator_a, world, endpoint, own, other):
    assert as_operator_a.get(f"/api/{endpoint}/{world[own]}/").status_code == 200
    response = as_operator_a.get(f"/api/{endpoint}/{world[other]}/")
    assert response.status_code == 404
    assert "单田芳" not in response.content.decode() and "湖笔" not in response.content.decode()


@pytest.mark.parametrize(("endpoint", "own", "other"), DETAIL)
def test_the_expert_gets_404_for_every_record(as_expert, world, endpoint, own, other):
    assert as_expert.get(f"/api/{endpoint}/{world[own]}/").status_code == 404
    assert as_expert.get(f"/api/{endpoint}/{world[other]}/").status_code == 404


@pytest.mark.parametrize("url", ["/api/workers/", "/api/workers/{wa}/", "/api/enterprises/", "/api/enterprises/{ea}/",
                                 "/api/certificates/", "/api/honours/", "/api/industries/", "/api/"])
def test_anonymous_gets_403_and_no_data(anonymous, world, url):
    response = anonymous.get(url.format(**world))
    assert response.status_code == 403
    assert set(response.json()) == {"detail"}
    assert "慎建民" not in response.content.decode()


def test_the_worker_payload_masks_the_id_number_and_phone(as_admin, known_worker):
    response = as_admin.get(f"/api/workers/{known_worker.pk}/")
    data = response.json()
    assert data["id_number"] == "330503********1230"
    assert data["phone"] == "139****5678"
    assert (data["birth_year"], data["sex"], data["current_enterprise_name"]) == (
        1985, "M", "浙江久立特材科技股份有限公司")
    assert "birth_date" not in data  # the date would complete the masked number (privacy.py)
    body = response.content.decode()
    assert KNOWN_ID not in body and "13912345678" not in body
    assert "id_number_hash" not in data


def test_the_list_payload_masks_too(as_operator_a, known_worker):
    body = as_operator_a.get("/api/workers/").content.decode()
    assert "330503********1230" in body and KNOWN_ID not in body and "13912345678" not in body


def test_the_enterprise_payload_masks_the_contact_phone(as_admin, enterprise_a):
    enterprise_a.contact_phone = "13955556666"
    enterprise_a.save()
    data = as_admin.get(f"/api/enterprises/{enterprise_a.pk}/").json()
    assert data["contact_phone"] == "139****6666"


def test_api_filters_work_within_scope(as_operator_a, world, enterprise_b):
    assert _results(as_operator_a.get("/api/workers/?q=sjm"))[0]["name"] == "慎建民"
    assert _results(as_operator_a.get("/api/workers/?q=stf")) == []
    response = as_operator_a.get(f"/api/workers/?current_enterprise={enterprise_b.pk}")
    assert response.status_code == 400  # not a choice for this operator: as if it did not exist
    assert "单田芳" not in response.content.decode()


def _payload(enterprise, **overrides):  # type: ignore[no-untyped-def]
    return {"name": "钱多多", "id_number": KNOWN_ID, "phone": "13912345678", "retirement_category": "man",
            "enterprise": enterprise.pk, "employment_start": "2020-01-01", "is_frontline": True, **overrides}


def test_an_operator_registers_a_worker_through_the_api(as_operator_a, enterprise_a):
    response = as_operator_a.post("/api/workers/", _payload(enterprise_a), content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    assert (data["name"], data["id_number"], data["phone"], data["birth_year"]) == (
        "钱多多", "330503********1230", "139****5678", 1985)
    assert Worker.objects.get(pk=data["id"]).current_enterprise_id == enterprise_a.pk
    assert KNOWN_ID not in response.content.decode()


def test_it_refuses_an_operator_registering_into_another_enterprise_through_the_api(as_operator_a, enterprise_b):
    response = as_operator_a.post("/api/workers/", _payload(enterprise_b), content_type="application/json")
    assert response.status_code == 400
    assert "enterprise" in response.json()
    assert Worker.objects.count() == 0
    assert AuditLog.objects.count() == 0


@pytest.mark.parametrize("persona", ["leader", "expert", "worker"])
def test_it_refuses_api_registration_by_other_roles(client_of, world, enterprise_a, persona):
    response = client_of(persona).post("/api/workers/", _payload(enterprise_a), content_type="application/json")
    assert response.status_code == 400
    assert Worker.objects.count() == 2
    assert AuditLog.objects.count() == 0


def test_anonymous_api_registration_is_refused(anonymous, enterprise_a):
    response = anonymous.post("/api/workers/", _payload(enterprise_a), content_type="application/json")
    assert response.status_code == 403
    assert Worker.objects.count() == 0


def test_a_duplicate_id_number_is_refused_through_the_api(as_admin, known_worker, enterprise_b):
    response = as_admin.post("/api/workers/", _payload(enterprise_b, id_number=KNOWN_ID.lower()),
                             content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}
    assert Worker.objects.count() == 1


def test_the_api_offers_no_other_writes(as_admin, worker_a):
    """PUT and PATCH change a worker of the version read (test_concurrency.py); DELETE is not offered."""
    response = as_admin.delete(f"/api/workers/{worker_a.pk}/", json.dumps({"name": "改名"}),
                               content_type="application/json")
    assert response.status_code == 405
    assert Worker.objects.get(pk=worker_a.pk).name == "慎建民"


def test_the_api_schema_and_docs_render(as_admin):
    assert as_admin.get("/api/schema/").status_code == 200
    docs = as_admin.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()  # offline docs (sidecar)


def test_api_filter_by_own_enterprise_works(as_operator_a, world, enterprise_a):
    response = as_operator_a.get(f"/api/workers/?current_enterprise={enterprise_a.pk}")
    assert response.status_code == 200
    assert [row["name"] for row in _results(response)] == ["慎建民"]


def test_an_id_number_in_the_api_url_is_refused(as_admin, worker_a):
    response = as_admin.get(f"/api/workers/?q={worker_a.id_number}")
    assert response.status_code == 400
    # refused before the view by core.middleware.PersonalNumberInUrlMiddleware
    assert response.json() == {"q": ["身份证号和手机号不能放在网址中，请放在请求正文中提交。"]}


def test_lookup_by_id_number_in_the_body_is_scoped(as_admin, as_operator_b, worker_a):
    found = as_admin.post("/api/workers/lookup/", {"id_number": worker_a.id_number.lower()})
    assert found.status_code == 200
    assert [w["name"] for w in found.json()] == ["慎建民"]
    assert found.json()[0]["id_number"] == worker_a.id_number_masked
    assert as_operator_b.post("/api/workers/lookup/", {"id_number": worker_a.id_number}).json() == []
    bad = as_admin.post("/api/workers/lookup/", {"id_number": "36042619910102009X"})
    assert bad.status_code == 400 and "校验" in bad.json()["id_number"][0]
