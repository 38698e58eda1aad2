"""The type-ahead pickers in Chromium: an operator registers a worker picking 车工 by its initials,
by keyboard and by mouse; on a phone by tapping; an admin filters the workers by an enterprise
found by its pinyin. No script but the site's own files runs (the Content-Security-Policy)."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from talentpool.conftest import PASSWORD
from talentpool.registry.models import Occupation, Worker
from talentpool.registry.tests.factories import make_id_number

from .conftest import login_as

# the classification as migration 0011 loads it (conftest.classification)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("classification")]


def fill_worker(page: Page, name: str, born: datetime.date) -> None:
    page.get_by_label("姓名").fill(name)
    page.get_by_label("身份证号").fill(make_id_number(born, male=True))
    page.get_by_label("退休类别").select_option("man")
    page.get_by_label("入职时间").fill("2015-03-01")


def test_the_operator_picks_che_gong_by_its_initials_with_the_keyboard(page: Page, live_server, login, operator_a):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    login("operator_a", PASSWORD)
    page.goto(f"{live_server.url}/registry/workers/new/")
    fill_worker(page, "钱车工", datetime.date(1990, 4, 1))

    box = page.get_by_role("combobox", name="职业（工种）")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.fill("cg")
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options.first).to_contain_text("车工")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(r"-options-0$"))
    box.press("Enter")  # picks; does not submit the form
    expect(box).to_have_value("6-18-01-01 车工")
    expect(box).to_have_attribute("aria-expanded", "false")
    assert not Worker.objects.filter(name="钱车工").exists()

    # Escape closes a list opened again, keeping the value picked.
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("6-18-01-01 车工")

    # The enterprise box holds the operator's own enterprise already.
    expect(page.get_by_role("combobox", name="企业")).to_have_value(operator_a.enterprise.name)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text("钱车工")
    worker = Worker.objects.get(name="钱车工")
    assert worker.occupation == Occupation.objects.get(code="6-18-01-01")
    assert worker.current_enterprise_id == operator_a.enterprise_id
    assert errors == []


def test_a_mouse_pick_sends_the_record_and_typed_text_is_resolved(page: Page, live_server, login, operator_a):
    login("operator_a", PASSWORD)
    page.goto(f"{live_server.url}/registry/workers/new/")
    fill_worker(page, "孙电工", datetime.date(1988, 6, 2))
    box = page.get_by_role("combobox", name="职业（工种）")
    box.fill("weixiudiangong")  # the alias 维修电工, in pinyin
    page.get_by_role("option", name=re.compile("电工")).first.click()
    expect(box).to_have_value("6-31-01-03 电工")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text("孙电工")
    assert Worker.objects.get(name="孙电工").occupation.code == "6-31-01-03"

    # Typed and not picked: the form resolves the text, or names the closest occupations.
    page.goto(f"{live_server.url}/registry/workers/new/")
    fill_worker(page, "李车床", datetime.date(1987, 7, 3))
    box = page.get_by_role("combobox", name="职业（工种）")
    box.fill("车床工")
    box.press("Tab")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("您是否要找：车工（6-18-01-01）")
    expect(page.get_by_role("combobox", name="职业（工种）")).to_have_value("车床工")
    assert not Worker.objects.filter(name="李车床").exists()


def test_on_a_phone_the_list_fits_and_a_tap_picks(phone_page: Page, live_server, operator_a):
    page = login_as(phone_page, live_server.url, "operator_a", PASSWORD)
    page.goto(f"{live_server.url}/registry/workers/new/")
    fill_worker(page, "周焊工", datetime.date(1991, 8, 4))
    box = page.get_by_role("combobox", name="职业（工种）")
    box.tap()
    box.fill("hangong")
    option = page.get_by_role("option", name=re.compile("^焊工"))
    expect(option).to_be_visible()
    listbox = page.get_by_role("listbox").bounding_box()
    assert listbox is not None and listbox["x"] >= 0 and listbox["x"] + listbox["width"] <= 390
    row = option.bounding_box()
    assert row is not None and row["height"] >= 40  # big enough to tap
    option.tap()
    expect(box).to_have_value("6-18-02-04 焊工")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text("周焊工")
    assert Worker.objects.get(name="周焊工").occupation.code == "6-18-02-04"


def test_the_admin_filters_workers_by_an_enterprise_found_by_pinyin(page: Page, live_server, login, admin_user,
                                                                     worker_a, worker_b):
    login("admin", PASSWORD)
    page.goto(f"{live_server.url}/registry/workers/")
    expect(page.get_by_test_id("result-count")).to_contain_text("2")
    box = page.get_by_role("combobox", name="企业")
    box.fill("jiuli")
    page.get_by_role("option", name=re.compile("浙江久立特材")).click()
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("result-count")).to_contain_text("1")
    expect(page.get_by_role("link", name="慎建民")).to_be_visible()
    expect(page.get_by_role("link", name="单田芳")).to_have_count(0)
    expect(page.get_by_role("combobox", name="企业")).to_have_value("浙江久立特材科技股份有限公司")
