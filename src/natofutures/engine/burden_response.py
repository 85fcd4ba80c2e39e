"""Burden response of European allies and Canada (docs/methodology.md §9).

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

from types import SimpleNamespace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from natofutures.engine.equation import equation

Array = NDArray[np.float64]

#: scalar parameters the kernel takes per draw (see natofutures.engine.inputs)
PARAMETERS: tuple[str, ...] = (
    "burden.threat_response",
    "burden.free_riding",
    "burden.adjustment_speed",
    "burden.pledge_compliance",
)


@equation
def free_riding(weight: Any, credibility: Any, us_share: Any) -> Any:
    """The free-riding term w_i·c[i]·u (u: the US share of NATO power in Europe as perceived)."""
    return weight * credibility * us_share


@equation
def anchor_draw(
    prm: Any, d: Any, burden0: Any, threat0: Any, weight: Any, credibility0: Any, share0: Any,
    pledge0: Any,
) -> Any:
    """b̄_i such that the target equals the observed burden at t0 (parameters of draw ``d``):
    ``b0 − β_T·T0 + β_F·w·c0·u0 − ρ·pledge0``."""
    return (
        burden0
        - prm.burden_threat_response[d] * threat0
        + prm.burden_free_riding[d] * weight * credibility0 * share0
        - prm.burden_pledge_compliance[d] * pledge0
    )


@equation
def target_draw(prm: Any, d: Any, anchor: Any, threat: Any, free: Any, pledge: Any) -> Any:
    """b* = b̄ + β_T·T − β_F·(w·c·u) + ρ·pledge (fraction of GDP), parameters of draw ``d``;
    ``free`` is :func:`free_riding`."""
    return (
        anchor
        + prm.burden_threat_response[d] * threat
        - prm.burden_free_riding[d] * free
        + prm.burden_pledge_compliance[d] * pledge
    )


@equation
def adjust_draw(prm: Any, d: Any, burden: Any, target: Any, noise_sd: Any, eps: Any) -> Any:
    """Partial adjustment b + λ(b* − b) + σ_b·ε with λ of draw ``d`` (before the clip to
    [floor, ceiling], which the callers apply)."""
    return burden + prm.burden_adjustment_speed[d] * (target - burden) + noise_sd * eps


def _given(beta_t: Any, beta_f: Any, rho: Any, lam: Any = 0.0) -> Any:
    """Explicit coefficients as the record the ``*_draw`` equations read (index ``...``); a
    declared parameter the caller does not give takes its default from ``defaults.yaml``."""
    from natofutures.scenario import parameter_table

    table = parameter_table()
    rec = {p.replace(".", "_"): table[p].value for p in PARAMETERS}
    rec.update(
        burden_threat_response=beta_t,
        burden_free_riding=beta_f,
        burden_pledge_compliance=rho,
        burden_adjustment_speed=lam,
    )
    return SimpleNamespace(**{k: np.asarray(v, dtype=float) for k, v in rec.items()})


def target_burden(
    anchor: Array,
    threat: Array,
    free_riding_term: Array,
    pledge: float,
    beta_t: Array,
    beta_f: Array,
    rho: Array,
) -> Array:
    """b* = b̄ + β_T·T − β_F·(w·c·u) + ρ·pledge (fraction of GDP): :func:`target_draw`."""
    prm = _given(beta_t, beta_f, rho)
    return np.asarray(target_draw(prm, ..., anchor, threat, free_riding_term, pledge))


def anchor(
    burden0: Array,
    threat0: Array,
    free_riding0: Array,
    pledge0: float,
    beta_t: Array,
    beta_f: Array,
    rho: Array,
) -> Array:
    """b̄_i such that the target equals the observed burden at t0 (:func:`anchor_draw` with
    the free-riding term given whole)."""
    prm = _given(beta_t, beta_f, rho)
    return np.asarray(anchor_draw(prm, ..., burden0, threat0, free_riding0, 1.0, 1.0, pledge0))


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
    moved = adjust_draw(_given(0.0, 0.0, 0.0, speed), ..., burden, target, noise_sd, eps)
    return np.clip(moved, floor, ceiling)


def size_weight(gdp: Array, size_effect: float) -> Array:
    """Olson–Zeckhauser free-riding weight 1 − size_effect·Y_i/max(Y) over the responders."""
    top = np.max(gdp, axis=-1, keepdims=True)
    return 1.0 - size_effect * gdp / top


def pledge_in_force(year: int, pledges: list[dict[str, float]]) -> float:
    """Core pledge level (fraction of GDP) in force in ``year`` (``parameters/pledges.yaml``).

    A pledge applies from the year it is ``agreed`` and supersedes the one before: from the
    level in force in its agreement year, the level phases linearly to its ``core`` by its
    ``due`` year, then stays. The first pledge (nothing in force before it) applies its core
    at once. 0 before the first pledge. Example (Wales 2% from 2014, The Hague 3.5% agreed 2025,
    due 2035): 2% in 2014-2025, 2.75% in 2030, 3.5% from 2035. A pledge agreed while the
    previous one is still phasing in starts from the level reached so far (not from the
    previous pledge's target).
    """
    level = 0.0
    start = due = 0.0
    base = core = 0.0
    active = False
    for p in sorted(pledges, key=lambda q: q["agreed"]):
        agreed = float(p["agreed"])
        if year < agreed:
            break
        # the level in force in this pledge's agreement year, under the pledges before it
        base = _phase(agreed, start, due, base, core) if active else float(p["core"])
        start, due, core, active = agreed, float(p["due"]), float(p["core"]), True
    if active:
        level = _phase(float(year), start, due, base, core)
    return level


def _phase(year: float, start: float, due: float, base: float, core: float) -> float:
    """Linear phase-in from ``base`` (at ``start``) to ``core`` (at ``due``), then ``core``."""
    frac = 1.0 if year >= due or due <= start else (year - start) / (due - start)
    return base + frac * (core - base)
