"""Search by 汉字, pinyin, initials, exact ID number and filters — and never out of scope."""

from __future__ import annotations

import datetime

import pytest

from talentpool.registry.models import Worker

from .factories import IndustryFactory, WorkerFactory, make_id_number

pytestmark = pytest.mark.django_db

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@pytest.fixture
def people(worker_a, worker_b, enterprise_a, enterprise_b):  # type: ignore[no-untyped-def]
    WorkerFactory(name="曾志伟", enterprise=enterprise_a, skill_level=5)
    WorkerFactory(name="解放", enterprise=enterprise_b, skill_level=4)
    WorkerFactory(name="张伟", enterprise=enterprise_a, skill_level=1)
    return Worker.objects.all()


def _names(queryset) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(queryset.values_list("name", flat=True))


@pytest.mark.parametrize(("text", "expected"), [
    ("建民", ["慎建民"]),
    ("慎建民", ["慎建民"]),
    ("shenjianmin", ["慎建民"]),
    ("ShenJianMin", ["慎建民"]),
    ("shen jian min", ["慎建民"]),
    ("sjm", ["慎建民"]),
    ("shantianfang", ["单田芳"]),
    ("stf", ["单田芳"]),
    ("zengzhiwei", ["曾志伟"]),
    ("zzw", ["曾志伟"]),
    ("xiefang", ["解放"]),
    ("xf", ["解放"]),
    ("伟", ["张伟", "曾志伟"]),
    ("zhang", ["张伟"]),
    ("jianmin", []),  # keys start at the surname
    ("王", []),
])
def test_search_by_name_pinyin_and_initials(people, text, expected):
    assert _names(Worker.objects.search(text)) == expected


def test_search_by_exact_id_number_in_any_typing(people, enterprise_a):
    number = make_id_number(datetime.date(1979, 1, 1), seq=101)
    seq = 101
    while not number.endswith("X"):
        seq += 2
        number = make_id_number(datetime.date(1979, 1, 1), seq=seq)
    worker = WorkerFactory(name="带X的人", enterprise=enterprise_a, birth_date=datetime.date(1979, 1, 1),
                           id_number=number)
    for typed in (number, number.lower(), number.translate(FULL_WIDTH), f"  {number[:6]} {number[6:]} "):
        assert list(Worker.objects.search(typed)) == [worker], typed
    assert list(Worker.objects.search(number[:-1] + "0")) == []  # an invalid number is no match
    assert list(Worker.objects.search(number[:17])) == []  # nor a prefix


@pytest.mark.parametrize(("persona", "text", "expected"), [
    ("operator_a", "stf", []),
    ("operator_a", "单田芳", []),
    ("operator_a", "xf", []),
    ("operator_a", "sjm", ["慎建民"]),
    ("operator_a", "伟", ["张伟", "曾志伟"]),
    ("operator_b", "sjm", []),
    ("operator_b", "stf", ["单田芳"]),
    ("admin", "伟", ["张伟", "曾志伟"]),
    ("leader", "xf", ["解放"]),
])
def test_the_list_search_never_returns_rows_out_of_scope(client_of, people, persona, text, expected):
    client = client_of(persona)
    location = client.post("/registry/workers/", {"q": text}).url
    response = client.get(location)
    assert _names(Worker.objects.filter(pk__in=[w.pk for w in response.context["object_list"]])) == expected


def test_an_operator_searching_another_enterprises_id_number_finds_nothing(as_operator_a, people, worker_b):
    location = as_operator_a.post("/registry/workers/", {"q": worker_b.id_number}).url
    response = as_operator_a.get(location)
    assert list(response.context["object_list"]) == []
    assert "单田芳" not in response.content.decode()
    assert response.context["table"].paginator.count == 0


def test_search_by_id_number_through_the_list_finds_the_worker(as_admin, people, worker_b):
    location = as_admin.post("/registry/workers/", {"q": worker_b.id_number.lower()}).url
    assert worker_b.id_number.lower() not in location and worker_b.id_number not in location
    response = as_admin.get(location)
    assert [w.name for w in response.context["object_list"]] == ["单田芳"]


