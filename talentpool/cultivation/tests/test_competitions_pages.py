"""Competition pages: each role's access (admin keeps, leader reads, operator their own enterprise,
worker their own entries), refusals that change nothing, bounded list queries, the API, and the
promotion confirmed through the page raising the worker's level."""

from __future__ import annotations

import pytest
from django.utils import translation

from talentpool.core.models import AuditLog
from talentpool.cultivation.models import Competition, CompetitionEvent, Entry, PromotionProposal, PromotionRule
from talentpool.registry.models import Certificate
from talentpool.registry.tests.factories import WorkerFactory

from .factories_competitions import CompetitionEventFactory, CompetitionFactory, EntryFactory

pytestmark = pytest.mark.django_db
BASE = "/cultivation/competitions/"


def event_url(event, tail=""):  # type: ignore[no-untyped-def]
    return f"{BASE}events/{event.pk}/{tail}"


@pytest.fixture
def games(worker_a, worker_b):  # type: ignore[no-untyped-def]
    """A national games with one event; worker A (enterprise A) and worker B (enterprise B) entered."""
    event = CompetitionEventFactory(code="EV-TURN", name="数控车工")
    return {
        "competition": event.competition,
        "event": event,
        "entry_a": EntryFactory(event=event, worker=worker_a),
        "entry_b": EntryFactory(event=event, worker=worker_b),
    }


@pytest.fixture
def own_contest(enterprise_a):  # type: ignore[no-untyped-def]
    """Enterprise A's own contest (岗位练兵), kept by its operator."""
    competition = CompetitionFactory(
        name="久立岗位练兵", level="enterprise", competition_class="", enterprise=enterprise_a
    )
    return CompetitionEventFactory(competition=competition, code="JL-01", name="焊工")


# Reading -----------------------------------------------------------------------------------


def test_admin_and_leader_see_every_entry(as_admin, as_leader, games):
    for client in (as_admin, as_leader):
        page = client.get(event_url(games["event"])).content.decode()
        assert "慎建民" in page and "单田芳" in page
        assert client.get(f"{BASE}{games['competition'].pk}/").status_code == 200
    admin_page = as_admin.get(event_url(games["event"])).content.decode()
    assert 'data-testid="record-results"' in admin_page
    leader_page = as_leader.get(event_url(games["event"])).content.decode()
    assert 'data-testid="record-results"' not in leader_page and 'data-testid="enter-workers"' not in leader_page
    assert "Withdraw" not in leader_page and "退出" not in leader_page.split('data-testid="entries"')[1]


def test_leader_reads_only(as_leader, games, worker_a):
    event = games["event"]
    assert as_leader.get(event_url(event, "results/")).status_code == 404
    assert as_leader.get(event_url(event, "enter/")).status_code == 404
    assert as_leader.get(f"{BASE}{games['competition'].pk}/edit/").status_code == 404
    assert as_leader.get(f"{BASE}new/").status_code == 404
    assert as_leader.post(f"{BASE}entries/{games['entry_a'].pk}/withdraw/").status_code == 404
    assert as_leader.get(f"{BASE}promotions/").status_code == 404
    assert as_leader.get(f"{BASE}rules/").status_code == 404
    assert Entry.objects.count() == 2
    assert as_leader.get(f"{BASE}entries/?export=xlsx").status_code == 200


def test_operator_sees_own_enterprise_entries_only(as_operator_a, games):
    page = as_operator_a.get(event_url(games["event"])).content.decode()
    assert "慎建民" in page and "单田芳" not in page
    assert 'data-testid="enter-workers"' in page and 'data-testid="record-results"' not in page
    listed = as_operator_a.get(f"{BASE}entries/").content.decode()
    assert "慎建民" in listed and "单田芳" not in listed
    api = as_operator_a.get("/api/entries/").json()
    assert [e["id"] for e in api["results"]] == [games["entry_a"].pk]
    assert as_operator_a.get(f"/api/entries/{games['entry_b'].pk}/").status_code == 404


def test_operator_cannot_withdraw_another_enterprise_entry(as_operator_a, games):
    response = as_operator_a.post(f"{BASE}entries/{games['entry_b'].pk}/withdraw/")
    assert response.status_code == 404
    assert Entry.objects.filter(pk=games["entry_b"].pk).exists()
    assert not AuditLog.objects.filter(action="cultivation.entry.withdraw").exists()


