"""The titles' pages, API and profile section: scoping per role (out of scope is 404), the
admin's status change and tiers page, pinned query counts, the tab and the declarations."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talentpool.core.models import AuditLog
from talentpool.core.registry import is_declared_event
from talentpool.core.tests.test_plugin_app import tabs
from talentpool.registry.profile import profile_sections
from talentpool.registry.tests.factories import EnterpriseFactory, WorkerFactory
from talentpool.titles import events as ev
from talentpool.titles import services
from talentpool.titles.choices import TitleStatus
from talentpool.titles.models import TierAllowance, TitleChange

from .factories import TitleFactory, chief, craftsman, model_worker  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def titles(admin_user, worker_a, worker_b, enterprise_a, craftsman, chief, model_worker):  # noqa: F811
    """Worker A (enterprise A) promoted 技术标兵 → 首席技工; worker B (enterprise B) a 南浔工匠; a
    former worker of A, now at a third enterprise, with a revoked title."""
    def confer(worker, tier, year):  # type: ignore[no-untyped-def]
        return services.confer_title(admin_user, worker, tier, certificate_number=None, source="年度选树",
                                     valid_from=datetime.date(year, 5, 1), year=year)

    old = confer(worker_a, model_worker, 2022)
    new = confer(worker_a, chief, 2025)
    b = confer(worker_b, craftsman, 2024)
    moved = WorkerFactory(name="沈离职", enterprise=EnterpriseFactory(name="湖州丝绸厂"))
    gone = TitleFactory(worker=moved, tier=model_worker, status=TitleStatus.REVOKED, valid_to=datetime.date(2024, 9, 1))
    return {"old": old, "new": new, "b": b, "gone": gone}


def numbers(response) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(set(re.findall(r"NX20\d\d[A-Z]+\d{4}", response.content.decode())))


# Scoping ------------------------------------------------------------------------------------


def test_each_role_sees_its_titles(as_admin, as_leader, as_operator_a, as_operator_b, as_worker, titles):
    everyone = sorted(t.certificate_number for t in titles.values())
    assert numbers(as_admin.get("/titles/")) == everyone
    assert numbers(as_leader.get("/titles/")) == everyone
    assert numbers(as_operator_a.get("/titles/")) == ["NX2022JSBB0001", "NX2025SXJG0001"]
    assert numbers(as_operator_b.get("/titles/")) == ["NX2024GJ0001"]
    assert numbers(as_worker.get("/titles/")) == ["NX2022JSBB0001", "NX2025SXJG0001"]


def test_out_of_scope_is_404_everywhere(as_operator_b, as_worker, as_expert, as_leader, titles):
    a = titles["new"]
    assert as_operator_b.get(f"/titles/{a.pk}/").status_code == 404
    assert as_operator_b.get(f"/api/titles/{a.pk}/").status_code == 404
    assert as_worker.get(f"/titles/{titles['b'].pk}/").status_code == 404
    assert as_worker.get(f"/api/titles/{titles['b'].pk}/").status_code == 404
    assert as_worker.get("/titles/?export=xlsx").status_code == 404
    assert as_expert.get("/titles/").status_code == 404
    assert as_expert.get("/api/titles/").json()["count"] == 0
    for client in (as_operator_b, as_worker, as_leader):
        assert client.get(f"/titles/{a.pk}/status/").status_code == 404
        assert client.post(f"/titles/{a.pk}/status/", {"status": "suspended", "reason": "x"}).status_code == 404
        assert client.get("/titles/tiers/").status_code == 404
        allowance = {"tier": a.tier_id, "from_year": 2026, "amount": "1"}
        assert client.post("/titles/tiers/allowance/", allowance).status_code == 404
    a.refresh_from_db()
    assert a.status == TitleStatus.ACTIVE
    assert TierAllowance.objects.count() == 3


def test_the_api_per_role(as_leader, as_operator_a, as_worker, titles):
    assert as_leader.get("/api/titles/").json()["count"] == 4
    assert as_operator_a.get("/api/titles/").json()["count"] == 2
    body = as_worker.get(f"/api/titles/{titles['new'].pk}/").json()
    assert (body["certificate_number"], body["tier_code"], body["status"]) == (
        "NX2025SXJG0001", "chief_technician", "active",
    )
    assert [(c["from_status"], c["to_status"]) for c in body["changes"]] == [("", "active")]
    tiers = as_worker.get("/api/tiers/").json()["results"]
    assert [(t["code"], t["rank"], t["default_quota"], t["allowances"]) for t in tiers] == [
        ("craftsman", 1, 100, [{"from_year": 2018, "amount": "5000.00"}]),
        ("chief_technician", 2, 200, [{"from_year": 2018, "amount": "3000.00"}]),
        ("technical_model", 3, 800, [{"from_year": 2018, "amount": "1500.00"}]),
    ]


def test_the_list_filters(as_leader, titles, chief, enterprise_b):  # noqa: F811
    assert numbers(as_leader.get(f"/titles/?tier={chief.pk}")) == ["NX2025SXJG0001"]
    assert numbers(as_leader.get("/titles/?status=superseded")) == ["NX2022JSBB0001"]
    assert numbers(as_leader.get("/titles/?year=2024")) == sorted(["NX2024GJ0001", titles["gone"].certificate_number])
    assert numbers(as_leader.get(f"/titles/?industry={enterprise_b.industry_id}")) == ["NX2024GJ0001"]
    assert numbers(as_leader.get("/titles/?q=NX2024GJ0001")) == ["NX2024GJ0001"]
    assert numbers(as_leader.get("/titles/?q=sjm")) == ["NX2022JSBB0001", "NX2025SXJG0001"]


def test_the_export_has_the_lists_columns(as_leader, titles):
    import io

    from python_calamine import CalamineWorkbook

    response = as_leader.get("/titles/?export=xlsx&status=active")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    header = next(i for i, row in enumerate(rows) if "证书编号" in row)
    assert rows[header][:5] == ["证书编号", "职工", "企业", "行业", "称号层级"]
    assert sorted(r[0] for r in rows[header + 1:] if r[0]) == ["NX2024GJ0001", "NX2025SXJG0001"]
    assert AuditLog.objects.filter(action="data.export").count() == 1


# Detail and status change -------------------------------------------------------------------


def test_the_detail_shows_the_history_and_the_promotion(as_admin, titles):
    old = titles["old"]
    page = as_admin.get(f"/titles/{old.pk}/").content.decode()
    history = page[page.index('data-testid="title-history"'):]
    cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
             for row in re.findall(r"<tr>(.*?)</tr>", history, re.S)]
    assert [c.split(" ", 2)[2] for c in cells[1:]] == [
        "授予 → 有效 admin —",
        "有效 → 已晋升 admin 晋升为 首席技工（2025年度）。",
    ]
    assert f'href="/titles/{titles["new"].pk}/"' in page
    assert 'data-testid="change-status"' not in page  # a superseded title changes no more


def test_an_admin_suspends_with_a_reason(as_admin, titles):
    title = titles["new"]
    form = as_admin.get(f"/titles/{title.pk}/status/").content.decode()
    select = form[form.index('name="status"'):]
    options = re.findall(r'<option value="(\w+)"', select[: select.index("</select>")])
    assert options == ["suspended", "revoked", "retired"]
    response = as_admin.post(f"/titles/{title.pk}/status/", {"status": "suspended", "reason": "考核不合格", "on": ""})
    assert response.status_code == 302
    title.refresh_from_db()
    assert (title.status, title.valid_to) == (TitleStatus.SUSPENDED, None)
    assert TitleChange.objects.filter(title=title).latest("pk").reason == "考核不合格"
    assert AuditLog.objects.filter(action=ev.TITLE_SUSPEND, object_id=str(title.pk)).count() == 1


def test_a_refused_change_is_shown_on_the_form_and_changes_nothing(as_admin, titles):
    title = titles["new"]
    before = (TitleChange.objects.count(), AuditLog.objects.count())
    revoke = {"status": "revoked", "reason": "弄虚作假", "on": "2020-01-01"}
    response = as_admin.post(f"/titles/{title.pk}/status/", revoke)
    assert response.status_code == 200
    assert "不能早于生效日期" in response.content.decode()
    response = as_admin.post(f"/titles/{title.pk}/status/", {"status": "superseded", "reason": "x"})
    assert response.status_code == 200
    title.refresh_from_db()
    assert title.status == TitleStatus.ACTIVE
    assert (TitleChange.objects.count(), AuditLog.objects.count()) == before
    assert as_admin.get(f"/titles/{titles['gone'].pk}/status/").status_code == 404  # revoked: nothing to change


# Tiers --------------------------------------------------------------------------------------


def test_the_tiers_page_and_setting_an_allowance(as_admin, titles, craftsman):  # noqa: F811
    page = as_admin.get("/titles/tiers/").content.decode()
    row = page[page.index('data-testid="tier-craftsman">') + 29:]
    row = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row[: row.index("</tr>")])).strip()
    assert row.startswith("1 南浔工匠 craftsman 100 是 1 1 自 2018 年起 5,000.00")
    response = as_admin.post("/titles/tiers/allowance/", {"tier": craftsman.pk, "from_year": 2027, "amount": "6000"})
    assert response.status_code == 302
    assert services.allowance_in(craftsman, 2027) == 6000
    response = as_admin.post("/titles/tiers/allowance/", {"tier": craftsman.pk, "from_year": 2027, "amount": "很多"})
    assert "请以元为单位" in response.content.decode()


# Query counts -------------------------------------------------------------------------------


def test_the_pages_run_a_bounded_number_of_queries(
    as_admin, as_leader, as_operator_a, as_worker, titles, admin_user, enterprise_a, chief  # noqa: F811
):
    new = titles["new"]
    pages = (
        (as_leader, "/titles/"),
        (as_operator_a, "/titles/?status=active&year=2025"),
        (as_worker, "/titles/"),
        (as_leader, "/api/titles/"),
        (as_leader, "/titles/?export=xlsx"),
        (as_admin, f"/titles/{new.pk}/"),
        (as_admin, "/titles/tiers/"),
    )

    def counts() -> list[int]:
        found = []
        for client, url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries.captured_queries))
        return found

    counts()  # warm-up (content types, sessions)
    few = counts()
    for n in range(8):
        worker = WorkerFactory(name=f"称{n}", enterprise=enterprise_a)
        title = services.confer_title(admin_user, worker, chief, certificate_number=None,
                                      valid_from=datetime.date(2025, 5, 1), year=2025, source="年度选树")
        services.change_status(admin_user, title, TitleStatus.SUSPENDED, reason="考核")
        services.change_status(admin_user, title, TitleStatus.ACTIVE, reason="复核")
    assert counts() == few  # the same queries for 4 titles and for 12
    # pages: session, user, the rows (count, page, rows), the filter's tiers and industries, the
    # session's save (3); the API: count, page, rows, histories; the detail: title, history,
    # supersedes, allowance; the tiers: tiers with counts, allowances
    assert few == [10, 10, 10, 9, 11, 9, 7]


def test_the_profile_section_shows_every_title_in_one_query(as_admin, as_worker, titles, worker_a, admin_user,
                                                              django_assert_num_queries):
    assert "titles" in [s.key for s in profile_sections()]
    for client, url in ((as_admin, f"/registry/workers/{worker_a.pk}/"), (as_worker, "/registry/me/")):
        page = client.get(url).content.decode()
        start = page.index('data-testid="profile-titles"')
        section = page[start: page.index("</div></div>", start)]
        rows = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m)).strip()
                for m in re.findall(r'<tr data-testid="profile-title">(.*?)</tr>', section, re.S)]
        assert rows == [
            "首席技工 NX2025SXJG0001 2025 2025-05-01 — 有效",
            "技术标兵 NX2022JSBB0001 2022 2022-05-01 2025-05-01 已晋升",
        ]
    (section,) = [s for s in profile_sections() if s.key == "titles"]
    with django_assert_num_queries(1):
        assert len(section.context(worker_a, admin_user)["titles"]) == 2


# Declarations -------------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", ["as_admin", "as_leader", "as_operator_a"])
def test_the_tab_shows_for_its_roles_and_is_active_on_its_pages(request, client_name):
    client = request.getfixturevalue(client_name)
    response = client.get("/titles/")
    assert response.status_code == 200
    assert [key for key, active in tabs(response) if active] == ["titles"]
    assert dict(tabs(client.get("/registry/certificates/")))["titles"] is False


def test_the_events_are_declared_and_labelled(as_admin, titles):
    assert all(is_declared_event(name) for name in ev.EVENTS)
    page = as_admin.get("/core/audit/?action=titles.title.confer").content.decode()
    assert "授予了称号" in page
