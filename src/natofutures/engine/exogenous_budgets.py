"""Exogenous defence budgets of the US, Russia, China and non-responding countries.

See docs/methodology.md §13.

``b[i,t] = b[i,t0] · path_i(t) · scale_i``: a dated multiplier path (``budgets.path.*``,
linear interpolation, flat outside) times an uncertain per-draw scale (``budgets.scale.*``);
the US path is also multiplied by the posture's ``us.budget_multiplier``. Countries without
a path keep their t0 burden. Spending shocks multiply on top.

Optionally (lever ``us.solve_ratio.indo_pacific`` > 0) the US burden is *solved* each year
after t0 so that the Indo-Pacific balance meets that target (docs/methodology.md §13): the smallest
burden, no lower than the path's and no higher than ``us.burden_ceiling``, at which
``R[indo_pacific] = target`` given everyone else's power that year (:func:`solved_us_burden`).
The solved burden ramps: it rises at most ``us.max_burden_rise`` a year above the burden the
US reached the year before (:func:`ramped_burden`), as no peacetime budget jumps.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from natofutures.engine.equation import equation

Array = NDArray[np.float64]

#: per-draw parameters (``inputs.PerDraw``): the fastest the solved US burden may rise
PARAMETERS: tuple[str, ...] = ("us.max_burden_rise",)


def dated_value(path: dict[int, float], year: int | float) -> float:
    """Linear interpolation of a dated path, flat before its first and after its last year."""
    years = sorted(path)
    return float(np.interp(year, years, [path[y] for y in years]))


def dated_values(path: dict[int, float], years: Array | list[int]) -> Array:
    """:func:`dated_value` for many years at once."""
    keys = sorted(path)
    return np.interp(np.asarray(years, dtype=float), keys, [path[y] for y in keys])


@equation
def burden(burden0: Array, multiplier: Array, scale: Array) -> Array:
    """b[t] = b[t0]·path(t)·scale."""
    return burden0 * multiplier * scale


@equation
def required_burden(
    target: Any, adversary: Any, coalition_others: Any, per_unit: Any, capital: Any,
    omega: Any, gdp: Any,
) -> Any:
    """The burden b with ``(C + u·(K + ω·b·Y)) / A = target``: ``((target·A − C)/u − K)/(ω·Y)``
    for a US delivery per unit of power ``u = a·φ·π > 0`` (fraction of GDP)."""
    return ((target * adversary - coalition_others) / per_unit - capital) / (omega * gdp)


@equation
def ramped_burden(path: Any, ceiling: Any, reachable: Any, need: Any) -> Any:
    """The solved burden ``max(path, min(ceiling, reachable, need))`` (fraction of GDP).

    ``reachable = b[t−1] + us.max_burden_rise`` is the most the budget can grow to in a year;
    the result never falls below the path and never exceeds the ceiling. One formula for the
    numpy loop and the kernel (``np.minimum``/``np.maximum`` are the same on scalars).
    """
    return np.maximum(path, np.minimum(np.minimum(ceiling, reachable), need))


def solved_us_burden(
    target: float,
    adversary: Array,
    coalition_others: Array,
    share: Array,
    factor: Array,
    ppp: Array,
    capital: Array,
    omega: float,
    gdp: Array,
    path_burden: Array,
    ceiling: float,
    previous: Array,
    rise: Array,
) -> Array:
    """US burden meeting ``R[θ] = target`` in one theatre, per draw (fraction of GDP).

    With ``A`` the adversary's delivered power in θ, ``C`` the coalition's without the US, and
    the US delivering ``a·φ·π·(K + ω·b·Y)`` there (share a, projection factor φ, purchasing
    power π), ``(C + a·φ·π·(K + ω·b·Y)) / A = target`` gives
    ``b = ((target·A − C)/(a·φ·π) − K)/(ω·Y)``. The result is
    ``max(path, min(ceiling, previous + rise, b))`` (:func:`ramped_burden`): solving only ever
    raises the US effort, by at most ``rise`` a year above last year's ``previous`` burden and
    up to the ceiling; with no US share in θ the path is kept.
    """
    per_unit = share * factor * ppp
    safe = np.where(per_unit > 0, per_unit, 1.0)
    need = required_burden(target, adversary, coalition_others, safe, capital, omega, gdp)
    need = np.where(per_unit > 0, need, path_burden)
    return np.asarray(ramped_burden(path_burden, ceiling, previous + rise, need))
