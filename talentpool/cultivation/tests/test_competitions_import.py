"""Excel import of competition entries and results: errors by row and column (no ID number in
clear), all or nothing, re-import updates never doubles, operators enter only, and the promotions
the imported ranks qualify for are proposed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from talentpool.core.imports.reader import read_sheet
from talentpool.core.imports.spec import import_kind
from talentpool.core.imports.validate import validate_sheet
from talentpool.core.imports.write import write_outcome
from talentpool.core.models import AuditAction, AuditLog
from talentpool.cultivation.models import CompetitionEvent, Entry, PromotionProposal
from talentpool.registry.tests.factories import WorkerFactory
from talentpool.registry.tests.test_imports import workbook

from .factories_competitions import CompetitionEventFactory, CompetitionFactory, EntryFactory

pytestmark = pytest.mark.django_db
HEADERS = ["项目编号", "身份证号", "名次", "成绩", "奖项"]


def row(code, worker, rank=None, score=None, award=None):  # type: ignore[no-untyped-def]
    return [code, worker.id_number, rank, score, award]


def check(actor, rows, headers=HEADERS):  # type: ignore[no-untyped-def]
    sheet = read_sheet(workbook(headers, rows), import_kind("competition_entries"))
    return validate_sheet(sheet, actor=actor, mode="update")


def run(actor, rows, headers=HEADERS):  # type: ignore[no-untyped-def]
    outcome = check(actor, rows, headers)
    if outcome.is_valid:
        write_outcome(outcome, actor=actor, filename="t.xlsx")
    return outcome


@pytest.fixture
def event(db):  # type: ignore[no-untyped-def]
    return CompetitionEventFactory(code="EV-TURN")  # national, class I


def test_an_admin_imports_entries_with_results_and_promotions_are_proposed(admin_user, event, worker_a, worker_b):
    outcome = run(admin_user, [row("ev-turn", worker_a, 1, 98.5, "一等奖"), row("EV-TURN", worker_b, "第12名", "80")])
    assert outcome.is_valid, outcome.errors
    assert outcome.counts == {"new": 2, "updated": 0, "unchanged": 0, "errors": 0}
    a = Entry.objects.get(worker=worker_a)
    b = Entry.objects.get(worker=worker_b)
    assert (a.event, a.enterprise, a.rank, a.score, a.award) == (
        event,
        worker_a.current_enterprise,
        1,
        Decimal("98.50"),
        "first",
    )
    assert (b.rank, b.score, b.award, b.enterprise) == (12, Decimal("80.00"), "", worker_b.current_enterprise)
    event.refresh_from_db()
    assert event.results_recorded
    proposal = PromotionProposal.objects.get()  # national class I, rank 1: two levels up
    assert (proposal.entry, proposal.from_level, proposal.proposed_level, proposal.status) == (a, 3, 5, "proposed")
    assert AuditLog.objects.filter(action="cultivation.entry.enter").count() == 2
    assert AuditLog.objects.filter(action="cultivation.competition.results", object_id=str(event.pk)).count() == 1
    assert AuditLog.objects.filter(action="cultivation.promotion.propose").count() == 1
    assert AuditLog.objects.filter(action=AuditAction.IMPORT).count() == 1


def test_reimporting_updates_and_never_doubles(admin_user, event, worker_a):
    assert run(admin_user, [row("EV-TURN", worker_a, 2)]).is_valid
    assert PromotionProposal.objects.get().proposed_level == 5
    outcome = run(admin_user, [row("EV-TURN", worker_a, 8, None, "优秀奖")])
    assert outcome.counts == {"new": 0, "updated": 1, "unchanged": 0, "errors": 0}
    entry = Entry.objects.get()
    assert (Entry.objects.count(), entry.rank, entry.award) == (1, 8, "excellence")
    assert PromotionProposal.objects.get().proposed_level == 4  # ranks 1–10 of any national contest: one level
    assert run(admin_user, [row("EV-TURN", worker_a, 8, None, "优秀奖")]).counts["unchanged"] == 1
    assert run(admin_user, [row("EV-TURN", worker_a, 11)]).counts["updated"] == 1
    assert not PromotionProposal.objects.exists()  # no longer qualifies: the proposal is withdrawn


def test_errors_name_row_and_column_never_the_id_number_and_nothing_is_written(admin_user, event, worker_a, worker_b):
    unemployed = WorkerFactory(name="无业者", enterprise=None)
    rows = [
        row("EV-TURN", worker_a, 1),  # fine on its own
        row("NOPE", worker_b),  # no such event
        row("EV-TURN", worker_b, 0),  # a rank below one
        row("EV-TURN", worker_b, "三", "abc"),  # neither a rank nor a score
        row("EV-TURN", worker_b, None, "12.345", "特等奖"),  # three decimals, unknown award
        row("EV-TURN", worker_a, 2),  # the same worker and event as row 2
        row("EV-TURN", unemployed),  # employed nowhere
        ["EV-TURN", "330102199001011234", None, None, None],  # a valid-looking ID of nobody
    ]
    outcome = check(admin_user, rows)
    errors = {(e.row, e.column, e.reason) for e in outcome.errors}
    assert (3, "项目编号", "未找到该比赛项目编号") in errors
    assert (4, "名次", "名次从 1 开始") in errors
    assert (5, "名次", "名次应为整数，如 1、2、3，实为“三”") in errors
    assert (5, "成绩", "成绩应为数字，实为“abc”") in errors
    assert (6, "成绩", "成绩最多保留两位小数") in errors
    assert any(e.row == 6 and e.column == "奖项" and "特等奖" in e.reason for e in outcome.errors)
    assert (7, "身份证号", "与第 2 行重复（同一项目、同一职工）") in errors
    assert (8, "身份证号", "该职工当前没有在职企业，无法报名参赛") in errors
    assert any(e.row == 9 and e.column == "身份证号" for e in outcome.errors)
    assert {e.row for e in outcome.errors} == {3, 4, 5, 6, 7, 8, 9}
    assert 2 not in {e.row for e in outcome.errors}
    for error in outcome.errors:
        for worker in (worker_a, worker_b, unemployed):
            assert worker.id_number not in error.value + error.reason + error.message
    assert not outcome.is_valid
    # all or nothing: the valid row 2 is not written either
    assert not Entry.objects.exists() and not PromotionProposal.objects.exists()
    event.refresh_from_db()
    assert not event.results_recorded


def test_an_operator_enters_own_workers_only_and_records_no_results(operator_a, event, worker_a, worker_b):
    outcome = check(operator_a, [row("EV-TURN", worker_a, 1, 90, "一等奖"), row("EV-TURN", worker_b)])
    errors = {(e.row, e.column) for e in outcome.errors}
    assert {(2, "名次"), (2, "成绩"), (2, "奖项"), (3, "身份证号")} <= errors
    assert not Entry.objects.exists()
    outcome = run(operator_a, [row("EV-TURN", worker_a)])
    assert outcome.is_valid, outcome.errors
    entry = Entry.objects.get()
    assert (entry.worker, entry.rank, entry.enterprise) == (worker_a, None, worker_a.current_enterprise)
    event.refresh_from_db()
    assert not event.results_recorded and not PromotionProposal.objects.exists()


def test_an_operator_cannot_enter_after_results_nor_in_another_enterprise_contest(operator_a, enterprise_b, worker_a):
    CompetitionEventFactory(code="DONE", results_recorded=True)
    theirs = CompetitionFactory(name="善琏岗位练兵", level="enterprise", competition_class="", enterprise=enterprise_b)
    CompetitionEventFactory(code="SL-01", competition=theirs)
    outcome = check(operator_a, [row("DONE", worker_a), row("SL-01", worker_a)])
    errors = {(e.row, e.column, e.reason) for e in outcome.errors}
    assert (2, "项目编号", "该项目已登记成绩，不能再报名") in errors
    assert (3, "身份证号", "企业内部比武只限本企业职工参加") in errors
    assert not Entry.objects.exists()


def test_an_operator_reimporting_an_entry_already_made_changes_nothing(operator_a, event, worker_a):
    EntryFactory(event=event, worker=worker_a)
    outcome = run(operator_a, [row("EV-TURN", worker_a)])
    assert outcome.counts == {"new": 0, "updated": 0, "unchanged": 1, "errors": 0}
    assert Entry.objects.count() == 1


def test_others_cannot_import_and_a_missing_required_cell_is_an_error(leader, admin_user, event, worker_a):
    spec = import_kind("competition_entries")
    assert spec.allowed is not None and not spec.allowed(leader) and spec.allowed(admin_user)
    assert "leader" not in spec.roles
    outcome = check(admin_user, [["", worker_a.id_number, 1, None, None]])
    assert [(e.row, e.column, e.reason) for e in outcome.errors] == [(2, "项目编号", "必填项为空")]


def test_the_import_locks_the_entries_it_updates_while_writing(admin_user, event, worker_a, locks):
    EntryFactory(event=event, worker=worker_a)
    outcome = check(admin_user, [row("EV-TURN", worker_a, 3)])
    from django.db import transaction

    with transaction.atomic():
        locked = validate_sheet(outcome.sheet, actor=admin_user, mode="update", lock=True)
    assert locked.is_valid
    assert any(model is Entry and of == ("self",) for model, of, _atomic in locks)
    assert CompetitionEvent.objects.filter(results_recorded=True).count() == 0


def test_the_template_downloads_and_the_schema_names_the_api(as_admin, as_operator_a, as_leader):
    from django.urls import reverse

    url = reverse("core:import_template", args=["competition_entries"])
    for client in (as_admin, as_operator_a):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert as_leader.get(url).status_code == 404
    schema = as_admin.get("/api/schema/")
    assert schema.status_code == 200
    for path in (b"/api/competitions/", b"/api/competition-events/", b"/api/entries/"):
        assert path in schema.content


def test_upload_review_confirm_through_the_pages_proposes_the_promotion(
    as_admin, event, worker_a, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from talentpool.core.imports.jobs import IMPORT
    from talentpool.core.models import Job

    settings.MEDIA_ROOT = tmp_path
    content = workbook(HEADERS, [row("EV-TURN", worker_a, 1, 95, "一等奖")])
    upload = SimpleUploadedFile(
        "参赛.xlsx", content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = as_admin.post("/core/import/", {"kind": "competition_entries", "mode": "update", "file": upload})
    assert response.status_code == 302
    job = Job.objects.get(kind=IMPORT)
    review = as_admin.get(f"/core/import/{job.pk}/").content.decode()
    assert 'data-testid="confirm-form"' in review and worker_a.id_number not in review
    assert not Entry.objects.exists()  # nothing written before the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        assert as_admin.post(f"/core/import/{job.pk}/").status_code == 302
    entry = Entry.objects.get()
    assert (entry.rank, entry.award) == (1, "first")
    assert PromotionProposal.objects.get().entry == entry
