"""Reviewer assignment (评审分配): which experts review which nomination, solved exactly.

``assign_reviewers`` gives every item (a nomination, a row) ``per_item`` distinct experts (columns)
so that the total affinity is the largest possible, subject to

- an expert reviews only items where ``allowed`` is True (False = a conflict, 回避, or the expert is
  not on the item's panel);
- an expert reviews at most ``capacity`` items;
- with ``expert_group`` (experts of one employer or institution share a number), an item has at
  most one expert of each group.

It is the exact optimum, not a heuristic. The problem is a min-cost flow (source → item, supply
``per_item`` → (item, group) node, capacity 1, where a group has two or more allowed experts for the
item → expert, capacity 1 per pair → sink, capacity ``capacity``), solved by OR-Tools' network
solver on integer costs. To keep the network small it is first solved on each item's few best
experts; the result is then proved optimal for the whole problem by LP duality (expert prices
from a shortest-path computation, then every excluded pair checked against them), and any pair
that fails the check joins the network, which is solved again; the full network is the last resort.

Exactness: affinities are scaled so that the largest ``|affinity|`` becomes S = 2**40 (less on a
network of over a million pairs, so that OR-Tools' cost scaling stays inside int64: S = 2**60 /
(items × (experts + 1))) and rounded to integers; the result is the exact optimum of those
integers, so its total affinity is within ``items × per_item × max|affinity| / S`` of the float
optimum (below 1e-9 of the total on the sizes a campaign has), and affinities closer than
``max|affinity| / S`` count as equal.

Determinism: equal inputs give equal outputs (every step is a deterministic function of the
input). Each returned row lists its experts by descending affinity, then ascending index.

Errors (Chinese first, for the admin's screen): malformed input raises ``ValueError``; a problem
with no solution raises ``Infeasible`` (a ``ValueError``) naming the items (评审对象, by row
number from 0) or experts (by column number from 0) that make it so: items with too few allowed
experts or groups, a total capacity short of the reviews needed, or a set of items whose allowed
experts cannot together give them enough reviews (a Hall bottleneck, found from a minimum cut)."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import NDArray

from talentpool.rules.solving import Infeasible

__all__ = ["Infeasible", "assign_reviewers"]

PROFIT_SCALE = 2**40  # the largest |affinity| becomes this integer (at most)
SHORTLIST_EXTRA = 8  # the first network keeps each item's per_item + max(per_item, 8) best experts
MAX_ROUNDS = 6  # rounds of adding the pairs that fail the optimality check before the full network
LISTED = 20  # at most this many items or experts are named in one message
_INF = np.int64(2**62)

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def assign_reviewers(
    affinity: Any,
    allowed: Any,
    per_item: int,
    capacity: Any,
    *,
    expert_group: Any = None,
) -> IntArray:
    """The ``(items, per_item)`` int array of expert indices that maximises total affinity.

    ``affinity``: float array (items × experts); ``allowed``: bool array of the same shape;
    ``per_item``: experts per item; ``capacity``: most items per expert, one int for all or one per
    expert; ``expert_group``: optional int per expert, at most one expert of a group per item.
    Raises ``Infeasible`` when no assignment meets every constraint and ``ValueError`` on bad input."""
    a, ok, k, cap, group = _validated(affinity, allowed, per_item, capacity, expert_group)
    n = a.shape[0]
    if n == 0 or k == 0:
        return np.zeros((n, k), dtype=np.int64)
    _check_counts(ok, k, cap, group)
    profit = _profits(a, ok)
    size = k + max(k, SHORTLIST_EXTRA)
    cand = _shortlist(profit, ok, k, group, size)
    chosen = None
    for _ in range(MAX_ROUNDS):
        if cand is ok:
            break
        chosen = _solve_flow(profit, cand, k, cap, group)
        if chosen is None:  # the shortlist cannot serve every item: a longer one
            size *= 2
            longer = _shortlist(profit, ok, k, group, size)
            cand = longer if longer is ok else longer | cand
            continue
        failing = _failing_pairs(profit, ok, cand, chosen, cap, group)
        if failing is None:  # the shortlist's optimum is proved optimal for the whole problem
            break
        cand = cand | failing
        chosen = None
    if chosen is None:
        chosen = _solve_flow(profit, ok, k, cap, group)
        if chosen is None:
            raise Infeasible(_bottleneck_message(ok, k, cap, group))
    rows = np.arange(n)[:, None]
    order = np.lexsort((chosen, -a[rows, chosen]), axis=-1)
    return np.take_along_axis(chosen, order, axis=1).astype(np.int64)


# --- input -------------------------------------------------------------------------------------


def _validated(
    affinity: Any, allowed: Any, per_item: Any, capacity: Any, expert_group: Any
) -> tuple[NDArray[np.float64], BoolArray, int, IntArray, IntArray | None]:
    a = np.asarray(affinity)
    if a.ndim != 2:
        raise ValueError(f"affinity 必须是二维数组（评审对象 × 专家），实际是 {a.ndim} 维")
    if a.dtype.kind not in "fiu":
        raise ValueError(f"affinity 必须是数值数组，实际类型是 {a.dtype}")
    a = a.astype(np.float64, copy=False)
    n, m = a.shape
    ok = np.asarray(allowed)
    if ok.shape != a.shape:
        raise ValueError(f"allowed 的形状 {ok.shape} 与 affinity 的形状 {a.shape} 不一致")
    if ok.dtype != np.bool_:
        if ok.dtype.kind not in "iu" or not np.isin(ok, (0, 1)).all():
            raise ValueError("allowed 必须是布尔数组（True = 可以评审，False = 回避或不在该评审组）")
        ok = ok.astype(np.bool_)
    bad = ok & ~np.isfinite(a)
    if bad.any():
        i, e = (int(v) for v in np.argwhere(bad)[0])
        raise ValueError(f"affinity 在可评审的位置必须是有限数值：评审对象 #{i}、专家 #{e} 处是 {a[i, e]}")
    if isinstance(per_item, bool) or not isinstance(per_item, numbers.Integral):
        raise ValueError(f"per_item（每项评审专家数）必须是整数，实际是 {per_item!r}")
    k = int(per_item)
    if k < 0:
        raise ValueError(f"per_item（每项评审专家数）不能为负数，实际是 {k}")
    cap = _int_per_expert(capacity, m, "capacity（专家容量）")
    if (cap < 0).any():
        e = int(np.argmax(cap < 0))
        raise ValueError(f"capacity（专家容量）不能为负数：专家 #{e} 是 {cap[e]}")
    group = None
    if expert_group is not None:  # renumbered 0..g-1
        labels = _int_per_expert(expert_group, m, "expert_group（专家所属单位）", scalar=False)
        group = np.unique(labels, return_inverse=True)[1].astype(np.int64)
    return a, ok, k, np.minimum(cap, n), group


def _int_per_expert(value: Any, m: int, name: str, *, scalar: bool = True) -> IntArray:
    if isinstance(value, bool):
        raise ValueError(f"{name}必须是整数，实际是 {value!r}")
    arr = np.asarray(value)
    if arr.dtype.kind not in "iu":
        raise ValueError(f"{name}必须是整数{'或整数数组' if scalar else '数组'}，实际类型是 {arr.dtype}")
    if arr.ndim == 0 and scalar:
        return np.full(m, int(arr), dtype=np.int64)
    if arr.shape != (m,):
        raise ValueError(f"{name}必须每名专家一个值（长度 {m}），实际形状是 {arr.shape}")
    return arr.astype(np.int64)


def _profits(a: NDArray[np.float64], ok: BoolArray) -> IntArray:
    """The affinities as integers, the largest |affinity| scaled to PROFIT_SCALE or, on a large
    network, to what keeps OR-Tools' costs × nodes inside int64; 0 where not allowed."""
    top = float(np.abs(a[ok]).max()) if ok.any() else 0.0
    bound = min(PROFIT_SCALE, 2**60 // (a.shape[0] * (a.shape[1] + 1) + 2))
    scale = bound / top if top > 0 else 1.0
    return np.rint(np.where(ok, a, 0.0) * scale).astype(np.int64)


# --- the network --------------------------------------------------------------------------------


def _shortlist(profit: IntArray, ok: BoolArray, k: int, group: IntArray | None, size: int) -> BoolArray:
    """Each item's ``size`` best allowed experts, or ``ok`` itself when that would be (nearly) all."""
    if 2 * size >= ok.shape[1]:
        return ok
    key = np.where(ok, profit, -_INF)
    best = np.argpartition(-key, size - 1, axis=1)[:, :size]
    cand = np.zeros_like(ok)
    np.put_along_axis(cand, best, True, axis=1)
    cand &= ok
    short = cand.sum(axis=1) < k
    if group is not None:
        short |= _groups_per_item(cand, group) < k
    cand[short] = ok[short]
    return cand


def _groups_per_item(mask: BoolArray, group: IntArray) -> IntArray:
    """How many distinct groups (numbered 0..g-1) each row of ``mask`` touches."""
    members = np.zeros((mask.shape[1], int(group.max()) + 1), dtype=np.float32)
    members[np.arange(mask.shape[1]), group] = 1
    return ((mask.astype(np.float32) @ members) > 0).sum(axis=1).astype(np.int64)


def _network(
    cand: BoolArray, k: int, cap: IntArray, group: IntArray | None, *, source: bool
) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray, int]:
    """Arcs (tails, heads, capacities) of the flow network on the pairs in ``cand``, the pairs
    (items, experts) that its first arcs carry, in order, and the number of nodes.

    Nodes: items 0..n-1, experts n..n+m-1, sink n+m, then (item, group) nodes, then (with
    ``source``) a source with an arc of capacity ``k`` to every item."""
    n, m = cand.shape
    ii, ee = np.nonzero(cand)
    sink = n + m
    tails = ii.copy()
    extra_tails: list[IntArray] = []
    extra_heads: list[IntArray] = []
    next_node = sink + 1
    if group is not None:
        width = int(group.max()) + 1
        key = ii * width + group[ee]
        uniq, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
        shared = counts >= 2  # an (item, group) with two or more experts needs its own node
        node_of = np.full(len(uniq), -1, dtype=np.int64)
        node_of[shared] = next_node + np.arange(int(shared.sum()))
        next_node += int(shared.sum())
        through = shared[inverse]
        tails[through] = node_of[inverse[through]]
        extra_tails.append(uniq[shared] // width)
        extra_heads.append(node_of[shared])
    all_tails = [tails, np.arange(n, n + m), *extra_tails]
    all_heads = [n + ee, np.full(m, sink), *extra_heads]
    all_caps = [np.ones(len(ii), np.int64), cap, *(np.ones(len(t), np.int64) for t in extra_tails)]
    if source:
        all_tails.append(np.full(n, next_node))
        all_heads.append(np.arange(n))
        all_caps.append(np.full(n, k, np.int64))
        next_node += 1
    return (
        np.concatenate(all_tails).astype(np.int64),
        np.concatenate(all_heads).astype(np.int64),
        np.concatenate(all_caps).astype(np.int64),
        ii.astype(np.int64),
        ee.astype(np.int64),
        next_node,
    )


def _solve_flow(profit: IntArray, cand: BoolArray, k: int, cap: IntArray, group: IntArray | None) -> IntArray | None:
    """The optimal (items, k) experts on the pairs in ``cand``, or None when none serves every item."""
    from ortools.graph.python import min_cost_flow

    n, m = cand.shape
    tails, heads, caps, ii, ee, nodes = _network(cand, k, cap, group, source=False)
    pair_profit = profit[ii, ee]
    costs = np.zeros(len(tails), np.int64)
    costs[: len(ii)] = int(pair_profit.max()) - pair_profit if len(ii) else 0
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32), caps, costs)
    supplies = np.zeros(nodes, np.int64)
    supplies[:n] = k
    supplies[n + m] = -n * k
    flow.set_nodes_supplies(np.arange(nodes, dtype=np.int32), supplies)
    status = flow.solve()
    if status == flow.INFEASIBLE:
        return None
    if status != flow.OPTIMAL:  # pragma: no cover - the ranges are kept well inside int64
        raise RuntimeError(f"min-cost flow failed: {status}")
    used = np.asarray(flow.flows(np.arange(len(ii), dtype=np.int32))) > 0
    return ee[used].reshape(n, k)  # np.nonzero lists pairs item by item, each item has exactly k


