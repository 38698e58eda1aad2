"""The screens on a phone (390×844) and a desktop (1280×800), measured in Chromium: no page scrolls
sideways, the list filters fold behind one button on the phone, short table cells stay on one or
two lines instead of one character per line, the certificate-number warning is text on the
screen, and the jobs list keeps its status column in view.

Every persona of the demo (admin, leader, operator, worker, made with the factories) opens each
page of its menu and the detail pages it may see, at both sizes."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from talentpool.browser_tests.conftest import _new_context, login_as, text_workbook
from talentpool.conftest import PASSWORD
from talentpool.core.models import Job
from talentpool.registry import services
from talentpool.registry.tests.factories import HonourFactory, make_id_number

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
ODD_NUMBER = "ZJ-2019-0042"
OPEN = re.compile(r"(^|\s)collapse\s(.*\s)?show(\s|$)|(^|\s)show\s(.*\s)?collapse(\s|$)")

# How wide the page is against the window, and on how many lines each piece of text of each short
# table cell is laid out (the distinct line boxes of each of its text nodes: a cell's own height is
# its row's, which a neighbour that wraps makes tall, and two buttons may sit one above the other):
# "one character per line" is a short word over several lines.
LINES = """cell => {
  let most = 0;
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    most = Math.max(most, tops.size);
  }
  return most;
}"""
MEASURE = """() => {
  const lines = """ + LINES + """;
  const cells = [];
  for (const cell of document.querySelectorAll("main table td, main table th")) {
    const text = cell.innerText.trim();
    if (!text || text.length > 12 || cell.offsetParent === null) continue;
    cells.push({text, lines: lines(cell)});
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth, cells};
}"""


@pytest.fixture
def screens(admin_user, leader, operator_a, worker_user, worker_a, enterprise_a, enterprise_b, worker_b):
    """The demo-like data every page shows: a worker with an employment, certificates (one with a
    number that draws a warning), an honour, an enterprise with an address, a background job."""
    enterprise_a.address = "浙江省湖州市南浔区南浔镇适园路 18 号"
    enterprise_a.save()
    services.add_certificate(worker_a, services.CertificateData(
        number=ODD_NUMBER, level=3, issued_on=datetime.date(2021, 4, 1), occupation_name="车工",
        issuer="湖州市南浔区职业技能等级认定中心"), actor=admin_user)
    services.add_certificate(worker_a, services.CertificateData(
        number="S000033050000004000001", level=2, issued_on=datetime.date(2019, 6, 1), occupation_name="维修电工",
        issuer="湖州市职业技能鉴定指导中心"), actor=admin_user)
    HonourFactory(worker=worker_a, name="湖州市技术能手", awarded_on=datetime.date(2022, 5, 1))
    Job.objects.create(kind="registry.import.validate", title="导入职工（含任职）：南浔区久立特材职工名单2026.xlsx",
                       status="succeeded", progress_done=120, progress_total=120, created_by=operator_a)
    Job.objects.create(kind="registry.import.validate", title="导入证书：证书.xlsx", status="running",
                       progress_done=3, progress_total=10, created_by=admin_user)
    return {"worker": worker_a, "enterprise": enterprise_a}


def _pages(screens) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    w, e = screens["worker"].pk, screens["enterprise"].pk
    details = [f"/registry/workers/{w}/", f"/registry/enterprises/{e}/"]
    return {
        "admin": [*details, f"/registry/workers/{w}/edit/", f"/registry/workers/{w}/certificates/new/",
                  f"/registry/enterprises/{e}/edit/", "/registry/workers/new/", "/core/audit/"],
        "leader": details,
        "operator_a": [*details, f"/registry/workers/{w}/edit/", f"/registry/workers/{w}/certificates/new/",
                       f"/registry/workers/{w}/honours/new/", f"/registry/workers/{w}/leave/",
                       "/registry/workers/new/"],
        "worker_a": ["/registry/me/", f"/registry/enterprises/{e}/"],
    }


def _menu(page: Page) -> list[str]:
    return page.eval_on_selector_all("#nav a.nav-link", "links => links.map(a => a.getAttribute('href'))")


def _links(page: Page) -> list[str]:
    """The pages ``page`` links to in its main part: one of each kind (the record numbers set
    aside), no downloads, exports or queries, nothing outside the site's own pages."""
    hrefs = page.eval_on_selector_all("main a[href^='/']", "links => links.map(a => a.getAttribute('href'))")
    return [h for h in hrefs if "?" not in h and not h.endswith(".xlsx") and not h.startswith(("/admin/", "/api/"))]


def _kind(url: str) -> str:
    return re.sub(r"/\d+/", "/N/", url)


def _check(page: Page, url: str) -> None:
    measured = page.evaluate(MEASURE)
    assert measured["scrollWidth"] <= measured["innerWidth"], (url, measured["scrollWidth"], measured["innerWidth"])
    tall = [c for c in measured["cells"] if c["lines"] > 2]
    assert not tall, (url, tall)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("username", ["admin", "leader", "operator_a", "worker_a"])
