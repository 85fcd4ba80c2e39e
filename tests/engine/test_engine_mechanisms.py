"""Each mechanism of MODEL.md section 3 against hand-computed values (one small table each)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from natofutures.engine import (
    allocation,
    burden_response,
    capital_stock,
    credibility,
    deterrence_hazard,
    economy,
    energy_dependence,
    exogenous_budgets,
    offshore_trigger,
    power,
    projection_loss,
    theatre_balance,
    threat_perception,
)


@pytest.mark.parametrize(
    ("gdp", "g", "sd", "eps", "expected"),
    [
        (100.0, 0.02, 0.0, 0.0, 102.0),  # steady growth
        (100.0, 0.02, 0.01, 1.0, 103.0),  # one-sigma positive shock
        (100.0, 0.0, 0.5, -3.0, 5.0),  # collapse clipped at -95%
    ],
)
def test_economy_grows_gdp_by_rate_plus_shock(
    gdp: float, g: float, sd: float, eps: float, expected: float
) -> None:
    got = economy.grow(np.array([[gdp]]), np.array([g]), sd, np.array([[eps]]))
    assert got[0, 0] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("k", "m", "delta", "s", "expected"),
    [(100.0, 40.0, 0.1, 0.25, 100.0), (0.0, 10.0, 0.07, 0.5, 5.0), (50.0, 0.0, 0.2, 0.25, 40.0)],
)
def test_capital_stock_perpetual_inventory_step(
    k: float, m: float, delta: float, s: float, expected: float
) -> None:
    assert capital_stock.accumulate(np.array([k]), np.array([m]), delta, np.array([s]))[
        0
    ] == pytest.approx(expected)


def test_initial_capital_of_constant_spending_is_the_steady_state() -> None:
    hist = np.full((1, 30), 10.0)
    k0 = capital_stock.initial_stock(hist, np.array([0.05, 0.1]), np.array([0.25]))
    np.testing.assert_allclose(k0[:, 0], [50.0, 25.0])


def test_initial_capital_weights_recent_spending_more() -> None:
    # one year of history: K = (1-δ)·s·M0/δ + s·M0
    k0 = capital_stock.initial_stock(np.array([[20.0]]), np.array([0.1]), np.array([0.5]))
    assert k0[0, 0] == pytest.approx(0.9 * 0.5 * 20 / 0.1 + 0.5 * 20)


@pytest.mark.parametrize(
    ("k", "m", "pi", "omega", "expected"),
    [
        (100.0, 20.0, 1.0, 1.0, 120.0),
        (100.0, 20.0, 2.5, 1.0, 300.0),
        (100.0, 20.0, 1.0, 0.5, 110.0),
    ],
)
def test_power_is_ppp_times_capital_plus_weighted_spending(
    k: float, m: float, pi: float, omega: float, expected: float
) -> None:
    assert power.military_power(np.array([k]), np.array([m]), np.array([pi]), omega)[
        0
    ] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("years", "transition", "expected"), [(0, 10, 0.0), (5, 10, 0.5), (12, 10, 1.0), (1, 1, 1.0)]
)
def test_allocation_transition_is_linear(years: int, transition: float, expected: float) -> None:
    assert allocation.transition_weight(years, transition) == pytest.approx(expected)


def test_us_shares_move_to_target_and_back_when_reengaged() -> None:
    init, target = np.array([0.25, 0.40, 0.15]), np.array([0.05, 0.60, 0.10])
    sh = allocation.us_shares(init, target, 0.5, np.array([0.0, 1.0]), init)
    np.testing.assert_allclose(sh[0], [0.15, 0.50, 0.125])
    np.testing.assert_allclose(sh[1], init)
    np.testing.assert_allclose(allocation.european_shares(0.08, 0.02), [0.9, 0.08, 0.02])


@pytest.mark.parametrize(
    ("dist", "f", "decay", "expected"),
    [
        (6000.0, 0.0, 6000.0, math.exp(-1)),
        (6000.0, 0.5, 6000.0, math.exp(-0.5)),
        (6000.0, 1.0, 6000.0, 1.0),
        (0.0, 0.0, 1.0, 1.0),
    ],
)
def test_projection_loss_follows_boulding_gradient(
    dist: float, f: float, decay: float, expected: float
) -> None:
    assert projection_loss.delivery_factor(np.array(dist), np.array(f), decay) == pytest.approx(
        expected
    )


def test_great_circle_distances() -> None:
    # a quarter of the equator, and Berlin-Moscow (about 1,610 km)
    assert projection_loss.great_circle_km(
        np.array(0.0), np.array(0.0), np.array(0.0), np.array(90.0)
    ) == pytest.approx(10007.5, rel=1e-3)
    assert projection_loss.great_circle_km(
        np.array(52.52), np.array(13.40), np.array(55.75), np.array(37.62)
    ) == pytest.approx(1610, rel=0.01)


def test_delivered_power_multiplies_share_power_and_factor() -> None:
    got = projection_loss.delivered_power(
        np.array([[100.0]]), np.array([[[0.5, 0.25]]]), np.array([[[1.0, 0.5]]])
    )
    np.testing.assert_allclose(got, [[[50.0, 12.5]]])


def test_theatre_balance_sums_each_side() -> None:
    deliv = np.array([[[10.0, 1.0], [5.0, 2.0], [6.0, 4.0]]])  # 3 countries, 2 theatres
    coal = np.array([[1, 1], [1, 0], [0, 0]], dtype=float)
    adv = np.array([[0, 0], [0, 0], [1, 1]], dtype=float)
    c, a = theatre_balance.side_power(deliv, coal), theatre_balance.side_power(deliv, adv)
    np.testing.assert_allclose(c, [[15.0, 1.0]])
    np.testing.assert_allclose(theatre_balance.balance_ratio(c, a), [[2.5, 0.25]])
    assert theatre_balance.balance_ratio(np.array([1.0]), np.array([0.0]))[0] == np.inf


@pytest.mark.parametrize(
    ("coal", "adv", "h0", "intent", "r_half", "k", "expected"),
    [
        (10.0, 10.0, 0.1, 1.0, 1.0, 3.0, 0.05),  # parity at R* halves the hazard
        (20.0, 10.0, 0.1, 1.0, 1.0, 1.0, 0.1 / 3),  # R = 2, k = 1
        (10.0, 10.0, 0.1, 0.5, 1.0, 3.0, 0.025),  # half intentions halve the hazard
        (10.0, 0.0, 0.1, 1.0, 1.0, 3.0, 0.0),  # no adversary, no hazard
        (0.0, 10.0, 0.1, 1.0, 1.0, 3.0, 0.1),  # no coalition: the maximum
    ],
)
def test_deterrence_hazard(
    coal: float, adv: float, h0: float, intent: float, r_half: float, k: float, expected: float
) -> None:
    got = deterrence_hazard.hazard(
        np.array([coal]), np.array([adv]), np.array([h0]), np.array([intent]), r_half, np.array([k])
    )
    assert got[0] == pytest.approx(expected)


def test_cumulative_risk_and_hold_probability() -> None:
    s, cum = deterrence_hazard.cumulative_risk(np.array([1.0]), np.array([0.1]))
    s, cum = deterrence_hazard.cumulative_risk(s, np.array([0.1]))
    assert cum[0] == pytest.approx(0.19)
    hp = deterrence_hazard.hold_probability(np.array([0.8, 1.6, np.inf, 0.0]), 0.8, 2.0)
    np.testing.assert_allclose(hp, [0.5, 0.8, 1.0, 0.0], atol=1e-12)


def test_threat_components_multiply() -> None:
    prox = threat_perception.proximity(
        np.array([[1000.0, 2000.0]]),
        np.array([[1.0, 0.0]]),
        np.array([[0.0, 1.0]]),
        1000.0,
        1.0,
        0.5,
    )
    np.testing.assert_allclose(prox, [[2 * math.exp(-1), 1.5 * math.exp(-2)]])
    comps = threat_perception.components(
        np.array([[500.0, 2000.0]]), 1000.0, 1.0, prox, np.array([1.0, 0.5]), np.array([[0.8, 0.5]])
    )
    np.testing.assert_allclose(
        comps.total()[0, 0], [0.5 * 2 * math.exp(-1) * 0.8, 2.0 * 1.5 * math.exp(-2) * 0.5 * 0.5]
    )


@pytest.mark.parametrize(
    ("b", "target", "lam", "eps", "expected"),
    [
        (0.02, 0.03, 0.25, 0.0, 0.0225),
        (0.02, 0.01, 0.5, 0.0, 0.015),
        (0.079, 0.2, 1.0, 0.0, 0.08),
        (0.02, 0.02, 0.25, 2.0, 0.022),
    ],
)
def test_burden_partial_adjustment(
    b: float, target: float, lam: float, eps: float, expected: float
) -> None:
    got = burden_response.adjust(
        np.array([b]), np.array([target]), lam, 0.001, np.array([eps]), 0.0, 0.08
    )
    assert got[0] == pytest.approx(expected)


def test_burden_target_is_anchored_at_t0_and_responds_to_threat_and_protection() -> None:
    args = {"beta_t": 0.01, "beta_f": 0.05, "rho": 0.5}
    anchor = burden_response.anchor(
        np.array([0.02]), np.array([1.0]), np.array([0.3]), 0.02, **args
    )
    assert burden_response.target_burden(anchor, np.array([1.0]), np.array([0.3]), 0.02, **args)[
        0
    ] == pytest.approx(0.02)
    # more threat (+1), less protection (0.3 -> 0.1), a higher pledge (+1.5 points)
    got = burden_response.target_burden(anchor, np.array([2.0]), np.array([0.1]), 0.035, **args)[0]
    assert got == pytest.approx(0.02 + 0.01 + 0.05 * 0.2 + 0.5 * 0.015)
    np.testing.assert_allclose(
        burden_response.size_weight(np.array([10.0, 100.0]), 0.5), [0.95, 0.5]
    )


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2010, 0.0),
        (2014, 0.02),
        (2024, 0.02),
        (2025, 0.02),
        (2030, 0.0275),
        (2035, 0.035),
        (2045, 0.035),
    ],
)
def test_pledge_in_force(year: int, expected: float) -> None:
    pledges = [
        {"agreed": 2014, "due": 2024, "core": 0.02},
        {"agreed": 2025, "due": 2035, "core": 0.035},
    ]
    assert burden_response.pledge_in_force(year, pledges) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("resolve", "guarantee", "prior", "expected"),
    [(1.0, 0.3, 0.9, 0.3), (0.0, 0.3, 0.9, 0.9), (0.5, 0.3, 0.9, 0.6)],
)
def test_credibility_target_and_update(
    resolve: float, guarantee: float, prior: float, expected: float
) -> None:
    c_star = credibility.target(np.array(resolve), np.array(guarantee), prior)
    assert c_star == pytest.approx(expected)
    assert credibility.update(np.array(0.9), c_star, 0.5) == pytest.approx(
        0.9 + 0.5 * (expected - 0.9)
    )


def test_offshore_trigger_fires_after_consecutive_years_and_ramps() -> None:
    counter, trig, w = np.zeros(1), np.zeros(1, dtype=bool), np.zeros(1)
    ratios = [0.7, 0.9, 0.7, 0.7, 0.7, 0.7, 0.7]
    history = []
    for r in ratios:
        counter, trig, w = offshore_trigger.step(counter, trig, w, np.array([r]), True, 0.8, 2, 2)
        history.append((int(counter[0]), bool(trig[0]), float(w[0])))
    assert history == [
        (1, False, 0.0),
        (0, False, 0.0),
        (1, False, 0.0),
        (2, True, 0.0),
        (3, True, 0.5),
        (4, True, 1.0),
        (5, True, 1.0),
    ]
    _, trig_off, _ = offshore_trigger.step(
        np.array([5.0]), np.zeros(1, dtype=bool), np.zeros(1), np.array([0.1]), False, 0.8, 2, 2
    )
    assert not trig_off[0]


def test_energy_dependence_declines_faster_with_less_credibility_and_more_threat() -> None:
    r = energy_dependence.decline_rate(
        np.array([1.0, 0.5, 1.0]), np.array([0.0, 0.0, 1.0]), 0.02, 0.1, 0.05
    )
    np.testing.assert_allclose(r, [0.02, 0.07, 0.07])
    np.testing.assert_allclose(
        energy_dependence.update(np.array([0.5, np.nan]), np.array([0.1, 0.1])), [0.45, np.nan]
    )


def test_exogenous_budget_paths_interpolate_and_stay_flat_outside() -> None:
    path = {2024: 1.0, 2030: 0.7}
    assert [exogenous_budgets.dated_value(path, y) for y in (2020, 2027, 2040)] == pytest.approx(
        [1.0, 0.85, 0.7]
    )
    assert exogenous_budgets.burden(np.array(0.05), np.array(0.8), np.array(1.1)) == pytest.approx(
        0.044
    )
