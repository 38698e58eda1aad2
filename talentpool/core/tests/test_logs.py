"""No log line — access, error, 404 or 500 — carries an ID number or a mobile number.

The files written here are read back: Django's logging as settings.LOGGING sets it up, the
development server's request lines, gunicorn's logger class (called directly, and in a real
gunicorn process on a free port)."""

from __future__ import annotations

import copy
import datetime
import logging
import logging.config
import os
import socket
import subprocess
import sys
import time
import types
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.servers.basehttp import WSGIRequestHandler
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils.log import configure_logging

from talentpool.conftest import client_for
from talentpool.core.logging import RedactPersonalNumbers
from talentpool.rules.idnumber import compute_check_char

ID = "33050319850101123" + compute_check_char("33050319850101123")
PHONE = "13912345678"
MASKED_ID = ID[:6] + "********" + ID[-4:]
MASKED_PHONE = "139****5678"
ROOT = Path(__file__).resolve().parents[3]


def boom(request: HttpRequest, number: str = "") -> HttpResponse:
    raise ValueError(f"could not process {number or request.POST.get('number')} for {PHONE}")


urlpatterns = [
    path("boom/", boom),
    path("boom/<str:number>/", boom),
    path("", include("talentpool.urls")),
]


def _assert_clean(text: str) -> None:
    digits = ID.rstrip("X")
    for secret in (ID, PHONE, *(digits[i : i + 8] for i in range(len(digits) - 7)), PHONE[3:]):
        assert secret not in text, (secret, text)


@pytest.fixture
def log_file(tmp_path: Path):  # type: ignore[no-untyped-def]
    """settings.LOGGING as it is, each handler writing to a file instead of the console."""
    target = tmp_path / "django.log"
    config = copy.deepcopy(django_settings.LOGGING)
    for handler in config["handlers"].values():
        handler.pop("stream", None)
        handler.update({"class": "logging.FileHandler", "filename": str(target), "encoding": "utf-8"})
    logging.config.dictConfig(config)
    yield target
    configure_logging(django_settings.LOGGING_CONFIG, django_settings.LOGGING)


