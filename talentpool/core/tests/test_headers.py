"""Security headers: a Content-Security-Policy that no page needs to relax (no inline script,
handler attribute or style), no-store on everything a signed-in user receives, HTTPS settings
from the environment, and no wildcard host."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client

from talentpool.conftest import PASSWORD, client_for
from talentpool.core.audit import record
from talentpool.core.models import AuditAction

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


URL_ATTRIBUTES = {"href", "src", "action", "formaction"}


class InlineCode(HTMLParser):
    """What a strict policy blocks: inline scripts and styles, on…= handlers, javascript: links."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            elif name == "style":
                self.problems.append(f"<{tag} style=…>")
            elif name in URL_ATTRIBUTES and (value or "").lower().strip().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "a" and names.get("href"):
            self.links.append(names["href"] or "")


def inline_code(html: str) -> InlineCode:
    parser = InlineCode()
    parser.feed(html)
    return parser


SKIP = ("/logout/", "/i18n/", "/jsi18n/", "/static/", "/media/", "/api/", "/django-admin/")


def crawl(client: Client, start: list[str], limit: int = 60) -> dict[str, object]:
    """Every page reachable by links from ``start`` (query strings dropped: sorting and paging
    render the same templates), each also as an htmx request (the fragments)."""
    seen: set[str] = set()
    queue, pages = list(start), {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        pages[url] = response
        pages[url + " (htmx)"] = client.get(url, headers={"HX-Request": "true"})
        for href in inline_code(response.content.decode()).links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIP):
                continue
            queue.append(parts.path)
    return pages


@pytest.fixture
def data(admin_user, enterprise_a, worker_a):  # type: ignore[no-untyped-def]
    from talentpool.core.jobs import start_job
    from talentpool.registry.tests.factories import CertificateFactory, HonourFactory

    CertificateFactory(worker=worker_a)
    HonourFactory(worker=worker_a)
    record(admin_user, AuditAction.EXPORT, object_repr="职工 (1)")
    job = start_job("core.import", actor=admin_user, title="导入职工",
                    params={"kind": "workers", "mode": "update", "filename": "t.xlsx"},
                    input_name="t.xlsx", input_content=b"not a workbook")
    return {"worker": worker_a, "enterprise": enterprise_a, "job": job}


