"""assign_reviewers: optimal against brute force and an exact MILP, every constraint holds, the same
input gives the same output, each infeasibility names who causes it, bad input is refused."""

from __future__ import annotations

import itertools
import re
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from talentpool.rules import assignment
from talentpool.rules.assignment import Infeasible, assign_reviewers
from talentpool.rules.solving import Infeasible as SolvingInfeasible

# --- references ---------------------------------------------------------------------------------


def brute_force(affinity, allowed, k, capacity, group=None):
    """The best total by trying every assignment, or None when there is none."""
    n, m = affinity.shape
    group = np.arange(m) if group is None else np.asarray(group)
    options = []
    for i in range(n):
        subsets = [
            s
            for s in itertools.combinations(range(m), k)
            if all(allowed[i, e] for e in s) and len({group[e] for e in s}) == k
        ]
        options.append(sorted(subsets, key=lambda s, i=i: -sum(affinity[i, e] for e in s)))
    best = [None]
    load = np.zeros(m, dtype=int)

    def walk(i, total):
        if i == n:
            if best[0] is None or total > best[0]:
                best[0] = total
            return
        for s in options[i]:
            if all(load[e] < capacity[e] for e in s):
                load[list(s)] += 1
                walk(i + 1, total + sum(affinity[i, e] for e in s))
                load[list(s)] -= 1

    walk(0, 0.0)
    return best[0]


def milp_optimum(affinity, allowed, k, capacity, group=None):
    """The best total by an exact integer program (scipy HiGHS), or None when infeasible."""
    n, m = affinity.shape
    ii, ee = np.nonzero(allowed)
    v = len(ii)
    rows, cols, lo, hi = [], [], [], []
    r = 0
    for i in range(n):  # each item exactly k
        idx = np.flatnonzero(ii == i)
        rows += [r] * len(idx)
        cols += list(idx)
        lo.append(k)
        hi.append(k)
        r += 1
    for e in range(m):  # each expert at most its capacity
        idx = np.flatnonzero(ee == e)
        rows += [r] * len(idx)
        cols += list(idx)
        lo.append(0)
        hi.append(capacity[e])
        r += 1
    if group is not None:  # at most one of a group per item
        for i in range(n):
            for g in set(group):
                idx = np.flatnonzero((ii == i) & (np.asarray(group)[ee] == g))
                if len(idx) > 1:
                    rows += [r] * len(idx)
                    cols += list(idx)
                    lo.append(0)
                    hi.append(1)
                    r += 1
    if v == 0:
        return None if n * k else 0.0
    matrix = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(r, v))
    res = milp(-affinity[ii, ee], constraints=LinearConstraint(matrix, lo, hi), bounds=Bounds(0, 1), integrality=1)
    return None if res.status == 2 else -res.fun


def check_valid(result, allowed, k, capacity, group=None):
    n, m = allowed.shape
    assert result.shape == (n, k)
    assert result.dtype == np.int64
    for i, row in enumerate(result):
        assert len(set(row.tolist())) == k  # distinct experts
        assert all(allowed[i, e] for e in row)
        if group is not None:
            assert len({group[e] for e in row}) == k  # one per group
    load = np.bincount(result.ravel(), minlength=m)
    assert (load <= capacity).all()


def total(affinity, result):
    return float(affinity[np.arange(len(result))[:, None], result].sum())


@st.composite
def instances(draw, max_items=4, max_experts=5, max_k=3, groups=False):
    n = draw(st.integers(1, max_items))
    m = draw(st.integers(1, max_experts))
    k = draw(st.integers(1, min(max_k, m)))
    values = st.integers(0, 4).map(float) if draw(st.booleans()) else st.floats(-1, 1, width=32).map(float)
    affinity = np.array(draw(st.lists(values, min_size=n * m, max_size=n * m))).reshape(n, m)
    allowed = np.array(draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m))).reshape(n, m)
    allowed |= np.array(draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m))).reshape(n, m)  # mostly True
    capacity = np.array(draw(st.lists(st.integers(0, n), min_size=m, max_size=m)))
    group = np.array(draw(st.lists(st.integers(0, 2), min_size=m, max_size=m))) if groups else None
    return affinity, allowed, k, capacity, group


def solve_or_none(affinity, allowed, k, capacity, group):
    try:
        return assign_reviewers(affinity, allowed, k, capacity, expert_group=group)
    except Infeasible:
        return None


