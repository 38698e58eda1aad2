"""A search by exact ID number is an oracle: beside the masked number (first 6, last 4 digits) and
the birth year a page shows, some 33 numbers are valid, and trying each through a list's search
box or ``POST /api/workers/lookup/`` would say which is the worker's. Every such search is
audited (the masked number, whether it was found) and limited per user, admins included, to
settings.ID_SEARCHES_PER_HOUR in any hour (registry.search.search_by_id_number)."""

from __future__ import annotations

import datetime
import json
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.utils import timezone

from talentpool.core import throttle
from talentpool.core.crypto import lookup_hash
from talentpool.core.models import AuditAction, AuditLog
from talentpool.registry import search
from talentpool.registry.events import RegistryEvent
from talentpool.registry.models import Worker

from .conftest import KNOWN_ID
from .factories import CertificateFactory, make_id_number
from .test_exports import _rows

pytestmark = pytest.mark.django_db

MASKED = KNOWN_ID[:6] + "********" + KNOWN_ID[-4:]
LIMIT = 30  # the default of TALENTPOOL_ID_SEARCHES_PER_HOUR


def _candidates() -> list[str]:
    """What an attacker tries: every valid number with the known worker's masked form and birth
    year (same region, sequence and check character, another day of 1985)."""
    numbers = []
    day = datetime.date(1985, 1, 1)
    while day.year == 1985:
        number = make_id_number(day, seq=int(KNOWN_ID[14:17]))
        if number[-1] == KNOWN_ID[-1] and number != KNOWN_ID:
            numbers.append(number)
        day += timedelta(days=1)
    return numbers


CANDIDATES = _candidates()


def _refusal(actor: Any) -> str:
    """The exact message: the oldest counted search leaves the hour at ``until``, shown rounded up
    to the minute."""
    oldest = AuditLog.objects.filter(actor=actor, action=RegistryEvent.ID_SEARCH).order_by("at")[0].at
    until = timezone.localtime(oldest + timedelta(hours=1))
    if until.second or until.microsecond:
        until = until.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return f"按身份证号查询过于频繁，请于 {until:%H:%M} 后再试。"


def _searches(actor: Any) -> list[AuditLog]:
    return list(AuditLog.objects.filter(actor=actor, action=RegistryEvent.ID_SEARCH).order_by("id"))


def _refused(actor: Any) -> list[dict[str, Any]]:
    return [log.changes for log in AuditLog.objects.filter(actor=actor, action=RegistryEvent.ID_SEARCH_REFUSED)]


def _list_search(client: Client, number: str, path: str = "/registry/workers/") -> Any:
    return client.get(client.post(path, {"q": number}).url)


def _lookup(client: Client, number: str) -> Any:
    return client.post("/api/workers/lookup/", json.dumps({"id_number": number}), content_type="application/json")


def _stored(client: Client) -> dict[str, Any]:
    return SessionStore(session_key=client.cookies["sessionid"].value).load().get(search.SESSION_KEY, {})


def test_the_candidates_are_the_ones_the_page_leaves_open():
    assert 25 <= len(CANDIDATES) <= 40
    assert {n[:6] + "********" + n[-4:] for n in CANDIDATES} == {MASKED}


# Audited --------------------------------------------------------------------------------------


def test_a_list_search_by_id_number_is_audited_with_the_masked_number_and_the_worker_found(
    as_admin, admin_user, known_worker
):
    response = _list_search(as_admin, KNOWN_ID)
    assert [w.name for w in response.context["object_list"]] == ["曾志伟"]
    [log] = _searches(admin_user)
    assert log.changes == {"id_number": MASKED, "matched": True}
    assert (log.object_repr, log.object_id, log.content_type.model) == (
        f"按身份证号查询：{MASKED}",
        str(known_worker.pk),
        "worker",
    )
    assert KNOWN_ID not in json.dumps(log.changes) + log.object_repr


def test_a_search_that_finds_nobody_in_view_names_nobody(as_operator_b, operator_b, known_worker):
    response = _list_search(as_operator_b, KNOWN_ID)  # the worker is at enterprise A
    assert list(response.context["object_list"]) == []
    [log] = _searches(operator_b)
    assert log.changes == {"id_number": MASKED, "matched": False}
    assert (log.content_type, log.object_id, log.object_repr) == (None, "", f"按身份证号查询：{MASKED}")


