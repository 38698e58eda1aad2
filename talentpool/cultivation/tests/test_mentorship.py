# ruff: noqa: F811, B008, RUF043
"""Master–apprentice pairs: the service's rules (own master, overlap, dates), scoping, pages, API."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from talentpool.core.exceptions import EditConflict, OutOfScope, ServiceError
from talentpool.core.models import AuditAction, AuditLog
from talentpool.cultivation import services_mentorship as services
from talentpool.cultivation.models import Mentorship
from talentpool.registry.models import Worker
from talentpool.registry.tests.factories import WorkerFactory

from .factories_mentorship import MentorshipFactory, apprentice_b, master_a, master_b  # noqa: F401

pytestmark = pytest.mark.django_db
D = datetime.date


def create(actor, master, apprentice, start=D(2024, 3, 1), end=None, **extra):  # type: ignore[no-untyped-def]
    return services.create_mentorship(
        actor=actor, master=master, apprentice=apprentice, start_date=start, end_date=end, **extra
    )


# The service's rules ---------------------------------------------------------------------


def test_an_operator_pairs_their_own_workers_for_the_apprentice_enterprise(operator_a, master_a, worker_a, locks):
    pair = create(operator_a, master_a, worker_a, goals="三年内达到高级工", is_famous_master=True)
    assert (pair.master, pair.apprentice, pair.enterprise_id, pair.status) == (
        master_a,
        worker_a,
        worker_a.current_enterprise_id,
        "active",
    )
    assert (pair.end_date, pair.benefit, pair.version) == (None, Decimal("0.00"), 1)
    assert (Worker, ("self",), True) in locks  # the apprentice's row, inside the transaction
    log = AuditLog.objects.get(action=AuditAction.CREATE, object_id=str(pair.pk))
    assert log.changes["master"] == [None, "沈师傅"] and log.changes["apprentice"] == [None, "慎建民"]


def test_a_worker_cannot_be_their_own_master(operator_a, worker_a):
    with pytest.raises(ServiceError, match="^师傅和徒弟不能是同一名职工$"):
        create(operator_a, worker_a, worker_a)
    assert not Mentorship.objects.exists()
    assert not AuditLog.objects.filter(action=AuditAction.CREATE).exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2023, 1, 1), None),  # ongoing, overlaps everything after
        (D(2024, 12, 31), D(2025, 6, 1)),  # touches the existing pair's last day: overlaps
        (D(2024, 5, 1), D(2024, 6, 1)),  # inside
    ],
)
def test_an_overlapping_pair_of_the_same_two_is_refused_and_nothing_changes(operator_a, master_a, worker_a, start, end):
    first = create(operator_a, master_a, worker_a, D(2024, 3, 1), D(2024, 12, 31))
    count = AuditLog.objects.count()
    with pytest.raises(ServiceError, match="时间重叠"):
        create(operator_a, master_a, worker_a, start, end)
    assert list(Mentorship.objects.all()) == [first]
    assert AuditLog.objects.count() == count


def test_a_pair_starting_the_day_after_the_last_one_ended_is_allowed(operator_a, master_a, worker_a):
    create(operator_a, master_a, worker_a, D(2024, 3, 1), D(2024, 12, 31))
    create(operator_a, master_a, worker_a, D(2025, 1, 1))
    other = WorkerFactory(name="周师傅", enterprise=worker_a.current_enterprise)
    create(operator_a, other, worker_a, D(2024, 3, 1))  # another master at the same time: fine
    assert Mentorship.objects.count() == 3


def test_dates_are_checked(operator_a, master_a, worker_a):
    with pytest.raises(ServiceError, match=r"^结束日期（2024-01-01）早于开始日期（2024-03-01）$"):
        create(operator_a, master_a, worker_a, D(2024, 3, 1), D(2024, 1, 1))
    with pytest.raises(ServiceError, match="早于徒弟的出生日期"):
        create(operator_a, master_a, worker_a, worker_a.birth_date - datetime.timedelta(days=1))
    with pytest.raises(ServiceError, match="晚于今天"):
        create(operator_a, master_a, worker_a, D.today() + datetime.timedelta(days=2))
    assert not Mentorship.objects.exists()


def test_an_operator_pairs_only_their_own_current_workers(
    operator_a, operator_b, master_a, master_b, worker_a, admin_user
):
    with pytest.raises(ServiceError, match="^只能从本企业在职职工中选择师傅。$"):
        create(operator_a, master_b, worker_a)
    with pytest.raises(ServiceError):
        create(operator_b, master_b, worker_a)
    assert not Mentorship.objects.exists()
    # an admin pairs a famous master from elsewhere; the pair is the apprentice's enterprise's
    pair = create(admin_user, master_b, worker_a, is_famous_master=True)
    assert pair.enterprise == worker_a.current_enterprise
    assert Mentorship.objects.restrict(operator_a).filter(pk=pair.pk).exists()
    assert not Mentorship.objects.restrict(operator_b).filter(pk=pair.pk).exists()


def test_others_keep_no_pairs(leader, expert, worker_user, master_a, worker_a):
    for actor in (leader, expert, worker_user):
        with pytest.raises(OutOfScope):
            create(actor, master_a, worker_a)


def test_completing_and_ending_a_pair(operator_a, master_a, worker_a):
    pair = create(operator_a, master_a, worker_a, D(2024, 3, 1))
    done = services.complete_mentorship(
        pair,
        actor=operator_a,
        end_date=D(2025, 3, 1),
        expected_version=1,
        apprentice_level_gained=3,
        competition_results="区技能比武一等奖",
        benefit="１，２３４．５",
        outcome_note="出师",
    )
    assert (done.status, done.end_date, done.apprentice_level_gained, done.benefit, done.version) == (
        "completed",
        D(2025, 3, 1),
        3,
        Decimal("1234.50"),
        2,
    )
    assert AuditLog.objects.filter(action="cultivation.mentorship.complete", object_id=str(pair.pk)).count() == 1
    with pytest.raises(ServiceError, match="no longer active|不再|已"):
        services.end_mentorship(done, actor=operator_a, end_date=D(2025, 3, 2))
    assert Worker.objects.get(pk=worker_a.pk).skill_level == worker_a.skill_level  # only certificates raise levels

    other = create(operator_a, master_a, worker_a, D(2025, 4, 1))
    ended = services.end_mentorship(other, actor=operator_a, end_date=D(2025, 5, 1), outcome_note="调岗")
    assert (ended.status, ended.end_date, ended.outcome_note) == ("ended", D(2025, 5, 1), "调岗")
    assert AuditLog.objects.filter(action="cultivation.mentorship.end").count() == 1


def test_an_edit_on_an_old_version_is_refused_and_changes_nothing(operator_a, master_a, worker_a):
    pair = create(operator_a, master_a, worker_a)
    services.update_mentorship(pair, actor=operator_a, expected_version=1, goals="新目标")
    with pytest.raises(EditConflict):
        services.update_mentorship(pair, actor=operator_a, expected_version=1, goals="旧页面")
    pair.refresh_from_db()
    assert (pair.goals, pair.version) == ("新目标", 2)


def test_an_edit_into_an_overlap_is_refused(operator_a, master_a, worker_a):
    create(operator_a, master_a, worker_a, D(2023, 1, 1), D(2023, 12, 31))
    later = create(operator_a, master_a, worker_a, D(2024, 1, 1))
    with pytest.raises(ServiceError, match="时间重叠"):
        services.update_mentorship(later, actor=operator_a, start_date=D(2023, 12, 31))
    later.refresh_from_db()
    assert (later.start_date, later.version) == (D(2024, 1, 1), 1)


def test_operator_b_cannot_change_operator_a_pairs(operator_a, operator_b, master_a, worker_a):
    pair = create(operator_a, master_a, worker_a)
    with pytest.raises(OutOfScope):
        services.update_mentorship(pair, actor=operator_b, goals="x")
    with pytest.raises(OutOfScope):
        services.delete_mentorship(pair, actor=operator_b)
    assert Mentorship.objects.get().goals == ""


def test_pairs_between(operator_a, master_a, worker_a, enterprise_a):
    third = WorkerFactory(name="赵三", enterprise=enterprise_a)
    create(operator_a, master_a, worker_a, D(2020, 1, 1), D(2020, 12, 31))
    create(operator_a, master_a, worker_a, D(2022, 1, 1))
    create(operator_a, worker_a, third, D(2023, 1, 1))
    assert services.pairs_between([master_a.pk, worker_a.pk, third.pk]) == {
        frozenset({master_a.pk, worker_a.pk}),
        frozenset({worker_a.pk, third.pk}),
    }
    assert services.pairs_between([master_a.pk, third.pk]) == set()
    assert services.pairs_between([worker_a.pk]) == set()


# Pages, scoping, API ---------------------------------------------------------------------


@pytest.fixture
def pairs(operator_a, admin_user, master_a, worker_a, master_b, apprentice_b):  # type: ignore[no-untyped-def]
    own = create(operator_a, master_a, worker_a, D(2024, 3, 1))
    as_master = create(operator_a, worker_a, master_a, D(2022, 1, 1), D(2022, 12, 31))  # worker_a as master
    theirs = create(admin_user, master_b, apprentice_b, D(2023, 5, 1))
    return own, as_master, theirs


def test_operator_b_gets_404_on_operator_a_pair_and_never_sees_it(as_operator_b, pairs):
    own, _as_master, theirs = pairs
    for url in (
        f"/cultivation/mentorship/{own.pk}/",
        f"/cultivation/mentorship/{own.pk}/edit/",
        f"/cultivation/mentorship/{own.pk}/complete/",
        f"/api/mentorships/{own.pk}/",
    ):
        assert as_operator_b.get(url).status_code == 404
    assert as_operator_b.post(f"/cultivation/mentorship/{own.pk}/delete/").status_code == 404
    page = as_operator_b.get("/cultivation/mentorship/").content.decode()
    assert "孙徒弟" in page and "慎建民" not in page
    assert [p["id"] for p in as_operator_b.get("/api/mentorships/").json()["results"]] == [theirs.pk]
    export = as_operator_b.get("/cultivation/mentorship/?export=xlsx")
    assert export.status_code == 200
    assert Mentorship.objects.filter(pk=own.pk).exists()


def test_the_worker_sees_their_pairs_as_master_and_as_apprentice(as_worker, pairs):
    own, as_master, theirs = pairs
    ids = {p["id"] for p in as_worker.get("/api/mentorships/").json()["results"]}
    assert ids == {own.pk, as_master.pk}
    assert as_worker.get(f"/cultivation/mentorship/{own.pk}/").status_code == 200
    assert as_worker.get(f"/cultivation/mentorship/{as_master.pk}/").status_code == 200
    assert as_worker.get(f"/cultivation/mentorship/{theirs.pk}/").status_code == 404
    assert as_worker.get(f"/cultivation/mentorship/{own.pk}/edit/").status_code == 404
    assert as_worker.get("/cultivation/mentorship/?export=xlsx").status_code == 404


def test_the_list_runs_a_bounded_number_of_queries(
    as_leader, pairs, admin_user, enterprise_a, django_assert_max_num_queries
):
    for n in range(6):
        create(
            admin_user,
            WorkerFactory(name=f"师{n}", enterprise=enterprise_a),
            WorkerFactory(name=f"徒{n}", enterprise=enterprise_a),
            D(2024, 1, 1),
        )
    with django_assert_max_num_queries(10):
        response = as_leader.get("/cultivation/mentorship/")
    assert response.status_code == 200
    assert response.content.decode().count("/cultivation/mentorship/") >= 9
    with django_assert_max_num_queries(12):
        assert as_leader.get("/cultivation/mentorship/?status=active&is_famous_master=false").status_code == 200


def test_the_list_filters(as_admin, pairs):
    _own, _as_master, theirs = pairs

    def count(query):  # type: ignore[no-untyped-def]
        return as_admin.get("/api/mentorships/?" + query).json()["count"]

    assert count("status=active") == 3  # an agreed end date alone does not complete a pair
    assert count(f"enterprise={theirs.enterprise_id}") == 1
    assert count("start_year=2022") == 1
    assert count("start_date_after=2023-01-01&start_date_before=2023-12-31") == 1
    assert count("q=孙徒弟") == 1
    assert count("q=慎建民") == 2
    assert as_admin.get("/cultivation/mentorship/", {"status": "completed"}).status_code == 200


def test_the_form_creates_a_pair_and_refuses_an_overlap_on_the_form(as_operator_a, master_a, worker_a):
    data = {
        "master": master_a.pk,
        "apprentice": worker_a.pk,
        "start_date": "2024-03-01",
        "end_date": "",
        "goals": "带出高级工",
        "is_famous_master": "on",
    }
    response = as_operator_a.post("/cultivation/mentorship/new/", data)
    assert response.status_code == 302
    pair = Mentorship.objects.get()
    assert pair.is_famous_master and pair.goals == "带出高级工"
    response = as_operator_a.post("/cultivation/mentorship/new/", {**data, "start_date": "2025-01-01"})
    assert response.status_code == 200 and "时间重叠" in response.content.decode()
    response = as_operator_a.post("/cultivation/mentorship/new/", {**data, "master": worker_a.pk})
    assert "师傅和徒弟不能是同一名职工" in response.content.decode()
    assert Mentorship.objects.count() == 1


def test_the_form_offers_only_the_operator_workers(as_operator_a, master_b, worker_a):
    data = {"master": master_b.pk, "apprentice": worker_a.pk, "start_date": "2024-03-01"}
    response = as_operator_a.post("/cultivation/mentorship/new/", data)
    assert response.status_code == 200 and not Mentorship.objects.exists()
    found = as_operator_a.get("/cultivation/mentorship/workers/", {"q": "钱"}).json()["results"]
    assert found == []
    found = as_operator_a.get("/cultivation/mentorship/workers/", {"q": "慎"}).json()["results"]
    assert [r["id"] for r in found] == [worker_a.pk]
    assert worker_a.id_number not in str(found)
    by_number = as_operator_a.get("/cultivation/mentorship/workers/", {"q": worker_a.id_number})
    assert by_number.status_code == 400 or by_number.json() == {"results": []}  # never a search by ID number


def test_complete_page_and_detail(as_operator_a, operator_a, master_a, worker_a):
    pair = create(operator_a, master_a, worker_a, D(2024, 3, 1))
    response = as_operator_a.post(
        f"/cultivation/mentorship/{pair.pk}/complete/",
        {
            "end_date": "2025-03-01",
            "apprentice_level_gained": "3",
            "competition_results": "一等奖",
            "benefit": "1,234.5",
            "outcome_note": "",
            "version": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()
    pair.refresh_from_db()
    assert (pair.status, pair.benefit) == ("completed", Decimal("1234.50"))
    page = as_operator_a.get(f"/cultivation/mentorship/{pair.pk}/").content.decode()
    assert "1234.50" in page and 'data-testid="cultivation-subnav"' in page
    assert worker_a.id_number not in page
    assert as_operator_a.get(f"/cultivation/mentorship/{pair.pk}/end/").status_code == 404  # no longer active


def test_the_tab_shows_for_leaders_and_operators(as_leader, as_operator_a):
    for client in (as_leader, as_operator_a):
        page = client.get("/cultivation/").content.decode()
        assert 'href="/cultivation/mentorship/"' in page
