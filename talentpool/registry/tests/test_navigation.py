"""The navigation bar each role sees (declared by registry and core in AppConfig.ready(), collected
by core.context_processors.navigation) and which tab is active, by view name."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

# The tabs registry and core declare (other apps add their own; they are left out of the check).
OURS = {
    "registry.my_enterprise": "本企业", "registry.my_profile": "我的档案", "registry.workers": "职工",
    "registry.enterprises": "企业", "registry.certificates": "证书", "registry.honours": "荣誉",
    "core.import": "导入", "core.jobs": "后台任务", "core.audit": "操作日志",
}
TAB = re.compile(
    r'<a class="nav-link( active)?" href="([^"]+)" data-nav="([^"]+)"(?: aria-current="page")?>([^<]*)</a>'
)


def tabs(response) -> list[tuple[str, str, bool]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    found = [(key, label, bool(active)) for active, _url, key, label in TAB.findall(response.content.decode())]
    return [tab for tab in found if tab[0] in OURS]


@pytest.mark.parametrize(
    ("persona", "keys"),
    [
        ("admin", ["registry.workers", "registry.enterprises", "registry.certificates", "registry.honours",
                   "core.import", "core.jobs", "core.audit"]),
        ("leader", ["registry.workers", "registry.enterprises", "registry.certificates", "registry.honours"]),
        ("operator_a", ["registry.my_enterprise", "registry.workers", "registry.certificates", "registry.honours",
                        "core.import", "core.jobs"]),
        ("worker", ["registry.my_profile"]),
        ("expert", []),
    ],
)
def test_each_role_sees_its_tabs_in_order(client_of, world, persona, keys):  # type: ignore[no-untyped-def]
    response = client_of(persona).get("/", follow=True)
    assert [(key, label) for key, label, _active in tabs(response)] == [(key, OURS[key]) for key in keys]


def test_no_tab_opens_the_django_admin(as_admin, world):  # type: ignore[no-untyped-def]
    body = as_admin.get(reverse("registry:worker_list")).content.decode()
    assert 'href="/django-admin/"' not in body and "系统设置" not in body


@pytest.mark.parametrize(
    ("persona", "url", "active"),
    [
        ("admin", "/registry/workers/", "registry.workers"),
        ("admin", "/registry/workers/{wa}/", "registry.workers"),
        ("admin", "/registry/workers/{wa}/edit/", "registry.workers"),
        ("admin", "/registry/enterprises/{ea}/", "registry.enterprises"),
        ("admin", "/registry/certificates/", "registry.certificates"),
        ("admin", "/registry/honours/", "registry.honours"),
        ("admin", "/core/import/", "core.import"),
        ("admin", "/core/jobs/", "core.jobs"),
        ("admin", "/core/audit/", "core.audit"),
        ("operator_a", "/registry/my-enterprise/", "registry.my_enterprise"),
        ("operator_a", "/registry/enterprises/{ea}/", "registry.my_enterprise"),
        ("operator_a", "/registry/workers/{wa}/", "registry.workers"),
        ("worker", "/registry/me/", "registry.my_profile"),
    ],
)
def test_the_active_tab_follows_the_view(client_of, world, persona, url, active):  # type: ignore[no-untyped-def]
    shown = tabs(client_of(persona).get(url.format(**world)))
    assert [key for key, _label, is_active in shown if is_active] == [active]


def test_each_role_starts_on_its_page(client_of, world):  # type: ignore[no-untyped-def]
    starts = {persona: client_of(persona).get("/").get("Location") for persona in
              ("admin", "leader", "operator_a", "worker")}
    assert starts == {"admin": "/registry/workers/", "leader": "/registry/workers/",
                      "operator_a": "/registry/my-enterprise/", "worker": "/registry/me/"}
    expert = client_of("expert").get("/")
    assert expert.status_code == 200
    assert expert.templates[0].name == "core/home_expert.html"
