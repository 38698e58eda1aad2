"""Occupations as offices write them: the 2022 classification's data, the one resolver (code, name,
alias) through the form, the API and the import, and the admins' reference pages (industries,
occupations, aliases)."""

from __future__ import annotations

import datetime
import re

import pytest

from talentpool.core.models import AuditAction, AuditLog
from talentpool.registry.choices import OccupationLevel
from talentpool.registry.data import occupations_2022 as data
from talentpool.registry.data.occupations import MAJOR_GROUPS, MEDIUM_GROUPS
from talentpool.registry.models import Enterprise, Industry, Occupation, OccupationAlias, Worker
from talentpool.registry.occupations import resolve_occupation, resolve_occupations
from talentpool.registry.tests.factories import EnterpriseFactory, IndustryFactory, make_id_number
from talentpool.registry.tests.test_imports import ID_M, WORKER_HEADERS, errors_of, run_import, workbook, worker_row

MINOR = re.compile(r"^\d-\d{2}-\d{2}$")
DETAIL = re.compile(r"^\d-\d{2}-\d{2}-\d{2}$")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def occupation(code: str) -> Occupation:
    return Occupation.objects.get(code=code)


# The data file --------------------------------------------------------------------------------


def test_the_data_file_names_its_source_and_how_it_was_made():
    assert "中华人民共和国职业分类大典（2022年版）" in data.SOURCE
    for publisher in ("人力资源社会保障部", "国家市场监督管理总局", "国家统计局"):
        assert publisher in data.SOURCE and publisher in data.__doc__
    assert "以正式出版物核对" in data.SOURCE
    assert "transcribed by hand" in data.__doc__ and "check it against the printed edition" in data.__doc__


def test_every_code_sits_under_a_group_that_exists_and_none_repeats():
    medium = {code for code, _ in MEDIUM_GROUPS}
    minor = [code for code, _ in data.MINOR_GROUPS]
    detail = [code for code, _ in data.OCCUPATIONS]
    assert all(MINOR.match(code) for code in minor), [c for c in minor if not MINOR.match(c)]
    assert all(DETAIL.match(code) for code in detail), [c for c in detail if not DETAIL.match(c)]
    assert len(minor) == len(set(minor)) and len(detail) == len(set(detail))
    assert {code.rsplit("-", 1)[0] for code in minor} <= medium
    assert {code.rsplit("-", 1)[0] for code in detail} <= set(minor)
    # "其他" groups are numbered 99 (their one occupation 99-00 or 00-00 under 6-99)
    for code, name in [*data.MINOR_GROUPS, *data.OCCUPATIONS]:
        assert name.startswith("其他") == (code.endswith(("-99", "-99-00")) or code.startswith("6-99")), code


def test_major_group_6_has_a_fourth_level_entry_in_every_medium_group():
    detail = {code for code, _ in data.OCCUPATIONS}
    for medium, _name in MEDIUM_GROUPS:
        if medium.startswith("6-"):
            assert any(code.startswith(medium + "-") for code in detail), medium
    assert len([c for c in detail if c.startswith("6-")]) >= 150
    names = [name for _, name in data.OCCUPATIONS]
    assert len(names) == len(set(names))  # a name finds one occupation


def test_aliases_point_at_listed_occupations_and_are_no_occupation_names():
    codes = {code for code, _ in data.OCCUPATIONS}
    names = {name for _, name in [*MAJOR_GROUPS, *MEDIUM_GROUPS, *data.MINOR_GROUPS, *data.OCCUPATIONS]}
    aliases = [alias for alias, _ in data.ALIASES]
    assert len(aliases) == len(set(aliases))
    assert {code for _, code in data.ALIASES} <= codes
    assert not set(aliases) & names
    assert dict(data.ALIASES)["维修电工"] == "6-31-01-03" and dict(data.ALIASES)["汽车修理工"] == "4-12-01-01"


