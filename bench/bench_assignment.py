#!/usr/bin/env python3
"""Benchmark of the exact reviewer assignment (talentpool.rules.assignment.assign_reviewers)
against the plain LP of the same flow problem solved by scipy's HiGHS.

    .venv/bin/python bench/bench_assignment.py [--repeat 5] [--lp-repeat 3] [--big-lp] [--seed 2026]

Random instances (uniform affinities in [0, 1), a given share of random conflicts):

  (a) 1,100 items × 60 experts × 3 per item, capacity 60, 5% conflicts: assign_reviewers best of
      ``--repeat`` runs, target ≤ 0.1 s; the relaxed flow LP (x in [0, 1] per allowed pair, every
      item exactly 3, every expert ≤ capacity) by ``scipy.optimize.linprog(method="highs")``, best
      of ``--lp-repeat``, building its matrix included; targets: the same total affinity (to 1e-6
      relative) and assign_reviewers ≥ 10× faster;
  (b) the same with employers (expert_group: 20 employers of 3 experts, at most one per item; the
      LP gains a row ≤ 1 per item and employer): same total, times side by side (no time target);
  (c) 10,000 items × 300 experts × 5 per item, capacity ceil(10,000 × 5 / 300) + 10 = 177, 5%
      conflicts: target ≤ 3 s. The LP (70–100 s on this machine) is skipped unless ``--big-lp``,
      which runs it with a time limit (``--lp-time-limit``, 300 s) and compares when it finishes.

Every result is also checked against the constraints (distinct, allowed, capacity, employers).
Times exclude the one-off import of OR-Tools (a warm-up call runs first). Prints PASS / FAIL per
target and exits 1 when any fails."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from talentpool.rules.assignment import assign_reviewers  # noqa: E402

SMALL_TARGET_S = 0.1
SMALL_RATIO = 10.0
BIG_TARGET_S = 3.0
REL_TOL = 1e-6


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def instance(rng: np.random.Generator, n: int, m: int, conflicts: float) -> tuple[np.ndarray, np.ndarray]:
    return rng.random((n, m)), rng.random((n, m)) >= conflicts


def lp_total(
    affinity: np.ndarray, allowed: np.ndarray, k: int, capacity: int, group: np.ndarray | None, time_limit: float
) -> tuple[float | None, str]:
    """The relaxed flow LP's optimum (its vertices are integral: the matrix is a network matrix)."""
    n, m = affinity.shape
    ii, ee = np.nonzero(allowed)
    v = len(ii)
    cols = np.arange(v)
    a_eq = csr_matrix((np.ones(v), (ii, cols)), shape=(n, v))
    rows_ub = [csr_matrix((np.ones(v), (ee, cols)), shape=(m, v))]
    b_ub = [np.full(m, float(capacity))]
    if group is not None:
        width = int(group.max()) + 1
        key = ii * width + group[ee]
        uniq, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
        shared = np.flatnonzero(counts >= 2)
        row_of = np.full(len(uniq), -1)
        row_of[shared] = np.arange(len(shared))
        row = row_of[inverse]
        take = row >= 0
        rows_ub.append(csr_matrix((np.ones(int(take.sum())), (row[take], cols[take])), shape=(len(shared), v)))
        b_ub.append(np.ones(len(shared)))
    res = linprog(
        -affinity[ii, ee],
        A_ub=vstack(rows_ub).tocsr(),
        b_ub=np.concatenate(b_ub),
        A_eq=a_eq,
        b_eq=np.full(n, float(k)),
        bounds=(0, 1),
        method="highs",
        options={"time_limit": time_limit},
    )
    return (-float(res.fun) if res.status == 0 else None), res.message


def check(result: np.ndarray, allowed: np.ndarray, k: int, capacity: int, group: np.ndarray | None) -> None:
    n, m = allowed.shape
    assert result.shape == (n, k)
    assert (np.sort(result, axis=1)[:, 1:] != np.sort(result, axis=1)[:, :-1]).all(), "an expert twice on an item"
    assert allowed[np.arange(n)[:, None], result].all(), "a conflict assigned"
    assert np.bincount(result.ravel(), minlength=m).max() <= capacity, "an expert over capacity"
    if group is not None:
        g = np.sort(group[result], axis=1)
        assert (g[:, 1:] != g[:, :-1]).all(), "two experts of one employer on an item"


