"""Campaign module: how fast a short, sharp land war in a theatre reaches its objectives.

Forces are brigade equivalents with combat-power scores in ABCT equivalents (one US armoured
brigade combat team = 1.0). The defender's brigades arrive on a reinforcement schedule (hours
from D-day: forward-based, rapid reaction, from across the Atlantic) that each posture sets
through its levers. Every hour the front moves at a rate given by the effective force ratio,
and both sides lose combat power by Lanchester's square law:

    r    = A_eff / D_eff                 A_eff = A·fires,  D_eff = D·posture·terrain·air&fires
    v(r) = v_max · rⁿ / (rⁿ + r½ⁿ)      km/day (a Hill curve in the force ratio)
    dA_eff/dt = −k·D_eff,  dD_eff/dt = −k·A_eff

The advance-rate relation keeps Dupuy's defensive posture factors (hasty 1.3, prepared 1.5)
and his finding that attacks at effective parity barely move; ``r½`` encodes the 3:1 rule
(about half the unopposed rate once the effective ratio passes 2.5), ``v_max`` the
exploitation rate of mechanised forces against negligible resistance. Adding defending
brigades never shortens the time to an objective: a larger defender is at least as large at
every hour and the attacker at most as large, so the ratio and the advance are never higher.

References
----------
Dupuy, T. N. (1979) Numbers, Predictions and War; (1987) Understanding War.
Helmbold, R. L. (1961) Historical Data and Lanchester's Theory of Combat, CORG-SP-128;
(1990) Rates of Advance in Historical Land Combat Operations, CAA-RP-90-1.
Kaufmann, W. W. (1983) The Arithmetic of Force Planning. Mearsheimer, J. J. (1989) The 3:1
Rule and Its Critics, International Security 13(4). Biddle, S. (2004) Military Power.
Shlapak, D. A. and Johnson, M. W. (2016) Reinforcing Deterrence on NATO's Eastern Flank,
RAND RR-1253-A (the validation case, docs/validation.md).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from natofutures.engine.projection_loss import great_circle_km
from natofutures.errors import not_allowed
from natofutures.parameters import load_yaml

__all__ = [
    "CampaignResult",
    "Force",
    "RelationParams",
    "advance_rate",
    "campaign",
    "campaign_cases",
    "run_campaign",
]

US_GROUPS = ("us_forward", "us_rapid", "us_transatlantic")
EUROPE_GROUPS = ("europe_forward", "europe_rapid", "europe_follow_on")


@lru_cache(maxsize=1)
def _config() -> dict[str, Any]:
    data = load_yaml("campaign.yaml")
    assert isinstance(data, dict)
    return data


# --------------------------------------------------------------------------- building blocks
@dataclass(frozen=True)
class RelationParams:
    """Parameters of the force-ratio → advance-rate relation and of attrition (campaign.yaml)."""

    v_max_km_per_day: float = 150.0
    ratio_half: float = 2.5
    steepness: float = 4.0
    attrition_per_day: float = 0.04
    rapid_defeat_days: float = 14.0
    horizon_days: float = 60.0
    step_hours: float = 1.0

    @classmethod
    def from_config(cls, overrides: Mapping[str, float] | None = None) -> RelationParams:
        """The bundled values, with optional overrides (validated: positive finite numbers)."""
        rel = _config()["relation"]
        values = {k: float(v["value"]) for k, v in rel.items()}
        for key, val in (overrides or {}).items():
            if key not in values:
                raise not_allowed(f"parameters.{key}", key, f"one of {', '.join(sorted(values))}")
            if isinstance(val, bool) or not isinstance(val, int | float) or not math.isfinite(val):
                raise not_allowed(f"parameters.{key}", val, "a positive finite number")
            if val <= 0:
                raise not_allowed(f"parameters.{key}", val, "a positive finite number")
            values[key] = float(val)
        return cls(**values)


@dataclass(frozen=True)
class Force:
    """One brigade-equivalent group: ``count`` brigades of one type arriving at one hour."""

    name: str
    side: str  # "attacker" or "defender"
    type: str
    count: float
    score: float  # ABCT equivalents per brigade
    arrival_hours: float = 0.0
    group: str = ""
    source: str = ""
    judgement: bool = False

    @property
    def power(self) -> float:
        """Combat power in ABCT equivalents."""
        return self.count * self.score


def advance_rate(
    ratio: float, v_max: float = 150.0, ratio_half: float = 2.5, steepness: float = 4.0
) -> float:
    """Attacker's advance rate (km/day) at an effective force ratio.

    ``v_max · rⁿ / (rⁿ + r½ⁿ)``; 0 for ``r = 0`` and ``v_max`` for an undefended front
    (``r = inf``). Known answers: ``advance_rate(2.5) == 75`` (half the unopposed rate at
    ``r½``); ``advance_rate(1.0)`` ≈ 3.8 km/day (an attack at parity barely moves).
    """
    if ratio <= 0:
        return 0.0
    if math.isinf(ratio):
        return v_max
    # v_max / (1 + (r½/r)ⁿ), in logs so that extreme ratios neither overflow nor lose monotonicity
    log_term = steepness * (math.log(ratio_half) - math.log(ratio))
    if log_term > 700.0:
        return v_max * math.exp(-log_term)
    return v_max / (1.0 + math.exp(log_term))


# --------------------------------------------------------------------------- the simulation
@dataclass(frozen=True)
class _Run:
    hours: dict[str, float | None]
    timeline: pd.DataFrame


def _simulate(
    attacker_eff: float,
    arrivals: Sequence[tuple[float, float]],
    distances: Mapping[str, float],
    rel: RelationParams,
    horizon_hours: float,
    keep_timeline: bool = True,
) -> _Run:
    """Integrate the campaign hour by hour.

    ``arrivals`` are (hour, effective power) of the defender's groups; groups with hour <= 0
    are in place at D-day. Returns hours to each objective (None if not reached by the
    horizon) and the hourly timeline.
    """
    dt = rel.step_hours
    k = rel.attrition_per_day * dt / 24.0
    a = attacker_eff
    d = sum(p for h, p in arrivals if h <= 0)
    pending = sorted((h, p) for h, p in arrivals if h > 0)
    nxt = 0
    x = 0.0
    hours: dict[str, float | None] = dict.fromkeys(distances)
    rows: list[tuple[float, float, float, float, float, float]] = []
    t = 0.0
    n_steps = math.ceil(horizon_hours / dt)
    for _ in range(n_steps):
        while nxt < len(pending) and pending[nxt][0] <= t:
            d += pending[nxt][1]
            nxt += 1
        if a <= 0:
            ratio = 0.0
        elif d <= 0:
            ratio = math.inf
        else:
            ratio = a / d
        v = advance_rate(ratio, rel.v_max_km_per_day, rel.ratio_half, rel.steepness)
        step_km = v * dt / 24.0
        for name, dist in distances.items():
            if hours[name] is None and x + step_km >= dist:
                hours[name] = t + (dist - x) / step_km * dt if step_km > 0 else t
        if keep_timeline:
            rows.append((t, a, d, ratio, x, v))
        x += step_km
        a, d = max(0.0, a - k * d), max(0.0, d - k * a)
        t += dt
        if not keep_timeline and all(h is not None for h in hours.values()):
            break
    timeline = pd.DataFrame(
        rows,
        columns=[
            "hour",
            "attacker_power",
            "defender_power",
            "force_ratio",
            "advance_km",
            "rate_km_per_day",
        ],
    )
    return _Run(hours, timeline)


def run_campaign(
    attacker: Sequence[Force],
    defender: Sequence[Force],
    distances: Mapping[str, float],
    *,
    attacker_factor: float = 1.0,
    defender_factor: float = 1.0,
    rel: RelationParams | None = None,
) -> dict[str, float | None]:
    """Hours to each objective for explicit forces (the core of :func:`campaign`).

    ``attacker_factor`` multiplies the attacker's power (fires), ``defender_factor`` the
    defender's (posture × terrain × air and fires). Objectives not reached within the
    horizon give None.
    """
    rel = rel or RelationParams.from_config()
    a = sum(f.power for f in attacker) * attacker_factor
    arrivals = [(f.arrival_hours, f.power * defender_factor) for f in defender]
    run = _simulate(a, arrivals, distances, rel, rel.horizon_days * 24.0, keep_timeline=False)
    return run.hours


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class CampaignResult:
    """Outcome of one campaign: hours to each objective, whether the defence avoids a rapid
    defeat, the heavy brigades it would need to, the forces and the hourly timeline."""

    theatre: str
    case: str
    title: str
    hours_to_objective: dict[str, float | None]
    distance_km: dict[str, float]
    rapid_defeat_days: float
    initial_ratio: float
    defender_power_at_d_day: float
    attacker_power: float
    extra_heavy_to_hold: int | None
    forces: pd.DataFrame = field(repr=False)
    timeline: pd.DataFrame = field(repr=False)

    @property
    def first_objective(self) -> str | None:
        """The objective reached first (None if none is reached)."""
        reached = {k: v for k, v in self.hours_to_objective.items() if v is not None}
        return min(reached, key=lambda k: reached[k]) if reached else None

    @property
    def hours_to_first(self) -> float | None:
        """Hours to the first objective reached (None if none)."""
        first = self.first_objective
        return None if first is None else self.hours_to_objective[first]

    @property
    def rapid_defeat(self) -> bool:
        """True if an objective falls within ``rapid_defeat_days``."""
        first = self.hours_to_first
        return first is not None and first <= self.rapid_defeat_days * 24.0

    def table(self) -> pd.DataFrame:
        """Tidy per-objective table: distance, hours and days to reach it."""
        rows = []
        for name, hours in self.hours_to_objective.items():
            rows.append(
                {
                    "theatre": self.theatre,
                    "case": self.case,
                    "objective": name,
                    "distance_km": self.distance_km[name],
                    "hours": hours,
                    "days": None if hours is None else hours / 24.0,
                }
            )
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (the timeline is left out; see :attr:`timeline`)."""
        return {
            "theatre": self.theatre,
            "case": self.case,
            "title": self.title,
            "hours_to_objective": {
                k: (None if v is None else round(v, 2)) for k, v in self.hours_to_objective.items()
            },
            "distance_km": {k: round(v, 1) for k, v in self.distance_km.items()},
            "first_objective": self.first_objective,
            "hours_to_first": None
            if self.hours_to_first is None
            else round(self.hours_to_first, 2),
            "rapid_defeat": self.rapid_defeat,
            "rapid_defeat_days": self.rapid_defeat_days,
            "initial_force_ratio": round(self.initial_ratio, 3),
            "attacker_power": round(self.attacker_power, 3),
            "defender_power_at_d_day": round(self.defender_power_at_d_day, 3),
            "extra_heavy_brigades_to_hold": self.extra_heavy_to_hold,
            "forces": self.forces.to_dict(orient="records"),
        }


