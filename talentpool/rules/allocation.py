"""Tier allocation (拟定): who gets which tier, solved exactly as a 0–1 programme (scipy's HiGHS MILP).

``allocate_tiers`` maximises Σ weight[tier] × merit over the placed candidates subject to

* each tier holds at most its quota;
* a candidate takes at most one place, in the tier applied for or a lower one (a higher index);
* at most ``enterprise_cap`` places per enterprise over all tiers (``None``: no cap);
* for each labelling in ``groups`` (the caller passes ``[industry]``: 每个行业都有榜样), at least one
  place for every label that has a candidate.

Ties. Candidates are ranked by merit (higher first), then by index (lower first); rank r runs 0 … n−1.
Among the allocations of greatest objective, the one chosen maximises the tie score
Σ (T − tier) × (n − r) over its placed candidates (T tiers): of two equal-merit candidates the
better-ranked one takes the contested place, and the higher of two equally weighted tiers, and a
place that adds nothing to the objective (merit 0) is still given. It is a second solve restricted to
the optimal allocations, so the optimum itself is untouched; the tie score is an integer, so it too is
optimised exactly. (Two allocations could still coincide on both; that takes equal merits *and*
coincident sums of ranks, and HiGHS, run without a time limit, then returns the same one for the same
input.)

Solving. The LP relaxation comes first (HiGHS dual simplex, a vertex): when industries nest in
enterprises the matrix is totally unimodular and the vertex is integral, hence optimal for the 0–1
programme, and in practice it is integral for other labellings too. The optimal allocations are then
exactly the integer points of the LP's optimal face (complementary slackness with its duals), over
which the tie score is maximised. When a vertex is fractional, HiGHS's branch and bound
(``scipy.optimize.milp``, relative gap 0) solves the 0–1 programme, and the tie solve holds the
objective at that optimum. Both read the objective scaled to a largest coefficient of 1, and HiGHS
decides within its tolerances (1e-7 on reduced costs); the second solution is checked in exact
rational arithmetic and, should it fall below the first by less than that tolerance, the first is
kept.

When the constraints cannot all hold, :class:`AllocationInfeasible` (an :class:`Infeasible`) names the
conflict, found by counting first, and the smallest relaxations that restore feasibility, found by
small feasibility re-solves (raise the lowest tier's quota, raise the enterprise cap, drop a
labelling), each checked to work.

``explain_allocation`` gives each candidate a short reason derived from an allocation.

Pure: no Django, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from talentpool.rules.solving import Infeasible

__all__ = ["AllocationInfeasible", "Infeasible", "Relaxation", "allocate_tiers", "explain_allocation"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Relaxation:
    """One way to restore feasibility: the whole relaxed setting, so that it can be applied as is.

    ``groups`` are the indices (into the ``groups`` argument) of the labellings kept."""

    text: str
    quotas: tuple[int, ...]
    enterprise_cap: int | None
    groups: tuple[int, ...]


class AllocationInfeasible(Infeasible):
    """The allocation constraints conflict; ``relaxations`` lists the minimal ways out, each verified."""

    def __init__(self, message: str, relaxations: Sequence[Relaxation]) -> None:
        super().__init__(message)
        self.relaxations = tuple(relaxations)


# --- inputs -------------------------------------------------------------------------------------


def _tier(t: int) -> str:
    return f"第{t + 1}档"


def _int_array(values: Any, what: str, n: int | None = None) -> IntArray:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{what}须为一维数组")
    if arr.size and arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise ValueError(f"{what}须为整数")
    elif arr.size and arr.dtype.kind not in "iu":
        raise ValueError(f"{what}须为整数")
    if n is not None and arr.size != n:
        raise ValueError(f"{what}的个数（{arr.size}）与候选人数（{n}）不一致")
    return arr.astype(np.int64)


def _floats(values: Any) -> FloatArray | None:
    """Numbers (int, float, Decimal) as floats; None for anything else (text, booleans, None)."""
    raw = np.asarray(values)
    if raw.dtype.kind == "O" and not all(
        isinstance(v, (int, float, Decimal, np.number)) and not isinstance(v, bool) for v in raw.ravel()
    ):
        return None
    if raw.dtype.kind not in "iufO":
        return None
    return raw.astype(np.float64)


@dataclass
class _Inputs:
    merit: FloatArray
    applied: IntArray
    industry: IntArray
    enterprise: IntArray
    quotas: IntArray
    cap: int | None
    groups: list[IntArray]


def _validate(
    merit: Any, applied: Any, industry: Any, enterprise: Any, quotas: Any, cap: int | None, groups: Any
) -> _Inputs:
    m = _floats(merit)
    if m is None or m.ndim != 1:
        raise ValueError("分数须为一维数值数组")
    if not np.all(np.isfinite(m)):
        raise ValueError("分数不能为空值或无穷大")
    n = m.size
    q = _int_array(quotas, "各层级名额")
    if q.size == 0:
        raise ValueError("至少需要一个层级")
    if np.any(q < 0):
        raise ValueError("各层级名额不能为负数")
    a = _int_array(applied, "申报层级", n)
    if n and (a.min() < 0 or a.max() >= q.size):
        raise ValueError(f"申报层级须在 0 到 {q.size - 1} 之间（0 为最高层级）")
    ind = _int_array(industry, "行业", n)
    ent = _int_array(enterprise, "企业", n)
    if cap is not None:
        if isinstance(cap, bool) or not isinstance(cap, (int, np.integer)) or cap < 1:
            raise ValueError("企业上限须为正整数，或不设上限（None）")
        cap = int(cap)
    if isinstance(groups, np.ndarray) and groups.ndim == 1:
        raise ValueError("代表性分组须为若干个标签数组组成的序列，例如 [industry]")
    gs = [_int_array(g, f"第{k + 1}个代表性分组", n) for k, g in enumerate(groups)]
    return _Inputs(m, a, ind, ent, q, cap, gs)


def _weights(weights: Any, tiers: int) -> FloatArray:
    if weights is None:
        return np.ones(tiers)
    w = _floats(weights)
    if w is None or w.ndim != 1 or w.size != tiers:
        raise ValueError(f"层级权重须为 {tiers} 个数值，与层级名额一一对应")
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise ValueError("层级权重须为正数")
    return w


# --- the model ----------------------------------------------------------------------------------


_INTEGRAL = 1e-7  # a vertex coordinate this close to 0 or 1 is that integer
_DUAL = 1e-7  # a reduced cost or row dual this far from 0 is binding (HiGHS's dual tolerance)


@dataclass
class _System:
    """Rows lo ≤ matrix · x ≤ hi and variable bounds var_lo ≤ x ≤ var_hi."""

    matrix: sparse.csr_array
    lo: FloatArray
    hi: FloatArray
    var_lo: FloatArray
    var_hi: FloatArray

    def optimal_face(self, lp: Any) -> _System:
        """The face of the LP optimum: by complementary slackness an x is optimal exactly when every
        variable with a nonzero reduced cost sits at its bound and every row with a nonzero dual is
        tight, so the optimal integer vectors are the integer points of this face (when the LP optimum
        is integral), and the face keeps the matrix, hence its integrality."""
        var_lo, var_hi = self.var_lo.copy(), self.var_hi.copy()
        var_hi[lp.lower.marginals > _DUAL] = var_lo[lp.lower.marginals > _DUAL]
        var_lo[lp.upper.marginals < -_DUAL] = var_hi[lp.upper.marginals < -_DUAL]
        lo, hi = self.lo.copy(), self.hi.copy()
        lo[lp.row_duals < -_DUAL] = hi[lp.row_duals < -_DUAL]
        hi[lp.row_duals > _DUAL] = lo[lp.row_duals > _DUAL]
        return _System(self.matrix, lo, hi, var_lo, var_hi)


class _Model:
    """Variables x[i, t] for every candidate i and tier t ≥ applied[i]; the constraint rows built once
    per setting (quotas, cap, groups) so that the feasibility re-solves reuse the variable layout."""

    def __init__(self, inp: _Inputs) -> None:
        self.inp = inp
        n, tiers = inp.merit.size, inp.quotas.size
        counts = tiers - inp.applied
        self.cand = np.repeat(np.arange(n), counts)
        start = np.concatenate(([0], np.cumsum(counts)[:-1])) if n else np.zeros(0, np.int64)
        self.tier = inp.applied[self.cand] + (np.arange(self.cand.size) - start[self.cand])
        self.size = int(self.cand.size)
        _, self.ent_of = np.unique(inp.enterprise, return_inverse=True)
        self.ent_size = np.bincount(self.ent_of, minlength=1)

    def system(self, quotas: IntArray, cap: int | None, groups: Sequence[IntArray]) -> _System:
        n, tiers = self.inp.merit.size, quotas.size
        cols = np.arange(self.size)
        # One place per candidate; each tier within its quota.
        row_parts, col_parts = [self.cand, n + self.tier], [cols, cols]
        lo: list[FloatArray] = [np.zeros(n), np.zeros(tiers)]
        hi: list[FloatArray] = [np.ones(n), quotas.astype(np.float64)]
        nrows = n + tiers
        if cap is not None:
            big = np.flatnonzero(self.ent_size > cap)  # smaller enterprises cannot exceed the cap
            index = np.full(self.ent_size.size, -1)
            index[big] = np.arange(big.size)
            row = index[self.ent_of[self.cand]]
            keep = row >= 0
            row_parts.append(nrows + row[keep])
            col_parts.append(cols[keep])
            lo.append(np.zeros(big.size))
            hi.append(np.full(big.size, float(cap)))
            nrows += big.size
        for g in groups:
            labels, inverse = np.unique(g, return_inverse=True)
            row_parts.append(nrows + inverse[self.cand])
            col_parts.append(cols)
            lo.append(np.ones(labels.size))
            hi.append(np.full(labels.size, np.inf))
            nrows += labels.size
        r, c = np.concatenate(row_parts), np.concatenate(col_parts)
        matrix = sparse.csr_array((np.ones(r.size), (r, c)), shape=(nrows, self.size))
        return _System(matrix, np.concatenate(lo), np.concatenate(hi), np.zeros(self.size), np.ones(self.size))

    def lp(self, cost: FloatArray, system: _System) -> Any:
        """The LP relaxation by HiGHS (a vertex, so integral whenever the polytope is: enterprises
        nested in industries make the matrix totally unimodular). Row duals come back aligned with
        ``system``'s rows (≤ 0 for a binding upper bound, ≥ 0 for a binding lower bound)."""
        a, lo, hi = system.matrix, system.lo, system.hi
        eq = lo == hi
        up = ~eq & np.isfinite(hi)
        down = ~eq & (lo > 0)  # every coefficient is 0 or 1 and x ≥ 0: lo ≤ 0 holds anyway
        a_ub = sparse.vstack([a[np.flatnonzero(up)], -a[np.flatnonzero(down)]]).tocsr()
        b_ub = np.concatenate([hi[up], -lo[down]])
        res = linprog(
            cost, A_ub=a_ub if b_ub.size else None, b_ub=b_ub if b_ub.size else None,
            A_eq=a[np.flatnonzero(eq)] if eq.any() else None, b_eq=lo[eq] if eq.any() else None,
            bounds=np.column_stack([system.var_lo, system.var_hi]), method="highs-ds",
        )
        if res.status == 0:
            duals = np.zeros(lo.size)
            if b_ub.size:
                duals[up] = res.ineqlin.marginals[: int(up.sum())]
                duals[down] = -res.ineqlin.marginals[int(up.sum()) :]
            if eq.any():
                duals[eq] = res.eqlin.marginals
            res.row_duals = duals
        return res

    def milp(self, cost: FloatArray, system: _System, extra: Sequence[LinearConstraint] = ()) -> FloatArray | None:
        """Minimise cost · x over 0–1 vectors exactly (relative gap 0); None when infeasible."""
        res = milp(
            cost, constraints=[LinearConstraint(system.matrix, system.lo, system.hi), *extra],
            integrality=np.ones(self.size), bounds=Bounds(system.var_lo, system.var_hi),
            options={"mip_rel_gap": 0.0},
        )
        if res.status == 2:
            return None
        if res.status != 0 or res.x is None:
            raise RuntimeError(f"求解器未能求得最优解：{res.message}")
        return np.asarray(np.round(res.x), dtype=np.float64)

    def minimise(self, cost: FloatArray, system: _System) -> tuple[FloatArray | None, Any]:
        """An optimal 0–1 vector and, when the LP relaxation already gave it, the LP result (for its
        duals; None when branch and bound was needed). (None, None) when infeasible."""
        res = self.lp(cost, system)
        if res.status == 2:
            return None, None
        if res.status == 0 and np.all(np.abs(res.x - np.round(res.x)) <= _INTEGRAL):
            return np.round(res.x), res
        return self.milp(cost, system), None

    def feasible(self, quotas: IntArray, cap: int | None, groups: Sequence[IntArray]) -> bool:
        if self.size == 0:
            return not groups
        return self.minimise(np.zeros(self.size), self.system(quotas, cap, groups))[0] is not None

    def result(self, x: FloatArray) -> IntArray:
        out = np.full(self.inp.merit.size, -1, dtype=np.int64)
        on = x > 0.5
        out[self.cand[on]] = self.tier[on]
        return out


