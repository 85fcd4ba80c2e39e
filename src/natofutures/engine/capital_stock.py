"""Military capital stock by perpetual inventory (docs/methodology.md §2).

``K[i,t+1] = (1−δ)·K[i,t] + s_i·M[i,t]``; the initial stock ``K[i,t0]`` is built from the
country's real SIPRI spending history (``burden × GDP``, 1990–t0−1), with the stock in the
first year set to its steady state ``s·M/δ`` (the standard PIM initialisation).

References: OECD (2009), Measuring Capital, ch. 5 (perpetual inventory method).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from natofutures.engine.equation import equation

Array = NDArray[np.float64]

#: scalar parameters the kernel takes per draw (see natofutures.engine.inputs)
PARAMETERS: tuple[str, ...] = ("capital.depreciation",)


@equation
def accumulate(
    capital: Array, spending: Array, depreciation: float | Array, equipment_share: Array
) -> Array:
    """Next year's capital stock ``(1−δ)K + s·M`` (billion constant-2015 US$).

    ``depreciation`` δ (1/yr) broadcasts over draws (shape (draw, 1)) or is a scalar;
    ``equipment_share`` s (fraction of spending) over countries.
    """
    return (1.0 - depreciation) * capital + equipment_share * spending


def initial_stock(history: Array, depreciation: Array, equipment_share: Array) -> Array:
    """Capital stock at t0 from a spending history, vectorised over draws.

    Parameters
    ----------
    history : spending M[i,τ] for τ = first … t0−1, shape (country, H), no NaN
        (billion constant-2015 US$).
    depreciation : δ per draw, shape (draw,).
    equipment_share : s_i, shape (country,).

    Returns
    -------
    K[i,t0], shape (draw, country). With H years of history,
    ``K = (1−δ)^H · s·M[first]/δ + Σ_τ (1−δ)^(t0−1−τ) · s·M[τ]``.

    Example: constant spending M = 10, s = 0.25, δ = 0.05 gives the steady state 50 for
    any H.
    """
    delta = np.asarray(depreciation, dtype=float).reshape(-1, 1)
    n_hist = history.shape[1]
    ages = np.arange(n_hist - 1, -1, -1, dtype=float)  # age of each year's investment at t0
    weights = (1.0 - delta) ** ages  # (draw, H)
    invested = weights @ history.T  # (draw, country)
    initial = (1.0 - delta) ** n_hist * history[:, 0] / delta
    return equipment_share * (invested + initial)