def test_operator_does_not_see_another_enterprise_contest(as_operator_b, as_operator_a, own_contest):
    competition = own_contest.competition
    assert as_operator_b.get(f"{BASE}{competition.pk}/").status_code == 404
    assert as_operator_b.get(event_url(own_contest)).status_code == 404
    assert as_operator_b.get(event_url(own_contest, "enter/")).status_code == 404
    assert "久立岗位练兵" not in as_operator_b.get(BASE).content.decode()
    assert "久立岗位练兵" in as_operator_a.get(BASE).content.decode()


def test_worker_sees_own_entries_only_and_no_export(as_worker, games, worker_a):
    listed = as_worker.get(f"{BASE}entries/")
    assert listed.status_code == 200
    page = listed.content.decode()
    assert "慎建民" in page and "单田芳" not in page and "?export=xlsx" not in page
    assert as_worker.get(f"{BASE}entries/?export=xlsx").status_code == 404
    detail = as_worker.get(event_url(games["event"])).content.decode()
    assert "慎建民" in detail and "单田芳" not in detail and 'data-testid="enter-workers"' not in detail
    assert [e["id"] for e in as_worker.get("/api/entries/").json()["results"]] == [games["entry_a"].pk]
    assert worker_a.id_number not in page + detail
    other = CompetitionEventFactory()  # a competition the worker did not enter
    assert as_worker.get(event_url(other)).status_code == 404
    assert as_worker.get(f"{BASE}{other.competition.pk}/").status_code == 404
    assert as_worker.get(BASE).status_code == 404  # the calendar is for the offices
    assert as_worker.post(f"{BASE}entries/{games['entry_a'].pk}/withdraw/").status_code == 404
    assert Entry.objects.count() == 2


def test_the_lists_filter(as_admin, games, own_contest, worker_a):
    EntryFactory(event=own_contest, worker=worker_a, rank=1, award="first")

    def count(url, query):  # type: ignore[no-untyped-def]
        return as_admin.get(f"{url}?{query}").json()["count"]

    assert count("/api/competitions/", "level=enterprise") == 1
    assert count("/api/competitions/", "year=2025&level=national&competition_class=first") == 1
    assert count("/api/competitions/", "year=2024") == 0
    assert count("/api/entries/", "award=first") == 1
    assert count("/api/entries/", "level=national") == 2
    assert count("/api/entries/", f"enterprise={worker_a.current_enterprise_id}") == 2
    assert count("/api/competition-events/", f"competition={own_contest.competition_id}") == 1
    page = as_admin.get(BASE, {"level": "enterprise"}).content.decode()
    assert "久立岗位练兵" in page and games["competition"].name not in page
    assert as_admin.get(f"{BASE}entries/", {"award": "first", "year": "2025"}).status_code == 200


