"""Dated shocks of a scenario (docs/scenarios.md): compiled into per-year arrays.

Kinds: ``intentions`` (an adversary's intentions set to a value), ``spending`` (a country's
burden multiplied), ``gdp`` (a one-off GDP level change), ``us_withdrawal`` (US planned share
and forward presence in a theatre set to 0, for ``duration`` years or for good; a fired
offshore-balancing trigger still brings the US back), ``us_allocation`` (a dated lever: the
US share, and optionally its forward presence, in a theatre set from a year, replacing the
posture's path there), ``energy_cutoff`` (gas-import shares from Russia cut, costing GDP:
:func:`natofutures.engine.war_feedback.energy_gdp_factor`), ``war`` (a war starts in a
theatre in every draw; what a war leaves behind is in :mod:`natofutures.engine.war_feedback`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


@dataclass(frozen=True)
class ShockPlan:
    """Shocks as arrays over the simulated years (index 0 = t0)."""

    intentions: Array  # (year, adversary-slot) value or NaN (no override)
    spending_factor: Array  # (year, country)
    gdp_factor: Array  # (year, country) applied when moving from t to t+1 … at year index
    withdrawal: Array  # (year, theatre) bool
    us_share: Array  # (year, theatre) planned US share set by a dated lever, or NaN
    us_forward: Array  # (year, theatre) planned US forward presence set by a lever, or NaN
    energy_factor: Array  # (year,) multiplier on gas shares
    war: Array  # (year, theatre) bool


def compile_shocks(
    shocks: tuple[Any, ...],
    years: list[int],
    countries: list[str],
    intention_slots: list[str],
    theatres: list[str],
) -> ShockPlan:
    """Turn validated shock models into arrays (years before or after the run are ignored)."""
    ny, nc = len(years), len(countries)
    plan = ShockPlan(
        intentions=np.full((ny, len(intention_slots)), np.nan),
        spending_factor=np.ones((ny, nc)),
        gdp_factor=np.ones((ny, nc)),
        withdrawal=np.zeros((ny, len(theatres)), dtype=bool),
        us_share=np.full((ny, len(theatres)), np.nan),
        us_forward=np.full((ny, len(theatres)), np.nan),
        energy_factor=np.ones(ny),
        war=np.zeros((ny, len(theatres)), dtype=bool),
    )
    index = {y: k for k, y in enumerate(years)}
    for s in shocks:
        kind = s.kind
        year = int(s.year)
        if year not in index:
            continue
        k = index[year]
        duration = getattr(s, "duration", None)
        stop = ny if duration is None else min(ny, k + int(duration))
        if kind == "intentions":
            slot = intention_slots.index(s.adversary)
            plan.intentions[k:stop, slot] = float(s.value)
        elif kind == "spending":
            col = countries.index(s.country)
            plan.spending_factor[k:stop, col] *= float(s.factor)
        elif kind == "gdp":
            target = s.country
            cols = slice(None) if target == "ALL" else countries.index(target)
            plan.gdp_factor[k, cols] *= float(s.factor)
        elif kind == "us_withdrawal":
            plan.withdrawal[k:stop, theatres.index(s.theatre)] = True
        elif kind == "us_allocation":
            col = theatres.index(s.theatre)
            plan.us_share[k:stop, col] = float(s.value)
            if s.forward_presence is not None:
                plan.us_forward[k:stop, col] = float(s.forward_presence)
        elif kind == "energy_cutoff":
            plan.energy_factor[k] *= 1.0 - float(s.factor)
        elif kind == "war":
            plan.war[k, theatres.index(s.theatre)] = True
    return plan
