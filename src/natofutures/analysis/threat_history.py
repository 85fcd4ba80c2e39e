"""The engine's threat index on historical spending, for the fits on history.

Both calibrations (:mod:`natofutures.analysis.calibrate`, :mod:`natofutures.analysis.burden`)
drive the allies' burdens with the engine's threat index computed from real spending. This
module computes it once from the engine's own structure, parameter resolver and mechanism
functions (:mod:`capital_stock`, :mod:`power`, :mod:`threat_perception`), so a change to any
of them reaches both fits. Units: spending and power in billion constant-2015 US$.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from natofutures.engine import capital_stock, power, threat_perception
from natofutures.engine.baseline import Baseline
from natofutures.engine.structure import Params, Structure, threat_proximity

Array = NDArray[np.float64]


def spending(b: Baseline, years: NDArray[np.int64]) -> Array:
    """(country, year) spending: the baseline's history (≤ t0−1), then burden0·gdp0 at t0."""
    hist = pd.DataFrame(b.history, columns=b.history_years)
    hist[b.t0] = b.burden0 * b.gdp0
    return hist.reindex(columns=years).to_numpy(dtype=float)


def power_path(spend: Array, delta: float, share: float, ppp: float, omega: float) -> Array:
    """P_t = π(K_t + ωM_t) with K by perpetual inventory from K_first = s·M_first/δ."""
    k = np.empty_like(spend)
    k[0] = share * spend[0] / delta
    for t in range(1, len(spend)):
        k[t] = capital_stock.accumulate(k[t - 1], spend[t - 1], delta, np.asarray(share))
    return np.asarray(power.military_power(k, spend, np.asarray(ppp), omega), dtype=float)


def adversary_power(p: Params, st: Structure, spend: Array) -> Array:
    """(year, adversary) power of the threat adversaries from ``spend`` (country, year)."""
    advs = tuple(adversaries(st))
    shares_eq = p.per_country("capital.equipment_share", advs)[0]
    ppp = p.per_country("power.ppp_multiplier", advs)[0]
    delta = p.f("capital.depreciation")
    omega = p.f("power.current_weight")
    return np.column_stack(
        [
            power_path(spend[j], delta, float(shares_eq[a]), float(ppp[a]), omega)
            for a, j in enumerate(int(j) for j in st.threat_idx)
        ]
    )


def adversaries(st: Structure) -> list[str]:
    """The threat adversaries' ISO3 codes, in the structure's order."""
    from natofutures.scenario import threat_adversaries

    advs = list(threat_adversaries())
    if len(advs) != len(st.threat_idx):  # pragma: no cover - the structure is built from them
        raise ValueError("threat_adversaries changed after the structure was built")
    return advs


def threat(
    p: Params, st: Structure, powers: Array, intentions: Array
) -> threat_perception.ThreatComponents:
    """The engine's threat components for the responders, (year, responder, adversary).

    ``powers`` (year, adversary) from :func:`adversary_power`; ``intentions`` (year,
    adversary) in [0, 1]. Proximity is the engine's (:func:`threat_proximity`).
    """
    advs = tuple(adversaries(st))
    return threat_perception.components(
        powers,
        p.f("threat.reference_power"),
        p.f("threat.power_exponent"),
        threat_proximity(p, st)[st.responders],
        p.per_country("threat.offensive", advs)[0],
        intentions,
    )