def test_certificate_and_honour_lists_search_by_worker(as_admin, world):
    location = as_admin.post("/registry/certificates/", {"q": "stf"}).url
    response = as_admin.get(location)
    assert [c.number for c in response.context["object_list"]] == ["S000033050000003000002"]
    location = as_admin.post("/registry/honours/", {"q": "慎"}).url
    response = as_admin.get(location)
    assert [h.name for h in response.context["object_list"]] == ["市技术能手"]


def test_certificate_search_by_worker_stays_in_scope(as_operator_a, world):
    location = as_operator_a.post("/registry/certificates/", {"q": "stf"}).url
    assert list(as_operator_a.get(location).context["object_list"]) == []


@pytest.mark.parametrize(("query", "expected"), [
    ("current_enterprise={ea}", ["张伟", "慎建民", "曾志伟"]),
    ("current_enterprise={eb}", ["单田芳", "解放"]),
    ("industry={industry_b}", ["单田芳", "解放"]),
    ("skill_level=5", ["曾志伟"]),
    ("min_level=4", ["曾志伟", "解放"]),
    ("min_level=4&current_enterprise={eb}", ["解放"]),
    ("sex=F", ["单田芳"]),
    ("q=zzw&current_enterprise={eb}", []),
])
def test_list_filters(as_admin, people, enterprise_a, enterprise_b, query, expected):
    url = "/registry/workers/?" + query.format(ea=enterprise_a.pk, eb=enterprise_b.pk,
                                               industry_b=enterprise_b.industry_id)
    response = as_admin.get(url)
    assert sorted(w.name for w in response.context["object_list"]) == sorted(expected)


def test_the_industry_filter_does_not_reach_out_of_scope(as_operator_a, people, enterprise_b):
    response = as_operator_a.get(f"/registry/workers/?industry={enterprise_b.industry_id}")
    assert list(response.context["object_list"]) == []


def test_enterprise_search_by_name_and_credit_code(as_admin, world, enterprise_b):
    IndustryFactory(name="电梯")
    response = as_admin.get("/registry/enterprises/?q=湖笔")
    assert [e.name for e in response.context["object_list"]] == ["湖州南浔善琏湖笔厂"]
    response = as_admin.get(f"/registry/enterprises/?q={enterprise_b.uscc.lower()}")
    assert [e.name for e in response.context["object_list"]] == ["湖州南浔善琏湖笔厂"]


def test_enterprise_search_by_an_operator_stays_in_scope(as_operator_a, world):
    response = as_operator_a.get("/registry/enterprises/?q=湖笔")
    assert list(response.context["object_list"]) == []


def test_initials_find_a_common_surname_by_its_common_reading_only(enterprise_a):
    WorkerFactory(name="王伟", enterprise=enterprise_a)
    WorkerFactory(name="方伟", enterprise=enterprise_a)
    assert _names(Worker.objects.search("ww")) == ["王伟"]  # 方 is not read wang here
    assert _names(Worker.objects.search("fw")) == ["方伟"]
    assert _names(Worker.objects.search("pangwei")) == []


def test_migration_0008_refreshes_stored_keys_written_by_the_earlier_rule(enterprise_a):
    import importlib

    from django.apps import apps

    fang = WorkerFactory(name="方伟", enterprise=enterprise_a)
    wang = WorkerFactory(name="王伟", enterprise=enterprise_a)
    Worker.objects.filter(pk=fang.pk).update(name_search="fangwei fw pangwei pw wangwei ww fengwei")
    refresh = importlib.import_module("talentpool.registry.migrations.0008_refresh_name_keys").refresh_name_keys
    refresh(apps, None)
    stored = dict(Worker.objects.values_list("name", "name_search"))
    assert stored == {"方伟": "fangwei fw", "王伟": "wangwei ww"}
    assert Worker.objects.get(pk=wang.pk).name_sort == "wang wei"
