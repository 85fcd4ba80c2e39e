"""The compiled kernel (default backend) and the numpy reference loop give the same results."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

import natofutures as nf
from natofutures.engine.baseline import Baseline
from natofutures.engine.simulate import simulate


def _close(a: xr.Dataset, b: xr.Dataset) -> None:
    for v in a.data_vars:
        x, y = a[v].to_numpy(), b[v].to_numpy()
        if x.dtype == bool:
            assert np.array_equal(x, y), v
        else:
            np.testing.assert_allclose(x, y, rtol=2e-5, atol=1e-9, equal_nan=True, err_msg=v)


@pytest.mark.parametrize("name", ["business_as_usual", "division_of_labor"])
def test_kernel_matches_reference_deterministic(name: str, baseline: Baseline) -> None:
    _close(simulate(name, baseline=baseline), simulate(name, baseline=baseline, backend="numpy"))


def test_kernel_matches_reference_monte_carlo_with_shocks(baseline: Baseline) -> None:
    sc = nf.load_scenario("tests/engine/fixtures/good_baltic.yaml").with_shocks(
        [
            {"kind": "us_withdrawal", "year": 2031, "theatre": "europe"},
            {"kind": "spending", "year": 2027, "country": "RUS", "factor": 1.5},
            {"kind": "gdp", "year": 2028, "country": "DEU", "factor": 0.95},
        ]
    )
    a = simulate(sc, draws=40, seed=11, baseline=baseline)
    b = simulate(sc, draws=40, seed=11, baseline=baseline, backend="numpy")
    _close(a, b)


def test_threaded_chunks_equal_one_chunk(baseline: Baseline) -> None:
    kw = {"draws": 50, "seed": 5, "horizon": 2030, "baseline": baseline}
    a = simulate("democracy_international", chunk_size=7, **kw)  # type: ignore[arg-type]
    b = simulate("democracy_international", chunk_size=50, **kw)  # type: ignore[arg-type]
    for v in a.data_vars:
        assert np.array_equal(a[v].to_numpy(), b[v].to_numpy(), equal_nan=True), v
