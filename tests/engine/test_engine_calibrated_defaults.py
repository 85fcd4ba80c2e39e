"""The burden-response defaults are the fitted values of calibration.yaml, drawn jointly."""

from __future__ import annotations

import numpy as np
import pytest

import natofutures as nf
from natofutures.engine.simulate import _correlate
from natofutures.parameters import load_yaml
from natofutures.scenario import correlations, parameter_table

FITTED = ("burden.threat_response", "burden.adjustment_speed", "burden.noise_sd")


@pytest.mark.parametrize("path", FITTED)
def test_fitted_defaults_equal_calibration_yaml(path: str) -> None:
    cal = load_yaml("calibration.yaml")["parameters"][path]
    spec = parameter_table()[path]
    assert spec.value == pytest.approx(cal["value"], rel=1e-6)
    if spec.distribution is not None:
        assert spec.distribution.mean == pytest.approx(cal["value"], rel=1e-6)  # type: ignore[union-attr]
        assert spec.distribution.sd == pytest.approx(cal["se"], rel=1e-6)  # type: ignore[union-attr]


def test_declared_correlation_is_the_fitted_one() -> None:
    cal = load_yaml("calibration.yaml")["covariance"]
    names = cal["names"]
    fitted_rho = cal["correlation"][0][1]
    (pair,) = [c for c in correlations() if {c.a, c.b} == set(names)]
    assert pair.rho == pytest.approx(fitted_rho, abs=1e-4)


def test_the_copula_gives_the_declared_correlation() -> None:
    sc = nf.posture("business_as_usual")
    unc = sc.uncertainties()
    order = list(unc)
    z = np.random.default_rng(0).standard_normal((20_000, len(order)))
    out = _correlate(z.copy(), unc, sc)
    a, b = order.index("burden.adjustment_speed"), order.index("burden.threat_response")
    assert np.corrcoef(out[:, a], out[:, b])[0, 1] == pytest.approx(-0.9551, abs=0.01)
    others = [k for k in range(len(order)) if k != b]
    np.testing.assert_array_equal(out[:, others], z[:, others])


def test_a_scenario_distribution_for_either_parameter_drops_the_pair() -> None:
    base = nf.posture("business_as_usual")
    sc = base.model_copy(update={"uncertainty": {
        "burden.threat_response": parameter_table()["burden.free_riding"].distribution}})
    unc = sc.uncertainties()
    z = np.random.default_rng(1).standard_normal((5000, len(unc)))
    np.testing.assert_array_equal(_correlate(z.copy(), unc, sc), z)
