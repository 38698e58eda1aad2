"""The demo district: every generated record obeys the registry's rules, and loading is
deterministic and idempotent."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from talentpool.core.crypto import lookup_hash
from talentpool.core.models import User
from talentpool.core.roles import Role
from talentpool.rules.idnumber import parse_id_number
from talentpool.rules.retirement import RetirementCategory as RuleCategory
from talentpool.rules.retirement import retirement_date
from talentpool.rules.skills import SkillLevel, check_certificate_number
from talentpool.rules.uscc import validate_uscc

from ..demo import DEMO_PASSWORD, EXAMPLE_ENTERPRISE, EXAMPLE_NAME, load_demo
from ..models import Certificate, Employment, Enterprise, Honour, Worker

TODAY = date(2026, 11, 21)
WORKERS = 400
ENTERPRISES = 40


@pytest.fixture
def district(db):  # type: ignore[no-untyped-def]
    return load_demo(workers=WORKERS, enterprises=ENTERPRISES, seed=7, today=TODAY)


def _roster() -> list[tuple[str, str, str]]:
    return [(w.name, w.id_number, w.current_enterprise.name)
            for w in Worker.objects.select_related("current_enterprise").order_by("pk")]


def test_it_creates_the_requested_sizes(district) -> None:  # type: ignore[no-untyped-def]
    assert district.created is True
    assert (district.enterprises, district.workers, district.users) == (ENTERPRISES, WORKERS, 7)
    assert Enterprise.objects.count() == ENTERPRISES
    assert Worker.objects.count() == WORKERS
    assert Employment.objects.count() == district.employments
    assert Certificate.objects.count() == district.certificates
    assert Honour.objects.count() == district.honours


def test_every_id_number_is_valid_and_matches_birth_date_and_sex(district) -> None:  # type: ignore[no-untyped-def]
    hashes = set()
    for worker in Worker.objects.all():
        parsed = parse_id_number(worker.id_number, today=TODAY)
        assert parsed.birth_date == worker.birth_date
        assert parsed.sex.value == worker.sex
        assert worker.id_number_hash == lookup_hash(parsed.number)
        assert worker.id_number_masked == parsed.number[:6] + "********" + parsed.number[-4:]
        assert worker.phone_masked == worker.phone[:3] + "****" + worker.phone[-4:]
        hashes.add(worker.id_number_hash)
        # Working age: at least 18, not past the statutory retirement age.
        assert worker.age_on(TODAY) >= 18
        assert retirement_date(worker.birth_date, RuleCategory(worker.retirement_category)) > TODAY
        assert (worker.sex == "M") == (worker.retirement_category == "man")
        # Started work at 16 or older, and not in the future.
        assert worker.work_start_date is not None
        assert worker.age_on(worker.work_start_date) >= 16
        assert worker.work_start_date <= TODAY
        assert worker.name_search
    assert len(hashes) == WORKERS


def test_every_worker_has_one_open_employment_that_matches_the_current_enterprise(district) -> None:  # type: ignore[no-untyped-def]
    by_worker: dict[int, list[Employment]] = defaultdict(list)
    for employment in Employment.objects.order_by("worker_id", "start_date"):
        by_worker[employment.worker_id].append(employment)
    workers = {w.pk: w for w in Worker.objects.all()}
    assert set(by_worker) == set(workers)
    hoppers = 0
    for worker_id, history in by_worker.items():
        open_ones = [e for e in history if e.end_date is None]
        assert len(open_ones) == 1
        assert history[-1] is open_ones[0]
        assert workers[worker_id].current_enterprise_id == open_ones[0].enterprise_id
        assert history[0].start_date >= workers[worker_id].work_start_date
        for earlier, later in itertools.pairwise(history):
            assert earlier.end_date is not None
            assert earlier.start_date <= earlier.end_date < later.start_date
            assert earlier.enterprise_id != later.enterprise_id
        hoppers += len(history) > 1
    # About a fifth of the workforce changed employer at least once.
    assert 0.12 * WORKERS <= hoppers <= 0.28 * WORKERS


def test_credit_codes_are_valid_and_unique(district) -> None:  # type: ignore[no-untyped-def]
    codes = list(Enterprise.objects.values_list("uscc", flat=True))
    assert all(validate_uscc(code) == code and code.startswith("91330503") for code in codes)
    assert len(set(codes)) == len(codes)
    assert all(name.endswith(("有限公司",)) for name in Enterprise.objects.values_list("name", flat=True))


def test_certificates_raise_no_warnings_and_encode_their_level(district) -> None:  # type: ignore[no-untyped-def]
    certificates = list(Certificate.objects.select_related("worker"))
    assert certificates
    kinds = set()
    for certificate in certificates:
        level = SkillLevel(certificate.level)
        check = check_certificate_number(certificate.number, level)
        assert check.warnings == (), certificate.number
        assert check.number == certificate.number
        assert certificate.warnings == ""
        kinds.add(check.kind)
        if check.kind == "skill_level":
            assert SkillLevel.from_grade(int(certificate.number[15])) == level
        if level.grade is None:
            assert check.kind == "principal"
        assert certificate.level <= certificate.worker.skill_level
        assert certificate.worker.work_start_date < certificate.issued_on <= TODAY
    assert kinds >= {"skill_level", "qualification"}
    # A worker's lower certificates came earlier than the higher ones.
    by_worker: dict[int, list[Certificate]] = defaultdict(list)
    for certificate in certificates:
        by_worker[certificate.worker_id].append(certificate)
    for rows in by_worker.values():
        rows.sort(key=lambda c: c.issued_on)
        assert [c.level for c in rows] == sorted(c.level for c in rows)


def test_the_seeds_example_is_there(district) -> None:  # type: ignore[no-untyped-def]
    worker = Worker.objects.get(name=EXAMPLE_NAME)
    assert worker.current_enterprise.name == EXAMPLE_ENTERPRISE
    assert worker.current_enterprise.industry.name == "钢材"
    assert worker.skill_level == SkillLevel.SENIOR_TECHNICIAN
    assert worker.certificates.order_by("-issued_on")[0].occupation_name == "维修电工"
    assert worker.name_search.split()[:2] == ["shenjianmin", "sjm"]


def test_it_creates_the_seven_demo_users_who_can_log_in(district) -> None:  # type: ignore[no-untyped-def]
    example = Worker.objects.get(name=EXAMPLE_NAME)
    users = {u.username: u for u in User.objects.all()}
    assert sorted(users) == ["admin", "expert", "finance", "leader", "operator", "operator2", "worker"]
    assert [(users[n].role, users[n].organisation) for n in ("admin", "leader", "finance", "expert")] == [
        (Role.ADMIN, "南浔区总工会"), (Role.LEADER, "区人社局"), (Role.LEADER, "区财政局"),
        (Role.EXPERT, "湖州职业技术学院"),
    ]
    assert users["admin"].is_staff is True and users["admin"].is_superuser is False
    assert users["operator"].role == Role.OPERATOR
    assert users["operator"].enterprise_id == example.current_enterprise_id
    assert users["operator2"].role == Role.OPERATOR
    assert users["operator2"].enterprise_id not in (None, example.current_enterprise_id)
    assert users["operator2"].enterprise.workers.exists()
    assert users["worker"].role == Role.WORKER and users["worker"].worker_id == example.pk
    for username in users:
        assert authenticate(username=username, password=DEMO_PASSWORD) == users[username]
        assert authenticate(username=username, password="wrong-password-1") is None


def test_the_same_seed_gives_the_same_district(db) -> None:  # type: ignore[no-untyped-def]
    load_demo(workers=120, enterprises=20, seed=11, today=TODAY)
    first = _roster()
    first_codes = list(Enterprise.objects.order_by("pk").values_list("name", "uscc"))
    load_demo(workers=120, enterprises=20, seed=11, today=TODAY, force=True)
    assert _roster() == first
    assert list(Enterprise.objects.order_by("pk").values_list("name", "uscc")) == first_codes
    load_demo(workers=120, enterprises=20, seed=12, today=TODAY, force=True)
    assert [row[:2] for row in _roster()] != [row[:2] for row in first]


def test_a_second_load_creates_nothing(db) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("load_demo", workers=60, enterprises=15, stdout=out)
    counts = (Enterprise.objects.count(), Worker.objects.count(), Employment.objects.count(),
              Certificate.objects.count(), Honour.objects.count(), User.objects.count())
    assert counts[:2] == (15, 60) and counts[5] == 7
    assert "Demo-2026-pass" in out.getvalue()
    again = StringIO()
    call_command("load_demo", workers=60, enterprises=15, stdout=again)
    assert "已存在" in again.getvalue() and "operator2" in again.getvalue()
    assert (Enterprise.objects.count(), Worker.objects.count(), Employment.objects.count(),
            Certificate.objects.count(), Honour.objects.count(), User.objects.count()) == counts


def test_force_wipes_and_regenerates(db) -> None:  # type: ignore[no-untyped-def]
    call_command("load_demo", workers=50, enterprises=15, stdout=StringIO())
    old_admin = User.objects.get(username="admin").pk
    call_command("load_demo", workers=80, enterprises=16, force=True, stdout=StringIO())
    assert (Enterprise.objects.count(), Worker.objects.count(), User.objects.count()) == (16, 80, 7)
    assert User.objects.get(username="admin").pk != old_admin


def test_logins_only_prints_the_table_without_loading(db) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("load_demo", logins_only=True, stdout=out)
    assert Worker.objects.count() == 0
    assert "load_demo" in out.getvalue()
