# ruff: noqa: F811, RUF043
""" "五小" innovations: the service's rules (team, benefit, course), scoping by role, pages, API."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talentpool.core.exceptions import EditConflict, OutOfScope, ServiceError
from talentpool.core.models import AuditAction, AuditLog
from talentpool.cultivation import services_innovations as services
from talentpool.cultivation.models import Innovation, InnovationMember
from talentpool.registry.models import Worker
from talentpool.registry.tests.factories import WorkerFactory

from .factories_innovations import InnovationFactory, colleague_a, colleague_b  # noqa: F401

pytestmark = pytest.mark.django_db
D = datetime.date


def submit(actor, members, **extra):  # type: ignore[no-untyped-def]
    values = {"title": "数控车床上料装置改进", "kind": "innovation", "submitted_on": D(2024, 5, 10), **extra}
    return services.submit_innovation(actor=actor, members=members, **values)


def team(innovation):  # type: ignore[no-untyped-def]
    return list(innovation.members.order_by("order").values_list("worker__name", "role"))


def state(innovation):  # type: ignore[no-untyped-def]
    innovation = Innovation.objects.get(pk=innovation.pk)
    return (
        innovation.status,
        innovation.version,
        innovation.evaluation,
        innovation.commendation_level,
        innovation.commendation_year,
        innovation.commended_on,
        team(innovation),
    )


# The service's rules ---------------------------------------------------------------------


def test_an_operator_submits_for_their_enterprise_with_a_team_led_by_the_first(
    operator_a, worker_a, colleague_a, locks
):
    innovation = submit(
        operator_a,
        [colleague_a, worker_a],
        economic_benefit="１２，５００.5",
        is_adopted=True,
        adopted_on=D(2024, 6, 1),
        social_benefit="降低劳动强度",
    )
    assert (innovation.enterprise_id, innovation.status, innovation.version) == (
        operator_a.enterprise_id,
        "submitted",
        1,
    )
    assert innovation.economic_benefit == Decimal("12500.50")
    assert team(innovation) == [("沈技师", "leader"), ("慎建民", "member")]
    assert (Worker, ("self",), True) in locks  # the team's rows, inside the transaction
    log = AuditLog.objects.get(action=AuditAction.CREATE, object_id=str(innovation.pk))
    assert log.changes["members"] == [None, "沈技师、慎建民"]
    assert worker_a.id_number not in str(log.changes)


def test_a_negative_or_unreadable_benefit_is_refused_in_chinese_and_nothing_is_written(operator_a, worker_a):
    with pytest.raises(ServiceError, match="^金额不能为负数$"):
        submit(operator_a, [worker_a], economic_benefit="-1")
    with pytest.raises(ServiceError, match="无法识别的金额“一万”"):
        submit(operator_a, [worker_a], economic_benefit="一万")
    assert not Innovation.objects.exists() and not InnovationMember.objects.exists()
    assert not AuditLog.objects.filter(action=AuditAction.CREATE).exists()
    assert submit(operator_a, [worker_a], economic_benefit=None).economic_benefit is None  # blank: not measured


def test_team_members_must_be_current_workers_of_the_enterprise(operator_a, worker_a, colleague_b, admin_user):
    with pytest.raises(ServiceError, match="^团队成员须为申报企业的在职职工：钱工匠不是。$"):
        submit(operator_a, [worker_a, colleague_b])
    with pytest.raises(ServiceError, match="^团队中有职工重复。$"):
        submit(operator_a, [worker_a, worker_a])
    with pytest.raises(ServiceError, match="^请填写团队成员，至少要有负责人。$"):
        submit(operator_a, [])
    with pytest.raises(ServiceError, match="钱工匠"):  # an admin too: the team is the enterprise's
        submit(admin_user, [worker_a, colleague_b], enterprise=worker_a.current_enterprise)
    assert not Innovation.objects.exists()


def test_an_operator_submits_for_their_own_enterprise_only(operator_a, worker_a, enterprise_b, admin_user):
    with pytest.raises(OutOfScope):
        submit(operator_a, [worker_a], enterprise=enterprise_b)
    assert not Innovation.objects.exists()
    innovation = submit(admin_user, [worker_a])  # an admin: the leader's enterprise by default
    assert innovation.enterprise_id == worker_a.current_enterprise_id


def test_others_submit_nothing(leader, expert, worker_user, worker_a):
    for actor in (leader, expert, worker_user):
        with pytest.raises(OutOfScope):
            submit(actor, [worker_a])
    assert not Innovation.objects.exists()


def test_dates_are_checked(operator_a, worker_a):
    with pytest.raises(ServiceError, match="不能晚于今天"):
        submit(operator_a, [worker_a], submitted_on=D.today() + datetime.timedelta(days=2))
    with pytest.raises(ServiceError, match="^采纳日期不能早于申报日期。$"):
        submit(operator_a, [worker_a], is_adopted=True, adopted_on=D(2024, 1, 1))
    assert not Innovation.objects.exists()


def test_an_edit_on_an_old_version_is_refused_and_changes_nothing(operator_a, worker_a, colleague_a):
    innovation = submit(operator_a, [worker_a])
    services.update_innovation(innovation, actor=operator_a, expected_version=1, members=[colleague_a, worker_a])
    before = state(innovation)
    with pytest.raises(EditConflict):
        services.update_innovation(innovation, actor=operator_a, expected_version=1, title="旧页面")
    assert state(innovation) == before and before[1] == 2
    assert Innovation.objects.get().title == "数控车床上料装置改进"
    assert team(innovation) == [("沈技师", "leader"), ("慎建民", "member")]
    log = AuditLog.objects.get(action=AuditAction.UPDATE, object_id=str(innovation.pk))
    assert log.changes["members"] == ["慎建民", "沈技师、慎建民"]


def test_an_edit_to_a_negative_benefit_is_refused_and_changes_nothing(operator_a, worker_a):
    innovation = submit(operator_a, [worker_a], economic_benefit="100")
    with pytest.raises(ServiceError, match="^金额不能为负数$"):
        services.update_innovation(innovation, actor=operator_a, economic_benefit=Decimal("-0.01"), title="改名")
    innovation.refresh_from_db()
    assert (innovation.economic_benefit, innovation.title, innovation.version) == (
        Decimal("100.00"),
        "数控车床上料装置改进",
        1,
    )


def test_the_course_evaluate_commend_and_not_commended(admin_user, operator_a, worker_a):
    innovation = submit(operator_a, [worker_a])
    with pytest.raises(ServiceError, match="^请先评审，再表彰。$"):
        services.commend_innovation(innovation, actor=admin_user, level="city", year=2024, commended_on=D(2024, 9, 1))
    assert state(innovation)[:2] == ("submitted", 1)
    evaluated = services.evaluate_innovation(
        innovation,
        actor=admin_user,
        evaluation="构思新颖，推广价值较高",
        evaluated_on=D(2024, 8, 1),
        expected_version=1,
    )
    assert (evaluated.status, evaluated.version) == ("evaluated", 2)
    commended = services.commend_innovation(
        innovation, actor=admin_user, level="city", year=2024, commended_on=D(2024, 9, 1), expected_version=2
    )
    assert (commended.status, commended.commendation_level, commended.commendation_year, commended.commended_on) == (
        "commended",
        "city",
        2024,
        D(2024, 9, 1),
    )
    before = state(innovation)
    with pytest.raises(ServiceError, match="^该成果已获表彰。$"):
        services.commend_innovation(
            innovation, actor=admin_user, level="district", year=2024, commended_on=D(2024, 9, 2)
        )
    with pytest.raises(ServiceError):
        services.evaluate_innovation(innovation, actor=admin_user, evaluation="再评", evaluated_on=D(2024, 9, 3))
    with pytest.raises(ServiceError, match="^已评审的成果不能删除。$"):
        services.delete_innovation(innovation, actor=admin_user)
    assert state(innovation) == before
    withdrawn = services.record_not_commended(innovation, actor=admin_user, expected_version=3)
    assert (withdrawn.status, withdrawn.commendation_level, withdrawn.commendation_year, withdrawn.commended_on) == (
        "evaluated",
        "",
        None,
        None,
    )
    actions = list(
        AuditLog.objects.filter(object_id=str(innovation.pk)).order_by("pk").values_list("action", flat=True)
    )
    assert actions == [
        AuditAction.CREATE,
        "cultivation.innovation.evaluate",
        "cultivation.innovation.commend",
        "cultivation.innovation.not_commended",
    ]


def test_commendation_rules(admin_user, operator_a, worker_a):
    innovation = submit(operator_a, [worker_a])
    services.evaluate_innovation(innovation, actor=admin_user, evaluation="好", evaluated_on=D(2024, 8, 1))
    before = state(innovation)
    with pytest.raises(ServiceError, match="^表彰日期不能早于评审日期。$"):
        services.commend_innovation(innovation, actor=admin_user, level="city", year=2024, commended_on=D(2024, 7, 1))
    with pytest.raises(ServiceError, match="^表彰年度应在 1949 至"):
        services.commend_innovation(innovation, actor=admin_user, level="city", year=1900, commended_on=D(2024, 9, 1))
    with pytest.raises(ServiceError, match="^请选择表彰级别。$"):
        services.commend_innovation(innovation, actor=admin_user, level="galaxy", year=2024, commended_on=D(2024, 9, 1))
    with pytest.raises(ServiceError):
        services.evaluate_innovation(innovation, actor=admin_user, evaluation="", evaluated_on=D(2024, 8, 1))
    assert state(innovation) == before


def test_only_admins_evaluate_and_commend(operator_a, leader, worker_user, worker_a):
    innovation = submit(operator_a, [worker_a])
    for actor in (operator_a, leader, worker_user):
        with pytest.raises(OutOfScope):
            services.evaluate_innovation(innovation, actor=actor, evaluation="好", evaluated_on=D(2024, 8, 1))
        with pytest.raises(OutOfScope):
            services.record_not_commended(innovation, actor=actor)
    assert state(innovation)[:3] == ("submitted", 1, "")


def test_an_operator_edits_and_deletes_only_while_submitted(operator_a, admin_user, worker_a):
    innovation = submit(operator_a, [worker_a])
    services.evaluate_innovation(innovation, actor=admin_user, evaluation="好", evaluated_on=D(2024, 8, 1))
    before = state(innovation)
    with pytest.raises(ServiceError, match="^该成果已评审，只有管理员可以修改。$"):
        services.update_innovation(innovation, actor=operator_a, title="改名")
    with pytest.raises(ServiceError):
        services.delete_innovation(innovation, actor=operator_a)
    assert state(innovation) == before
    services.update_innovation(innovation, actor=admin_user, title="管理员改名")  # an admin may
    assert Innovation.objects.get().title == "管理员改名"


def test_operator_b_cannot_change_or_delete_operator_a_innovations(operator_a, operator_b, worker_a, worker_b):
    innovation = submit(operator_a, [worker_a])
    before = state(innovation)
    with pytest.raises(OutOfScope):
        services.update_innovation(innovation, actor=operator_b, title="x")
    with pytest.raises(OutOfScope):
        services.update_innovation(innovation, actor=operator_b, members=[worker_b])
    with pytest.raises(OutOfScope):
        services.delete_innovation(innovation, actor=operator_b)
    assert state(innovation) == before and Innovation.objects.get().title == "数控车床上料装置改进"


def test_deleting_a_submitted_innovation_deletes_its_team_and_is_audited(operator_a, worker_a):
    innovation = submit(operator_a, [worker_a])
    services.delete_innovation(innovation, actor=operator_a)
    assert not Innovation.objects.exists() and not InnovationMember.objects.exists()
    log = AuditLog.objects.get(action=AuditAction.DELETE)
    assert log.changes["title"] == ["数控车床上料装置改进", None]


def test_a_member_who_moved_on_stays_in_the_team_on_an_edit(operator_a, worker_a, colleague_a, enterprise_b):
    innovation = submit(operator_a, [worker_a, colleague_a])
    Worker.objects.filter(pk=colleague_a.pk).update(current_enterprise=enterprise_b)
    newcomer = WorkerFactory(name="周新人", enterprise=worker_a.current_enterprise)
    services.update_innovation(innovation, actor=operator_a, members=[worker_a, colleague_a, newcomer])
    assert team(innovation) == [("慎建民", "leader"), ("沈技师", "member"), ("周新人", "member")]


# Pages, scoping, API ---------------------------------------------------------------------


@pytest.fixture
def records(operator_a, operator_b, worker_a, colleague_a, worker_b):  # type: ignore[no-untyped-def]
    own = submit(operator_a, [worker_a, colleague_a], title="自动上料装置")
    not_mine = submit(operator_a, [colleague_a], title="焊接防错工装", kind="design")
    theirs = submit(operator_b, [worker_b], title="湖笔选毫工艺改良", kind="suggestion", submitted_on=D(2023, 4, 1))
    return own, not_mine, theirs


def test_the_admin_sees_and_does_everything(as_admin, records):
    own, _not_mine, theirs = records
    assert as_admin.get("/api/innovations/").json()["count"] == 3
    assert as_admin.get(f"/cultivation/innovations/{theirs.pk}/").status_code == 200
    response = as_admin.post(
        f"/cultivation/innovations/{own.pk}/evaluate/",
        {"evaluation": "效果明显", "evaluated_on": "2024-08-01", "version": "1"},
    )
    assert response.status_code == 302, response.content.decode()
    response = as_admin.post(
        f"/cultivation/innovations/{own.pk}/commend/",
        {"level": "district", "year": "2024", "commended_on": "2024-09-01", "version": "2"},
    )
    assert response.status_code == 302, response.content.decode()
    own.refresh_from_db()
    assert (own.status, own.commendation_level, own.commendation_year) == ("commended", "district", 2024)
    page = as_admin.get(f"/cultivation/innovations/{own.pk}/").content.decode()
    assert "区级" in page and "效果明显" in page
    as_admin.post(f"/cultivation/innovations/{own.pk}/not-commended/", {"version": "3"})
    own.refresh_from_db()
    assert (own.status, own.commendation_level, own.version) == ("evaluated", "", 4)


def test_the_admin_pages_render_without_id_numbers(as_admin, admin_user, records, worker_a):
    own, _not_mine, _theirs = records
    for url in (
        "/cultivation/innovations/",
        "/cultivation/innovations/new/",
        f"/cultivation/innovations/{own.pk}/",
        f"/cultivation/innovations/{own.pk}/edit/",
        f"/cultivation/innovations/{own.pk}/evaluate/",
    ):
        response = as_admin.get(url)
        assert response.status_code == 200, url
        assert worker_a.id_number not in response.content.decode()
    assert 'name="enterprise"' in as_admin.get("/cultivation/innovations/new/").content.decode()
    assert as_admin.get(f"/cultivation/innovations/{own.pk}/commend/").status_code == 404  # not evaluated yet
    services.evaluate_innovation(own, actor=admin_user, evaluation="好", evaluated_on=D(2024, 8, 1))
    assert as_admin.get(f"/cultivation/innovations/{own.pk}/commend/").status_code == 200
    page = as_admin.get(f"/cultivation/innovations/{own.pk}/").content.decode()
    assert (
        f"/cultivation/innovations/{own.pk}/commend/" in page
        and f"/cultivation/innovations/{own.pk}/delete/" not in page
    )
    response = as_admin.post(f"/cultivation/innovations/{own.pk}/delete/")
    assert response.status_code == 302 and Innovation.objects.filter(pk=own.pk).exists()  # evaluated: kept


def test_the_admin_submits_for_an_enterprise_by_the_form(as_admin, worker_a, colleague_a, enterprise_b, worker_b):
    data = {
        "title": "气动夹具",
        "kind": "invention",
        "enterprise": enterprise_b.pk,
        "submitted_on": "2024-05-10",
        "leader": worker_a.pk,
    }
    response = as_admin.post("/cultivation/innovations/new/", data)
    assert response.status_code == 200 and "团队成员须为申报企业的在职职工" in response.content.decode()
    assert not Innovation.objects.exists()
    response = as_admin.post("/cultivation/innovations/new/", {**data, "leader": worker_b.pk})
    assert response.status_code == 302
    assert Innovation.objects.get().enterprise == enterprise_b


def test_the_leader_reads_everything_and_changes_nothing(as_leader, records):
    own, _not_mine, theirs = records
    assert as_leader.get("/api/innovations/").json()["count"] == 3
    assert as_leader.get(f"/cultivation/innovations/{theirs.pk}/").status_code == 200
    assert as_leader.get("/cultivation/innovations/?export=xlsx").status_code == 200
    for url in (
        "/cultivation/innovations/new/",
        f"/cultivation/innovations/{own.pk}/edit/",
        f"/cultivation/innovations/{own.pk}/evaluate/",
        f"/cultivation/innovations/{own.pk}/commend/",
    ):
        assert as_leader.get(url).status_code == 404
    assert as_leader.post(f"/cultivation/innovations/{own.pk}/delete/").status_code == 404
    assert as_leader.post(f"/cultivation/innovations/{own.pk}/evaluate/", {"evaluation": "x"}).status_code == 404
    assert state(own)[:2] == ("submitted", 1) and Innovation.objects.count() == 3
    page = as_leader.get(f"/cultivation/innovations/{own.pk}/").content.decode()
    assert f"/cultivation/innovations/{own.pk}/edit/" not in page


def test_operator_b_gets_404_on_operator_a_innovations_and_never_sees_them(as_operator_b, records):
    own, _not_mine, theirs = records
    for url in (
        f"/cultivation/innovations/{own.pk}/",
        f"/cultivation/innovations/{own.pk}/edit/",
        f"/cultivation/innovations/{own.pk}/workers/?q=慎",
        f"/api/innovations/{own.pk}/",
    ):
        assert as_operator_b.get(url).status_code == 404
    assert as_operator_b.post(f"/cultivation/innovations/{own.pk}/delete/").status_code == 404
    assert as_operator_b.post(f"/cultivation/innovations/{own.pk}/edit/", {"title": "x"}).status_code == 404
    page = as_operator_b.get("/cultivation/innovations/").content.decode()
    assert "湖笔选毫工艺改良" in page and "自动上料装置" not in page
    assert [p["id"] for p in as_operator_b.get("/api/innovations/").json()["results"]] == [theirs.pk]
    assert as_operator_b.get("/cultivation/innovations/?export=xlsx").status_code == 200
    assert state(own)[:2] == ("submitted", 1) and Innovation.objects.count() == 3


def test_the_operator_edits_their_own_and_cannot_evaluate(as_operator_a, records, colleague_a, worker_a):
    own, _not_mine, _theirs = records
    page = as_operator_a.get(f"/cultivation/innovations/{own.pk}/edit/").content.decode()
    assert worker_a.id_number not in page
    data = {
        "title": "自动上料装置（二代）",
        "kind": "invention",
        "submitted_on": "2024-05-10",
        "leader": colleague_a.pk,
        "member_1": worker_a.pk,
        "economic_benefit": "3,000",
        "version": "1",
    }
    response = as_operator_a.post(f"/cultivation/innovations/{own.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()
    own.refresh_from_db()
    assert (own.title, own.kind, own.economic_benefit, own.version) == (
        "自动上料装置（二代）",
        "invention",
        Decimal("3000.00"),
        2,
    )
    assert team(own) == [("沈技师", "leader"), ("慎建民", "member")]
    assert as_operator_a.get(f"/cultivation/innovations/{own.pk}/evaluate/").status_code == 404
    assert as_operator_a.post(f"/cultivation/innovations/{own.pk}/not-commended/").status_code == 404
    stale = as_operator_a.post(f"/cultivation/innovations/{own.pk}/edit/", {**data, "title": "旧页面"})
    assert stale.status_code == 200
    own.refresh_from_db()
    assert (own.title, own.version) == ("自动上料装置（二代）", 2)


def test_the_worker_sees_the_innovations_whose_team_they_are_in(as_worker, records):
    own, not_mine, theirs = records
    assert {p["id"] for p in as_worker.get("/api/innovations/").json()["results"]} == {own.pk}
    assert as_worker.get(f"/cultivation/innovations/{own.pk}/").status_code == 200
    for innovation in (not_mine, theirs):
        assert as_worker.get(f"/cultivation/innovations/{innovation.pk}/").status_code == 404
    page = as_worker.get("/cultivation/innovations/").content.decode()
    assert "自动上料装置" in page and "焊接防错工装" not in page
    assert as_worker.get(f"/cultivation/innovations/{own.pk}/edit/").status_code == 404
    assert as_worker.post(f"/cultivation/innovations/{own.pk}/delete/").status_code == 404
    assert as_worker.get("/cultivation/innovations/new/").status_code == 404
    assert as_worker.get("/cultivation/innovations/?export=xlsx").status_code == 404
    assert Innovation.objects.count() == 3


def test_the_form_submits_and_refuses_a_negative_benefit_in_chinese(as_operator_a, worker_a, colleague_a):
    data = {
        "title": "节能降耗改造",
        "kind": "creation",
        "submitted_on": "2024-05-10",
        "leader": worker_a.pk,
        "member_1": colleague_a.pk,
        "economic_benefit": "-500",
        "social_benefit": "",
    }
    response = as_operator_a.post("/cultivation/innovations/new/", data)
    assert response.status_code == 200 and "金额不能为负数" in response.content.decode()
    assert not Innovation.objects.exists()
    response = as_operator_a.post(
        "/cultivation/innovations/new/", {**data, "member_1": worker_a.pk, "economic_benefit": ""}
    )
    assert response.status_code == 200 and "团队中有职工重复" in response.content.decode()
    assert not Innovation.objects.exists()
    response = as_operator_a.post("/cultivation/innovations/new/", {**data, "economic_benefit": "１，２００.5"})
    assert response.status_code == 302, response.content.decode()
    innovation = Innovation.objects.get()
    assert innovation.economic_benefit == Decimal("1200.50") and team(innovation)[0] == ("慎建民", "leader")


def test_the_form_offers_only_the_operator_workers(as_operator_a, worker_a, colleague_b):
    data = {"title": "x", "kind": "design", "submitted_on": "2024-05-10", "leader": colleague_b.pk}
    response = as_operator_a.post("/cultivation/innovations/new/", data)
    assert response.status_code == 200 and not Innovation.objects.exists()
    assert as_operator_a.get("/cultivation/innovations/workers/", {"q": "钱"}).json()["results"] == []
    found = as_operator_a.get("/cultivation/innovations/workers/", {"q": "慎"}).json()["results"]
    assert [r["id"] for r in found] == [worker_a.pk] and worker_a.id_number not in str(found)
    by_number = as_operator_a.get("/cultivation/innovations/workers/", {"q": worker_a.id_number})
    assert by_number.status_code == 400 or by_number.json() == {"results": []}  # never a search by ID number


def test_the_list_runs_a_bounded_number_of_queries(as_leader, records, operator_a, enterprise_a):
    def queries(url):  # type: ignore[no-untyped-def]
        with CaptureQueriesContext(connection) as captured:
            assert as_leader.get(url).status_code == 200
        return len(captured)

    urls = [
        "/cultivation/innovations/",
        "/cultivation/innovations/?kind=innovation&status=submitted&year=2024",
        "/api/innovations/",
    ]
    [queries(url) for url in urls]  # the first page of a session saves the session's list state
    few = [queries(url) for url in urls]
    for n in range(8):
        submit(
            operator_a,
            [
                WorkerFactory(name=f"甲{n}", enterprise=enterprise_a),
                WorkerFactory(name=f"乙{n}", enterprise=enterprise_a),
            ],
            title=f"成果{n}",
        )
    many = [queries(url) for url in urls]
    assert many == few  # one query for the page's teams, however many rows
    assert many[0] <= 10 and many[1] <= 10 and many[2] <= 10
    response = as_leader.get("/cultivation/innovations/")
    assert response.content.decode().count('href="/cultivation/innovations/') >= 11


def test_the_list_filters(as_admin, admin_user, records):
    own, _not_mine, theirs = records
    services.evaluate_innovation(own, actor=admin_user, evaluation="好", evaluated_on=D(2024, 8, 1))
    services.commend_innovation(own, actor=admin_user, level="city", year=2024, commended_on=D(2024, 9, 1))

    def count(query):  # type: ignore[no-untyped-def]
        return as_admin.get("/api/innovations/?" + query).json()["count"]

    assert count("year=2024") == 2
    assert count("year=2023") == 1
    assert count("kind=design") == 1
    assert count("status=commended") == 1
    assert count("commendation_level=city") == 1
    assert count("commendation_year=2024") == 1
    assert count(f"enterprise={theirs.enterprise_id}") == 1
    assert count("q=慎建民") == 1
    assert count("q=焊接") == 1
    assert as_admin.get("/cultivation/innovations/", {"kind": "design"}).status_code == 200


def test_operators_have_no_enterprise_filter(as_operator_a, as_leader, records):
    assert 'name="enterprise"' not in as_operator_a.get("/cultivation/innovations/").content.decode()
    assert 'name="enterprise"' in as_leader.get("/cultivation/innovations/").content.decode()


def test_the_export_has_the_team(as_admin, records):
    response = as_admin.get("/cultivation/innovations/?export=xlsx")
    assert response.status_code == 200
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, changes__kind="innovations").exists()


def test_the_tab_shows_for_leaders_operators_and_workers(as_leader, as_operator_a, as_worker):
    for client in (as_leader, as_operator_a):
        page = client.get("/cultivation/").content.decode()
        assert 'href="/cultivation/innovations/"' in page
    page = as_worker.get("/cultivation/innovations/").content.decode()
    assert 'data-testid="cultivation-subnav"' in page