# --------------------------------------------------------------------------- inputs
def theatre_names() -> list[str]:
    """Theatres the campaign module covers."""
    return sorted(_config()["theatres"])


def campaign_cases(theatre: str = "europe") -> list[str]:
    """Bundled force cases that are not postures (e.g. ``nato_2016``)."""
    return sorted(_theatre(theatre)["cases"])


def _theatre(name: str) -> dict[str, Any]:
    theatres = _config()["theatres"]
    if not isinstance(name, str) or name not in theatres:
        raise not_allowed("theatre", name, f"one of {', '.join(sorted(theatres))}")
    out = theatres[name]
    assert isinstance(out, dict)
    return out


def _distances(th: dict[str, Any]) -> dict[str, float]:
    from natofutures.data import countries

    caps = countries().set_index("iso3")
    out = {}
    for name, spec in th["objectives"].items():
        cap = caps.loc[spec["capital"]]
        ends = [spec["origin"]["lat"], spec["origin"]["lon"], cap["lat"], cap["lon"]]
        straight = float(great_circle_km(*np.asarray(ends, dtype=float)))
        out[name] = straight * float(spec["circuity"]["value"]) - float(
            spec["outskirts_km"]["value"]
        )
    return out


def _unit(spec: Mapping[str, Any], side: str, count_scale: float = 1.0) -> Force:
    types = _config()["unit_types"]
    return Force(
        name=str(spec["name"]),
        side=side,
        type=str(spec["type"]),
        count=float(spec["count"]) * count_scale,
        score=float(types[spec["type"]]["score"]),
        arrival_hours=float(spec.get("arrival_hours", 0.0)),
        group=str(spec.get("group", "")),
        source=str(spec.get("source", "")),
        judgement=bool(spec.get("judgement", False)),
    )