def test_the_lists_run_a_bounded_number_of_queries(as_leader, as_admin, enterprise_a, django_assert_max_num_queries):
    for n in range(3):
        competition = CompetitionFactory()
        for m in range(3):
            event = CompetitionEventFactory(competition=competition)
            for _k in range(2):
                EntryFactory(event=event, worker=WorkerFactory(name=f"选手{n}{m}{_k}", enterprise=enterprise_a))
    with django_assert_max_num_queries(11):
        response = as_leader.get(BASE)
    assert response.status_code == 200 and response.content.decode().count(f'href="{BASE}') >= 3
    with django_assert_max_num_queries(9):
        response = as_leader.get(f"{BASE}entries/")
    assert response.status_code == 200 and response.content.decode().count("选手") == 18
    with django_assert_max_num_queries(11):
        assert as_leader.get(f"{BASE}entries/", {"year": "2025", "level": "national"}).status_code == 200
    event = CompetitionEvent.objects.first()
    with django_assert_max_num_queries(10):
        assert as_admin.get(event_url(event)).status_code == 200
    with django_assert_max_num_queries(10):
        assert as_admin.get(f"{BASE}{event.competition_id}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert as_leader.get(f"{BASE}entries/?export=xlsx").status_code == 200


# Keeping competitions -------------------------------------------------------------------------


def test_operator_records_their_own_contest_and_its_events(as_operator_a, enterprise_a, enterprise_b):
    response = as_operator_a.post(
        f"{BASE}new/", {"name": "2026年岗位练兵", "year": "2026", "organiser": "工会", "enterprise": enterprise_b.pk}
    )
    assert response.status_code == 302, response.content.decode()
    competition = Competition.objects.get()
    assert (competition.level, competition.enterprise) == ("enterprise", enterprise_a)
    response = as_operator_a.post(
        f"{BASE}{competition.pk}/events/new/", {"code": "jl-02", "name": "电工", "held_on": "2026-04-01"}
    )
    assert response.status_code == 302
    event = CompetitionEvent.objects.get()
    assert (event.code, event.competition) == ("JL-02", competition)
    response = as_operator_a.post(
        f"{BASE}{competition.pk}/edit/", {"name": "2026年岗位大练兵", "year": "2026", "version": "1"}
    )
    assert response.status_code == 302
    competition.refresh_from_db()
    assert (competition.name, competition.version) == ("2026年岗位大练兵", 2)


def test_operator_cannot_keep_a_district_competition(as_operator_a, games):
    competition = games["competition"]
    assert as_operator_a.get(f"{BASE}{competition.pk}/").status_code == 200  # the calendar: read
    assert as_operator_a.get(f"{BASE}{competition.pk}/edit/").status_code == 404
    assert (
        as_operator_a.post(
            f"{BASE}{competition.pk}/events/new/", {"code": "X", "name": "x", "held_on": "2025-01-01"}
        ).status_code
        == 404
    )
    assert as_operator_a.get(event_url(games["event"], "edit/")).status_code == 404
    assert CompetitionEvent.objects.count() == 1


def test_admin_creates_a_competition_and_a_duplicate_is_refused_on_the_form(as_admin):
    data = {"name": "第五届职工技能运动会", "year": "2025", "level": "district", "competition_class": "second"}
    assert as_admin.post(f"{BASE}new/", data).status_code == 302
    response = as_admin.post(f"{BASE}new/", data)
    with translation.override("zh-hans"):
        refusal = translation.gettext("A competition of this name is already recorded for that year.")
    assert response.status_code == 200 and refusal in response.content.decode()
    assert Competition.objects.count() == 1
    competition = Competition.objects.get()
    assert (competition.level, competition.competition_class, competition.enterprise) == ("district", "second", None)


def test_a_duplicate_event_code_is_refused_and_nothing_changes(as_admin, games):
    competition = games["competition"]
    response = as_admin.post(
        f"{BASE}{competition.pk}/events/new/", {"code": "ev-turn", "name": "另一个", "held_on": "2025-05-01"}
    )
    assert response.status_code == 200
    assert CompetitionEvent.objects.count() == 1


# Entering workers ----------------------------------------------------------------------------


def test_operator_enters_own_workers_only(as_operator_a, operator_a, worker_a, worker_b, enterprise_a):
    event = CompetitionEventFactory()
    mate = WorkerFactory(name="沈同事", enterprise=enterprise_a)
    page = as_operator_a.get(event_url(event, "enter/")).content.decode()
    assert "慎建民" in page and "沈同事" in page and "单田芳" not in page
    assert worker_a.id_number not in page
    response = as_operator_a.post(event_url(event, "enter/"), {"workers": [worker_a.pk, mate.pk]})
    assert response.status_code == 302
    assert set(Entry.objects.values_list("worker_id", "enterprise_id")) == {
        (worker_a.pk, enterprise_a.pk),
        (mate.pk, enterprise_a.pk),
    }
    # another enterprise's worker is not offered: the form refuses, nothing is written
    response = as_operator_a.post(event_url(event, "enter/"), {"workers": [worker_b.pk]})
    assert response.status_code == 200
    assert Entry.objects.count() == 2


def test_no_entry_page_after_results_for_an_operator(as_operator_a, worker_a):
    event = CompetitionEventFactory(results_recorded=True)
    assert as_operator_a.get(event_url(event, "enter/")).status_code == 404
    assert as_operator_a.post(event_url(event, "enter/"), {"workers": [worker_a.pk]}).status_code == 404
    assert not Entry.objects.exists()


def test_admin_enters_workers_of_the_enterprise_picked(as_admin, worker_b, enterprise_b):
    event = CompetitionEventFactory()
    page = as_admin.get(event_url(event, "enter/"), {"enterprise": enterprise_b.pk}).content.decode()
    assert "单田芳" in page
    response = as_admin.post(event_url(event, "enter/") + f"?enterprise={enterprise_b.pk}", {"workers": [worker_b.pk]})
    assert response.status_code == 302
    assert Entry.objects.get().enterprise == enterprise_b


def test_operator_withdraws_own_entry_but_not_one_with_results(as_operator_a, games):
    entry = games["entry_a"]
    assert as_operator_a.post(f"{BASE}entries/{entry.pk}/withdraw/").status_code == 302
    assert not Entry.objects.filter(pk=entry.pk).exists()
    scored = EntryFactory(event=CompetitionEventFactory(), worker=entry.worker, rank=3)
    response = as_operator_a.post(f"{BASE}entries/{scored.pk}/withdraw/", follow=True)
    assert response.status_code == 200
    scored.refresh_from_db()
    assert scored.rank == 3


# Results and promotions ---------------------------------------------------------------------


def results_data(*rows):  # type: ignore[no-untyped-def]
    data = {}
    for entry, rank, score, award in rows:
        data[f"rank_{entry.pk}"] = rank
        data[f"score_{entry.pk}"] = score
        data[f"award_{entry.pk}"] = award
    return data


def test_results_grid_is_the_admins_and_proposes_promotions(as_admin, as_operator_a, games):
    event, a, b = games["event"], games["entry_a"], games["entry_b"]
    assert as_operator_a.get(event_url(event, "results/")).status_code == 404
    assert as_operator_a.post(event_url(event, "results/"), results_data((a, "1", "", ""))).status_code == 404
    a.refresh_from_db()
    assert a.rank is None
    response = as_admin.post(
        event_url(event, "results/"), results_data((a, "1", "98.5", "first"), (b, "12", "80", "excellence"))
    )
    assert response.status_code == 302, response.content.decode()
    a.refresh_from_db()
    event.refresh_from_db()
    assert (a.rank, str(a.score), a.award, event.results_recorded) == (1, "98.50", "first", True)
    proposal = PromotionProposal.objects.get()
    assert (proposal.entry, proposal.proposed_level, proposal.status) == (a, 5, "proposed")
    page = as_admin.get(event_url(event)).content.decode()
    assert 'data-testid="entry-promotion"' in page


def test_a_rank_below_one_is_refused_on_the_grid_and_nothing_changes(as_admin, games):
    event, a = games["event"], games["entry_a"]
    response = as_admin.post(
        event_url(event, "results/"), results_data((a, "0", "", ""), (games["entry_b"], "", "", ""))
    )
    assert response.status_code == 200
    a.refresh_from_db()
    event.refresh_from_db()
    assert a.rank is None and not event.results_recorded and not PromotionProposal.objects.exists()


def test_confirming_a_promotion_through_the_page_raises_the_worker_level(as_admin, games, worker_a):
    event, a = games["event"], games["entry_a"]
    as_admin.post(event_url(event, "results/"), results_data((a, "1", "", "first"), (games["entry_b"], "", "", "")))
    proposal = PromotionProposal.objects.get()
    listed = as_admin.get(f"{BASE}promotions/").content.decode()
    assert "慎建民" in listed and 'data-testid="confirm-promotion"' in listed
    response = as_admin.post(
        f"{BASE}promotions/{proposal.pk}/confirm/",
        {"number": "S000033050010000000001", "issued_on": "2025-06-01", "issuer": "区人社局", "reason": ""},
    )
    assert response.status_code == 302, response.content.decode()
    worker_a.refresh_from_db()
    proposal.refresh_from_db()
    assert (worker_a.skill_level, proposal.status) == (5, "confirmed")
    assert Certificate.objects.get(worker=worker_a).level == 5
    assert as_admin.get(f"{BASE}promotions/{proposal.pk}/confirm/").status_code == 404  # decided
    assert 'data-testid="confirm-promotion"' not in as_admin.get(f"{BASE}promotions/").content.decode()


def test_refusing_needs_a_reason_and_a_refusal_without_one_changes_nothing(as_admin, admin_user, games):
    from talentpool.cultivation import services_competitions as services
    from talentpool.cultivation.services_competitions import Result

    services.record_results(games["event"], [Result(games["entry_a"].pk, 2, None, "")], actor=admin_user)
    proposal = PromotionProposal.objects.get()
    response = as_admin.post(f"{BASE}promotions/{proposal.pk}/refuse/", {"reason": "  "})
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.status == "proposed"
    assert as_admin.post(f"{BASE}promotions/{proposal.pk}/refuse/", {"reason": "资格不符"}).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reason) == ("refused", "资格不符")


