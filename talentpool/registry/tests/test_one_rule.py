"""One rule, one place (issue 8 §2): each rule of a worker's record holds whatever path writes it
— the form pages (POST), the API (POST and PATCH), the import (a workbook through the import job)
and the services — with one exact Chinese message, and a refused write changes nothing.

The matrix is rule × path: ``WORKER_RULES`` are the rules of the worker's own fields (every path
that registers or edits a worker), ``EVENT_RULES`` those of the dated records that have no API
(certificates, honours, employment). Then the names, and the level a deleted certificate leaves.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from talentpool.core.crypto import lookup_hash
from talentpool.core.exceptions import ServiceError
from talentpool.core.models import AuditAction, AuditLog, JobStatus
from talentpool.registry import services
from talentpool.registry.models import Certificate, Employment, Honour, Worker

from .conftest import KNOWN_ID
from .factories import CertificateFactory, make_id_number
from .test_imports import (  # the workbooks and the import job as the import's own tests drive them
    CERT_HEADERS,
    HONOUR_HEADERS,
    WORKER_HEADERS,
    _media,  # noqa: F401  (autouse: uploads go to a temporary directory)
    errors_of,
    run_import,
    workbook,
    worker_row,
)

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)
KNOWN_BIRTH = D(1985, 3, 7)  # known_worker's, from KNOWN_ID (a man, 男职工, employed since 2010-03-01)
ID_WOMAN = make_id_number(D(1990, 7, 1), male=False, seq=22)
ID_MAN = make_id_number(D(1988, 8, 8), male=True, seq=31)

# The messages, word for word (rules.retirement.category_conflict, rules.dates).
WOMAN_AS_MAN = ("身份证号显示为女性，退休类别不能是“男职工（原60岁）”，"
                "应为“女干部/管理技术岗（原55岁）”或“女工人（原50岁）”")
MAN_AS_WOMAN = "身份证号显示为男性，退休类别不能是“女工人（原50岁）”，应为“男职工（原60岁）”"


def future(what: str) -> str:
    return f"{what}（{TOMORROW.isoformat()}）晚于今天"


def before_birth(what: str, day: datetime.date) -> str:
    return f"{what}（{day.isoformat()}）早于出生日期"


def state() -> dict[str, Any]:
    """Everything a write could change (the import's own job record aside)."""
    return {
        "workers": list(Worker.objects.order_by("pk").values_list(
            "pk", "name", "id_number_hash", "retirement_category", "work_start_date", "skill_level",
            "current_enterprise_id", "version")),
        "employments": list(Employment.objects.order_by("pk").values_list(
            "pk", "worker_id", "enterprise_id", "start_date", "end_date")),
        "certificates": list(Certificate.objects.order_by("pk").values_list("pk", "number", "issued_on")),
        "honours": list(Honour.objects.order_by("pk").values_list("pk", "name", "awarded_on")),
        "audit": list(AuditLog.objects.order_by("pk").values_list("pk", "action")),
    }


def messages_of(errors: Any) -> list[str]:
    """Every message of a form's or the API's errors, flattened."""
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in messages_of(value)]
    if isinstance(errors, list):
        return [m for value in errors for m in messages_of(value)]
    return [str(errors)]


# The paths ------------------------------------------------------------------------------------
# Each takes the test's context and a case's values and returns the messages it was refused with.


@dataclass
class Ctx:
    client_of: Callable[[str], Any]
    operator: Any
    admin: Any
    enterprise: Any
    worker: Any  # known_worker


def _form_errors(response: Any) -> list[str]:
    assert response.status_code == 200, response.status_code  # the form again, not a redirect
    return messages_of(response.context["form"].errors)


def _api_errors(response: Any) -> list[str]:
    assert response.status_code == 400, (response.status_code, response.content)
    return messages_of(response.json())


def _import_errors(kind: str, headers: list[str], row: list[Any], actor: Any) -> list[tuple[str, str]]:
    job, write = run_import(kind, workbook(headers, [row]), actor)
    assert write is None and job.status == JobStatus.SUCCEEDED, job.result  # checked, refused, not written
    return [(column, reason) for _row, column, _value, reason in errors_of(job)]


NEW_FORM = {"name": "钱多多", "phone": "", "education": "college", "retirement_category": "man", "is_frontline": "on",
            "work_start_date": "", "skill_level": "", "position": "焊工", "employment_start": "2020-01-01"}