def _read(target: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return target.read_text(encoding="utf-8")


def test_every_handler_in_the_settings_and_in_use_masks_personal_numbers():
    handlers = django_settings.LOGGING["handlers"]
    filters = django_settings.LOGGING["filters"]
    assert handlers and all(
        any(filters[name]["()"] == "talentpool.core.logging.RedactPersonalNumbers" for name in h.get("filters", []))
        for h in handlers.values()
    )
    loggers = [
        logging.getLogger(),
        *(v for v in logging.Logger.manager.loggerDict.values() if isinstance(v, logging.Logger)),
    ]
    in_use = [
        h
        for lg in loggers
        for h in lg.handlers
        if not type(h).__module__.startswith("_pytest") and not isinstance(h, logging.NullHandler)
    ]
    assert in_use  # the root's console at least
    for handler in in_use:
        assert any(isinstance(f, RedactPersonalNumbers) for f in handler.filters), handler
    # Django's own handlers (runserver's lines, mail to admins) would bypass the filter: gone
    assert logging.getLogger("django").handlers == [] and logging.getLogger("django.server").handlers == []


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_refused_urls_404s_and_500s_leave_no_number_in_the_log_file(as_admin, admin_user, log_file, settings):
    as_admin.raise_request_exception = False
    assert as_admin.get(f"/registry/workers/?q={ID}").status_code == 400
    assert as_admin.get(f"/registry/workers/{ID}/").status_code == 400
    assert as_admin.get(f"/{PHONE}/").status_code == 400
    assert as_admin.post("/boom/", {"number": ID}).status_code == 500  # the number in the exception
    text = _read(log_file)
    assert f"Bad Request: /registry/workers/{MASKED_ID}/" in text
    assert f"Bad Request: /{MASKED_PHONE}/" in text
    assert "Internal Server Error: /boom/" in text
    assert f"ValueError: could not process {MASKED_ID} for {MASKED_PHONE}" in text  # the traceback's last line
    _assert_clean(text)

    # Even without the refusal (a URL answered 404 or 500), the log masks the path.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("PersonalNumberInUrlMiddleware")]
    as_admin = client_for(admin_user)  # a client loads the middleware once
    as_admin.raise_request_exception = False
    assert as_admin.get(f"/registry/workers/{ID}/").status_code == 404
    assert as_admin.get(f"/{PHONE}/").status_code == 404
    assert as_admin.get(f"/boom/{ID}/").status_code == 500
    text = _read(log_file)
    assert f"Not Found: /registry/workers/{MASKED_ID}/" in text
    assert f"Not Found: /{MASKED_PHONE}/" in text
    assert f"Internal Server Error: /boom/{MASKED_ID}/" in text
    _assert_clean(text)


def test_the_development_servers_request_lines_are_masked(log_file):
    handler = types.SimpleNamespace(request=None, log_date_time_string=lambda: "02/Dec/2026 10:00:00")
    WSGIRequestHandler.log_message(handler, '"%s" %s %s', f"GET /registry/workers/?q={ID} HTTP/1.1", "400", "1234")
    WSGIRequestHandler.log_message(
        handler, '"%s" %s %s', f"GET /x/?phone={PHONE[:3]}%20{PHONE[3:]} HTTP/1.1", "200", "9"
    )
    text = _read(log_file)
    assert f'"GET /registry/workers/?q={MASKED_ID} HTTP/1.1" 400 1234' in text
    assert f'"GET /x/?phone={MASKED_PHONE} HTTP/1.1" 200 9' in text
    _assert_clean(text)


def test_the_gunicorn_logger_masks_the_access_and_error_logs(tmp_path):
    from gunicorn.config import Config

    from talentpool.core.logging import RedactingGunicornLogger

    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    cfg = Config()
    cfg.set("accesslog", str(access))
    cfg.set("errorlog", str(errors))
    cfg.set("access_log_format", '%(h)s "%(r)s" %(s)s "%(f)s" %(U)s %(q)s %({x-search}i)s %({referer}i)s')
    logger = RedactingGunicornLogger(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/registry/workers/?q={ID}&page=2",
        "PATH_INFO": f"/registry/workers/{PHONE}/",
        "QUERY_STRING": f"q={ID[:6]}+{ID[6:]}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"http://localhost/registry/workers/?q={PHONE}",
    }
    request = types.SimpleNamespace(headers=[("X-SEARCH", ID), ("REFERER", environ["HTTP_REFERER"])])
    response = types.SimpleNamespace(status="400 Bad Request", sent=321, headers=[])
    logger.access(response, request, environ, datetime.timedelta(microseconds=1500))
    logger.error("worker failed on %s", ID)
    for handler in (*logger.access_log.handlers, *logger.error_log.handlers):
        handler.flush()
    line = access.read_text(encoding="utf-8")
    assert line == (
        f'127.0.0.1 "GET /registry/workers/?q={MASKED_ID}&page=2 HTTP/1.1" 400 '
        f'"http://localhost/registry/workers/?q={MASKED_PHONE}" /registry/workers/{MASKED_PHONE}/ q={MASKED_ID} '
        f"{MASKED_ID} http://localhost/registry/workers/?q={MASKED_PHONE}\n"
    )
    error = errors.read_text(encoding="utf-8")
    assert f"worker failed on {MASKED_ID}" in error
    _assert_clean(line + error)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, timeout: float = 5) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        return int(refused.code)


STUB_APP = """
def app(environ, start_response):
    start_response("400 Bad Request", [("Content-Type", "text/plain")])
    return [b"refused"]
"""


def test_a_real_gunicorn_access_log_has_no_number(tmp_path):
    # A stub WSGI app: the point is gunicorn's own access log, and the stub boots in a second
    # where Django's start-up takes many on a busy machine (the Django side is tested above).
    (tmp_path / "stub_app.py").write_text(STUB_APP, encoding="utf-8")
    port = _free_port()
    access = tmp_path / "access.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)])}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "stub_app:app",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--no-control-socket",
            "--logger-class",
            "talentpool.core.logging.RedactingGunicornLogger",
            "--access-logfile",
            str(access),
            "--error-logfile",
            str(tmp_path / "error.log"),
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status = _get(f"http://127.0.0.1:{port}/registry/workers/?q={ID}", timeout=30)
                break
            except (ConnectionError, urllib.error.URLError):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        assert status == 400
        assert _get(f"http://127.0.0.1:{port}/{ID}/") == 400
        assert _get(f"http://127.0.0.1:{port}/registry/workers/?q={PHONE[:3]}%20{PHONE[3:7]}%20{PHONE[7:]}") == 400
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    text = access.read_text(encoding="utf-8")
    assert f'"GET /registry/workers/?q={MASKED_ID} HTTP/1.1" 400' in text
    assert f'"GET /{MASKED_ID}/ HTTP/1.1" 400' in text
    assert f'"GET /registry/workers/?q={MASKED_PHONE} HTTP/1.1" 400' in text
    _assert_clean(text + (tmp_path / "error.log").read_text(encoding="utf-8"))
