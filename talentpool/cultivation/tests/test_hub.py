"""The 培育 start page: the twelve figures of a year and of all years, as cultivation_statistics
gives them, an operator's enterprise's only; closed to workers and experts; a bad year."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from talentpool.cultivation.statistics import ALL_YEARS, KEYS, cultivation_statistics, year_period
from talentpool.cultivation.subnav import tabs_for

from .factories_statistics import build_district, expected

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(enterprise_a, enterprise_b):  # type: ignore[no-untyped-def]
    return build_district(enterprise_a, enterprise_b)


def shown(page: str, column: str) -> dict[str, str]:
    return {key: m.group(1) for key in KEYS if (m := re.search(rf'data-testid="{column}-{key}">([^<]*)<', page))}


def as_text(figures: dict) -> dict[str, str]:  # type: ignore[type-arg]
    return {k: (f"{v:,.2f}" if isinstance(v, Decimal) else f"{v:,}") for k, v in figures.items()}


@pytest.mark.parametrize("client_name", ["as_admin", "as_leader"])
def test_admins_and_leaders_see_the_district_figures_of_the_year_and_all_years(request, district, client_name):
    page = request.getfixturevalue(client_name).get("/cultivation/?year=2025").content.decode()
    assert shown(page, "year") == as_text(expected(0))
    assert shown(page, "all") == as_text(cultivation_statistics(*ALL_YEARS))
    assert "2025" in re.search(r'data-testid="year-heading">([^<]*)<', page).group(1)  # type: ignore[union-attr]


def test_the_default_year_is_this_year(as_admin, district):
    this_year = timezone.localdate().year
    page = as_admin.get("/cultivation/").content.decode()
    assert shown(page, "year") == as_text(cultivation_statistics(*year_period(this_year)))
    assert f'value="{this_year}"' in page


@pytest.mark.parametrize(("client_name", "which"), [("as_operator_a", 1), ("as_operator_b", 2)])
def test_an_operator_sees_their_enterprise_figures_only(
    request, district, enterprise_a, enterprise_b, client_name, which
):
    enterprise = (None, enterprise_a, enterprise_b)[which]
    page = request.getfixturevalue(client_name).get("/cultivation/?year=2025").content.decode()
    assert shown(page, "year") == as_text(expected(which))
    assert shown(page, "year") != as_text(expected(0))
    assert shown(page, "all") == as_text(cultivation_statistics(*ALL_YEARS, enterprise=enterprise))
    assert enterprise.name in page


@pytest.mark.parametrize("client_name", ["as_worker", "as_expert", "anonymous"])
def test_workers_experts_and_the_public_are_refused(request, district, client_name):
    response = request.getfixturevalue(client_name).get("/cultivation/?year=2025")
    assert response.status_code in {302, 404}
    assert b'data-testid="figures"' not in response.content


@pytest.mark.parametrize("bad", ["abc", "20x5", "-3", "99999", "1e3", "2025.5"])
def test_a_bad_year_falls_back_to_this_year_and_says_so(as_admin, district, bad):
    this_year = timezone.localdate().year
    response = as_admin.get("/cultivation/", {"year": bad})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="year-note"' in page
    assert shown(page, "year") == as_text(cultivation_statistics(*year_period(this_year)))


def test_a_good_year_says_nothing_more(as_admin, district):
    assert b'data-testid="year-note"' not in as_admin.get("/cultivation/?year=2024").content


def test_the_kinds_of_record_the_user_may_open_are_linked(as_leader, leader):
    from django.urls import reverse

    page = as_leader.get("/cultivation/").content.decode()
    kinds = page[page.index('data-testid="kinds"') :]
    for tab in tabs_for(leader):
        assert f'href="{reverse(tab.url_name)}"' in kinds


@pytest.mark.parametrize("client_name", ["as_admin", "as_operator_a"])
def test_the_page_costs_a_fixed_number_of_queries(request, district, client_name, django_assert_max_num_queries):
    client = request.getfixturevalue(client_name)
    client.get("/cultivation/")  # warm whatever is cached per process
    # two sets of figures (one aggregate a model each), the session, the user, the menu, an operator's enterprise
    with django_assert_max_num_queries(2 * 9 + 6):
        assert client.get("/cultivation/?year=2025").status_code == 200