@pytest.mark.django_db
def test_the_migration_loaded_them_with_their_levels_parents_and_pinyin_keys():
    for code, name in data.OCCUPATIONS:
        row = Occupation.objects.select_related("parent").get(code=code)
        assert (row.name, row.level, row.parent.code, row.parent.level) == (
            name, OccupationLevel.OCCUPATION, code.rsplit("-", 1)[0], OccupationLevel.SMALL)
    assert Occupation.objects.filter(level=OccupationLevel.SMALL).count() == len(data.MINOR_GROUPS)
    assert occupation("6-18-01-01").name_search == "chegong cg"
    assert occupation("6-18-01-01").name_sort == "che gong"
    assert OccupationAlias.objects.get(name="维修电工").occupation == occupation("6-31-01-03")
    assert OccupationAlias.objects.count() == len(data.ALIASES)


# The resolver ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "code"), [
    ("6-18-01-01", "6-18-01-01"),
    ("６－１８－０１－０１", "6-18-01-01"),  # full-width, as a spreadsheet may hold it
    ("车工", "6-18-01-01"),
    (" 车 工 ", "6-18-01-01"),
    ("6-18-01-01 车工", "6-18-01-01"),  # as the site shows an occupation (exports)
    ("车工（6-18-01-01）", "6-18-01-01"),
    ("维修电工", "6-31-01-03"),  # an alias
    ("电焊工", "6-18-02-04"),
    ("汽车修理工", "4-12-01-01"),
    ("6-18", "6-18"),  # a medium group, as before occupations were loaded
    ("6-18-01", "6-18-01"),
    ("机械冷加工人员", "6-18-01"),
])
def test_a_code_a_name_or_an_alias_resolves(text, code):
    assert resolve_occupation(text).code == code


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "message"), [
    ("车床工", "职业“车床工”不在职业分类中。您是否要找：车工（6-18-01-01）、钻床工（6-18-01-06）、"
               "拉床工（6-18-01-12）？"),
    ("维修电工师", "职业“维修电工师”不在职业分类中。您是否要找：电工（6-31-01-03）？"),
    ("6-18-01-99", "职业“6-18-01-99”不在职业分类中。您是否要找：车工（6-18-01-01）、铣工（6-18-01-02）、"
                   "刨插工（6-18-01-03）、磨工（6-18-01-04）、镗工（6-18-01-05）？"),
    ("abc", "职业“abc”不在职业分类中。请填写职业名称或编码，如 车工 或 6-18-01-01。"),
    ("生产制造及有关人员", "职业“生产制造及有关人员”不在职业分类中。"
                          "您是否要找：其他生产制造及有关人员（6-99-00-00）？"),
    ("6", "职业“6”不在职业分类中。请填写职业名称或编码，如 车工 或 6-18-01-01。"),  # a major group: too coarse
])
def test_an_unknown_occupation_is_refused_with_the_closest_names(text, message):
    with pytest.raises(ValueError) as refused:
        resolve_occupation(text)
    assert str(refused.value) == message


@pytest.mark.django_db
def test_a_name_two_occupations_share_asks_for_the_code():
    Occupation.objects.create(code="6-18-01-99", name="车工", level=4, parent=occupation("6-18-01"))
    with pytest.raises(ValueError) as refused:
        resolve_occupation("车工")
    assert str(refused.value) == "职业分类中有多个名为“车工”的条目：请填写编码（6-18-01-01、6-18-01-99）。"


@pytest.mark.django_db
def test_many_texts_resolve_in_a_few_queries(django_assert_num_queries):
    texts = ["车工", "6-18-02-04", "维修电工", "铣工", "车工"]
    with django_assert_num_queries(3):  # codes, names, aliases
        found = resolve_occupations(texts)
    assert {text: o.code for text, o in found.items()} == {
        "车工": "6-18-01-01", "6-18-02-04": "6-18-02-04", "维修电工": "6-31-01-03", "铣工": "6-18-01-02"}
    with django_assert_num_queries(4):  # names, aliases; for the unknown ones all names and aliases once
        found = resolve_occupations(["车工", "车床工", "刨床工"])
    assert isinstance(found["车床工"], ValueError) and isinstance(found["刨床工"], ValueError)


