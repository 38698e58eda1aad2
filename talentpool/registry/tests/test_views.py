"""Registry pages: what an allowed POST changes, and that a refused one changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.forms.models import model_to_dict

from talentpool.core.models import AuditAction, AuditLog
from talentpool.registry.models import Certificate, Employment, Enterprise, Honour, Worker

from .conftest import KNOWN_ID
from .factories import make_uscc

pytestmark = pytest.mark.django_db


def _worker_state(worker: Worker) -> dict:
    worker = Worker.objects.get(pk=worker.pk)
    state = model_to_dict(worker)
    state.update(id_number=worker.id_number, phone=worker.phone, current_enterprise=worker.current_enterprise_id,
                 employments=list(worker.employments.values_list("enterprise_id", "start_date", "end_date")),
                 certificates=list(worker.certificates.values_list("number", flat=True)),
                 honours=list(worker.honours.values_list("name", flat=True)))
    return state


def _edit_data(**overrides: object) -> dict:
    return {"name": "慎建民", "id_number": KNOWN_ID, "phone": "13700001111", "education": "college",
            "retirement_category": "man", "is_frontline": "on", "work_start_date": "2003-07-01",
            "skill_level": "4", **overrides}


def _new_worker_data(enterprise: Enterprise, **overrides: object) -> dict:
    return {**_edit_data(name="钱多多"), "enterprise": enterprise.pk, "employment_start": "2020-01-01",
            "position": "焊工", **overrides}


# Refusals ------------------------------------------------------------------------------------


WORKER_CHANGE_PATHS = ["edit/", "employer/", "leave/", "certificates/new/", "honours/new/"]


# Everyone who may not change worker A, on every path that changes a worker (the expert too);
# operator A may change their worker but not move them to another enterprise.
@pytest.mark.parametrize(
    ("persona", "path"),
    [(persona, path) for persona in ["operator_b", "leader", "expert", "worker"] for path in WORKER_CHANGE_PATHS]
    + [("operator_a", "employer/")],
)
def test_it_refuses_changes_to_a_worker_out_of_scope_and_changes_nothing(client_of, world, worker_a, enterprise_b,
                                                                       persona, path):
    before = _worker_state(worker_a)
    audit = AuditLog.objects.count()
    data = {**_edit_data(name="改名了"), "enterprise": enterprise_b.pk, "start_date": "2024-01-01",
            "number": "S000033050000002000009", "level": "4", "issued_on": "2023-01-01",
            "level_honour": "city", "awarded_on": "2023-01-01", "end_date": "2024-01-01"}
    if path == "honours/new/":
        data.update(name="全国技术能手", level="national")
    response = client_of(persona).post(f"/registry/workers/{worker_a.pk}/{path}", data)
    assert response.status_code == 404
    assert _worker_state(worker_a) == before
    assert AuditLog.objects.count() == audit


def test_it_refuses_a_leader_creating_an_enterprise(as_leader, world, enterprise_a):
    count = Enterprise.objects.count()
    response = as_leader.post("/registry/enterprises/new/", {
        "name": "新企业", "uscc": make_uscc(), "industry": enterprise_a.industry_id, "ownership": "non_public"})
    assert response.status_code == 404
    assert Enterprise.objects.count() == count
    assert AuditLog.objects.count() == 0


@pytest.mark.parametrize("persona", ["leader", "operator_a", "expert", "worker"])
def test_it_refuses_enterprise_creation_to_everyone_but_admins(client_of, world, enterprise_a, persona):
    response = client_of(persona).post("/registry/enterprises/new/", {
        "name": "新企业", "uscc": make_uscc(), "industry": enterprise_a.industry_id, "ownership": "non_public"})
    assert response.status_code == 404
    assert Enterprise.objects.count() == 2


@pytest.mark.parametrize("persona", ["leader", "expert", "worker"])
def test_it_refuses_worker_registration_to_other_roles(client_of, world, enterprise_a, persona):
    response = client_of(persona).post("/registry/workers/new/", _new_worker_data(enterprise_a))
    assert response.status_code == 404
    assert Worker.objects.count() == 2


def test_it_refuses_an_operator_registering_a_worker_into_another_enterprise(as_operator_a, world, enterprise_b):
    response = as_operator_a.post("/registry/workers/new/", _new_worker_data(enterprise_b))
    assert response.status_code == 200  # the form again, with the error
    assert "enterprise" in response.context["form"].errors
    assert Worker.objects.count() == 2
    assert not Worker.objects.filter(name="钱多多").exists()
    assert AuditLog.objects.count() == 0


@pytest.mark.parametrize("persona", ["operator_b", "leader", "worker", "expert"])
def test_it_refuses_edits_of_an_enterprise_out_of_scope(client_of, world, enterprise_a, persona):
    before = model_to_dict(Enterprise.objects.get(pk=enterprise_a.pk))
    response = client_of(persona).post(f"/registry/enterprises/{enterprise_a.pk}/edit/", {
        "name": "改名", "uscc": enterprise_a.uscc, "industry": enterprise_a.industry_id, "ownership": "public",
        "contact_name": "黑客", "contact_phone": "13800000000"})
    assert response.status_code == 404
    assert model_to_dict(Enterprise.objects.get(pk=enterprise_a.pk)) == before
    assert AuditLog.objects.count() == 0


def test_an_operator_changes_only_the_contacts_of_their_enterprise(as_operator_a, enterprise_a):
    response = as_operator_a.post(f"/registry/enterprises/{enterprise_a.pk}/edit/", {
        "name": "改名", "uscc": make_uscc(), "industry": enterprise_a.industry_id, "ownership": "public",
        "town": "练市镇", "address": "南浔区新安路 1 号", "contact_name": "沈经理", "contact_phone": "0572-3012345"})
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(pk=enterprise_a.pk)
    assert (enterprise.name, enterprise.uscc, enterprise.ownership, enterprise.town) == (
        "浙江久立特材科技股份有限公司", enterprise_a.uscc, "non_public", "南浔镇")
    assert (enterprise.address, enterprise.contact_name, enterprise.contact_phone) == (
        "南浔区新安路 1 号", "沈经理", "0572-3012345")
    log = AuditLog.objects.get()
    assert log.action == AuditAction.UPDATE
    assert log.changes["contact_phone"] == ["", "0572-***2345"]
    assert "3012345" not in str(log.changes)


# Allowed changes ------------------------------------------------------------------------------


def test_an_operator_registers_a_worker_of_their_enterprise(as_operator_a, enterprise_a):
    response = as_operator_a.post("/registry/workers/new/", _new_worker_data(enterprise_a))
    worker = Worker.objects.get(name="钱多多")
    assert response.status_code == 302
    assert response.url == f"/registry/workers/{worker.pk}/"
    assert worker.current_enterprise_id == enterprise_a.pk
    assert (worker.birth_date, worker.sex, worker.id_number_masked) == (
        datetime.date(1985, 3, 7), "M", "330503********1230")
    assert list(worker.employments.values_list("enterprise_id", "start_date", "end_date", "position")) == [
        (enterprise_a.pk, datetime.date(2020, 1, 1), None, "焊工")]
    log = AuditLog.objects.get()
    assert (log.action, log.object_id, log.actor.username) == (AuditAction.CREATE, str(worker.pk), "operator_a")


def test_a_second_registration_of_the_same_id_number_is_refused(as_admin, known_worker, enterprise_b):
    response = as_admin.post("/registry/workers/new/", _new_worker_data(enterprise_b, id_number=KNOWN_ID.lower()))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Worker.objects.count() == 1


def test_an_invalid_id_number_is_a_form_error(as_admin, enterprise_a):
    response = as_admin.post("/registry/workers/new/", _new_worker_data(enterprise_a, id_number="330503198503071231"))
    assert response.status_code == 200
    assert "校验位" in str(response.context["form"].errors["id_number"])
    assert Worker.objects.count() == 0


def test_the_edit_form_never_shows_the_full_id_number_or_phone(as_admin, known_worker):
    body = as_admin.get(f"/registry/workers/{known_worker.pk}/edit/").content.decode()
    assert KNOWN_ID not in body
    assert "13912345678" not in body
    assert "330503********1230" in body
    assert AuditLog.objects.count() == 0


def test_saving_the_edit_form_unchanged_keeps_the_id_number_and_phone(as_admin, known_worker):
    form = as_admin.get(f"/registry/workers/{known_worker.pk}/edit/").context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}
    data["education"] = "bachelor"
    response = as_admin.post(f"/registry/workers/{known_worker.pk}/edit/", data)
    assert response.status_code == 302
    worker = Worker.objects.get(pk=known_worker.pk)
    assert (worker.id_number, worker.phone, worker.education) == (KNOWN_ID, "13912345678", "bachelor")
    assert AuditLog.objects.get().changes == {"education": ["senior", "bachelor"]}


def test_an_operator_edits_their_worker_and_the_audit_masks_personal_data(as_operator_a, known_worker):
    from .factories import make_id_number

    new_id = make_id_number(datetime.date(1990, 2, 2), male=False, seq=456)
    response = as_operator_a.post(f"/registry/workers/{known_worker.pk}/edit/",
                                  _edit_data(name="曾志伟", id_number=new_id, phone="13700001111",
                                             retirement_category="woman_50"))  # a woman's number: a woman's category
    assert response.status_code == 302
    worker = Worker.objects.get(pk=known_worker.pk)
    assert (worker.id_number, worker.birth_date, worker.sex, worker.phone_masked) == (
        new_id, datetime.date(1990, 2, 2), "F", "137****1111")
    log = AuditLog.objects.get()
    text = str(log.changes)
    assert KNOWN_ID not in text and new_id not in text and "13700001111" not in text and "13912345678" not in text
    assert log.changes["id_number"] == ["330503********1230", f"330503********{new_id[-4:]}"]
    assert log.changes["phone"] == ["139****5678", "137****1111"]


def test_an_admin_moves_a_worker_to_another_enterprise(as_admin, worker_a, enterprise_b):
    response = as_admin.post(f"/registry/workers/{worker_a.pk}/employer/",
                             {"enterprise": enterprise_b.pk, "start_date": "2024-03-01", "position": "装配工"})
    assert response.status_code == 302
    history = list(Employment.objects.filter(worker=worker_a).order_by("start_date")
                   .values_list("enterprise_id", "start_date", "end_date"))
    assert history == [(worker_a.current_enterprise_id, datetime.date(2010, 3, 1), datetime.date(2024, 2, 29)),
                       (enterprise_b.pk, datetime.date(2024, 3, 1), None)]
    assert Worker.objects.get(pk=worker_a.pk).current_enterprise_id == enterprise_b.pk


def test_an_operator_cannot_change_a_workers_employer(as_operator_a, worker_a, enterprise_b):
    before = _worker_state(worker_a)
    response = as_operator_a.post(f"/registry/workers/{worker_a.pk}/employer/",
                                  {"enterprise": enterprise_b.pk, "start_date": "2024-03-01"})
    assert response.status_code == 404
    assert _worker_state(worker_a) == before


def test_a_departure_then_a_new_registration_moves_a_worker_between_enterprises(
    as_operator_a, as_operator_b, worker_a, enterprise_a, enterprise_b
):
    number = worker_a.id_number
    new_worker = {"name": "慎建民", "id_number": number, "retirement_category": "man", "is_frontline": "on",
                  "enterprise": enterprise_b.pk, "employment_start": "2024-03-01", "position": "维修电工"}
    # Still employed by A: B's registration is refused, without saying where, and nothing changes.
    refused = as_operator_b.post("/registry/workers/new/", new_worker)
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [
        "该身份证号无法在本企业登记。如此人已调入本企业，请联系区总工会办理调动。"]
    assert Worker.objects.filter(name="慎建民").count() == 1
    assert Worker.objects.get(pk=worker_a.pk).current_enterprise_id == enterprise_a.pk

    # A records the departure; the worker leaves A's scope.
    left = as_operator_a.post(f"/registry/workers/{worker_a.pk}/leave/", {"end_date": "2024-02-29"})
    assert left.status_code == 302
    assert Worker.objects.get(pk=worker_a.pk).current_enterprise_id is None
    assert as_operator_a.get(f"/registry/workers/{worker_a.pk}/").status_code == 404

    # B registers the same person: they are taken on, never doubled.
    taken = as_operator_b.post("/registry/workers/new/", new_worker)
    assert taken.status_code == 302
    assert Worker.objects.filter(name="慎建民").count() == 1
    history = list(Employment.objects.filter(worker=worker_a).order_by("start_date")
                   .values_list("enterprise_id", "start_date", "end_date"))
    assert history == [(enterprise_a.pk, datetime.date(2010, 3, 1), datetime.date(2024, 2, 29)),
                       (enterprise_b.pk, datetime.date(2024, 3, 1), None)]
    assert as_operator_b.get(f"/registry/workers/{worker_a.pk}/").status_code == 200


def test_a_new_employment_cannot_start_before_the_last_one_ended(as_operator_a, as_operator_b, worker_a, enterprise_b):
    as_operator_a.post(f"/registry/workers/{worker_a.pk}/leave/", {"end_date": "2024-02-29"})
    response = as_operator_b.post("/registry/workers/new/", {
        "name": "慎建民", "id_number": worker_a.id_number, "retirement_category": "man",
        "enterprise": enterprise_b.pk, "employment_start": "2024-02-01"})
    assert response.status_code == 200
    assert Worker.objects.get(pk=worker_a.pk).current_enterprise_id is None
    assert Employment.objects.filter(worker=worker_a).count() == 1


def test_an_operator_adds_a_certificate_and_the_level_rises(as_operator_a, worker_a):
    response = as_operator_a.post(f"/registry/workers/{worker_a.pk}/certificates/new/", {
        "number": "S000033050000002000009", "level": "4", "occupation_name": "车工", "issuer": "南浔区人社局",
        "issued_on": "2023-06-01"})
    assert response.status_code == 302
    assert list(worker_a.certificates.values_list("number", "level")) == [("S000033050000002000009", 4)]
    assert Worker.objects.get(pk=worker_a.pk).skill_level == 4


def test_a_certificate_dated_in_the_future_is_a_form_error(as_operator_a, worker_a):
    response = as_operator_a.post(f"/registry/workers/{worker_a.pk}/certificates/new/", {
        "number": "S000033050000002000009", "level": "4", "issued_on": "2999-01-01"})
    assert response.status_code == 200
    assert "issued_on" in response.context["form"].errors
    assert Certificate.objects.count() == 0


def test_an_operator_adds_an_honour_once(as_operator_a, worker_a):
    data = {"name": "全国技术能手", "level": "national", "awarded_on": "2022-12-01"}
    assert as_operator_a.post(f"/registry/workers/{worker_a.pk}/honours/new/", data).status_code == 302
    again = as_operator_a.post(f"/registry/workers/{worker_a.pk}/honours/new/", data)
    assert again.status_code == 200
    assert again.context["form"].non_field_errors()
    assert list(Honour.objects.values_list("name", "level")) == [("全国技术能手", "national")]


def test_worker_detail_shows_masked_personal_data_and_reveal_buttons_only_when_allowed(
    as_operator_a, as_leader, known_worker
):
    body = as_operator_a.get(f"/registry/workers/{known_worker.pk}/").content.decode()
    assert "330503********1230" in body and "139****5678" in body
    assert KNOWN_ID not in body and "13912345678" not in body
    assert 'data-testid="reveal-id_number"' in body
    body = as_leader.get(f"/registry/workers/{known_worker.pk}/").content.decode()
    assert "330503********1230" in body and KNOWN_ID not in body
    assert 'data-testid="reveal-id_number"' not in body


@pytest.mark.parametrize(("persona", "field", "value"), [
    ("admin", "id_number", KNOWN_ID), ("operator_a", "id_number", KNOWN_ID), ("admin", "phone", "13912345678"),
    ("operator_a", "phone", "13912345678")])
def test_reveal_returns_the_full_value_and_audits_the_field_not_the_value(client_of, known_worker, persona, field,
                                                                           value):
    response = client_of(persona).post(f"/registry/workers/{known_worker.pk}/reveal/{field}/",
                                       headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode().strip()
    assert body.startswith(f'<span class="masked" data-testid="revealed">{value}</span>')
    assert ("revealed-birth" in body) == (field == "id_number")  # the whole number holds the birth date
    log = AuditLog.objects.get()
    assert (log.action, log.object_id, log.changes) == (AuditAction.REVEAL, str(known_worker.pk), {"field": field})
    assert value not in str(log.changes) + log.object_repr


def test_a_worker_reveals_their_own_id_number(as_worker, worker_a):
    response = as_worker.post(f"/registry/workers/{worker_a.pk}/reveal/id_number/")
    assert response.status_code == 200
    assert worker_a.id_number in response.content.decode()
    assert AuditLog.objects.get().actor.username == "worker_a"


def test_no_page_link_carries_a_full_id_number(as_admin, known_worker, cert_a, honour_a):
    import re

    urls = ["/registry/workers/", f"/registry/workers/{known_worker.pk}/", "/registry/certificates/",
            "/registry/honours/", f"/registry/enterprises/{known_worker.current_enterprise_id}/"]
    for url in urls:
        body = as_admin.get(url).content.decode()
        assert KNOWN_ID not in body, url
        for link in re.findall(r'(?:href|action|hx-post|hx-get)="([^"]*)"', body):
            assert KNOWN_ID not in link and KNOWN_ID.lower() not in link


def test_an_id_number_search_reaches_the_list_without_the_number_in_any_url(as_admin, known_worker, worker_b):
    response = as_admin.post("/registry/workers/", {"q": KNOWN_ID})
    assert response.status_code == 302
    assert KNOWN_ID not in response.url
    page = as_admin.get(response.url)
    body = page.content.decode()
    assert [w.pk for w in page.context["object_list"]] == [known_worker.pk]
    assert KNOWN_ID not in body
    assert KNOWN_ID not in page.context["export_url"]


def test_the_enterprise_edit_form_never_shows_the_full_contact_phone(as_operator_a, enterprise_a):
    enterprise = Enterprise.objects.get(pk=enterprise_a.pk)
    enterprise.contact_phone = "13955556666"
    enterprise.save()
    body = as_operator_a.get(f"/registry/enterprises/{enterprise_a.pk}/edit/").content.decode()
    assert "13955556666" not in body
    assert "139****6666" in body


def test_saving_the_enterprise_form_unchanged_keeps_the_contact_phone(as_admin, enterprise_a):
    enterprise = Enterprise.objects.get(pk=enterprise_a.pk)
    enterprise.contact_phone = "13955556666"
    enterprise.save()
    form = as_admin.get(f"/registry/enterprises/{enterprise_a.pk}/edit/").context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}
    data["contact_name"] = "沈经理"
    assert as_admin.post(f"/registry/enterprises/{enterprise_a.pk}/edit/", data).status_code == 302
    enterprise = Enterprise.objects.get(pk=enterprise_a.pk)
    assert (enterprise.contact_phone, enterprise.contact_name) == ("13955556666", "沈经理")
    assert AuditLog.objects.get().changes == {"contact_name": ["", "沈经理"]}


def test_certificates_filter_by_an_issue_date_range_with_two_date_pickers(as_admin, worker_a):
    from .factories import CertificateFactory

    for day in (datetime.date(2019, 12, 31), datetime.date(2020, 1, 1), datetime.date(2020, 12, 31),
                datetime.date(2021, 1, 1)):
        CertificateFactory(worker=worker_a, issued_on=day)
    response = as_admin.get("/registry/certificates/", {"issued_on_after": "2020-01-01",
                                                        "issued_on_before": "2020-12-31"})
    shown = sorted(c.issued_on for c in response.context["table"].data)
    assert shown == [datetime.date(2020, 1, 1), datetime.date(2020, 12, 31)]  # both ends included
    html = response.content.decode()
    assert '<input type="date" name="issued_on_after" value="2020-01-01"' in html
    assert '<input type="date" name="issued_on_before" value="2020-12-31"' in html
    only_from = as_admin.get("/registry/certificates/", {"issued_on_after": "2020-06-01"})
    assert sorted(c.issued_on for c in only_from.context["table"].data) == [datetime.date(2020, 12, 31),
                                                                             datetime.date(2021, 1, 1)]
