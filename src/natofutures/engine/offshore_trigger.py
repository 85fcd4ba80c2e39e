"""Offshore-balancing trigger (docs/methodology.md §11, essay model 4).

If ``R[europe]`` stays below the posture's ``threshold`` for ``trigger_years`` consecutive
years, the US re-engages: from the next year its re-engagement weight w rises by 1/lag per
year to 1, moving its Europe share, forward presence and guarantee back to today's levels
("the United States would plan to go back onshore in Europe only if the regional balance of
power eroded dramatically"). Once triggered, it stays triggered.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def step(
    counter: Array,
    triggered: NDArray[np.bool_],
    weight: Array,
    ratio_europe: Array,
    enabled: bool,
    threshold: float,
    trigger_years: float,
    lag: float,
) -> tuple[Array, NDArray[np.bool_], Array]:
    """Advance (consecutive-years counter, triggered flag, re-engagement weight) one year."""
    below = ratio_europe < threshold
    counter = np.where(below, counter + 1, 0)
    if enabled:
        weight = np.where(triggered, np.minimum(1.0, weight + 1.0 / max(lag, 1.0)), weight)
        triggered = triggered | (counter >= trigger_years)
    return counter, triggered, weight
