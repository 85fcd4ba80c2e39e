"""Economy: real GDP growth with random shocks (docs/methodology.md §1).

``Y[i,t+1] = Y[i,t]·(1 + g_i + σ_g·ε[i,t])``, ε standard normal per draw, country and year.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from natofutures.engine.equation import equation

Array = NDArray[np.float64]

#: floor of the annual growth rate (GDP stays positive)
MIN_GROWTH = -0.95


@equation
def growth_rate(growth: Any, growth_sd: Any, eps: Any) -> Any:
    """g_i + σ_g·ε (1/yr), before the floor :data:`MIN_GROWTH` (the callers')."""
    return growth + growth_sd * eps


def grow(gdp: Array, growth: Array, growth_sd: float | Array, eps: Array) -> Array:
    """Next year's GDP.

    Parameters
    ----------
    gdp : GDP in year t (billion constant-2015 US$), shape (draw, country).
    growth : medium-term real growth g_i (1/yr), shape (country,) or broadcastable.
    growth_sd : σ_g, standard deviation of annual growth shocks (1/yr).
    eps : standard-normal shocks, same shape as ``gdp``.

    Returns
    -------
    GDP in year t+1; growth below -95% is clipped so GDP stays positive.

    Source: IMF WEO October 2025 medium-term projections (``economy.growth.*``).
    """
    rate = np.maximum(growth_rate(growth, growth_sd, eps), MIN_GROWTH)
    return gdp * (1.0 + rate)
