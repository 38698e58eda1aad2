"""Writes that lose nothing (issue 7): a registration that loses a race to a concurrent one ends
in the service's refusal, never a database error; an edit based on an older version of a worker
or an enterprise is refused and shows what changed meanwhile, on the pages and in the API."""

from __future__ import annotations

import datetime
import json
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from talentpool.core.exceptions import ServiceError
from talentpool.core.imports.validate import validate_sheet
from talentpool.core.imports.write import write_outcome
from talentpool.core.models import AuditAction, AuditLog
from talentpool.registry import services
from talentpool.registry.events import RegistryEvent
from talentpool.registry.models import Certificate, Employment, Enterprise, Honour, Worker

from .conftest import KNOWN_ID
from .factories import CertificateFactory, EnterpriseFactory, HonourFactory, WorkerFactory, make_id_number, make_uscc

NEUTRAL = "该身份证号无法在本企业登记。如此人已调入本企业，请联系区总工会办理调动。"
ADMIN_ELSEWHERE = "此人在库中登记为其他企业的在职职工。须由原企业先办理离职，或由管理员办理任职单位变更。"
NEUTRAL_CERTIFICATE = "该证书编号无法使用。请核对证书上的编号；如编号无误，请联系区总工会。"
STALE_FORM = ("您打开此页面后，已有他人保存了对该记录的修改，因此本次未保存。请对照下方您填写的值与已保存的值，"
              "如仍要保留您的值，请再次保存。")
STALE_API = "该记录在您读取之后已被他人修改，未保存任何内容。请重新读取（GET），再以新的 ETag 提交修改。"
NEW_ID = make_id_number(datetime.date(1994, 8, 9), seq=211)
D = datetime.date


def _register(actor, enterprise, number=NEW_ID):  # type: ignore[no-untyped-def]
    return services.register_worker(actor=actor, enterprise=enterprise, employment_start=D(2024, 3, 1),
                                    name="钱多多", id_number=number, retirement_category="man")


def _certificate(number: str = "S000033050000002000009") -> services.CertificateData:
    return services.CertificateData(number=number, level=4, issued_on=D(2023, 6, 1))


# The race, simulated on every database: the row appears between the check and the insert -----------


def _missed_once(monkeypatch: Any, name: str, missed: Any) -> None:
    """The service's check of ``name`` first answers ``missed`` (the check ran a moment before the
    other registration was saved), then the truth (as it does when it explains the refusal)."""
    real = getattr(services, name)
    calls: list[Any] = []

    def check(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return missed if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(services, name, check)


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "message"), [
    ("operator_b", NEUTRAL), ("admin_user", ADMIN_ELSEWHERE)])
def test_a_registration_that_loses_the_race_is_refused_not_a_database_error(
    request, monkeypatch, enterprise_a, enterprise_b, persona, message
):
    actor = request.getfixturevalue(persona)
    WorkerFactory(name="先到者", id_number=NEW_ID, enterprise=enterprise_a)
    _missed_once(monkeypatch, "find_worker_by_id_number", None)
    with pytest.raises(ServiceError) as refused:
        _register(actor, enterprise_b)
    assert str(refused.value) == message
    assert list(Worker.objects.values_list("name", flat=True)) == ["先到者"]
    assert Employment.objects.filter(enterprise=enterprise_b).count() == 0
    assert AuditLog.objects.filter(action=AuditAction.CREATE).count() == 0
    refusals = AuditLog.objects.filter(action=RegistryEvent.DUPLICATE_REFUSED).count()
    assert refusals == (1 if persona == "operator_b" else 0)


@pytest.mark.django_db
def test_the_api_answers_a_lost_race_with_400_not_500(monkeypatch, as_operator_b, enterprise_a, enterprise_b):
    WorkerFactory(name="先到者", id_number=NEW_ID, enterprise=enterprise_a)
    _missed_once(monkeypatch, "find_worker_by_id_number", None)
    body = {"name": "钱多多", "id_number": NEW_ID, "retirement_category": "man", "enterprise": enterprise_b.pk,
            "employment_start": "2024-03-01"}
    response = as_operator_b.post("/api/workers/", json.dumps(body), content_type="application/json")
    assert (response.status_code, response.json()) == (400, {"detail": NEUTRAL})
    assert Worker.objects.count() == 1