NEW_API = {"name": "钱多多", "retirement_category": "man", "employment_start": "2020-01-01"}
IMPORT_COLUMNS = {"id_number": "身份证号", "retirement_category": "退休类别", "work_start_date": "参加工作时间",
                  "employment_start": "入职时间", "name": "姓名"}
IMPORT_CATEGORY = {"man": "男职工", "woman_50": "女职工（50岁）", "woman_55": "女职工（55岁）"}


def _import_row(values: dict[str, Any], ctx: Ctx) -> list[Any]:
    cells = {IMPORT_COLUMNS[k]: (IMPORT_CATEGORY[v] if k == "retirement_category" else str(v))
             for k, v in values.items() if k not in {"id_number", "employment_start", "name"}}
    return worker_row(values.get("name", "钱多多"), values.get("id_number", ID_MAN), enterprise=ctx.enterprise.name,
                      start=str(values.get("employment_start", "2020-01-01")), **cells)


def register_by_form(ctx: Ctx, values: dict[str, Any]) -> list[str]:
    data = {**NEW_FORM, "id_number": ID_MAN, "enterprise": ctx.enterprise.pk, **values}
    return _form_errors(ctx.client_of("operator_a").post("/registry/workers/new/", data))


def register_by_api(ctx: Ctx, values: dict[str, Any]) -> list[str]:
    body = {**NEW_API, "id_number": ID_MAN, "enterprise": ctx.enterprise.pk,
            **{k: str(v) for k, v in values.items()}}
    response = ctx.client_of("operator_a").post("/api/workers/", json.dumps(body), content_type="application/json")
    return _api_errors(response)


def register_by_import(ctx: Ctx, values: dict[str, Any]) -> list[str]:
    errors = _import_errors("workers", WORKER_HEADERS, _import_row(values, ctx), ctx.operator)
    return [reason for _column, reason in errors]


def register_by_service(ctx: Ctx, values: dict[str, Any]) -> list[str]:
    fields = {"name": "钱多多", "id_number": ID_MAN, "retirement_category": "man", **values}
    start = fields.pop("employment_start", D(2020, 1, 1))
    with pytest.raises(ServiceError) as refused:
        services.register_worker(actor=ctx.operator, enterprise=ctx.enterprise, employment_start=start, **fields)
    return [str(refused.value)]


def edit_by_form(ctx: Ctx, values: dict[str, Any]) -> list[str]:
    w = ctx.worker
    data = {"name": w.name, "id_number": w.id_number_masked, "phone": w.phone_masked, "education": w.education,
            "retirement_category": w.retirement_category, "is_frontline": "on",
            "work_start_date": w.work_start_date.isoformat(), "skill_level": str(w.skill_level),
            "version": w.version, **{k: str(v) for k, v in values.items()}}
    return _form_errors(ctx.client_of("operator_a").post(f"/registry/workers/{w.pk}/edit/", data))


def edit_by_api(ctx: Ctx, values: dict[str, Any]) -> list[str]:
    body = {"version": ctx.worker.version, **{k: str(v) for k, v in values.items()}}
    response = ctx.client_of("operator_a").patch(f"/api/workers/{ctx.worker.pk}/", json.dumps(body),
                                                 content_type="application/json")
    return _api_errors(response)


def edit_by_import(ctx: Ctx, values: dict[str, Any]) -> list[str]:
    row = _import_row({"name": ctx.worker.name, "id_number": KNOWN_ID, "employment_start": "2010-03-01", **values},
                      ctx)
    return [reason for _column, reason in _import_errors("workers", WORKER_HEADERS, row, ctx.operator)]


def edit_by_service(ctx: Ctx, values: dict[str, Any]) -> list[str]:
    with pytest.raises(ServiceError) as refused:
        services.update_worker(ctx.worker, actor=ctx.operator, expected_version=ctx.worker.version, **values)
    return [str(refused.value)]


REGISTER_PATHS = {"form": register_by_form, "api-post": register_by_api, "import": register_by_import,
                  "service": register_by_service}
EDIT_PATHS = {"form": edit_by_form, "api-patch": edit_by_api, "import": edit_by_import, "service": edit_by_service}


