"""MCDA on fixed value scales: known answers, independence of the other alternatives, units."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from natofutures.analysis import mcda
from natofutures.analysis.criteria import CRITERIA, CRITERION_NAMES
from natofutures.errors import InputError

# Two criteria: the first higher-better on [0, 4], the second lower-better on [40, 0].
SCALES = np.array([[0.0, 40.0], [4.0, 0.0]])


def test_weighted_sum_known_answer_on_fixed_anchors() -> None:
    x = np.array([[1.0, 10.0], [3.0, 30.0], [2.0, 10.0]])
    s = mcda.weighted_sum(x, [1.0, 1.0], SCALES)
    # partial values: c1 -> 0.25, 0.75, 0.5; c2 -> 0.75, 0.25, 0.75; equal weights
    np.testing.assert_allclose(s, [0.5, 0.5, 0.625])
    np.testing.assert_array_equal(mcda.rank(s), [2, 3, 1])


def test_partial_values_are_zero_at_worst_one_at_best_and_extrapolate() -> None:
    x = np.array([[0.0, 40.0], [4.0, 0.0], [6.0, 50.0]])
    np.testing.assert_allclose(
        mcda.interval_value(x, SCALES), [[0.0, 0.0], [1.0, 1.0], [1.5, -0.25]]
    )


def test_topsis_with_fixed_ideals_known_answer() -> None:
    x = np.array([[1.0, 10.0]])
    w = np.array([0.25, 0.75])
    v = np.array([0.25, 0.75])
    dp = np.sqrt(((w * (v - 1)) ** 2).sum())
    dm = np.sqrt(((w * v) ** 2).sum())
    np.testing.assert_allclose(mcda.topsis(x, w, SCALES), [dm / (dp + dm)])


@settings(max_examples=60, deadline=None)
@given(n_alt=st.integers(2, 6), n_crit=st.integers(1, 8), seed=st.integers(0, 2**32 - 1))
def test_dropping_an_alternative_never_changes_the_others_scores(
    n_alt: int, n_crit: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 100.0, size=(n_alt, n_crit))
    w = rng.dirichlet(np.ones(n_crit))
    scales = np.stack([rng.uniform(0, 50, n_crit), rng.uniform(50, 100, n_crit)])
    drop = int(rng.integers(n_alt))
    keep = [i for i in range(n_alt) if i != drop]
    for method in mcda.METHODS:
        full = mcda.score(x, w, scales, method)
        fewer = mcda.score(x[keep], w, scales, method)
        np.testing.assert_allclose(fewer, full[keep], rtol=1e-12, atol=1e-14)


def test_minmax_scaling_would_change_them_which_is_why_it_is_not_used() -> None:
    x = np.array([[0.0, 1.0], [1.0, 0.0], [10.0, 0.5]])
    d = [1, 1]
    w = np.array([0.5, 0.5])
    full = np.einsum("ac,c->a", mcda.minmax_value(x, d), w)
    fewer = np.einsum("ac,c->a", mcda.minmax_value(x[:2], d), w)
    assert not np.allclose(full[:2], fewer)


def test_topsis_is_vectorised_over_leading_axes() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(1, 5, size=(7, 4, 5))
    w = rng.dirichlet(np.ones(5), size=7)
    scales = np.array([[0.0, 5, 0, 0, 5], [5.0, 0, 5, 5, 0]])
    batched = mcda.topsis(x, w, scales)
    one_by_one = np.stack([mcda.topsis(x[i], w[i], scales) for i in range(7)])
    np.testing.assert_allclose(batched, one_by_one)


matrices = arrays(
    np.float64,
    st.tuples(st.integers(2, 5), st.integers(1, 6)),
    elements=st.floats(0.01, 1e3, allow_nan=False),
)


@settings(max_examples=80, deadline=None)
@given(x=matrices, data=st.data())
def test_scores_invariant_to_a_change_of_units(x: np.ndarray, data: st.DataObject) -> None:
    # Percent instead of fraction: data and anchors are rescaled together.
    n_crit = x.shape[1]
    w = np.array(data.draw(st.lists(st.floats(0.1, 5), min_size=n_crit, max_size=n_crit)))
    factors = np.array(
        data.draw(st.lists(st.floats(1e-3, 1e3), min_size=n_crit, max_size=n_crit))
    )
    scales = np.stack([np.zeros(n_crit), np.full(n_crit, 1e3)])
    for method in mcda.METHODS:
        before = mcda.score(x, w, scales, method)
        after = mcda.score(x * factors, w, scales * factors, method)
        np.testing.assert_allclose(after, before, rtol=1e-9, atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(x=matrices)
def test_scores_inside_the_anchors_are_in_unit_interval(x: np.ndarray) -> None:
    n_crit = x.shape[1]
    scales = np.stack([np.zeros(n_crit), np.full(n_crit, 1e3)])
    for method in mcda.METHODS:
        s = mcda.score(x, np.ones(n_crit), scales, method)
        assert np.all((s >= -1e-12) & (s <= 1 + 1e-12))
        assert sorted(mcda.rank(s).tolist()) == list(range(1, x.shape[0] + 1))


def test_a_dominating_alternative_ranks_first_under_both_methods() -> None:
    x = np.array([[5.0, 1.0, 3.0], [4.0, 2.0, 2.0], [3.0, 2.5, 1.0]])
    scales = np.array([[0.0, 3.0, 0.0], [6.0, 0.0, 4.0]])
    for method in mcda.METHODS:
        assert mcda.rank(mcda.score(x, [1, 2, 3], scales, method))[0] == 1


def test_every_criterion_has_a_documented_scale_in_its_own_unit() -> None:
    scales = mcda.value_scales()
    assert set(scales) == set(CRITERION_NAMES)
    for name, s in scales.items():
        assert s.unit == CRITERIA[name].unit, name
        assert s.anchor and s.source, name
        # best lies on the criterion's better side
        assert np.sign(s.best - s.worst) == CRITERIA[name].direction, name
        if s.judgement:
            assert s.range is not None and s.range[0] < s.range[1], name


def test_per_year_anchors_scale_with_the_horizon() -> None:
    m20 = mcda.scale_matrix(["us_cost", "europe_risk"], years=20)
    m10 = mcda.scale_matrix(["us_cost", "europe_risk"], years=10)
    assert m20[0, 0] == pytest.approx(2 * m10[0, 0])
    assert m20[0, 1] == m10[0, 1]


@pytest.mark.parametrize(
    ("weights", "match"),
    [([0.0, 0.0], "sum to 0"), ([-1.0, 2.0], ">= 0"), ([np.nan, 1.0], ">= 0")],
)
def test_bad_weights_raise_one_line_input_error(weights: list[float], match: str) -> None:
    with pytest.raises(InputError, match=match) as info:
        mcda.weighted_sum(np.ones((2, 2)), weights, SCALES)
    assert "\n" not in str(info.value)


def test_bad_scales_criteria_and_method_raise_input_error() -> None:
    with pytest.raises(InputError, match="scales"):
        mcda.topsis(np.ones((2, 2)), [1, 1], [[0.0, 1.0], [0.0, 2.0]])  # worst == best
    with pytest.raises(InputError, match="no value scale"):
        mcda.scale_matrix(["bliss"])
    with pytest.raises(InputError, match="method"):
        mcda.score(np.ones((2, 2)), [1, 1], SCALES, "electre")  # type: ignore[arg-type]
