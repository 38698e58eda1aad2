"""Excel exports of the filtered lists: scoped rows, masked personal data, audited; the columns
and the order of the list's table (core.exports); the admins' round-trip workbook, which the
import accepts back unchanged and which is an audited reveal."""

from __future__ import annotations

import datetime
import io

import pytest
from python_calamine import CalamineWorkbook

from talentpool.core.exports import EXPORT_REVEAL
from talentpool.core.models import AuditAction, AuditLog

from .conftest import KNOWN_ID, KNOWN_PHONE

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(response) -> list[list]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return book.get_sheet_by_index(0).to_python()


def _cells(rows: list[list]) -> list[str]:
    return [str(cell) for row in rows for cell in row]


@pytest.mark.parametrize(("url", "a_text", "b_text"), [
    ("/registry/workers/?export=xlsx", "慎建民", "单田芳"),
    ("/registry/enterprises/?export=xlsx", "浙江久立特材科技股份有限公司", "湖州南浔善琏湖笔厂"),
    ("/registry/certificates/?export=xlsx", "S000033050000003000001", "S000033050000003000002"),
    ("/registry/honours/?export=xlsx", "市技术能手", "湖州工匠"),
])
def test_an_operator_exports_only_their_own_rows(as_operator_a, as_admin, world, url, a_text, b_text):
    rows = _rows(as_operator_a.get(url))
    assert len(rows) == 2  # header + one row
    cells = _cells(rows)
    assert a_text in cells and b_text not in cells
    everything = _cells(_rows(as_admin.get(url)))
    assert a_text in everything and b_text in everything


@pytest.mark.parametrize("persona", ["expert", "worker"])
def test_export_is_refused_with_404_to_roles_without_lists(client_of, world, persona):
    response = client_of(persona).get("/registry/workers/?export=xlsx")
    assert response.status_code == 404
    assert AuditLog.objects.count() == 0


def test_anonymous_export_redirects_to_login(anonymous, world):
    response = anonymous.get("/registry/workers/?export=xlsx")
    assert response.status_code == 302 and response.url.startswith("/login/?next=")


WORKER_HEADERS = ["姓名", "身份证号", "性别", "出生年份", "手机号", "企业", "行业", "技能等级", "职业（工种）", "学历",
                  "退休类别", "一线职工", "参加工作时间"]


def test_the_worker_export_has_the_tables_columns_with_personal_data_masked(as_admin, known_worker):
    rows = _rows(as_admin.get("/registry/workers/?export=xlsx"))
    header, row = rows
    assert header == WORKER_HEADERS  # the page's columns, then those it leaves to the worker's page
    assert row == ["曾志伟", "330503********1230", "男", 1985.0, "139****5678", "浙江久立特材科技股份有限公司", "钢材",
                   "高级工（三级）", "", "高中（中专、技校）", "男职工（原60岁）", "是", datetime.date(2005, 7, 1)]
    cells = "".join(_cells(rows))
    assert KNOWN_ID not in cells and KNOWN_PHONE not in cells
    assert "1985-03-07" not in cells  # the birth year only (privacy.py)


def test_the_enterprise_exports_first_column_is_the_enterprise_name(as_admin, world):
    rows = _rows(as_admin.get("/registry/enterprises/?export=xlsx&sort=name"))
    assert rows[0] == ["企业名称", "统一社会信用代码", "行业", "所有制", "规上企业", "镇（街道）", "职工", "地址",
                       "联系人", "联系电话"]
    assert [r[0] for r in rows[1:]] == ["湖州南浔善琏湖笔厂", "浙江久立特材科技股份有限公司"]  # pinyin: hu < zhe


