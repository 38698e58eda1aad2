"""Registry services: derived fields, encryption at rest, audit records, business refusals."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection

from talentpool.core.crypto import lookup_hash
from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.core.models import AuditAction, AuditLog
from talentpool.registry import services
from talentpool.registry.models import Certificate, Employment, Enterprise, Honour, Worker

from .conftest import KNOWN_ID
from .factories import IndustryFactory, make_id_number, make_uscc

pytestmark = pytest.mark.django_db


def _register(actor, enterprise, **overrides):  # type: ignore[no-untyped-def]
    fields = {"name": "曾志伟", "id_number": KNOWN_ID, "phone": "13912345678", "retirement_category": "man",
              "skill_level": 3, **overrides}
    return services.register_worker(actor=actor, enterprise=enterprise, employment_start=datetime.date(2015, 4, 1),
                                    position="钳工", **fields)


def _audit_text() -> str:
    return json.dumps(list(AuditLog.objects.values("changes", "object_repr")), ensure_ascii=False)


def test_register_worker_derives_birth_date_and_sex_and_masks(admin_user, enterprise_a):
    worker = _register(admin_user, enterprise_a)
    worker = Worker.objects.get(pk=worker.pk)
    assert (worker.birth_date, worker.sex) == (datetime.date(1985, 3, 7), "M")
    assert worker.id_number == KNOWN_ID
    assert worker.id_number_masked == "330503********1230"
    assert worker.phone_masked == "139****5678"
    assert worker.id_number_hash == lookup_hash(KNOWN_ID)
    assert worker.name_search.split() == ["zengzhiwei", "zzw", "cengzhiwei", "czw"]
    assert worker.current_enterprise == enterprise_a
    assert list(worker.employments.values_list("enterprise_id", "start_date", "end_date", "position")) == [
        (enterprise_a.pk, datetime.date(2015, 4, 1), None, "钳工")]


def test_a_woman_is_recognised_from_an_even_17th_digit(admin_user, enterprise_a):
    number = make_id_number(datetime.date(1992, 12, 31), male=False, seq=2)
    worker = _register(admin_user, enterprise_a, id_number=number, retirement_category="woman_50")
    assert (worker.sex, worker.birth_date) == ("F", datetime.date(1992, 12, 31))


def test_the_database_holds_only_ciphertext_of_id_numbers_and_phones(admin_user, enterprise_a):
    worker = _register(admin_user, enterprise_a)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM registry_worker WHERE id = %s", [worker.pk])
        stored_id, stored_phone = cursor.fetchone()
    assert stored_id != KNOWN_ID and KNOWN_ID not in stored_id and KNOWN_ID[-8:] not in stored_id
    assert stored_phone != "13912345678" and "12345678" not in stored_phone
    assert stored_id.startswith("g1:")  # an AES-GCM token (core/crypto.py): nonce + 18 bytes + tag
    assert len(stored_id) == len("g1:") + 4 * -(-(12 + 18 + 16) // 3)


def test_register_worker_accepts_a_lower_case_x_and_full_width_digits(admin_user, enterprise_a):
    number = make_id_number(datetime.date(1979, 1, 1), seq=101)
    while not number.endswith("X"):
        number = make_id_number(datetime.date(1979, 1, 1), seq=int(number[14:17]) + 2)
    typed = number[:-1].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "x"
    worker = _register(admin_user, enterprise_a, id_number=typed)
    assert worker.id_number == number
    assert worker.id_number_hash == lookup_hash(number)


def test_it_refuses_a_second_worker_with_the_same_id_number(admin_user, operator_b, enterprise_a, enterprise_b):
    _register(admin_user, enterprise_a)
    with pytest.raises(ServiceError):
        _register(operator_b, enterprise_b, id_number=KNOWN_ID.lower(), name="另一个人")
    assert Worker.objects.count() == 1
    assert Employment.objects.count() == 1
    assert AuditLog.objects.filter(action=AuditAction.CREATE).count() == 1


def test_it_refuses_an_operator_registering_into_another_enterprise(operator_a, enterprise_b):
    with pytest.raises(ServiceError):
        _register(operator_a, enterprise_b)
    assert Worker.objects.count() == 0
    assert AuditLog.objects.count() == 0


@pytest.mark.parametrize("persona", ["leader", "expert", "worker_user"])
def test_it_refuses_registration_by_roles_that_may_not_register(request, enterprise_a, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(ServiceError):
        _register(actor, enterprise_a)
    assert Worker.objects.filter(name="曾志伟").count() == 0


def test_the_create_audit_record_masks_personal_data(operator_a, enterprise_a):
    worker = _register(operator_a, enterprise_a)
    log = AuditLog.objects.get()
    assert (log.action, log.actor, log.object_id, log.object_repr) == (
        AuditAction.CREATE, operator_a, str(worker.pk), "曾志伟")
    assert log.changes["id_number"] == [None, "330503********1230"]
    assert log.changes["phone"] == [None, "139****5678"]
    assert log.changes["enterprise"] == [None, "浙江久立特材科技股份有限公司"]
    text = _audit_text()
    assert KNOWN_ID not in text and "13912345678" not in text


def test_update_worker_audits_a_masked_diff(operator_a, known_worker):
    new_id = make_id_number(datetime.date(1986, 6, 6), seq=77)
    services.update_worker(known_worker, actor=operator_a, id_number=new_id, phone="13600001234", skill_level=5)
    worker = Worker.objects.get(pk=known_worker.pk)
    assert (worker.id_number, worker.birth_date, worker.id_number_hash) == (
        new_id, datetime.date(1986, 6, 6), lookup_hash(new_id))
    log = AuditLog.objects.get()
    assert log.changes == {
        "id_number": ["330503********1230", f"330503********{new_id[-4:]}"],
        "phone": ["139****5678", "136****1234"],
        "skill_level": [3, 5],
    }
    text = _audit_text()
    for secret in (KNOWN_ID, new_id, "13912345678", "13600001234"):
        assert secret not in text


def test_update_worker_without_changes_writes_no_audit_record(admin_user, known_worker):
    services.update_worker(known_worker, actor=admin_user, name="曾志伟", skill_level=3)
    assert AuditLog.objects.count() == 0


def test_update_worker_refuses_an_id_number_of_another_worker(admin_user, known_worker, worker_b):
    with pytest.raises(ServiceError):
        services.update_worker(worker_b, actor=admin_user, id_number=KNOWN_ID)
    assert Worker.objects.get(pk=worker_b.pk).id_number == worker_b.id_number
    assert AuditLog.objects.count() == 0


@pytest.mark.parametrize("persona", ["operator_b", "leader", "expert", "worker_user"])
def test_update_worker_refuses_actors_out_of_scope(request, known_worker, persona):
    with pytest.raises(OutOfScope):
        services.update_worker(known_worker, actor=request.getfixturevalue(persona), name="改名")
    assert Worker.objects.get(pk=known_worker.pk).name == "曾志伟"
    assert AuditLog.objects.count() == 0


def test_change_employer_closes_the_old_employment_the_day_before(admin_user, worker_a, enterprise_a, enterprise_b):
    employment = services.change_employer(worker_a, actor=admin_user, enterprise=enterprise_b,
                                          start_date=datetime.date(2024, 1, 1), position="质检员")
    assert (employment.enterprise, employment.start_date, employment.end_date) == (
        enterprise_b, datetime.date(2024, 1, 1), None)
    old = Employment.objects.get(worker=worker_a, enterprise=enterprise_a)
    assert old.end_date == datetime.date(2023, 12, 31)
    assert Worker.objects.get(pk=worker_a.pk).current_enterprise == enterprise_b
    assert AuditLog.objects.get().changes == {"enterprise": ["浙江久立特材科技股份有限公司", "湖州南浔善琏湖笔厂"]}


def test_change_employer_refuses_the_same_enterprise_and_a_start_before_the_current(admin_user, worker_a,
                                                                                     enterprise_a, enterprise_b):
    with pytest.raises(ServiceError):
        services.change_employer(worker_a, actor=admin_user, enterprise=enterprise_a,
                                 start_date=datetime.date(2024, 1, 1))
    with pytest.raises(ServiceError):
        services.change_employer(worker_a, actor=admin_user, enterprise=enterprise_b,
                                 start_date=datetime.date(2010, 3, 1))
    assert Employment.objects.filter(worker=worker_a).count() == 1
    assert Worker.objects.get(pk=worker_a.pk).current_enterprise == enterprise_a


def test_an_operator_cannot_move_a_worker_into_another_enterprise(operator_a, worker_a, enterprise_a, enterprise_b):
    with pytest.raises(ServiceError):
        services.change_employer(worker_a, actor=operator_a, enterprise=enterprise_b,
                                 start_date=datetime.date(2024, 1, 1))
    assert Worker.objects.get(pk=worker_a.pk).current_enterprise == enterprise_a
    assert Employment.objects.filter(worker=worker_a, end_date__isnull=True).get().enterprise == enterprise_a


@pytest.mark.parametrize("persona", ["leader", "expert", "worker_user"])
def test_change_employer_refuses_other_roles(request, worker_a, enterprise_b, persona):
    with pytest.raises(ServiceError):
        services.change_employer(worker_a, actor=request.getfixturevalue(persona), enterprise=enterprise_b,
                                 start_date=datetime.date(2024, 1, 1))
    assert Employment.objects.filter(worker=worker_a).count() == 1


def test_end_employment_closes_it_and_clears_the_current_enterprise(operator_a, worker_a):
    employment = services.end_employment(worker_a, actor=operator_a, end_date=datetime.date(2025, 6, 30))
    assert employment.end_date == datetime.date(2025, 6, 30)
    assert Worker.objects.get(pk=worker_a.pk).current_enterprise is None
    assert AuditLog.objects.get().changes == {"enterprise": ["浙江久立特材科技股份有限公司", None]}
    with pytest.raises(ServiceError):
        services.end_employment(worker_a, actor=operator_a, end_date=datetime.date(2025, 7, 1))


@pytest.mark.parametrize("persona", ["operator_b", "leader", "expert", "worker_user"])
def test_end_employment_refuses_actors_out_of_scope(request, worker_a, persona):
    with pytest.raises(OutOfScope):
        services.end_employment(worker_a, actor=request.getfixturevalue(persona), end_date=datetime.date(2025, 6, 30))
    assert Employment.objects.get(worker=worker_a).end_date is None
    assert Worker.objects.get(pk=worker_a.pk).current_enterprise_id == worker_a.current_enterprise_id
    assert AuditLog.objects.count() == 0


def test_end_employment_refuses_a_date_before_the_start_and_out_of_scope(operator_a, operator_b, worker_a):
    with pytest.raises(ServiceError):
        services.end_employment(worker_a, actor=operator_a, end_date=datetime.date(2000, 1, 1))
    with pytest.raises(OutOfScope):
        services.end_employment(worker_a, actor=operator_b, end_date=datetime.date(2025, 6, 30))
    assert Employment.objects.get(worker=worker_a).end_date is None


def _cert(number: str = "S000033050000002000009", level: int = 4) -> services.CertificateData:
    return services.CertificateData(number=number, level=level, issued_on=datetime.date(2023, 6, 1),
                                    issuer="南浔区人社局", occupation_name="车工")


def test_add_certificate_raises_the_skill_level(operator_a, worker_a):
    certificate = services.add_certificate(worker_a, _cert(), actor=operator_a)
    assert (certificate.number, certificate.level, certificate.warnings) == ("S000033050000002000009", 4, "")
    assert Worker.objects.get(pk=worker_a.pk).skill_level == 4
    assert list(AuditLog.objects.order_by("id").values_list("action", "object_repr", "changes")) == [
        (AuditAction.CREATE, "慎建民 S000033050000002000009",
         {"worker": "慎建民", "number": "S000033050000002000009", "level": 4}),
        (AuditAction.UPDATE, "慎建民", {"skill_level": [3, 4]}),  # the worker's level, audited as theirs
    ]


def test_add_certificate_does_not_lower_the_skill_level(operator_a, worker_a):
    Worker.objects.filter(pk=worker_a.pk).update(skill_level=5)
    services.add_certificate(worker_a, _cert("S000033050000004000009", level=2), actor=operator_a)
    assert Worker.objects.get(pk=worker_a.pk).skill_level == 5


def test_add_certificate_keeps_a_level_mismatch_as_a_warning(operator_a, worker_a):
    certificate = services.add_certificate(worker_a, _cert("S000033050000003000009", level=4), actor=operator_a)
    assert "第 16 位" in certificate.warnings


def test_it_refuses_a_duplicate_certificate_number(operator_a, operator_b, worker_a, worker_b):
    services.add_certificate(worker_a, _cert(), actor=operator_a)
    with pytest.raises(ServiceError):
        services.add_certificate(worker_b, _cert(" s000033050000002000009 "), actor=operator_b)
    assert Certificate.objects.count() == 1
    assert Worker.objects.get(pk=worker_b.pk).skill_level == 3


@pytest.mark.parametrize("persona", ["operator_b", "leader", "expert", "worker_user"])
def test_add_certificate_refuses_an_actor_out_of_scope(request, worker_a, persona):
    with pytest.raises(OutOfScope):
        services.add_certificate(worker_a, _cert(), actor=request.getfixturevalue(persona))
    assert Certificate.objects.count() == 0
    assert Worker.objects.get(pk=worker_a.pk).skill_level == 3
    assert AuditLog.objects.count() == 0


def test_add_honour_records_it_once(operator_a, worker_a):
    honour = services.add_honour(worker_a, actor=operator_a, name="全国五一劳动奖章", level="national",
                                 awarded_on=datetime.date(2020, 5, 1))
    assert str(honour).startswith("全国五一劳动奖章（")
    assert AuditLog.objects.get().changes == {"worker": "慎建民", "name": "全国五一劳动奖章", "level": "national",
                                              "awarded_on": "2020-05-01"}
    with pytest.raises(ServiceError):
        services.add_honour(worker_a, actor=operator_a, name="全国五一劳动奖章", level="national",
                            awarded_on=datetime.date(2020, 5, 1))
    assert Honour.objects.count() == 1


@pytest.mark.parametrize("persona", ["operator_b", "leader", "expert", "worker_user"])
def test_add_honour_refuses_actors_out_of_scope(request, worker_a, persona):
    with pytest.raises(OutOfScope):
        services.add_honour(worker_a, actor=request.getfixturevalue(persona), name="市技术能手", level="city",
                            awarded_on=datetime.date(2020, 5, 1))
    assert Honour.objects.count() == 0
    assert AuditLog.objects.count() == 0


def test_delete_certificate_and_honour_are_audited(operator_a, cert_a, honour_a):
    cert_pk, honour_pk, honour_text = cert_a.pk, honour_a.pk, str(honour_a)
    services.delete_certificate(cert_a, actor=operator_a)
    services.delete_honour(honour_a, actor=operator_a)
    assert Certificate.objects.count() == 0 and Honour.objects.count() == 0
    assert list(AuditLog.objects.order_by("id").values_list("action", "object_repr", "object_id")) == [
        ("record.delete", "慎建民 S000033050000003000001", str(cert_pk)),
        ("record.update", "慎建民", str(cert_a.worker_id)),  # the level rested on that certificate
        ("record.delete", f"慎建民 {honour_text}", str(honour_pk)),
    ]
    assert Worker.objects.get(pk=cert_a.worker_id).skill_level is None


@pytest.mark.parametrize("persona", ["operator_b", "leader", "worker_user", "expert"])
def test_delete_refuses_actors_out_of_scope(request, cert_a, honour_a, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(OutOfScope):
        services.delete_certificate(cert_a, actor=actor)
    with pytest.raises(OutOfScope):
        services.delete_honour(honour_a, actor=actor)
    assert Certificate.objects.count() == 1 and Honour.objects.count() == 1
    assert AuditLog.objects.count() == 0


def test_create_enterprise_is_for_admins_only_and_validates_the_credit_code(admin_user, leader):
    industry = IndustryFactory(name="电机")
    uscc = make_uscc()
    with pytest.raises(ServiceError):
        services.create_enterprise(actor=leader, name="浙江电机厂", uscc=uscc, industry=industry)
    enterprise = services.create_enterprise(actor=admin_user, name="浙江电机厂", uscc=uscc.lower(), industry=industry)
    assert enterprise.uscc == uscc
    with pytest.raises(ServiceError):
        services.create_enterprise(actor=admin_user, name="另一家", uscc=uscc, industry=industry)
    assert Enterprise.objects.count() == 1
    assert AuditLog.objects.get().action == AuditAction.CREATE


def test_update_enterprise_by_an_operator_keeps_identity_fields(operator_a, enterprise_a):
    services.update_enterprise(enterprise_a, actor=operator_a, name="改名", ownership="public",
                               contact_name="沈经理", contact_phone="13955556666")
    enterprise = Enterprise.objects.get(pk=enterprise_a.pk)
    assert (enterprise.name, enterprise.ownership, enterprise.contact_name, enterprise.contact_phone) == (
        "浙江久立特材科技股份有限公司", "non_public", "沈经理", "13955556666")
    assert AuditLog.objects.get().changes == {"contact_name": ["", "沈经理"], "contact_phone": ["", "139****6666"]}


def test_update_enterprise_refuses_the_other_operator(operator_b, enterprise_a):
    with pytest.raises(OutOfScope):
        services.update_enterprise(enterprise_a, actor=operator_b, contact_name="黑客")
    assert Enterprise.objects.get(pk=enterprise_a.pk).contact_name == ""
