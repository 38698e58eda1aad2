"""An enterprise operator imports workers from Excel in Chromium: a bad row is named, nothing is
written; the corrected file goes in whole. On a phone: a file as offices write it (occupations by
name, a name with spaces) reads in the preview (what an update changes, certificate-number
warnings as text, no word broken one character per line), goes in, and the worker is found."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from talentpool.browser_tests.conftest import text_workbook
from talentpool.conftest import PASSWORD
from talentpool.core.crypto import lookup_hash
from talentpool.registry.models import Occupation, Worker
from talentpool.registry.tests.factories import make_id_number

pytestmark = pytest.mark.django_db(transaction=True)

HEADERS = ["姓名", "身份证号", "退休类别", "技能等级", "入职时间", "岗位"]


def _workbook(path: Path, rows: list[list[str]], headers: list[str] = HEADERS) -> Path:
    return text_workbook(path, headers, rows)


def test_operator_imports_workers_after_correcting_a_bad_row(page: Page, live_server, login, operator_a, tmp_path):
    good = make_id_number(datetime.date(1988, 4, 12), male=True)
    other = make_id_number(datetime.date(1992, 9, 30), male=False)
    broken = other[:-1] + ("0" if other[-1] != "0" else "1")  # wrong check character
    login("operator_a", PASSWORD)

    page.goto(f"{live_server.url}/core/import/")
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

    page.goto(f"{live_server.url}/core/import/")
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


# How many lines the text of an element is laid out on (the distinct line boxes of its text).
LINES = """element => {
  const range = document.createRange();
  range.selectNodeContents(element);
  return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
}"""


def _upload(page: Page, base: str, kind: str, path: Path) -> None:
    page.goto(f"{base}/core/import/")
    page.locator(f'input[name="kind"][value="{kind}"]').check()
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_role("button", name="上传并校验").click()


def _fits_the_phone(page: Page) -> None:
    """The page does not scroll sideways; the preview's table scrolls inside its container; short
    cells (an outcome, a name, a header) stay on one line."""
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    table, container = page.evaluate(
        "(() => { const t = document.querySelector('[data-testid=import-preview] table');"
        " return [t.scrollWidth, t.parentElement.clientWidth]; })()"
    )
    assert table > container
    short = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=import-preview] th,"
        " [data-testid=import-preview] td:not(.cell-note), [data-testid=row-outcome]')]"
        ".filter(c => c.innerText.trim() && c.innerText.trim().length <= 12)"
        ".map(c => [c.innerText.trim(), (" + LINES + ")(c)])"
    )
    assert short and all(lines == 1 for _, lines in short), short


def test_on_a_phone_an_office_workbook_previews_readably_imports_and_the_worker_is_found(
    phone_page: Page, live_server, operator_a, worker_a, tmp_path
):
    from talentpool.browser_tests.conftest import login_as

    page = phone_page
    # the classification's 车工 (migration 0011 loads it; a transactional test before this one flushed it)
    Occupation.objects.get_or_create(code="6-18-01-01", defaults={"name": "车工", "level": 4})
    login_as(page, live_server, "operator_a", PASSWORD)
    new = make_id_number(datetime.date(1990, 6, 15), male=True)
    headers = ["姓名", "身份证号", "退休类别", "技能等级", "职业（工种）", "入职时间", "岗位", "手机号"]
    _upload(page, live_server.url, "workers", _workbook(tmp_path / "职工.xlsx", [
        [" 李\u3000测二 ", new, "男职工", "高级工", "车工", "2018.05", "车工", ""],
        [worker_a.name, worker_a.id_number, "男职工", "高级工", "", "2010-03-01", "", "13900001111"],
    ], headers))
    preview = page.get_by_test_id("import-preview")
    expect(preview).to_be_visible()
    outcomes = preview.get_by_test_id("row-outcome")
    expect(outcomes).to_have_text(["新增", "更新"])
    change = preview.get_by_test_id("row-change")
    expect(change).to_have_text("手机号：138****5678 → 139****1111")
    assert "13900001111" not in page.content() and new not in page.content()
    _fits_the_phone(page)
    confirm = page.get_by_test_id("confirm-form")
    confirm.get_by_role("button").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("新增 1 条，更新 1 条")

    imported = Worker.objects.get(id_number_hash=lookup_hash(new))
    assert imported.name == "李测二"
    assert imported.occupation is not None and imported.occupation.name == "车工"
    page.goto(f"{live_server.url}/registry/workers/?q=李测二")
    expect(page.get_by_role("link", name="李测二")).to_be_visible()

    # A certificate whose number looks unusual: the warning is text in its row, readable on the phone.
    odd = "ZJ-2019-0042"
    _upload(page, live_server.url, "certificates", _workbook(tmp_path / "证书.xlsx", [
        [imported.id_number, "李测二", odd, "高级工", "车工", "2021-04-01"],
    ], ["身份证号", "姓名", "证书编号", "技能等级", "职业(工种)", "发证日期"]))
    warning = page.get_by_test_id("import-preview").get_by_test_id("warning-text")
    expect(warning).to_have_text(f"⚠ 证书编号“{odd}”不是常见的证书编号格式，已按原样保存，请核对")
    expect(warning).to_be_visible()
    width, lines = warning.evaluate("(el, lines) => [el.getBoundingClientRect().width, (" + LINES + ")(el)]")
    assert width >= 200 and lines <= 3, (width, lines)  # a sentence wraps, never one character a line
    expect(page.get_by_test_id("import-warnings")).to_contain_text("1 行有提醒")
    _fits_the_phone(page)
