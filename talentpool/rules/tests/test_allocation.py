from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentpool.rules import allocation
from talentpool.rules.allocation import (
    AllocationInfeasible,
    Infeasible,
    allocate_tiers,
    explain_allocation,
)
from talentpool.rules.solving import Infeasible as SolvingInfeasible

# --- a brute-force reference --------------------------------------------------------------------


def feasible(result: tuple[int, ...], applied, enterprise, quotas, cap, groups) -> bool:  # type: ignore[no-untyped-def]
    placed = [i for i, t in enumerate(result) if t >= 0]
    if any(result[i] < applied[i] for i in placed):
        return False
    if any(sum(1 for i in placed if result[i] == t) > q for t, q in enumerate(quotas)):
        return False
    if cap is not None and any(sum(1 for i in placed if enterprise[i] == e) > cap for e in set(enterprise)):
        return False
    return all({g[i] for i in placed} == set(g) for g in groups)


def objective(result, merit, weights) -> Fraction:  # type: ignore[no-untyped-def]
    return sum((Fraction(weights[t]) * Fraction(merit[i]) for i, t in enumerate(result) if t >= 0), Fraction(0))


def tie_score(result, merit, tiers) -> int:  # type: ignore[no-untyped-def]
    """The documented tie order: Σ (T − tier) × (n − rank), rank by merit (higher first) then index."""
    n = len(merit)
    order = sorted(range(n), key=lambda i: (-merit[i], i))
    rank = {i: r for r, i in enumerate(order)}
    return sum((tiers - t) * (n - rank[i]) for i, t in enumerate(result) if t >= 0)


def brute_force(merit, applied, enterprise, quotas, weights, cap, groups):  # type: ignore[no-untyped-def]
    """Every feasible allocation; the best by objective then tie score (a set: the tie score may tie)."""
    tiers = len(quotas)
    options = [[-1, *range(a, tiers)] for a in applied]
    best: list[tuple[int, ...]] = []
    key = None
    for result in itertools.product(*options):
        if not feasible(result, applied, enterprise, quotas, cap, groups):
            continue
        k = (objective(result, merit, weights), tie_score(result, merit, tiers))
        if key is None or k > key:
            key, best = k, [result]
        elif k == key:
            best.append(result)
    return key, best


def solve(merit, applied, industry, enterprise, quotas, weights, cap=None, groups=()):  # type: ignore[no-untyped-def]
    return allocate_tiers(merit, applied, industry, enterprise, quotas, weights, enterprise_cap=cap, groups=groups)


@st.composite
def tiny(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 5))
    tiers = draw(st.integers(1, 3))
    merit = draw(st.lists(st.sampled_from([0.0, 1.0, 2.0, 2.5, 3.0, 7.25]), min_size=n, max_size=n))
    applied = draw(st.lists(st.integers(0, tiers - 1), min_size=n, max_size=n))
    industry = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    occupation = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    enterprise = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    quotas = draw(st.lists(st.integers(0, 2), min_size=tiers, max_size=tiers))
    factors = st.sampled_from([1.0, 1.5, 2.0, 3.0])
    weights = draw(st.one_of(st.none(), st.lists(factors, min_size=tiers, max_size=tiers)))
    cap = draw(st.sampled_from([None, 1, 2]))
    groups = draw(st.sampled_from(["none", "industry", "both"]))
    labellings = {"none": [], "industry": [industry], "both": [industry, occupation]}[groups]
    return dict(
        merit=merit, applied=applied, industry=industry, enterprise=enterprise, quotas=quotas,
        weights=weights, cap=cap, groups=labellings,
    )


