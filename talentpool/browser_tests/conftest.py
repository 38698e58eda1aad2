"""Playwright fixtures for the browser tests.

Every test in this folder is marked ``browser`` automatically; ``scripts/test`` runs them on their
own (``pytest -m browser``) after the SQLite and PostgreSQL suites.

The browser is Debian's Chromium (``/usr/bin/chromium``, apt package ``chromium``, installed by
``scripts/install --dev``): never a browser downloaded by ``playwright install``. Requests to any
host other than the live server are aborted, so a page that needs a CDN fails here as it would on
an offline deployment.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

# Playwright's sync API runs an asyncio event loop in the test thread, which makes Django refuse
# ORM calls there (SynchronousOnlyOperation). Set before any fixture touches the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    sync_playwright,
)

CHROMIUM = os.environ.get("TALENTPOOL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
DEFAULT_TIMEOUT_MS = 10_000
HERE = Path(__file__).resolve().parent
# Anything that is not the live server (127.0.0.1 / localhost) is blocked.
EXTERNAL_URL = re.compile(r"^(?!https?://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?(?:/|$))")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under talentpool/browser_tests with ``browser``.

    tryfirst: must run before pytest's own ``-m`` deselection.
    """
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run scripts/install --dev (apt package chromium)")
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def _new_context(browser: Browser, **options) -> BrowserContext:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.route(EXTERNAL_URL, lambda route: route.abort())
    return context


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = _new_context(browser, viewport={"width": 1280, "height": 800})
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    """A phone-sized page (390×844, touch, mobile viewport)."""
    context = _new_context(
        browser,
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    yield context.new_page()
    context.close()


def login_as(page: Page, live_server_url: object, username: str, password: str) -> Page:
    """Log in through the real login form and wait for the page after it.

    ``live_server_url`` may be pytest-django's ``live_server`` fixture or its ``.url``.
    """
    base = str(getattr(live_server_url, "url", live_server_url)).rstrip("/")
    page.goto(f"{base}/login/")
    form = page.locator("form", has=page.locator('input[name="password"]')).first
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        form.locator('[type="submit"]').first.click()
    return page


@pytest.fixture
def login(page: Page, live_server) -> Callable[[str, str], Page]:
    """``login(username, password)`` logs ``page`` in on the live server."""

    def _login(username: str, password: str) -> Page:
        return login_as(page, live_server.url, username, password)

    return _login


@pytest.fixture
def classification(transactional_db: None) -> None:
    """The reference data the migrations load (industries, the occupational classification and
    its aliases), loaded again by the migrations' own functions: a transactional test before
    this one flushed the tables. (serialized_rollback cannot do it here: restoring the snapshot
    collides with the content types the flush's post_migrate recreated.)"""
    from importlib import import_module

    from django.apps import apps

    for migration, function in (("0002_reference_data", "seed"), ("0011_occupation_detail", "load_occupations")):
        getattr(import_module(f"talentpool.registry.migrations.{migration}"), function)(apps, None)


def text_workbook(path: Path, headers: list[str], rows: list[list[str]]) -> Path:
    """A workbook as offices write it: one sheet 职工, every cell text (so ID numbers keep their digits)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("职工")
    text = book.add_format({"num_format": "@"})
    for c, header in enumerate(headers):
        sheet.write_string(0, c, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value, text)
    book.close()
    return path