@pytest.mark.parametrize("persona", ["admin_user", "leader", "operator_a", "expert", "worker_user"])
def test_every_page_a_persona_reaches_has_the_policy_and_no_inline_code(request, data, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    start = ["/", "/registry/me/", "/registry/my-enterprise/", "/core/jobs/", "/core/audit/", "/core/import/",
             f"/registry/workers/{data['worker'].pk}/", f"/registry/workers/{data['worker'].pk}/edit/",
             f"/registry/workers/{data['worker'].pk}/certificates/new/", "/registry/workers/new/",
             f"/registry/enterprises/{data['enterprise'].pk}/edit/", "/registry/enterprises/new/",
             f"/core/jobs/{data['job'].pk}/", f"/core/import/{data['job'].pk}/"]
    pages = crawl(client, start)
    assert len(pages) >= 4, sorted(pages)  # the start page and the jobs at least, with their fragments
    problems = {}
    for url, response in pages.items():
        found = inline_code(response.content.decode()).problems  # type: ignore[attr-defined]
        if found:
            problems[url] = found
        assert policy(response) == POLICY, url
        assert "no-store" in response["Cache-Control"], url  # type: ignore[index]
    assert problems == {}


def test_the_admin_reaches_the_worker_detail_with_its_delete_forms(as_admin, data):
    body = as_admin.get(f"/registry/workers/{data['worker'].pk}/").content.decode()
    assert body.count('data-confirm="确定删除这张证书？"') == 1 and body.count('data-confirm="确定删除这项荣誉？"') == 1
    assert "onsubmit" not in body


def test_the_login_and_two_factor_pages_have_the_policy_and_no_inline_code(admin_user, settings):
    settings.REQUIRE_2FA = True
    client = Client()
    login = client.get("/login/")
    assert login.status_code == 200 and policy(login) == POLICY
    assert inline_code(login.content.decode()).problems == []
    response = client.post("/login/", {"username": "admin", "password": PASSWORD}, follow=True)
    assert response.status_code == 200 and response.redirect_chain, response.content.decode()[:500]
    assert "data:image/svg+xml" in response.content.decode()  # the QR code, allowed by img-src data:
    assert policy(response) == POLICY
    assert inline_code(response.content.decode()).problems == []


def test_the_django_admin_has_the_policy_and_no_inline_code(admin_user, data):
    admin_user.is_superuser = True
    admin_user.save()
    as_admin = client_for(admin_user)
    index = as_admin.get("/django-admin/")
    assert index.status_code == 200
    links = inline_code(index.content.decode()).links
    lists = [h for h in links if h.startswith("/django-admin/") and h.count("/") == 4]  # /django-admin/app/model/
    assert lists, "the admin index links no model"
    add_pages = [h + "add/" for h in lists if "/registry/" in h][:2]
    for url in ["/django-admin/", *lists, *add_pages]:
        response = as_admin.get(url)
        assert response.status_code == 200, url
        assert policy(response) == POLICY
        assert inline_code(response.content.decode()).problems == [], url
    assert add_pages


def test_the_error_pages_have_no_inline_style(as_admin):
    from django.template.loader import get_template

    for name in ("404.html", "500.html"):
        assert inline_code(get_template(name).render({})).problems == [], name


def test_site_js_carries_what_the_inline_handlers_did():
    js = (ROOT / "talentpool" / "static" / "talentpool" / "site.js").read_text()
    assert "[data-autosubmit]" in js and "form[data-confirm]" in js and "a[data-history-back]" in js


# The API docs: their own, relaxed policy, on their two URLs only --------------------------


def test_the_swagger_page_loads_its_start_script_as_a_file(as_admin):
    page = as_admin.get("/api/docs/")
    assert page.status_code == 200
    assert inline_code(page.content.decode()).problems == ["<style> element"]  # drf-spectacular's
    assert policy(page) == {**POLICY, "style-src": "'self' 'unsafe-inline'", "worker-src": "'self' blob:"}
    script = as_admin.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


def test_the_redoc_page_runs_no_inline_script(as_admin):
    page = as_admin.get("/api/redoc/")
    assert page.status_code == 200
    assert "inline <script>" not in inline_code(page.content.decode()).problems
    assert policy(page) == {**POLICY, "style-src": "'self' 'unsafe-inline'", "worker-src": "'self' blob:"}


def test_other_pages_do_not_get_the_docs_policy(as_admin):
    for url in ("/", "/api/workers/", "/api/schema/"):
        assert policy(as_admin.get(url)) == POLICY, url


# Cache-Control ----------------------------------------------------------------------------


def no_store(response) -> bool:  # type: ignore[no-untyped-def]
    return "no-store" in response.get("Cache-Control", "")


def test_everything_a_signed_in_user_receives_is_not_stored(as_admin, data):
    worker = data["worker"]
    responses = {
        "page": as_admin.get("/registry/workers/"),
        "fragment": as_admin.get("/registry/workers/", headers={"HX-Request": "true"}),
        "export": as_admin.get("/registry/workers/?export=xlsx"),
        "api": as_admin.get("/api/workers/"),
        "api detail": as_admin.get(f"/api/workers/{worker.pk}/"),
        "revealed": as_admin.post(f"/registry/workers/{worker.pk}/reveal/phone/"),
        "not found": as_admin.get("/registry/workers/999999/"),
    }
    assert {name: r.status_code for name, r in responses.items()} == {
        "page": 200, "fragment": 200, "export": 200, "api": 200, "api detail": 200, "revealed": 200, "not found": 404}
    assert {name: no_store(r) for name, r in responses.items()} == dict.fromkeys(responses, True)
    assert "private" in responses["export"]["Cache-Control"]


def test_static_files_and_anonymous_answers_keep_their_caching(as_admin):
    static = as_admin.get("/static/talentpool/site.css")
    assert static.status_code == 200 and not no_store(static)
    anonymous = Client().get("/registry/workers/")
    assert anonymous.status_code == 302 and not no_store(anonymous)


# HTTPS and hosts from the environment -----------------------------------------------------


def settings_under(env: dict[str, str]) -> dict[str, object]:
    """The settings a fresh process computes from ``env`` (settings.py reads it once, at import)."""
    names = ["ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
             "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "AUDIT_RETENTION_DAYS"]
    code = ("import json, django; from django.conf import settings; django.setup(); "
            f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TALENTPOOL_")}
    out = subprocess.run([sys.executable, "-c", code], env={**clean, "DJANGO_SETTINGS_MODULE": "talentpool.settings",
                         "TALENTPOOL_VAR_DIR": os.environ.get("TALENTPOOL_VAR_DIR", str(ROOT / "var")), **env},
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_defaults_serve_the_demo_on_this_machine_only():
    assert settings_under({}) == {
        "ALLOWED_HOSTS": ["localhost", "127.0.0.1", "[::1]"], "SECURE_SSL_REDIRECT": False, "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False, "SECURE_HSTS_PRELOAD": False, "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False, "AUDIT_RETENTION_DAYS": 180}


def test_https_settings_come_from_the_environment():
    assert settings_under({
        "TALENTPOOL_ALLOWED_HOSTS": "rencai.example.gov.cn", "TALENTPOOL_SSL_REDIRECT": "1",
        "TALENTPOOL_HSTS_SECONDS": "31536000", "TALENTPOOL_HSTS_INCLUDE_SUBDOMAINS": "1",
        "TALENTPOOL_HSTS_PRELOAD": "1", "TALENTPOOL_SECURE_COOKIES": "1", "TALENTPOOL_AUDIT_RETENTION_DAYS": "365",
    }) == {
        "ALLOWED_HOSTS": ["rencai.example.gov.cn"], "SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": True, "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True, "AUDIT_RETENTION_DAYS": 365}


def test_hsts_and_the_https_redirect_are_sent_when_switched_on(as_admin, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    client = Client()
    plain = client.get("/login/")
    assert (plain.status_code, plain["Location"]) == (301, "https://testserver/login/")
    secure = client.get("/login/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_no_host_but_the_named_ones_is_served(settings):
    assert "*" not in django_settings.ALLOWED_HOSTS
    assert Client().get("/login/", HTTP_HOST="evil.example").status_code == 400
