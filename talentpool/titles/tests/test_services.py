"""The titles' rules: one active title per worker (database and service), conferring and
superseding, the allowed status changes (a refusal changes nothing), certificate numbers, the
read helpers selection calls, and the allowance schedule."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from talentpool.core.exceptions import OutOfScope, ServiceError
from talentpool.core.models import AuditLog, HonourTier
from talentpool.registry.tests.factories import WorkerFactory
from talentpool.titles import events as ev
from talentpool.titles import services
from talentpool.titles.choices import TitleStatus
from talentpool.titles.models import CertificateSequence, Tier, TierAllowance, Title, TitleChange

from .factories import TitleFactory, chief, craftsman, events, model_worker  # noqa: F401

pytestmark = pytest.mark.django_db
MAY = datetime.date(2026, 5, 1)


def confer(actor, worker, tier, **kw):  # type: ignore[no-untyped-def]
    values = {"certificate_number": None, "valid_from": MAY, "year": 2026, "source": "2026年度选树"} | kw
    return services.confer_title(actor, worker, tier, **values)


def snapshot(title: Title) -> tuple[object, ...]:
    title.refresh_from_db()
    return (title.status, title.valid_to, title.superseded_by_id, TitleChange.objects.count(), AuditLog.objects.count())


# The seed ----------------------------------------------------------------------------------


def test_the_seed_gives_three_tiers_with_their_quotas_and_allowances_from_2018() -> None:
    rows = [(t.code, t.name, t.rank, t.default_quota, t.is_active) for t in Tier.objects.order_by("order")]
    assert rows == [
        ("craftsman", "南浔工匠", 1, 100, True),
        ("chief_technician", "首席技工", 2, 200, True),
        ("technical_model", "技术标兵", 3, 800, True),
    ]
    schedule = list(TierAllowance.objects.order_by("tier__order").values_list("tier__code", "from_year", "amount"))
    assert schedule == [
        ("craftsman", 2018, Decimal("5000.00")),
        ("chief_technician", 2018, Decimal("3000.00")),
        ("technical_model", 2018, Decimal("1500.00")),
    ]


def test_tier_is_the_programmes_honour_tier() -> None:
    assert set(Tier.objects.values_list("pk", flat=True)) == set(HonourTier.objects.values_list("pk", flat=True))


# One active title per worker -----------------------------------------------------------------


def test_the_database_refuses_a_second_active_title(worker_a, craftsman, chief) -> None:  # noqa: F811
    TitleFactory(worker=worker_a, tier=chief)
    with pytest.raises(IntegrityError), transaction.atomic():
        TitleFactory(worker=worker_a, tier=craftsman)
    TitleFactory(worker=worker_a, tier=craftsman, status=TitleStatus.REVOKED)  # ended titles do not count
    assert Title.objects.filter(worker=worker_a).count() == 2


def test_confer_refuses_the_same_tier_in_chinese_and_changes_nothing(admin_user, worker_a, chief) -> None:  # noqa: F811
    held = confer(admin_user, worker_a, chief)
    before = snapshot(held)
    with pytest.raises(ServiceError) as refusal:
        confer(admin_user, worker_a, chief, year=2026)
    assert str(refusal.value) == (
        f"慎建民 已持有称号 首席技工（{held.certificate_number}，有效），不能再授予 首席技工 称号。"
    )
    assert snapshot(held) == before
    assert Title.objects.filter(worker=worker_a).count() == 1


def test_confer_refuses_a_lower_tier_and_a_suspended_title_still_counts(
    admin_user, worker_a, craftsman, model_worker  # noqa: F811
) -> None:
    held = confer(admin_user, worker_a, craftsman)
    services.change_status(admin_user, held, TitleStatus.SUSPENDED, reason="年度考核不合格")
    with pytest.raises(ServiceError, match="已持有称号 南浔工匠"):
        confer(admin_user, worker_a, model_worker)
    assert list(Title.objects.filter(worker=worker_a).values_list("status", flat=True)) == [TitleStatus.SUSPENDED]


def test_confer_a_higher_tier_supersedes_the_lower_one_in_one_go(admin_user, worker_a, chief, craftsman) -> None:  # noqa: F811
    lower = confer(admin_user, worker_a, chief, year=2024, valid_from=datetime.date(2024, 6, 1))
    higher = confer(admin_user, worker_a, craftsman, reason="2026年度命名")
    lower.refresh_from_db()
    assert (lower.status, lower.valid_to, lower.superseded_by_id) == (TitleStatus.SUPERSEDED, MAY, higher.pk)
    assert (higher.status, higher.tier_id, higher.valid_from) == (TitleStatus.ACTIVE, craftsman.pk, MAY)
    assert services.active_title(worker_a) == higher
    history = list(TitleChange.objects.filter(title=lower).values_list("from_status", "to_status", "reason"))
    assert history == [("", "active", ""), ("active", "superseded", "晋升为 南浔工匠（2026年度）。")]
    assert [e.object_id for e in events(ev.TITLE_SUPERSEDE)] == [str(lower.pk)]
    conferred = events(ev.TITLE_CONFER)[-1]
    assert conferred.changes["supersedes"] == [lower.certificate_number]
    assert conferred.actor_id == admin_user.pk


def test_supersede_title_on_its_own_and_not_twice(admin_user, worker_a, chief) -> None:  # noqa: F811
    title = confer(admin_user, worker_a, chief)
    services.supersede_title(admin_user, title, on=datetime.date(2026, 9, 1), reason="晋升")
    title.refresh_from_db()
    assert (title.status, title.valid_to) == (TitleStatus.SUPERSEDED, datetime.date(2026, 9, 1))
    before = snapshot(title)
    with pytest.raises(ServiceError, match="已结束"):
        services.supersede_title(admin_user, title, reason="再次")
    assert snapshot(title) == before


def test_a_title_cannot_end_before_it_began(admin_user, worker_a, chief) -> None:  # noqa: F811
    title = confer(admin_user, worker_a, chief)
    before = snapshot(title)
    with pytest.raises(ServiceError, match="早于"):
        services.change_status(admin_user, title, TitleStatus.REVOKED, reason="弄虚作假", on=datetime.date(2026, 1, 1))
    assert snapshot(title) == before


def test_only_admins_change_titles(leader, operator_a, worker_a, chief) -> None:  # noqa: F811
    for actor in (leader, operator_a):
        with pytest.raises(OutOfScope):
            confer(actor, worker_a, chief)
    assert not Title.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="titles.").exists()


def test_confer_refuses_a_tier_out_of_use_and_a_taken_number(admin_user, worker_a, worker_b, chief) -> None:  # noqa: F811
    confer(admin_user, worker_a, chief, certificate_number="nx2026sxjg0100")
    with pytest.raises(ServiceError, match="NX2026SXJG0100 已被使用"):
        confer(admin_user, worker_b, chief, certificate_number="NX2026SXJG0100")
    HonourTier.objects.filter(pk=chief.pk).update(is_active=False)
    with pytest.raises(ServiceError, match="已停用"):
        confer(admin_user, worker_b, Tier.objects.get(pk=chief.pk))
    assert Title.objects.filter(worker=worker_b).count() == 0


# Status changes ------------------------------------------------------------------------------


def test_suspend_reinstate_revoke_with_history_and_audit(admin_user, worker_a, chief) -> None:  # noqa: F811
    title = confer(admin_user, worker_a, chief)
    services.change_status(admin_user, title, TitleStatus.SUSPENDED, reason="年度考核不合格")
    services.change_status(admin_user, title, TitleStatus.ACTIVE, reason="复核通过")
    services.change_status(admin_user, title, TitleStatus.REVOKED, reason="申报弄虚作假", on=datetime.date(2026, 8, 1))
    title.refresh_from_db()
    assert (title.status, title.valid_to) == (TitleStatus.REVOKED, datetime.date(2026, 8, 1))
    history = list(title.changes.order_by("pk").values_list("from_status", "to_status", "reason", "by"))
    assert history == [
        ("", "active", "", admin_user.pk),
        ("active", "suspended", "年度考核不合格", admin_user.pk),
        ("suspended", "active", "复核通过", admin_user.pk),
        ("active", "revoked", "申报弄虚作假", admin_user.pk),
    ]
    assert [e.action for e in AuditLog.objects.filter(object_id=str(title.pk)).order_by("pk")] == [
        ev.TITLE_CONFER, ev.TITLE_SUSPEND, ev.TITLE_REINSTATE, ev.TITLE_REVOKE,
    ]
    assert events(ev.TITLE_REVOKE)[0].changes == {
        "status": ["active", "revoked"], "reason": "申报弄虚作假", "valid_to": [None, "2026-08-01"],
    }


@pytest.mark.parametrize(
    ("start", "target", "message"),
    [
        (TitleStatus.ACTIVE, TitleStatus.ACTIVE, "该称号已是“有效”状态。"),
        (TitleStatus.ACTIVE, TitleStatus.SUPERSEDED, "称号在授予更高层级称号时自动标记为已晋升，不能直接改为该状态。"),
        (TitleStatus.REVOKED, TitleStatus.ACTIVE, "“撤销”的称号不能改为“有效”。"),
        (TitleStatus.RETIRED, TitleStatus.SUSPENDED, "“退休”的称号不能改为“暂停”。"),
        (TitleStatus.SUPERSEDED, TitleStatus.REVOKED, "“已晋升”的称号不能改为“撤销”。"),
        (TitleStatus.ACTIVE, "lost", "请选择新的状态。"),
    ],
)
def test_refused_transitions_change_nothing(admin_user, worker_a, chief, start, target, message) -> None:  # noqa: F811
    title = TitleFactory(worker=worker_a, tier=chief, status=start)
    before = snapshot(title)
    with pytest.raises(ServiceError) as refusal:
        services.change_status(admin_user, title, target, reason="测试")
    assert str(refusal.value) == message
    assert snapshot(title) == before


def test_a_reason_is_required(admin_user, worker_a, chief) -> None:  # noqa: F811
    title = confer(admin_user, worker_a, chief)
    before = snapshot(title)
    with pytest.raises(ServiceError, match="请填写变更原因"):
        services.change_status(admin_user, title, TitleStatus.SUSPENDED, reason="   ")
    assert snapshot(title) == before


def test_reinstating_is_refused_when_another_title_is_active(admin_user, worker_a, chief, craftsman) -> None:  # noqa: F811
    suspended = TitleFactory(worker=worker_a, tier=chief, status=TitleStatus.SUSPENDED)
    active = TitleFactory(worker=worker_a, tier=craftsman)
    before = snapshot(suspended)
    with pytest.raises(ServiceError, match=f"另一个有效称号（{active.certificate_number}）"):
        services.change_status(admin_user, suspended, TitleStatus.ACTIVE, reason="恢复")
    assert snapshot(suspended) == before


def test_allowed_statuses_follow_the_transitions(worker_a, chief) -> None:  # noqa: F811
    active = TitleFactory(worker=worker_a, tier=chief)
    assert services.allowed_statuses(active) == ["suspended", "revoked", "retired"]
    active.status = TitleStatus.SUSPENDED
    assert services.allowed_statuses(active) == ["active", "revoked", "retired"]
    active.status = TitleStatus.REVOKED
    assert services.allowed_statuses(active) == []


def test_changes_lock_the_title_inside_the_transaction(admin_user, worker_a, chief, locks) -> None:  # noqa: F811
    title = TitleFactory(worker=worker_a, tier=chief)
    services.change_status(admin_user, title, TitleStatus.SUSPENDED, reason="考核")
    assert (Title, ("self",), True) in locks


# Certificate numbers -------------------------------------------------------------------------


def test_numbers_count_per_year_and_tier(admin_user, chief, craftsman, model_worker) -> None:  # noqa: F811
    workers = WorkerFactory.create_batch(5)
    numbers = [
        confer(admin_user, workers[0], craftsman).certificate_number,
        confer(admin_user, workers[1], craftsman).certificate_number,
        confer(admin_user, workers[2], chief).certificate_number,
        confer(admin_user, workers[3], model_worker, year=2025).certificate_number,
        confer(admin_user, workers[4], model_worker).certificate_number,
    ]
    assert numbers == ["NX2026GJ0001", "NX2026GJ0002", "NX2026SXJG0001", "NX2025JSBB0001", "NX2026JSBB0001"]
    assert dict(CertificateSequence.objects.values_list("prefix", "last")) == {
        "NX2026GJ": 2, "NX2026SXJG": 1, "NX2025JSBB": 1, "NX2026JSBB": 1,
    }


def test_a_refused_conferral_gives_its_number_back(admin_user, worker_a, worker_b, chief) -> None:  # noqa: F811
    confer(admin_user, worker_a, chief)
    with pytest.raises(ServiceError):
        confer(admin_user, worker_a, chief)  # refused after the lock: nothing kept
    with pytest.raises(IntegrityError), transaction.atomic():
        number = services.next_certificate_number(2026, chief)
        assert number == "NX2026SXJG0002"
        raise IntegrityError("rolled back")
    assert confer(admin_user, worker_b, chief).certificate_number == "NX2026SXJG0002"


def test_numbers_skip_one_taken_by_hand(admin_user, worker_a, worker_b, chief) -> None:  # noqa: F811
    confer(admin_user, worker_a, chief, certificate_number="NX2026SXJG0001")
    assert confer(admin_user, worker_b, chief).certificate_number == "NX2026SXJG0002"


def test_numbers_take_the_sequence_row_lock(chief, locks) -> None:  # noqa: F811
    with transaction.atomic():
        services.next_certificate_number(2026, chief)
    assert (CertificateSequence, None, True) in locks


def test_numbers_follow_the_district_and_the_tier_name(chief) -> None:  # noqa: F811
    from dataclasses import asdict

    from django.core.cache import cache

    from talentpool.core import programme

    cache.set(programme.CACHE_KEY, asdict(programme.Names("东胜区", "千名技能人才")), None)
    HonourTier.objects.filter(code="craftsman").update(name="东胜工匠")
    assert services.certificate_prefix(2027, Tier.objects.get(code="craftsman")) == "DS2027GJ"
    assert services.certificate_prefix(2027, chief) == "DS2027SXJG"


# Read helpers --------------------------------------------------------------------------------


def test_read_helpers(worker_a, worker_b, chief, craftsman, model_worker) -> None:  # noqa: F811
    TitleFactory(worker=worker_a, tier=chief)
    TitleFactory(worker=worker_b, tier=model_worker, status=TitleStatus.REVOKED, valid_to=datetime.date(2024, 9, 1))
    assert services.active_title(worker_a).tier == chief
    assert services.active_title(worker_b) is None
    assert services.holds_tier_or_higher(worker_a, chief) is True
    assert services.holds_tier_or_higher(worker_a, model_worker) is True
    assert services.holds_tier_or_higher(worker_a, craftsman) is False
    assert services.holds_tier_or_higher(worker_b, model_worker) is False
    assert services.barred_by_revocation(worker_a) is False
    assert services.barred_by_revocation(worker_b) is True
    assert services.barred_by_revocation(worker_b, since=datetime.date(2024, 9, 1)) is True
    assert services.barred_by_revocation(worker_b, since=datetime.date(2024, 9, 2)) is False


# Allowances ----------------------------------------------------------------------------------


def test_the_allowance_in_force_is_the_latest_from_year(admin_user, craftsman) -> None:  # noqa: F811
    services.set_allowance(admin_user, craftsman, from_year=2025, amount="6,000")
    assert services.allowance_in(craftsman, 2017) is None
    assert services.allowance_in(craftsman, 2024) == Decimal("5000.00")
    assert services.allowance_in(craftsman, 2025) == Decimal("6000.00")
    assert services.allowance_in(craftsman, 2030) == Decimal("6000.00")
    craftsman.refresh_from_db()
    assert craftsman.annual_allowance == Decimal("6000.00")  # 系统管理 shows the amount in force
    (entry,) = events(ev.TIER_ALLOWANCE_SET)
    assert entry.changes == {"tier": "南浔工匠", "from_year": 2025, "amount": [None, "6000.00"]}


def test_set_allowance_refuses_nonsense_and_saves_nothing_unchanged(admin_user, craftsman) -> None:  # noqa: F811
    for amount in ("abc", "-1", "NaN"):
        with pytest.raises(ServiceError, match="请以元为单位"):
            services.set_allowance(admin_user, craftsman, from_year=2025, amount=amount)
    with pytest.raises(ServiceError, match="年份"):
        services.set_allowance(admin_user, craftsman, from_year=1990, amount="100")
    services.set_allowance(admin_user, craftsman, from_year=2018, amount="5000")
    assert TierAllowance.objects.filter(tier=craftsman).count() == 1
    assert events(ev.TIER_ALLOWANCE_SET) == []
