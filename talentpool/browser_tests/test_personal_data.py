"""The birth date in Chromium: the year on the page, the full date only once the ID number is revealed."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from talentpool.browser_tests.conftest import login_as
from talentpool.conftest import PASSWORD
from talentpool.core.models import AuditAction, AuditLog

pytestmark = pytest.mark.django_db(transaction=True)


def test_revealing_the_id_number_fills_in_the_birth_date_and_retirement_month(
    page: Page, live_server, login, operator_a, worker_a
):
    from talentpool.core.crypto import lookup_hash
    from talentpool.registry.tests.factories import make_id_number
    from talentpool.rules.idnumber import mask_id_number

    number = make_id_number(datetime.date(1986, 11, 23), seq=135)
    worker_a.id_number, worker_a.id_number_hash = number, lookup_hash(number)
    worker_a.id_number_masked, worker_a.birth_date = mask_id_number(number), datetime.date(1986, 11, 23)
    worker_a.save()
    login("operator_a", PASSWORD)
    page.goto(f"{live_server.url}/registry/workers/{worker_a.pk}/")
    expect(page.get_by_test_id("birth")).to_have_text(f"1986年（今年满 {datetime.date.today().year - 1986} 周岁）")
    expect(page.get_by_test_id("retirement-date")).to_have_text("2049年（法定）")

    page.get_by_test_id("reveal-id_number").click()
    expect(page.get_by_test_id("revealed")).to_have_text(number)
    expect(page.get_by_test_id("revealed-birth")).to_contain_text("1986-11-23")
    expect(page.get_by_test_id("revealed-retirement")).to_have_text("2049-11（法定）")
    expect(page.get_by_test_id("birth")).to_have_count(0)  # swapped, not shown twice


def _birth_forms(worker) -> list[str]:  # type: ignore[no-untyped-def]
    d = worker.birth_date
    return [d.strftime("%Y%m%d"), d.isoformat(), d.strftime("%Y/%m/%d"), d.strftime("%Y.%m.%d"),
            f"{d.year}年{d.month}月{d.day}日", f"{d.year}-{d.month}-{d.day}"]


def _assert_not_rebuildable(page: Page, worker) -> None:  # type: ignore[no-untyped-def]
    text = page.content()
    assert worker.id_number not in text
    for form in _birth_forms(worker):
        assert form not in text, form


@pytest.mark.parametrize("username", ["admin", "leader", "operator_a"])
def test_each_role_sees_the_masked_number_and_the_birth_year_only(
    page: Page, live_server, username, admin_user, leader, operator_a, worker_a
):
    login_as(page, live_server.url, username, PASSWORD)
    page.goto(f"{live_server.url}/registry/workers/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=worker_a.name))
    expect(row).to_contain_text(worker_a.id_number_masked)
    expect(row).to_contain_text(str(worker_a.birth_date.year))
    _assert_not_rebuildable(page, worker_a)

    page.get_by_role("link", name=worker_a.name).click()
    expect(page.locator("h1")).to_contain_text(worker_a.name)
    expect(page.get_by_text(worker_a.id_number_masked)).to_be_visible()
    _assert_not_rebuildable(page, worker_a)


def test_a_leader_has_no_reveal(page: Page, live_server, leader, worker_a):
    login_as(page, live_server.url, "leader", PASSWORD)
    page.goto(f"{live_server.url}/registry/workers/{worker_a.pk}/")
    expect(page.get_by_text(worker_a.id_number_masked)).to_be_visible()
    expect(page.get_by_test_id("reveal-id_number")).to_have_count(0)
    assert not AuditLog.objects.filter(action=AuditAction.REVEAL).exists()


def test_the_worker_sees_their_own_record_masked_on_a_phone(phone_page: Page, live_server, worker_user, worker_a):
    login_as(phone_page, live_server.url, "worker_a", PASSWORD)
    expect(phone_page).to_have_url(re.compile(r"/registry/"))
    expect(phone_page.locator("h1")).to_contain_text(worker_a.name)
    expect(phone_page.get_by_text(worker_a.id_number_masked)).to_be_visible()
    _assert_not_rebuildable(phone_page, worker_a)
    phone_page.get_by_test_id("reveal-id_number").click()
    expect(phone_page.get_by_test_id("revealed")).to_have_text(worker_a.id_number)
    assert AuditLog.objects.filter(action=AuditAction.REVEAL, actor=worker_user).count() == 1
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