@dataclass(frozen=True)
class WorkerRule:
    name: str
    new: dict[str, Any] | None  # a registration breaking the rule (None: no such registration)
    new_message: str
    edit: dict[str, Any] | None = None  # a change of known_worker breaking it
    edit_message: str = ""
    paths: tuple[str, ...] = field(default=())


WORKER_RULES = [
    WorkerRule("a woman's ID number with a man's category",
               {"id_number": ID_WOMAN, "retirement_category": "man"}, WOMAN_AS_MAN,
               {"retirement_category": "woman_50"}, MAN_AS_WOMAN),
    WorkerRule("a man's ID number changed to a woman's, the category left as it was",
               None, "", {"id_number": ID_WOMAN}, WOMAN_AS_MAN),
    WorkerRule("work start in the future",
               {"work_start_date": TOMORROW}, future("参加工作时间"),
               {"work_start_date": TOMORROW}, future("参加工作时间")),
    WorkerRule("work start before birth",
               {"work_start_date": D(1988, 8, 7)}, before_birth("参加工作时间", D(1988, 8, 7)),
               {"work_start_date": D(1985, 3, 6)}, before_birth("参加工作时间", D(1985, 3, 6))),
    WorkerRule("employment start in the future", {"employment_start": TOMORROW}, future("入职时间")),
    WorkerRule("employment start before birth",
               {"employment_start": D(1988, 8, 1)}, before_birth("入职时间", D(1988, 8, 1))),
]


def _worker_cases() -> list[Any]:
    cases = []
    for rule in WORKER_RULES:
        if rule.new is not None:
            cases += [pytest.param(REGISTER_PATHS[path], rule.new, rule.new_message, id=f"register-{path}-{rule.name}")
                      for path in REGISTER_PATHS]
        if rule.edit is not None:
            # (an import finds the worker by their ID number: it cannot change it)
            cases += [pytest.param(EDIT_PATHS[path], rule.edit, rule.edit_message, id=f"edit-{path}-{rule.name}")
                      for path in EDIT_PATHS if not (path == "import" and "id_number" in rule.edit)]
    return cases


@pytest.fixture
def ctx(client_of, operator_a, admin_user, enterprise_a, known_worker):  # type: ignore[no-untyped-def]
    return Ctx(client_of, operator_a, admin_user, enterprise_a, known_worker)


@pytest.mark.parametrize(("run", "values", "message"), _worker_cases())
def test_each_worker_rule_holds_on_every_path_with_one_message(ctx, run, values, message):
    before = state()
    assert run(ctx, values) == [message]
    assert state() == before


# Dated records without an API: certificates, honours, the end and change of employment ----------

CERT_NUMBER = "S000033050000002000009"  # a 技师 certificate (16th character 2)


def certificate_by_form(ctx: Ctx, day: datetime.date) -> list[str]:
    data = {"number": CERT_NUMBER, "level": "4", "occupation_name": "车工", "issuer": "南浔区人社局",
            "issued_on": day.isoformat()}
    return _form_errors(ctx.client_of("operator_a").post(f"/registry/workers/{ctx.worker.pk}/certificates/new/", data))


def certificate_by_import(ctx: Ctx, day: datetime.date) -> list[str]:
    row = [KNOWN_ID, ctx.worker.name, CERT_NUMBER, "技师", "车工", "南浔区人社局", day.isoformat()]
    errors = _import_errors("certificates", CERT_HEADERS, row, ctx.operator)
    assert [column for column, _reason in errors] == ["发证日期"]
    return [reason for _column, reason in errors]


def certificate_by_service(ctx: Ctx, day: datetime.date) -> list[str]:
    data = services.CertificateData(number=CERT_NUMBER, level=4, issued_on=day, occupation_name="车工")
    with pytest.raises(ServiceError) as refused:
        services.add_certificate(ctx.worker, data, actor=ctx.operator)
    return [str(refused.value)]


def honour_by_form(ctx: Ctx, day: datetime.date) -> list[str]:
    data = {"name": "全国技术能手", "level": "national", "awarded_on": day.isoformat(), "issuer": ""}
    return _form_errors(ctx.client_of("operator_a").post(f"/registry/workers/{ctx.worker.pk}/honours/new/", data))


def honour_by_import(ctx: Ctx, day: datetime.date) -> list[str]:
    row = [KNOWN_ID, ctx.worker.name, "全国技术能手", "国家级", day.isoformat(), "人社部"]
    errors = _import_errors("honours", HONOUR_HEADERS, row, ctx.operator)
    assert [column for column, _reason in errors] == ["授予日期"]
    return [reason for _column, reason in errors]


