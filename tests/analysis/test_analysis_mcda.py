"""MCDA: weighted sum and TOPSIS — known answers, an independent TOPSIS, invariances."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pymcdm.methods import TOPSIS as PymcdmTOPSIS
from pymcdm.normalizations import vector_normalization

from natofutures.analysis import mcda
from natofutures.errors import InputError


def test_weighted_sum_known_answer() -> None:
    # Two criteria: the first higher-better, the second lower-better.
    x = np.array([[1.0, 10.0], [3.0, 30.0], [2.0, 10.0]])
    s = mcda.weighted_sum(x, [1.0, 1.0], [1, -1])
    # partial values: c1 -> 0, 1, 0.5; c2 -> 1, 0, 1; equal weights
    np.testing.assert_allclose(s, [0.5, 0.5, 0.75])
    np.testing.assert_array_equal(mcda.rank(s), [2, 3, 1])


def test_topsis_known_answer_from_pymcdm_docstring() -> None:
    # pymcdm's documented example: preferences [0.500, 0.617, 0.500] with min-max norm; with
    # vector normalisation the classic textbook answer is computed here by hand.
    x = np.array([[1.0, 3000.0], [2.0, 3750.0], [5.0, 4500.0]])
    w = np.array([0.5, 0.5])
    d = np.array([-1, 1])
    r = x / np.sqrt((x**2).sum(axis=0))
    v = r * w
    ideal = np.array([v[:, 0].min(), v[:, 1].max()])
    anti = np.array([v[:, 0].max(), v[:, 1].min()])
    dp = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    dm = np.sqrt(((v - anti) ** 2).sum(axis=1))
    np.testing.assert_allclose(mcda.topsis(x, w, d), dm / (dp + dm))


@settings(max_examples=60, deadline=None)
@given(
    n_alt=st.integers(2, 6),
    n_crit=st.integers(1, 8),
    seed=st.integers(0, 2**32 - 1),
)
def test_topsis_matches_pymcdm_on_random_matrices(n_alt: int, n_crit: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.1, 100.0, size=(n_alt, n_crit))
    w = rng.dirichlet(np.ones(n_crit))
    d = rng.choice([-1, 1], size=n_crit)
    # validation=False: pymcdm warns about dominant alternatives, which random matrices have.
    reference = PymcdmTOPSIS(normalization_function=vector_normalization)(
        x, w, d, validation=False
    )
    np.testing.assert_allclose(mcda.topsis(x, w, d), reference, rtol=1e-10, atol=1e-12)


def test_topsis_is_vectorised_over_leading_axes() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(1, 5, size=(7, 4, 5))
    w = rng.dirichlet(np.ones(5), size=7)
    d = np.array([1, -1, 1, 1, -1])
    batched = mcda.topsis(x, w, d)
    one_by_one = np.stack([mcda.topsis(x[i], w[i], d) for i in range(7)])
    np.testing.assert_allclose(batched, one_by_one)


matrices = arrays(
    np.float64,
    st.tuples(st.integers(2, 5), st.integers(1, 6)),
    elements=st.floats(0.01, 1e3, allow_nan=False),
)


@settings(max_examples=80, deadline=None)
@given(x=matrices, data=st.data())
def test_rankings_invariant_to_positive_rescaling(x: np.ndarray, data: st.DataObject) -> None:
    n_crit = x.shape[1]
    w = np.array(data.draw(st.lists(st.floats(0.1, 5), min_size=n_crit, max_size=n_crit)))
    d = np.array(data.draw(st.lists(st.sampled_from([-1, 1]), min_size=n_crit, max_size=n_crit)))
    factors = np.array(
        data.draw(st.lists(st.floats(1e-3, 1e3), min_size=n_crit, max_size=n_crit))
    )
    for method in mcda.METHODS:
        before = mcda.score(x, w, d, method)
        after = mcda.score(x * factors, w, d, method)
        np.testing.assert_allclose(after, before, rtol=1e-9, atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(x=matrices)
def test_scores_in_unit_interval_and_ranks_are_permutations(x: np.ndarray) -> None:
    n_crit = x.shape[1]
    w = np.ones(n_crit)
    d = np.ones(n_crit)
    for method in mcda.METHODS:
        s = mcda.score(x, w, d, method)
        assert np.all((s >= -1e-12) & (s <= 1 + 1e-12))
        assert sorted(mcda.rank(s).tolist()) == list(range(1, x.shape[0] + 1))


def test_a_dominating_alternative_ranks_first_under_both_methods() -> None:
    x = np.array([[5.0, 1.0, 3.0], [4.0, 2.0, 2.0], [3.0, 2.5, 1.0]])
    d = np.array([1, -1, 1])
    for method in mcda.METHODS:
        assert mcda.rank(mcda.score(x, [1, 2, 3], d, method))[0] == 1


def test_tied_criterion_cannot_change_ranking() -> None:
    x = np.array([[1.0, 7.0], [2.0, 7.0]])
    np.testing.assert_allclose(mcda.minmax_value(x, [1, 1])[:, 1], [0.5, 0.5])
    assert mcda.rank(mcda.weighted_sum(x, [1, 100], [1, 1])).tolist() == [2, 1]


@pytest.mark.parametrize(
    ("weights", "match"),
    [([0.0, 0.0], "sum to 0"), ([-1.0, 2.0], ">= 0"), ([np.nan, 1.0], ">= 0")],
)
def test_bad_weights_raise_one_line_input_error(weights: list[float], match: str) -> None:
    with pytest.raises(InputError, match=match) as info:
        mcda.weighted_sum(np.ones((2, 2)), weights, [1, 1])
    assert "\n" not in str(info.value)


def test_bad_directions_and_method_raise_input_error() -> None:
    with pytest.raises(InputError, match="directions"):
        mcda.topsis(np.ones((2, 2)), [1, 1], [1, 0])
    with pytest.raises(InputError, match="method"):
        mcda.score(np.ones((2, 2)), [1, 1], [1, 1], "electre")  # type: ignore[arg-type]
