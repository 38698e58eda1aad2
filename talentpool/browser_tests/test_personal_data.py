"""The birth date in Chromium: the year on the page, the full date only once the ID number is revealed."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from talentpool.conftest import PASSWORD

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
    expect(page.get_by_test_id("retirement-date")).to_have_text("2049年 (法定)")

    page.get_by_test_id("reveal-id_number").click()
    expect(page.get_by_test_id("revealed")).to_have_text(number)
    expect(page.get_by_test_id("revealed-birth")).to_contain_text("1986-11-23")
    expect(page.get_by_test_id("revealed-retirement")).to_have_text("2049-11 (法定)")
    expect(page.get_by_test_id("birth")).to_have_count(0)  # swapped, not shown twice