def honour_by_service(ctx: Ctx, day: datetime.date) -> list[str]:
    with pytest.raises(ServiceError) as refused:
        services.add_honour(ctx.worker, actor=ctx.operator, name="全国技术能手", level="national", awarded_on=day)
    return [str(refused.value)]


def leave_by_form(ctx: Ctx, day: datetime.date) -> list[str]:
    url = f"/registry/workers/{ctx.worker.pk}/leave/"
    return _form_errors(ctx.client_of("operator_a").post(url, {"end_date": day.isoformat()}))


def leave_by_service(ctx: Ctx, day: datetime.date) -> list[str]:
    with pytest.raises(ServiceError) as refused:
        services.end_employment(ctx.worker, actor=ctx.operator, end_date=day)
    return [str(refused.value)]


@pytest.fixture
def other_enterprise(enterprise_b):  # type: ignore[no-untyped-def]
    return enterprise_b


def move_by_form(ctx: Ctx, day: datetime.date) -> list[str]:
    from .factories import EnterpriseFactory

    target = EnterpriseFactory(name="南浔新去处有限公司")
    url = f"/registry/workers/{ctx.worker.pk}/employer/"
    errors = _form_errors(ctx.client_of("admin").post(url, {"enterprise": target.pk, "start_date": day.isoformat(),
                                                            "position": ""}))
    target.delete()  # made for this case only: the state compared is the rest
    return errors


def move_by_service(ctx: Ctx, day: datetime.date) -> list[str]:
    from .factories import EnterpriseFactory

    target = EnterpriseFactory(name="南浔新去处有限公司")
    with pytest.raises(ServiceError) as refused:
        services.change_employer(ctx.worker, actor=ctx.admin, enterprise=target, start_date=day)
    target.delete()
    return [str(refused.value)]


EVENT_PATHS: dict[str, dict[str, Callable[[Ctx, datetime.date], list[str]]]] = {
    "certificate": {"form": certificate_by_form, "import": certificate_by_import, "service": certificate_by_service},
    "honour": {"form": honour_by_form, "import": honour_by_import, "service": honour_by_service},
    "leave": {"form": leave_by_form, "service": leave_by_service},
    "move": {"form": move_by_form, "service": move_by_service},
}
EVENT_RULES = [
    ("certificate", TOMORROW, future("发证日期")),
    ("certificate", D(1985, 3, 6), before_birth("发证日期", D(1985, 3, 6))),
    ("honour", TOMORROW, future("授予日期")),
    ("honour", D(1980, 5, 1), before_birth("授予日期", D(1980, 5, 1))),
    ("leave", TOMORROW, future("离职日期")),
    ("leave", D(2009, 12, 31), "离职日期（2009-12-31）早于入职时间（2010-03-01）"),  # the employment's start
    ("move", TOMORROW, future("入职时间")),
    ("move", D(1985, 3, 1), before_birth("入职时间", D(1985, 3, 1))),
]


@pytest.mark.parametrize(
    ("record", "path", "day", "message"),
    [pytest.param(record, path, day, message, id=f"{record}-{path}-{day.isoformat()}")
     for record, day, message in EVENT_RULES for path in EVENT_PATHS[record]],
)
def test_each_date_rule_holds_on_every_path_with_one_message(ctx, record, path, day, message):
    assert ctx.worker.birth_date == KNOWN_BIRTH
    before = state()
    assert EVENT_PATHS[record][path](ctx, day) == [message]
    assert state() == before


def test_a_date_on_the_birthday_or_today_is_accepted(ctx):
    services.add_certificate(ctx.worker, services.CertificateData(number=CERT_NUMBER, level=4, issued_on=TODAY),
                             actor=ctx.operator)
    services.add_honour(ctx.worker, actor=ctx.operator, name="全国技术能手", level="national",
                        awarded_on=KNOWN_BIRTH)
    services.end_employment(ctx.worker, actor=ctx.operator, end_date=D(2010, 3, 1))  # the day it began
    assert (Certificate.objects.get().issued_on, Honour.objects.get().awarded_on) == (TODAY, KNOWN_BIRTH)
    assert Employment.objects.get().end_date == D(2010, 3, 1)


