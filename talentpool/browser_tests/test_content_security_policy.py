"""Under the strict Content-Security-Policy, in Chromium: no page trips it, and what the inline
handlers did still works from site.js (the language switch, the delete confirmation, Cancel);
the API docs render under their own policy."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from talentpool.conftest import PASSWORD
from talentpool.registry.models import Certificate
from talentpool.registry.tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db(transaction=True)


def watch_violations(page: Page) -> list[str]:
    """Every policy violation the browser reports (console errors and securitypolicyviolation)."""
    violations: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return violations


def test_pages_work_under_the_policy(page: Page, live_server, login, admin_user, worker_a):
    CertificateFactory(worker=worker_a, number="ZS-2024-0001")
    violations = watch_violations(page)
    login("admin", PASSWORD)
    for path in ["/registry/workers/", f"/registry/workers/{worker_a.pk}/", "/registry/enterprises/",
                 "/registry/workers/new/", "/core/import/", "/core/jobs/", "/core/audit/"]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1").first).to_be_visible()
    assert violations == []

    # The delete form asks first: dismissed, nothing is deleted; accepted, the certificate goes.
    page.goto(f"{live_server.url}/registry/workers/{worker_a.pk}/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("form[data-confirm] button").first.click()
    page.wait_for_timeout(300)
    assert Certificate.objects.filter(number="ZS-2024-0001").exists()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("form[data-confirm] button").first.click()
    assert not Certificate.objects.filter(number="ZS-2024-0001").exists()

    # Cancel on a new-record form goes back to the page before.
    page.goto(f"{live_server.url}/registry/enterprises/")
    page.goto(f"{live_server.url}/registry/enterprises/new/")
    page.get_by_role("link", name="取消").click()
    expect(page).to_have_url(re.compile(r"/registry/enterprises/$"))
    page.wait_for_load_state("load")  # site.js binds the language switch once the page has loaded

    # Choosing a language submits the switch.
    with page.expect_navigation():
        page.get_by_label("语言").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert violations == []


def test_the_api_docs_render_under_their_policy(page: Page, live_server, login, admin_user):
    violations = watch_violations(page)
    login("admin", PASSWORD)
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    page.goto(f"{live_server.url}/api/redoc/")
    expect(page.locator(".redoc-wrap")).to_be_attached(timeout=30_000)  # Redoc is slow to lay out
    # Redoc links Google's fonts and its logo on cdn.redoc.ly, which the policy (like the offline
    # network) refuses; nothing of the site's own, no inline code.
    external = re.compile(r"https://(fonts\.googleapis\.com|cdn\.redoc\.ly)/")
    assert [v for v in violations if not external.search(v)] == []
