"""An enterprise operator imports workers from Excel in Chromium: a bad row is named, nothing is
written; the corrected file goes in whole."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import xlsxwriter
from playwright.sync_api import Page, expect

from talentpool.conftest import PASSWORD
from talentpool.registry.models import Worker
from talentpool.registry.tests.factories import make_id_number

pytestmark = pytest.mark.django_db(transaction=True)

HEADERS = ["姓名", "身份证号", "退休类别", "技能等级", "入职时间", "岗位"]


def _workbook(path: Path, rows: list[list[str]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("职工")
    text = book.add_format({"num_format": "@"})
    for c, header in enumerate(HEADERS):
        sheet.write_string(0, c, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value, text)
    book.close()
    return path


def test_operator_imports_workers_after_correcting_a_bad_row(page: Page, live_server, login, operator_a, tmp_path):
    good = make_id_number(datetime.date(1988, 4, 12), male=True)
    other = make_id_number(datetime.date(1992, 9, 30), male=False)
    broken = other[:-1] + ("0" if other[-1] != "0" else "1")  # wrong check character
    login("operator_a", PASSWORD)

    page.goto(f"{live_server.url}/registry/import/")
    page.locator('input[name="kind"][value="workers"]').check()
    page.locator('input[type="file"]').set_input_files(str(_workbook(tmp_path / "bad.xlsx", [
        ["王建国", good, "男职工", "高级工", "2018.05", "车工"],
        ["李秀英", broken, "女职工（50岁）", "中级工", "2019年3月", "质检"],
    ])))
    page.get_by_role("button", name="上传并校验").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_be_visible()
    row = errors.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text("3")
    expect(row.locator("td").nth(1)).to_have_text("身份证号")
    expect(row.locator("td").nth(3)).to_contain_text("校验")
    expect(page.get_by_test_id("confirm-form")).to_have_count(0)
    assert broken not in page.content()  # error messages show ID numbers masked
    assert Worker.objects.filter(name__in=["王建国", "李秀英"]).count() == 0

    page.goto(f"{live_server.url}/registry/import/")
    page.locator('input[name="kind"][value="workers"]').check()
    page.locator('input[type="file"]').set_input_files(str(_workbook(tmp_path / "good.xlsx", [
        ["王建国", good, "男职工", "高级工", "2018.05", "车工"],
        ["李秀英", other, "女职工（50岁）", "中级工", "2019年3月", "质检"],
    ])))
    page.get_by_role("button", name="上传并校验").click()
    confirm = page.get_by_test_id("confirm-form")
    expect(confirm).to_be_visible()
    confirm.get_by_role("button").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("新增 2 条")

    imported = {w.name: w for w in Worker.objects.filter(name__in=["王建国", "李秀英"])}
    assert set(imported) == {"王建国", "李秀英"}
    assert {w.current_enterprise_id for w in imported.values()} == {operator_a.enterprise_id}
    assert imported["李秀英"].sex == "F" and imported["李秀英"].retirement_category == "woman_50"
    assert imported["王建国"].employments.get().start_date == datetime.date(2018, 5, 1)
