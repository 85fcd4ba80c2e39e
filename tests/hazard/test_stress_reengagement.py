"""The offshore-balancing trigger is exercised: Russia rearms and the US leaves Europe."""

from __future__ import annotations

import numpy as np
import pytest

from natofutures.analysis.stress import load_stress_scenario, stress

POSTURES = ["business_as_usual", "division_of_labor"]


@pytest.fixture(scope="module")
def result():
    return stress("russia_rearms_us_exit", postures=POSTURES, draws=120, seed=0)


def test_the_scenario_is_a_documented_built_in() -> None:
    info = load_stress_scenario("russia_rearms_us_exit")
    assert info.start_year == 2026
    assert "adverse end of their documented ranges" in info.description


def test_under_division_of_labour_the_balance_falls_below_the_trigger_and_the_us_returns(
    result,
) -> None:
    s = result.summary.set_index("posture")
    dol = s.loc["division_of_labor"]
    assert dol["offshore_enabled"]
    assert dol["europe_balance_low_p05"] < dol["offshore_threshold"] == 0.8
    assert 0.0 < dol["reengaged_share"] < 1.0  # it fires in some draws, not all
    assert 2027 <= dol["reengaged_year_median"] <= 2036
    # business as usual has no trigger: the US stays gone whatever the balance
    assert not s.loc["business_as_usual", "offshore_enabled"]
    assert s.loc["business_as_usual", "reengaged_share"] == 0.0


def test_re_engagement_brings_us_power_back_to_europe_at_the_indo_pacifics_cost(result) -> None:
    ds = result.datasets["division_of_labor"]
    # re-engaged by 2035, the year compared (a draw may first fire later in the horizon)
    fired = ds.reengaged.sel(year=slice(None, 2035)).to_numpy().astype(bool).any(axis=1)
    assert fired.any() and (~fired).any()
    us = ds.delivered.sel(country="USA")
    europe = us.sel(theatre="europe", year=2035).to_numpy()
    pacific = us.sel(theatre="indo_pacific", year=2035).to_numpy()
    assert np.all(europe[~fired] == 0.0)  # the exit holds where the trigger did not fire
    assert np.median(europe[fired]) > 100.0  # billion constant-2015 US$ (power units)
    assert np.median(pacific[fired]) < np.median(pacific[~fired])
    share = ds.us_allocation.sel(theatre="europe", year=2035).to_numpy()
    assert np.all(share[fired] > 0.0) and np.all(share[~fired] == 0.0)
