"""Military power from capital and current spending (docs/methodology.md §3).

``P[i,t] = π_i·(K[i,t] + ω·M[i,t])``; π_i is the military purchasing-power multiplier (1 for
market-exchange-rate allies, > 1 and uncertain for RUS and CHN).

References: Robertson, P. E. (2022), The Real Military Balance, Review of Income and Wealth
68(3), doi:10.1111/roiw.12536.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from natofutures.engine.equation import equation

Array = NDArray[np.float64]


@equation
def military_power(
    capital: Array, spending: Array, ppp_multiplier: Array, current_weight: float
) -> Array:
    """Power P = π(K + ωM), in billion constant-2015 US$ of capital-equivalent.

    ``capital`` and ``spending`` are (draw, country); ``ppp_multiplier`` broadcasts
    ((draw, country) or (country,)); ``current_weight`` is ω.
    """
    return ppp_multiplier * (capital + current_weight * spending)
