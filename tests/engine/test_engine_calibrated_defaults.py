"""The burden-response defaults are the burden model's mapped values (calibration.yaml, #14),
drawn jointly through a Gaussian copula."""

from __future__ import annotations

import math

import numpy as np
import pytest

import natofutures as nf
from natofutures.engine.simulate import _correlate
from natofutures.parameters import load_yaml
from natofutures.scenario import correlations, parameter_table

FITTED = (
    "burden.threat_response", "burden.free_riding", "burden.adjustment_speed",
    "burden.pledge_compliance", "burden.noise_sd",
)  # fmt: skip


@pytest.mark.parametrize("path", FITTED)
def test_fitted_defaults_equal_calibration_yaml(path: str) -> None:
    cal = load_yaml("calibration.yaml")["parameters"][path]
    spec = parameter_table()[path]
    assert spec.value == pytest.approx(cal["value"], rel=1e-5)
    assert not spec.judgement
    dist = spec.distribution
    if dist is not None:  # centred on the mapped draws' median, spread by their 5-95% range
        centre = getattr(dist, "median", None) or getattr(dist, "mean", None)
        assert centre == pytest.approx(cal["median"], rel=1e-5)


def test_declared_correlations_are_the_gaussian_equivalents_of_the_fitted_ranks() -> None:
    sp = load_yaml("calibration.yaml")["spearman"]
    names, mat = sp["names"], sp["matrix"]
    for j, b in enumerate(names[1:], start=1):
        (pair,) = [c for c in correlations() if {c.a, c.b} == {names[0], b}]
        assert pair.rho == pytest.approx(2 * math.sin(math.pi * mat[0][j] / 6), abs=1e-4)


def test_the_copula_gives_the_declared_correlation() -> None:
    sc = nf.posture("business_as_usual")
    unc = sc.uncertainties()
    order = list(unc)
    z = np.random.default_rng(0).standard_normal((20_000, len(order)))
    out = _correlate(z.copy(), unc, sc)
    a, b = order.index("burden.adjustment_speed"), order.index("burden.threat_response")
    (pair,) = [c for c in correlations() if {c.a, c.b} == {order[a], order[b]}]
    assert np.corrcoef(out[:, a], out[:, b])[0, 1] == pytest.approx(pair.rho, abs=0.02)
    burden = {k for k, p in enumerate(order) if p in FITTED}
    others = [k for k in range(len(order)) if k not in burden]
    np.testing.assert_array_equal(out[:, others], z[:, others])


def test_a_scenario_distribution_for_a_parameter_drops_its_pairs() -> None:
    base = nf.posture("business_as_usual")
    sc = base.model_copy(update={"uncertainty": {
        "burden.threat_response": parameter_table()["burden.free_riding"].distribution}})
    unc = sc.uncertainties()
    order = list(unc)
    z = np.random.default_rng(1).standard_normal((5000, len(unc)))
    out = _correlate(z.copy(), unc, sc)
    t = order.index("burden.threat_response")
    np.testing.assert_array_equal(out[:, t], z[:, t])  # no longer tied to λ