def _lever(sc: Any, path: str) -> float:
    val = sc.parameter(path)
    if isinstance(val, dict):  # pragma: no cover - levers are scalars
        raise not_allowed(path, val, "a number")
    return float(val)


@dataclass(frozen=True)
class _Scales:
    """Multipliers on today's forces: US allocation and forward presence, European power."""

    us_allocation: float
    us_forward: float
    europe: float
    attacker: float
    source: str


def _lever_scales(sc: Any, ref: Mapping[str, Any]) -> _Scales:
    """The posture's end state, from its levers (relative to today's values)."""
    eu_share = (
        1.0 - _lever(sc, "europe.indo_pacific_share") - _lever(sc, "europe.out_of_area_share")
    )
    return _Scales(
        us_allocation=_lever(sc, "us.allocation.europe") / float(ref["us.allocation.europe"]),
        us_forward=_lever(sc, "us.forward_presence.europe")
        / float(ref["us.forward_presence.europe"]),
        europe=eu_share / float(ref["europe_theatre_share"]),
        attacker=1.0,
        source="levers",
    )


def _engine_scales(sc: Any, year: int) -> _Scales:
    """The posture in ``year`` as the engine simulates it (deterministic central case): US
    power allocated to Europe and forward presence, European and Russian power delivered to
    Europe, each relative to the base year. Captures transitions, re-engagement and the
    European spending response."""
    from natofutures.engine.simulate import simulate

    ds = simulate(
        sc,
        draws=0,
        horizon=max(year, 2025),
        variables=["power", "delivered", "us_allocation", "us_forward_presence"],
    )
    years = [int(y) for y in ds.year.values]
    if year not in years:
        raise not_allowed("year", year, f"a year in [{years[0]}, 2100]")
    at, t0 = ds.isel(draw=0).sel(year=year), ds.isel(draw=0).sel(year=years[0])
    euro = [
        c
        for c, e, r in zip(ds.country.values, ds.european.values, ds.role.values, strict=True)
        if e and r == "ally"
    ]

    def europe_power(d: Any, countries: list[str]) -> float:
        return float(d.delivered.sel(country=countries, theatre="europe").sum())

    def us_for_europe(d: Any) -> float:
        return float(d.us_allocation.sel(theatre="europe") * d.power.sel(country="USA"))

    fwd0 = float(t0.us_forward_presence.sel(theatre="europe"))
    return _Scales(
        us_allocation=us_for_europe(at) / us_for_europe(t0),
        us_forward=float(at.us_forward_presence.sel(theatre="europe")) / fwd0 if fwd0 else 0.0,
        europe=europe_power(at, euro) / europe_power(t0, euro),
        attacker=europe_power(at, ["RUS"]) / europe_power(t0, ["RUS"]),
        source=f"engine {year}",
    )


