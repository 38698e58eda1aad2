# ruff: noqa: F811, RUF043
"""Innovation studios: the service's rules (enterprise's workers, one result a year, years),
versions, refusals that change nothing, scoping by role, pages, API, bounded list queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from talentpool.core.exceptions import EditConflict, OutOfScope, ServiceError
from talentpool.core.models import AuditAction, AuditLog
from talentpool.cultivation import services_studios as services
from talentpool.cultivation.models import Studio, StudioMember, StudioResult
from talentpool.registry.models import Worker
from talentpool.registry.tests.factories import WorkerFactory

from .factories_studios import StudioFactory, leader_a, leader_b  # noqa: F401

pytestmark = pytest.mark.django_db
D = datetime.date
THIS_YEAR = D.today().year


def create(actor, leader, name="沈建民技能大师工作室", **extra):  # type: ignore[no-untyped-def]
    extra.setdefault("level", "city")
    extra.setdefault("founded_year", 2018)
    return services.create_studio(actor=actor, name=name, leader=leader, **extra)


def state() -> tuple:
    """Everything a refused action must leave as it was."""
    return (
        list(Studio.objects.order_by("pk").values()),
        list(StudioMember.objects.order_by("pk").values()),
        list(StudioResult.objects.order_by("pk").values()),
        AuditLog.objects.count(),
    )


# The service's rules ---------------------------------------------------------------------


def test_an_operator_registers_a_studio_of_their_enterprise(operator_a, leader_a, enterprise_a, locks):
    studio = create(operator_a, leader_a, is_demonstration=True, description="焊接工艺攻关")
    assert (studio.enterprise, studio.leader, studio.level, studio.is_demonstration, studio.version) == (
        enterprise_a,
        leader_a,
        "city",
        True,
        1,
    )
    assert (Worker, ("self",), True) in locks
    log = AuditLog.objects.get(action=AuditAction.CREATE, object_id=str(studio.pk))
    assert log.changes["leader"] == [None, "沈领办"] and log.changes["enterprise"] == [None, enterprise_a.name]


def test_an_admin_registers_a_studio_for_the_leader_enterprise_by_default(admin_user, leader_b, enterprise_b):
    assert create(admin_user, leader_b).enterprise == enterprise_b


def test_the_leader_must_be_a_current_worker_of_the_enterprise(admin_user, operator_a, leader_b, enterprise_a):
    before = state()
    with pytest.raises(ServiceError, match="^领衔人必须是工作室所在企业的在职职工。$"):
        create(admin_user, leader_b, enterprise=enterprise_a)
    with pytest.raises(ServiceError):
        create(operator_a, leader_b)
    with pytest.raises(OutOfScope):
        create(operator_a, leader_b, enterprise=leader_b.current_enterprise)
    assert state() == before


def test_names_are_unique_and_years_are_checked(operator_a, leader_a):
    create(operator_a, leader_a)
    before = state()
    with pytest.raises(ServiceError, match="已登记"):
        create(operator_a, leader_a)
    with pytest.raises(ServiceError, match="创建年份"):
        create(operator_a, leader_a, name="新工作室", founded_year=THIS_YEAR + 1)
    with pytest.raises(ServiceError, match="创建年份"):
        create(operator_a, leader_a, name="新工作室", founded_year=1900)
    assert state() == before


def test_others_keep_no_studios(leader, expert, worker_user, leader_a):
    for actor in (leader, expert, worker_user):
        with pytest.raises(OutOfScope):
            create(actor, leader_a)
    assert not Studio.objects.exists()


def test_an_edit_on_an_old_version_is_refused_and_changes_nothing(operator_a, leader_a):
    studio = create(operator_a, leader_a)
    services.update_studio(studio, actor=operator_a, expected_version=1, level="provincial")
    before = state()
    with pytest.raises(EditConflict):
        services.update_studio(studio, actor=operator_a, expected_version=1, level="national")
    assert state() == before
    studio.refresh_from_db()
    assert (studio.level, studio.version) == ("provincial", 2)
    assert AuditLog.objects.filter(action=AuditAction.UPDATE, object_id=str(studio.pk)).count() == 1


def test_a_new_leader_must_be_of_the_enterprise(operator_a, leader_a, worker_a, worker_b):
    studio = create(operator_a, leader_a)
    before = state()
    with pytest.raises(ServiceError, match="领衔人"):
        services.update_studio(studio, actor=operator_a, leader=worker_b)
    assert state() == before
    assert services.update_studio(studio, actor=operator_a, leader=worker_a).leader == worker_a


def test_operator_b_cannot_change_operator_a_studios(operator_a, operator_b, leader_a, worker_a):
    studio = create(operator_a, leader_a)
    before = state()
    for action in (
        lambda: services.update_studio(studio, actor=operator_b, level="national"),
        lambda: services.add_member(studio, actor=operator_b, worker=worker_a),
        lambda: services.record_result(studio, actor=operator_b, year=2020, summary="x"),
        lambda: services.close_studio(studio, actor=operator_b, closed_year=2020),
        lambda: services.delete_studio(studio, actor=operator_b),
    ):
        with pytest.raises(OutOfScope):
            action()
    assert state() == before


def test_members_join_and_leave(operator_a, leader_a, worker_a, worker_b, enterprise_a):
    studio = create(operator_a, leader_a)
    member = services.add_member(studio, actor=operator_a, worker=worker_a, joined_on=D(2020, 3, 1))
    assert (member.worker, member.joined_on, member.left_on) == (worker_a, D(2020, 3, 1), None)
    assert AuditLog.objects.filter(action="cultivation.studio.member_add", object_id=str(studio.pk)).count() == 1
    before = state()
    with pytest.raises(ServiceError, match="已是"):
        services.add_member(studio, actor=operator_a, worker=worker_a)
    with pytest.raises(ServiceError, match="成员必须是工作室所在企业的在职职工"):
        services.add_member(studio, actor=operator_a, worker=worker_b)
    with pytest.raises(ServiceError, match="领衔人"):
        services.add_member(studio, actor=operator_a, worker=leader_a)
    with pytest.raises(ServiceError, match="早于"):
        services.remove_member(member, actor=operator_a, left_on=D(2020, 1, 1))
    assert state() == before
    left = services.remove_member(member, actor=operator_a, left_on=D(2024, 6, 30))
    assert left.left_on == D(2024, 6, 30)
    assert AuditLog.objects.filter(action="cultivation.studio.member_remove").count() == 1
    with pytest.raises(ServiceError):
        services.remove_member(left, actor=operator_a)
    again = services.add_member(studio, actor=operator_a, worker=worker_a, joined_on=D(2025, 1, 1))
    assert (again.pk, again.left_on, StudioMember.objects.count()) == (member.pk, None, 1)


def test_one_result_a_year_within_the_studio_years(operator_a, leader_a):
    studio = create(operator_a, leader_a, founded_year=2018)
    result = services.record_result(studio, actor=operator_a, year=2020, summary="专利 3 项", benefit="１，０００．５")
    assert (result.year, result.benefit) == (2020, Decimal("1000.50"))
    assert AuditLog.objects.filter(action="cultivation.studio.result").count() == 1
    before = state()
    with pytest.raises(ServiceError, match="2020"):
        services.record_result(studio, actor=operator_a, year=2020, summary="again")
    with pytest.raises(ServiceError, match="2018"):
        services.record_result(studio, actor=operator_a, year=2017, summary="before founding")
    with pytest.raises(ServiceError):
        services.record_result(studio, actor=operator_a, year=THIS_YEAR + 1, summary="future")
    with pytest.raises(ServiceError):
        services.record_result(studio, actor=operator_a, year=2021, summary="x", benefit="-1")
    with pytest.raises(ServiceError, match="2020"):
        services.update_studio(studio, actor=operator_a, founded_year=2021)
    assert state() == before
    services.record_result(studio, actor=operator_a, year=THIS_YEAR, summary="this year", benefit="")
    changed = services.update_result(result, actor=operator_a, summary="专利 4 项", benefit="2000")
    assert (changed.summary, changed.benefit) == ("专利 4 项", Decimal("2000.00"))
    services.delete_result(changed, actor=operator_a)
    assert list(StudioResult.objects.values_list("year", flat=True)) == [THIS_YEAR]


def test_closing_reopening_and_deleting(operator_a, leader_a, worker_a):
    studio = create(operator_a, leader_a, founded_year=2018)
    services.record_result(studio, actor=operator_a, year=2022, summary="成果")
    before = state()
    with pytest.raises(ServiceError, match="2022"):
        services.close_studio(studio, actor=operator_a, closed_year=2021)
    with pytest.raises(ServiceError):
        services.close_studio(studio, actor=operator_a, closed_year=THIS_YEAR + 1)
    with pytest.raises(ServiceError):
        services.reopen_studio(studio, actor=operator_a)
    assert state() == before
    closed = services.close_studio(studio, actor=operator_a, closed_year=2023, expected_version=1)
    assert (closed.closed_year, closed.version) == (2023, 2)
    before = state()
    with pytest.raises(ServiceError):
        services.record_result(closed, actor=operator_a, year=2024, summary="after closing")
    with pytest.raises(ServiceError):
        services.add_member(closed, actor=operator_a, worker=worker_a)
    with pytest.raises(ServiceError):
        services.close_studio(closed, actor=operator_a, closed_year=2024)
    assert state() == before
    reopened = services.reopen_studio(closed, actor=operator_a)
    assert reopened.closed_year is None
    assert AuditLog.objects.filter(action="cultivation.studio.close").count() == 1
    assert AuditLog.objects.filter(action="cultivation.studio.reopen").count() == 1
    services.delete_studio(reopened, actor=operator_a)
    assert not Studio.objects.exists() and not StudioResult.objects.exists()
    assert AuditLog.objects.filter(action=AuditAction.DELETE, object_id=str(studio.pk)).count() == 1


# Pages, scoping, API ---------------------------------------------------------------------


@pytest.fixture
def studios(operator_a, admin_user, leader_a, leader_b, worker_a, enterprise_a):  # type: ignore[no-untyped-def]
    led = create(operator_a, worker_a, name="慎建民工作室", founded_year=2019)  # worker_a leads it
    joined = create(operator_a, leader_a, name="沈领办工作室", founded_year=2020, is_demonstration=True)
    services.add_member(joined, actor=operator_a, worker=worker_a)
    services.record_result(joined, actor=operator_a, year=2021, summary="专利 2 项", benefit="500")
    other = create(operator_a, WorkerFactory(name="周三", enterprise=enterprise_a), name="其他工作室")
    theirs = create(admin_user, leader_b, name="湖笔工作室", level="provincial", founded_year=2015)
    return led, joined, other, theirs


def test_the_admin_sees_and_keeps_every_studio(as_admin, studios):
    led, _joined, _other, theirs = studios
    assert as_admin.get("/api/studios/").json()["count"] == 4
    assert as_admin.get(f"/cultivation/studios/{theirs.pk}/edit/").status_code == 200
    page = as_admin.get(f"/cultivation/studios/{led.pk}/").content.decode()
    assert f"/cultivation/studios/{led.pk}/edit/" in page


def test_the_leader_reads_everything_and_changes_nothing(as_leader, studios):
    _led, joined, _other, theirs = studios
    assert as_leader.get("/api/studios/").json()["count"] == 4
    assert as_leader.get("/cultivation/studios/").status_code == 200
    assert as_leader.get("/cultivation/studios/?export=xlsx").status_code == 200
    page = as_leader.get(f"/cultivation/studios/{joined.pk}/").content.decode()
    assert "专利 2 项" in page and f"/cultivation/studios/{joined.pk}/edit/" not in page
    before = state()
    for url in (
        f"/cultivation/studios/{theirs.pk}/edit/",
        f"/cultivation/studios/{theirs.pk}/close/",
        f"/cultivation/studios/{theirs.pk}/members/new/",
        f"/cultivation/studios/{theirs.pk}/results/new/",
        "/cultivation/studios/new/",
    ):
        assert as_leader.get(url).status_code == 404
        assert as_leader.post(url, {"name": "x", "closed_year": "2020", "year": "2020"}).status_code == 404
    assert as_leader.post(f"/cultivation/studios/{theirs.pk}/delete/").status_code == 404
    assert state() == before


def test_operator_b_gets_404_on_operator_a_studios_and_never_sees_them(as_operator_b, studios):
    _led, joined, _other, theirs = studios
    result = joined.results.get()
    member = joined.members.get()
    before = state()
    for url in (
        f"/cultivation/studios/{joined.pk}/",
        f"/cultivation/studios/{joined.pk}/edit/",
        f"/cultivation/studios/{joined.pk}/close/",
        f"/cultivation/studios/{joined.pk}/members/new/",
        f"/cultivation/studios/{joined.pk}/members/{member.pk}/leave/",
        f"/cultivation/studios/{joined.pk}/results/new/",
        f"/cultivation/studios/{joined.pk}/results/{result.pk}/edit/",
        f"/cultivation/studios/{joined.pk}/workers/?q=慎",
        f"/api/studios/{joined.pk}/",
    ):
        assert as_operator_b.get(url).status_code == 404, url
    for url in (
        f"/cultivation/studios/{joined.pk}/delete/",
        f"/cultivation/studios/{joined.pk}/reopen/",
        f"/cultivation/studios/{joined.pk}/results/{result.pk}/delete/",
        f"/cultivation/studios/{joined.pk}/edit/",
    ):
        assert as_operator_b.post(url, {"name": "改名", "version": "1"}).status_code == 404, url
    assert state() == before
    page = as_operator_b.get("/cultivation/studios/").content.decode()
    assert "湖笔工作室" in page and "沈领办工作室" not in page
    assert [s["id"] for s in as_operator_b.get("/api/studios/").json()["results"]] == [theirs.pk]
    assert as_operator_b.get("/cultivation/studios/?export=xlsx").status_code == 200


def test_the_worker_sees_the_studios_they_lead_or_are_members_of(as_worker, studios):
    led, joined, other, theirs = studios
    ids = {s["id"] for s in as_worker.get("/api/studios/").json()["results"]}
    assert ids == {led.pk, joined.pk}
    assert as_worker.get(f"/cultivation/studios/{led.pk}/").status_code == 200
    assert as_worker.get(f"/cultivation/studios/{joined.pk}/").status_code == 200
    assert as_worker.get(f"/cultivation/studios/{other.pk}/").status_code == 404
    assert as_worker.get(f"/cultivation/studios/{theirs.pk}/").status_code == 404
    page = as_worker.get("/cultivation/studios/").content.decode()
    assert "慎建民工作室" in page and "沈领办工作室" in page and "其他工作室" not in page
    before = state()
    assert as_worker.get(f"/cultivation/studios/{led.pk}/edit/").status_code == 404
    assert as_worker.post(f"/cultivation/studios/{led.pk}/delete/").status_code == 404
    assert as_worker.get("/cultivation/studios/?export=xlsx").status_code == 404
    assert state() == before


def test_the_list_runs_a_bounded_number_of_queries(
    as_leader, as_operator_a, as_worker, studios, admin_user, enterprise_a, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pages = (
        (as_leader, "/cultivation/studios/"),
        (as_operator_a, "/cultivation/studios/?state=open&is_demonstration=false"),
        (as_worker, "/cultivation/studios/"),
        (as_leader, "/api/studios/"),
        (as_leader, "/cultivation/studios/?export=xlsx"),
    )

    def counts() -> list[int]:
        found = []
        for client, url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries.captured_queries))
        return found

    counts()  # warm-up (content types, sessions)
    few = counts()
    for n in range(8):
        studio = create(admin_user, WorkerFactory(name=f"领{n}", enterprise=enterprise_a), name=f"工作室{n}")
        services.add_member(studio, actor=admin_user, worker=WorkerFactory(name=f"员{n}", enterprise=enterprise_a))
        services.record_result(studio, actor=admin_user, year=2020, summary="成果")
    assert counts() == few  # the same queries for 4 studios and for 12
    assert few == [8, 8, 8, 10, 11]  # pages (session, user, count, rows, subnav), API, export
    with django_assert_max_num_queries(10):
        response = as_leader.get("/cultivation/studios/")
    assert response.content.decode().count('href="/cultivation/studios/') >= 12
    assert as_leader.get("/api/studios/").json()["count"] == 12


def test_the_list_shows_current_members(as_admin, studios, operator_a):
    _led, joined, _other, _theirs = studios
    member = joined.members.get()
    services.add_member(joined, actor=operator_a, worker=WorkerFactory(name="陆二", enterprise=joined.enterprise))
    services.remove_member(member, actor=operator_a)
    page = as_admin.get("/cultivation/studios/?q=沈领办工作室").content.decode()
    assert "沈领办工作室" in page and "湖笔工作室" not in page
    assert as_admin.get("/api/studios/?q=沈领办工作室").json()["results"][0]["members"][0]["left_on"] is not None


def test_the_list_filters(as_admin, as_operator_a, studios):
    _led, _joined, _other, theirs = studios

    def count(client, query):  # type: ignore[no-untyped-def]
        return client.get("/api/studios/?" + query).json()["count"]

    assert count(as_admin, "level=provincial") == 1
    assert count(as_admin, "is_demonstration=true") == 1
    assert count(as_admin, "founded_year=2015") == 1
    assert count(as_admin, "founded_from=2019&founded_to=2020") == 2
    assert count(as_admin, f"enterprise={theirs.enterprise_id}") == 1
    assert count(as_operator_a, f"enterprise={theirs.enterprise_id}") == 3  # not a filter for operators
    assert count(as_admin, "q=湖笔") == 1
    assert count(as_admin, "q=钱领办") == 1  # the leader's name
    services.close_studio(theirs, actor=theirs_admin(), closed_year=2020)
    assert count(as_admin, "state=closed") == 1 and count(as_admin, "state=open") == 3


def theirs_admin():  # type: ignore[no-untyped-def]
    from talentpool.core.models import User

    return User.objects.get(username="admin")


def test_the_form_registers_a_studio_and_refuses_on_the_form(as_operator_a, leader_a, worker_b):
    data = {"name": "新工作室", "leader": leader_a.pk, "level": "district", "founded_year": "2019"}
    response = as_operator_a.post("/cultivation/studios/new/", {**data, "is_demonstration": "on"})
    assert response.status_code == 302, response.content.decode()
    studio = Studio.objects.get()
    assert studio.is_demonstration and studio.enterprise_id == leader_a.current_enterprise_id
    before = state()
    response = as_operator_a.post("/cultivation/studios/new/", data)
    assert response.status_code == 200 and "已登记" in response.content.decode()
    response = as_operator_a.post("/cultivation/studios/new/", {**data, "name": "又一个", "leader": worker_b.pk})
    assert response.status_code == 200
    response = as_operator_a.post("/cultivation/studios/new/", {**data, "name": "又一个", "founded_year": "2999"})
    assert response.status_code == 200
    assert state() == before


def test_the_pages_add_members_record_results_and_close(as_operator_a, operator_a, leader_a, worker_a):
    studio = create(operator_a, leader_a, founded_year=2018)
    url = f"/cultivation/studios/{studio.pk}/"
    found = as_operator_a.get(url + "workers/", {"q": "慎"}).json()["results"]
    assert [r["id"] for r in found] == [worker_a.pk] and worker_a.id_number not in str(found)
    response = as_operator_a.post(url + "members/new/", {"worker": worker_a.pk, "joined_on": "2020-01-01"})
    assert response.status_code == 302
    response = as_operator_a.post(url + "members/new/", {"worker": worker_a.pk})
    assert response.status_code == 200 and "已是" in response.content.decode()
    response = as_operator_a.post(url + "results/new/", {"year": "2021", "summary": "专利", "benefit": "1,234.5"})
    assert response.status_code == 302
    response = as_operator_a.post(url + "results/new/", {"year": "2021", "summary": "again"})
    assert response.status_code == 200 and StudioResult.objects.count() == 1
    response = as_operator_a.post(url + "results/new/", {"year": "2017", "summary": "early"})
    assert response.status_code == 200 and StudioResult.objects.count() == 1
    result = StudioResult.objects.get()
    response = as_operator_a.post(url + f"results/{result.pk}/edit/", {"summary": "专利 5 项", "benefit": ""})
    assert response.status_code == 302
    result.refresh_from_db()
    assert (result.summary, result.benefit) == ("专利 5 项", None)
    member = StudioMember.objects.get()
    response = as_operator_a.post(url + f"members/{member.pk}/leave/", {"left_on": "2024-01-01"})
    assert response.status_code == 302
    page = as_operator_a.get(url).content.decode()
    assert "慎建民" in page and "2024-01-01" in page and worker_a.id_number not in page
    assert 'data-testid="cultivation-subnav"' in page
    response = as_operator_a.post(url + "close/", {"closed_year": "2022", "version": "1"})
    assert response.status_code == 302
    studio.refresh_from_db()
    assert studio.closed_year == 2022
    assert as_operator_a.get(url + "close/").status_code == 404  # closed already
    response = as_operator_a.post(
        url + "edit/", {"name": "改名", "leader": leader_a.pk, "level": "city", "founded_year": "2018", "version": "1"}
    )
    assert response.status_code == 200  # opened on version 1, saved since: shows the conflict
    studio.refresh_from_db()
    assert studio.name != "改名"
    response = as_operator_a.post(url + "delete/")
    assert response.status_code == 302 and not Studio.objects.exists()


def test_the_tab_shows_for_leaders_and_operators(as_leader, as_operator_a):
    for client in (as_leader, as_operator_a):
        page = client.get("/cultivation/").content.decode()
        assert 'href="/cultivation/studios/"' in page


def test_an_admin_names_the_enterprise_on_the_form_and_changes_the_leader(
    as_admin, leader_b, enterprise_a, enterprise_b
):
    data = {"name": "湖笔工作室", "leader": leader_b.pk, "level": "provincial", "founded_year": "2016"}
    response = as_admin.post("/cultivation/studios/new/", {**data, "enterprise": enterprise_a.pk})
    assert response.status_code == 200 and not Studio.objects.exists()  # the leader is not enterprise A's
    response = as_admin.post("/cultivation/studios/new/", {**data, "enterprise": enterprise_b.pk})
    assert response.status_code == 302
    studio = Studio.objects.get()
    assert studio.enterprise == enterprise_b
    other = WorkerFactory(name="单新", enterprise=enterprise_b)
    found = as_admin.get(f"/cultivation/studios/{studio.pk}/workers/", {"q": "单新"}).json()["results"]
    assert [r["id"] for r in found] == [other.pk]
    response = as_admin.post(f"/cultivation/studios/{studio.pk}/edit/", {**data, "leader": other.pk, "version": "1"})
    assert response.status_code == 302
    studio.refresh_from_db()
    assert (studio.leader, studio.version) == (other, 2)
    log = AuditLog.objects.get(action=AuditAction.UPDATE, object_id=str(studio.pk))
    assert log.changes == {"leader": ["钱领办", "单新"]}
