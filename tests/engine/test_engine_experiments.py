"""``experiments``: one central-case run per parameter sample, all in one vectorised call."""

from __future__ import annotations

import numpy as np
import pytest

import natofutures as nf
from natofutures.engine.simulate import experiments
from natofutures.errors import InputError


def test_each_row_equals_the_deterministic_run_with_those_overrides() -> None:
    paths = ["hazard.h0.europe", "power.ppp_multiplier.RUS"]
    values = np.array([[0.01, 1.5], [0.04, 2.5]])
    ds = experiments("division_of_labor", paths, values, horizon=2035)
    assert ds.sizes["draw"] == 2
    for i, row in enumerate(values):
        one = nf.simulate(
            nf.posture("division_of_labor").with_overrides(dict(zip(paths, row, strict=True))),
            horizon=2035,
        )
        for name in ("balance", "cumulative_risk", "europe_burden"):
            np.testing.assert_allclose(
                ds[name].isel(draw=i).to_numpy(), one[name].isel(draw=0).to_numpy(), rtol=1e-5
            )


def test_monte_carlo_with_one_of_several_hazard_bases_fixed_runs() -> None:
    # One theatre's hazard base fixed by override, the others still uncertain: the per-draw
    # and fixed columns must broadcast together.
    sc = nf.posture("business_as_usual").with_overrides({"hazard.h0.europe": 0.02})
    ds = nf.simulate(sc, draws=20, seed=1, horizon=2030)
    assert np.isfinite(ds.hazard.to_numpy()).all()


def test_experiments_with_a_cluster_equal_the_local_call() -> None:
    values = np.linspace([0.01, 1.2], [0.05, 3.0], 9)
    paths = ["hazard.h0.europe", "power.ppp_multiplier.RUS"]
    local = experiments("business_as_usual", paths, values, horizon=2030)
    dist = experiments("business_as_usual", paths, values, horizon=2030, scheduler="local:2")
    for name in local.data_vars:
        assert local[name].to_numpy().tobytes() == dist[name].to_numpy().tobytes(), name


def test_a_values_array_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(InputError, match=r"^values: shape \(3,\)"):
        experiments("business_as_usual", ["hazard.h0.europe"], np.zeros(3))
