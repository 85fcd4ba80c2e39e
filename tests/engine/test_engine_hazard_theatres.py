"""Per-theatre deterrence thresholds R* and steepness k (issue #15 item 2): each theatre has
its own ``hazard.ratio_half.<theatre>`` and ``hazard.steepness.<theatre>``, drawn in Monte Carlo,
listed in the sensitivity analysis; the old shared names point to the new ones."""

from __future__ import annotations

import numpy as np
import pytest

import natofutures as nf
from natofutures.analysis import sensitivity
from natofutures.engine import deterrence_hazard
from natofutures.engine.simulate import simulate
from natofutures.scenario import THEATRES, ScenarioError, parameter_table

PATHS = [f"hazard.{name}.{t}" for name in ("ratio_half", "steepness") for t in THEATRES]


@pytest.mark.parametrize("path", PATHS)
def test_each_theatre_has_its_own_documented_uncertain_parameter(path: str) -> None:
    spec = parameter_table()[path]
    assert spec.distribution is not None and spec.range is not None and spec.source
    # R* everywhere and k out of area are judgement; k in Europe and the Indo-Pacific is fitted
    # from war onsets (tests/hazard/test_history_cli.py checks it follows the fit)
    fitted = path in {"hazard.steepness.europe", "hazard.steepness.indo_pacific"}
    assert spec.judgement is not fitted
    if fitted:
        assert "calibrate hazard" in spec.source and "FITTED" in spec.source
    lo, hi = spec.range
    assert lo < float(spec.value) < hi


def test_the_sensitivity_analysis_varies_every_per_theatre_parameter() -> None:
    names = {u.name for u in sensitivity.engine_uncertainties()}
    assert set(PATHS) <= names
    assert not {"hazard.ratio_half", "hazard.steepness"} & names


@pytest.mark.parametrize("old", ["hazard.ratio_half", "hazard.steepness"])
def test_the_old_shared_name_is_an_error_naming_its_replacements(old: str) -> None:
    sc = nf.posture("business_as_usual")
    with pytest.raises(ScenarioError) as info:
        sc.with_overrides({old: 2.0})
    msg = str(info.value)
    assert "\n" not in msg and f"overrides.{old}" in msg
    for t in THEATRES:
        assert f"'{old}.{t}'" in msg


def test_the_hazard_uses_each_theatres_own_threshold_and_steepness() -> None:
    # C = 2, A = 1 in both theatres; R* 1 vs 2 and k 2 vs 1: x = 2 and 1, h = h0/5 and h0/2
    h = deterrence_hazard.hazard(
        np.array([[2.0, 2.0]]), np.array([[1.0, 1.0]]), np.array([[0.1, 0.1]]),
        np.array([[1.0, 1.0]]), np.array([[1.0, 2.0]]), np.array([[2.0, 1.0]]),
    )  # fmt: skip
    np.testing.assert_allclose(h, [[0.1 / 5.0, 0.1 / 2.0]])


@pytest.mark.parametrize("backend", ["numba", "numpy"])
@pytest.mark.parametrize("name", ["ratio_half", "steepness"])
def test_changing_one_theatre_moves_only_that_theatres_hazard(backend: str, name: str) -> None:
    base = simulate("division_of_labor", draws=0, horizon=2030, backend=backend)
    over = nf.posture("division_of_labor").with_overrides({f"hazard.{name}.indo_pacific": 2.2})
    hit = simulate(over, draws=0, horizon=2030, backend=backend)
    ip, eu = "indo_pacific", "europe"
    assert not np.array_equal(hit.hazard.sel(theatre=ip).values, base.hazard.sel(theatre=ip).values)
    # the first year's European hazard is untouched (a later one may answer an Asian war)
    assert float(hit.hazard.sel(theatre=eu).isel(year=0).values[0]) == float(
        base.hazard.sel(theatre=eu).isel(year=0).values[0]
    )


def test_the_thresholds_are_drawn_in_monte_carlo_unless_fixed() -> None:
    sc = nf.posture("business_as_usual")
    drawn = sc.uncertainties()
    assert {p: drawn[p] for p in PATHS} == {p: parameter_table()[p].distribution for p in PATHS}
    fixed = sc.with_overrides({"hazard.ratio_half.europe": 2.0}).uncertainties()
    assert "hazard.ratio_half.europe" not in fixed and "hazard.ratio_half.indo_pacific" in fixed


def test_numba_and_numpy_agree_bit_for_bit_with_drawn_per_theatre_parameters() -> None:
    a = simulate("global_vs_china", draws=8, seed=11, horizon=2030, backend="numba")
    b = simulate("global_vs_china", draws=8, seed=11, horizon=2030, backend="numpy")
    np.testing.assert_array_equal(a.hazard.values, b.hazard.values)
    np.testing.assert_array_equal(a.cumulative_risk.values, b.cumulative_risk.values)