def test_a_record_saved_before_the_rule_can_still_be_edited_otherwise(ctx):
    """A woman stored as 男职工 before the rule (a legacy record): changing her phone or work start is
    not refused for it; a change of her ID number (which the rule reads) keeping 男职工 is, and
    correcting her category is accepted."""
    Worker.objects.filter(pk=ctx.worker.pk).update(id_number=ID_WOMAN, id_number_hash=lookup_hash(ID_WOMAN), sex="F")
    worker = Worker.objects.get(pk=ctx.worker.pk)
    services.update_worker(worker, actor=ctx.operator, id_number=ID_WOMAN, retirement_category="man",
                           phone="13700001111", work_start_date=D(2004, 1, 1))  # the same number and category
    assert Worker.objects.get(pk=worker.pk).phone == "13700001111"
    before = state()
    another = make_id_number(D(1991, 1, 1), male=False, seq=44)
    with pytest.raises(ServiceError) as refused:
        services.update_worker(worker, actor=ctx.operator, id_number=another)
    assert str(refused.value) == WOMAN_AS_MAN
    assert state() == before
    services.update_worker(worker, actor=ctx.operator, retirement_category="woman_55")
    assert Worker.objects.get(pk=worker.pk).retirement_category == "woman_55"


# Names -----------------------------------------------------------------------------------------

# 李测二 reads li ce er: its initials are lce (二 er begins with e).
NAME_CASES = [(" 李　测二 ", "李测二", ["lce", "liceer"]), ("阿不都・热合曼", "阿不都·热合曼", ["abdrhm"]),
              ("阿不都 • 热合曼", "阿不都·热合曼", ["abudoureheman"]), ("  Anna　 Smith ", "Anna Smith", ["annasmith"])]


def name_by_form_new(ctx: Ctx, raw: str) -> Worker:
    data = {**NEW_FORM, "name": raw, "id_number": ID_MAN, "enterprise": ctx.enterprise.pk}
    response = ctx.client_of("operator_a").post("/registry/workers/new/", data)
    assert response.status_code == 302, messages_of(response.context["form"].errors)
    return Worker.objects.get(id_number_hash=lookup_hash(ID_MAN))


def name_by_form_edit(ctx: Ctx, raw: str) -> Worker:
    w = ctx.worker
    data = {"name": raw, "id_number": w.id_number_masked, "phone": w.phone_masked, "education": w.education,
            "retirement_category": w.retirement_category, "is_frontline": "on",
            "work_start_date": w.work_start_date.isoformat(), "skill_level": str(w.skill_level), "version": w.version}
    response = ctx.client_of("operator_a").post(f"/registry/workers/{w.pk}/edit/", data)
    assert response.status_code == 302, messages_of(response.context["form"].errors)
    return Worker.objects.get(pk=w.pk)