# Every path accepts 车工 ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_registration_page_takes_an_occupation_typed_as_a_name(as_operator_a, operator_a):
    number = make_id_number(datetime.date(1990, 4, 1), male=True, seq=77)
    body = {"name": "钱车工", "id_number": number, "retirement_category": "man", "is_frontline": "on",
            "enterprise": str(operator_a.enterprise_id), "employment_start": "2015-03-01", "occupation": "车工"}
    response = as_operator_a.post("/registry/workers/new/", body)
    assert response.status_code == 302, response.content.decode()[:2000]
    worker = Worker.objects.get(name="钱车工")
    assert worker.occupation == occupation("6-18-01-01")
    assert worker.employments.get().occupation == occupation("6-18-01-01")


@pytest.mark.django_db
def test_the_edit_page_takes_an_alias_or_the_pickers_number_and_refuses_an_unknown_name(as_operator_a, worker_a):
    url = f"/registry/workers/{worker_a.pk}/edit/"
    form = as_operator_a.get(url).context["form"]
    body = {k: ("on" if v is True else "" if v in (None, False) else str(v.pk if hasattr(v, "pk") else v))
            for k, v in form.initial.items()}
    response = as_operator_a.post(url, {**body, "occupation": "车床工"})
    assert response.status_code == 200
    assert response.context["form"].errors["occupation"] == [
        "职业“车床工”不在职业分类中。您是否要找：车工（6-18-01-01）、钻床工（6-18-01-06）、拉床工（6-18-01-12）？"]
    worker_a.refresh_from_db()
    assert worker_a.occupation is None
    assert as_operator_a.post(url, {**body, "occupation": "维修电工"}).status_code == 302
    worker_a.refresh_from_db()
    assert worker_a.occupation == occupation("6-31-01-03")
    welder = occupation("6-18-02-04")
    body["version"] = str(worker_a.version)
    assert as_operator_a.post(url, {**body, "occupation": str(welder.pk)}).status_code == 302
    worker_a.refresh_from_db()
    assert worker_a.occupation == welder


@pytest.mark.django_db
def test_the_api_takes_an_occupation_by_name_alias_or_code(as_operator_a, operator_a):
    for seq, (text, code) in enumerate([("车工", "6-18-01-01"), ("维修电工", "6-31-01-03"),
                                        ("6-18-02-04", "6-18-02-04")], start=1):
        number = make_id_number(datetime.date(1988, 5, seq), male=True, seq=2 * seq + 1)
        response = as_operator_a.post("/api/workers/", {
            "name": f"孙{seq}号", "id_number": number, "retirement_category": "man",
            "enterprise": operator_a.enterprise_id, "employment_start": "2020-01-01", "occupation": text,
        }, content_type="application/json")
        assert response.status_code == 201, response.json()
        assert response.json()["occupation"] == occupation(code).pk


@pytest.mark.django_db
def test_a_worker_row_with_occupation_che_gong_imports(admin_user, enterprise_a):
    content = workbook(WORKER_HEADERS, [worker_row(enterprise=enterprise_a.name, 职业编码="车工")])
    job, write = run_import("workers", content, admin_user)
    assert write is not None, job.result
    assert Worker.objects.get().occupation == occupation("6-18-01-01")


@pytest.mark.django_db
def test_the_import_takes_the_occupation_column_by_its_new_header_and_aliases(admin_user, enterprise_a):
    headers = [("职业(工种)" if h == "职业编码" else h) for h in WORKER_HEADERS]
    rows = [[*worker_row(enterprise=enterprise_a.name)[:8], "维修电工", *worker_row(enterprise=enterprise_a.name)[9:]]]
    job, write = run_import("workers", workbook(headers, rows), admin_user)
    assert write is not None, job.result
    assert Worker.objects.get().occupation == occupation("6-31-01-03")


@pytest.mark.django_db
def test_an_import_row_with_an_unknown_occupation_names_the_closest_and_writes_nothing(admin_user, enterprise_a):
    content = workbook(WORKER_HEADERS, [worker_row(enterprise=enterprise_a.name, 职业编码="车床工")])
    job, write = run_import("workers", content, admin_user)
    assert write is None
    assert errors_of(job) == [(2, "职业（工种）", "车床工",
                               "职业“车床工”不在职业分类中。您是否要找：车工（6-18-01-01）、"
                               "钻床工（6-18-01-06）、拉床工（6-18-01-12）？")]
    assert not Worker.objects.filter(id_number_hash__isnull=False).exists()
    assert ID_M  # the row's number, never written


