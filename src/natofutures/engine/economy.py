"""Economy: real GDP growth with random shocks (MODEL.md 3.1).

``Y[i,t+1] = Y[i,t]·(1 + g_i + σ_g·ε[i,t])``, ε standard normal per draw, country and year.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


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
    rate = np.maximum(growth + growth_sd * eps, -0.95)
    return gdp * (1.0 + rate)
