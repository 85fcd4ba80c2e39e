"""The optional US-budget solver (MODEL.md 3.13): the US burden that meets an Indo-Pacific
balance target, never below the US path, never above the ceiling, and rising at most
``us.max_burden_rise`` a year (the solved budget ramps instead of jumping)."""

from __future__ import annotations

import numpy as np
import pytest

import natofutures as nf
from natofutures.engine.exogenous_budgets import ramped_burden, solved_us_burden
from natofutures.engine.simulate import simulate
from natofutures.scenario import parameter_table

BACKENDS = ("numba", "numpy")
RISE = "us.max_burden_rise"
NO_RAMP = {RISE: 0.5}  # a rise as large as the ceiling's bound: the ramp never binds


@pytest.mark.parametrize(
    ("target", "path", "ceiling", "previous", "rise", "expected"),
    [
        # A = 100, C = 40, a·φ·π = 0.5·0.8·1 = 0.4, K = 50, ω = 1, Y = 1000:
        # b = ((1.0·100 − 40)/0.4 − 50)/(1·1000) = (150 − 50)/1000 = 0.1
        (1.0, 0.03, 0.5, 0.1, 0.5, 0.1),
        (1.0, 0.03, 0.08, 0.1, 0.5, 0.08),  # capped at the ceiling
        (0.5, 0.03, 0.5, 0.03, 0.5, 0.03),  # b = ((50 − 40)/0.4 − 50)/1000 < 0: the path
        (1.0, 0.2, 0.5, 0.03, 0.005, 0.2),  # the path already exceeds the need (and the ramp)
        (1.0, 0.03, 0.5, 0.034, 0.005, 0.039),  # ramped: last year's 0.034 + 0.005
        (1.0, 0.03, 0.036, 0.034, 0.005, 0.036),  # the ceiling binds before the ramp
        (1.0, 0.03, 0.5, 0.098, 0.005, 0.1),  # the need is within a year's rise: met
        (1.0, 0.05, 0.5, 0.03, 0.005, 0.05),  # the path rose faster than the ramp: the path
    ],
)
def test_hand_computed_cases(target, path, ceiling, previous, rise, expected):
    got = solved_us_burden(
        target, np.array([100.0]), np.array([40.0]), np.array([0.5]), np.array([0.8]),
        np.array([1.0]), np.array([50.0]), 1.0, np.array([1000.0]), np.array([path]), ceiling,
        np.array([previous]), np.array([rise]),
    )  # fmt: skip
    np.testing.assert_allclose(got, [expected])


def test_no_us_share_in_the_theatre_keeps_the_path():
    got = solved_us_burden(
        2.0, np.array([100.0]), np.array([0.0]), np.array([0.0]), np.array([0.8]),
        np.array([1.0]), np.array([50.0]), 1.0, np.array([1000.0]), np.array([0.03]), 0.5,
        np.array([0.03]), np.array([0.0024]),
    )  # fmt: skip
    assert got.tolist() == [0.03]


@pytest.mark.parametrize(
    ("path", "ceiling", "reachable", "need", "expected"),
    [
        (0.03, 0.10, 0.05, 0.09, 0.05),  # the ramp binds
        (0.03, 0.10, 0.05, 0.04, 0.04),  # the need is reachable: met
        (0.03, 0.045, 0.05, 0.09, 0.045),  # the ceiling binds
        (0.06, 0.10, 0.05, 0.09, 0.06),  # never below the path
        (0.03, 0.10, 0.05, 0.01, 0.03),  # no need above the path: the path
    ],
)
def test_ramped_burden_is_one_formula_for_numpy_and_the_kernel(
    path, ceiling, reachable, need, expected
):
    assert float(ramped_burden(path, ceiling, reachable, need)) == expected
    assert ramped_burden.kernel(path, ceiling, reachable, need) == expected
    many = ramped_burden(np.array([path, path]), ceiling, np.array([reachable, 1.0]), need)
    assert many[0] == expected