# --- the optimality proof -----------------------------------------------------------------------


def _failing_pairs(
    profit: IntArray, ok: BoolArray, cand: BoolArray, chosen: IntArray, cap: IntArray, group: IntArray | None
) -> BoolArray | None:
    """None when ``chosen`` (optimal on the pairs in ``cand``) is optimal for all allowed pairs;
    otherwise the allowed pairs outside ``cand`` that fail the check and should join the network."""
    n, m = ok.shape
    rows = np.arange(n)[:, None]
    chosen_mask = np.zeros_like(ok)
    chosen_mask[rows, chosen] = True
    price = _prices(profit, cand, chosen, chosen_mask, cap, group)
    if price is None:  # pragma: no cover - the flow solver's optimum always has prices
        return ok & ~chosen_mask
    value = profit - price[None, :]
    chosen_value = value[rows, chosen]
    floor = chosen_value.min(axis=1)[:, None]
    if group is None:
        bar = np.broadcast_to(floor, (n, m))
    else:  # an expert of a group the item uses may only replace the item's expert of that group
        by_group = np.full((n, int(group.max()) + 1), _INF, dtype=np.int64)
        by_group[rows, group[chosen]] = chosen_value
        bar = by_group[:, group]
        bar = np.where(bar == _INF, floor, bar)
    failing = ok & ~cand & ~chosen_mask & (value > bar)
    return failing if failing.any() else None


