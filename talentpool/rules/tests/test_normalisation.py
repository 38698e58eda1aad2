"""Expert-score normalisation (rules/normalisation.py)."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentpool.rules.normalisation import normalise, summarise


def test_a_harsh_and_a_lenient_expert_end_up_on_one_scale() -> None:
    # Both rank a > b > c alike; the harsh one scores 20 lower.
    scores = {("harsh", "a"): 70.0, ("harsh", "b"): 60.0, ("harsh", "c"): 50.0,
              ("lenient", "a"): 90.0, ("lenient", "b"): 80.0, ("lenient", "c"): 70.0}
    result, notes = normalise(scores, low=0, high=100, min_count=3)
    for item in "abc":
        assert result[("harsh", item)].normalised == pytest.approx(result[("lenient", item)].normalised)
    pooled = statistics.pstdev(scores.values())
    assert result[("harsh", "a")].normalised == pytest.approx(70 + 10 / statistics.pstdev([70, 60, 50]) * pooled)
    assert result[("harsh", "b")].normalised == pytest.approx(70.0)  # the pooled mean
    assert all(r.corrected for r in result.values())
    assert notes["harsh"].note == "已标准化（评 3 份，均分 60.00，标准差 8.16）"
    summary = summarise(result)
    assert summary["a"].count == 2
    assert summary["a"].raw_mean == 80 and summary["a"].raw_median == 80
    assert summary["b"].normalised_mean == pytest.approx(70.0)


def test_below_the_minimum_the_scores_stay_raw_and_the_note_says_so() -> None:
    scores = {("x", "a"): 80.0, ("x", "b"): 60.0, ("y", "a"): 40.0, ("y", "b"): 50.0, ("y", "c"): 60.0}
    result, notes = normalise(scores, low=0, high=100, min_count=3)
    assert result[("x", "a")].normalised == 80.0 and not result[("x", "a")].corrected
    assert notes["x"].note == "评分不足 3 份（2 份），不作标准化，按原始分计"
    assert result[("y", "a")].corrected


def test_an_expert_who_gives_everyone_the_same_moves_by_the_means_only() -> None:
    scores = {("flat", "a"): 50.0, ("flat", "b"): 50.0, ("other", "a"): 90.0, ("other", "b"): 70.0}
    result, _notes = normalise(scores, low=0, high=100, min_count=2)
    assert result[("flat", "a")].normalised == result[("flat", "b")].normalised == pytest.approx(65.0)


def test_results_are_clipped_to_the_bounds() -> None:
    scores = {("e", "a"): 100.0, ("e", "b"): 0.0, ("e", "c"): 0.0, ("e", "d"): 0.0,
              ("f", "a"): 100.0, ("f", "b"): 100.0, ("f", "c"): 100.0, ("f", "d"): 0.0}
    result, _notes = normalise(scores, low=0, high=100, min_count=2)
    assert all(0 <= r.normalised <= 100 for r in result.values())


def test_bad_input_is_refused_in_chinese() -> None:
    with pytest.raises(ValueError, match="超出 0–100 的范围"):
        normalise({("e", "a"): 101.0}, low=0, high=100, min_count=2)
    with pytest.raises(ValueError, match="下限高于上限"):
        normalise({}, low=10, high=0, min_count=2)
    with pytest.raises(ValueError, match="至少需要"):
        normalise({}, low=0, high=100, min_count=1)


@given(st.dictionaries(st.tuples(st.sampled_from("pqrs"), st.sampled_from("abcdefgh")),
                       st.floats(min_value=0, max_value=100), min_size=1, max_size=32))
def test_each_corrected_expert_keeps_their_order(scores: dict[tuple[str, str], float]) -> None:
    result, _notes = normalise(scores, low=0, high=100, min_count=2)
    for (expert, a), first in result.items():
        for (other, b), second in result.items():
            if expert == other and first.raw < second.raw:
                assert first.normalised <= second.normalised + 1e-9, (a, b)
