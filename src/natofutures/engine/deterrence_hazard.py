"""Deterrence hazard, cumulative risk, war and its outcome (docs/methodology.md §7).

Annual probability that deterrence fails in theatre θ:
``h = h0·I_adv / (1 + (R/R*)^k)``, written as ``h0·I·A^k / (A^k + (C/R*)^k)`` with C and A
the two sides' delivered power so that an adversary with no power gives h = 0 exactly.
Cumulative risk ``1 − Π(1 − h)``. In Monte Carlo a war starts when a uniform draw is below
h; the coalition holds with probability ``1 / (1 + (R_hold/R)^k_hold)``, rising with R.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from natofutures.engine.equation import equation

Array = NDArray[np.float64]

#: scalar parameters the kernel takes per draw (see natofutures.engine.inputs): none - the
#: hazard's parameters are per theatre, so they travel as (draw, theatre) arrays in
#: ``KernelInputs`` (``hazard_h0``, ``hazard_ratio_half``, ``hazard_steepness``) like h0
PARAMETERS: tuple[str, ...] = ()

#: per-theatre parameter families (``hazard.<name>.<theatre>`` in defaults.yaml)
PER_THEATRE: tuple[str, ...] = ("h0", "ratio_half", "steepness")


@equation
def hazard_draw(
    coalition: Any, adversary: Any, h0: Any, intentions: Any, ratio_half: Any, steepness: Any
) -> Any:
    """h = h0·I / (1 + (C/(R*·A))^k) for an adversary with power A > 0, with the theatre's own
    R* (``hazard.ratio_half.<theatre>``) and k (``hazard.steepness.<theatre>``); one power, not
    two. Where A = 0 the hazard is 0 (the callers' branch)."""
    x = coalition / (ratio_half * adversary)
    return h0 * intentions / (1.0 + x**steepness)


def hazard(
    coalition: Array,
    adversary: Array,
    h0: Array,
    intentions: Array,
    ratio_half: Array | float,
    steepness: Array | float,
) -> Array:
    """Annual deterrence-failure probability per theatre (1/yr), in [0, h0·I] (:func:`hazard_draw`;
    0 where the adversary has no power)."""
    has = np.asarray(adversary) > 0
    h = hazard_draw(coalition, np.where(has, adversary, 1.0), h0, intentions, ratio_half, steepness)
    return np.where(has, h, 0.0)


@equation
def survive(survival: Any, h: Any) -> Any:
    """Probability that deterrence has held so far, after a year of hazard h: S·(1 − h)."""
    return survival * (1.0 - h)


def cumulative_risk(survival: Array, h: Array) -> tuple[Array, Array]:
    """Update the survival probability and return (new survival, cumulative risk 1 − S)."""
    s = survive(survival, h)
    return s, 1.0 - s


@equation
def hold(ratio: Any, ratio_half: Any, steepness: Any) -> Any:
    """1/(1 + (R_half/R)^k) for a balance R > 0 (callers floor R at :data:`MIN_RATIO`)."""
    return 1.0 / (1.0 + (ratio_half / ratio) ** steepness)


#: floor of the balance in :func:`hold` (an adversary-only theatre: probability ~0, not NaN)
MIN_RATIO = 1e-12


def hold_probability(ratio: Array, ratio_half: float, steepness: float) -> Array:
    """Probability the coalition holds if attacked: 1/(1+(R_half/R)^k); 1 at R = inf, 0 at R = 0."""
    return np.asarray(hold(np.maximum(ratio, MIN_RATIO), ratio_half, steepness))
