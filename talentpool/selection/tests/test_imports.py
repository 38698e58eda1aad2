"""Excel import of nominations: drafts through the form's service, errors by row and column in
Chinese (no ID number in clear), all or nothing, the allowance across the file's rows, refused
outside the nomination stage, the preview and the template like every kind's."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from talentpool.core.imports.reader import read_sheet
from talentpool.core.imports.spec import allowed_kinds, import_kind
from talentpool.core.imports.validate import validate_sheet
from talentpool.core.imports.write import ImportNotValid, write_outcome
from talentpool.core.jobs import JobFailed
from talentpool.core.models import AuditAction, AuditLog, JobStatus
from talentpool.registry.tests.factories import WorkerFactory
from talentpool.registry.tests.test_imports import run_import, workbook
from talentpool.selection import services, services_nomination
from talentpool.selection.choices import Stage
from talentpool.selection.models import Nomination

pytestmark = pytest.mark.django_db
HEADERS = ["身份证号", "姓名", "申报层级", "事迹材料", "本人同意公开"]


def row(worker=None, tier="南浔工匠", *, name=None, statement="带队攻关，解决焊接难题。", consent="是"):  # type: ignore[no-untyped-def]
    return [worker.id_number if worker is not None else None, name, tier, statement, consent]


def check(actor, rows):  # type: ignore[no-untyped-def]
    return validate_sheet(read_sheet(workbook(HEADERS, rows), import_kind("nominations")), actor=actor, mode="update")


def run(actor, rows):  # type: ignore[no-untyped-def]
    outcome = check(actor, rows)
    if outcome.is_valid:
        write_outcome(outcome, actor=actor, filename="t.xlsx")
    return outcome


def errors(outcome):  # type: ignore[no-untyped-def]
    return [(e.row, e.column, e.reason) for e in outcome.errors]


def close_nominations(admin, campaign, worker, tier):  # type: ignore[no-untyped-def]
    """Move the campaign on to the qualification review (which wants one submitted nomination)."""
    nomination = services_nomination.create_nomination(admin, campaign, worker, tier.pk, statement="事迹",
                                                       consent=True)
    services_nomination.submit_nomination(admin, nomination)
    services.advance_stage(admin, campaign, Stage.QUALIFICATION)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def staff(enterprise_a):  # type: ignore[no-untyped-def]
    return [WorkerFactory(name=name, enterprise=enterprise_a) for name in ("沈建国", "陆美华", "钱永刚")]


def test_a_good_file_creates_drafts_through_the_service(campaign, operator_a, staff, craftsman, chief):  # type: ignore[no-untyped-def]
    rows = [
        row(staff[0], "南浔工匠", statement="第一段事迹，含全角标点（焊接）！\n第二段事迹。"),
        row(None, "首席技工", name=staff[1].name, statement="", consent=""),  # by name alone; 首席技工
        row(staff[2], "工匠", name=staff[2].name, consent="否"),  # the tier without the district's name
    ]
    outcome = run(operator_a, rows)
    assert outcome.is_valid, errors(outcome)
    assert outcome.counts == {"new": 3, "updated": 0, "unchanged": 0, "errors": 0}
    drafts = {n.worker_id: n for n in Nomination.objects.all()}
    assert {w.pk: (drafts[w.pk].tier_id, drafts[w.pk].status, drafts[w.pk].consent) for w in staff} == {
        staff[0].pk: (craftsman.pk, "draft", True),
        staff[1].pk: (chief.pk, "draft", False),
        staff[2].pk: (craftsman.pk, "draft", False),
    }
    assert drafts[staff[0].pk].statement == "第一段事迹，含全角标点（焊接）！\n第二段事迹。"  # as typed
    assert drafts[staff[0].pk].consent_recorded_at is not None
    assert {n.created_by_id for n in drafts.values()} == {operator_a.pk}
    assert {n.enterprise_id for n in drafts.values()} == {staff[0].current_enterprise_id}
    # audited by the service, one record each, and the import once
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_id__in=[str(n.pk) for n in drafts.values()]
                                   ).count() == 3
    assert AuditLog.objects.filter(action=AuditAction.IMPORT).count() == 1
    # what submission still needs shows as the row's warnings
    no_consent = "未记录本人同意公开：提交前须补录"
    assert [p.warnings for p in outcome.plans] == [[], ["未填写事迹材料：提交前须补写", no_consent], [no_consent]]


def test_each_bad_row_has_its_chinese_error_and_nothing_is_written(campaign, operator_a, staff, worker_a,  # type: ignore[no-untyped-def]
                                                                    craftsman, enterprise_a):
    services_nomination.create_nomination(operator_a, campaign, worker_a, craftsman.pk)
    twin = [WorkerFactory(name="李测二", enterprise=enterprise_a) for _ in range(2)]
    more = [WorkerFactory(name=name, enterprise=enterprise_a) for name in ("周一", "吴二")]
    rows = [
        row(staff[0]),  # fine on its own
        row(staff[1], "省级工匠"),  # no such tier
        row(None, name="查无此人"),  # no such worker
        row(None, name="李测二"),  # two of that name
        [None, None, "南浔工匠", "x", "是"],  # neither ID number nor name
        row(staff[2], name="别人"),  # the name is not the ID number's
        row(staff[0], "技术标兵"),  # the same worker as row 2
        row(worker_a),  # already nominated (the service's refusal)
        row(more[0], consent="也许"),
        row(more[1], statement="长" * 5001),
        ["33050319850312011", None, "南浔工匠", "x", "是"],  # 17 characters
    ]
    outcome = check(operator_a, rows)
    assert errors(outcome) == [
        (3, "申报层级", "本届活动没有层级“省级工匠”，应为：南浔工匠、首席技工、技术标兵"),
        (4, "姓名", "未找到该职工，或不是本企业的在职职工（只能推荐本企业的在职职工）"),
        (5, "姓名", f"本企业有 2 名在职职工叫“{twin[0].name}”，请填写身份证号"),
        (6, "身份证号", "请填写身份证号或姓名"),
        (7, "姓名", "姓名与系统中该身份证号的职工不一致"),
        (8, "身份证号", "与第 2 行是同一名职工：每人在本届活动中只能被推荐一次"),
        (9, "身份证号", f"{worker_a.name} 已在本届活动中被推荐。"),
        (10, "本人同意公开", "无法识别的取值“也许”，应为：是、否"),
        (11, "事迹材料", "内容过长：最多 5000 个字，实为 5001 个字"),
        (12, "身份证号", outcome.errors[-1].reason),
    ]
    assert "18" in outcome.errors[-1].reason
    for error in outcome.errors:
        for worker in [*staff, *more, worker_a]:
            assert worker.id_number not in error.value + error.reason + error.message
    assert outcome.errors[-1].value != "33050319850312011"  # masked
    assert Nomination.objects.count() == 1  # the one before the import
    with pytest.raises(ImportNotValid):
        write_outcome(outcome, actor=operator_a)
    assert Nomination.objects.count() == 1


def test_another_enterprises_worker_is_refused_as_on_the_form(campaign, operator_a, worker_a, worker_b):  # type: ignore[no-untyped-def]
    outcome = run(operator_a, [row(worker_a), row(worker_b), row(None, name=worker_b.name)])
    assert errors(outcome) == [
        (3, "身份证号", "未找到该职工，或不是本企业的在职职工（只能推荐本企业的在职职工）"),
        (4, "姓名", "未找到该职工，或不是本企业的在职职工（只能推荐本企业的在职职工）"),
    ]
    assert not Nomination.objects.exists()  # row 2 was fine, yet nothing is written


def test_an_admin_nominates_any_enterprises_workers(campaign, admin_user, worker_a, worker_b, chief):  # type: ignore[no-untyped-def]
    outcome = run(admin_user, [row(worker_a, "首席技工"), row(worker_b, "南浔区首席技工")])
    assert outcome.is_valid, errors(outcome)
    assert {(n.worker_id, n.enterprise_id, n.tier_id) for n in Nomination.objects.all()} == {
        (worker_a.pk, worker_a.current_enterprise_id, chief.pk),
        (worker_b.pk, worker_b.current_enterprise_id, chief.pk),
    }


def test_the_allowance_counts_the_files_rows(campaign, operator_a, staff, worker_a, craftsman, enterprise_a):  # type: ignore[no-untyped-def]
    assert campaign.nominations_per_enterprise == 3
    services_nomination.create_nomination(operator_a, campaign, worker_a, craftsman.pk)  # 2 places left
    outcome = run(operator_a, [row(w) for w in staff])
    assert errors(outcome) == [
        (4, "身份证号", "超出推荐名额：本企业本届共 3 个推荐名额，已用 1 个，剩余 2 个已由本文件第 2、3 行占用"),
    ]
    assert Nomination.objects.count() == 1
    # with two rows it fits; a third file then meets the service's own refusal
    assert run(operator_a, [row(w) for w in staff[:2]]).is_valid
    outcome = run(operator_a, [row(staff[2])])
    assert errors(outcome) == [(2, "身份证号", "本企业在本届活动中的 3 个推荐名额已用完。")]
    assert Nomination.objects.count() == 3


def test_a_withdrawn_nomination_frees_its_place_and_its_worker(campaign, operator_a, staff, craftsman):  # type: ignore[no-untyped-def]
    first = services_nomination.create_nomination(operator_a, campaign, staff[0], craftsman.pk)
    services_nomination.withdraw_nomination(operator_a, first, reason="本人放弃")
    assert run(operator_a, [row(w) for w in staff]).is_valid
    assert Nomination.objects.exclude(status="withdrawn").count() == 3


def test_outside_the_nomination_stage_the_import_is_refused(campaign, admin_user, operator_a, staff, worker_b,  # type: ignore[no-untyped-def]
                                                            craftsman):
    campaign.nomination_deadline = timezone.now() - datetime.timedelta(minutes=1)
    campaign.save(update_fields=["nomination_deadline"])
    with pytest.raises(JobFailed, match=r"推荐截止时间（.*）已过，推荐已锁定。未导入任何数据"):
        check(operator_a, [row(staff[0])])
    campaign.nomination_deadline = timezone.now() + datetime.timedelta(days=1)
    campaign.save(update_fields=["nomination_deadline"])
    close_nominations(admin_user, campaign, worker_b, craftsman)
    job, write = run_import("nominations", workbook(HEADERS, [row(staff[0])]), operator_a)
    assert (job.status, write) == (JobStatus.FAILED, None)
    assert job.result["error"] == f"{campaign.name}：只有在推荐阶段才能推荐（当前：资格审查）。未导入任何数据"
    assert list(Nomination.objects.values_list("worker_id", flat=True)) == [worker_b.pk]


def test_without_a_campaign_the_import_is_refused(operator_a, staff):  # type: ignore[no-untyped-def]
    with pytest.raises(JobFailed, match="当前没有进行中的评选活动"):
        check(operator_a, [row(staff[0])])


def test_the_stage_moving_on_between_check_and_write_writes_nothing(campaign, admin_user, operator_a, staff,  # type: ignore[no-untyped-def]
                                                                     worker_b, craftsman):
    job, _ = run_import("nominations", workbook(HEADERS, [row(staff[0])]), operator_a, confirm=False)
    assert job.status == JobStatus.SUCCEEDED and job.result["error_count"] == 0
    close_nominations(admin_user, campaign, worker_b, craftsman)
    from talentpool.core.imports.jobs import confirm
    from talentpool.core.jobs import execute_job

    assert confirm(job)
    job = execute_job(job.pk)
    assert job.status == JobStatus.FAILED and "只有在推荐阶段才能推荐" in job.result["error"]
    assert list(Nomination.objects.values_list("worker_id", flat=True)) == [worker_b.pk]


def test_through_the_job_preview_then_write(campaign, operator_a, staff, as_operator_a):  # type: ignore[no-untyped-def]
    content = workbook(HEADERS, [row(staff[0]), row(staff[1], "技术标兵", consent="否")])
    job, write = run_import("nominations", content, operator_a, confirm=False)
    assert job.status == JobStatus.SUCCEEDED, job.result
    assert job.result["counts"] == {"new": 2, "updated": 0, "unchanged": 0, "errors": 0}
    preview = job.result["preview"]
    assert preview["headers"] == HEADERS
    first = preview["rows"][0]
    assert (first["row"], first["status_label"], first["cells"][1:3]) == (2, "新增", ["", "南浔工匠"])
    assert first["cells"][0] != staff[0].id_number and first["cells"][0].startswith(staff[0].id_number[:3])
    assert preview["warnings"] == [{"row": 3, "label": "", "warnings": ["未记录本人同意公开：提交前须补录"]}]
    assert not Nomination.objects.exists()  # the check wrote nothing
    page = as_operator_a.get(reverse("core:import_review", args=[job.pk]))
    assert page.status_code == 200 and "新增" in page.content.decode()
    assert staff[0].id_number not in page.content.decode()
    job, write = run_import("nominations", content, operator_a)
    assert write is not None and write.status == JobStatus.SUCCEEDED, write.result
    assert write.result["written"]["new"] == 2
    assert Nomination.objects.filter(campaign=campaign, status="draft").count() == 2


def test_a_file_with_errors_gives_the_error_report_and_cannot_be_confirmed(campaign, operator_a, worker_b):  # type: ignore[no-untyped-def]
    job, write = run_import("nominations", workbook(HEADERS, [row(worker_b)]), operator_a)
    assert write is None and job.result["error_count"] == 1
    assert job.result["errors"][0]["column"] == "身份证号" and worker_b.id_number not in str(job.result)
    assert job.result_file
    from talentpool.core.imports.jobs import confirm

    assert not confirm(job)
    assert not Nomination.objects.exists()


def test_who_may_import_and_the_template(campaign, as_operator_a, as_admin, as_leader, operator_a, leader,  # type: ignore[no-untyped-def]
                                         admin_user):
    assert "nominations" in {k.key for k in allowed_kinds(operator_a)}
    assert "nominations" in {k.key for k in allowed_kinds(admin_user)}
    assert "nominations" not in {k.key for k in allowed_kinds(leader)}
    assert 'value="nominations"' in as_operator_a.get(reverse("core:import_start")).content.decode()
    url = reverse("core:import_template", args=["nominations"])
    response = as_operator_a.get(url)
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheet_names[0] == "推荐"
    assert book.get_sheet_by_index(0).to_python()[0] == ["身份证号", "姓名", "申报层级*", "事迹材料", "本人同意公开"]
    options = book.get_sheet_by_name("选项").to_python()
    assert [r[0] for r in options] == ["申报层级", "南浔工匠", "首席技工", "技术标兵"]
    assert as_admin.get(url).status_code == 200
    assert as_leader.get(url).status_code == 404
