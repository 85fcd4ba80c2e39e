"""Hypothesis properties of the mechanisms and of simulate()."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from natofutures.engine import (
    allocation,
    burden_response,
    capital_stock,
    deterrence_hazard,
    threat_perception,
)
from natofutures.engine.baseline import Baseline
from natofutures.engine.simulate import simulate

unit = st.floats(0.0, 1.0, allow_nan=False)
positive = st.floats(0.0, 1e4, allow_nan=False)


@given(
    init=st.lists(st.floats(0, 1 / 3), min_size=3, max_size=3),
    target=st.lists(st.floats(0, 1 / 3), min_size=3, max_size=3),
    progress=unit,
    w=st.lists(unit, min_size=1, max_size=5),
)
def test_us_shares_stay_within_unit_interval_and_sum_at_most_one(
    init: list[float], target: list[float], progress: float, w: list[float]
) -> None:
    sh = allocation.us_shares(
        np.array(init), np.array(target), progress, np.array(w), np.array(init)
    )
    assert ((sh >= -1e-12) & (sh <= 1 + 1e-12)).all()
    assert (sh.sum(axis=1) <= 1 + 1e-9).all()


@given(k=positive, m=positive, delta=st.floats(0.01, 0.3), s=unit)
def test_capital_never_negative(k: float, m: float, delta: float, s: float) -> None:
    assert capital_stock.accumulate(np.array([k]), np.array([m]), delta, np.array([s]))[0] >= 0


@given(
    adv=st.floats(0.01, 1e4),
    coal_lo=st.floats(0.0, 1e4),
    extra=st.floats(0.0, 1e4),
    h0=unit,
    intent=unit,
    k=st.floats(0.5, 8.0),
)
def test_a_higher_balance_ratio_never_raises_the_hazard(
    adv: float, coal_lo: float, extra: float, h0: float, intent: float, k: float
) -> None:
    args = (np.array([h0]), np.array([intent]), 1.5, np.array([k]))
    low = deterrence_hazard.hazard(np.array([coal_lo]), np.array([adv]), *args)
    high = deterrence_hazard.hazard(np.array([coal_lo + extra]), np.array([adv]), *args)
    assert high[0] <= low[0] + 1e-15
    assert 0.0 <= high[0] <= h0 * intent + 1e-15


@given(
    power_adv=st.floats(0.0, 1e4),
    dist=st.floats(0.0, 2e4),
    i_lo=unit,
    bump=unit,
    border=st.booleans(),
)
def test_higher_intentions_never_lower_threat(
    power_adv: float, dist: float, i_lo: float, bump: float, border: bool
) -> None:
    prox = threat_perception.proximity(
        np.array([[dist]]), np.array([[float(border)]]), np.array([[0.0]]), 2000.0, 1.0, 0.5
    )
    lo = threat_perception.components(
        np.array([[power_adv]]), 1000.0, 1.0, prox, np.array([1.0]), np.array([[i_lo]])
    ).total()
    hi = threat_perception.components(
        np.array([[power_adv]]),
        1000.0,
        1.0,
        prox,
        np.array([1.0]),
        np.array([[min(1.0, i_lo + bump)]]),
    ).total()
    assert hi[0, 0, 0] >= lo[0, 0, 0]


@given(b=st.floats(0, 0.08), target=st.floats(-1, 1), lam=unit, eps=st.floats(-5, 5))
def test_burden_stays_within_floor_and_ceiling(
    b: float, target: float, lam: float, eps: float
) -> None:
    got = burden_response.adjust(
        np.array([b]), np.array([target]), lam, 0.001, np.array([eps]), 0.0, 0.08
    )
    assert 0.0 <= got[0] <= 0.08


@settings(max_examples=6, deadline=None)
@given(draws=st.integers(1, 24), chunk=st.integers(2, 30), seed=st.integers(0, 2**32))
def test_chunked_equals_unchunked(draws: int, chunk: int, seed: int, baseline: Baseline) -> None:
    a = simulate("division_of_labor", draws=draws, seed=seed, horizon=2030, baseline=baseline)
    b = simulate(
        "division_of_labor",
        draws=draws,
        seed=seed,
        horizon=2030,
        baseline=baseline,
        chunk_size=chunk,
    )
    for v in a.data_vars:
        assert np.array_equal(a[v].to_numpy(), b[v].to_numpy(), equal_nan=True), v


@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_simulation_never_produces_negative_stocks_or_shares_outside_unit(
    seed: int, baseline: Baseline
) -> None:
    ds = simulate("global_vs_china", draws=8, seed=seed, horizon=2040, baseline=baseline)
    for v in ("capital", "spending", "gdp", "power"):
        assert (ds[v] >= 0).all()
    for v in (
        "burden",
        "us_allocation",
        "hazard",
        "cumulative_risk",
        "alignment",
        "us_share_europe",
    ):
        assert ((ds[v] >= 0) & (ds[v] <= 1)).all(), v
    cred = ds.credibility.to_numpy()
    assert ((cred[~np.isnan(cred)] >= 0) & (cred[~np.isnan(cred)] <= 1)).all()