def _prices(
    profit: IntArray, cand: BoolArray, chosen: IntArray, chosen_mask: BoolArray, cap: IntArray, group: IntArray | None
) -> IntArray | None:
    """Expert prices that prove ``chosen`` optimal on the pairs in ``cand``, or None when it is not.

    LP duality: an assignment is optimal iff there are prices p ≥ 0, zero for experts below
    capacity, under which every item's experts are its best choice by profit - p, that is no single
    exchange (drop chosen e, take f of e's group or of a group the item does not use) gains. Each
    exchange bounds p_e ≤ p_f + profit[i, e] - profit[i, f]: difference constraints over the
    experts (and a zero node z: p_e ≤ p_z for experts below capacity, p_z ≤ p_e for all), solved by
    Bellman–Ford; a negative cycle is an improving exchange cycle."""
    n, m = cand.shape
    used = None
    if group is not None:
        used = np.zeros((n, int(group.max()) + 1), dtype=np.bool_)
        used[np.arange(n)[:, None], group[chosen]] = True
    # weight[f, e]: the least loss of moving one of e's items to f; node m is z
    weight = np.full((m + 1, m + 1), _INF, dtype=np.int64)
    flat = chosen.ravel()
    order = np.argsort(flat, kind="stable")
    bounds = np.searchsorted(flat[order], np.arange(m + 1))
    for e in range(m):
        items = order[bounds[e] : bounds[e + 1]] // chosen.shape[1]
        if not len(items):
            continue
        movable = cand[items] & ~chosen_mask[items]
        if group is not None and used is not None:
            movable &= (group == group[e])[None, :] | ~used[items][:, group]
        loss = np.where(movable, profit[items, e][:, None] - profit[items], _INF)
        weight[:m, e] = loss.min(axis=0)
    weight[m, :m][chosen_mask.sum(axis=0) < cap] = 0
    weight[:m, m] = 0
    dist = np.zeros(m + 1, dtype=np.int64)
    for _ in range(m + 2):
        relaxed = np.minimum(dist, (dist[:, None] + weight).min(axis=0))
        if np.array_equal(relaxed, dist):
            return dist[:m] - dist[m]
        dist = relaxed
    return None


