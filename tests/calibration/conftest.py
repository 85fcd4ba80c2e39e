"""Shared fixtures for the calibration tests."""

from __future__ import annotations

import numpy as np
import pytest

from natofutures.analysis import calibrate as cal
from natofutures.engine import burden_response

TRUE = {
    "threat_response": 0.03,
    "free_riding": 0.02,
    "adjustment_speed": 0.3,
    "pledge_compliance": 0.3,
}
NOISE = 0.001


def synthetic_burdens(seed: int = 7, coef: dict[str, float] | None = None) -> np.ndarray:
    """Burdens simulated by the engine's own equation on the historical drivers.

    Each ally starts from its first observed burden; the missing pattern of the real data is
    kept so that the design (ally-years) is the real one.
    """
    c = coef or TRUE
    h = cal.history()
    rng = np.random.default_rng(seed)
    anchors = rng.uniform(0.005, 0.025, len(h.iso3))
    out = np.full_like(h.burden, np.nan)
    for j in range(len(h.iso3)):
        obs = np.flatnonzero(np.isfinite(h.burden[:, j]))
        if len(obs) == 0:
            continue
        b = float(h.burden[obs[0], j])
        out[obs[0], j] = b
        for t in range(obs[0], len(h.years) - 1):
            target = burden_response.target_burden(
                anchors[j],
                h.threat[t, j],
                h.free_riding[t, j],
                float(h.pledge[t + 1]),
                c["threat_response"],
                c["free_riding"],
                c["pledge_compliance"],
            )
            b = float(
                burden_response.adjust(
                    np.asarray(b),
                    np.asarray(target),
                    np.asarray(c["adjustment_speed"]),
                    NOISE,
                    rng.standard_normal(),
                    0.0,
                    0.08,
                )
            )
            out[t + 1, j] = b
    out[~np.isfinite(h.burden)] = np.nan
    return out


@pytest.fixture(scope="session")
def synthetic() -> np.ndarray:
    return synthetic_burdens()


@pytest.fixture(scope="session")
def hindcast_run() -> cal.Calibration:
    return cal.calibrate(1990, 2013)