def test_a_second_promotion_the_same_year_is_refused_on_the_page(as_admin, admin_user, worker_a):
    from talentpool.cultivation import services_competitions as services
    from talentpool.cultivation.services_competitions import Result

    ev1 = CompetitionEventFactory()
    ev2 = CompetitionEventFactory(competition=CompetitionFactory(level="provincial"))
    e1, e2 = EntryFactory(event=ev1, worker=worker_a), EntryFactory(event=ev2, worker=worker_a)
    services.record_results(ev1, [Result(e1.pk, 5, None, "")], actor=admin_user)
    services.record_results(ev2, [Result(e2.pk, 1, None, "")], actor=admin_user)
    p1, p2 = PromotionProposal.objects.order_by("pk")
    data = {"number": "S000033050010000000001", "issued_on": "2025-06-01"}
    assert as_admin.post(f"{BASE}promotions/{p1.pk}/confirm/", data).status_code == 302
    response = as_admin.post(f"{BASE}promotions/{p2.pk}/confirm/", {**data, "number": "S000033050010000000002"})
    assert response.status_code == 200
    p2.refresh_from_db()
    worker_a.refresh_from_db()
    assert p2.status == "proposed" and worker_a.skill_level == 4 and Certificate.objects.count() == 1


def test_promotions_are_admins_only(as_operator_a, as_worker, admin_user, games):
    from talentpool.cultivation import services_competitions as services
    from talentpool.cultivation.services_competitions import Result

    services.record_results(games["event"], [Result(games["entry_a"].pk, 1, None, "")], actor=admin_user)
    proposal = PromotionProposal.objects.get()
    for client in (as_operator_a, as_worker):
        assert client.get(f"{BASE}promotions/").status_code == 404
        assert client.post(f"{BASE}promotions/{proposal.pk}/refuse/", {"reason": "x"}).status_code == 404
        assert (
            client.post(
                f"{BASE}promotions/{proposal.pk}/confirm/", {"number": "S1", "issued_on": "2025-06-01"}
            ).status_code
            == 404
        )
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


