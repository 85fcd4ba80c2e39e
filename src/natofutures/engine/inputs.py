"""The kernel's inputs: a scenario resolved once into named, typed records.

:func:`natofutures.engine.simulate.simulate` resolves a scenario, its sampled parameters and
the baseline into one :class:`KernelInputs` record, which the compiled kernel
(:mod:`natofutures.engine._kernel`) reads by name. Fields are named after the parameter paths
of ``parameters/defaults.yaml`` with dots as underscores (``burden.free_riding`` is
``burden_free_riding``); the record is built with keywords, so a missing, extra or shifted
input is an error, never a silently wrong number (numba compiles NamedTuples to structs: the
names cost nothing at run time).

Per-draw parameters are declared by the mechanism that uses them: each mechanism module lists
the paths of its scalar parameters in ``PARAMETERS``; :data:`PER_DRAW_PATHS` collects them and
:data:`PerDraw` is the record of their values, one float64 array of shape (draw,) per path,
whether the scenario samples the parameter or fixes it. The kernel passes the record to the
mechanism's compiled equations, which read their own fields: a new uncertain parameter of a
mechanism needs its YAML entry, its path in the module's ``PARAMETERS`` and its use in the
module's equation - no change here or in the kernel (see ``docs/architecture.md``).

Theatres are addressed by the named indices :data:`EUROPE`, :data:`INDO_PACIFIC` and
:data:`OUT_OF_AREA` (positions in :data:`natofutures.scenario.THEATRES`).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from types import ModuleType
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from natofutures.engine import (
    burden_response,
    capital_stock,
    credibility,
    deterrence_hazard,
    exogenous_budgets,
    projection_loss,
)
from natofutures.scenario import THEATRES

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: theatre indices (the ``theatre`` dim of every output)
EUROPE: int = THEATRES.index("europe")
INDO_PACIFIC: int = THEATRES.index("indo_pacific")
OUT_OF_AREA: int = THEATRES.index("out_of_area")

#: mechanisms whose scalar parameters the kernel takes per draw (each lists ``PARAMETERS``)
MECHANISMS: tuple[ModuleType, ...] = (
    capital_stock,
    projection_loss,
    deterrence_hazard,
    burden_response,
    credibility,
    exogenous_budgets,
)


def field_name(path: str) -> str:
    """The record field of a parameter path: ``burden.free_riding`` -> ``burden_free_riding``."""
    return path.replace(".", "_")


def _per_draw_paths(mechanisms: tuple[ModuleType, ...]) -> tuple[str, ...]:
    paths: list[str] = []
    for m in mechanisms:
        for path in m.PARAMETERS:
            if path in paths:
                raise ValueError(f"{m.__name__}.PARAMETERS: {path!r} is declared twice")
            paths.append(path)
    return tuple(paths)


#: paths of the per-draw parameters, in the order of :data:`MECHANISMS`
PER_DRAW_PATHS: tuple[str, ...] = _per_draw_paths(MECHANISMS)

#: per-draw parameter values: one float64 (draw,) array per path of :data:`PER_DRAW_PATHS`
PerDraw = namedtuple("PerDraw", [field_name(p) for p in PER_DRAW_PATHS])  # type: ignore[misc]


def per_draw(get: Callable[[str], float | Array], n: int) -> tuple[Array, ...]:
    """The :data:`PerDraw` record of ``n`` draws; ``get(path)`` gives a float or a (draw,) array."""
    cols = {
        field_name(p): np.broadcast_to(np.asarray(get(p), dtype=float).reshape(-1), (n,)).copy()
        for p in PER_DRAW_PATHS
    }
    return PerDraw(**cols)


class KernelInputs(NamedTuple):
    """Everything the kernel reads besides the run's draw range, seed and outputs.

    Shapes: n draws, ny years, nc countries, nt theatres, na adversaries whose threat is
    perceived, ns intention slots. Money in billion constant-2015 US$, burdens as fractions of
    GDP, distances in km.
    """

    per_draw: tuple[Array, ...]  # PerDraw: the mechanisms' declared parameters, (n,) each
    # --- baseline and structure
    gdp0: Array  # (nc,) GDP at t0
    burden0: Array  # (nc,) burden at t0
    capital0: Array  # (n, nc) capital stock at t0 (perpetual inventory of the history)
    energy0: Array  # (nc,) gas-import share from Russia at t0
    us: int  # country index of the United States
    responder_position: IntArray  # (nc,) row among the burden responders, -1 if not one
    is_responder: BoolArray  # (nc,) European allies and Canada (endogenous burden)
    is_european_ally: BoolArray  # (nc,)
    is_nato: BoolArray  # (nc,)
    is_exogenous: BoolArray  # (nc,) burden follows a dated path
    no_credibility: BoolArray  # (nc,) non-allies and the US (credibility recorded as NaN)
    theatre_distance_km: Array  # (nc, nt) capital to theatre
    coalition_member: Array  # (nc, nt) 0/1
    adversary_member: Array  # (nc, nt) 0/1
    supporter: IntArray  # (nt,) country index of the aligned great power, -1 if none
    principal_slot: IntArray  # (nt,) intention slot of the theatre's principal adversary
    threat_country: IntArray  # (na,) country index of each adversary
    threat_slot: IntArray  # (na,) intention slot of each adversary
    energy_adversary: int  # adversary index of the gas supplier (RUS) in threat
    us_in_coalition: BoolArray  # (nt,) theatres where the US fights in the coalition
    allocation_shares: Array  # (nc, nt) fixed theatre shares (the US row unused)
    burden_size_weight: Array  # (nc,) Olson-Zeckhauser weight w_i (0 for non-responders)
    transition_progress: Array  # (ny,) allocation.transition_weight per year
    pledge: Array  # (ny,) core pledge in force (burden_response.pledge_in_force)
    # --- per-draw arrays of per-country or per-theatre parameters
    economy_growth: Array  # (n, nc) 1/yr
    capital_equipment_share: Array  # (n, nc)
    power_ppp_multiplier: Array  # (n, nc)
    budgets_scale: Array  # (n, nc)
    hazard_h0: Array  # (n, nt) 1/yr
    hazard_ratio_half: Array  # (n, nt) R* per theatre (hazard.ratio_half.<theatre>)
    hazard_steepness: Array  # (n, nt) k per theatre (hazard.steepness.<theatre>)
    threat_proximity: Array  # (n, nc, na)
    threat_offensive: Array  # (n, na)
    intentions_scale: Array  # (n, ns)
    alignment: Array  # (n, ny) Russia-China alignment per year
    reaction_coef: Array  # (n, nra, 8) adversary_reaction: anchored intercept and slopes
    # --- fixed parameters (never uncertain) and levers
    economy_growth_sd: float
    power_current_weight: float
    allocation_us_initial: Array  # (nt,)
    us_allocation: Array  # (nt,)
    allocation_us_initial_forward_presence: Array  # (nt,)
    us_forward_presence: Array  # (nt,)
    alignment_support_share: float
    intentions: Array  # (ny, ns) dated intention paths
    hazard_hold_ratio_half: float
    hazard_hold_steepness: float
    threat_reference_power: float
    threat_power_exponent: float
    burden_noise_sd: float
    burden_floor: float
    burden_ceiling: float
    credibility_prior: float
    us_guarantee: float
    us_resolve: float
    offshore_enabled: bool
    offshore_threshold: float
    offshore_trigger_years: float
    offshore_lag: float
    energy_base_rate: float
    energy_credibility_rate: float
    energy_threat_rate: float
    energy_gdp_loss_per_share: float
    budgets_path_multiplier: Array  # (ny, nc) dated burden path / its t0 value
    war_loss_winner: float
    war_loss_loser: float
    war_us_surge: float
    war_surge_years: float
    war_intentions_after: float
    war_memory_years: float
    war_rebuild_years: float
    us_solve_ratio_indo_pacific: float
    us_burden_ceiling: float
    reaction_enabled: bool  # adversary_reaction: budgets of reaction_country react
    reaction_country: IntArray  # (nra,) country index of each reacting adversary
    # --- shocks (engine/shocks.py), per year
    shock_withdrawal: np.ndarray  # (ny, nt) bool
    shock_intentions: Array  # (ny, ns) NaN or the value set
    shock_war: np.ndarray  # (ny, nt) bool
    shock_energy_factor: Array  # (ny,)
    shock_spending_factor: Array  # (ny, nc)
    shock_gdp_factor: Array  # (ny, nc)
    shock_us_share: Array  # (ny, nt) NaN or the share set
    shock_us_forward: Array  # (ny, nt) NaN or the fraction set
