"""Allocation of power to theatres (docs/methodology.md §4).

Shares ``a[i,θ]`` (sum ≤ 1 per country): European allies and Canada keep all but their
posture's Indo-Pacific and out-of-area shares in Europe; other countries have fixed shares
(``allocation.*`` in defaults.yaml); US shares move linearly from today's towards the
posture's targets over ``transition_years`` and, after an offshore-balancing trigger, back
towards today's (see :mod:`natofutures.engine.offshore_trigger`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from natofutures.engine.equation import equation

Array = NDArray[np.float64]


def transition_weight(years_since_t0: int, transition_years: float) -> float:
    """Fraction of the way from today's US shares to the posture's targets (0 at t0, 1 after)."""
    return float(min(1.0, max(0.0, years_since_t0 / max(transition_years, 1.0))))


@equation
def planned(initial: Any, target: Any, progress: Any) -> Any:
    """The planned value on the transition path: ``initial + progress·(target − initial)``."""
    return initial + progress * (target - initial)


@equation
def blend(planned_value: Any, reengage_to: Any, weight: Any) -> Any:
    """``(1 − w)·planned + w·reengage_to``: re-engagement weight w moves a plan back."""
    return (1.0 - weight) * planned_value + weight * reengage_to


def us_shares(
    initial: Array,
    target: Array,
    progress: float,
    reengaged: Array,
    reengage_to: Array,
    withdrawn: Array | None = None,
    set_to: Array | None = None,
) -> Array:
    """US theatre shares per draw.

    Parameters
    ----------
    initial, target : today's and the posture's shares, shape (theatre,).
    progress : :func:`transition_weight` for this year.
    reengaged : re-engagement weight w in [0,1] per draw, shape (draw,).
    reengage_to : the shares the US returns to when it re-engages, shape (theatre,).
    withdrawn : theatres the US has left by a shock (planned share 0), bool (theatre,);
        re-engagement still brings it back there.
    set_to : planned shares set by a dated lever (``us_allocation`` shock) or NaN, shape
        (theatre,); they replace the transition path (a withdrawal still wins).

    Returns
    -------
    Shares (draw, theatre): ``(1−w)·(initial + progress·(target−initial)) + w·reengage_to``.
    """
    plan = planned(initial, target, progress)
    if set_to is not None:
        plan = np.where(np.isnan(set_to), plan, set_to)
    if withdrawn is not None:
        plan = np.where(withdrawn, 0.0, plan)
    return np.asarray(blend(plan[None, :], reengage_to[None, :], reengaged[:, None]))


def european_shares(indo_pacific_share: float, out_of_area_share: float) -> Array:
    """Shares (europe, indo_pacific, out_of_area) of a European ally or Canada."""
    return np.array(
        [1.0 - indo_pacific_share - out_of_area_share, indo_pacific_share, out_of_area_share]
    )
