"""The type-ahead pickers: their JSON searches (Chinese, full pinyin, initials; bounded, scoped,
in pinned queries, nothing personal) and the widget on the registry's forms and filters."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talentpool.registry.models import Occupation
from talentpool.registry.tests.factories import EnterpriseFactory, IndustryFactory, WorkerFactory

OCCUPATIONS = "/registry/occupations/search/"
ENTERPRISES = "/registry/enterprises/search/"


def found(client, url: str, q: str) -> list[dict]:  # type: ignore[no-untyped-def]
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]  # type: ignore[no-any-return]


def labels(results: list[dict]) -> list[str]:
    return [r["label"] for r in results]


def registry_queries(client, url: str, q: str) -> tuple[list[dict], list[str]]:  # type: ignore[no-untyped-def]
    """The results, and the queries of the search itself (those reading the registry's tables)."""
    with CaptureQueriesContext(connection) as captured:
        results = found(client, url, q)
    return results, [query["sql"] for query in captured.captured_queries if "registry_" in query["sql"]]


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["车工", "chegong", "cg", "CG", "che gong", "6-18-01-01"])
def test_an_occupation_is_found_by_chinese_pinyin_initials_or_code(as_operator_a, q):
    results = found(as_operator_a, OCCUPATIONS, q)
    lathe = Occupation.objects.get(code="6-18-01-01")
    assert results[0] == {"id": lathe.pk, "value": "6-18-01-01 车工", "label": "车工", "hint": "6-18-01-01"}


@pytest.mark.django_db
def test_a_substring_finds_every_occupation_holding_it_names_first(as_operator_a):
    assert labels(found(as_operator_a, OCCUPATIONS, "钳工")) == ["钳工", "机修钳工"]
    assert labels(found(as_operator_a, OCCUPATIONS, "wxdg")) == ["电工"]  # 维修电工, an alias
    assert labels(found(as_operator_a, OCCUPATIONS, "维修电工")) == ["电工"]
    groups = found(as_operator_a, OCCUPATIONS, "6-18-01")
    assert groups[0] == {"id": Occupation.objects.get(code="6-18-01").pk, "value": "6-18-01 机械冷加工人员",
                         "label": "机械冷加工人员", "hint": "6-18-01 · 小类"}
    assert found(as_operator_a, OCCUPATIONS, "") == []
    assert found(as_operator_a, OCCUPATIONS, "没有这种职业") == []


@pytest.mark.django_db
def test_a_search_answers_at_most_20_in_one_query(as_operator_a):
    results, queries = registry_queries(as_operator_a, OCCUPATIONS, "g")
    assert len(results) == 20 and len(queries) == 1
    assert "LIMIT 20" in queries[0]
    assert Occupation.objects.filter(name_search__contains="g", level__gte=2).count() > 20


@pytest.fixture
def named_enterprises(enterprise_a, enterprise_b):  # type: ignore[no-untyped-def]
    industry = IndustryFactory(name="电梯")
    return [EnterpriseFactory(name=name, industry=industry) for name in ("湖州张氏电梯有限公司", "湖州安达电梯有限公司",
                                                                          "湖州陈记电梯有限公司")]


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["久立", "jiuli", "jl", "zjjl", "浙江 久立"])
def test_an_enterprise_is_found_by_chinese_pinyin_or_initials(as_admin, enterprise_a, q):
    results = found(as_admin, ENTERPRISES, q)
    assert results == [{"id": enterprise_a.pk, "value": "浙江久立特材科技股份有限公司",
                        "label": "浙江久立特材科技股份有限公司", "hint": "钢材"}]


@pytest.mark.django_db
def test_enterprises_come_in_pinyin_order_and_by_credit_code(as_admin, named_enterprises, enterprise_a):
    assert labels(found(as_admin, ENTERPRISES, "电梯有限公司")) == [
        "湖州安达电梯有限公司", "湖州陈记电梯有限公司", "湖州张氏电梯有限公司"]
    assert labels(found(as_admin, ENTERPRISES, enterprise_a.uscc)) == [enterprise_a.name]
    assert labels(found(as_admin, ENTERPRISES, enterprise_a.uscc.lower())) == [enterprise_a.name]


@pytest.mark.django_db
def test_an_operator_finds_only_their_own_enterprise(as_operator_a, as_operator_b, as_expert, as_leader,
                                                     enterprise_a, enterprise_b, named_enterprises):
    assert labels(found(as_operator_a, ENTERPRISES, "有限公司")) == [enterprise_a.name]
    assert found(as_operator_a, ENTERPRISES, "善琏") == []  # enterprise B's name
    assert found(as_operator_a, ENTERPRISES, enterprise_b.uscc) == []
    assert labels(found(as_operator_b, ENTERPRISES, "hb")) == [enterprise_b.name]
    assert found(as_expert, ENTERPRISES, "有限公司") == []
    assert len(found(as_leader, ENTERPRISES, "有限公司")) == 4  # enterprise B is a 厂