def best_of(repeat: int, fn: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(*args, **kwargs)
        times.append(time.perf_counter() - t0)
    return min(times), result


def total(affinity: np.ndarray, result: np.ndarray) -> float:
    return float(affinity[np.arange(len(result))[:, None], result].sum())


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def run(args: argparse.Namespace) -> bool:
    rng = np.random.default_rng(args.seed)
    assign_reviewers(np.ones((2, 2)), np.ones((2, 2), dtype=bool), 1, 1)  # imports OR-Tools
    passed = True
    lines: list[str] = []

    for label, group in (("(a) 1,100 × 60 × 3, capacity 60, 5% conflicts", None),
                         ("(b) the same with 20 employers of 3 experts", np.arange(60) // 3)):
        affinity, allowed = instance(rng, 1_100, 60, 0.05)
        say(f"{label}: assign_reviewers ×{args.repeat}, LP ×{args.lp_repeat}")
        seconds, result = best_of(args.repeat, assign_reviewers, affinity, allowed, 3, 60, expert_group=group)
        check(result, allowed, 3, 60, group)
        lp_seconds, (lp, message) = best_of(args.lp_repeat, lp_total, affinity, allowed, 3, 60, group, 600.0)
        mine = total(affinity, result)
        same = lp is not None and abs(mine - lp) <= REL_TOL * abs(lp)
        ratio = lp_seconds / seconds
        passed &= same
        line = (f"{label}: assign_reviewers {seconds * 1000:.1f} ms, HiGHS LP {lp_seconds * 1000:.1f} ms, "
                f"ratio {ratio:.1f}x; total {mine:.6f} vs LP {lp if lp is None else f'{lp:.6f}'} "
                f"(same to 1e-6: {verdict(same)})")
        if group is None:
            fast, quick = seconds <= SMALL_TARGET_S, ratio >= SMALL_RATIO
            passed &= fast and quick
            line += (f"; target ≤ {SMALL_TARGET_S} s: {verdict(fast)}; "
                     f"target ≥ {SMALL_RATIO:.0f}x faster than the LP: {verdict(quick)}")
        lines.append(line)

    n, m, k = 10_000, 300, 5
    capacity = -(-n * k // m) + 10
    affinity, allowed = instance(rng, n, m, 0.05)
    label = f"(c) 10,000 × 300 × 5, capacity {capacity}, 5% conflicts"
    say(f"{label}: assign_reviewers ×{args.repeat}")
    seconds, result = best_of(args.repeat, assign_reviewers, affinity, allowed, k, capacity)
    check(result, allowed, k, capacity, None)
    fast = seconds <= BIG_TARGET_S
    passed &= fast
    mine = total(affinity, result)
    line = f"{label}: assign_reviewers {seconds:.2f} s (target ≤ {BIG_TARGET_S} s: {verdict(fast)}); total {mine:.6f}"
    if args.big_lp:
        say(f"{label}: HiGHS LP, time limit {args.lp_time_limit:.0f} s")
        t0 = time.perf_counter()
        lp, message = lp_total(affinity, allowed, k, capacity, None, args.lp_time_limit)
        lp_seconds = time.perf_counter() - t0
        if lp is None:
            line += f"; HiGHS LP stopped after {lp_seconds:.1f} s ({message}): not compared"
        else:
            same = abs(mine - lp) <= REL_TOL * abs(lp)
            passed &= same
            line += (f"; HiGHS LP {lp_seconds:.1f} s, ratio {lp_seconds / seconds:.0f}x, LP total {lp:.6f} "
                     f"(same to 1e-6: {verdict(same)})")
    else:
        line += "; HiGHS LP skipped (70–100 s here; --big-lp runs it)"
    lines.append(line)

    print()
    print("=" * 100)
    for line in lines:
        print(line)
    print("=" * 100)
    print("PASS" if passed else "FAIL")
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs of assign_reviewers per case (best of)")
    parser.add_argument("--lp-repeat", type=int, default=3, help="runs of the HiGHS LP per small case (best of)")
    parser.add_argument("--big-lp", action="store_true", help="also solve the 10,000 × 300 LP (70–100 s)")
    parser.add_argument("--lp-time-limit", type=float, default=300.0, help="HiGHS time limit for --big-lp, seconds")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the instances")
    return 0 if run(parser.parse_args()) else 1


if __name__ == "__main__":
    sys.exit(main())