def _posture_defence(
    th: dict[str, Any], posture: Any, year: int | None
) -> tuple[str, str, list[Force], float, str, float]:
    """Defender forces of a posture: today's forces scaled by its levers (its end state) or,
    for a ``year``, by the engine's simulation of it."""
    from natofutures.scenario import Scenario
    from natofutures.scenario import posture as load_posture

    sc = posture if isinstance(posture, Scenario) else load_posture(str(posture))
    today = th["today"]
    if year is None:
        k = _lever_scales(sc, today["reference_levers"])
        # the engine's spending response replaces this judgement when a year is given
        mult = today["posture_multipliers"].get(sc.posture, {})
    else:
        k = _engine_scales(sc, year)
        mult = {}
    scales = {
        "baltic": 1.0 if year is None else k.europe,
        "us_forward": k.us_allocation * k.us_forward,
        "us_rapid": k.us_allocation,
        "us_transatlantic": k.us_allocation,
    }
    for g in EUROPE_GROUPS:
        scales[g] = k.europe * float(mult.get(g, 1.0))
    units = [_unit(c, "defender", scales[c["group"]]) for c in today["components"]]
    air = (
        1.0
        + float(today["air_fires"]["europe"]["value"])
        * k.europe
        * float(mult.get("europe_rapid", 1.0))
        + float(today["air_fires"]["us"]["value"]) * k.us_allocation
    )
    when = "end state of its levers" if year is None else f"as simulated in {year}"
    title = f"{sc.posture_title or sc.posture}: reinforcement schedule, {when}"
    return sc.posture, title, units, air, str(today["defender_posture"]), k.attacker


