"""The optional US-budget solver (MODEL.md 3.13): the US burden that meets an Indo-Pacific
balance target, never below the US path and never above the ceiling."""

from __future__ import annotations

import numpy as np
import pytest

import natofutures as nf
from natofutures.engine.exogenous_budgets import solved_us_burden
from natofutures.engine.simulate import simulate

BACKENDS = ("numba", "numpy")


@pytest.mark.parametrize(
    ("target", "path", "ceiling", "expected"),
    [
        # A = 100, C = 40, a·φ·π = 0.5·0.8·1 = 0.4, K = 50, ω = 1, Y = 1000:
        # b = ((1.0·100 − 40)/0.4 − 50)/(1·1000) = (150 − 50)/1000 = 0.1
        (1.0, 0.03, 0.5, 0.1),
        (1.0, 0.03, 0.08, 0.08),  # capped at the ceiling
        (0.5, 0.03, 0.5, 0.03),  # b = ((50 − 40)/0.4 − 50)/1000 < 0: the path is kept
        (1.0, 0.2, 0.5, 0.2),  # the path already exceeds the need
    ],
)
def test_hand_computed_cases(target, path, ceiling, expected):
    got = solved_us_burden(
        target, np.array([100.0]), np.array([40.0]), np.array([0.5]), np.array([0.8]),
        np.array([1.0]), np.array([50.0]), 1.0, np.array([1000.0]), np.array([path]), ceiling,
    )  # fmt: skip
    np.testing.assert_allclose(got, [expected])


def test_no_us_share_in_the_theatre_keeps_the_path():
    got = solved_us_burden(
        2.0, np.array([100.0]), np.array([0.0]), np.array([0.0]), np.array([0.8]),
        np.array([1.0]), np.array([50.0]), 1.0, np.array([1000.0]), np.array([0.03]), 0.5,
    )  # fmt: skip
    assert got.tolist() == [0.03]


def _run(backend: str, **over: float):
    sc = nf.posture("global_vs_china")
    if over:
        sc = sc.with_overrides(over)
    return simulate(sc, draws=0, horizon=2040, backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_solved_budget_meets_the_target_from_the_year_after_t0(backend: str):
    base = _run(backend, **{"us.solve_ratio.indo_pacific": 0.0})  # the US path, unsolved
    solved = _run(backend, **{"us.solve_ratio.indo_pacific": 1.0})
    r = solved.balance.sel(theatre="indo_pacific").to_numpy().ravel()
    r0 = base.balance.sel(theatre="indo_pacific").to_numpy().ravel()
    assert r[0] == r0[0]  # t0 is data, not solved
    assert r0[1:].max() < 1.0  # the target binds in every later year ...
    np.testing.assert_allclose(r[1:], 1.0, rtol=1e-5)  # ... and is met
    us, us0 = (ds.burden.sel(country="USA").to_numpy().ravel() for ds in (solved, base))
    assert (us >= us0).all() and (us[1:] > us0[1:]).all()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_ceiling_caps_the_solved_budget(backend: str):
    solved = _run(backend, **{"us.solve_ratio.indo_pacific": 3.0, "us.burden_ceiling": 0.07})
    us = solved.burden.sel(country="USA").to_numpy().ravel()
    np.testing.assert_allclose(us[1:], 0.07, rtol=1e-6)
    assert (solved.balance.sel(theatre="indo_pacific").to_numpy().ravel()[1:] < 3.0).all()


@pytest.mark.parametrize("backend", BACKENDS)
def test_off_in_the_defaults_and_at_zero(backend: str):
    # the defaults keep the solver off (the postures switch it on: test_engine_us_commitments)
    from natofutures.scenario import parameter_table

    assert parameter_table()["us.solve_ratio.indo_pacific"].value == 0.0
    off = _run(backend, **{"us.solve_ratio.indo_pacific": 0.0})
    path = _run(backend, **{"us.solve_ratio.indo_pacific": 0.0, "us.burden_ceiling": 0.5})
    np.testing.assert_array_equal(path.burden.values, off.burden.values)  # no ceiling at work
    assert not np.array_equal(off.burden.values, _run(backend).burden.values)
