"""Exogenous defence budgets of the US, Russia, China and non-responding countries (MODEL.md 3.13).

``b[i,t] = b[i,t0] · path_i(t) · scale_i``: a dated multiplier path (``budgets.path.*``,
linear interpolation, flat outside) times an uncertain per-draw scale (``budgets.scale.*``);
the US path is also multiplied by the posture's ``us.budget_multiplier``. Countries without
a path keep their t0 burden. Spending shocks multiply on top.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def dated_value(path: dict[int, float], year: int | float) -> float:
    """Linear interpolation of a dated path, flat before its first and after its last year."""
    years = sorted(path)
    return float(np.interp(year, years, [path[y] for y in years]))


def dated_values(path: dict[int, float], years: Array | list[int]) -> Array:
    """:func:`dated_value` for many years at once."""
    keys = sorted(path)
    return np.interp(np.asarray(years, dtype=float), keys, [path[y] for y in keys])


def burden(burden0: Array, multiplier: Array, scale: Array) -> Array:
    """b[t] = b[t0]·path(t)·scale."""
    return burden0 * multiplier * scale
