"""Registration refusals that must not tell an operator who works where (issue 7).

The operator of B registering worker_a's ID number (worker_a works at A) learns only that the
number cannot be registered at their enterprise, by the form, the API, the import and an ID
change alike; the refusal writes nothing but an audit record with the masked number, and too many
of them in an hour pause registration by number. Certificate numbers held outside the operator's
view are refused the same way."""

from __future__ import annotations

import datetime
import json
from datetime import timedelta

import pytest

from talentpool.core import throttle
from talentpool.core.exceptions import ServiceError
from talentpool.core.models import AuditLog
from talentpool.registry import services
from talentpool.registry.events import RegistryEvent
from talentpool.registry.models import Certificate, Employment, Worker

from .conftest import KNOWN_ID
from .factories import WorkerFactory, make_id_number
from .test_imports import CERT_HEADERS, WORKER_HEADERS, errors_of, run_import, workbook, worker_row

pytestmark = pytest.mark.django_db

NEUTRAL = "该身份证号无法在本企业登记。如此人已调入本企业，请联系区总工会办理调动。"
ADMIN_ELSEWHERE = "此人在库中登记为其他企业的在职职工。须由原企业先办理离职，或由管理员办理任职单位变更。"
NEUTRAL_CERTIFICATE = "该证书编号无法使用。请核对证书上的编号；如编号无误，请联系区总工会。"
OWN = "该身份证号的职工已在本企业登记，请在职工列表中查找。"
NEW_ID = make_id_number(datetime.date(1993, 4, 5), seq=301)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path  # the import jobs keep their files here


def _form(enterprise, id_number, **overrides):  # type: ignore[no-untyped-def]
    return {"name": "钱多多", "id_number": id_number, "retirement_category": "man", "is_frontline": "on",
            "enterprise": enterprise.pk, "employment_start": "2024-03-01", "position": "焊工", **overrides}


def _api(client, enterprise, id_number, **overrides):  # type: ignore[no-untyped-def]
    body = {"name": "钱多多", "id_number": id_number, "retirement_category": "man", "enterprise": enterprise.pk,
            "employment_start": "2024-03-01", **overrides}
    return client.post("/api/workers/", json.dumps(body), content_type="application/json")


def _refusals() -> list[dict]:
    return list(AuditLog.objects.filter(action=RegistryEvent.DUPLICATE_REFUSED).order_by("id").values_list(
        "changes", flat=True))


def _state() -> tuple:
    return (list(Worker.objects.order_by("pk").values_list("pk", "name", "current_enterprise_id", "version")),
            list(Employment.objects.order_by("pk").values_list("worker_id", "enterprise_id", "start_date",
                                                               "end_date")),
            list(Certificate.objects.order_by("pk").values_list("worker_id", "number")))


def _leak_free(text: str, worker: Worker) -> None:
    assert worker.current_enterprise is not None
    # (the form keeps the ID number typed: the operator's own input, not the registry's)
    for secret in (worker.current_enterprise.name, worker.name, f"/workers/{worker.pk}/"):
        assert secret not in text


# The registration form --------------------------------------------------------------------------


def test_the_form_refuses_an_id_number_of_another_enterprise_with_the_neutral_message(
    as_operator_b, operator_b, worker_a, enterprise_b
):
    before = _state()
    response = as_operator_b.post("/registry/workers/new/", _form(enterprise_b, worker_a.id_number))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [NEUTRAL]
    _leak_free(response.content.decode(), worker_a)
    assert _state() == before
    log = AuditLog.objects.get(action=RegistryEvent.DUPLICATE_REFUSED)
    assert (log.actor, log.object_repr) == (operator_b, f"登记被拒（重复）：{worker_a.id_number_masked}")
    assert log.changes == {"id_number": worker_a.id_number_masked, "reason": "employed_elsewhere"}
    assert worker_a.id_number not in json.dumps(log.changes)