# The rule table ------------------------------------------------------------------------------


def test_admin_keeps_the_rule_table_and_an_overlap_is_refused(as_admin, as_leader, as_operator_a):
    page = as_admin.get(f"{BASE}rules/").content.decode()
    assert page.count('data-testid="rule-row"') == PromotionRule.objects.count() == 6
    overlapping = {
        "level": "national",
        "competition_class": "first",
        "rank_from": "2",
        "rank_to": "4",
        "levels_up": "1",
        "highest_level": "4",
        "is_active": "on",
    }
    response = as_admin.post(f"{BASE}rules/new/", overlapping)
    assert response.status_code == 200 and PromotionRule.objects.count() == 6
    fine = {**overlapping, "level": "enterprise", "competition_class": "", "rank_from": "1", "rank_to": "3"}
    assert as_admin.post(f"{BASE}rules/new/", fine).status_code == 302
    rule = PromotionRule.objects.get(level="enterprise")
    assert (rule.competition_class, rule.levels_up, rule.is_active) == ("", 1, True)
    assert as_admin.post(f"{BASE}rules/{rule.pk}/edit/", {**fine, "levels_up": "2", "is_active": ""}).status_code == 302
    rule.refresh_from_db()
    assert (rule.levels_up, rule.is_active) == (2, False)
    for client in (as_leader, as_operator_a):
        assert client.get(f"{BASE}rules/").status_code == 404
        assert client.post(f"{BASE}rules/{rule.pk}/delete/").status_code == 404
    assert as_admin.post(f"{BASE}rules/{rule.pk}/delete/").status_code == 302
    assert PromotionRule.objects.count() == 6