def test_certificate_and_honour_exports_mask_the_id_number(as_admin, known_worker):
    from .factories import CertificateFactory, HonourFactory

    CertificateFactory(worker=known_worker, number="S000033050000003000009")
    HonourFactory(worker=known_worker)
    rows = _rows(as_admin.get("/registry/certificates/?export=xlsx"))
    assert rows == [
        ["证书编号", "职工", "身份证号", "企业", "技能等级", "职业（工种）", "发证机构", "发证日期"],
        ["S000033050000003000009", "曾志伟", "330503********1230", "浙江久立特材科技股份有限公司", "高级工（三级）",
         "车工", "湖州市南浔区人力资源和社会保障局", datetime.date(2020, 6, 1)],
    ]
    rows = _rows(as_admin.get("/registry/honours/?export=xlsx"))
    assert rows == [
        ["荣誉名称", "级别", "职工", "身份证号", "企业", "授予日期", "授予单位"],
        ["市技术能手", "市级", "曾志伟", "330503********1230", "浙江久立特材科技股份有限公司",
         datetime.date(2021, 5, 1), ""],
    ]
    assert KNOWN_ID not in "".join(_cells(rows))


def test_the_export_follows_the_filter(as_admin, world, enterprise_b):
    rows = _rows(as_admin.get(f"/registry/workers/?current_enterprise={enterprise_b.pk}&export=xlsx"))
    assert [r[0] for r in rows[1:]] == ["单田芳"]
    rows = _rows(as_admin.get("/registry/workers/?q=sjm&export=xlsx"))
    assert [r[0] for r in rows[1:]] == ["慎建民"]


def test_the_leader_exports_everything(as_leader, world):
    rows = _rows(as_leader.get("/registry/workers/?export=xlsx"))
    assert sorted(r[0] for r in rows[1:]) == sorted(["慎建民", "单田芳"])


def test_every_export_is_audited_with_kind_and_row_count(as_operator_a, world):
    as_operator_a.get("/registry/workers/?export=xlsx")
    log = AuditLog.objects.get()
    assert (log.action, log.actor.username, log.changes["kind"], log.changes["rows"]) == (
        AuditAction.EXPORT, "operator_a", "workers", 1)


def test_an_id_number_search_exported_never_puts_the_number_in_the_audit_log(as_admin, known_worker):
    location = as_admin.post("/registry/workers/", {"q": KNOWN_ID}).url
    rows = _rows(as_admin.get(location + "&export=xlsx"))
    assert [r[0] for r in rows[1:]] == ["曾志伟"]
    log = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert KNOWN_ID not in str(log.changes) + log.object_repr


def test_a_crafted_export_url_with_an_id_number_is_refused_and_exports_nothing(as_admin, known_worker):
    # an ID number in a URL is refused before the view (core.middleware.PersonalNumberInUrlMiddleware)
    response = as_admin.get(f"/registry/workers/?q={KNOWN_ID}&export=xlsx")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_file_name_is_chinese_and_dated(as_admin, world):
    response = as_admin.get("/registry/workers/?export=xlsx")
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    assert response["Content-Disposition"].endswith(".xlsx")


# The export follows the screen: its filter and its sort --------------------------------------


