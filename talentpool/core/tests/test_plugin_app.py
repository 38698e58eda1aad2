"""A new app plugs in by declaring, without an edit to core or registry: the test app
``core/tests/plugin_app`` (a noticeboard: a page, a tab, an expert's start page, an API route, an
audit event and a demo step) is added to INSTALLED_APPS for these tests only."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from django.test import modify_settings
from django.urls import clear_url_caches

from talentpool.core import demo
from talentpool.core import registry as points
from talentpool.core.models import AuditLog
from talentpool.core.tests.plugin_app import notices

APP = "talentpool.core.tests.plugin_app"


def _reload_urls() -> None:
    import talentpool.core.api_urls
    import talentpool.urls

    importlib.reload(talentpool.core.api_urls)  # the router is built from the registered routes
    importlib.reload(talentpool.urls)  # the pages from the registered mounts
    clear_url_caches()


@pytest.fixture
def noticeboard() -> Iterator[None]:
    """The app installed (its ready() declares everything), then every registration point put back."""
    saved = (dict(points._menu), list(points._start_pages), dict(points._api_routes), dict(points._url_mounts),
             dict(points._events.labels), dict(points._events.legacy), dict(demo._steps))
    try:
        with modify_settings(INSTALLED_APPS={"append": APP}):
            _reload_urls()
            yield
    finally:
        points._menu.clear(), points._menu.update(saved[0])
        points._start_pages[:] = saved[1]
        points._api_routes.clear(), points._api_routes.update(saved[2])
        points._url_mounts.clear(), points._url_mounts.update(saved[3])
        points._events.labels.clear(), points._events.labels.update(saved[4])
        points._events.legacy.clear(), points._events.legacy.update(saved[5])
        demo._steps.clear(), demo._steps.update(saved[6])
        notices.NOTICES.clear()
        _reload_urls()


def tabs(response) -> list[tuple[str, bool]]:  # type: ignore[no-untyped-def]
    from talentpool.registry.tests.test_navigation import TAB

    return [(key, bool(active)) for active, _url, key, _label in TAB.findall(response.content.decode())]


def test_without_the_app_nothing_of_it_shows(as_expert, as_admin):
    assert as_expert.get("/").status_code == 200  # the expert's own home page of core
    assert "notices" not in as_admin.get("/api/").json()
    assert as_expert.get("/noticeboard/").status_code == 404


def test_its_tab_shows_for_its_roles_and_is_active_on_its_page(noticeboard, as_expert, as_leader, as_admin):
    response = as_expert.get("/noticeboard/")
    assert response.status_code == 200
    assert tabs(response) == [("noticeboard.board", True)]
    leader = tabs(as_leader.get("/noticeboard/"))
    assert ("noticeboard.board", True) in leader and [key for key, active in leader if active] == ["noticeboard.board"]
    assert ("registry.workers", False) in leader  # the registry's tabs, unchanged, around it
    assert "noticeboard.board" not in dict(tabs(as_admin.get("/registry/workers/")))
    assert dict(tabs(as_leader.get("/registry/workers/")))["noticeboard.board"] is False


def test_it_gives_the_expert_a_start_page(noticeboard, as_expert, as_leader):
    assert as_expert.get("/").url == "/noticeboard/"
    assert as_leader.get("/").url == "/registry/workers/"  # the registry's start page is kept


def test_its_api_route_is_on_the_one_api_root(noticeboard, as_admin, as_expert):
    root = as_admin.get("/api/").json()
    assert root["notices"] == "http://testserver/api/notices/"
    assert {"workers", "enterprises", "audit"} <= set(root)
    notices.NOTICES.append(notices.Notice(1, "技能比武报名"))
    assert as_expert.get("/api/notices/").json() == [{"number": 1, "title": "技能比武报名"}]


def test_its_audit_event_records_labels_and_filters(noticeboard, as_leader, as_admin, leader):
    assert as_leader.post("/noticeboard/", {"title": "职称评审通知"}).status_code == 302
    entry = AuditLog.objects.get(action="noticeboard.notice.post")
    assert (entry.actor, entry.object_repr, entry.changes) == (leader, "职称评审通知", {"number": 1})
    assert points.audit_event_label("noticeboard.notice.post") == "posted a notice"
    page = as_admin.get("/core/audit/?action=noticeboard.notice.post")
    assert [r.pk for r in page.context["object_list"]] == [entry.pk]
    assert "posted a notice" in page.content.decode()
    assert [row["event"] for row in as_admin.get("/api/audit/?event=noticeboard.notice.post").json()["results"]] == [
        "noticeboard.notice.post"]


def _registry_digest() -> str:
    from talentpool.core.tests.test_demo_orchestrator import registry_digest

    return registry_digest()


def test_its_demo_step_runs_last_with_its_own_stream_and_moves_nothing_else(noticeboard, db):
    sizes = {"workers": 40, "enterprises": 15, "seed": 9}
    others = [step for step in demo.registered_steps() if not step.name.startswith("noticeboard.")]
    demo.load(**sizes, steps=others)
    without = _registry_digest()
    report = demo.load(**sizes, force=True)  # every registered step, the noticeboard's too
    assert report.ran[-1] == "noticeboard.notices" and report.counts["notices"] == 3
    assert _registry_digest() == without
    stream = demo.DemoContext(seed=9).rng("noticeboard.notices")
    expected = [f"{stream.choice(notices.TOPICS)}（第{stream.randint(1, 99)}期）" for _ in range(3)]
    assert [n.title for n in notices.NOTICES] == expected
    assert demo.load(**sizes).created is False  # loaded: a second load_demo skips every step
