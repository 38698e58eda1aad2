"""An ID number or phone searched for never lands in a URL, a session or a search box in clear,
and a URL carrying one is refused (core.middleware.PersonalNumberInUrlMiddleware)."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection

from talentpool.registry.models import Worker
from talentpool.registry.search import SESSION_KEY
from talentpool.rules.uscc import compute_uscc_check

from .factories import CertificateFactory, EnterpriseFactory, WorkerFactory

pytestmark = pytest.mark.django_db

REFUSAL = "请勿在网址中填写身份证号或手机号，请使用页面上的搜索框。"


def _session_texts(client) -> list[str]:  # type: ignore[no-untyped-def]
    """The session as the store decodes it, and as its raw row decodes."""
    key = client.cookies["sessionid"].value
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_data FROM django_session WHERE session_key = %s", [key])
        (raw,) = cursor.fetchone()
    return [
        json.dumps(SessionStore(session_key=key).load(), ensure_ascii=False),
        json.dumps(Session.objects.get(session_key=key).get_decoded(), ensure_ascii=False),
        json.dumps(SessionStore().decode(raw), ensure_ascii=False),
        raw,
    ]


def _eight_digit_runs(number: str) -> list[str]:
    digits = number.rstrip("X")
    return [digits[i : i + 8] for i in range(len(digits) - 7)]


def _search_box(body: str, name: str = "q") -> str | None:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
    assert tag, body
    value = re.search(r'value="([^"]*)"', tag.group())
    return html.unescape(value.group(1)) if value else None


def test_an_id_number_search_keeps_nothing_recoverable_in_the_session(as_admin, worker_a, worker_b):
    location = as_admin.post("/registry/workers/", {"q": worker_b.id_number.lower()}).url
    response = as_admin.get(location)
    assert [w.name for w in response.context["object_list"]] == ["单田芳"]
    for text in _session_texts(as_admin):
        assert worker_b.id_number not in text and worker_b.id_number.lower() not in text
        assert not [run for run in _eight_digit_runs(worker_b.id_number) if run in text], text
    entries = list(SessionStore(session_key=as_admin.cookies["sessionid"].value).load()[SESSION_KEY].values())
    assert entries == [{"hash": worker_b.id_number_hash, "shown": worker_b.id_number_masked}]


def test_the_search_box_shows_the_masked_number_never_the_token(as_admin, worker_b):
    location = as_admin.post("/registry/workers/", {"q": worker_b.id_number}).url
    token = location.split("q=")[1]
    assert token.startswith("%40") or token.startswith("@")
    body = as_admin.get(location).content.decode()
    assert (
        _search_box(body) == worker_b.id_number_masked == worker_b.id_number[:6] + "********" + worker_b.id_number[-4:]
    )
    assert "@" + token.removeprefix("%40") not in body.replace('href="?', "")  # only in links, never shown
    assert worker_b.id_number not in body


def test_the_masked_number_posted_again_keeps_the_same_search(as_admin, worker_a, worker_b):
    first = as_admin.post("/registry/workers/", {"q": worker_b.id_number}).url
    again = as_admin.post(first, {"q": worker_b.id_number_masked, "sex": "F"}).url
    assert again.split("q=")[1].split("&")[0] == first.split("q=")[1]
    assert [w.name for w in as_admin.get(again).context["object_list"]] == ["单田芳"]
    stored = SessionStore(session_key=as_admin.cookies["sessionid"].value).load()[SESSION_KEY]
    assert len(stored) == 1


def test_an_invalid_long_number_is_kept_as_a_hash_only_and_shown_masked(as_admin, worker_b):
    wrong = worker_b.id_number[:17] + ("0" if worker_b.id_number[17] != "0" else "1")  # wrong check digit
    location = as_admin.post("/registry/workers/", {"q": wrong}).url
    assert wrong not in location
    response = as_admin.get(location)
    assert list(response.context["object_list"]) == []
    assert _search_box(response.content.decode()) == wrong[:6] + "********" + wrong[-4:]
    for text in _session_texts(as_admin):
        assert not [run for run in _eight_digit_runs(wrong) if run in text], text


def test_a_phone_in_the_search_box_stays_out_of_the_url_and_session(as_admin, worker_b):
    location = as_admin.post("/registry/workers/", {"q": "13812345678"}).url
    assert "13812345678" not in location and "@" in location.replace("%40", "@")
    response = as_admin.get(location)
    assert response.status_code == 200
    assert _search_box(response.content.decode()) == "138****5678"
    for text in _session_texts(as_admin):
        assert "13812345678" not in text and "12345678" not in text


def test_searches_stored_in_clear_by_the_earlier_code_are_dropped(as_admin, worker_b):
    session = as_admin.session
    session[SESSION_KEY] = {"93fb000000": worker_b.id_number}
    session.save()
    response = as_admin.get("/registry/workers/?q=@93fb000000")
    assert list(response.context["object_list"]) == []
    for text in _session_texts(as_admin):
        assert worker_b.id_number not in text


def test_the_export_link_after_an_id_number_search_exports_that_worker(as_admin, worker_a, worker_b):
    from .test_exports import _rows

    location = as_admin.post("/registry/workers/", {"q": worker_b.id_number}).url
    export_url = as_admin.get(location).context["export_url"]
    assert worker_b.id_number not in export_url
    rows = _rows(as_admin.get("/registry/workers/" + export_url))
    assert [r[0] for r in rows[1:]] == ["单田芳"]


def test_certificate_and_honour_lists_find_a_worker_by_id_number_without_it_in_the_url(as_admin, world, worker_b):
    for path, expected in (
        ("/registry/certificates/", ["S000033050000003000002"]),
        ("/registry/honours/", ["湖州工匠"]),
    ):
        location = as_admin.post(path, {"q": worker_b.id_number}).url
        assert worker_b.id_number not in location
        rows = as_admin.get(location).context["object_list"]
        assert [getattr(r, "number", None) or r.name for r in rows] == expected


# URLs carrying a personal number are refused -----------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/registry/workers/?q={id}",
        "/registry/workers/?q={id_lower}",
        "/registry/workers/?export=xlsx&q={id}",
        "/registry/certificates/?q={id}",
        "/registry/certificates/?export=xlsx&q={id}",
        "/registry/honours/?q={id}",
        "/registry/workers/?q=13812345678",
        "/registry/workers/?q=138-1234-5678",
        "/registry/workers/?q={id_grouped}",
        "/registry/workers/?sex=F&q={id}",
        "/registry/certificates/?number={id}",
        "/registry/workers/{id}/",
        "/{id}/",
        "/registry/workers/?q=%E5%BC%A0{id}",
    ],
)
def test_a_url_with_an_id_number_or_phone_is_refused_without_repeating_it(as_admin, worker_b, url):
    number = worker_b.id_number
    grouped = f"{number[:6]}+{number[6:14]}+{number[14:]}"
    response = as_admin.get(url.format(id=number, id_lower=number.lower(), id_grouped=grouped))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert response["Referrer-Policy"] == "no-referrer" and response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert REFUSAL in body
    assert '<html lang="zh-hans">' in body
    for secret in (number, "13812345678", number[:6] + "********" + number[-4:], "138****5678"):
        assert secret not in body
    assert not [run for run in _eight_digit_runs(number) if run in body]


def test_the_refusal_links_to_the_same_list_without_its_query(as_admin, worker_b):
    body = as_admin.get(f"/registry/workers/?q={worker_b.id_number}&page=2").content.decode()
    assert (
        '<a class="btn btn-primary" data-testid="clean-url" href="/registry/workers/">打开本页（不带网址参数）</a>'
        in body
    )
    body = as_admin.get(f"/registry/workers/{worker_b.id_number}/").content.decode()
    assert 'data-testid="clean-url"' not in body  # the path itself holds the number: no link to it


def test_an_anonymous_visitor_is_refused_not_sent_to_the_login_with_the_number(anonymous, worker_b):
    response = anonymous.get(f"/registry/workers/?q={worker_b.id_number}")
    assert response.status_code == 400
    assert "Location" not in response


def test_a_post_to_a_url_with_a_number_is_refused_and_changes_nothing(as_admin, worker_b):
    response = as_admin.post(f"/registry/workers/?q={worker_b.id_number}", {"q": "sjm"})
    assert response.status_code == 400
    assert SESSION_KEY not in as_admin.session


def test_the_api_refuses_a_number_in_its_url_as_json(as_admin, worker_b):
    response = as_admin.get(f"/api/workers/?q={worker_b.id_number}")
    assert response.status_code == 400
    assert response.json() == {"q": ["身份证号和手机号不能放在网址中，请放在请求正文中提交。"]}
    response = as_admin.get("/api/workers/?current_enterprise=1&phone=13812345678")
    assert response.json() == {"phone": ["身份证号和手机号不能放在网址中，请放在请求正文中提交。"]}


def _all_digit_credit_code() -> str:
    for n in range(1000):
        first17 = f"91330503147{n:06d}"
        code = first17 + compute_uscc_check(first17)
        if code.isdigit():
            return code
    raise AssertionError("no all-digit code")


def test_credit_codes_certificate_numbers_pages_and_job_ids_still_work(as_admin, worker_a, worker_b):
    code = _all_digit_credit_code()
    enterprise = EnterpriseFactory(name="南浔老字号电机厂", uscc=code)
    response = as_admin.get(f"/registry/enterprises/?q={code}")
    assert response.status_code == 200
    assert [e.name for e in response.context["object_list"]] == ["南浔老字号电机厂"]
    location = as_admin.post("/registry/enterprises/", {"q": code}).url  # the form: not tokenised
    assert code in location
    assert [e.pk for e in as_admin.get(location).context["object_list"]] == [enterprise.pk]
    letters = EnterpriseFactory(name="南浔新材料公司").uscc
    assert [e.uscc for e in as_admin.get(f"/registry/enterprises/?q={letters}").context["object_list"]] == [letters]

    qualification = CertificateFactory(worker=worker_a, number="1033055000000123")  # older: 16 digits
    skill = CertificateFactory(worker=worker_b, number="S000033050000003000002")
    principal = CertificateFactory(worker=worker_b, number="ZJ20243305030000000001")
    for cert in (qualification, skill, principal):
        response = as_admin.get(f"/registry/certificates/?number={cert.number}")
        assert response.status_code == 200
        assert [c.pk for c in response.context["object_list"]] == [cert.pk]
        location = as_admin.post("/registry/certificates/", {"number": cert.number}).url
        assert cert.number in location and [c.pk for c in as_admin.get(location).context["object_list"]] == [cert.pk]

    WorkerFactory.create_batch(50, name="王伟", enterprise=worker_a.current_enterprise)
    assert as_admin.get("/registry/workers/?page=2").status_code == 200
    assert (
        as_admin.get("/registry/certificates/?issued_on_after=2020-01-01&issued_on_before=2020-12-31").status_code
        == 200
    )
    assert as_admin.get("/core/jobs/1234567/").status_code == 404  # an unknown job, not a refusal
    assert as_admin.get(f"/registry/workers/{worker_b.pk}/").status_code == 200
    assert Worker.objects.count() == 52