@pytest.fixture(params=["lp", "branch-and-bound"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test through the LP-vertex path and, with no vertex taken as integral, through HiGHS's MILP."""
    if request.param == "branch-and-bound":
        monkeypatch.setattr(allocation, "_INTEGRAL", -1.0)
    return str(request.param)


def check_against_brute_force(case: dict[str, Any]) -> None:
    weights = case["weights"] or [1.0] * len(case["quotas"])
    key, best = brute_force(
        case["merit"], case["applied"], case["enterprise"], case["quotas"], weights, case["cap"], case["groups"]
    )
    args = (case["merit"], case["applied"], case["industry"], case["enterprise"], case["quotas"], case["weights"])
    if key is None:
        with pytest.raises(AllocationInfeasible) as caught:
            solve(*args, case["cap"], case["groups"])
        check_relaxations(caught.value, case)
        return
    result = tuple(int(t) for t in solve(*args, case["cap"], case["groups"]))
    assert objective(result, case["merit"], weights) == key[0]
    assert tie_score(result, case["merit"], len(case["quotas"])) == key[1]
    assert result in best


def check_relaxations(error: AllocationInfeasible, case: dict[str, Any]) -> None:
    """Each suggested relaxation restores feasibility, and a numeric one is the least that does."""
    assert error.relaxations
    weights = case["weights"] or [1.0] * len(case["quotas"])

    def solvable(quotas: Any, cap: int | None, groups: list[Any]) -> bool:
        key, _ = brute_force(case["merit"], case["applied"], case["enterprise"], quotas, weights, cap, groups)
        return key is not None

    for r in error.relaxations:
        assert r.text in str(error)
        groups = [case["groups"][k] for k in r.groups]
        assert solvable(r.quotas, r.enterprise_cap, groups), r
        if r.quotas != tuple(case["quotas"]) and r.enterprise_cap == case["cap"]:
            assert not solvable([*r.quotas[:-1], r.quotas[-1] - 1], r.enterprise_cap, groups)
        if r.enterprise_cap != case["cap"] and r.quotas == tuple(case["quotas"]):
            assert r.enterprise_cap is not None
            assert not solvable(r.quotas, r.enterprise_cap - 1, groups)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=tiny())
def test_optimal_and_tie_order_against_brute_force(case: dict[str, Any], path: str) -> None:
    check_against_brute_force(case)


# --- constraints, determinism, ties -------------------------------------------------------------


def random_campaign(seed: int, n: int = 300) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    enterprise = rng.integers(0, 100, size=n)
    industry = rng.integers(0, 6, size=n)
    merit = np.round(rng.normal(70, 10, size=n), 1)  # one decimal: many equal scores
    applied = rng.choice(3, size=n, p=[0.2, 0.3, 0.5])
    lone = rng.integers(0, n)
    industry[lone], merit[lone], applied[lone] = 6, 30.0, 1  # an industry with a single, weak candidate
    return dict(
        merit=merit,
        applied=applied,
        industry=industry,
        enterprise=enterprise,
        quotas=np.array([20, 40, 120]),
        weights=np.array([5000.0, 3000.0, 1500.0]),
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_constraint_holds(seed: int, path: str) -> None:
    c = random_campaign(seed)
    result = allocate_tiers(
        c["merit"], c["applied"], c["industry"], c["enterprise"], c["quotas"], c["weights"],
        enterprise_cap=3, groups=[c["industry"]],
    )
    assert result.dtype.kind == "i" and result.shape == (300,)
    placed = result >= 0
    assert np.all(result[placed] >= c["applied"][placed])
    assert np.bincount(result[placed], minlength=3).tolist() == [20, 40, 120]  # enough candidates: all filled
    assert np.bincount(c["enterprise"][placed]).max() <= 3
    assert set(c["industry"][placed].tolist()) == set(range(7))
    lone = int(np.flatnonzero(c["industry"] == 6)[0])
    assert result[lone] >= 0  # the single candidate of industry 6 is placed whatever the score


def test_lp_and_branch_and_bound_paths_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    c = random_campaign(4)
    args = (c["merit"], c["applied"], c["industry"], c["enterprise"], c["quotas"], c["weights"])
    lp = allocate_tiers(*args, enterprise_cap=3, groups=[c["industry"]])
    monkeypatch.setattr(allocation, "_INTEGRAL", -1.0)
    bb = allocate_tiers(*args, enterprise_cap=3, groups=[c["industry"]])
    assert lp.tolist() == bb.tolist()  # the same optimum and the same tie order on both paths


def test_deterministic_and_input_types_do_not_matter() -> None:
    c = random_campaign(5)
    args = (c["merit"], c["applied"], c["industry"], c["enterprise"], c["quotas"], c["weights"])
    first = allocate_tiers(*args, enterprise_cap=2, groups=[c["industry"]])
    again = allocate_tiers(*args, enterprise_cap=2, groups=[c["industry"]])
    as_lists = allocate_tiers(*(a.tolist() for a in args), enterprise_cap=2, groups=[c["industry"].tolist()])
    assert first.tolist() == again.tolist() == as_lists.tolist()


def test_equal_scores_lower_index_takes_the_place() -> None:
    # Three candidates on 80, two places: candidates 0 and 2 before 3; 1 scores less.
    result = allocate_tiers([80, 79, 80, 80], [0, 0, 0, 0], [0] * 4, [0, 1, 2, 3], [2], [1.0])
    assert result.tolist() == [0, -1, 0, -1]
    # Reversing the order reverses who wins.
    result = allocate_tiers([80, 80, 79, 80], [0, 0, 0, 0], [0] * 4, [0, 1, 2, 3], [2], [1.0])
    assert result.tolist() == [0, 0, -1, -1]


def test_equally_weighted_tiers_go_to_the_better_ranked() -> None:
    # Weights equal: the objective cannot tell the tiers apart, the tie order gives the higher tier
    # to the higher score, and among equal scores to the lower index.
    result = allocate_tiers([70, 90, 90], [0, 0, 0], [0] * 3, [0, 1, 2], [1, 2], None)
    assert result.tolist() == [1, 0, 1]
    result = allocate_tiers([90, 90, 70], [0, 0, 0], [0] * 3, [0, 1, 2], [1, 2], [2.0, 2.0])
    assert result.tolist() == [0, 1, 1]


def test_weights_none_is_all_ones() -> None:
    c = random_campaign(6, n=80)
    quotas = np.array([5, 10, 30])
    args = (c["merit"], c["applied"], c["industry"], c["enterprise"], quotas)
    assert allocate_tiers(*args, None).tolist() == allocate_tiers(*args, [1.0, 1.0, 1.0]).tolist()


def test_weights_trade_a_higher_tier_against_more_merit() -> None:
    # One place in tier 0 (weight 10) and one in tier 1 (weight 1); A (100) applied for tier 1 only,
    # B (60) and C (50) for tier 0. Best: B in tier 0 (600) and A in tier 1 (100) = 700, not
    # B and C (650).
    assert allocate_tiers([100, 60, 50], [1, 0, 0], [0] * 3, [0, 1, 2], [1, 1], [10, 1]).tolist() == [1, 0, -1]


def test_representation_overrides_merit() -> None:
    # Industry 1's only candidate scores lowest yet takes a place; without the group it does not.
    args = ([90, 80, 70, 10], [0, 0, 0, 0], [0, 0, 0, 1], [0, 1, 2, 3], [2], [1.0])
    assert allocate_tiers(*args).tolist() == [0, 0, -1, -1]
    assert allocate_tiers(*args, groups=[[0, 0, 0, 1]]).tolist() == [0, -1, -1, 0]


def test_enterprise_cap_counts_all_tiers() -> None:
    result = allocate_tiers([90, 85, 80, 50], [0, 1, 1, 1], [0] * 4, [7, 7, 7, 8], [1, 3], [2, 1], enterprise_cap=2)
    assert result.tolist() == [0, 1, -1, 1]


def test_decimal_scores_and_allowances() -> None:
    merit = [Decimal("80.5"), Decimal("80.25"), Decimal("79")]
    weights = [Decimal("5000.00"), Decimal("3000.00")]
    result = allocate_tiers(merit, [0, 0, 0], [0] * 3, [0, 1, 2], [1, 1], weights)
    assert result.tolist() == [0, 1, -1]


def test_empty_campaign() -> None:
    result = allocate_tiers([], [], [], [], [1, 2], None, groups=[[]])
    assert result.tolist() == [] and result.dtype.kind == "i"


# --- infeasibility ------------------------------------------------------------------------------


def test_too_few_places_for_every_industry() -> None:
    ind = list(range(9))
    with pytest.raises(AllocationInfeasible) as caught:
        allocate_tiers([80] * 9, [0] * 9, ind, ind, [2, 3], [5000, 3000], groups=[ind])
    assert str(caught.value) == (
        "无法拟定：每个行业至少一人需要 9 个名额，但各层级名额合计只有 5 个；把第2档名额增至 7，或取消行业约束"
    )
    assert isinstance(caught.value, SolvingInfeasible) and isinstance(caught.value, ValueError)
    assert Infeasible is SolvingInfeasible  # re-exported
    quota, drop = caught.value.relaxations
    assert (quota.quotas, quota.enterprise_cap, quota.groups) == ((2, 7), None, (0,))
    assert (drop.quotas, drop.groups) == ((2, 3), ())
    assert (allocate_tiers([80] * 9, [0] * 9, ind, ind, quota.quotas, [5000, 3000], groups=[ind]) >= 0).all()


def test_candidates_only_for_lower_tiers() -> None:
    with pytest.raises(AllocationInfeasible) as caught:
        allocate_tiers([80, 70, 60], [0, 1, 1], [0, 1, 2], [0, 1, 2], [2, 1], None, groups=[[0, 1, 2]])
    assert str(caught.value) == (
        "无法拟定：2 个行业的候选人都只申报第2档及以下，至少各一人需要 2 个名额，但第2档及以下名额合计只有 1 个；"
        "把第2档名额增至 2，或取消行业约束"
    )


def test_cap_against_industries_of_one_enterprise() -> None:
    args = ([1, 1, 1, 1], [0] * 4, [0, 1, 2, 2], [5, 5, 6, 7], [3], None)
    with pytest.raises(AllocationInfeasible) as caught:
        allocate_tiers(*args, enterprise_cap=1, groups=[[0, 1, 2, 2]])
    assert str(caught.value) == (
        "无法拟定：行业 0、1 的候选人都来自企业 5，企业上限 1 时无法各得一人；把企业上限放宽到 2，或取消行业约束"
    )
    assert allocate_tiers(*args, enterprise_cap=2, groups=[[0, 1, 2, 2]]).tolist() == [0, 0, 0, -1]


def test_cap_total_too_small() -> None:
    with pytest.raises(AllocationInfeasible) as caught:
        allocate_tiers([1, 2, 3], [0] * 3, [0, 1, 2], [0, 0, 1], [5], None, enterprise_cap=1, groups=[[0, 1, 2]])
    assert str(caught.value) == (
        "无法拟定：企业上限 1 时最多入选 2 人，但每个行业至少一人需要 3 人；把企业上限放宽到 2，或取消行业约束"
    )


def test_conflict_no_count_explains_is_found_by_solving() -> None:
    # Industries 0, 1, 2 have candidates only at enterprises 1 and 2: with one place each, one is left out.
    ind, ent = [0, 0, 1, 1, 2, 2, 3, 3], [1, 2, 1, 2, 1, 2, 3, 4]
    with pytest.raises(AllocationInfeasible) as caught:
        allocate_tiers([1] * 8, [0] * 8, ind, ent, [10], None, enterprise_cap=1, groups=[ind])
    assert str(caught.value) == (
        "无法拟定：企业上限 1、每个行业至少一人无法同时满足；把企业上限放宽到 2，或取消行业约束"
    )


def test_no_single_relaxation_suffices() -> None:
    occupation = [1, 0]
    with pytest.raises(AllocationInfeasible) as caught:
        allocate_tiers([1, 2], [0, 0], [0, 1], [1, 1], [1], None, enterprise_cap=1, groups=[[0, 1], occupation])
    assert str(caught.value) == (
        "无法拟定：每个行业至少一人需要 2 个名额，但各层级名额合计只有 1 个；"
        "每个类别（分组2）至少一人需要 2 个名额，但各层级名额合计只有 1 个；"
        "把第1档名额增至 2 并把企业上限放宽到 2，或取消行业、分组2约束"
    )
    both = caught.value.relaxations[0]
    assert allocate_tiers([1, 2], [0, 0], [0, 1], [1, 1], both.quotas, None, enterprise_cap=both.enterprise_cap,
                          groups=[[0, 1], occupation]).tolist() == [0, 0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(merit=[1, 2], applied=[0]), "申报层级的个数（1）与候选人数（2）不一致"),
        (dict(applied=[0, 3]), "申报层级须在 0 到 1 之间（0 为最高层级）"),
        (dict(applied=[0, 0.5]), "申报层级须为整数"),
        (dict(merit=[1, float("nan")]), "分数不能为空值或无穷大"),
        (dict(merit=["a", "b"]), "分数须为一维数值数组"),
        (dict(merit=[1.0, None]), "分数须为一维数值数组"),
        (dict(merit=[True, False]), "分数须为一维数值数组"),
        (dict(quotas=[1, -1]), "各层级名额不能为负数"),
        (dict(quotas=[]), "至少需要一个层级"),
        (dict(weights=[1.0]), "层级权重须为 2 个数值，与层级名额一一对应"),
        (dict(weights=[1.0, 0.0]), "层级权重须为正数"),
        (dict(enterprise_cap=0), "企业上限须为正整数，或不设上限（None）"),
        (dict(enterprise=[1]), "企业的个数（1）与候选人数（2）不一致"),
        (dict(groups=[[0]]), "第1个代表性分组的个数（1）与候选人数（2）不一致"),
        (dict(groups=np.array([0, 1])), "代表性分组须为若干个标签数组组成的序列，例如 [industry]"),
    ],
)
def test_invalid_input(kwargs: dict[str, Any], message: str) -> None:
    args: dict[str, Any] = dict(
        merit=[1.0, 2.0], applied=[0, 1], industry=[0, 0], enterprise=[0, 1], quotas=[1, 1], weights=None
    )
    args.update(kwargs)
    cap, groups = args.pop("enterprise_cap", None), args.pop("groups", ())
    with pytest.raises(ValueError) as caught:
        allocate_tiers(**args, enterprise_cap=cap, groups=groups)
    assert str(caught.value) == message
    assert not isinstance(caught.value, Infeasible)


