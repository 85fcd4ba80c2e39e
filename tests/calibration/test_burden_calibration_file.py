"""parameters/calibration.yaml and the burden.* defaults come from the fitted burden model."""

from __future__ import annotations

import math

import numpy as np
import pytest

from natofutures.analysis.burden import run

ENGINE_KEYS = {
    "burden.adjustment_speed",
    "burden.threat_response",
    "burden.free_riding",
    "burden.pledge_compliance",
    "burden.noise_sd",
}


@pytest.fixture(scope="module")
def doc():
    from natofutures.parameters import load_yaml

    return load_yaml("calibration.yaml")


def test_the_bundled_calibration_file_is_consistent(doc):
    from natofutures import data

    assert doc["produced_by"]["data_version"] == data.data_version()
    assert doc["produced_by"]["command"].startswith("natofutures calibrate burden")
    names = doc["covariance"]["names"]
    cov = np.array(doc["covariance"]["matrix"])
    np.testing.assert_allclose(cov, cov.T)
    assert np.all(np.linalg.eigvalsh(cov) > 0)
    for key in names:
        se = doc["coefficients"][key]["se"]
        assert se == pytest.approx(math.sqrt(cov[names.index(key), names.index(key)]), abs=1e-6)
    assert set(doc["parameters"]) == ENGINE_KEYS
    for v in doc["parameters"].values():
        assert v["p05"] <= v["median"] <= v["p95"]


def test_the_bundled_calibration_file_is_reproduced_by_the_current_code_and_data(doc):
    """Regenerate calibration.yaml (see its header) when this fails after a data change."""
    res = run.calibrate(doc["fit_window"]["from"], doc["fit_window"]["until"])
    for name, c in doc["coefficients"].items():
        assert c["value"] == pytest.approx(res.fit.value(name), abs=1e-6), name
    for key, v in doc["parameters"].items():
        assert v["value"] == pytest.approx(res.mapping["parameters"][key]["value"], abs=1e-6)


def test_the_engine_defaults_are_the_fitted_values(doc):
    from natofutures.scenario import parameter_table

    table = parameter_table()
    for key in ENGINE_KEYS:
        spec = table[key]
        assert spec.value == pytest.approx(doc["parameters"][key]["value"], abs=1e-6), key
        assert not spec.judgement, key
    lam = table["burden.adjustment_speed"].distribution
    assert lam.median == pytest.approx(doc["parameters"]["burden.adjustment_speed"]["median"])