@pytest.mark.django_db
def test_the_enterprise_search_tells_nothing_personal(as_admin, enterprise_a):
    enterprise_a.contact_name, enterprise_a.contact_phone = "钱晓红", "13912345678"
    enterprise_a.save()
    WorkerFactory(name="久立测", enterprise=enterprise_a)
    response = as_admin.get(ENTERPRISES, {"q": "久立"})
    body = response.content.decode()
    assert set(response.json()["results"][0]) == {"id", "value", "label", "hint"}
    for secret in ("钱晓红", "13912345678", "5678", "久立测", enterprise_a.uscc):
        assert secret not in body


@pytest.mark.django_db
def test_the_enterprise_search_is_bounded_in_one_query(as_admin, as_operator_a):
    industry = IndustryFactory(name="电梯")
    for n in range(25):
        EnterpriseFactory(name=f"南浔第{n}电梯有限公司", industry=industry)
    results, queries = registry_queries(as_admin, ENTERPRISES, "电梯")
    assert len(results) == 20 and len(queries) == 1 and "LIMIT 20" in queries[0]
    results, queries = registry_queries(as_operator_a, ENTERPRISES, "电梯")  # scoped in the same query
    assert results == [] and len(queries) == 1


@pytest.mark.django_db
def test_the_searches_need_a_login(anonymous):
    for url in (OCCUPATIONS, ENTERPRISES):
        response = anonymous.get(url, {"q": "车工"})
        assert response.status_code == 302 and "/login/" in response["Location"]


# The widget on the forms and filters ------------------------------------------------------------


def typeaheads(html: str) -> dict[str, str]:
    """``{field name: search URL}`` of the pickers in ``html``."""
    return dict((name, source) for source, name in re.findall(
        r'<div class="typeahead" data-typeahead="([^"]+)"[^>]*>\s*<input type="text" name="([^"]+)"', html))


@pytest.mark.django_db
def test_the_registration_form_picks_enterprise_and_occupation_by_type_ahead(as_admin, named_enterprises):
    html = as_admin.get("/registry/workers/new/").content.decode()
    assert typeaheads(html) == {"occupation": OCCUPATIONS, "enterprise": ENTERPRISES}
    assert "<select name=\"enterprise\"" not in html and "<select name=\"occupation\"" not in html
    assert "<option" not in html.split('name="occupation"')[1].split("</div>")[0]
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script (the CSP refuses it)
    assert '/static/talentpool/typeahead.js' in html


@pytest.mark.django_db
def test_an_operators_form_shows_their_enterprise_already_chosen(as_operator_a, enterprise_a):
    html = as_operator_a.get("/registry/workers/new/").content.decode()
    assert (f'name="enterprise" value="{enterprise_a.name}" data-typeahead-input '
            f'data-typeahead-number="{enterprise_a.pk}"') in html


@pytest.mark.django_db
def test_the_edit_form_shows_the_workers_occupation(as_operator_a, worker_a):
    worker_a.occupation = Occupation.objects.get(code="6-31-01-03")
    worker_a.save()
    html = as_operator_a.get(f"/registry/workers/{worker_a.pk}/edit/").content.decode()
    assert (f'name="occupation" value="6-31-01-03 电工" data-typeahead-input '
            f'data-typeahead-number="{worker_a.occupation.pk}"') in html


@pytest.mark.django_db
def test_the_change_of_employer_form_picks_the_enterprise_by_type_ahead(as_admin, worker_a):
    html = as_admin.get(f"/registry/workers/{worker_a.pk}/employer/").content.decode()
    assert typeaheads(html) == {"enterprise": ENTERPRISES}


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "name"), [("/registry/workers/", "current_enterprise"),
                                           ("/registry/certificates/", "enterprise"),
                                           ("/registry/honours/", "enterprise")])
def test_the_lists_filter_by_enterprise_with_the_picker(as_admin, url, name, named_enterprises):
    html = as_admin.get(url).content.decode()
    assert typeaheads(html) == {name: ENTERPRISES}
    assert f'<select name="{name}"' not in html


@pytest.mark.django_db
def test_the_worker_list_filters_by_the_pickers_number_or_a_typed_name(as_admin, worker_a, worker_b, enterprise_a):
    by_number = as_admin.get("/registry/workers/", {"current_enterprise": enterprise_a.pk})
    by_name = as_admin.get("/registry/workers/", {"current_enterprise": enterprise_a.name})
    for response in (by_number, by_name):
        assert [w.name for w in response.context["table"].data] == ["慎建民"]
    html = by_number.content.decode()
    assert (f'name="current_enterprise" value="{enterprise_a.name}" data-typeahead-input '
            f'data-typeahead-number="{enterprise_a.pk}"') in html
    refused = as_admin.get("/registry/workers/", {"current_enterprise": "不存在的企业"})
    assert refused.context["filter"].form.errors["current_enterprise"] == [
        "您可选择的企业中没有名称或统一社会信用代码为“不存在的企业”的企业。"]
    assert list(refused.context["table"].data) == []