def test_an_api_lookup_is_audited_the_same_way(as_operator_a, as_operator_b, operator_a, operator_b, known_worker):
    assert [w["name"] for w in _lookup(as_operator_a, KNOWN_ID.lower()).json()] == ["曾志伟"]
    assert _lookup(as_operator_b, KNOWN_ID).json() == []
    [found] = _searches(operator_a)
    [missed] = _searches(operator_b)
    assert (found.changes, found.object_id) == ({"id_number": MASKED, "matched": True}, str(known_worker.pk))
    assert (missed.changes, missed.object_id, missed.content_type) == (
        {"id_number": MASKED, "matched": False},
        "",
        None,
    )


def test_certificate_and_honour_list_searches_are_audited_too(as_admin, admin_user, known_worker):
    _list_search(as_admin, KNOWN_ID, "/registry/certificates/")
    _list_search(as_admin, CANDIDATES[0], "/registry/honours/")
    assert [log.changes for log in _searches(admin_user)] == [
        {"id_number": MASKED, "matched": True},
        {"id_number": MASKED, "matched": False},
    ]


def test_a_phone_or_a_name_search_is_no_id_search(as_admin, admin_user, known_worker):
    assert _list_search(as_admin, "13912345678").status_code == 200
    assert _list_search(as_admin, "曾志伟").status_code == 200
    assert _searches(admin_user) == []


# Limited --------------------------------------------------------------------------------------


def test_the_31st_list_search_in_an_hour_is_refused_and_shows_no_worker(as_admin, admin_user, known_worker):
    for number in CANDIDATES[:LIMIT]:
        assert list(_list_search(as_admin, number).context["object_list"]) == []
    posted = as_admin.post("/registry/workers/", {"q": KNOWN_ID})
    assert posted.url == "/registry/workers/?q=%40refused"
    response = as_admin.get(posted.url)
    body = response.content.decode()
    assert [str(m) for m in response.context["messages"]] == [_refusal(admin_user)]
    assert _refusal(admin_user) in body
    assert list(response.context["object_list"]) == []
    assert "曾志伟" not in body and MASKED not in body
    # nothing of the refused search is kept, nor counted: its record is the refusal's
    assert len(_searches(admin_user)) == LIMIT
    assert _refused(admin_user) == [{"id_number": MASKED}]
    assert lookup_hash(KNOWN_ID) not in [entry["hash"] for entry in _stored(as_admin).values()]
    # its export exports nobody
    assert _rows(as_admin.get("/registry/workers/?q=%40refused&export=xlsx"))[1:] == []


def test_the_31st_api_lookup_in_an_hour_is_a_429_with_retry_after(as_admin, admin_user, known_worker):
    for number in CANDIDATES[:LIMIT]:
        assert _lookup(as_admin, number).json() == []
    response = _lookup(as_admin, KNOWN_ID)
    assert response.status_code == 429
    assert response.json() == {"detail": _refusal(admin_user)}
    oldest = _searches(admin_user)[0].at
    wait = (oldest + timedelta(hours=1) - timezone.now()).total_seconds()
    assert wait - 5 <= int(response["Retry-After"]) <= wait + 1
    assert "曾志伟" not in response.content.decode()
    assert len(_searches(admin_user)) == LIMIT
    assert _refused(admin_user) == [{"id_number": MASKED}]


def test_the_lists_and_the_api_share_one_limit(settings, as_leader, leader, known_worker):
    settings.ID_SEARCHES_PER_HOUR = 2
    _list_search(as_leader, CANDIDATES[0])
    _lookup(as_leader, CANDIDATES[1])
    assert _lookup(as_leader, KNOWN_ID).status_code == 429
    assert list(_list_search(as_leader, KNOWN_ID, "/registry/certificates/").context["object_list"]) == []
    assert len(_searches(leader)) == 2 and len(_refused(leader)) == 2


def test_paging_sorting_filtering_and_exporting_a_search_counts_it_once(settings, as_admin, admin_user, known_worker):
    settings.ID_SEARCHES_PER_HOUR = 1
    location = as_admin.post("/registry/workers/", {"q": KNOWN_ID}).url
    for url in (location, location + "&page=1", location + "&sort=-name", location + "&sort=name"):
        assert [w.name for w in as_admin.get(url).context["object_list"]] == ["曾志伟"]
    again = as_admin.post(location, {"q": MASKED, "sex": "M"}).url  # the box's masked text, filtered again
    assert again.split("&")[0] == location
    assert [w.name for w in as_admin.get(again).context["object_list"]] == ["曾志伟"]
    assert as_admin.post("/registry/workers/", {"q": KNOWN_ID}).url == location  # the same number again
    assert [r[0] for r in _rows(as_admin.get(location + "&export=xlsx"))[1:]] == ["曾志伟"]
    assert len(_searches(admin_user)) == 1 and _refused(admin_user) == []


