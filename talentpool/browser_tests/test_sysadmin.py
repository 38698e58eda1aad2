"""系统管理 in Chromium: the admin creates an operator, logs out; the new operator signs in with the
temporary password, is made to choose their own and lands on their enterprise. On a phone the
system pages fit the screen's width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from talentpool.browser_tests.conftest import login_as
from talentpool.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

TEMPORARY = "Temp-pass-2031"
OWN = "Own-pass-2032x"


def test_the_admin_creates_an_operator_who_signs_in_and_sees_their_enterprise(
    page: Page, live_server, login, admin_user, enterprise_a, enterprise_b
):
    login("admin", PASSWORD)
    page.get_by_role("link", name="系统管理").first.click()
    expect(page.locator("h1")).to_have_text("系统管理")
    page.locator('[data-admin-card="core.accounts"]').click()
    page.get_by_role("link", name="+ 新建账号").click()

    page.get_by_label("用户名").fill("op_browser")
    page.get_by_label("姓名").fill("沈经办")
    page.get_by_label("角色").select_option(label="企业经办人")
    # the enterprises' type-ahead picker (registry declares it: core.registry.register_picker)
    page.get_by_role("combobox", name="企业").fill(enterprise_a.name[:2])
    page.get_by_role("option", name=re.compile("^" + re.escape(enterprise_a.name))).click()
    page.locator('input[name="password1"]').fill(TEMPORARY)
    page.get_by_label("再次输入临时密码").fill(TEMPORARY)
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("账号 op_browser 已创建。")
    expect(page.get_by_test_id("account-status")).to_contain_text("临时密码")

    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()
    login("op_browser", TEMPORARY)
    expect(page).to_have_url(f"{live_server.url}/core/password/?next=%2F")
    expect(page.get_by_test_id("temporary-password")).to_be_visible()
    page.get_by_label("旧密码").fill(TEMPORARY)
    page.locator('input[name="new_password1"]').fill(OWN)
    page.get_by_label("新密码确认").fill(OWN)
    with page.expect_navigation():
        page.get_by_role("button", name="修改密码").click()
    expect(page).to_have_url(f"{live_server.url}/registry/my-enterprise/")
    expect(page.locator("body")).to_contain_text(enterprise_a.name)
    expect(page.locator("body")).not_to_contain_text(enterprise_b.name)
    expect(page.get_by_test_id("current-user")).to_contain_text("沈经办")
    expect(page.get_by_role("link", name="系统管理")).to_have_count(0)


PAGES = ["/system/", "/system/accounts/", "/system/accounts/new/", "/system/sessions/", "/system/login-log/",
         "/system/calendar/?year=2025", "/system/calendar/new/", "/system/settings/", "/core/password/"]


def test_the_system_pages_fit_a_phone(phone_page: Page, live_server, admin_user, operator_a):
    login_as(phone_page, live_server, "admin", PASSWORD)
    for path in PAGES:
        phone_page.goto(f"{live_server.url}{path}")
        expect(phone_page.locator("h1").first).to_be_visible()
        overflow = phone_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the screen"
    # the side navigation is one drop-down above the page
    phone_page.goto(f"{live_server.url}/system/accounts/")
    expect(phone_page.get_by_test_id("sysadmin-nav")).to_be_hidden()
    toggle = phone_page.get_by_test_id("sysadmin-nav-toggle")
    expect(toggle).to_have_text("系统管理：账号管理")
    toggle.click()
    with phone_page.expect_navigation():
        phone_page.get_by_role("link", name="登录日志").click()
    expect(phone_page.locator("h1")).to_contain_text("登录日志")