# --- reasons ------------------------------------------------------------------------------------


def test_reasons_for_downgrade_representation_threshold_and_tie() -> None:
    merit = [90, 85, 70, 50, 85]
    applied = [0, 0, 1, 1, 1]
    industry = [0, 0, 0, 1, 0]
    enterprise = [0, 1, 2, 3, 4]
    result = allocate_tiers(merit, applied, industry, enterprise, [1, 2], [5000, 3000], groups=[industry])
    assert result.tolist() == [0, 1, -1, 1, -1]
    reasons = explain_allocation(
        result, merit, applied, industry, enterprise, [1, 2], groups=[industry], tier_names=["南浔工匠", "首席技工"]
    )
    assert reasons == [
        "入选 南浔工匠",
        "降一档入选 首席技工：南浔工匠 名额已满",
        "未入选：分数低于 首席技工 最低入选分 85",
        "因行业代表性入选 首席技工",
        "未入选：与 首席技工 最低入选分 85 同分，按并列次序（序号小者优先）未入选",
    ]


def test_reasons_for_enterprise_cap_and_default_tier_names() -> None:
    merit = [90, 85, 84, 82, 50, 60]
    applied = [0, 0, 1, 1, 1, 1]
    industry = [0, 0, 0, 0, 1, 0]
    enterprise = [0, 1, 0, 0, 2, 3]
    kwargs: dict[str, Any] = dict(enterprise_cap=2, groups=[industry])
    result = allocate_tiers(merit, applied, industry, enterprise, [1, 4], [5000, 3000], **kwargs)
    assert result.tolist() == [0, 1, 1, -1, 1, 1]
    assert explain_allocation(result, merit, applied, industry, enterprise, [1, 4], **kwargs) == [
        "入选 第1档",
        "降一档入选 第2档：第1档 名额已满",
        "入选 第2档",
        "未入选：本企业已达上限 2 人",
        "入选 第2档",  # the better candidate left out (3) was blocked by the cap, not by representation
        "入选 第2档",
    ]


