"""Every input of the API's writes is validated: a wrong type, size, date or choice is a 400 with a
Chinese message naming the field, never a 500, and nothing is written; the schema documents the
request and error shapes and validates cleanly."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
import yaml
from django.core.management import call_command

from talentpool.core.models import AuditLog
from talentpool.registry.models import Occupation, Worker

from .conftest import KNOWN_ID

pytestmark = pytest.mark.django_db

TEXT = "请填写文字（字符串）。"
UNSTORABLE = "文字中含有无法保存的字符，请删除后重试。"
BOOLEAN = "请填写 true（是）或 false（否）。"
DATE = "请按 YYYY-MM-DD 格式填写日期，例如 2020-01-01。"
DATE_RANGE = "请填写 1800-01-01 至 2199-12-31 之间的日期。"
NUMBER = "请填写记录的编号（整数）。"
NO_RECORD = "没有这条记录，或您无权选择它。"
OCCUPATION = "请填写职业的记录编号、编码或名称。"
UNKNOWN = "此处不接受这个字段，请删除它。"
REQUIRED = "该字段是必填项。"
NULL = "该字段不能为 null。"
BLANK = "该字段不能为空。"
UNREADABLE = "无法读取请求内容：请发送 JSON（Content-Type: application/json）或表单数据。"
EDUCATION = "请从以下值中选择一个：junior, senior, college, bachelor, postgraduate。"
RETIREMENT = "请从以下值中选择一个：man, woman_55, woman_50。"
LEVEL = "请从以下值中选择一个：0, 1, 2, 3, 4, 5, 6, 7。"
INTEGER = "请填写合法的整数值。"
VERSION_MIN = "请确保该值大于或者等于 1。"
OWNERSHIP = "请从以下值中选择一个：public, non_public。"


def max_length(n: int) -> str:
    return f"请确保这个字段不能超过 {n} 个字符。"


TOMORROW = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
HUGE = "字" * 100_000

# field → wrong value → the exact messages of that field
WORKER_CASES: list[tuple[str, Any, list[str]]] = [
    ("employment_start", 20200101, [DATE]),
    ("employment_start", "2020-13-01", [DATE]),
    ("employment_start", "2020/01/01", [DATE]),
    ("employment_start", "0001-01-01", [DATE_RANGE]),
    ("employment_start", "2020-01-01T00:00:00", [DATE]),
    ("employment_start", ["2020-01-01"], [DATE]),
    ("employment_start", {"date": "2020-01-01"}, [DATE]),
    ("employment_start", True, [DATE]),
    ("employment_start", None, [NULL]),
    ("employment_start", HUGE, [DATE]),
    ("name", 123, [TEXT]),
    ("name", 1.5, [TEXT]),
    ("name", True, [TEXT]),
    ("name", ["钱多多"], [TEXT]),
    ("name", {"name": "钱多多"}, [TEXT]),
    ("name", None, [NULL]),
    ("name", "", [BLANK]),
    ("name", "   ", [BLANK]),
    ("name", HUGE, [max_length(32)]),
    ("name", "钱\ud800多", [UNSTORABLE]),
    ("name", "钱\x00多", [UNSTORABLE]),
    ("id_number", int(KNOWN_ID[:17]), [TEXT]),
    ("id_number", [KNOWN_ID], [TEXT]),
    ("id_number", None, [NULL]),
    ("id_number", HUGE, [max_length(24)]),
    ("id_number", "330503198503071231", ["身份证号码校验位不符，请对照证件核对"]),
    ("phone", 13912345678, [TEXT]),
    ("phone", "电话", ["无法识别的电话号码“电话”：手机号应为 11 位，固定电话应带区号"]),
    ("phone", HUGE, [max_length(24)]),
    ("education", 1, [EDUCATION]),
    ("education", "phd", [EDUCATION]),
    ("education", ["college"], [EDUCATION]),
    ("education", None, [NULL]),
    ("retirement_category", "retired", [RETIREMENT]),
    ("retirement_category", True, [RETIREMENT]),
    ("retirement_category", {"man": 1}, [RETIREMENT]),
    ("retirement_category", HUGE, [RETIREMENT]),
    ("actual_retirement_date", 2045, [DATE]),
    ("actual_retirement_date", "9999-12-31", [DATE_RANGE]),
    ("is_frontline", "maybe", [BOOLEAN]),
    ("is_frontline", 1, [BOOLEAN]),
    ("is_frontline", [True], [BOOLEAN]),
    ("is_frontline", None, [NULL]),
    ("work_start_date", TOMORROW, [f"参加工作时间（{TOMORROW}）晚于今天"]),
    ("work_start_date", 1.5, [DATE]),
    ("skill_level", 9, [LEVEL]),
    ("skill_level", "3.5", [LEVEL]),
    ("skill_level", 3.0, [LEVEL]),
    ("skill_level", True, [LEVEL]),
    ("skill_level", [3], [LEVEL]),
    ("occupation", True, [OCCUPATION]),
    ("occupation", 1.5, [OCCUPATION]),
    ("occupation", "abc", ["职业“abc”不在职业分类中。请填写职业名称或编码，如 车工 或 6-18-01-01。"]),
    ("occupation", "维修电工师", ["职业“维修电工师”不在职业分类中。您是否要找：电工（6-31-01-03）？"]),
    ("occupation", "6-18-01-99", ["职业“6-18-01-99”不在职业分类中。您是否要找：车工（6-18-01-01）、铣工（6-18-01-02）、"
                                  "刨插工（6-18-01-03）、磨工（6-18-01-04）、镗工（6-18-01-05）？"]),
    ("occupation", [1], [OCCUPATION]),
    ("occupation", 10**30, [NO_RECORD]),
    ("occupation", -1, [NO_RECORD]),
    ("occupation", 999_999, [NO_RECORD]),
    ("enterprise", True, [NUMBER]),
    ("enterprise", "1; DROP TABLE registry_worker", [NUMBER]),
    ("enterprise", 2**63, [NO_RECORD]),
    ("enterprise", None, [NULL]),
    ("enterprise", {"id": 1}, [NUMBER]),
    ("position", HUGE, [max_length(64)]),
    ("position", 7, [TEXT]),
    ("sex", "F", [UNKNOWN]),
    ("birth_date", "1985-03-07", [UNKNOWN]),
]


def _payload(employer: Any, **overrides: Any) -> dict[str, Any]:
    return {"name": "钱多多", "id_number": KNOWN_ID, "phone": "13912345678", "retirement_category": "man",
            "enterprise": employer.pk, "employment_start": "2020-01-01", "is_frontline": True, **overrides}


def _post(client: Any, url: str, body: Any, content_type: str = "application/json") -> Any:
    data = json.dumps(body) if content_type == "application/json" and not isinstance(body, bytes) else body
    return client.post(url, data, content_type=content_type)


@pytest.mark.parametrize(("field", "value", "messages"), WORKER_CASES,
                         ids=[f"{f}-{type(v).__name__}-{i}" for i, (f, v, _) in enumerate(WORKER_CASES)])
def test_a_wrong_worker_field_is_a_400_naming_it_and_writes_nothing(as_operator_a, enterprise_a, field, value,
                                                                     messages):
    response = _post(as_operator_a, "/api/workers/", _payload(enterprise_a, **{field: value}))
    assert response.status_code == 400
    assert response.json() == {field: messages}
    assert Worker.objects.count() == 0
    assert AuditLog.objects.count() == 0


@pytest.mark.parametrize("field", ["name", "id_number", "retirement_category", "enterprise", "employment_start"])
def test_each_required_worker_field_is_named_when_missing(as_operator_a, enterprise_a, field):
    body = _payload(enterprise_a)
    del body[field]
    response = _post(as_operator_a, "/api/workers/", body)
    assert response.status_code == 400
    assert response.json() == {field: [REQUIRED]}
    assert Worker.objects.count() == 0


def test_another_enterprise_is_not_a_choice_for_an_operator(as_operator_a, enterprise_b):
    response = _post(as_operator_a, "/api/workers/", _payload(enterprise_b))
    assert response.status_code == 400
    assert response.json() == {"enterprise": [NO_RECORD]}
    assert Worker.objects.count() == 0


def test_a_valid_occupation_and_optional_fields_are_stored(as_admin, enterprise_a):
    occupation = Occupation.objects.get(code="6-18-01-01")  # 车工, loaded by migration 0011
    body = _payload(enterprise_a, occupation=occupation.pk, skill_level="3", education="college",
                    work_start_date="2005-07-01", is_frontline=False, phone="", position="焊工")
    response = _post(as_admin, "/api/workers/", body)
    assert response.status_code == 201
    worker = Worker.objects.get(pk=response.json()["id"])
    assert (worker.occupation_id, worker.skill_level, worker.education, worker.work_start_date,
            worker.is_frontline, worker.phone) == (occupation.pk, 3, "college", datetime.date(2005, 7, 1), False, "")
    assert worker.employments.get().position == "焊工"


def test_form_data_is_accepted_like_json(as_operator_a, enterprise_a):
    body = {**_payload(enterprise_a), "is_frontline": "false", "skill_level": ""}
    response = as_operator_a.post("/api/workers/", body)  # multipart, as a browser form sends
    assert response.status_code == 201
    worker = Worker.objects.get()
    assert (worker.is_frontline, worker.skill_level) == (False, None)


@pytest.mark.parametrize("body", [[1, 2], "钱多多", 42, None, True])
def test_a_body_that_is_not_an_object_is_a_400(as_operator_a, enterprise_a, body):
    response = _post(as_operator_a, "/api/workers/", body)
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert Worker.objects.count() == 0


@pytest.mark.parametrize("raw", [b"{", b"name=1", b"\xff\xfe\x00", b'{"name": "\\ud800"'])
def test_a_body_that_is_not_json_is_a_400(as_operator_a, enterprise_a, raw):
    response = as_operator_a.post("/api/workers/", raw, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": UNREADABLE}
    assert Worker.objects.count() == 0


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "application/x-yaml"])
def test_a_body_of_another_type_is_a_415(as_operator_a, enterprise_a, content_type):
    response = as_operator_a.post("/api/workers/", json.dumps(_payload(enterprise_a)), content_type=content_type)
    assert response.status_code == 415
    assert list(response.json()) == ["detail"]
    assert Worker.objects.count() == 0


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "FOO", "TRACE"])
@pytest.mark.parametrize("url", ["/api/workers/", "/api/workers/lookup/", "/api/enterprises/", "/api/industries/"])
def test_an_unknown_method_is_a_405(as_admin, world, url, method):
    response = as_admin.generic(method, url, json.dumps({"name": "x"}), content_type="application/json")
    assert response.status_code == 405
    assert Worker.objects.count() == 2


@pytest.mark.parametrize("url", ["/api/certificates/", "/api/honours/", "/api/enterprises/", "/api/industries/",
                                 "/api/certificates/{ca}/", "/api/honours/{ha}/", "/api/enterprises/{ea}/"])
def test_the_read_only_resources_refuse_writes_with_405(as_admin, world, url):
    response = as_admin.post(url.format(**world), json.dumps({"name": "x"}), content_type="application/json")
    assert response.status_code == 405


def test_a_business_refusal_is_a_400_with_detail(as_leader, enterprise_a):
    response = _post(as_leader, "/api/workers/", _payload(enterprise_a))
    assert response.status_code == 400
    assert response.json() == {"enterprise": [NO_RECORD]}  # a leader changes no enterprise
    assert Worker.objects.count() == 0


# The edits (PUT / PATCH with the version read): the same strict fields ---------------------------

WORKER_EDIT_CASES: list[tuple[str, Any, list[str]]] = [
    ("name", ["慎建国"], [TEXT]),
    ("name", HUGE, [max_length(32)]),
    ("id_number", 330503198503071230, [TEXT]),
    ("work_start_date", 20050701, [DATE]),
    ("work_start_date", TOMORROW, [f"参加工作时间（{TOMORROW}）晚于今天"]),
    ("skill_level", 99, [LEVEL]),
    ("is_frontline", 1, [BOOLEAN]),
    ("occupation", 10**30, [NO_RECORD]),
    ("enterprise", 1, [UNKNOWN]),  # a change of employer is its own action
    ("birth_date", "1985-03-07", [UNKNOWN]),
    ("version", "abc", [INTEGER]),
    ("version", 0, [VERSION_MIN]),
]
ENTERPRISE_EDIT_CASES: list[tuple[str, Any, list[str]]] = [
    ("name", 42, [TEXT]),
    ("uscc", 913305037392000000, [TEXT]),
    ("uscc", HUGE, [max_length(24)]),
    ("industry", True, [NUMBER]),
    ("industry", 10**30, [NO_RECORD]),
    ("ownership", "private", [OWNERSHIP]),
    ("is_above_scale", "maybe", [BOOLEAN]),
    ("town", HUGE, [max_length(32)]),
    ("address", {"street": "适园路"}, [TEXT]),
    ("contact_phone", 13955556666, [TEXT]),
    ("contact_phone", "电话", ["无法识别的电话号码“电话”：手机号应为 11 位，固定电话应带区号"]),
    ("employees", 5, [UNKNOWN]),
]


@pytest.mark.parametrize(("field", "value", "messages"), WORKER_EDIT_CASES,
                         ids=[f"{f}-{type(v).__name__}-{i}" for i, (f, v, _) in enumerate(WORKER_EDIT_CASES)])
def test_a_wrong_field_of_a_worker_edit_is_a_400_and_changes_nothing(as_operator_a, worker_a, field, value,
                                                                    messages):
    body = {"version": worker_a.version, field: value}
    response = as_operator_a.patch(f"/api/workers/{worker_a.pk}/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {field: messages}
    worker_a.refresh_from_db()
    assert (worker_a.name, worker_a.version, worker_a.skill_level) == ("慎建民", 1, 3)
    assert AuditLog.objects.count() == 0


@pytest.mark.parametrize(("field", "value", "messages"), ENTERPRISE_EDIT_CASES,
                         ids=[f"{f}-{type(v).__name__}-{i}" for i, (f, v, _) in enumerate(ENTERPRISE_EDIT_CASES)])
def test_a_wrong_field_of_an_enterprise_edit_is_a_400_and_changes_nothing(as_admin, enterprise_a, field, value,
                                                                         messages):
    body = {"version": enterprise_a.version, field: value}
    response = as_admin.patch(f"/api/enterprises/{enterprise_a.pk}/", json.dumps(body),
                              content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {field: messages}
    enterprise_a.refresh_from_db()
    assert (enterprise_a.name, enterprise_a.version, enterprise_a.contact_phone) == (
        "浙江久立特材科技股份有限公司", 1, "")
    assert AuditLog.objects.count() == 0


@pytest.mark.parametrize("body", [[1], "x", None])
def test_an_edit_body_that_is_not_an_object_is_a_400(as_admin, worker_a, body):
    response = as_admin.put(f"/api/workers/{worker_a.pk}/", json.dumps(body), content_type="application/json",
                            HTTP_IF_MATCH='W/"1"')
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    worker_a.refresh_from_db()
    assert worker_a.version == 1


LOOKUP_CASES: list[tuple[Any, dict[str, list[str]]]] = [
    ({"id_number": int(KNOWN_ID[:17])}, {"id_number": [TEXT]}),
    ({"id_number": [KNOWN_ID]}, {"id_number": [TEXT]}),
    ({"id_number": None}, {"id_number": [NULL]}),
    ({"id_number": HUGE}, {"id_number": [max_length(24)]}),
    ({"id_number": "\ud800" * 18}, {"id_number": [UNSTORABLE]}),
    ({}, {"id_number": [REQUIRED]}),
    ({"id_number": KNOWN_ID, "name": "钱多多"}, {"name": [UNKNOWN]}),
]


@pytest.mark.parametrize(("body", "errors"), LOOKUP_CASES)
def test_a_wrong_lookup_body_is_a_400(as_admin, body, errors):
    response = _post(as_admin, "/api/workers/lookup/", body)
    assert response.status_code == 400
    assert response.json() == errors


def test_a_lookup_of_a_list_body_is_a_400(as_admin):
    response = _post(as_admin, "/api/workers/lookup/", [KNOWN_ID])
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


FILTER_CASES = [
    ("/api/workers/?current_enterprise=99999999999999999999999", "current_enterprise"),
    ("/api/workers/?current_enterprise=abc", "current_enterprise"),
    ("/api/workers/?industry=-1", "industry"),
    ("/api/workers/?skill_level=99", "skill_level"),
    ("/api/workers/?q=%00", "q"),
    ("/api/enterprises/?industry=1.5", "industry"),
    ("/api/enterprises/?town=%00", "town"),
    ("/api/certificates/?issued_on_after=2020-13-45", "issued_on"),
    ("/api/certificates/?enterprise=true", "enterprise"),
    ("/api/honours/?level=galactic", "level"),
    ("/api/honours/?name=%00", "name"),
]


@pytest.mark.parametrize(("url", "field"), FILTER_CASES)
def test_a_wrong_filter_is_a_400_naming_it(as_admin, world, url, field):
    response = as_admin.get(url)
    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", "1e400", "1.5"])
def test_a_page_past_the_end_is_a_404(as_admin, world, page):
    response = as_admin.get(f"/api/workers/?page={page}")
    assert response.status_code == 404
    assert list(response.json()) == ["detail"]


@pytest.mark.parametrize("url", ["/api/workers/1.5/", "/api/workers/2.2250738585e-313/", "/api/nothing/",
                                 "/api/workers/1/x/", "/api/enterprises/-1.0/"])
def test_any_other_api_url_is_a_json_404(as_admin, url):
    for method in ("GET", "POST", "PATCH"):
        response = as_admin.generic(method, url, "{}", content_type="application/json")
        assert (response.status_code, response["Content-Type"]) == (404, "application/json")
        assert response.json() == {"detail": "未找到。"}


def test_any_other_api_url_is_a_403_to_anonymous(anonymous):
    response = anonymous.get("/api/nothing/")
    assert (response.status_code, list(response.json())) == (403, ["detail"]), response.content


def test_an_api_url_without_its_slash_is_still_redirected(as_admin):
    assert as_admin.get("/api/workers")["Location"] == "/api/workers/"


# The schema --------------------------------------------------------------------------------


@pytest.fixture
def schema(as_admin) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = as_admin.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_names_the_worker_request_shape(schema):
    post = schema["paths"]["/api/workers/"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/WorkerCreate"}
    shape = schema["components"]["schemas"]["WorkerCreate"]
    assert set(shape["required"]) == {"name", "id_number", "retirement_category", "enterprise", "employment_start"}
    assert shape["properties"]["id_number"]["writeOnly"] is True
    assert "readOnly" not in shape["properties"]["id_number"]
    assert shape["properties"]["enterprise"]["type"] == "integer"
    assert shape["properties"]["employment_start"] == {"type": "string", "format": "date", "title": "入职时间"}
    assert shape["additionalProperties"] is False
    assert not {"sex", "birth_date", "current_enterprise", "id"} & set(shape["properties"])
    assert post["responses"]["201"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Worker"}


def test_the_schema_documents_the_error_answers(schema):
    errors = {"$ref": "#/components/schemas/ValidationError"}
    refusal = {"$ref": "#/components/schemas/Error"}

    def answer(path: str, method: str, code: str) -> Any:
        return schema["paths"][path][method]["responses"][code]["content"]["application/json"]["schema"]

    post = schema["paths"]["/api/workers/"]["post"]["responses"]
    assert {"201", "400", "403", "415"} <= set(post) and "404" not in post
    assert answer("/api/workers/", "post", "400") == errors
    assert answer("/api/workers/", "post", "403") == refusal
    assert set(schema["paths"]["/api/workers/{id}/"]["get"]["responses"]) == {"200", "400", "403", "404"}
    assert answer("/api/workers/{id}/", "get", "404") == refusal
    assert set(schema["paths"]["/api/workers/"]["get"]["responses"]) == {"200", "400", "403", "404"}
    assert set(schema["paths"]["/api/workers/lookup/"]["post"]["responses"]) == {"200", "400", "403", "415", "429"}
    assert answer("/api/workers/lookup/", "post", "429") == refusal
    assert set(schema["paths"]["/api/industries/"]["get"]["responses"]) == {"200", "400", "403"}
    shape = schema["components"]["schemas"]["ValidationError"]
    assert shape["properties"]["detail"]["type"] == "string"
    assert shape["properties"]["non_field_errors"] == {"type": "array", "items": {"type": "string"}}
    assert shape["additionalProperties"] == {"type": "array", "items": {"type": "string"}}
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_the_schema_documents_the_filters_and_no_filters_on_the_lookup(schema):
    names = {p["name"] for p in schema["paths"]["/api/workers/"]["get"]["parameters"]}
    assert {"q", "current_enterprise", "industry", "skill_level", "min_level", "sex", "education", "is_frontline",
            "ownership", "page"} <= names
    certificates = {p["name"] for p in schema["paths"]["/api/certificates/"]["get"]["parameters"]}
    assert {"q", "number", "level", "enterprise", "issued_on_after", "issued_on_before", "page"} <= certificates
    assert "parameters" not in schema["paths"]["/api/workers/lookup/"]["post"]
    lookup = schema["paths"]["/api/workers/lookup/"]["post"]["responses"]["200"]["content"]["application/json"]
    assert lookup["schema"] == {"type": "array", "items": {"$ref": "#/components/schemas/Worker"}}


def test_spectacular_validate_prints_nothing_and_passes(tmp_path, capsys):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")
    assert "WorkerCreate" in yaml.safe_load(target.read_text(encoding="utf-8"))["components"]["schemas"]