def test_a_person_who_left_with_a_later_end_date_is_refused_in_the_same_words(
    as_operator_a, as_operator_b, worker_a, enterprise_b
):
    """Before: the rule's message named the end date of the employment at A."""
    as_operator_a.post(f"/registry/workers/{worker_a.pk}/leave/", {"end_date": "2024-02-29"})
    before = _state()
    elsewhere_text = NEUTRAL
    response = as_operator_b.post("/registry/workers/new/",
                                  _form(enterprise_b, worker_a.id_number, employment_start="2024-02-01"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [elsewhere_text]
    assert "2024-02-29" not in response.content.decode()
    assert _state() == before
    assert _refusals() == [{"id_number": worker_a.id_number_masked, "reason": "left_later"}]


def test_an_operator_is_told_when_the_person_is_already_their_own_worker(as_operator_a, worker_a, enterprise_a):
    """Decided: operator A sees worker_a anyway, so A is told to look in the list; not audited."""
    response = as_operator_a.post("/registry/workers/new/", _form(enterprise_a, worker_a.id_number))
    assert response.context["form"].non_field_errors() == [OWN]
    assert Worker.objects.count() == 1
    assert _refusals() == []


def test_an_admin_is_told_the_full_reason(admin_user, worker_a, enterprise_b):
    with pytest.raises(ServiceError) as refused:
        services.register_worker(actor=admin_user, enterprise=enterprise_b, employment_start=datetime.date(2024, 3, 1),
                                 name="慎建民", id_number=worker_a.id_number, retirement_category="man")
    assert not isinstance(refused.value, services.DuplicateRefused)
    assert str(refused.value) == ADMIN_ELSEWHERE
    assert _refusals() == []


def test_changing_an_id_number_to_one_held_elsewhere_is_refused_neutrally(
    as_operator_b, worker_a, worker_b
):
    before = _state()
    # the category agrees with the sex in the number typed, so only the duplicate is refused
    data = {"name": worker_b.name, "id_number": worker_a.id_number,
            "retirement_category": worker_a.retirement_category, "version": worker_b.version}
    response = as_operator_b.post(f"/registry/workers/{worker_b.pk}/edit/", data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [NEUTRAL]
    _leak_free(response.content.decode(), worker_a)
    assert _state() == before
    assert Worker.objects.get(pk=worker_b.pk).id_number == worker_b.id_number
    assert _refusals() == [{"id_number": worker_a.id_number_masked, "reason": "id_number_of_another_worker"}]


# The API ------------------------------------------------------------------------------------------


def test_the_api_refuses_an_id_number_of_another_enterprise_with_the_neutral_message(
    as_operator_b, worker_a, enterprise_b
):
    before = _state()
    response = _api(as_operator_b, enterprise_b, worker_a.id_number)
    assert response.status_code == 400
    assert response.json() == {"detail": NEUTRAL}
    _leak_free(response.content.decode(), worker_a)
    assert _state() == before
    assert _refusals() == [{"id_number": worker_a.id_number_masked, "reason": "employed_elsewhere"}]


def test_the_api_answers_a_person_who_left_exactly_like_one_employed_elsewhere(
    as_operator_a, as_operator_b, worker_a, worker_b, enterprise_b
):
    elsewhere = _api(as_operator_b, enterprise_b, worker_a.id_number)
    as_operator_a.post(f"/registry/workers/{worker_a.pk}/leave/", {"end_date": "2024-02-29"})
    left = _api(as_operator_b, enterprise_b, worker_a.id_number, employment_start="2024-02-01")
    assert (left.status_code, left.json()) == (elsewhere.status_code, elsewhere.json()) == (400, {"detail": NEUTRAL})


# The import ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["update", "report"])
def test_the_import_refuses_an_id_number_of_another_enterprise_with_the_neutral_message(
    operator_b, worker_a, mode
):
    before = _state()
    content = workbook(WORKER_HEADERS, [worker_row("钱多多", worker_a.id_number)])
    job, write = run_import("workers", content, operator_b, mode)
    assert write is None
    assert errors_of(job) == [(2, "身份证号", worker_a.id_number_masked, NEUTRAL)]
    _leak_free(json.dumps(job.result, ensure_ascii=False), worker_a)
    assert _state() == before
    assert _refusals() == [{"id_number": worker_a.id_number_masked, "reason": "employed_elsewhere", "via": "import"}]


def test_the_import_refuses_a_person_who_left_in_report_mode_in_the_same_words(
    operator_a, operator_b, worker_a
):
    services.end_employment(worker_a, actor=operator_a, end_date=datetime.date(2024, 2, 29))
    content = workbook(WORKER_HEADERS, [worker_row("钱多多", worker_a.id_number, start="2024-03-01")])
    job, write = run_import("workers", content, operator_b, "report")
    assert write is None
    assert errors_of(job) == [(2, "身份证号", worker_a.id_number_masked, NEUTRAL)]
    job, write = run_import("workers", workbook(WORKER_HEADERS, [worker_row("钱多多", worker_a.id_number,
                                                                            start="2024-02-01")]), operator_b)
    assert errors_of(job) == [(2, "身份证号", worker_a.id_number_masked, NEUTRAL)]  # not the end date
    assert [r["reason"] for r in _refusals()] == ["left", "left_later"]


def test_the_write_job_audits_a_refusal_found_on_its_second_check(operator_a, operator_b, enterprise_a):
    from talentpool.core.imports.jobs import confirm
    from talentpool.core.jobs import execute_job

    content = workbook(WORKER_HEADERS, [worker_row("钱多多", NEW_ID)])
    job, _ = run_import("workers", content, operator_b, confirm=False)
    assert job.result["counts"]["new"] == 1
    WorkerFactory(name="甲", id_number=NEW_ID, enterprise=enterprise_a)  # registered at A meanwhile
    assert confirm(job)
    write = execute_job(job.pk)
    assert write.status == "failed"
    assert NEUTRAL in write.result["error"] and enterprise_a.name not in write.result["error"]
    assert Worker.objects.count() == 1
    assert [r["reason"] for r in _refusals()] == ["employed_elsewhere"]  # kept though the write rolled back


# Certificate numbers ------------------------------------------------------------------------------


def test_the_certificate_form_refuses_a_number_of_a_worker_out_of_scope_neutrally(
    as_operator_b, worker_a, worker_b, cert_a
):
    before = _state()
    response = as_operator_b.post(f"/registry/workers/{worker_b.pk}/certificates/new/", {
        "number": cert_a.number, "level": "3", "issued_on": "2023-06-01"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [NEUTRAL_CERTIFICATE]
    _leak_free(response.content.decode(), worker_a)
    assert _state() == before
    assert _refusals() == [{"certificate_number": "S000**************0001", "reason": "certificate_elsewhere"}]


def test_a_certificate_number_within_scope_is_named_as_already_recorded(operator_a, worker_a, cert_a, enterprise_a):
    other = WorkerFactory(name="王五", enterprise=enterprise_a)
    with pytest.raises(ServiceError) as refused:
        services.add_certificate(other, services.CertificateData(number=cert_a.number, level=3,
                                                                 issued_on=datetime.date(2023, 6, 1)), actor=operator_a)
    assert not isinstance(refused.value, services.DuplicateRefused)
    assert _refusals() == []


def test_the_certificate_import_refuses_a_number_of_a_worker_out_of_scope_neutrally(
    operator_b, worker_a, worker_b, cert_a
):
    before = _state()
    content = workbook(CERT_HEADERS, [[worker_b.id_number, None, cert_a.number, "高级工", None, None, "2020-01-01"]])
    job, write = run_import("certificates", content, operator_b)
    assert write is None
    assert errors_of(job) == [(2, "证书编号", cert_a.number, NEUTRAL_CERTIFICATE)]
    _leak_free(json.dumps(job.result, ensure_ascii=False), worker_a)
    assert _state() == before
    assert len(_refusals()) == 1


# The throttle -------------------------------------------------------------------------------------


def test_after_the_limit_registration_by_id_number_pauses_for_everyone_it_would_register(
    settings, as_operator_b, worker_a, enterprise_a, enterprise_b
):
    settings.DUPLICATE_REFUSALS_PER_HOUR = 2
    other = WorkerFactory(name="李四", enterprise=enterprise_a)
    for number in (worker_a.id_number, other.id_number):
        assert _api(as_operator_b, enterprise_b, number).json() == {"detail": NEUTRAL}
    paused = _api(as_operator_b, enterprise_b, NEW_ID)  # a new person: refused too, so nothing tells
    assert paused.status_code == 429
    assert paused.json()["detail"].startswith("过去一小时内被拒绝的登记过多，按身份证号或证书编号登记已暂停至 ")
    page = as_operator_b.post("/registry/workers/new/", _form(enterprise_b, NEW_ID))
    assert page.context["form"].non_field_errors() == [paused.json()["detail"]]
    assert not Worker.objects.filter(name="钱多多").exists()
    assert len(_refusals()) == 2  # the pause itself is not a refusal


def test_the_pause_ends_when_the_oldest_refusal_is_an_hour_old(settings, operator_b, worker_a, enterprise_b,
                                                                monkeypatch):
    settings.DUPLICATE_REFUSALS_PER_HOUR = 1
    register = {"actor": operator_b, "enterprise": enterprise_b, "employment_start": datetime.date(2024, 3, 1),
                "name": "钱多多", "retirement_category": "man"}
    with pytest.raises(services.DuplicateRefused):
        services.register_worker(id_number=worker_a.id_number, **register)
    with pytest.raises(services.TooManyRefusals) as paused:
        services.register_worker(id_number=NEW_ID, **register)
    first = AuditLog.objects.get(action=RegistryEvent.DUPLICATE_REFUSED).at
    assert paused.value.until == first + timedelta(hours=1)
    later = first + timedelta(hours=1, seconds=1)
    monkeypatch.setattr(throttle.timezone, "now", lambda: later)
    assert services.register_worker(id_number=NEW_ID, **register).name == "钱多多"


def test_an_import_with_more_refusals_than_allowed_refuses_every_row_alike(settings, operator_b, worker_a,
                                                                            enterprise_a):
    settings.DUPLICATE_REFUSALS_PER_HOUR = 1
    other = WorkerFactory(name="李四", enterprise=enterprise_a)
    content = workbook(WORKER_HEADERS, [worker_row("甲", worker_a.id_number), worker_row("乙", NEW_ID),
                                        worker_row("丙", other.id_number)])
    job, write = run_import("workers", content, operator_b)
    assert write is None
    reasons = {reason for *_, reason in errors_of(job)}
    assert len(reasons) == 1 and reasons.pop().startswith("过去一小时内被拒绝的登记过多")
    assert [row for row, *_ in errors_of(job)] == [2, 3, 4]  # which rows were held elsewhere does not show
    assert Worker.objects.count() == 2
    assert len(_refusals()) == 2
    again = run_import("workers", workbook(WORKER_HEADERS, [worker_row("乙", NEW_ID)]), operator_b)[0]
    assert errors_of(again)[0][3].startswith("过去一小时内被拒绝的登记过多")


def test_admins_are_never_paused(settings, admin_user, worker_a, enterprise_b):
    settings.DUPLICATE_REFUSALS_PER_HOUR = 1
    assert services.refusal_allowance(admin_user) == (1 << 30, None)


def test_a_refusal_at_the_known_id_is_masked_in_the_audit(as_operator_b, known_worker, enterprise_b):
    _api(as_operator_b, enterprise_b, KNOWN_ID.lower())
    text = json.dumps(list(AuditLog.objects.values("changes", "object_repr")), ensure_ascii=False)
    assert KNOWN_ID not in text and "330503********1230" in text