# --- infeasibility ------------------------------------------------------------------------------


def _listed(indices: Any, detail: Any = None) -> str:
    """"#0、#3（…）、#7 等 25 个": the first LISTED indices, with ``detail(index)`` when given."""
    indices = [int(v) for v in indices]
    shown = [f"#{v}" + (f"（{detail(v)}）" if detail is not None else "") for v in indices[:LISTED]]
    more = f" 等 {len(indices)} 个" if len(indices) > LISTED else ""
    return "、".join(shown) + more


def _check_counts(ok: BoolArray, k: int, cap: IntArray, group: IntArray | None) -> None:
    """The plain reasons first: items with too few allowed experts or groups, capacity short."""
    n = ok.shape[0]
    allowed_count = ok.sum(axis=1)
    short = np.flatnonzero(allowed_count < k)
    if short.size:
        raise Infeasible(
            f"以下评审对象可选专家不足（每项需 {k} 名）："
            + "评审对象 "
            + _listed(short, lambda i: f"可选 {allowed_count[i]} 名")
            + "。请放宽回避或评审组限制，或增加专家。"
        )
    if group is not None:
        groups = _groups_per_item(ok, group)
        short = np.flatnonzero(groups < k)
        if short.size:
            raise Infeasible(
                f"以下评审对象的可选专家来自不足 {k} 个单位（同一单位每项至多一名）："
                + "评审对象 "
                + _listed(short, lambda i: f"{groups[i]} 个单位")
                + "。请增加其他单位的专家，或放宽回避限制。"
            )
    usable = np.minimum(cap, ok.sum(axis=0))
    if int(usable.sum()) < n * k:
        raise Infeasible(
            f"专家总容量不足：共需 {n * k} 人次评审，专家容量合计 {int(cap.sum())} 人次，"
            f"计入回避和评审组限制后至多 {int(usable.sum())} 人次。请提高专家容量或增加专家。"
        )


