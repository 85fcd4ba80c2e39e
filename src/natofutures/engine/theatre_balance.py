"""Theatre balance of delivered power (docs/methodology.md §6).

``R[θ] = Σ_coalition P[i→θ] / Σ_adversary P[j→θ]`` - Europe: NATO vs RUS + BLR;
Indo-Pacific: the US, JPN, KOR, AUS, TWN, PHL, NZL and any European contribution vs
CHN (+PRK); out of area: NATO + SAU + ARE vs IRN. An aligned great power adds
``alignment × support_share`` of its power to the adversary side (see threat docs).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def side_power(delivered: Array, membership: Array) -> Array:
    """Total delivered power of one side per theatre.

    ``delivered`` (draw, country, theatre); ``membership`` (country, theatre) of 0/1.
    """
    return np.einsum("dct,ct->dt", delivered, membership)


def balance_ratio(coalition: Array, adversary: Array) -> Array:
    """R = coalition / adversary; +inf where the adversary side has no power."""
    out = np.full(np.broadcast(coalition, adversary).shape, np.inf)
    np.divide(coalition, adversary, out=out, where=adversary > 0)
    return out
