"""Error pages: the 404 page uses the site's layout and carries no personal data."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_404_renders_with_the_base_template(as_operator_a, worker_b, settings):
    assert settings.DEBUG is False
    response = as_operator_a.get(f"/registry/workers/{worker_b.pk}/")
    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    for secret in (worker_b.name, worker_b.id_number, worker_b.id_number_masked, worker_b.phone, "湖州南浔善琏湖笔厂"):
        assert secret not in body


def test_an_unknown_url_is_a_404_page_for_anonymous_visitors_after_login(anonymous, admin_user):
    from talentpool.conftest import PASSWORD

    anonymous.post("/login/", {"username": "admin", "password": PASSWORD})
    response = anonymous.get("/no/such/page/")
    assert response.status_code == 404
    assert response.templates[0].name == "404.html"


def test_the_500_page_is_standalone_chinese(client):
    from django.template.loader import get_template

    html = get_template("500.html").render({})
    assert '<html lang="zh-hans">' in html and "系统出现错误" in html
    assert "{%" not in html


def test_the_deploy_check_names_the_demo_secrets(settings):
    from django.core.checks import run_checks

    settings.ENCRYPTION_KEY_IS_DERIVED = True
    ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert {"talentpool.W001", "talentpool.W002"} <= ids
    settings.SECRET_KEY = "x" * 60
    settings.ENCRYPTION_KEY_IS_DERIVED = False
    ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert not {"talentpool.W001", "talentpool.W002"} & ids
