"""Threat perception by balance of threat (docs/methodology.md §8).

For country i and potential threat j:
``T[i,j] = (P[j]/P_ref)^wP · exp(−dist(i,j)/D_T)·(1 + border bonus) · O[j] · I[j,t]``, the
product of Walt's four sources of threat - aggregate power, proximity, offensive capability
and aggressive intentions. A shared land border adds ``land_border_bonus`` to proximity's
multiplier, a shared sea border ``sea_border_bonus`` (the larger of the two applies).

This is the mechanism behind the essay's point (model 3) that Europe balances against nearby
Russia more than against far stronger China: "Russia is far weaker than China but a whole lot
closer". The model produces it from capitals' coordinates, borders and spending data.

References: Walt, S. M. (1987), The Origins of Alliances, Cornell UP, ch. 2.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from natofutures.engine.equation import equation

Array = NDArray[np.float64]
COMPONENTS: tuple[str, ...] = ("power", "proximity", "offensive", "intentions")


@equation
def power_term(power: Any, reference: Any, exponent: Any) -> Any:
    """(P_j / P_ref)^w of an adversary's power P_j ≥ 0 (callers floor P at 0)."""
    return (power / reference) ** exponent


@equation
def severity(power: Any, offensive: Any, intentions: Any) -> Any:
    """power × offensive × intentions: an adversary's threat before proximity (multiplied in
    this order, then by each country's proximity)."""
    return power * offensive * intentions


class ThreatComponents(NamedTuple):
    """The four multiplicative components of T[i,j], broadcastable to (…, country, adversary)."""

    power: Array
    proximity: Array
    offensive: Array
    intentions: Array

    def total(self) -> Array:
        """T = power × offensive × intentions × proximity (:func:`severity` × proximity)."""
        return np.asarray(severity(self.power, self.offensive, self.intentions) * self.proximity)


def proximity(
    distance_km: Array,
    land_border: Array,
    sea_border: Array,
    decay_km: float | Array,
    land_bonus: float,
    sea_bonus: float,
) -> Array:
    """``exp(−dist/D_T)·(1 + max(land_bonus·land, sea_bonus·sea))`` for (country, adversary)."""
    bonus = np.maximum(land_bonus * land_border, sea_bonus * sea_border)
    return np.exp(-distance_km / decay_km) * (1.0 + bonus)


def components(
    adversary_power: Array,
    reference_power: float,
    exponent: float,
    prox: Array,
    offensive: Array,
    intentions: Array,
) -> ThreatComponents:
    """The four components.

    Parameters
    ----------
    adversary_power : P[j] (draw, adversary).
    prox : :func:`proximity` (country, adversary) or (draw, country, adversary).
    offensive : O[j] (adversary,) or (draw, adversary).
    intentions : I[j,t] (draw, adversary) in [0, 1].
    """
    pw = power_term(np.maximum(adversary_power, 0.0), reference_power, exponent)
    return ThreatComponents(
        power=pw[:, None, :],
        proximity=prox if prox.ndim == 3 else prox[None, :, :],
        offensive=np.asarray(offensive, dtype=float).reshape(-1, 1, pw.shape[-1]),
        intentions=intentions[:, None, :],
    )