def name_by_api_post(ctx: Ctx, raw: str) -> Worker:
    body = {**NEW_API, "name": raw, "id_number": ID_MAN, "enterprise": ctx.enterprise.pk}
    response = ctx.client_of("operator_a").post("/api/workers/", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.json()
    return Worker.objects.get(pk=response.json()["id"])


def name_by_api_patch(ctx: Ctx, raw: str) -> Worker:
    body = {"name": raw, "version": ctx.worker.version}
    response = ctx.client_of("operator_a").patch(f"/api/workers/{ctx.worker.pk}/", json.dumps(body),
                                                 content_type="application/json")
    assert response.status_code == 200, response.json()
    return Worker.objects.get(pk=ctx.worker.pk)


def name_by_import_new(ctx: Ctx, raw: str) -> Worker:
    job, write = run_import("workers", workbook(WORKER_HEADERS, [_import_row({"name": raw}, ctx)]), ctx.operator)
    assert write is not None and write.status == JobStatus.SUCCEEDED, job.result
    return Worker.objects.get(id_number_hash=lookup_hash(ID_MAN))


def name_by_import_update(ctx: Ctx, raw: str) -> Worker:
    row = _import_row({"name": raw, "id_number": KNOWN_ID, "employment_start": "2010-03-01"}, ctx)
    job, write = run_import("workers", workbook(WORKER_HEADERS, [row]), ctx.operator)
    assert write is not None and write.status == JobStatus.SUCCEEDED, job.result
    return Worker.objects.get(pk=ctx.worker.pk)


def name_by_service_register(ctx: Ctx, raw: str) -> Worker:
    return services.register_worker(actor=ctx.operator, enterprise=ctx.enterprise, employment_start=D(2020, 1, 1),
                                    name=raw, id_number=ID_MAN, retirement_category="man")


def name_by_service_update(ctx: Ctx, raw: str) -> Worker:
    return services.update_worker(ctx.worker, actor=ctx.operator, name=raw)


NAME_PATHS = {"form-new": name_by_form_new, "form-edit": name_by_form_edit, "api-post": name_by_api_post,
              "api-patch": name_by_api_patch, "import-new": name_by_import_new,
              "import-update": name_by_import_update, "service-register": name_by_service_register,
              "service-update": name_by_service_update}


@pytest.mark.parametrize("path", NAME_PATHS)
@pytest.mark.parametrize(("raw", "stored", "pinyin"), NAME_CASES, ids=[c[1] for c in NAME_CASES])
def test_a_name_is_stored_and_found_the_same_way_on_every_path(ctx, path, raw, stored, pinyin):
    worker = NAME_PATHS[path](ctx, raw)
    worker.refresh_from_db()
    assert worker.name == stored
    for key in pinyin:
        assert key in worker.name_search.split()
    for query in [stored, raw, *pinyin]:
        assert list(Worker.objects.search(query).values_list("pk", flat=True)) == [worker.pk], query
    response = ctx.client_of("admin").get("/registry/workers/", {"q": pinyin[0]})
    assert response.status_code == 200
    assert [row.record.pk for row in response.context["table"].page.object_list] == [worker.pk]


@pytest.mark.parametrize("path", ["form-new", "api-post", "service-register"])
def test_a_name_of_only_spaces_and_dots_is_refused(ctx, path):
    before = state()
    if path == "form-new":
        errors = register_by_form(ctx, {"name": "　·　"})
    elif path == "api-post":
        errors = register_by_api(ctx, {"name": "　·　"})
    else:
        errors = register_by_service(ctx, {"name": "　·　"})
    assert errors == ["请填写姓名。"]
    assert state() == before


# A deleted certificate recomputes the level ------------------------------------------------------


def _delete_by_form(ctx: Ctx, certificate: Certificate) -> None:
    response = ctx.client_of("operator_a").post(f"/registry/certificates/{certificate.pk}/delete/")
    assert response.status_code == 302


def _delete_by_service(ctx: Ctx, certificate: Certificate) -> None:
    services.delete_certificate(certificate, actor=ctx.operator)


@pytest.mark.parametrize("delete", [_delete_by_form, _delete_by_service], ids=["form", "service"])
def test_deleting_a_certificate_recomputes_the_level_from_the_others(ctx, delete):
    worker = ctx.worker
    Worker.objects.filter(pk=worker.pk).update(skill_level=None)
    services.add_certificate(worker, services.CertificateData(number="S000033050000004000001", level=2,
                                                              issued_on=D(2015, 6, 1)), actor=ctx.operator)
    services.add_certificate(worker, services.CertificateData(number=CERT_NUMBER, level=4,
                                                              issued_on=D(2020, 6, 1)), actor=ctx.operator)
    assert Worker.objects.get(pk=worker.pk).skill_level == 4
    version = Worker.objects.get(pk=worker.pk).version
    audit = AuditLog.objects.count()

    delete(ctx, Certificate.objects.get(number=CERT_NUMBER))
    worker = Worker.objects.get(pk=worker.pk)
    assert (worker.skill_level, worker.version) == (2, version + 1)  # 中级工: the remaining certificate
    new = list(AuditLog.objects.order_by("pk").values_list("action", "object_repr", "changes"))[audit:]
    assert new == [(AuditAction.DELETE, f"曾志伟 {CERT_NUMBER}", {}),
                   (AuditAction.UPDATE, "曾志伟", {"skill_level": [4, 2]})]

    delete(ctx, Certificate.objects.get())
    assert Worker.objects.get(pk=worker.pk).skill_level is None  # no certificate left
    assert AuditLog.objects.order_by("pk").last().changes == {"skill_level": [2, None]}


@pytest.mark.parametrize("delete", [_delete_by_form, _delete_by_service], ids=["form", "service"])
def test_deleting_a_lower_certificate_keeps_the_level(ctx, delete):
    low = CertificateFactory(worker=ctx.worker, number="S000033050000004000001", level=2)
    CertificateFactory(worker=ctx.worker, number=CERT_NUMBER, level=4)
    Worker.objects.filter(pk=ctx.worker.pk).update(skill_level=4)
    delete(ctx, low)
    assert Worker.objects.get(pk=ctx.worker.pk).skill_level == 4
    assert [action for action, in AuditLog.objects.values_list("action")] == [AuditAction.DELETE]


def test_an_imported_certificate_sets_the_level_as_the_service_does(ctx):
    """The import writes the same rule (rules.skills.recomputed_level), and audits the level."""
    Worker.objects.filter(pk=ctx.worker.pk).update(skill_level=5)  # recorded by hand, above any certificate
    row = [KNOWN_ID, "曾志伟", CERT_NUMBER, "技师", "车工", "南浔区人社局", "2021-06-01"]
    job, write = run_import("certificates", workbook(CERT_HEADERS, [row]), ctx.operator)
    assert write is not None and write.status == JobStatus.SUCCEEDED, job.result
    assert Worker.objects.get(pk=ctx.worker.pk).skill_level == 5  # kept: higher than the certificate
    Worker.objects.filter(pk=ctx.worker.pk).update(skill_level=3)
    row = [KNOWN_ID, "曾志伟", "S000033050000001000001", "高级技师", "车工", "南浔区人社局", "2022-06-01"]
    job, write = run_import("certificates", workbook(CERT_HEADERS, [row]), ctx.operator)
    assert write is not None and write.status == JobStatus.SUCCEEDED, job.result
    assert Worker.objects.get(pk=ctx.worker.pk).skill_level == 5  # raised to the new certificate's
    update = AuditLog.objects.filter(action=AuditAction.UPDATE).get()
    assert (update.object_repr, update.changes) == ("曾志伟", {"skill_level": [3, 5]})
    services.delete_certificate(Certificate.objects.get(number="S000033050000001000001"), actor=ctx.operator)
    assert Worker.objects.get(pk=ctx.worker.pk).skill_level == 4  # back to the 技师 certificate
    # A level recorded below the certificates (中级工 beside a 技师 certificate) follows them, as
    # set_level_from_certificates has it, rather than taking the new 高级工 certificate's.
    Worker.objects.filter(pk=ctx.worker.pk).update(skill_level=2)
    row = [KNOWN_ID, "曾志伟", "S000033050000003000001", "高级工", "车工", "南浔区人社局", "2023-06-01"]
    job, write = run_import("certificates", workbook(CERT_HEADERS, [row]), ctx.operator)
    assert write is not None and write.status == JobStatus.SUCCEEDED, job.result
    assert Worker.objects.get(pk=ctx.worker.pk).skill_level == 4


def test_the_migration_stores_every_name_as_the_rule_gives_it(ctx):
    """0010_normalise_names: names saved before the rule (" 李　测二 " stored as "李 测二") are stored
    again as normalise_name gives them, with their search keys; others are left as they are."""
    import importlib

    from django.apps import apps

    from talentpool.rules.names import name_keys

    from .factories import WorkerFactory

    spaced = WorkerFactory(name="李 测二", enterprise=ctx.enterprise)
    dotted = WorkerFactory(name="阿不都・热合曼", enterprise=ctx.enterprise)
    Worker.objects.filter(pk__in=[spaced.pk, dotted.pk]).update(name_search="", name_sort="")
    untouched = Worker.objects.filter(pk=ctx.worker.pk).values_list("name", "name_search", "name_sort").get()
    migration = importlib.import_module("talentpool.registry.migrations.0010_normalise_names")
    migration.normalise_names(apps, None)
    assert list(Worker.objects.filter(pk__in=[spaced.pk, dotted.pk]).order_by("pk").values_list(
        "name", "name_search", "name_sort")) == [
            ("李测二", *name_keys("李测二")), ("阿不都·热合曼", *name_keys("阿不都·热合曼"))]
    assert Worker.objects.filter(pk=ctx.worker.pk).values_list("name", "name_search", "name_sort").get() == untouched
    assert list(Worker.objects.search("李测二").values_list("pk", flat=True)) == [spaced.pk]
    assert list(Worker.objects.search("lce").values_list("pk", flat=True)) == [spaced.pk]
