"""Projection loss: Boulding's loss-of-strength gradient (docs/methodology.md §5).

``P[i→θ] = a[i,θ]·P[i]·exp(−d_eff/D)``, ``d_eff = (1−f[i,θ])·dist(capital_i, θ)``, f the
forward-presence fraction (forces based in the theatre travel no ocean), D the decay scale.

References: Boulding, K. E. (1962), Conflict and Defense: A General Theory, ch. 12.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from natofutures.engine.equation import equation

Array = NDArray[np.float64]

#: scalar parameters the kernel takes per draw (see natofutures.engine.inputs)
PARAMETERS: tuple[str, ...] = ("projection.decay_km",)
EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lat1: Array, lon1: Array, lat2: Array, lon2: Array) -> Array:
    """Haversine distance in km between points given in degrees (broadcasting)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


@equation
def delivery_factor(distance_km: Array, forward_presence: Array, decay_km: float | Array) -> Array:
    """``exp(−(1−f)·dist/D)``: share of power that arrives in a theatre."""
    return np.exp(-(1.0 - forward_presence) * distance_km / decay_km)


def delivered_power(power: Array, shares: Array, factor: Array) -> Array:
    """Power delivered to each theatre, (draw, country, theatre) = a·P·factor."""
    return shares * power[..., None] * factor