@pytest.mark.django_db
@pytest.mark.parametrize(("printed", "code"), [("维修电工", "6-31-01-03"), ("车工", "6-18-01-01"), ("绕线工", None)])
def test_a_certificates_printed_occupation_is_linked_when_the_classification_knows_it(as_operator_a, worker_a,
                                                                                      printed, code):
    response = as_operator_a.post(f"/registry/workers/{worker_a.pk}/certificates/new/", {
        "number": "S000033050000002000009", "level": "4", "occupation_name": printed, "issued_on": "2023-06-01"})
    assert response.status_code == 302
    certificate = worker_a.certificates.get()
    assert certificate.occupation_name == printed  # kept as printed
    assert certificate.occupation == (occupation(code) if code else None)


# Reference pages ------------------------------------------------------------------------------

REFERENCE_PAGES = ["/registry/reference/industries/", "/registry/reference/industries/new/",
                   "/registry/reference/occupations/", "/registry/reference/occupations/new/",
                   "/registry/reference/occupation-aliases/", "/registry/reference/occupation-aliases/new/"]


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["as_leader", "as_operator_a", "as_expert", "as_worker"])
def test_the_reference_pages_are_the_admins_only(request, client_name, as_admin):
    client = request.getfixturevalue(client_name)
    alias = OccupationAlias.objects.get(name="维修电工")
    industry = Industry.objects.get(name="电梯")
    for url in REFERENCE_PAGES:
        assert client.get(url).status_code == 404, url
        assert as_admin.get(url).status_code == 200, url
    for url in (f"/registry/reference/industries/{industry.pk}/delete/",
                f"/registry/reference/occupation-aliases/{alias.pk}/delete/"):
        assert client.post(url).status_code == 404
    assert Industry.objects.filter(pk=industry.pk).exists() and OccupationAlias.objects.filter(pk=alias.pk).exists()