def test_reasons_two_tiers_down_and_no_places() -> None:
    merit, applied, industry, enterprise = [90, 80, 70], [0, 0, 1], [0, 0, 0], [0, 1, 2]
    result = allocate_tiers(merit, applied, industry, enterprise, [1, 0, 1], None)
    assert result.tolist() == [0, 2, -1]
    assert explain_allocation(result, merit, applied, industry, enterprise, [1, 0, 1]) == [
        "入选 第1档",
        "降两档入选 第3档：第1档、第2档 名额已满",
        "未入选：分数低于 第3档 最低入选分 80",
    ]
    assert explain_allocation([-1], [5], [1], [0], [0], [3, 0]) == ["未入选：可入选的层级均无名额"]


def test_reasons_reject_an_allocation_that_breaks_the_applied_tier() -> None:
    with pytest.raises(ValueError, match=r"^拟定结果把候选人放在了高于其申报层级的层级$"):
        explain_allocation([0], [5], [1], [0], [0], [1, 1])
    with pytest.raises(ValueError, match=r"^层级名称须为 2 个$"):
        explain_allocation([0], [5], [0], [0], [0], [1, 1], tier_names=["一"])


def test_every_candidate_gets_a_reason_that_matches_the_allocation() -> None:
    c = random_campaign(7)
    args = (c["merit"], c["applied"], c["industry"], c["enterprise"], c["quotas"])
    result = allocate_tiers(*args, c["weights"], enterprise_cap=3, groups=[c["industry"]])
    reasons = explain_allocation(result, *args, enterprise_cap=3, groups=[c["industry"]])
    assert len(reasons) == 300
    for t, reason in zip(result.tolist(), reasons, strict=True):
        assert reason.startswith("未入选") == (t < 0)
        if t >= 0:
            assert reason.endswith(f"第{t + 1}档") or f"入选 第{t + 1}档：" in reason
    assert "因行业代表性入选 第3档" in reasons  # industry 6's lone candidate scores low
