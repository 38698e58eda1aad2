"""The selection pages: what each role sees and may do, out of scope is 404, the forms go through
the services, and the list and board run a bounded number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talentpool.registry.tests.factories import WorkerFactory
from talentpool.selection import services, services_nomination
from talentpool.selection.choices import Stage
from talentpool.selection.models import Attachment, Campaign, Nomination

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% test\n"


@pytest.fixture
def nomination(campaign, operator_a, worker_a, craftsman):  # type: ignore[no-untyped-def]
    return services_nomination.create_nomination(operator_a, campaign, worker_a, craftsman.pk, statement="带队攻关")


def test_the_admin_creates_a_campaign_and_moves_it_on(as_admin) -> None:  # type: ignore[no-untyped-def]
    response = as_admin.post("/selection/", {"year": 2026, "name": "", "copy_previous": "on"})
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == "/selection/2026/"
    page = as_admin.get("/selection/2026/").content.decode()
    assert "2026年度南浔区技能人才选树" in page and "开放推荐前请先设定推荐截止时间" in page
    deadline = (datetime.datetime.now() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    form = {"name": campaign.name, "nomination_deadline": deadline, "nominations_per_enterprise": 4,
            "experts_per_nomination": 3, "notice_days": 5, "reference_date": "2026-06-01",
            "min_scores_for_normalisation": 5, "expert_weight": "0.7", "frontline_bonus": "0",
            "non_public_bonus": "0", "notice_text": "请各企业按时推荐。", "version": campaign.version}
    for row in campaign.tiers.all():
        form[f"quota_{row.tier_id}"] = row.quota
        form[f"allowance_{row.tier_id}"] = row.annual_allowance
    form[f"quota_{campaign.tiers.order_by('tier__order').first().tier_id}"] = 110
    assert as_admin.post("/selection/2026/settings/", form).status_code == 302
    campaign.refresh_from_db()
    assert campaign.nominations_per_enterprise == 4 and campaign.tiers.order_by("tier__order").first().quota == 110
    response = as_admin.post("/selection/2026/advance/", {"note": "发布通知", "version": campaign.version})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.stage == Stage.NOMINATING


def test_an_operator_nominates_through_the_pages(as_operator_a, campaign, worker_a, craftsman, settings,  # type: ignore[no-untyped-def]
                                                 tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    board = as_operator_a.get(f"/selection/{campaign.year}/").content.decode()
    assert "本企业已推荐 0 人，最多 3 人。" in board and 'data-testid="countdown"' in board
    response = as_operator_a.post(f"/selection/{campaign.year}/nominations/new/", {
        "worker": worker_a.pk, "tier_id": craftsman.pk, "statement": "带队攻关", "consent": "on"})
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/selection/nominations/{nomination.pk}/"
    from django.core.files.uploadedfile import SimpleUploadedFile

    as_operator_a.post(f"/selection/nominations/{nomination.pk}/attachments/",
                       {"file": SimpleUploadedFile("事迹.pdf", PDF, content_type="application/pdf")})
    attachment = Attachment.objects.get()
    download = as_operator_a.get(f"/selection/attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"].startswith("private, no-store")
    as_operator_a.post(f"/selection/nominations/{nomination.pk}/submit/")
    nomination.refresh_from_db()
    assert nomination.status == "submitted"
    page = as_operator_a.get(f"/selection/nominations/{nomination.pk}/").content.decode()
    assert "已提交" in page and 'data-testid="submit"' not in page


def test_a_refused_nomination_shows_on_the_form_and_saves_nothing(as_operator_a, campaign, worker_a,  # type: ignore[no-untyped-def]
                                                                    craftsman, nomination) -> None:
    response = as_operator_a.post(f"/selection/{campaign.year}/nominations/new/", {
        "worker": worker_a.pk, "tier_id": craftsman.pk, "statement": "又一次"})
    assert response.status_code == 200
    assert "已在本届活动中被推荐" in response.content.decode()
    assert Nomination.objects.count() == 1


def test_out_of_scope_is_404(as_operator_b, as_worker, as_expert, nomination, campaign, settings,  # type: ignore[no-untyped-def]
                             tmp_path, operator_a) -> None:
    settings.MEDIA_ROOT = tmp_path
    attachment = services_nomination.add_attachment(operator_a, nomination, "a.pdf", PDF)
    for client in (as_operator_b, as_worker, as_expert):
        for url in (f"/selection/nominations/{nomination.pk}/", f"/selection/nominations/{nomination.pk}/edit/",
                    f"/selection/attachments/{attachment.pk}/"):
            assert client.get(url).status_code == 404, url
        assert client.post(f"/selection/nominations/{nomination.pk}/submit/").status_code == 404
        assert client.post(f"/selection/attachments/{attachment.pk}/remove/").status_code == 404
    for client in (as_worker, as_expert):
        assert client.get("/selection/").status_code == 404
        assert client.get(f"/selection/{campaign.year}/").status_code == 404
    assert as_operator_b.post(f"/selection/{campaign.year}/advance/", {"note": ""}).status_code == 404
    assert as_operator_b.get(f"/selection/{campaign.year}/settings/").status_code == 404
    nomination.refresh_from_db()
    assert nomination.status == "draft" and Attachment.objects.count() == 1
    # operator B's list is empty, and a draft campaign is invisible to operators
    listing = as_operator_b.get(f"/selection/{campaign.year}/nominations/").content.decode()
    assert "带队攻关" not in listing and nomination.worker.name not in listing
    Campaign.objects.filter(pk=campaign.pk).update(stage=Stage.DRAFT)
    assert as_operator_b.get(f"/selection/{campaign.year}/").status_code == 404


def test_the_leader_reads_everything_and_changes_nothing(as_leader, nomination, campaign) -> None:  # type: ignore[no-untyped-def]
    assert as_leader.get(f"/selection/{campaign.year}/nominations/").status_code == 200
    assert as_leader.get(f"/selection/nominations/{nomination.pk}/").status_code == 200
    assert as_leader.get(f"/selection/nominations/{nomination.pk}/edit/").status_code == 404
    assert as_leader.post(f"/selection/nominations/{nomination.pk}/submit/").status_code == 404
    board = as_leader.get(f"/selection/{campaign.year}/").content.decode()
    assert 'data-testid="silent-count"' in board and 'data-testid="advance"' not in board


def test_the_qualification_page_says_why_not(as_admin, admin_user, operator_a, campaign, enterprise_a,  # type: ignore[no-untyped-def]
                                             craftsman) -> None:
    worker = WorkerFactory(name="等级低", enterprise=enterprise_a, skill_level=3)
    n = services_nomination.create_nomination(operator_a, campaign, worker, craftsman.pk, statement="x", consent=True)
    services_nomination.submit_nomination(operator_a, n)
    services.advance_stage(admin_user, campaign, Stage.QUALIFICATION)
    assert as_admin.post(f"/selection/{campaign.year}/qualification/run/").status_code == 302
    page = as_admin.get(f"/selection/{campaign.year}/qualification/?eligibility=ineligible").content.decode()
    assert "技能等级 高级工，要求 技师及以上" in page
    result = n.eligibility_results.get(key="min_level")
    as_admin.post(f"/selection/results/{result.pk}/override/", {"passed": "pass", "reason": "破格"})
    n.refresh_from_db()
    assert n.eligibility == "eligible"
    detail = as_admin.get(f"/selection/nominations/{n.pk}/").content.decode()
    assert 'data-testid="override-note"' in detail and "破格" in detail


def test_the_list_and_board_run_a_bounded_number_of_queries(as_admin, admin_user, campaign, enterprise_a,  # type: ignore[no-untyped-def]
                                                            operator_a, craftsman) -> None:
    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_admin.get(url).status_code == 200
        return len(queries)

    Campaign.objects.filter(pk=campaign.pk).update(nominations_per_enterprise=50)
    campaign.refresh_from_db()
    services_nomination.create_nomination(operator_a, campaign, WorkerFactory(enterprise=enterprise_a), craftsman.pk)
    urls = [f"/selection/{campaign.year}/nominations/", f"/selection/{campaign.year}/",
            f"/selection/{campaign.year}/qualification/"]
    [count(u) for u in urls]  # warm the session and the caches
    few = [count(u) for u in urls]
    for n in range(12):
        worker = WorkerFactory(name=f"测{n}", enterprise=enterprise_a)
        services_nomination.create_nomination(operator_a, campaign, worker, craftsman.pk)
    many = [count(u) for u in urls]
    assert many == few, (few, many)
    assert max(many) <= 25, many


def test_the_open_campaign_s_notice_is_on_operators_start_pages(as_operator_a, as_admin, as_leader,  # type: ignore[no-untyped-def]
                                                                 campaign, nomination) -> None:
    page = as_operator_a.get("/", follow=True).content.decode()
    assert 'data-testid="campaign-start-notice"' in page
    assert "本企业：已提交 0 人，草稿 1 份。" in page and "每家企业最多推荐 3 人" in page
    for other in (as_admin, as_leader):
        assert 'data-testid="campaign-start-notice"' not in other.get("/", follow=True).content.decode()
    # only on the start page, and only while the campaign takes nominations
    assert 'data-testid="campaign-start-notice"' not in as_operator_a.get("/selection/").content.decode()
    Campaign.objects.filter(pk=campaign.pk).update(stage=Stage.QUALIFICATION)
    assert 'data-testid="campaign-start-notice"' not in as_operator_a.get("/", follow=True).content.decode()