def test_another_user_is_not_affected(settings, as_admin, admin_user, as_leader, leader, known_worker):
    settings.ID_SEARCHES_PER_HOUR = 1
    _list_search(as_admin, CANDIDATES[0])
    assert _lookup(as_admin, KNOWN_ID).status_code == 429
    assert [w.name for w in _list_search(as_admin, KNOWN_ID).context["object_list"]] == []
    assert [w.name for w in _list_search(as_leader, KNOWN_ID).context["object_list"]] == ["曾志伟"]
    assert (len(_searches(admin_user)), len(_searches(leader))) == (1, 1)
    assert (len(_refused(admin_user)), len(_refused(leader))) == (2, 0)


def test_searches_older_than_an_hour_do_not_count(settings, monkeypatch, admin_user, known_worker):
    settings.ID_SEARCHES_PER_HOUR = 1

    def find(number: str) -> list[str]:
        return [w.name for w in search.search_by_id_number(admin_user, Worker.objects.all(), search.search_for(number))]

    assert find(CANDIDATES[0]) == []
    with pytest.raises(search.TooManyIdSearches) as refused:
        find(KNOWN_ID)
    [first] = _searches(admin_user)
    assert refused.value.until == first.at + timedelta(hours=1)
    # (records written meanwhile keep the real time: earlier than the clock moved on)
    monkeypatch.setattr(throttle.timezone, "now", lambda: first.at + timedelta(hours=1) - timedelta(seconds=1))
    with pytest.raises(search.TooManyIdSearches):
        find(KNOWN_ID)  # a second short of the hour: still counted
    monkeypatch.setattr(throttle.timezone, "now", lambda: first.at + timedelta(hours=1, seconds=1))
    assert find(KNOWN_ID) == ["曾志伟"]  # an hour and a second old: no longer counted
    assert [log.changes["matched"] for log in _searches(admin_user)] == [False, True]
    assert len(_refused(admin_user)) == 2


def test_an_id_number_typed_with_tabs_finds_nothing_without_its_token(as_admin, admin_user, known_worker):
    """parse_id_number drops any whitespace; a number split by tabs passes the URL check, so only
    the token, which is counted, may search by it."""
    CertificateFactory(worker=known_worker, number="S000033050000003000077")
    tabbed = f"{KNOWN_ID[:6]}\t{KNOWN_ID[6:14]}\t{KNOWN_ID[14:]}"
    for path in ("/registry/workers/", "/registry/certificates/", "/api/certificates/", "/api/honours/"):
        response = as_admin.get(path, {"q": tabbed})
        assert response.status_code in (200, 400), path  # 400: refused as a number in the URL
        if response.status_code == 200 and path.startswith("/api/"):
            assert response.json()["results"] == [], path
        elif response.status_code == 200:
            assert list(response.context["object_list"]) == [], path
    location = as_admin.post("/registry/workers/", {"q": tabbed}).url
    assert KNOWN_ID[6:14] not in location
    assert [w.name for w in as_admin.get(location).context["object_list"]] == ["曾志伟"]
    assert [log.changes for log in _searches(admin_user)] == [{"id_number": MASKED, "matched": True}]


def test_the_export_audit_records_the_masked_search_not_its_token(as_admin, known_worker):
    location = as_admin.post("/registry/workers/", {"q": KNOWN_ID, "sex": "M"}).url
    token = location.split("q=")[1].split("&")[0]
    as_admin.get(location + "&export=xlsx")
    log = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert log.changes["filters"] == f"q={MASKED}&sex=M&export=xlsx"
    assert token.replace("%40", "@") not in json.dumps(log.changes)


# Searches sent at once --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_searches_sent_at_once_cannot_all_pass(settings, monkeypatch, admin_user, known_worker):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's single writer lock serialises the searches: no race to lose")
    settings.ID_SEARCHES_PER_HOUR = 2
    barrier = threading.Barrier(5)
    real = search.record
    local = threading.local()

    def record_after_all_searched(*args: Any, **kwargs: Any) -> Any:
        if not getattr(local, "waited", False):  # every search has read its workers and counts next
            local.waited = True
            barrier.wait(timeout=20)
        return real(*args, **kwargs)

    monkeypatch.setattr(search, "record", record_after_all_searched)
    outcomes: list[Any] = [None] * 5

    def run(index: int) -> None:
        try:
            outcomes[index] = search.search_by_id_number(
                admin_user, Worker.objects.all(), search.search_for(CANDIDATES[index])
            )
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(type(o).__name__ for o in outcomes) == ["TooManyIdSearches"] * 3 + ["list"] * 2
    assert len(_searches(admin_user)) == 2 and len(_refused(admin_user)) == 3
