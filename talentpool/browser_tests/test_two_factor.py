"""Two-factor sign-in in a real browser: an admin enrols (QR code, key, one code, recovery codes),
logs out, and signs in again with the password and a fresh code."""

from __future__ import annotations

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from talentpool.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def code(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for ``secret`` (``steps_ahead`` 30-second steps from now)."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_an_admin_enrols_then_signs_in_with_a_code(page: Page, live_server, login, settings, admin_user):
    settings.REQUIRE_2FA = True
    login("admin", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/login/two-factor-setup/")
    expect(page.locator("h1")).to_have_text("设置两步验证")
    qr = page.get_by_test_id("totp-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code image did not load"
    secret = page.get_by_test_id("totp-secret").inner_text()

    page.get_by_label("验证码").fill(code(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="确认").click()
    expect(page.locator("h1")).to_have_text("两步验证已设置完成")
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="我已记下，继续").click()
    expect(page).to_have_url(f"{live_server.url}/registry/workers/")

    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()
    login("admin", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/login/code/")
    page.goto(f"{live_server.url}/registry/workers/")  # refused until the code is given
    expect(page).to_have_url(f"{live_server.url}/login/code/?next=%2Fregistry%2Fworkers%2F")
    page.get_by_label("验证码").fill(code(secret, steps_ahead=1))  # the enrolment used this step's code
    with page.expect_navigation():
        page.get_by_role("button", name="验证").click()
    expect(page).to_have_url(f"{live_server.url}/registry/workers/")
    expect(page.get_by_test_id("current-user")).to_contain_text("admin")