def _case_defence(th: dict[str, Any], case: str) -> tuple[str, str, list[Force], float, str]:
    cases = th["cases"]
    if case not in cases:
        raise not_allowed("case", case, f"one of {', '.join(sorted(cases))}")
    spec = cases[case]
    units = [_unit(u, "defender") for u in spec["units"]]
    return (
        case,
        str(spec["title"]),
        units,
        float(spec["air_fires_factor"]["value"]),
        str(spec["defender_posture"]),
    )


def _check_number(name: str, value: object, low: float, allowed: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value < low
    ):
        raise not_allowed(name, value, allowed)
    return float(value)


def campaign(
    theatre: str = "europe",
    posture: Any = "business_as_usual",
    *,
    case: str | None = None,
    extra_heavy: float = 0.0,
    attacker_scale: float | None = None,
    parameters: Mapping[str, float] | None = None,
    find_hold: bool = True,
    year: int | None = None,
) -> CampaignResult:
    """Simulate a short, sharp war in a theatre under a posture (or a bundled force case).

    Parameters
    ----------
    theatre : ``"europe"`` (a Russian short-warning attack on Estonia and Latvia).
    posture : posture name, posture file or :class:`~natofutures.scenario.Scenario`; its
        levers ``us.allocation.europe``, ``us.forward_presence.europe`` and the European
        theatre shares scale today's reinforcement schedule (campaign.yaml ``today``).
    case : instead of a posture, a bundled force case: ``nato_2016`` (the NATO posture of the
        2016 RAND games) or ``rand_seven_brigades`` (RAND's recommended posture).
    extra_heavy : additional heavy brigades in place at D-day (>= 0).
    attacker_scale : multiplier on the attacker's force (default: campaign.yaml's ``scale``
        for postures, 1.0 for the 2016 cases).
    parameters : overrides of the relation (``v_max_km_per_day``, ``ratio_half``, ...).
    find_hold : also search the smallest number of extra heavy brigades at D-day that avoids
        a rapid defeat.
    year : for a posture, scale today's forces by the engine's deterministic simulation of
        the posture in that year (US power for Europe and forward presence, European and
        Russian power delivered to Europe, relative to the base year) instead of the levers'
        end state; the posture multipliers of campaign.yaml are then not applied.

    Returns
    -------
    CampaignResult (``.to_dict()``, ``.table()``, ``.timeline``, ``.forces``).

    Examples
    --------
    >>> res = campaign(case="nato_2016")
    >>> 36 <= res.hours_to_first <= 60
    True
    """
    th = _theatre(theatre)
    rel = RelationParams.from_config(parameters)
    extra = _check_number("extra_heavy", extra_heavy, 0.0, "a number of brigades >= 0")
    if year is not None and (
        isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100
    ):
        raise not_allowed("year", year, "a year in [base year, 2100]")
    if case is not None:
        if year is not None:
            raise not_allowed("year", year, "no year with a force case (cases are dated)")
        key, title, units, air, posture_kind = _case_defence(th, case)
        default_scale = 1.0
    else:
        key, title, units, air, posture_kind, russia = _posture_defence(th, posture, year)
        default_scale = float(th["attacker"]["scale"]["value"]) * russia
    scale = (
        default_scale
        if attacker_scale is None
        else _check_number("attacker_scale", attacker_scale, 0.0, "a multiplier >= 0")
    )
    if extra > 0:
        units.append(
            Force(
                "Additional heavy brigades (user)",
                "defender",
                "heavy",
                extra,
                float(_config()["unit_types"]["heavy"]["score"]),
                0.0,
                "extra",
                "natofutures.campaign(extra_heavy=...)",
            )
        )
    attackers = [_unit(u, "attacker", scale) for u in th["attacker"]["units"]]
    fires = float(th["attacker"]["fires_factor"]["value"])
    posture_factor = float(_config()["posture_factors"][posture_kind]["value"])
    defender_factor = posture_factor * float(th["terrain_factor"]["value"]) * air
    distances = _distances(th)
    a_eff = sum(f.power for f in attackers) * fires
    arrivals = [(f.arrival_hours, f.power * defender_factor) for f in units]
    run = _simulate(a_eff, arrivals, distances, rel, rel.horizon_days * 24.0)
    d0 = sum(p for h, p in arrivals if h <= 0)
    hold = _extra_to_hold(a_eff, arrivals, distances, rel, defender_factor) if find_hold else None
    forces = pd.DataFrame(
        [
            {
                "side": f.side,
                "name": f.name,
                "group": f.group,
                "type": f.type,
                "count": round(f.count, 3),
                "score": f.score,
                "power": round(f.power, 3),
                "arrival_hours": f.arrival_hours,
                "judgement": f.judgement,
                "source": f.source,
            }
            for f in [*attackers, *units]
        ]
    )
    timeline = run.timeline.assign(theatre=theatre, case=key)
    return CampaignResult(
        theatre=theatre,
        case=key,
        title=title,
        hours_to_objective=run.hours,
        distance_km=distances,
        rapid_defeat_days=rel.rapid_defeat_days,
        initial_ratio=a_eff / d0 if d0 > 0 else math.inf,
        defender_power_at_d_day=d0,
        attacker_power=a_eff,
        extra_heavy_to_hold=hold,
        forces=forces,
        timeline=timeline,
    )


def _holds(
    a_eff: float,
    arrivals: list[tuple[float, float]],
    distances: Mapping[str, float],
    rel: RelationParams,
) -> bool:
    window = rel.rapid_defeat_days * 24.0
    run = _simulate(a_eff, arrivals, distances, rel, window + rel.step_hours, keep_timeline=False)
    return all(h is None or h > window for h in run.hours.values())


def _extra_to_hold(
    a_eff: float,
    arrivals: list[tuple[float, float]],
    distances: Mapping[str, float],
    rel: RelationParams,
    defender_factor: float,
    limit: int = 64,
) -> int | None:
    """Smallest number of extra heavy brigades at D-day that avoids a rapid defeat (bisection;
    valid because the time to an objective never falls as defenders are added)."""
    heavy = float(_config()["unit_types"]["heavy"]["score"]) * defender_factor

    def ok(n: int) -> bool:
        return _holds(a_eff, [*arrivals, (0.0, n * heavy)], distances, rel)

    if ok(0):
        return 0
    if not ok(limit):
        return None
    lo, hi = 0, limit  # ok(lo) False, ok(hi) True
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi
