"""No response lets its reader rebuild a worker's ID number (issue 7).

The masked ID number (330503********1234) hides exactly the 8 digits of the birth date, so any
response showing the birth date beside the mask shows the whole number. For every persona and
every response that exists for them (list, search, detail, certificate and honour lists, the
three exports, the API), ``rebuilt_id_numbers`` tries what a reader would: every masked number
on the response with every date on it, in every common form, put in the middle and checked by
the ID-number rule. The date in full comes only with the audited reveal (privacy.py).
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from talentpool.core.models import AuditAction, AuditLog
from talentpool.rules.idnumber import InvalidIdNumber, mask_id_number, parse_id_number
from talentpool.rules.retirement import full_years

from .factories import CertificateFactory, HonourFactory, WorkerFactory, make_id_number

pytestmark = pytest.mark.django_db

BORN = datetime.date(1986, 11, 23)
ID = make_id_number(BORN, male=True, seq=135)  # 330503198611231350
MASKED = mask_id_number(ID)
NAME = "慎建民"
RETIREMENT_MONTH = "2049-11"  # statutory: a man born 1986-11 retires at 63, in November 2049

# Rebuilding ----------------------------------------------------------------------------------

_MASKED = re.compile(r"(?<![0-9])([0-9]{6})\*{8}([0-9]{3}[0-9X])")
_FULL = re.compile(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9])")
_DATES = [
    re.compile(r"(?<![0-9])([0-9]{4})([0-9]{2})([0-9]{2})(?![0-9])"),  # 19861123
    re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?![0-9])"),  # 1986-11-23, 1986-1-3
    re.compile(r"(?<![0-9])([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})(?![0-9])"),
    re.compile(r"(?<![0-9])([0-9]{4})\.([0-9]{1,2})\.([0-9]{1,2})(?![0-9])"),
    re.compile(r"(?<![0-9])([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日"),
]


def _valid(number: str) -> bool:
    try:
        parse_id_number(number)
    except InvalidIdNumber:
        return False
    return True


def rebuilt_id_numbers(text: str) -> set[str]:
    """Every valid ID number a reader of ``text`` can make: shown whole, or a masked number
    (first 6 + last 4) completed by a date shown anywhere on it."""
    found = {number for number in _FULL.findall(text) if _valid(number)}
    dates = {tuple(int(part) for part in match) for pattern in _DATES for match in pattern.findall(text)}
    for head, tail in set(_MASKED.findall(text)):
        for year, month, day in dates:
            candidate = f"{head}{year:04d}{month:02d}{day:02d}{tail}"
            if _valid(candidate):
                found.add(candidate)
    return found


def test_the_rebuilder_finds_the_number_from_a_date_in_any_common_form() -> None:
    for shown in ("1986-11-23", "1986/11/23", "1986.11.23", "19861123", "1986年11月23日", "1986 年 11 月 23 日"):
        assert rebuilt_id_numbers(f"<td>{MASKED}</td><td>{shown}</td>") == {ID}, shown
    assert rebuilt_id_numbers(f"{MASKED} 1986-11-22") == set()  # a wrong day fails the check character
    assert rebuilt_id_numbers(f"{MASKED} 1986年（今年满 40 周岁）") == set()
    assert rebuilt_id_numbers(f"number {ID}") == {ID}


# The fixture worker: worker_a (of enterprise A, the worker persona's own record) -----------------


@pytest.fixture
def person(worker_a):  # type: ignore[no-untyped-def]
    from talentpool.core.crypto import lookup_hash

    worker_a.id_number, worker_a.id_number_hash, worker_a.id_number_masked = ID, lookup_hash(ID), MASKED
    worker_a.birth_date = BORN
    worker_a.save()
    CertificateFactory(worker=worker_a, number="S000033050000003000001")
    HonourFactory(worker=worker_a, name="市技术能手")
    return worker_a


def _text(response: Any) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        return "\n".join(str(cell) for row in book.get_sheet_by_index(0).to_python() for cell in row)
    return response.content.decode()


LISTED = {"admin", "leader", "operator_a"}  # see worker_a in the registry's lists
LIST_STATUS = {"admin": 200, "leader": 200, "operator_a": 200, "operator_b": 200, "expert": 404, "worker": 404}
DETAIL_STATUS = {"admin": 200, "leader": 200, "operator_a": 200, "operator_b": 404, "expert": 404, "worker": 200}
API_LIST_STATUS = dict.fromkeys(LIST_STATUS, 200)

# kind: (url, status per persona, personas to whom it shows worker_a, what shows worker_a)
RESPONSES: dict[str, tuple[str, dict[str, int], set[str], str]] = {
    "worker list": ("/registry/workers/", LIST_STATUS, LISTED, MASKED),
    "worker search": (f"/registry/workers/?q={NAME}", LIST_STATUS, LISTED, MASKED),
    "worker list by birth year": ("/registry/workers/?sort=-birth_year", LIST_STATUS, LISTED, MASKED),
    "worker detail": ("/registry/workers/{pk}/", DETAIL_STATUS, {"admin", "leader", "operator_a", "worker"}, MASKED),
    "my profile": ("/registry/me/", {"worker": 200}, {"worker"}, MASKED),
    "certificate list": ("/registry/certificates/", LIST_STATUS, LISTED, NAME),
    "honour list": ("/registry/honours/", LIST_STATUS, LISTED, NAME),
    "worker export": ("/registry/workers/?export=xlsx", LIST_STATUS, LISTED, MASKED),
    "certificate export": ("/registry/certificates/?export=xlsx", LIST_STATUS, LISTED, MASKED),
    "honour export": ("/registry/honours/?export=xlsx", LIST_STATUS, LISTED, MASKED),
    "api list": ("/api/workers/", API_LIST_STATUS, {"admin", "leader", "operator_a", "worker"}, MASKED),
    "api search": (f"/api/workers/?q={NAME}", API_LIST_STATUS, {"admin", "leader", "operator_a", "worker"}, MASKED),
    "api detail": ("/api/workers/{pk}/", DETAIL_STATUS, {"admin", "leader", "operator_a", "worker"}, MASKED),
}
PERSONAS = ["admin", "leader", "operator_a", "operator_b", "expert", "worker"]


@pytest.mark.parametrize("kind", list(RESPONSES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_response_lets_its_reader_rebuild_the_id_number(client_of, person, persona, kind):
    url, statuses, shown_to, shows = RESPONSES[kind]
    response = client_of(persona).get(url.format(pk=person.pk))
    assert response.status_code == statuses.get(persona, 404)
    text = _text(response)
    assert (shows in text) == (persona in shown_to)  # the mask is there to be completed, or not at all
    assert ID not in text
    assert rebuilt_id_numbers(text) == set()


def test_pages_show_the_birth_year_and_the_age_reached_this_year(as_leader, person):
    age = timezone.localdate().year - 1986
    body = as_leader.get(f"/registry/workers/{person.pk}/").content.decode()
    assert f'<span id="worker-birth" data-testid="birth">1986年（今年满 {age} 周岁）</span>' in body
    row = re.search(
        rf'<tr><td><a href="/registry/workers/{person.pk}/">.*?</tr>',
        as_leader.get("/registry/workers/").content.decode(),
    ).group(0)
    assert re.findall(r"<td[^>]*>(.*?)</td>", row)[3] == "1986"
    assert as_leader.get(f"/api/workers/{person.pk}/").json()["birth_year"] == 1986


def test_the_worker_export_has_the_birth_year_column(as_leader, person):
    response = as_leader.get("/registry/workers/?export=xlsx")
    header, row = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert (header[3], row[3]) == ("出生年份", 1986)  # a number cell (core.exports), the year only


@pytest.mark.parametrize("persona", ["admin", "leader", "operator_a", "worker"])
def test_the_retirement_shows_by_year_only_since_its_month_is_the_birth_month(client_of, person, persona):
    body = client_of(persona).get(f"/registry/workers/{person.pk}/").content.decode()
    assert '<span id="worker-retirement" data-testid="retirement-date">2049年（法定）</span>' in body
    assert RETIREMENT_MONTH not in body and "2049年11月" not in body and "2049/11" not in body


def test_a_recorded_retirement_date_shows_by_year_only_too(as_leader, person):
    person.actual_retirement_date = datetime.date(2046, 11, 1)
    person.save()
    body = as_leader.get(f"/registry/workers/{person.pk}/").content.decode()
    assert '<span id="worker-retirement" data-testid="retirement-date">2046年（已登记）</span>' in body
    assert "2046-11" not in body


def test_the_list_sorts_by_birth_year_then_name_never_by_the_date(as_admin, enterprise_a):
    # Ranked by date, a worker's place among those born the same year would estimate the day.
    for name, born in [
        ("张三", datetime.date(1990, 1, 1)),
        ("李四", datetime.date(1990, 12, 31)),
        ("王五", datetime.date(1985, 6, 1)),
    ]:
        WorkerFactory(name=name, enterprise=enterprise_a, birth_date=born)

    def names(sort: str) -> list[str]:
        response = as_admin.get(f"/registry/workers/?sort={sort}")
        return [row.record.name for row in response.context["table"].page.object_list]

    assert names("birth_year") == ["王五", "李四", "张三"]  # 1985, then 1990 in pinyin order
    assert names("-birth_year") == ["张三", "李四", "王五"]
    assert names("-birth_date") == ["李四", "王五", "张三"]  # no such column: the list's own order


# The reveal --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "username"), [("admin", "admin"), ("operator_a", "operator_a"), ("worker", "worker_a")]
)
def test_only_the_audited_reveal_of_the_id_number_shows_the_birth_date(client_of, person, persona, username):
    client = client_of(persona)
    response = client.post(f"/registry/workers/{person.pk}/reveal/id_number/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    age = full_years(BORN, timezone.localdate())
    assert f'<span class="masked" data-testid="revealed">{ID}</span>' in body
    assert (
        f'<span id="worker-birth" hx-swap-oob="true" data-testid="revealed-birth">1986-11-23（{age} 岁）</span>' in body
    )
    assert (
        f'<span id="worker-retirement" hx-swap-oob="true" data-testid="revealed-retirement">'
        f"{RETIREMENT_MONTH}（法定）</span>"
    ) in body
    log = AuditLog.objects.get()
    assert (log.action, log.actor.username, log.object_id, log.changes) == (
        AuditAction.REVEAL,
        username,
        str(person.pk),
        {"field": "id_number"},
    )
    # The page itself stays as it was: the reveal's answer is the only one with the date.
    page = _text(client.get(f"/registry/workers/{person.pk}/"))
    assert ID not in page and rebuilt_id_numbers(page) == set()
    assert AuditLog.objects.count() == 1


def test_a_phone_reveal_shows_no_birth_date(as_operator_a, person):
    body = as_operator_a.post(f"/registry/workers/{person.pk}/reveal/phone/").content.decode()
    assert "1986-11-23" not in body and "revealed-birth" not in body
    assert AuditLog.objects.get().changes == {"field": "phone"}


@pytest.mark.parametrize("persona", ["leader", "operator_b", "expert"])
def test_roles_that_may_not_reveal_get_404_and_no_audit_row(client_of, person, persona):
    response = client_of(persona).post(f"/registry/workers/{person.pk}/reveal/id_number/")
    assert response.status_code == 404
    body = response.content.decode()
    assert ID not in body and "1986-11-23" not in body and rebuilt_id_numbers(body) == set()
    assert AuditLog.objects.count() == 0
