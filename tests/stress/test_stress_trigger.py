"""The offshore-balancing trigger and re-engagement lag, seen through stress runs.

The trigger (MODEL.md 3.11): if R[europe] stays below ``offshore.threshold`` for
``offshore.trigger_years`` consecutive years the US re-engages; the engine records
``reengaged`` from the following year, and the re-engagement weight then rises by 1/lag a
year, moving the US Europe share back to today's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from natofutures.analysis.stress import stress
from natofutures.parameters import PACKAGE_DIR
from natofutures.scenario import parameter_table


def expected_reengaged(balance: np.ndarray, threshold: float, years: int) -> np.ndarray:
    """Oracle: reengaged[d, k] is True iff R < threshold for `years` consecutive years ending
    at some year j < k (draw d)."""
    below = balance < threshold
    n, ny = below.shape
    out = np.zeros_like(below)
    run = np.zeros(n, dtype=int)
    fired = np.zeros(n, dtype=bool)
    for k in range(ny):
        out[:, k] = fired
        run = np.where(below[:, k], run + 1, 0)
        fired = fired | (run >= years)
    return out


def scenario_file(tmp_path: Path, posture: str, overrides: dict[str, float]) -> Path:
    data = yaml.safe_load((PACKAGE_DIR / "scenarios" / "russia_reconstitutes.yaml").read_text())
    data.update({"name": "trigger_check", "posture": posture, "overrides": overrides})
    path = tmp_path / "trigger_check.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def run(tmp_path: Path, threshold: float, years: int, draws: int = 0):
    path = scenario_file(
        tmp_path,
        "division_of_labor",
        {"offshore.threshold": threshold, "offshore.trigger_years": years},
    )
    res = stress(path, postures=["division_of_labor"], draws=draws, seed=5)
    return res, res.datasets["division_of_labor"]


@pytest.mark.parametrize(
    ("threshold", "years"),
    [(0.8, 2), (2.6, 1), (2.6, 2), (2.6, 4), (2.8, 2), (2.8, 3), (3.5, 1), (3.5, 2)],
)
def test_trigger_fires_exactly_when_the_balance_stays_below_the_threshold(
    tmp_path: Path, threshold: float, years: int
) -> None:
    res, ds = run(tmp_path, threshold, years, draws=16)
    bal = ds.balance.sel(theatre="europe").to_numpy().astype(float)
    # keep the check away from float32 rounding at the threshold
    assert np.min(np.abs(bal - threshold)) > 1e-5
    want = expected_reengaged(bal, threshold, years)
    got = ds.reengaged.to_numpy().astype(bool)
    np.testing.assert_array_equal(got, want)
    assert res.summary.loc[0, "reengaged_share"] == pytest.approx(want.any(axis=1).mean())


def test_default_threshold_never_fires_while_europe_outweighs_russia(tmp_path: Path) -> None:
    res, ds = run(tmp_path, 0.8, 2, draws=0)
    assert float(ds.balance.sel(theatre="europe").min()) > 0.8
    assert not bool(ds.reengaged.any())
    assert res.summary.loc[0, "reengaged_share"] == 0.0
    assert res.summary.loc[0, "reengaged_year_median"] is None


def test_postures_without_a_trigger_never_reengage(tmp_path: Path) -> None:
    path = scenario_file(tmp_path, "business_as_usual", {"offshore.threshold": 5.0})
    res = stress(path, postures=["business_as_usual"], draws=0)
    assert not bool(res.datasets["business_as_usual"].reengaged.any())
    assert not res.summary.loc[0, "offshore_enabled"]


@pytest.mark.parametrize("lag", [1, 3, 5])
def test_reengagement_lag_is_respected(tmp_path: Path, lag: int) -> None:
    path = scenario_file(
        tmp_path,
        "division_of_labor",
        {"offshore.threshold": 3.5, "offshore.trigger_years": 2, "offshore.lag": lag},
    )
    res = stress(path, postures=["division_of_labor"], draws=0)
    ds = res.datasets["division_of_labor"]
    years = [int(y) for y in ds.year.values]
    reeng = ds.reengaged.isel(draw=0).to_numpy().astype(bool)
    assert reeng.any()
    first = years[int(np.argmax(reeng))]
    assert res.summary.loc[0, "reengaged_year_median"] == first
    today = parameter_table()["allocation.us_initial.europe"].value
    share = ds.us_allocation.sel(theatre="europe").isel(draw=0)
    # weight rises 1/lag a year from the year after the trigger is recorded
    for j in range(lag):
        if first + j <= years[-1]:
            assert float(share.sel(year=first + j)) < today - 1e-6
    if first + lag <= years[-1]:
        assert float(share.sel(year=first + lag)) == pytest.approx(today, abs=1e-6)