def _bottleneck_message(ok: BoolArray, k: int, cap: IntArray, group: IntArray | None) -> str:
    """A set of items whose allowed experts cannot give them enough reviews, from a minimum cut."""
    from ortools.graph.python import max_flow

    n, m = ok.shape
    tails, heads, caps, _, _, nodes = _network(ok, k, cap, group, source=True)
    flow = max_flow.SimpleMaxFlow()
    flow.add_arcs_with_capacity(tails.astype(np.int32), heads.astype(np.int32), caps)
    flow.solve(nodes - 1, n + m)
    reached = np.zeros(nodes, dtype=np.bool_)
    reached[np.asarray(flow.get_source_side_min_cut(), dtype=np.int64)] = True
    items = np.flatnonzero(reached[:n])
    experts = np.flatnonzero(reached[n : n + m] & ok[items].any(axis=0))
    possible = int(flow.optimal_flow()) - k * (n - len(items))
    full = ""
    if len(experts):
        full = f"（其可选专家中 专家 {_listed(experts)} 的容量已用尽，合计 {int(cap[experts].sum())} 人次）"
    return (
        f"以下评审对象可选专家不足：评审对象 {_listed(items)} 共需 {k * len(items)} 人次评审，"
        f"在回避、评审组、同单位和专家容量的限制下至多只能安排 {possible} 人次{full}。"
        "请放宽这些评审对象的回避或评审组限制，或提高相关专家的容量。"
    )