def _exact_objective(result: IntArray, merit: FloatArray, weights: FloatArray) -> Fraction:
    placed = np.flatnonzero(result >= 0)
    return sum((Fraction(float(weights[result[i]])) * Fraction(float(merit[i])) for i in placed), Fraction(0))


def _ranks(merit: FloatArray) -> IntArray:
    """Rank 0 … n−1 by merit (higher first), then index (lower first)."""
    order = np.lexsort((np.arange(merit.size), -merit))
    rank = np.empty(merit.size, dtype=np.int64)
    rank[order] = np.arange(merit.size)
    return rank


def allocate_tiers(
    merit: Any,
    applied: Any,
    industry: Any,
    enterprise: Any,
    quotas: Any,
    weights: Any,
    *,
    enterprise_cap: int | None = None,
    groups: Sequence[Any] = (),
) -> IntArray:
    """The tier index of each candidate in the allocation of greatest Σ weight[tier] × merit, or −1.

    ``merit``: final score per candidate (the caller adds the preference bonuses); ``applied``: the
    tier applied for (0 = highest; a lower tier is a higher index); ``industry`` and ``enterprise``:
    integer ids; ``quotas`` and ``weights``: per tier. The caller passes the tiers' annual allowances
    as ``weights``; ``None`` weighs every tier 1.0. ``enterprise_cap``: places per enterprise over all
    tiers (``None``: no cap); ``groups``: labellings (arrays per candidate) each of whose labels gets
    at least one place. Ties follow the order the module docstring states.

    Raises ``ValueError`` for malformed input and :class:`AllocationInfeasible` when the constraints
    conflict."""
    inp = _validate(merit, applied, industry, enterprise, quotas, enterprise_cap, groups)
    w = _weights(weights, inp.quotas.size)
    n, tiers = inp.merit.size, inp.quotas.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    model = _Model(inp)
    reasons = _counting_conflicts(inp, model)
    if reasons:
        raise _infeasible(inp, model, reasons)

    # First solve: the objective, scaled so that its largest coefficient is 1.
    value = w[model.tier] * inp.merit[model.cand]
    primary = value / (float(np.max(np.abs(value))) or 1.0)
    system = model.system(inp.quotas, inp.cap, inp.groups)
    x1, lp = model.minimise(-primary, system)
    if x1 is None:
        raise _infeasible(inp, model, [])
    first = model.result(x1)

    # Second solve: the tie score over the optimal allocations.
    tie = ((tiers - model.tier) * (n - _ranks(inp.merit)[model.cand])).astype(np.float64)
    if lp is not None:  # the LP optimum was integral: its optimal face holds exactly the optimal allocations
        x2, _ = model.minimise(-tie, system.optimal_face(lp))
    else:  # branch and bound: hold the objective at its optimum
        best = float(primary @ x1)
        hold = LinearConstraint(primary[np.newaxis, :], best - 1e-9 * max(1.0, abs(best)), np.inf)
        x2 = model.milp(-tie, system, [hold])
    if x2 is None:
        return first
    second = model.result(x2)
    if _exact_objective(second, inp.merit, w) < _exact_objective(first, inp.merit, w):
        return first
    return second