def test_every_page_of_every_role_fits_the_screen(browser: Browser, live_server, screens, username, viewport):
    context = _new_context(browser, viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    try:
        page = context.new_page()
        login_as(page, live_server.url, username, PASSWORD)
        menu = _menu(page)
        assert menu, username
        # the menu's pages, the pages they link to (one of each kind) and the detail pages
        queue, seen = list(dict.fromkeys([*menu, *_pages(screens)[username]])), set()
        while queue:
            url = queue.pop(0)
            if _kind(url) in seen:
                continue
            seen.add(_kind(url))
            response = page.goto(f"{live_server.url}{url}")
            assert response is not None and response.status == 200, (username, url)
            page.wait_for_load_state("networkidle")  # the page's own requests too (htmx, the type-ahead)
            _check(page, url)
            if url in menu:
                queue += _links(page)
        assert len(seen) >= len(set(map(_kind, menu))), seen
        page.goto("about:blank")  # no request of the site's still running when the database is reset
    finally:
        context.close()


def test_the_filters_fold_behind_one_button_on_a_phone(phone_page: Page, live_server, screens):
    page = phone_page
    login_as(page, live_server.url, "admin", PASSWORD)
    page.goto(f"{live_server.url}/registry/workers/")
    toggle, form = page.get_by_test_id("filter-toggle"), page.locator("#filters form")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_text("筛选条件")
    expect(form).to_be_hidden()
    toolbar_height = page.evaluate("document.querySelector('#results').getBoundingClientRect().top")
    assert toolbar_height < 260, toolbar_height  # the table starts near the top, not below nine filters
    toggle.click()
    expect(page.locator("#filters")).to_have_class(OPEN)  # opened, Bootstrap's transition done
    expect(form).to_be_visible()
    expect(page.get_by_label("技能等级", exact=True)).to_be_visible()
    toggle.click()
    expect(page.locator("#filters")).not_to_have_class(OPEN)
    expect(form).to_be_hidden()


def test_the_filters_are_always_shown_on_a_desktop(page: Page, live_server, screens):
    login_as(page, live_server.url, "admin", PASSWORD)
    page.goto(f"{live_server.url}/registry/certificates/")
    expect(page.get_by_test_id("filter-toggle")).to_be_hidden()
    expect(page.locator("#filters form")).to_be_visible()


def test_a_reversed_date_range_says_so_on_a_phone(phone_page: Page, live_server, screens):
    page = phone_page
    login_as(page, live_server.url, "admin", PASSWORD)
    page.goto(f"{live_server.url}/registry/certificates/?issued_on_after=2022-01-01&issued_on_before=2020-01-01")
    error = page.get_by_test_id("filter-error")
    expect(error).to_be_visible()  # the filters open when one is refused
    expect(error).to_have_text("开始日期晚于结束日期。")
    expect(page.get_by_test_id("result-count")).to_have_text("共 0 条")


def test_the_certificate_warning_is_text_on_a_phone(phone_page: Page, live_server, screens):
    page = phone_page
    login_as(page, live_server.url, "operator_a", PASSWORD)
    page.goto(f"{live_server.url}/registry/workers/{screens['worker'].pk}/")
    warning = page.get_by_test_id("certificate-warning")
    expect(warning).to_be_visible()
    expect(warning).to_have_text(f"⚠ 证书编号“{ODD_NUMBER}”不是常见的证书编号格式，已按原样保存，请核对")
    box = warning.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    # the level beside it stays on one line, not 高/级/工 down the cell
    level = page.locator("td", has_text="高级工（三级）").first
    assert level.evaluate(LINES) == 1


def test_the_certificate_list_shows_the_warning_on_a_phone(phone_page: Page, live_server, screens):
    page = phone_page
    login_as(page, live_server.url, "leader", PASSWORD)
    page.goto(f"{live_server.url}/registry/certificates/")
    expect(page.get_by_test_id("certificate-warning")).to_be_visible()


def test_the_jobs_list_keeps_its_status_column_on_a_phone(phone_page: Page, live_server, screens):
    page = phone_page
    login_as(page, live_server.url, "admin", PASSWORD)
    page.goto(f"{live_server.url}/core/jobs/")
    header = page.get_by_role("columnheader", name="状态")
    expect(header).to_be_visible()
    for element in [header, *page.get_by_test_id("job-status").all()]:
        box = element.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"], box  # in view, no scrolling
    expect(page.get_by_test_id("job-status").first).to_have_text("进行中")


def _workbook(path: Path, rows: list[list[str]]) -> Path:
    return text_workbook(path, ["姓名", "身份证号", "退休类别", "技能等级", "入职时间", "岗位"], rows)


def test_the_import_error_table_keeps_words_whole_on_a_phone(phone_page: Page, live_server, screens, tmp_path):
    page = phone_page
    good = make_id_number(datetime.date(1988, 4, 12), male=True)
    broken = good[:-1] + ("0" if good[-1] != "0" else "1")
    login_as(page, live_server.url, "operator_a", PASSWORD)
    page.goto(f"{live_server.url}/core/import/")
    page.locator('input[name="kind"][value="workers"]').check()
    page.locator('input[type="file"]').set_input_files(str(_workbook(tmp_path / "bad.xlsx", [
        ["王建国", broken, "男职工", "高级工", "2018.05", "车工"],
        ["李秀英", make_id_number(datetime.date(1992, 9, 30), male=False), "女工人（原50岁）", "特级",
         "2019年3月", "质检"],
    ])))
    page.get_by_role("button", name="上传并校验").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_be_visible()
    _check(page, "import errors")
    column = errors.locator("tbody tr").first.locator("td").nth(1)
    expect(column).to_have_text("身份证号")
    reason = errors.locator("tbody tr").first.locator("td").nth(3)
    width = reason.evaluate("td => td.getBoundingClientRect().width")
    assert width >= 15 * 16 - 1, width  # a sentence wraps at a readable width, never a character per line
