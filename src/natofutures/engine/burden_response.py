"""Burden response of European allies and Canada (MODEL.md 3.9) - PROVISIONAL coefficients.

Target burden ``b*[i] = b̄_i + β_T·T[i] − β_F·w_i·c[i]·u + ρ·pledge_t`` and partial
adjustment ``b[t+1] = b + λ·(b* − b) + σ_b·ε``, clipped to [floor, fiscal ceiling].

- T[i] total threat perceived (sum over adversaries); c[i] perceived credibility of US
  protection; u the US share of NATO power delivered to Europe *as perceived* (believed only
  to the extent ``resolve``; see docs/methodology.md); w_i = 1 − size_effect·Y_i/max Y the
  Olson–Zeckhauser weight (small allies free-ride more); pledge_t the core pledge in force
  (2% from 2014, phasing to 3.5% by 2035).
- b̄_i is anchored so that b*[i] = b[i,t0] at t0 (each ally's observed burden is its
  equilibrium under today's threat, credibility and pledge). β_T, β_F, λ, σ_b, ρ are
  PROVISIONAL defaults until issue #5 calibrates them on 1990–2024 history.

References: Olson, M. and Zeckhauser, R. (1966), An Economic Theory of Alliances, Review of
Economics and Statistics 48(3); Sandler, T. and Hartley, K. (2001), Economics of Alliances:
The Lessons for Collective Action, Journal of Economic Literature 39(3).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

#: scalar parameters the kernel takes per draw (see natofutures.engine.inputs)
PARAMETERS: tuple[str, ...] = (
    "burden.threat_response",
    "burden.free_riding",
    "burden.adjustment_speed",
    "burden.pledge_compliance",
)


def target_burden(
    anchor: Array,
    threat: Array,
    free_riding_term: Array,
    pledge: float,
    beta_t: Array,
    beta_f: Array,
    rho: Array,
) -> Array:
    """b* = b̄ + β_T·T − β_F·(w·c·u) + ρ·pledge (fraction of GDP)."""
    return anchor + beta_t * threat - beta_f * free_riding_term + rho * pledge


def anchor(
    burden0: Array,
    threat0: Array,
    free_riding0: Array,
    pledge0: float,
    beta_t: Array,
    beta_f: Array,
    rho: Array,
) -> Array:
    """b̄_i such that the target equals the observed burden at t0."""
    return burden0 - beta_t * threat0 + beta_f * free_riding0 - rho * pledge0


def adjust(
    burden: Array,
    target: Array,
    speed: Array,
    noise_sd: float,
    eps: Array,
    floor: float,
    ceiling: float,
) -> Array:
    """Partial adjustment b + λ(b* − b) + σ_b·ε, clipped to [floor, ceiling]."""
    return np.clip(burden + speed * (target - burden) + noise_sd * eps, floor, ceiling)


def size_weight(gdp: Array, size_effect: float) -> Array:
    """Olson–Zeckhauser free-riding weight 1 − size_effect·Y_i/max(Y) over the responders."""
    top = np.max(gdp, axis=-1, keepdims=True)
    return 1.0 - size_effect * gdp / top


def pledge_in_force(year: int, pledges: list[dict[str, float]]) -> float:
    """Core pledge level (fraction of GDP) in force in ``year``.

    Each pledge applies from ``agreed``; between ``agreed`` and ``due`` its level phases
    linearly from the previous pledge's level to its ``core``. 0 before the first pledge.
    """
    level = 0.0
    for p in sorted(pledges, key=lambda q: q["agreed"]):
        if year < p["agreed"]:
            break
        start, due = float(p["agreed"]), float(p["due"])
        frac = 1.0 if year >= due or due <= start else (year - start) / (due - start)
        prev = level
        level = prev + frac * (float(p["core"]) - prev) if prev else float(p["core"])
    return level