# --- infeasibility ------------------------------------------------------------------------------


def _group_name(inp: _Inputs, k: int) -> str:
    return "行业" if np.array_equal(inp.groups[k], inp.industry) else f"分组{k + 1}"


def _unit(inp: _Inputs, k: int) -> str:
    """What one label of labelling k is called: "行业", or "类别（分组2）" for another labelling."""
    name = _group_name(inp, k)
    return name if name == "行业" else f"类别（{name}）"


def _each(inp: _Inputs, k: int) -> str:
    return "每个" + _unit(inp, k)


def _ids(values: Sequence[int] | IntArray, limit: int = 5) -> str:
    values = [int(v) for v in values]
    shown = "、".join(str(v) for v in values[:limit])
    return shown + (f" 等 {len(values)} 个" if len(values) > limit else "")


def _counting_conflicts(inp: _Inputs, model: _Model) -> list[str]:
    """Conflicts a count proves (necessary conditions only: an empty list does not mean feasible)."""
    reasons: list[str] = []
    tiers = inp.quotas.size
    suffix = np.cumsum(inp.quotas[::-1])[::-1]  # places in tier a and below
    reachable = None
    if inp.cap is not None:
        reachable = int(np.minimum(model.ent_size, inp.cap).sum())
    for k, g in enumerate(inp.groups):
        name, each = _group_name(inp, k), _each(inp, k)
        labels, inverse = np.unique(g, return_inverse=True)
        if labels.size > suffix[0]:
            reasons.append(f"{each}至少一人需要 {labels.size} 个名额，但各层级名额合计只有 {suffix[0]} 个")
            continue
        # A label whose candidates all applied for tier a or lower can only use the places from a down.
        highest = np.full(labels.size, tiers, dtype=np.int64)
        np.minimum.at(highest, inverse, inp.applied)
        for a in range(1, tiers):
            need = int(np.count_nonzero(highest >= a))
            if need > suffix[a]:
                reasons.append(
                    f"{need} 个{_unit(inp, k)}的候选人都只申报{_tier(a)}及以下，至少各一人需要 {need} 个名额，"
                    f"但{_tier(a)}及以下名额合计只有 {suffix[a]} 个"
                )
                break
        if reachable is not None:
            if labels.size > reachable:
                reasons.append(
                    f"企业上限 {inp.cap} 时最多入选 {reachable} 人，但{each}至少一人需要 {labels.size} 人"
                )
                continue
            # Labels all of whose candidates work at one enterprise: that enterprise must give each a place.
            width = int(model.ent_size.size)
            pairs = np.unique(inverse * width + model.ent_of)
            single = np.bincount(pairs // width, minlength=labels.size) == 1
            ents = np.full(labels.size, -1, dtype=np.int64)
            ents[pairs // width] = pairs % width  # meaningful where single
            for ent in np.unique(ents[single]):
                tied = labels[single & (ents == ent)]
                if tied.size > inp.cap:
                    enterprise_id = inp.enterprise[np.flatnonzero(model.ent_of == ent)[0]]
                    reasons.append(
                        f"{name} {_ids(tied)} 的候选人都来自企业 {enterprise_id}，"
                        f"企业上限 {inp.cap} 时无法各得一人"
                    )
                    break
    return reasons


def _least(test: Any, lo: int, hi: int) -> int | None:
    """The least v in [lo, hi] with test(v), test monotone; None when even hi fails."""
    if not test(hi):
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        if test(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _relaxations(inp: _Inputs, model: _Model) -> list[Relaxation]:
    tiers = inp.quotas.size
    last = tiers - 1
    kept = tuple(range(len(inp.groups)))
    names = [_group_name(inp, k) for k in kept]
    need = max((np.unique(g).size for g in inp.groups), default=0)
    found: list[Relaxation] = []

    def with_last(q: int) -> IntArray:
        quotas = inp.quotas.copy()
        quotas[last] = q
        return quotas

    # Every candidate may be placed in the lowest tier, so more places there help whatever the cause.
    lo = max(int(inp.quotas[last]) + 1, need - int(inp.quotas.sum() - inp.quotas[last]))
    hi = int(inp.quotas[last]) + need
    q = _least(lambda v: model.feasible(with_last(v), inp.cap, inp.groups), lo, max(lo, hi))
    if q is not None:
        found.append(Relaxation(f"把{_tier(last)}名额增至 {q}", tuple(int(v) for v in with_last(q)), inp.cap, kept))
    largest = int(model.ent_size.max())
    if inp.cap is not None and inp.cap < largest:
        c = _least(lambda v: model.feasible(inp.quotas, v, inp.groups), inp.cap + 1, largest)
        if c is not None:
            found.append(Relaxation(f"把企业上限放宽到 {c}", tuple(int(v) for v in inp.quotas), c, kept))
    for k in kept:
        rest = tuple(j for j in kept if j != k)
        if model.feasible(inp.quotas, inp.cap, [inp.groups[j] for j in rest]):
            found.append(Relaxation(f"取消{names[k]}约束", tuple(int(v) for v in inp.quotas), inp.cap, rest))
    if not found:
        # Neither alone suffices: enough places with no cap is always feasible; then the least cap.
        q = _least(lambda v: model.feasible(with_last(v), None, inp.groups), lo, max(lo, hi))
        assert q is not None  # every label placed in the lowest tier
        quotas = with_last(q)
        c = _least(lambda v: model.feasible(quotas, v, inp.groups), (inp.cap or 0) + 1, largest)
        assert c is not None
        found.append(Relaxation(
            f"把{_tier(last)}名额增至 {q} 并把企业上限放宽到 {c}", tuple(int(v) for v in quotas), c, kept
        ))
        if len(kept) > 1:
            text = "取消" + "、".join(dict.fromkeys(names)) + "约束"
            found.append(Relaxation(text, tuple(int(v) for v in inp.quotas), inp.cap, ()))
    return found


def _infeasible(inp: _Inputs, model: _Model, reasons: list[str]) -> AllocationInfeasible:
    relaxations = _relaxations(inp, model)
    if not reasons:  # no count explains it: name the constraints whose relaxation alone helps
        quotas = tuple(int(v) for v in inp.quotas)
        alone = [r for r in relaxations if sum((r.quotas != quotas, r.enterprise_cap != inp.cap)) <= 1]
        conflicting = []
        if not alone or any(r.quotas != quotas for r in alone):
            conflicting.append("各层级名额")
        if inp.cap is not None and (not alone or any(r.enterprise_cap != inp.cap for r in alone)):
            conflicting.append(f"企业上限 {inp.cap}")
        conflicting += [
            f"{_each(inp, k)}至少一人" for k in range(len(inp.groups))
            if not alone or any(k not in r.groups for r in alone)
        ]
        reasons = ["、".join(conflicting) + "无法同时满足"]
    message = "无法拟定：" + "；".join(dict.fromkeys(reasons)) + "；" + "，或".join(r.text for r in relaxations)
    return AllocationInfeasible(message, relaxations)


# --- reasons ------------------------------------------------------------------------------------

_STEPS = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九"}


def _score(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")


def explain_allocation(
    result: Any,
    merit: Any,
    applied: Any,
    industry: Any,
    enterprise: Any,
    quotas: Any,
    *,
    enterprise_cap: int | None = None,
    groups: Sequence[Any] = (),
    tier_names: Sequence[str] | None = None,
) -> list[str]:
    """One short Chinese reason per candidate, derived from the allocation ``result`` (as
    :func:`allocate_tiers` returns it, possibly adjusted by the admin) and the same inputs.

    A tier's threshold (最低入选分) is the lowest merit placed in it, leaving out the candidates
    placed for representativeness (the only one of their label placed while a higher-scored
    candidate who could have taken the place was left out)."""
    inp = _validate(merit, applied, industry, enterprise, quotas, enterprise_cap, groups)
    n, tiers = inp.merit.size, inp.quotas.size
    res = _int_array(result, "拟定结果", n)
    if n and (res.min() < -1 or res.max() >= tiers):
        raise ValueError(f"拟定结果须为 -1 或 0 到 {tiers - 1} 之间的层级")
    if np.any((res >= 0) & (res < inp.applied)):
        raise ValueError("拟定结果把候选人放在了高于其申报层级的层级")
    names = list(tier_names) if tier_names is not None else [_tier(t) for t in range(tiers)]
    if len(names) != tiers:
        raise ValueError(f"层级名称须为 {tiers} 个")
    m = inp.merit
    placed = res >= 0
    _, ent_of = np.unique(inp.enterprise, return_inverse=True)
    ent_placed = np.bincount(ent_of[placed], minlength=int(ent_of.max(initial=-1)) + 1)
    at_cap = np.zeros(n, dtype=bool) if inp.cap is None else ent_placed[ent_of] >= inp.cap
    filled = np.bincount(res[placed], minlength=tiers)
    unplaced = np.flatnonzero(~placed)

    # Representativeness: the only placed one of a label, with a higher-scored eligible candidate left out
    # whose enterprise had room.
    representative: dict[int, int] = {}
    for k, g in enumerate(inp.groups):
        labels, counts = np.unique(g[placed], return_counts=True)
        only = set(labels[counts == 1].tolist())
        for j in np.flatnonzero(placed).tolist():
            if int(g[j]) in only and j not in representative:
                rivals = unplaced[(inp.applied[unplaced] <= res[j]) & (m[unplaced] > m[j]) & ~at_cap[unplaced]]
                if rivals.size:
                    representative[j] = k
    threshold: list[float | None] = []
    for t in range(tiers):
        members = [i for i in np.flatnonzero(res == t) if int(i) not in representative]
        threshold.append(float(m[members].min()) if members else None)

    reasons: list[str] = []
    for i in range(n):
        a, t = int(inp.applied[i]), int(res[i])
        if t >= 0:
            if i in representative:
                k = representative[i]
                reasons.append(f"因{_group_name(inp, k)}代表性入选 {names[t]}")
            elif t == a:
                reasons.append(f"入选 {names[t]}")
            else:
                step = _STEPS.get(t - a, str(t - a))
                full = [names[s] for s in range(a, t) if filled[s] >= inp.quotas[s]]
                why = f"：{'、'.join(full)} 名额已满" if len(full) == t - a else ""
                reasons.append(f"降{step}档入选 {names[t]}{why}")
            continue
        reach = [s for s in range(a, tiers) if inp.quotas[s] > 0]
        if not reach:
            reasons.append("未入选：可入选的层级均无名额")
            continue
        open_ = [s for s in reach if threshold[s] is not None]
        lowest = min(open_, key=lambda s: (threshold[s], -s)) if open_ else None
        bar = threshold[lowest] if lowest is not None else None
        if at_cap[i] and (bar is None or m[i] >= bar):
            reasons.append(f"未入选：本企业已达上限 {inp.cap} 人")
        elif lowest is not None and bar is not None and m[i] < bar:
            reasons.append(f"未入选：分数低于 {names[lowest]} 最低入选分 {_score(bar)}")
        elif lowest is not None and bar is not None and m[i] == bar:
            reasons.append(
                f"未入选：与 {names[lowest]} 最低入选分 {_score(bar)} 同分，按并列次序（序号小者优先）未入选"
            )
        elif any(filled[s] < inp.quotas[s] for s in reach) and m[i] <= 0:
            reasons.append("未入选：分数不高于 0")
        else:
            reasons.append("未入选：受名额、企业上限与代表性约束共同限制")
    return reasons
