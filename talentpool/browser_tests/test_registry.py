"""The registry as a person uses it, in Debian's Chromium: an admin and an enterprise operator."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from talentpool.conftest import PASSWORD
from talentpool.registry.models import Enterprise, Worker
from talentpool.registry.tests.factories import make_id_number

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_searches_reveals_and_adds_an_enterprise(page: Page, live_server, login, admin_user, worker_a, worker_b):
    login("admin", PASSWORD)
    expect(page).to_have_url(re.compile(r"/registry/workers/$"))
    expect(page.get_by_test_id("result-count")).to_contain_text("2")

    # Search by pinyin initials: the list narrows to 慎建民.
    page.get_by_label("搜索").fill("sjm")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("link", name="慎建民")).to_be_visible()
    expect(page.get_by_role("link", name="单田芳")).to_have_count(0)

    # Search by exact ID number: it never shows up in the address bar.
    page.get_by_label("搜索").fill(worker_b.id_number)
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("link", name="单田芳")).to_be_visible()
    assert worker_b.id_number not in page.url
    # The box shows the number masked (the session keeps only its hash), and filtering again keeps it.
    expect(page.get_by_label("搜索")).to_have_value(worker_b.id_number_masked)
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("link", name="单田芳")).to_be_visible()
    expect(page.get_by_test_id("result-count")).to_contain_text("1")

    # The detail page shows the ID masked; "显示" reveals it in place (audited).
    page.get_by_role("link", name="单田芳").click()
    expect(page.get_by_text(worker_b.id_number_masked)).to_be_visible()
    page.get_by_test_id("reveal-id_number").click()
    expect(page.get_by_test_id("revealed")).to_have_text(worker_b.id_number)

    # Adding an enterprise with a mistyped credit code gets a Chinese error and loses nothing.
    page.goto(f"{live_server.url}/registry/enterprises/new/")
    page.get_by_label("企业名称").fill("湖州南浔测试电梯有限公司")
    page.get_by_label("统一社会信用代码").fill("91110000600037341N")
    page.get_by_label("行业").select_option(label="钢材")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("校验")
    expect(page.get_by_label("企业名称")).to_have_value("湖州南浔测试电梯有限公司")
    assert not Enterprise.objects.filter(name="湖州南浔测试电梯有限公司").exists()
    page.get_by_label("统一社会信用代码").fill("91110000600037341L")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_have_text("湖州南浔测试电梯有限公司")


def test_operator_registers_a_worker_and_cannot_see_another_enterprise(
    page: Page, live_server, login, operator_a, worker_a, worker_b
):
    login("operator_a", PASSWORD)
    expect(page.locator("h1")).to_have_text(worker_a.current_enterprise.name)
    page.get_by_role("link", name="+ 登记职工").click()

    page.get_by_label("姓名").fill("曾小红")
    page.get_by_label("身份证号").fill("36042619910102009X")  # wrong check character
    page.get_by_label("退休类别").select_option("woman_50")
    page.get_by_label("入职时间").fill("2015-03-01")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("校验")
    assert not Worker.objects.filter(name="曾小红").exists()

    number = make_id_number(__import__("datetime").date(1991, 1, 2), male=False)
    page.get_by_label("身份证号").fill(number.lower())
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text("曾小红")
    created = Worker.objects.get(name="曾小红")
    assert created.current_enterprise_id == operator_a.enterprise_id
    assert created.sex == "F"

    # Another enterprise's worker answers 404, as if it did not exist.
    response = page.goto(f"{live_server.url}/registry/workers/{worker_b.pk}/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")


def test_the_worker_list_works_on_a_phone(phone_page: Page, live_server, admin_user, worker_a):
    from talentpool.browser_tests.conftest import login_as

    login_as(phone_page, live_server, "admin", PASSWORD)
    toggler = phone_page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    toggler.click()
    expect(phone_page.locator("#nav").get_by_role("link", name="企业")).to_be_visible()
    expect(phone_page.get_by_role("link", name="慎建民")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1  # the table scrolls inside its container, not the whole page
    # Chinese text may break after any character: cells stay on one line and the table scrolls
    # sideways, instead of squeezing the enterprise name to a column one character wide.
    heights = phone_page.evaluate(
        "[...document.querySelectorAll('.table-container tbody tr')].map(r => r.getBoundingClientRect().height)"
    )
    line = phone_page.evaluate("parseFloat(getComputedStyle(document.querySelector('.table-container td')).lineHeight)")
    assert heights and max(heights) < 2 * line, (heights, line)
    table, container = phone_page.evaluate(
        "(() => { const t = document.querySelector('.table-container table');"
        " return [t.scrollWidth, t.parentElement.clientWidth]; })()"
    )
    assert table > container  # the long row scrolls inside its container
