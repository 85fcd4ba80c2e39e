"""SMAA-2: rank acceptabilities sum to 1, known answers, a published example, determinism."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natofutures.analysis import mcda
from natofutures.analysis.smaa import sample_weights, smaa, uniform_weights
from natofutures.errors import InputError


@settings(max_examples=25, deadline=None)
@given(
    n_draws=st.integers(1, 20),
    n_alt=st.integers(2, 5),
    n_crit=st.integers(1, 6),
    concentration=st.floats(0.5, 500),
    seed=st.integers(0, 1000),
    method=st.sampled_from(mcda.METHODS),
)
def test_rank_acceptability_rows_and_columns_sum_to_one(
    n_draws: int, n_alt: int, n_crit: int, concentration: float, seed: int, method: mcda.Method
) -> None:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.5, 10, size=(n_draws, n_alt, n_crit))
    d = rng.choice([-1, 1], size=n_crit)
    scales = np.stack([np.where(d > 0, 0.0, 10.0), np.where(d > 0, 10.0, 0.0)])
    w = rng.uniform(0.1, 1, size=n_crit)
    res = smaa(x, scales, w, concentration, method=method, samples=2000, seed=seed)
    np.testing.assert_allclose(res.rank_acceptability.sum(axis=1), 1.0)
    np.testing.assert_allclose(res.rank_acceptability.sum(axis=0), 1.0)
    assert np.all((res.mean_rank >= 1) & (res.mean_rank <= n_alt))


def test_dominance_gives_rank_one_with_certainty() -> None:
    # Alternative 0 is best on every criterion in every draw.
    rng = np.random.default_rng(0)
    base = rng.uniform(1, 2, size=(50, 3, 4))
    base[:, 0, :] = 5.0
    scales = np.stack([np.zeros(4), np.full(4, 5.0)])
    res = smaa(base, scales, [1, 1, 1, 1], 5.0, samples=10_000, seed=1)
    assert res.first_rank[0] == 1.0
    assert res.rank_acceptability[0, 0] == 1.0


def test_two_criteria_trade_off_known_acceptability() -> None:
    # A wins on c1 only, B on c2 only: A ranks first iff w1 > w2. With Dirichlet(1, 1)
    # (uniform weights) that has probability 1/2.
    x = np.array([[1.0, 0.0], [0.0, 1.0]]) + 1.0
    res = smaa(x, [[1.0, 1.0], [2.0, 2.0]], [0.5, 0.5], 2.0, samples=200_000, seed=2)
    assert res.first_rank[0] == pytest.approx(0.5, abs=0.005)
    # Central weights: A's mean winning weights put more on c1 (E[w1 | w1 > 1/2] = 3/4).
    np.testing.assert_allclose(res.central_weights[0], [0.75, 0.25], atol=0.005)


def test_fixed_weights_reduce_to_the_deterministic_ranking() -> None:
    x = np.array([[3.0, 1.0], [1.0, 3.0], [2.0, 2.0]])
    w = np.array([0.7, 0.3])
    scales = [[0.0, 0.0], [4.0, 4.0]]
    res = smaa(x, scales, w, np.inf, samples=100, seed=0)
    expected = mcda.rank(mcda.weighted_sum(x, w, scales))
    np.testing.assert_array_equal(np.argmax(res.rank_acceptability, axis=1) + 1, expected)


def test_deterministic_under_a_seed() -> None:
    x = np.random.default_rng(5).uniform(size=(30, 4, 6))
    scales = np.stack([np.zeros(6), np.ones(6)])
    a = smaa(x, scales, np.ones(6), 20, method="topsis", samples=5000, seed=9)
    b = smaa(x, scales, np.ones(6), 20, method="topsis", samples=5000, seed=9)
    np.testing.assert_array_equal(a.rank_acceptability, b.rank_acceptability)


def test_dirichlet_weights_centred_and_zero_weights_stay_zero() -> None:
    w = sample_weights([2.0, 0.0, 1.0, 1.0], 50.0, 40_000, np.random.default_rng(1))
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    assert np.all(w[:, 1] == 0)
    np.testing.assert_allclose(w.mean(axis=0), [0.5, 0.0, 0.25, 0.25], atol=0.003)


def test_a_million_samples_run() -> None:
    # Vectorised: a million joint samples of 4 postures x 14 criteria in one call.
    x = np.random.default_rng(0).uniform(size=(200, 4, 14))
    scales = np.stack([np.zeros(14), np.ones(14)])
    res = smaa(x, scales, np.ones(14), 40, samples=1_000_000, seed=0)
    assert res.samples == 1_000_000
    np.testing.assert_allclose(res.rank_acceptability.sum(axis=1), 1.0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"concentration": 0.0}, "concentration"),
        ({"samples": 0}, "samples"),
        ({"weights": [1.0, 1.0]}, "weights"),
        ({"method": "vikor"}, "method"),
        ({"scales": [[0.0, 0.0, 1.0], [1.0, 1.0, 1.0]]}, "scales"),
    ],
)
def test_bad_arguments_raise_input_error(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {
        "outcomes": np.ones((2, 2, 3)),
        "scales": [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]],
        "weights": [1.0, 1.0, 1.0],
        "concentration": 10.0,
    }
    args.update(kwargs)
    with pytest.raises(InputError, match=match):
        smaa(**args)  # type: ignore[arg-type]


def test_uniform_weights_are_uniform_on_the_simplex() -> None:
    # Dirichlet(1, 1, 1): each marginal is Beta(1, 2), so P(w_1 > 1/2) = 1/4 and E[w_1²] = 1/6.
    # Normalised independent uniforms would give P(w_1 > 1/2) ≈ 0.167 and E[w_1²] ≈ 0.144.
    w = uniform_weights(3, 400_000, np.random.default_rng(4))
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    assert (w[:, 0] > 0.5).mean() == pytest.approx(0.25, abs=0.003)
    assert (w[:, 0] ** 2).mean() == pytest.approx(1 / 6, abs=0.002)


def test_reproduces_the_published_heparin_vs_enoxaparin_example() -> None:
    """Tervonen et al. (2011), Stat Med 30:1419, thrombolytics example: no preference
    information (weights uniform on the simplex), Beta(events, n − events) outcomes from the
    trial counts, linear partial values on the published scales. Published rank-1
    acceptabilities: heparin about 0.35, enoxaparin about 0.65. Inputs as distributed with
    the authors' MCDA web application (drugis/mcda-elicitation-web, examples/
    thrombolytics.json)."""
    rng = np.random.default_rng(2011)
    n = 20_000
    counts = {  # (events, patients): heparin, enoxaparin
        "proximal_dvt": ((20, 136), (8, 129)),
        "distal_dvt": ((40, 136), (32, 129)),
        "major_bleeding": ((1, 136), (5, 129)),
    }
    x = np.stack(
        [
            np.stack([rng.beta(e, m - e, n) for e, m in arms], axis=1)
            for arms in counts.values()
        ],
        axis=2,
    )  # (draws, alternatives, criteria)
    scales = [[0.25, 0.40, 0.10], [0.0, 0.15, 0.0]]  # worst, best: lower is better
    res = smaa(x, scales, None, 1.0, samples=200_000, seed=7)
    # Tolerance: sampling error (sd about 0.001 with 2e5 samples) plus the rounding of the
    # published two-digit figures (±0.005).
    assert res.first_rank[0] == pytest.approx(0.35, abs=0.015)
    assert res.first_rank[1] == pytest.approx(0.65, abs=0.015)
