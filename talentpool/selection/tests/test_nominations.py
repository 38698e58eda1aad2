"""Nominations (services_nomination.py): an operator's own current workers, the enterprise's
allowance, one per worker, drafts until submitted, consent, the deadline lock, attachments;
every refusal changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.core.models import AuditLog
from talentpool.registry.tests.factories import WorkerFactory
from talentpool.selection import services, services_nomination
from talentpool.selection.choices import NominationStatus
from talentpool.selection.models import Attachment, Campaign, Nomination

PDF = b"%PDF-1.4\n% test\n"


def _nominate(actor, campaign, worker, tier, **kwargs):  # type: ignore[no-untyped-def]
    return services_nomination.create_nomination(actor, campaign, worker, tier.pk, **kwargs)


def test_an_operator_nominates_submits_and_the_record_says_who(campaign, operator_a, worker_a, craftsman) -> None:  # type: ignore[no-untyped-def]
    nomination = _nominate(operator_a, campaign, worker_a, craftsman, statement="带队攻关", consent=True)
    assert (nomination.status, nomination.enterprise, nomination.created_by) == ("draft", worker_a.current_enterprise,
                                                                                  operator_a)
    assert nomination.consent_recorded_at is not None
    submitted = services_nomination.submit_nomination(operator_a, nomination)
    assert submitted.status == NominationStatus.SUBMITTED and submitted.submitted_at is not None
    assert AuditLog.objects.filter(action="selection.nomination.submit").count() == 1


def test_only_own_current_workers(campaign, operator_a, worker_b, craftsman, leader) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError, match="只能推荐本企业的在职职工"):
        _nominate(operator_a, campaign, worker_b, craftsman)
    with pytest.raises(OutOfScope):
        _nominate(leader, campaign, worker_b, craftsman)
    assert not Nomination.objects.exists()


def test_one_nomination_per_worker_and_the_enterprise_allowance(campaign, operator_a, worker_a, craftsman,  # type: ignore[no-untyped-def]
                                                                 chief, enterprise_a) -> None:
    first = _nominate(operator_a, campaign, worker_a, craftsman)
    with pytest.raises(ServiceError, match="已在本届活动中被推荐") as refused:
        _nominate(operator_a, campaign, worker_a, chief)
    assert refused.value.link == (first.get_absolute_url(), str(first))
    others = [WorkerFactory(name=f"测试{n}", enterprise=enterprise_a) for n in range(3)]
    _nominate(operator_a, campaign, others[0], chief)
    _nominate(operator_a, campaign, others[1], chief)
    with pytest.raises(ServiceError, match="3 个推荐名额已用完"):
        _nominate(operator_a, campaign, others[2], chief)
    assert Nomination.objects.count() == 3
    # A withdrawal frees its place, and the worker may be nominated again.
    services_nomination.withdraw_nomination(operator_a, first, reason="本人放弃")
    again = _nominate(operator_a, campaign, worker_a, chief)
    assert Nomination.objects.filter(worker=worker_a).count() == 2 and again.status == "draft"


def test_submission_needs_a_statement_and_consent(campaign, operator_a, worker_a, craftsman) -> None:  # type: ignore[no-untyped-def]
    nomination = _nominate(operator_a, campaign, worker_a, craftsman)
    with pytest.raises(ServiceError, match="提交前请填写事迹材料"):
        services_nomination.submit_nomination(operator_a, nomination)
    services_nomination.update_nomination(operator_a, nomination, {"statement": "  技术革新  "})
    with pytest.raises(ServiceError, match="同意在公示和光荣榜上公开"):
        services_nomination.submit_nomination(operator_a, nomination)
    nomination.refresh_from_db()
    assert (nomination.status, nomination.statement) == ("draft", "技术革新")
    services_nomination.update_nomination(operator_a, nomination, {"consent": True})
    services_nomination.submit_nomination(operator_a, nomination)
    with pytest.raises(ServiceError, match="只有草稿可以修改"):
        services_nomination.update_nomination(operator_a, nomination, {"statement": "改"})
    nomination.refresh_from_db()
    assert nomination.statement == "技术革新"


def test_the_deadline_locks_everything(campaign, operator_a, worker_a, craftsman) -> None:  # type: ignore[no-untyped-def]
    nomination = _nominate(operator_a, campaign, worker_a, craftsman, statement="事迹", consent=True)
    Campaign.objects.filter(pk=campaign.pk).update(nomination_deadline=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ServiceError, match=r"推荐截止时间（.*）已过，推荐已锁定"):
        services_nomination.submit_nomination(operator_a, nomination)
    with pytest.raises(ServiceError, match="已锁定"):
        services_nomination.add_attachment(operator_a, nomination, "a.pdf", PDF)
    nomination.refresh_from_db()
    assert nomination.status == "draft" and not Attachment.objects.exists()


def test_nominations_only_at_the_nomination_stage(admin_user, operator_a, worker_a, craftsman) -> None:  # type: ignore[no-untyped-def]
    draft = services.create_campaign(admin_user, 2027)
    with pytest.raises(ServiceError, match="只有在推荐阶段才能推荐（当前：草拟）"):
        _nominate(operator_a, draft, worker_a, craftsman)


def test_another_enterprise_s_operator_cannot_touch_a_nomination(campaign, operator_a, operator_b, worker_a,  # type: ignore[no-untyped-def]
                                                                   craftsman) -> None:
    nomination = _nominate(operator_a, campaign, worker_a, craftsman, statement="事迹", consent=True)
    for act in (lambda: services_nomination.submit_nomination(operator_b, nomination),
                lambda: services_nomination.update_nomination(operator_b, nomination, {"statement": "x"}),
                lambda: services_nomination.withdraw_nomination(operator_b, nomination, reason="x"),
                lambda: services_nomination.add_attachment(operator_b, nomination, "a.pdf", PDF)):
        with pytest.raises(OutOfScope):
            act()
    nomination.refresh_from_db()
    assert (nomination.status, nomination.statement, nomination.version) == ("draft", "事迹", 1)


def test_attachments_are_checked_by_content_and_encrypted_at_rest(campaign, operator_a, worker_a, craftsman,  # type: ignore[no-untyped-def]
                                                                    settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    nomination = _nominate(operator_a, campaign, worker_a, craftsman)
    attachment = services_nomination.add_attachment(operator_a, nomination, "C:\\材料\\事迹.pdf", PDF)
    assert (attachment.name, attachment.size, attachment.content_type) == ("事迹.pdf", len(PDF), "application/pdf")
    on_disk = (tmp_path / attachment.file.name).read_bytes()
    assert PDF not in on_disk and "事迹" not in attachment.file.name
    assert attachment.file.open("rb").read() == PDF
    with pytest.raises(ServiceError, match="内容不是 PDF 文件"):
        services_nomination.add_attachment(operator_a, nomination, "fake.pdf", b"MZ\x90\x00")
    with pytest.raises(ServiceError, match=r"类型不受理（可上传：PDF、JPEG、PNG、Word、Excel）"):
        services_nomination.add_attachment(operator_a, nomination, "run.exe", b"MZ\x90\x00")
    with pytest.raises(ServiceError, match="是空的"):
        services_nomination.add_attachment(operator_a, nomination, "empty.png", b"")
    assert Attachment.objects.count() == 1
    services_nomination.remove_attachment(operator_a, attachment)
    assert not Attachment.objects.exists() and not (tmp_path / attachment.file.name).exists()
