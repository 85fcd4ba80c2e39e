"""Energy dependence on the main adversary (docs/methodology.md §12; essay model 1).

Each European ally's share of gas imports from Russia starts from Eurostat data (scaled by
``energy.post_2022_factor`` when the last observation predates the 2022 cut) and falls at a
rate that rises as perceived US protection falls and threat rises (self-help):
``e[t+1] = e·(1 − r)``, ``r = clip(r0 + r_c·(1 − c) + r_T·T, 0, 1)``. An energy cut-off
shock multiplies e by (1 − factor). Essay: confidence in US protection makes it "easier to
ignore the risks of being overly dependent on foreign energy supplies".
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from natofutures.engine.equation import equation

Array = NDArray[np.float64]

#: the gas supplier whose share of imports is tracked (an adversary whose threat is perceived)
SUPPLIER = "RUS"


@equation
def decline(
    credibility: Any, threat: Any, base_rate: Any, credibility_rate: Any, threat_rate: Any
) -> Any:
    """r0 + r_c(1 − c) + r_T·T per year, before the clip to [0, 1] (the callers')."""
    return base_rate + credibility_rate * (1.0 - credibility) + threat_rate * threat


def decline_rate(
    credibility: Array, threat: Array, base_rate: float, credibility_rate: float, threat_rate: float
) -> Array:
    """r = clip(r0 + r_c(1 − c) + r_T·T, 0, 1) per year (:func:`decline`)."""
    return np.clip(decline(credibility, threat, base_rate, credibility_rate, threat_rate), 0.0, 1.0)


@equation
def update(share: Any, rate: Any) -> Any:
    """e·(1 − r); NaN (no data) stays NaN."""
    return share * (1.0 - rate)
