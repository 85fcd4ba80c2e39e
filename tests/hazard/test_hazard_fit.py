"""The deterrence hazard fitted to history: data preparation, estimator, evaluation, mapping."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from natofutures.analysis import hazard_fit as hf
from natofutures.errors import InputError


def _dyads(rows: list[tuple[int, int, int]]) -> pd.DataFrame:
    """Dyad-years of one pair (1, 2): (year, onset12, ongoing)."""
    return pd.DataFrame(
        {
            "ccode1": 1,
            "ccode2": 2,
            "year": [r[0] for r in rows],
            "contiguity": 1,
            "rival": 0,
            "distance_km": 600.0,
            "defence_pact": np.nan,
            "onset12": [r[1] for r in rows],
            "onset21": 0,
            "ongoing": [r[2] for r in rows],
        }
    )


def test_peace_years_count_the_years_since_the_last_dispute_year() -> None:
    d = _dyads([(1900, 0, 0), (1901, 0, 0), (1902, 2, 0), (1903, 0, 1), (1904, 0, 0), (1905, 0, 0)])
    assert list(hf.peace_years(d)) == [0, 1, 2, 0, 0, 1]


def test_directed_rows_discount_the_challengers_power_by_distance() -> None:
    d = _dyads([(1900, 3, 0), (1901, 0, 1), (1902, 0, 0)])
    caps = pd.DataFrame({"ccode": [1, 1, 1, 2, 2, 2], "year": [1900, 1901, 1902] * 2,
                         "cinc": [0.02] * 3 + [0.01] * 3})  # fmt: skip
    f = hf.directed_dyad_years(d, caps, decay_km=6000.0)
    assert len(f) == 4  # two directions, the ongoing year dropped
    one_on_two = f[(f["challenger"] == 1) & (f["year"] == 1900)].iloc[0]
    assert one_on_two["severity"] == 3
    assert one_on_two["ln_ratio"] == pytest.approx(math.log(0.5))
    assert one_on_two["ln_ratio_delivered"] == pytest.approx(math.log(0.5) + 0.1)
    assert one_on_two["land"] == 1.0 and one_on_two["sea"] == 0.0
    two_on_one = f[(f["challenger"] == 2) & (f["year"] == 1900)].iloc[0]
    assert two_on_one["severity"] == 0


@pytest.mark.parametrize("bad", [0.0, -5.0, float("nan")])
def test_a_bad_decay_scale_is_refused_naming_the_field(bad: float) -> None:
    with pytest.raises(InputError, match=r"^decay-km: .*not allowed.*expected a positive"):
        hf.check_decay(bad)


def test_auc_and_brier_known_answers() -> None:
    y = np.array([0, 0, 1, 1])
    assert hf.auc(y, np.array([0.1, 0.2, 0.3, 0.4])) == 1.0
    assert hf.auc(y, np.array([0.4, 0.3, 0.2, 0.1])) == 0.0
    assert hf.auc(y, np.full(4, 0.5)) == 0.5
    assert math.isnan(hf.auc(np.zeros(3), np.ones(3)))
    assert hf.brier(y, np.full(4, 0.5)) == pytest.approx(0.25)


def _synthetic(beta: float, n_dyads: int = 400, years: int = 120, seed: int = 3) -> pd.DataFrame:
    """Directed dyad-years whose onsets follow a known logit in the delivered balance."""
    rng = np.random.default_rng(seed)
    n = n_dyads * years
    ln_r = rng.normal(0.0, 1.5, n)
    rival = (rng.random(n) < 0.3).astype(float)
    contiguity = rng.integers(0, 3, n)
    eta = -4.0 + beta * ln_r + 1.5 * rival
    y = rng.random(n) < 1 / (1 + np.exp(-eta))
    return pd.DataFrame(
        {
            "year": np.tile(np.arange(1816, 1816 + years), n_dyads),
            "dyad": np.repeat(np.arange(n_dyads), years),
            "ln_ratio_delivered": ln_r,
            "land": (contiguity == 1).astype(float),
            "sea": (contiguity == 2).astype(float),
            "rival": rival,
            "peace_years": rng.integers(0, 150, n),
            "severity": np.where(y, 3, 0),
        }
    )


def test_the_estimator_recovers_a_known_slope_and_rivalry_effect() -> None:
    frame = _synthetic(beta=-0.6)
    fit = hf.fit_model(frame, "war", last=1935)
    c = fit.coefficients()
    assert c["ln_ratio_delivered"]["ci90"][0] < -0.6 < c["ln_ratio_delivered"]["ci90"][1]
    assert c["ln_ratio_delivered"]["value"] == pytest.approx(-0.6, abs=0.08)
    assert c["rival"]["value"] == pytest.approx(1.5, abs=0.15)
    with pytest.raises(InputError, match=r"^window: 1936-1935 has no dyad-years"):
        hf.evaluate(fit, frame, 1936, 1935)


def test_out_of_sample_a_true_model_beats_the_base_rate() -> None:
    frame = _synthetic(beta=-0.8, seed=4)
    fit = hf.fit_model(frame, "war", last=1900)
    ev = hf.evaluate(fit, frame, 1901, 1935)
    assert ev["brier"] < ev["brier_base_rate"]
    assert ev["auc"] > 0.6
    y = (frame[(frame["year"] >= 1901) & (frame["year"] <= 1935)]["severity"] >= 3).to_numpy()
    assert ev["brier_base_rate"] == pytest.approx(
        hf.brier(y, np.full(len(y), fit.n_events / fit.n_obs))
    )


def test_too_few_onsets_and_unknown_outcomes_are_refused() -> None:
    frame = _synthetic(beta=-0.5).assign(severity=0)
    with pytest.raises(InputError, match=r"^window: .*fewer than 5 war onsets"):
        hf.fit_model(frame, "war")
    with pytest.raises(InputError, match=r"^outcome: 'battle' is not allowed"):
        hf.fit_model(frame, "battle")


@pytest.mark.parametrize(("ratio", "slope"), [(3.2, 0.2), (0.8, 0.2), (1.6, 1.4)])
def test_the_mapped_steepness_reproduces_the_fitted_elasticity(ratio: float, slope: float) -> None:
    k = float(hf.slope_matched_k(np.array([slope]), ratio, 1.5)[0])
    q = (ratio / 1.5) ** k
    assert k * q / (1 + q) == pytest.approx(slope, rel=2e-3)


def test_no_steepness_can_match_an_elasticity_the_curve_cannot_reach() -> None:
    # below R*, k·q/(1+q) peaks at a finite value: an elasticity of 5 is out of reach at R = 0.5
    assert math.isnan(float(hf.slope_matched_k(np.array([5.0]), 0.5, 1.5)[0]))


def test_r_star_reproduces_the_target_hazard_and_refuses_the_impossible() -> None:
    r = hf.engine_r_star(np.array([0.01, 0.2]), 3.0, 0.08, 1.0, np.array([2.0, 2.0]))
    assert 0.08 / (1 + (3.0 / r[0]) ** 2.0) == pytest.approx(0.01)
    assert math.isnan(r[1])  # above the ceiling h0·I


def test_the_engine_mapping_reproduces_the_fitted_present_day_hazard() -> None:
    frame = _synthetic(beta=-0.4, seed=5)
    fit = hf.fit_model(frame, "war", last=1935)
    row = {"ln_ratio_delivered": 0.9, "land": 1.0, "sea": 0.0, "rival": 1.0, "peace_years": 3}
    engine = {"ratio": 3.2, "intentions": 0.9, "hazard": 0.007}
    prior = {"h0": 0.08, "ratio_half": 1.5, "steepness": 3.0}
    m = hf.map_theatre("europe", fit, row, engine, prior, hf.simulate_params(fit, 200))
    h_engine = m.h0 * 0.9 / (1 + (3.2 / m.ratio_half) ** m.steepness)
    assert h_engine == pytest.approx(m.anchor["fitted_hazard_2024"], rel=1e-3)
    assert m.judgement == {"h0": False, "ratio_half": True, "steepness": False}
    lo, hi = m.intervals["steepness"]
    assert lo < m.steepness < hi
    none = hf.map_theatre("out_of_area", fit, None, engine, prior, hf.simulate_params(fit, 10))
    assert all(none.judgement.values()) and none.steepness == 3.0


def test_the_same_inputs_and_seed_give_identical_mappings() -> None:
    frame = _synthetic(beta=-0.4, seed=6)
    fit = hf.fit_model(frame, "war", last=1935)
    row = {"ln_ratio_delivered": 0.5, "land": 0.0, "sea": 1.0, "rival": 1.0, "peace_years": 0}
    engine = {"ratio": 0.8, "intentions": 0.65, "hazard": 0.02}
    prior = {"h0": 0.04, "ratio_half": 1.5, "steepness": 3.0}
    a = hf.map_theatre("indo_pacific", fit, row, engine, prior, hf.simulate_params(fit, 300))
    b = hf.map_theatre("indo_pacific", fit, row, engine, prior, hf.simulate_params(fit, 300))
    assert hf._clean(a.as_dict()) == hf._clean(b.as_dict())  # NaN -> None, as in the JSON
    other = hf.map_theatre("indo_pacific", fit, row, engine, prior, hf.simulate_params(fit, 300, 1))
    assert other.intervals != a.intervals  # the seed matters, so equality above is not vacuous
