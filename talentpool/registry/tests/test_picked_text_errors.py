"""A typed enterprise or occupation that matches nothing is a 400 with the typed text quoted,
whatever characters it holds: a "%" in it is never read as a format placeholder (found by the
API fuzzing: django-filter formats the field's errors again, and a 500 followed)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("typed", ["100%s", "%(x)s厂", "ß:%>¤", "50% 股份"])
def test_an_unknown_enterprise_with_a_percent_sign_is_a_clear_400(as_admin, enterprise_a, typed):
    response = as_admin.get("/api/workers/", {"current_enterprise": typed})
    assert response.status_code == 400
    assert typed in response.json()["current_enterprise"][0]


def test_the_list_page_quotes_it_too(as_admin, enterprise_a):
    page = as_admin.get("/registry/workers/", {"current_enterprise": "100%s"}).content.decode()
    assert "100%s" in page and "%(message)s" not in page