def _run(backend: str, **over: float):
    sc = nf.posture("global_vs_china")
    if over:
        sc = sc.with_overrides(over)
    return simulate(sc, draws=0, horizon=2040, backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_solved_budget_meets_the_target_from_the_year_after_t0(backend: str):
    base = _run(backend, **{"us.solve_ratio.indo_pacific": 0.0})  # the US path, unsolved
    solved = _run(backend, **{"us.solve_ratio.indo_pacific": 1.0}, **NO_RAMP)
    r = solved.balance.sel(theatre="indo_pacific").to_numpy().ravel()
    r0 = base.balance.sel(theatre="indo_pacific").to_numpy().ravel()
    assert r[0] == r0[0]  # t0 is data, not solved
    assert r0[1:].max() < 1.0  # the target binds in every later year ...
    np.testing.assert_allclose(r[1:], 1.0, rtol=1e-5)  # ... and is met
    us, us0 = (ds.burden.sel(country="USA").to_numpy().ravel() for ds in (solved, base))
    assert (us >= us0).all() and (us[1:] > us0[1:]).all()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_ceiling_caps_the_solved_budget(backend: str):
    solved = _run(
        backend, **{"us.solve_ratio.indo_pacific": 3.0, "us.burden_ceiling": 0.07}, **NO_RAMP
    )
    us = solved.burden.sel(country="USA").to_numpy().ravel()
    np.testing.assert_allclose(us[1:], 0.07, rtol=1e-6)
    assert (solved.balance.sel(theatre="indo_pacific").to_numpy().ravel()[1:] < 3.0).all()


@pytest.mark.parametrize("backend", BACKENDS)
def test_off_in_the_defaults_and_at_zero(backend: str):
    # the defaults keep the solver off (the postures switch it on: test_engine_us_commitments)
    assert parameter_table()["us.solve_ratio.indo_pacific"].value == 0.0
    off = _run(backend, **{"us.solve_ratio.indo_pacific": 0.0})
    path = _run(backend, **{"us.solve_ratio.indo_pacific": 0.0, "us.burden_ceiling": 0.5})
    np.testing.assert_array_equal(path.burden.values, off.burden.values)  # no ceiling at work
    assert not np.array_equal(off.burden.values, _run(backend).burden.values)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_solved_budget_rises_at_most_the_ramp_each_year(backend: str):
    rise = float(parameter_table()[RISE].value)
    solved = _run(backend, **{"us.solve_ratio.indo_pacific": 1.0})
    us = solved.burden.sel(country="USA").to_numpy().ravel().astype(float)
    up = np.diff(us)
    assert (up <= rise + 1e-7).all()  # float32 outputs
    np.testing.assert_allclose(up[:3], rise, atol=1e-7)  # far below the need: the ramp binds
    jumped = _run(backend, **{"us.solve_ratio.indo_pacific": 1.0}, **NO_RAMP)
    assert np.diff(jumped.burden.sel(country="USA").to_numpy().ravel())[0] > 10 * rise


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_faster_ramp_reaches_the_target_sooner(backend: str):
    r = {
        v: _run(backend, **{"us.solve_ratio.indo_pacific": 1.0, RISE: v})
        .balance.sel(theatre="indo_pacific").to_numpy().ravel()
        for v in (0.002, 0.01)
    }
    # the first year in which the target is met (the horizon's length if never)
    met = {v: [*np.flatnonzero(np.isclose(r[v], 1.0, rtol=1e-5)), r[v].size][0] for v in r}
    assert 1 < met[0.01] < met[0.002]
    assert (r[0.01] >= r[0.002] - 1e-6).all()


def test_the_ramp_is_uncertain_and_each_draw_keeps_its_own(baseline):
    from natofutures.engine.simulate import _param_normals, _sample

    spec = parameter_table()[RISE]
    assert spec.judgement and spec.distribution is not None
    assert spec.range == (0.002, 0.01)
    sc = nf.posture("division_of_labor")
    order = list(sc.uncertainties())
    assert RISE in order
    ds = simulate(sc, draws=40, seed=11, horizon=2035, baseline=baseline)
    # each draw's rise, as the engine samples it (Philox normals -> triangular)
    z = _param_normals(11, 0, 40, len(order))[:, order.index(RISE)]
    rise = _sample(spec.distribution, z)
    assert rise.min() >= 0.002 and rise.max() <= 0.01 and rise.max() > 2 * spec.value
    us = ds.burden.sel(country="USA").to_numpy().astype(float)
    up = np.diff(us, axis=1)
    # a faster rise only where the burden is the US path itself (its uncertain scale is a step
    # from t0 to the first year): the same draws with the solver off
    off = simulate(
        sc.with_overrides({"us.solve_ratio.indo_pacific": 0.0}), draws=40, seed=11,
        horizon=2035, baseline=baseline,
    )
    path = off.burden.sel(country="USA").to_numpy().astype(float)
    fast = up > rise[:, None] + 1e-7  # float32 outputs
    assert fast.mean() < 0.05
    np.testing.assert_array_equal(us[:, 1:][fast], path[:, 1:][fast])
    binds = np.isclose(up, rise[:, None], atol=1e-7, rtol=0)
    assert binds.any(axis=1).mean() > 0.5  # most draws ramp at their own pace in some year


@pytest.mark.parametrize("backend", BACKENDS)
def test_without_a_target_the_ramp_changes_nothing(backend: str, baseline):
    # us.max_burden_rise sorts last among the uncertain parameters, so adding it leaves every
    # other parameter's draws as they were: with the solver off, results are bit-identical
    off = nf.posture("division_of_labor").with_overrides({"us.solve_ratio.indo_pacific": 0.0})
    runs = [
        simulate(sc, draws=8, seed=3, horizon=2035, backend=backend, baseline=baseline)
        for sc in (off, off.with_overrides({RISE: 0.0}), off.with_overrides({RISE: 0.5}))
    ]
    assert list(off.uncertainties())[-1] == RISE
    for other in runs[1:]:
        for name in runs[0].data_vars:
            np.testing.assert_array_equal(runs[0][name].values, other[name].values)