# --- optimality ---------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(instances())
def test_optimal_against_brute_force(instance):
    affinity, allowed, k, capacity, _ = instance
    best = brute_force(affinity, allowed, k, capacity)
    result = solve_or_none(affinity, allowed, k, capacity, None)
    if best is None:
        assert result is None
    else:
        assert result is not None
        check_valid(result, allowed, k, capacity)
        assert total(affinity, result) == pytest.approx(best, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(instances(groups=True))
def test_optimal_against_brute_force_with_groups(instance):
    affinity, allowed, k, capacity, group = instance
    best = brute_force(affinity, allowed, k, capacity, group)
    result = solve_or_none(affinity, allowed, k, capacity, group)
    if best is None:
        assert result is None
    else:
        assert result is not None
        check_valid(result, allowed, k, capacity, group)
        assert total(affinity, result) == pytest.approx(best, abs=1e-9)


@st.composite
def pressed_instances(draw):
    """Items that want the same few experts, capacity just enough: the shortlist's optimum is often
    not the whole problem's."""
    n = draw(st.integers(4, 14))
    m = draw(st.integers(9, 16))
    k = draw(st.integers(1, 2))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    affinity = np.round(rng.random(m)[None, :] * draw(st.sampled_from([0.0, 1.0, 3.0])) + rng.random((n, m)), 3)
    allowed = rng.random((n, m)) >= draw(st.sampled_from([0.0, 0.1, 0.3]))
    capacity = np.full(m, -(-n * k // m) + draw(st.integers(0, 1)))
    group = np.arange(m) // 2 if draw(st.booleans()) else None
    return affinity, allowed, k, capacity, group


@settings(max_examples=80, deadline=None)
@given(pressed_instances())
def test_optimal_against_milp_through_the_shortlist(instance):
    """With a shortlist of 2 × per_item experts the first network leaves pairs out: the optimality
    proof must bring back every pair the optimum needs."""
    affinity, allowed, k, capacity, group = instance
    best = milp_optimum(affinity, allowed, k, capacity, group)
    with mock.patch.object(assignment, "SHORTLIST_EXTRA", 0):
        result = solve_or_none(affinity, allowed, k, capacity, group)
    if best is None:
        assert result is None
    else:
        assert result is not None
        check_valid(result, allowed, k, capacity, group)
        assert total(affinity, result) == pytest.approx(best, abs=1e-6)


def test_optimal_on_a_larger_random_instance_against_milp():
    rng = np.random.default_rng(7)
    affinity = rng.random((120, 40))
    allowed = rng.random((120, 40)) >= 0.1
    capacity = rng.integers(6, 14, 40)
    group = np.arange(40) // 4
    for g in (None, group):
        result = assign_reviewers(affinity, allowed, 3, capacity, expert_group=g)
        check_valid(result, allowed, 3, capacity, g)
        assert total(affinity, result) == pytest.approx(milp_optimum(affinity, allowed, 3, capacity, g), rel=1e-9)


def test_pairs_left_out_of_the_shortlist_come_back_when_the_proof_fails():
    """On this instance (found by search) the first network's optimum is not optimal for the whole
    problem: the proof names a pair outside the shortlist, and the second round is proved."""
    rng = np.random.default_rng(5)
    affinity = rng.random((40, 20))
    allowed = rng.random((40, 20)) >= 0.1
    calls = []
    original = assignment._failing_pairs

    def spy(*args):
        calls.append(original(*args))
        return calls[-1]

    with mock.patch.object(assignment, "_failing_pairs", spy), mock.patch.object(assignment, "SHORTLIST_EXTRA", 0):
        result = assign_reviewers(affinity, allowed, 2, 5)
    assert [None if c is None else int(c.sum()) for c in calls] == [1, None]
    check_valid(result, allowed, 2, np.full(20, 5))
    assert total(affinity, result) == pytest.approx(milp_optimum(affinity, allowed, 2, np.full(20, 5)), rel=1e-12)


def test_prices_reject_an_assignment_that_is_not_optimal():
    # item 0 prefers expert 0, item 1 prefers expert 1; swapped is worse and must not be proved optimal
    profit = np.array([[10, 0], [0, 10]], dtype=np.int64)
    allowed = np.ones((2, 2), dtype=bool)
    cap = np.array([1, 1])
    worse = np.array([[1], [0]])
    better = np.array([[0], [1]])
    for chosen, proved in ((worse, False), (better, True)):
        mask = np.zeros((2, 2), dtype=bool)
        mask[np.arange(2)[:, None], chosen] = True
        prices = assignment._prices(profit, allowed, chosen, mask, cap, None)
        assert (prices is not None) is proved


def test_prefers_the_better_expert_and_respects_capacity():
    affinity = np.array([[0.9, 0.8, 0.1], [0.9, 0.2, 0.1]])
    allowed = np.ones((2, 3), dtype=bool)
    # expert 0 takes one item: item 1 gets it (loses 0.7 otherwise, item 0 only 0.1)
    assert assign_reviewers(affinity, allowed, 1, 1).tolist() == [[1], [0]]
    assert assign_reviewers(affinity, allowed, 1, [2, 1, 1]).tolist() == [[0], [0]]


def test_conflicts_and_groups_are_kept():
    affinity = np.array([[5.0, 4.0, 3.0, 1.0]])
    allowed = np.array([[False, True, True, True]])
    assert assign_reviewers(affinity, allowed, 2, 1).tolist() == [[1, 2]]
    # experts 1 and 2 share an employer: the item takes the better of them and expert 3
    assert assign_reviewers(affinity, allowed, 2, 1, expert_group=[0, 7, 7, 9]).tolist() == [[1, 3]]


# --- output order and determinism ---------------------------------------------------------------


def test_rows_by_descending_affinity_then_index():
    affinity = np.array([[0.1, 0.5, 0.5, 0.9, 0.0]])
    allowed = np.ones((1, 5), dtype=bool)
    assert assign_reviewers(affinity, allowed, 4, 1).tolist() == [[3, 1, 2, 0]]


def test_equal_inputs_give_equal_outputs():
    rng = np.random.default_rng(11)
    affinity = rng.integers(0, 3, (200, 40)).astype(float)  # many ties
    allowed = rng.random((200, 40)) >= 0.05
    group = np.arange(40) % 13
    first = assign_reviewers(affinity, allowed, 3, 20, expert_group=group)
    second = assign_reviewers(affinity.copy(), allowed.copy(), 3, np.full(40, 20), expert_group=list(group))
    assert np.array_equal(first, second)
    check_valid(first, allowed, 3, np.full(40, 20), group)


def test_empty_cases():
    assert assign_reviewers(np.zeros((0, 3)), np.zeros((0, 3), dtype=bool), 2, 1).shape == (0, 2)
    assert assign_reviewers(np.zeros((2, 3)), np.zeros((2, 3), dtype=bool), 0, 1).shape == (2, 0)


def test_integer_allowed_and_nan_where_not_allowed_are_accepted():
    affinity = np.array([[np.nan, 1.0], [2.0, np.nan]])
    result = assign_reviewers(affinity, np.array([[0, 1], [1, 0]]), 1, 1)
    assert result.tolist() == [[1], [0]]


# --- infeasibility ------------------------------------------------------------------------------


def test_infeasible_is_the_solving_error_and_a_value_error():
    assert Infeasible is SolvingInfeasible
    assert issubclass(Infeasible, ValueError)
    assert "Infeasible" in assignment.__all__


def test_items_with_too_few_allowed_experts_are_named():
    allowed = np.ones((4, 3), dtype=bool)
    allowed[1, :2] = False
    allowed[3, :] = False
    with pytest.raises(Infeasible) as caught:
        assign_reviewers(np.zeros((4, 3)), allowed, 2, 4)
    assert str(caught.value) == (
        "以下评审对象可选专家不足（每项需 2 名）：评审对象 #1（可选 1 名）、#3（可选 0 名）。"
        "请放宽回避或评审组限制，或增加专家。"
    )


def test_items_with_too_few_groups_are_named():
    allowed = np.ones((3, 4), dtype=bool)
    allowed[2, 3] = False  # item 2 keeps experts 0, 1, 2: all of employer 5
    with pytest.raises(Infeasible) as caught:
        assign_reviewers(np.zeros((3, 4)), allowed, 2, 3, expert_group=[5, 5, 5, 6])
    assert str(caught.value) == (
        "以下评审对象的可选专家来自不足 2 个单位（同一单位每项至多一名）：评审对象 #2（1 个单位）。"
        "请增加其他单位的专家，或放宽回避限制。"
    )


def test_total_capacity_short():
    allowed = np.ones((4, 3), dtype=bool)
    allowed[:, 2] = [True, False, False, False]  # expert 2 (capacity 3) can review only item 0
    with pytest.raises(Infeasible) as caught:
        assign_reviewers(np.zeros((4, 3)), allowed, 1, [1, 1, 3])
    assert str(caught.value) == (
        "专家总容量不足：共需 4 人次评审，专家容量合计 5 人次，计入回避和评审组限制后至多 3 人次。"
        "请提高专家容量或增加专家。"
    )
    with pytest.raises(Infeasible, match="共需 8 人次评审，专家容量合计 6 人次"):
        assign_reviewers(np.zeros((4, 3)), np.ones((4, 3), dtype=bool), 2, 2)


def test_hall_bottleneck_names_the_items_and_the_full_experts():
    # items 0, 2, 4 may only be reviewed by experts 1 and 3 (capacity 1 each); the others by anyone
    allowed = np.ones((6, 5), dtype=bool)
    allowed[[0, 2, 4]] = [False, True, False, True, False]
    capacity = [9, 1, 9, 1, 9]
    with pytest.raises(Infeasible) as caught:
        assign_reviewers(np.zeros((6, 5)), allowed, 1, capacity)
    assert str(caught.value) == (
        "以下评审对象可选专家不足：评审对象 #0、#2、#4 共需 3 人次评审，"
        "在回避、评审组、同单位和专家容量的限制下至多只能安排 2 人次"
        "（其可选专家中 专家 #1、#3 的容量已用尽，合计 2 人次）。"
        "请放宽这些评审对象的回避或评审组限制，或提高相关专家的容量。"
    )


def test_group_bottleneck_names_the_item():
    # item 0 needs 2: experts 0 and 1 share an employer, expert 2 is full (capacity 0)
    allowed = np.array([[True, True, True, False, False], [False, False, False, True, True]])
    with pytest.raises(Infeasible) as caught:
        assign_reviewers(np.zeros((2, 5)), allowed, 2, [2, 2, 0, 2, 2], expert_group=[1, 1, 2, 3, 4])
    assert str(caught.value).startswith(
        "以下评审对象可选专家不足：评审对象 #0 共需 2 人次评审，"
        "在回避、评审组、同单位和专家容量的限制下至多只能安排 1 人次"
        "（其可选专家中 专家 #2 的容量已用尽，合计 0 人次）。"
    )


def test_long_lists_are_cut():
    allowed = np.zeros((30, 2), dtype=bool)
    with pytest.raises(Infeasible) as caught:
        assign_reviewers(np.zeros((30, 2)), allowed, 1, 5)
    message = str(caught.value)
    assert "#19（可选 0 名） 等 30 个" in message
    assert "#20" not in message


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("affinity", "allowed", "per_item", "capacity", "group", "message"),
    [
        (np.zeros(3), np.ones(3, bool), 1, 1, None, "affinity 必须是二维数组（评审对象 × 专家），实际是 1 维"),
        (np.array([["a", "b"]]), np.ones((1, 2), bool), 1, 1, None, "affinity 必须是数值数组"),
        (np.zeros((2, 2)), np.ones((2, 3), bool), 1, 1, None, "allowed 的形状 (2, 3) 与 affinity 的形状 (2, 2) 不一致"),
        (np.zeros((1, 2)), np.array([[0.5, 1.0]]), 1, 1, None, "allowed 必须是布尔数组"),
        (np.zeros((1, 2)), np.array([[2, 1]]), 1, 1, None, "allowed 必须是布尔数组"),
        (np.array([[0.0, np.inf]]), np.ones((1, 2), bool), 1, 1, None, "评审对象 #0、专家 #1 处是 inf"),
        (np.zeros((1, 2)), np.ones((1, 2), bool), 1.0, 1, None, "per_item（每项评审专家数）必须是整数"),
        (np.zeros((1, 2)), np.ones((1, 2), bool), True, 1, None, "per_item（每项评审专家数）必须是整数"),
        (np.zeros((1, 2)), np.ones((1, 2), bool), -1, 1, None, "per_item（每项评审专家数）不能为负数"),
        (np.zeros((1, 2)), np.ones((1, 2), bool), 1, 1.5, None, "capacity（专家容量）必须是整数或整数数组"),
        (np.zeros((1, 2)), np.ones((1, 2), bool), 1, [1, 2, 3], None, "每名专家一个值（长度 2），实际形状是 (3,)"),
        (np.zeros((1, 2)), np.ones((1, 2), bool), 1, [1, -2], None, "capacity（专家容量）不能为负数：专家 #1 是 -2"),
        (np.zeros((1, 2)), np.ones((1, 2), bool), 1, 1, [0], "expert_group（专家所属单位）必须每名专家一个值"),
        (np.zeros((1, 2)), np.ones((1, 2), bool), 1, 1, 3, "expert_group（专家所属单位）必须每名专家一个值"),
        (np.zeros((1, 2)), np.ones((1, 2), bool), 1, 1, [0.5, 1.0], "expert_group（专家所属单位）必须是整数数组"),
    ],
)
def test_bad_input(affinity, allowed, per_item, capacity, group, message):
    with pytest.raises(ValueError, match=re.escape(message)) as caught:
        assign_reviewers(affinity, allowed, per_item, capacity, expert_group=group)
    assert not isinstance(caught.value, Infeasible)


def test_profit_scale_keeps_the_flow_costs_inside_int64():
    small = assignment._profits(np.array([[0.5, -2.0]]), np.ones((1, 2), dtype=bool))
    assert small.tolist() == [[2**38, -(2**40)]]
    big = assignment._profits(np.ones((2_000, 1_000)), np.ones((2_000, 1_000), dtype=bool))
    assert int(big.max()) == 2**60 // (2_000 * 1_001 + 2)
    assert int(big.max()) * (2_000 * 1_001 + 2) < 2**63
