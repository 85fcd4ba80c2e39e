"""Deterrence hazard, cumulative risk, war and its outcome (MODEL.md 3.7).

Annual probability that deterrence fails in theatre θ:
``h = h0·I_adv / (1 + (R/R*)^k)``, written as ``h0·I·A^k / (A^k + (C/R*)^k)`` with C and A
the two sides' delivered power so that an adversary with no power gives h = 0 exactly.
Cumulative risk ``1 − Π(1 − h)``. In Monte Carlo a war starts when a uniform draw is below
h; the coalition holds with probability ``1 / (1 + (R_hold/R)^k_hold)``, rising with R.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

#: scalar parameters the kernel takes per draw (see natofutures.engine.inputs)
PARAMETERS: tuple[str, ...] = ("hazard.steepness",)


def hazard(
    coalition: Array,
    adversary: Array,
    h0: Array,
    intentions: Array,
    ratio_half: float,
    steepness: Array,
) -> Array:
    """Annual deterrence-failure probability per theatre (1/yr), in [0, h0·I]."""
    a_k = adversary**steepness
    c_k = (coalition / ratio_half) ** steepness
    den = a_k + c_k
    out = np.zeros(np.broadcast(a_k, c_k, h0, intentions).shape)
    np.divide(h0 * intentions * a_k, den, out=out, where=den > 0)
    return out


def cumulative_risk(survival: Array, h: Array) -> tuple[Array, Array]:
    """Update the survival probability and return (new survival, cumulative risk 1 − S)."""
    s = survival * (1.0 - h)
    return s, 1.0 - s


def hold_probability(ratio: Array, ratio_half: float, steepness: float) -> Array:
    """Probability the coalition holds if attacked: 1/(1+(R_half/R)^k); 1 at R = inf, 0 at R = 0."""
    r = np.maximum(ratio, 1e-12)
    return 1.0 / (1.0 + (ratio_half / r) ** steepness)