@pytest.mark.django_db
def test_an_id_number_change_that_loses_the_race_is_refused(monkeypatch, operator_b, worker_a, worker_b):
    monkeypatch.setattr(Worker.objects, "filter", _hide_hash_once(Worker.objects.filter, worker_a.id_number_hash))
    with pytest.raises(services.DuplicateRefused):
        services.update_worker(
            worker_b, actor=operator_b, id_number=worker_a.id_number, retirement_category=worker_a.retirement_category
        )
    assert Worker.objects.get(pk=worker_b.pk).id_number == worker_b.id_number


def _hide_hash_once(real: Any, hidden: str) -> Any:
    calls: list[Any] = []

    def filter(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("id_number_hash") == hidden and not calls:
            calls.append(kwargs)
            return real(pk=-1)
        return real(*args, **kwargs)

    return filter


@pytest.mark.django_db
def test_a_certificate_number_recorded_meanwhile_is_refused(monkeypatch, operator_b, worker_a, worker_b):
    CertificateFactory(worker=worker_a, number="S000033050000002000009")
    _missed_once(monkeypatch, "certificate_number_taken", False)
    with pytest.raises(services.DuplicateRefused) as refused:
        services.add_certificate(worker_b, _certificate(), actor=operator_b)
    assert str(refused.value) == NEUTRAL_CERTIFICATE
    assert list(Certificate.objects.values_list("worker_id", flat=True)) == [worker_a.pk]
    assert Worker.objects.get(pk=worker_b.pk).skill_level == worker_b.skill_level


@pytest.mark.django_db
def test_an_enterprise_credit_code_taken_meanwhile_is_refused(monkeypatch, admin_user):
    first = EnterpriseFactory(name="先到的企业")
    _missed_once(monkeypatch, "_enterprise_clash", None)
    with pytest.raises(ServiceError) as refused:
        services.create_enterprise(actor=admin_user, name="后到的企业", uscc=first.uscc, industry=first.industry)
    assert str(refused.value) == "该统一社会信用代码的企业已存在。"
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["先到的企业"]


@pytest.mark.django_db
def test_an_enterprise_name_in_use_is_refused_before_the_database_refuses_it(admin_user, enterprise_a):
    """Before: the name's unique constraint was checked by nobody, and the insert was a 500."""
    with pytest.raises(ServiceError) as refused:
        services.create_enterprise(actor=admin_user, name=enterprise_a.name, uscc=make_uscc(),
                                   industry=enterprise_a.industry)
    assert str(refused.value) == "已有同名企业。"
    other = EnterpriseFactory()
    with pytest.raises(ServiceError):
        services.update_enterprise(other, actor=admin_user, uscc=enterprise_a.uscc)
    assert Enterprise.objects.get(pk=other.pk).uscc != enterprise_a.uscc


@pytest.mark.django_db
def test_an_honour_recorded_meanwhile_is_refused(monkeypatch, operator_a, worker_a):
    HonourFactory(worker=worker_a, name="市技术能手", awarded_on=D(2020, 5, 1))
    _missed_once(monkeypatch, "honour_recorded", False)
    with pytest.raises(ServiceError) as refused:
        services.add_honour(worker_a, actor=operator_a, name="市技术能手", level="city", awarded_on=D(2020, 5, 1))
    assert str(refused.value) == "该职工的这项荣誉已登记。"
    assert Honour.objects.count() == 1


# The race for real: two connections on PostgreSQL --------------------------------------------------


def _in_parallel(monkeypatch: Any, name: str, jobs: list[Any]) -> list[Any]:
    """Run ``jobs`` in threads (a connection each) that both pass the service's check of ``name``
    before either inserts: the check waits at a barrier until all have made it."""
    barrier = threading.Barrier(len(jobs))
    real = getattr(services, name)
    local = threading.local()

    def check_then_wait(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        if not getattr(local, "waited", False):
            local.waited = True
            barrier.wait(timeout=20)
        return found

    monkeypatch.setattr(services, name, check_then_wait)
    outcomes: list[Any] = [None] * len(jobs)

    def run(index: int, job: Any) -> None:
        try:
            outcomes[index] = job()
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's single writer lock serialises the two transactions: no race to lose")


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_api_registrations_of_one_person_end_in_one_worker_and_one_400(
    monkeypatch, operator_a, operator_b, enterprise_a, enterprise_b
):
    _postgresql_only()
    body = {"name": "钱多多", "id_number": NEW_ID, "retirement_category": "man", "employment_start": "2024-03-01"}

    def post(user: Any, enterprise: Enterprise) -> Any:
        client = Client()
        client.force_login(user)
        return client.post("/api/workers/", json.dumps(body | {"enterprise": enterprise.pk}),
                           content_type="application/json")

    responses = _in_parallel(monkeypatch, "find_worker_by_id_number",
                             [lambda: post(operator_a, enterprise_a), lambda: post(operator_b, enterprise_b)])
    assert sorted(r.status_code for r in responses) == [201, 400]
    loser = next(r for r in responses if r.status_code == 400)
    assert loser.json() == {"detail": NEUTRAL}
    assert Worker.objects.filter(id_number_hash=services.lookup_hash(NEW_ID)).count() == 1
    assert Employment.objects.count() == 1
    assert AuditLog.objects.filter(action=RegistryEvent.DUPLICATE_REFUSED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_certificates_with_one_number_end_in_one_row(monkeypatch, operator_a, operator_b,
                                                                       worker_a, worker_b):
    _postgresql_only()
    outcomes = _in_parallel(monkeypatch, "certificate_number_taken", [
        lambda: services.add_certificate(worker_a, _certificate(), actor=operator_a),
        lambda: services.add_certificate(worker_b, _certificate(), actor=operator_b),
    ])
    assert sorted(type(o).__name__ for o in outcomes) == ["Certificate", "DuplicateRefused"]
    assert Certificate.objects.filter(number="S000033050000002000009").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_enterprises_with_one_credit_code_end_in_one_row(monkeypatch, admin_user, enterprise_a):
    _postgresql_only()
    uscc = make_uscc()
    industry = enterprise_a.industry
    outcomes = _in_parallel(monkeypatch, "_enterprise_clash", [
        lambda: services.create_enterprise(actor=admin_user, name="甲厂", uscc=uscc, industry=industry),
        lambda: services.create_enterprise(actor=admin_user, name="乙厂", uscc=uscc, industry=industry),
    ])
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert [type(o) for o in refused] == [ServiceError]
    assert str(refused[0]) == "该统一社会信用代码的企业已存在。"
    assert Enterprise.objects.filter(uscc=uscc).count() == 1


# Edits from an older version: services ------------------------------------------------------------


@pytest.mark.django_db
def test_every_change_raises_the_version(admin_user, operator_a, worker_a, enterprise_a, enterprise_b):
    assert (worker_a.version, enterprise_a.version) == (1, 1)
    services.update_worker(worker_a, actor=operator_a, name="改名")
    services.add_certificate(worker_a, _certificate(), actor=operator_a)  # raises the skill level
    services.change_employer(worker_a, actor=admin_user, enterprise=enterprise_b, start_date=D(2024, 1, 1))
    services.end_employment(worker_a, actor=admin_user, end_date=D(2024, 6, 30))
    services.update_worker(worker_a, actor=admin_user, name="改名")  # no change: same version
    assert Worker.objects.get(pk=worker_a.pk).version == 5
    services.update_enterprise(enterprise_a, actor=operator_a, contact_name="沈经理")
    assert Enterprise.objects.get(pk=enterprise_a.pk).version == 2


@pytest.mark.django_db
def test_an_update_from_an_older_version_raises_and_changes_nothing(operator_a, worker_a, enterprise_a):
    services.update_worker(worker_a, actor=operator_a, expected_version=1, name="甲改的")
    before = Worker.objects.filter(pk=worker_a.pk).values().get()
    with pytest.raises(services.EditConflict) as refused:
        services.update_worker(worker_a, actor=operator_a, expected_version=1, phone="13700001111")
    assert refused.value.current.name == "甲改的"
    assert Worker.objects.filter(pk=worker_a.pk).values().get() == before
    services.update_enterprise(enterprise_a, actor=operator_a, expected_version=1, address="一号")
    with pytest.raises(services.EditConflict):
        services.update_enterprise(enterprise_a, actor=operator_a, expected_version=1, address="二号")
    assert Enterprise.objects.get(pk=enterprise_a.pk).address == "一号"
    assert AuditLog.objects.filter(action=AuditAction.UPDATE).count() == 2


@pytest.mark.django_db
def test_the_import_raises_the_version_of_what_it_changes(admin_user, worker_a, enterprise_a, settings, tmp_path):
    from talentpool.core.imports.reader import read_sheet
    from talentpool.registry.imports import spec_for

    from .test_imports import CERT_HEADERS, WORKER_HEADERS, workbook, worker_row

    def run(kind: str, content: bytes) -> None:
        outcome = validate_sheet(read_sheet(content, spec_for(kind)), actor=admin_user, mode="update")
        assert outcome.is_valid, outcome.errors
        write_outcome(outcome, actor=admin_user)

    run("workers", workbook(WORKER_HEADERS, [worker_row("慎建民", worker_a.id_number, enterprise=enterprise_a.name,
                                                         start="2010-03-01", 手机号="13700002222")]))
    assert Worker.objects.get(pk=worker_a.pk).version == 2
    run("certificates", workbook(CERT_HEADERS, [[worker_a.id_number, None, "S000033050000001000009", "高级技师",
                                                 None, None, "2020-01-01"]]))
    assert Worker.objects.get(pk=worker_a.pk).version == 3
    new = make_id_number(D(1990, 1, 2), seq=9)
    run("workers", workbook(WORKER_HEADERS, [worker_row("新人", new, enterprise=enterprise_a.name)]))
    assert Worker.objects.get(name="新人").version == 1


# Edits from an older version: the pages -----------------------------------------------------------


def _edit_form(client: Client, path: str) -> dict[str, Any]:
    form = client.get(path).context["form"]
    return {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}


@pytest.mark.django_db
def test_a_second_stale_worker_edit_is_refused_and_shows_what_changed(as_operator_a, as_admin, known_worker):
    path = f"/registry/workers/{known_worker.pk}/edit/"
    first, second = _edit_form(as_operator_a, path), _edit_form(as_admin, path)
    assert first["version"] == second["version"] == 1
    assert as_operator_a.post(path, first | {"name": "曾志强"}).status_code == 302
    response = as_admin.post(path, second | {"phone": "13700001111", "education": "bachelor"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors() == [STALE_FORM]
    assert [(c.label, c.yours, c.saved) for c in form.conflicts] == [
        ("姓名", "曾志伟", "曾志强"), ("手机号", "137****1111", "139****5678"), ("学历", "本科", "高中（中专、技校）")]
    body = response.content.decode()
    assert "13700001111" in body  # what they typed stays in the form …
    assert "13912345678" not in body and KNOWN_ID not in body  # … the saved personal data shows masked
    assert 'name="version" value="2"' in body
    worker = Worker.objects.get(pk=known_worker.pk)
    assert (worker.name, worker.phone, worker.education, worker.version) == ("曾志强", "13912345678", "senior", 2)
    # Saving again, now knowing, keeps their values (and the first change they did not undo).
    again = as_admin.post(path, second | {"name": "曾志强", "phone": "13700001111", "education": "bachelor",
                                          "version": "2"})
    assert again.status_code == 302
    worker = Worker.objects.get(pk=known_worker.pk)
    assert (worker.name, worker.phone, worker.education, worker.version) == ("曾志强", "13700001111", "bachelor", 3)


@pytest.mark.django_db
def test_a_stale_edit_after_an_id_number_change_shows_it_masked_and_can_be_saved(as_operator_a, as_admin,
                                                                                known_worker):
    path = f"/registry/workers/{known_worker.pk}/edit/"
    first, second = _edit_form(as_operator_a, path), _edit_form(as_admin, path)
    new_id = make_id_number(D(1985, 3, 7), seq=321)
    assert as_operator_a.post(path, first | {"id_number": new_id}).status_code == 302
    response = as_admin.post(path, second | {"skill_level": "5"})
    conflicts = [(c.label, c.yours, c.saved) for c in response.context["form"].conflicts]
    assert ("身份证号", "330503********1230", f"330503********{new_id[-4:]}") in conflicts
    assert new_id not in response.content.decode()
    retry = response.context["form"].data
    assert as_admin.post(path, {k: v for k, v in retry.items()}).status_code == 302
    worker = Worker.objects.get(pk=known_worker.pk)
    assert (worker.id_number, worker.skill_level) == (new_id, 5)


@pytest.mark.django_db
def test_a_second_stale_enterprise_edit_is_refused_and_shows_what_changed(as_operator_a, as_admin, enterprise_a):
    path = f"/registry/enterprises/{enterprise_a.pk}/edit/"
    first, second = _edit_form(as_operator_a, path), _edit_form(as_admin, path)
    assert as_operator_a.post(path, first | {"contact_name": "沈经理"}).status_code == 302
    response = as_admin.post(path, second | {"address": "南浔大道 1 号"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors() == [STALE_FORM]
    assert [(c.label, c.yours, c.saved) for c in form.conflicts] == [
        ("地址", "南浔大道 1 号", "—"), ("联系人", "—", "沈经理")]
    enterprise = Enterprise.objects.get(pk=enterprise_a.pk)
    assert (enterprise.contact_name, enterprise.address, enterprise.version) == ("沈经理", "", 2)


# Edits from an older version: the API -------------------------------------------------------------


def _patch(client: Client, path: str, body: dict[str, Any], **headers: str) -> Any:
    return client.patch(path, json.dumps(body), content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_the_api_sends_an_etag_and_refuses_a_stale_if_match_with_412(as_operator_a, worker_a):
    path = f"/api/workers/{worker_a.pk}/"
    read = as_operator_a.get(path)
    assert (read.status_code, read["ETag"], read.json()["version"]) == (200, 'W/"1"', 1)
    saved = _patch(as_operator_a, path, {"name": "改名"}, if_match='W/"1"')
    assert (saved.status_code, saved["ETag"], saved.json()["name"]) == (200, 'W/"2"', "改名")
    stale = _patch(as_operator_a, path, {"education": "bachelor"}, if_match='W/"1"')
    assert (stale.status_code, stale.json()) == (412, {"detail": STALE_API})
    worker = Worker.objects.get(pk=worker_a.pk)
    assert (worker.name, worker.education, worker.version) == ("改名", "senior", 2)


@pytest.mark.django_db
def test_the_api_takes_the_version_in_the_body_and_requires_one_of_the_two(as_operator_a, worker_a):
    path = f"/api/workers/{worker_a.pk}/"
    missing = _patch(as_operator_a, path, {"name": "改名"})
    assert missing.status_code == 428
    assert missing.json()["detail"].startswith("请提交您读取时的版本")
    stale = _patch(as_operator_a, path, {"name": "改名", "version": 7})
    assert stale.status_code == 412
    assert Worker.objects.get(pk=worker_a.pk).name == "慎建民"
    fresh = _patch(as_operator_a, path, {"name": "改名", "version": 1})
    assert (fresh.status_code, fresh["ETag"]) == (200, 'W/"2"')
    anyway = _patch(as_operator_a, path, {"name": "再改"}, if_match="*")
    assert (anyway.status_code, anyway["ETag"]) == (200, 'W/"3"')


@pytest.mark.django_db
def test_a_put_sends_back_the_masked_values_unchanged(as_admin, known_worker):
    path = f"/api/workers/{known_worker.pk}/"
    read = as_admin.get(path).json()
    body = {k: read[k] for k in ("name", "id_number", "phone", "education", "retirement_category", "is_frontline",
                                 "work_start_date", "skill_level", "occupation")} | {"skill_level": 5}
    response = as_admin.put(path, json.dumps(body), content_type="application/json", headers={"if-match": 'W/"1"'})
    assert response.status_code == 200, response.json()
    worker = Worker.objects.get(pk=known_worker.pk)
    assert (worker.id_number, worker.phone, worker.skill_level, worker.version) == (KNOWN_ID, "13912345678", 5, 2)
    assert AuditLog.objects.get(action=AuditAction.UPDATE).changes == {"skill_level": [3, 5]}


@pytest.mark.django_db
def test_the_enterprise_api_honours_if_match_too(as_operator_a, as_operator_b, enterprise_a):
    path = f"/api/enterprises/{enterprise_a.pk}/"
    assert as_operator_a.get(path)["ETag"] == 'W/"1"'
    saved = _patch(as_operator_a, path, {"contact_name": "沈经理"}, if_match='W/"1"')
    assert (saved.status_code, saved["ETag"]) == (200, 'W/"2"')
    stale = _patch(as_operator_a, path, {"address": "二号"}, if_match='W/"1"')
    assert stale.status_code == 412
    assert _patch(as_operator_b, path, {"address": "二号"}, if_match='W/"2"').status_code == 404
    enterprise = Enterprise.objects.get(pk=enterprise_a.pk)
    assert (enterprise.contact_name, enterprise.address, enterprise.version) == ("沈经理", "", 2)
