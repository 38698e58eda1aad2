"""The cultivation app plugs in by declaring: one 培育 tab for the roles that keep records, active
on every page of the app, its second row of tabs, and its start page closed to other roles."""

from __future__ import annotations

import pytest

from talentpool.core.tests.test_plugin_app import tabs

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("client_name", ["as_admin", "as_leader", "as_operator_a"])
def test_its_one_tab_shows_for_its_roles_and_is_active_on_its_pages(request, client_name):
    client = request.getfixturevalue(client_name)
    response = client.get("/cultivation/")
    assert response.status_code == 200
    assert [key for key, active in tabs(response) if active] == ["cultivation"]
    assert dict(tabs(client.get("/registry/certificates/")))["cultivation"] is False


@pytest.mark.parametrize("client_name", ["as_expert", "as_worker"])
def test_other_roles_have_no_tab_and_no_start_page(request, client_name):
    client = request.getfixturevalue(client_name)
    assert "cultivation" not in dict(
        tabs(client.get("/") if client_name == "as_expert" else client.get("/registry/me/"))
    )
    assert client.get("/cultivation/").status_code == 404


def test_the_second_row_of_tabs_shows_what_the_role_may_open(as_admin, as_leader):
    from django.urls import reverse

    from talentpool.cultivation.subnav import TABS

    def subnav(client) -> str:  # type: ignore[no-untyped-def]
        page = client.get("/cultivation/").content.decode()
        start = page.index('data-testid="cultivation-subnav"')
        return page[start : page.index("</ul>", start)]

    admin, leader = subnav(as_admin), subnav(as_leader)
    assert 'href="/cultivation/"' in admin and 'href="/cultivation/"' in leader  # the overview
    for tab in TABS:
        link = f'href="{reverse(tab.url_name)}"'
        assert link in admin
        assert (link in leader) == ("leader" in tab.roles)