def _page_names(client, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    table = client.get(f"/registry/workers/?{query}").context["table"]
    return [row.record.name for row in table.paginated_rows]


@pytest.mark.parametrize("sort", ["name", "-name", "education", "-education", "birth_year", "-birth_year",
                                  "skill_level", "-skill_level", "current_enterprise", "-current_enterprise"])
def test_the_worker_export_is_in_the_order_the_page_shows(as_admin, enterprise_a, enterprise_b, sort):
    from .factories import WorkerFactory

    for name, education, level, enterprise, year in [
        ("王五", "bachelor", 3, enterprise_a, 1980), ("阿大", "junior", 5, enterprise_b, 1990),
        ("周七", "", None, enterprise_a, 1975), ("李四", "college", 3, enterprise_b, 1990),
        ("张三", "postgraduate", 1, enterprise_a, 1985), ("陈六", "senior", 4, enterprise_b, 1980),
    ]:
        WorkerFactory(name=name, education=education, skill_level=level, enterprise=enterprise,
                      birth_date=datetime.date(year, 6, 1))
    shown = _page_names(as_admin, f"sort={sort}")
    exported = [r[0] for r in _rows(as_admin.get(f"/registry/workers/?sort={sort}&export=xlsx"))[1:]]
    assert exported == shown and len(shown) == 6


def test_the_export_follows_filter_and_sort_together(as_admin, enterprise_a, enterprise_b):
    from .factories import WorkerFactory

    for name, education in [("王五", "bachelor"), ("阿大", "junior"), ("李四", "college")]:
        WorkerFactory(name=name, education=education, enterprise=enterprise_a)
    WorkerFactory(name="陈六", education="postgraduate", enterprise=enterprise_b)
    query = f"current_enterprise={enterprise_a.pk}&sort=-education"
    rows = _rows(as_admin.get(f"/registry/workers/?{query}&export=xlsx"))
    assert [r[0] for r in rows[1:]] == ["王五", "李四", "阿大"]
    log = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert log.changes == {"kind": "workers", "rows": 3, "filters": f"{query}&export=xlsx"}


def test_certificate_and_honour_exports_follow_the_sort(as_admin, world):
    assert [r[1] for r in _rows(as_admin.get("/registry/certificates/?sort=worker&export=xlsx"))[1:]] == [
        "单田芳", "慎建民"]  # pinyin: shan tian < shen jian
    assert [r[1] for r in _rows(as_admin.get("/registry/certificates/?sort=-worker&export=xlsx"))[1:]] == [
        "慎建民", "单田芳"]
    assert [r[0] for r in _rows(as_admin.get("/registry/honours/?sort=-awarded_on&export=xlsx"))[1:]] == [
        "湖州工匠", "市技术能手"]


# The admins' round-trip workbook ---------------------------------------------------------------


def _full(client, list_name: str, query: str = ""):  # type: ignore[no-untyped-def]
    return client.get(f"/registry/{list_name}/?{query}export=full")


@pytest.fixture
def registry_data(known_worker, world, enterprise_a):  # type: ignore[no-untyped-def]
    """Every kind with values that must survive the round trip: a woman's category, an occupation,
    a blank education, a landline, a post, a certificate and an honour of each level."""
    from talentpool.registry.models import Employment, Enterprise, Occupation, Worker

    from .factories import CertificateFactory, HonourFactory, WorkerFactory

    Enterprise.objects.filter(pk=enterprise_a.pk).update(contact_phone="0572-3012345", contact_name="沈经理",
                                                         address="南浔区朝阳路1号", ownership="public")
    woman = WorkerFactory(name="阿不都·热合曼", male=False, enterprise=enterprise_a, education="",
                          retirement_category="woman_55", is_frontline=False, skill_level=None, work_start_date=None,
                          occupation=Occupation.objects.get(code="6-18-01-01"), phone="")
    Employment.objects.filter(worker=woman).update(position="", start_date=datetime.date(2019, 9, 16))
    Worker.objects.filter(pk=known_worker.pk).update(skill_level=7)  # the highest
    for level in ("national", "provincial", "district", "enterprise"):
        HonourFactory(worker=woman, name=f"{level}荣誉", level=level, issuer="")
    CertificateFactory(worker=woman, level=1, number="S000033050000001000007", occupation_name="", issuer="")
    return woman


@pytest.mark.parametrize(("list_name", "kind"), [
    ("workers", "workers"), ("enterprises", "enterprises"), ("certificates", "certificates"), ("honours", "honours")])
def test_the_admins_full_export_is_imported_back_unchanged(as_admin, admin_user, registry_data, list_name, kind,
                                                            settings, tmp_path):
    from talentpool.registry.models import Certificate, Enterprise, Honour, Worker

    from .test_imports import run_import

    settings.MEDIA_ROOT = tmp_path
    response = _full(as_admin, list_name)
    rows = _rows(response)
    assert len(rows) > 2
    versions = {model: sorted(model.objects.values_list("pk", "version")) if hasattr(model, "version") else
                sorted(model.objects.values_list("pk", flat=True)) for model in (Worker, Enterprise)}
    counts = (Certificate.objects.count(), Honour.objects.count())
    before = AuditLog.objects.count()

    job, written = run_import(kind, response.content, admin_user, "update")
    assert job.result["error_count"] == 0, job.result["errors"]
    assert job.result["counts"] == {"new": 0, "updated": 0, "unchanged": len(rows) - 1, "errors": 0}
    assert written is not None  # nothing to change, written all the same: and nothing changed
    assert {model: sorted(model.objects.values_list("pk", "version")) if hasattr(model, "version") else
            sorted(model.objects.values_list("pk", flat=True)) for model in (Worker, Enterprise)} == versions
    assert (Certificate.objects.count(), Honour.objects.count()) == counts
    new = AuditLog.objects.order_by("id")[before:]
    assert [log.action for log in new] == [AuditAction.IMPORT]  # no create or update records


def test_the_full_export_has_the_import_templates_columns_and_the_numbers_in_full(as_admin, registry_data,
                                                                                   known_worker):
    from talentpool.core.imports.workbooks import build_template
    from talentpool.registry.imports import spec_for

    rows = _rows(_full(as_admin, "workers", "sort=name&"))
    template = CalamineWorkbook.from_filelike(io.BytesIO(build_template(spec_for("workers"))))
    assert rows[0] == template.get_sheet_by_index(0).to_python()[0]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["曾志伟"][:2] == ["曾志伟", KNOWN_ID] and by_name["曾志伟"][2] == KNOWN_PHONE
    spec = spec_for("workers")
    keys = [c.key for c in spec.columns]
    woman = dict(zip(keys, by_name["阿不都·热合曼"], strict=True))
    assert woman["id_number"] == registry_data.id_number
    category = woman["retirement_category"]  # one of the template's labels, read back as the stored value
    assert category in spec.column("retirement_category").choices
    assert spec.column("retirement_category").parse(category, category) == "woman_55"
    assert woman | {"id_number": "", "retirement_category": ""} == {
        "name": "阿不都·热合曼", "id_number": "", "phone": "", "education": "", "retirement_category": "",
        "is_frontline": "否", "work_start_date": "", "skill_level": "", "occupation": "6-18-01-01",
        "enterprise": registry_data.current_enterprise.uscc, "employment_start": datetime.date(2019, 9, 16),
        "position": ""}
    assert dict(zip(keys, by_name["曾志伟"], strict=True))["skill_level"] == "首席技师"
    masked = _rows(as_admin.get("/registry/workers/?sort=name&export=xlsx"))
    assert [r[0] for r in rows[1:]] == [r[0] for r in masked[1:]]  # the same rows in the same order


def test_each_full_export_is_one_audited_reveal_with_the_filters_masked(as_admin, known_worker):
    location = as_admin.post("/registry/workers/", {"q": KNOWN_ID}).url  # a search by ID number
    rows = _rows(as_admin.get(location + "&export=full"))
    assert [r[1] for r in rows[1:]] == [KNOWN_ID]
    log = AuditLog.objects.get(action=EXPORT_REVEAL)
    assert (log.actor.username, log.object_repr, log.content_type.model, log.object_id) == (
        "admin", "职工（导入格式） (1)", "worker", "")
    assert log.changes == {"kind": "workers", "rows": 1, "filters": "q=330503********1230&export=full",
                           "revealed": ["id_number", "phone"]}
    assert KNOWN_ID not in str(log.changes) + log.object_repr
    assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()  # one record, not two
    page = as_admin.get("/core/audit/").content.decode()
    assert "导出完整个人信息" in page and "完整显示：身份证号、手机号" in page


@pytest.mark.parametrize("persona", ["leader", "operator_a", "expert", "worker"])
@pytest.mark.parametrize("list_name", ["workers", "enterprises", "certificates", "honours"])
def test_only_admins_get_the_full_export(client_of, world, known_worker, persona, list_name):
    response = _full(client_of(persona), list_name)
    assert response.status_code == 404
    assert KNOWN_ID.encode() not in response.content
    assert AuditLog.objects.count() == 0


def test_the_list_offers_the_full_export_to_admins_only(as_admin, as_leader, as_operator_a, world):
    assert 'data-testid="export-full"' in as_admin.get("/registry/workers/").content.decode()
    for client in (as_leader, as_operator_a):
        body = client.get("/registry/workers/").content.decode()
        assert 'data-testid="export"' in body and 'data-testid="export-full"' not in body