def test_the_tabs_show_for_their_roles(as_admin, as_leader, as_operator_a):
    admin = as_admin.get("/cultivation/").content.decode()
    for url in (BASE, f"{BASE}entries/", f"{BASE}promotions/", f"{BASE}rules/"):
        assert f'href="{url}"' in admin
    for client in (as_leader, as_operator_a):
        page = client.get("/cultivation/").content.decode()
        assert f'href="{BASE}"' in page and f'href="{BASE}entries/"' in page
        assert f'href="{BASE}promotions/"' not in page and f'href="{BASE}rules/"' not in page


def test_a_worker_has_the_entries_tab_only(as_worker, games):
    page = as_worker.get(f"{BASE}entries/").content.decode()
    assert f'href="{BASE}entries/"' in page and f'href="{BASE}"' not in page
    assert f'href="{BASE}promotions/"' not in page


def test_an_edit_opened_on_an_older_version_shows_the_conflict_and_saves_nothing(as_admin, admin_user, games):
    from talentpool.cultivation import services_competitions as services

    competition = games["competition"]
    services.update_competition(competition, actor=admin_user, organiser="省总工会")  # version 2 now
    data = {"name": "改名", "year": "2025", "level": "national", "competition_class": "first", "version": "1"}
    response = as_admin.post(f"{BASE}{competition.pk}/edit/", data)
    assert response.status_code == 200 and 'data-testid="edit-conflicts"' in response.content.decode()
    competition.refresh_from_db()
    assert (competition.name, competition.organiser, competition.version) == (games["competition"].name, "省总工会", 2)


def test_the_proposals_list_runs_a_bounded_number_of_queries(
    as_admin, admin_user, enterprise_a, django_assert_max_num_queries
):
    from talentpool.cultivation import services_competitions as services
    from talentpool.cultivation.services_competitions import Result

    for n in range(4):
        event = CompetitionEventFactory()
        entry = EntryFactory(event=event, worker=WorkerFactory(name=f"选手{n}", enterprise=enterprise_a))
        services.record_results(event, [Result(entry.pk, 1, None, "first")], actor=admin_user)
    assert PromotionProposal.objects.count() == 4
    as_admin.get("/cultivation/")  # the first request of a test reads what later ones have cached
    with django_assert_max_num_queries(8):
        response = as_admin.get(f"{BASE}promotions/")
    assert response.content.decode().count('data-testid="confirm-promotion"') == 4
    with django_assert_max_num_queries(8):
        assert as_admin.get(f"{BASE}promotions/", {"status": "proposed", "year": "2025"}).status_code == 200


def test_an_event_too_large_for_the_grid_points_to_the_import(as_admin, games, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 13  # room for one entry's three fields
    page = as_admin.get(event_url(games["event"], "results/")).content.decode()
    assert 'data-testid="grid-too-large"' in page and 'data-testid="results-grid"' not in page
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
    assert 'data-testid="results-grid"' in as_admin.get(event_url(games["event"], "results/")).content.decode()


def test_the_lists_export_to_excel(as_admin, as_leader, admin_user, games):
    import io

    from python_calamine import CalamineWorkbook

    from talentpool.core.models import AuditAction
    from talentpool.cultivation import services_competitions as services
    from talentpool.cultivation.services_competitions import Result

    services.record_results(games["event"], [Result(games["entry_a"].pk, 1, None, "first")], actor=admin_user)

    def rows(response):  # type: ignore[no-untyped-def]
        content = b"".join(response.streaming_content) if response.streaming else response.content
        return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()

    competitions = rows(as_leader.get(f"{BASE}?export=xlsx"))
    assert any(games["competition"].name in map(str, r) for r in competitions)
    entries = rows(as_leader.get(f"{BASE}entries/?export=xlsx&award=first"))
    assert [r for r in entries if "慎建民" in map(str, r)] and not [r for r in entries if "单田芳" in map(str, r)]
    assert games["entry_a"].worker.id_number not in str(entries)
    proposals = rows(as_admin.get(f"{BASE}promotions/?export=xlsx"))
    assert any("慎建民" in map(str, r) for r in proposals)
    assert as_leader.get(f"{BASE}promotions/?export=xlsx").status_code == 404
    assert AuditLog.objects.filter(action=AuditAction.EXPORT).count() == 3