@pytest.mark.django_db
def test_an_admin_adds_and_deletes_an_alias_audited(as_admin, admin_user):
    response = as_admin.post("/registry/reference/occupation-aliases/new/", {"name": "车床工", "occupation": "车工"})
    assert response.status_code == 302
    alias = OccupationAlias.objects.get(name="车床工")
    assert (alias.occupation, alias.name_search) == (occupation("6-18-01-01"), "chechuanggong ccg")
    assert resolve_occupation("车床工") == occupation("6-18-01-01")
    created = AuditLog.objects.get(action=AuditAction.CREATE, object_id=str(alias.pk))
    assert created.changes == {"name": [None, "车床工"], "occupation": [None, "6-18-01-01 车工"]}
    assert "车床工" in as_admin.get("/registry/reference/occupation-aliases/").content.decode()

    response = as_admin.post(f"/registry/reference/occupation-aliases/{alias.pk}/delete/")
    assert response.status_code == 302
    assert not OccupationAlias.objects.filter(name="车床工").exists()
    assert AuditLog.objects.filter(action=AuditAction.DELETE, object_repr="车床工").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "message"), [
    ("车工", "“车工”是职业分类中 6-18-01-01 车工 的名称，无需再设为别名。"),
    ("维修电工", "“维修电工”已是 6-31-01-03 电工 的别名。"),
])
def test_an_alias_that_would_be_ambiguous_is_refused_and_nothing_changes(as_admin, name, message):
    before = (OccupationAlias.objects.count(), AuditLog.objects.count())
    response = as_admin.post("/registry/reference/occupation-aliases/new/", {"name": name, "occupation": "铣工"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [message]
    assert (OccupationAlias.objects.count(), AuditLog.objects.count()) == before


@pytest.mark.django_db
def test_an_admin_adds_an_occupation_under_a_minor_group(as_admin):
    group = occupation("6-18-01")
    response = as_admin.post("/registry/reference/occupations/new/",
                             {"parent": group.pk, "code": "6-18-01-13", "name": "增材制造设备操作员"})
    assert response.status_code == 302
    added = occupation("6-18-01-13")
    assert (added.name, added.level, added.parent, added.name_search) == (
        "增材制造设备操作员", 4, group, "zengcaizhizaoshebeicaozuoyuan zczzsbczy")
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_id=str(added.pk)).count() == 1
    assert resolve_occupation("增材制造设备操作员") == added

    response = as_admin.post("/registry/reference/occupations/new/",
                             {"parent": group.pk, "code": "6-18-02-13", "name": "某新工种"})
    assert response.context["form"].non_field_errors() == [
        "6-18-01 下职业的编码为 6-18-01-NN（两位数字，如 6-18-01-01）。"]
    assert not Occupation.objects.filter(name="某新工种").exists()


@pytest.mark.django_db
def test_the_occupation_list_searches_like_the_picker_in_pinned_queries(as_admin, django_assert_max_num_queries):
    as_admin.get("/registry/reference/occupations/")  # the session's first request writes it
    # session, user, count, the page, its aliases; the session's save (savepoint, update, release)
    with django_assert_max_num_queries(8):
        response = as_admin.get("/registry/reference/occupations/?q=cg")
    rows = list(response.context["page"])
    assert rows[0].code == "6-18-01-01"
    assert "维修电工" in as_admin.get("/registry/reference/occupations/?q=6-31-01-03").content.decode()
    with django_assert_max_num_queries(8):
        response = as_admin.get("/registry/reference/occupations/")
    assert len(response.context["page"]) == 50


@pytest.mark.django_db
def test_an_industry_in_use_cannot_be_deleted_and_nothing_changes(as_admin, enterprise_a):
    industry = enterprise_a.industry
    before = AuditLog.objects.count()
    response = as_admin.post(f"/registry/reference/industries/{industry.pk}/delete/", follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "行业“钢材”下有 1 家企业，不能删除。请先把这些企业改到其他行业。"]
    assert Industry.objects.filter(pk=industry.pk).exists()
    assert Enterprise.objects.get(pk=enterprise_a.pk).industry_id == industry.pk
    assert AuditLog.objects.count() == before


@pytest.mark.django_db
def test_an_admin_adds_edits_and_deletes_an_unused_industry_audited(as_admin):
    assert as_admin.post("/registry/reference/industries/new/",
                         {"name": "新材料", "sort_order": "95"}).status_code == 302
    industry = Industry.objects.get(name="新材料")
    assert as_admin.post(f"/registry/reference/industries/{industry.pk}/edit/",
                         {"name": "新能源材料", "is_heritage": "", "sort_order": "95"}).status_code == 302
    industry.refresh_from_db()
    assert industry.name == "新能源材料"
    assert AuditLog.objects.get(action=AuditAction.UPDATE, object_id=str(industry.pk)).changes == {
        "name": ["新材料", "新能源材料"]}
    response = as_admin.post(f"/registry/reference/industries/{industry.pk}/delete/", follow=True)
    assert [str(m) for m in response.context["messages"]][-1] == "已删除行业 新能源材料。"
    assert not Industry.objects.filter(pk=industry.pk).exists()
    assert AuditLog.objects.filter(action=AuditAction.DELETE, object_repr="新能源材料").count() == 1


@pytest.mark.django_db
def test_a_new_industry_with_a_name_in_use_is_refused(as_admin):
    IndustryFactory(name="电机")
    before = Industry.objects.count()
    response = as_admin.post("/registry/reference/industries/new/", {"name": "电机", "sort_order": "1"})
    assert response.status_code == 200
    assert Industry.objects.count() == before


@pytest.mark.django_db
def test_enterprises_are_listed_in_pinyin_order():
    industry = IndustryFactory(name="电梯")
    for name in ("张家有限公司", "安家有限公司", "陈家有限公司"):
        EnterpriseFactory(name=name, industry=industry)
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["安家有限公司", "陈家有限公司", "张家有限公司"]
    assert Enterprise.objects.get(name="陈家有限公司").name_search == "chenjiayouxiangongsi cjyxgs"
