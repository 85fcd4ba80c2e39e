"""The engine's static structure and its parameter resolver, written once for every caller.

:class:`Structure` holds what a run takes from the baseline and the theatre table and never
changes over the years or draws: distances from capitals to theatres and to the threat
adversaries, land and sea borders, coalition and adversary membership per theatre, the
responders (European allies and Canada), NATO members and the United States' index.
:func:`structure` builds it (cached per baseline and years).

:class:`Params` resolves a scenario's parameters for one chunk of draws: a fixed value, an
override, or the sampled values of an uncertain parameter (arrays of shape (draw,)).

:func:`threat_proximity` is the proximity term of threat perception (docs/methodology.md,
threat perception) from the structure and the resolved parameters.

The simulation (:mod:`natofutures.engine.simulate`), the threat decomposition and the
calibrations on history (:mod:`natofutures.analysis.calibrate`,
:mod:`natofutures.analysis.burden`) all use these, so a change to the structure, to how a
parameter resolves or to the proximity inputs reaches each of them with no second copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from natofutures.engine import projection_loss, threat_perception
from natofutures.engine.baseline import Baseline
from natofutures.errors import ScenarioError
from natofutures.scenario import (
    THEATRES,
    Scenario,
    parameter_table,
    theatre_table,
    threat_adversaries,
)

Array = NDArray[np.float64]
#: the adversaries whose intentions are dated paths (``intentions.<ISO3>``), in slot order
INTENTION_SLOTS = ("RUS", "CHN", "IRN", "BLR", "PRK")
#: allies outside Europe that respond like European allies (the burden response)
RESPONDER_EXTRA = ("CAN",)


# --------------------------------------------------------------------------- parameters
class Params:
    """Scenario parameters resolved for one chunk: floats, or arrays of shape (draw,).

    ``sampled`` maps the uncertain parameters' paths to their drawn values; every other path
    takes the scenario's override or its default (``Scenario.parameter``). ``Params(sc, {})``
    is the central case.
    """

    def __init__(self, scenario: Scenario, sampled: dict[str, Array]) -> None:
        self.sc = scenario
        self.sampled = sampled
        self.table = parameter_table()

    def get(self, path: str) -> float | Array:
        """The value of ``path``: its draws if sampled, else its (overridden) value."""
        if path in self.sampled:
            return self.sampled[path]
        val = self.sc.parameter(path)
        if isinstance(val, dict):
            raise ScenarioError(f"overrides.{path}: value {val!r} not allowed; expected a number")
        return float(val)

    def f(self, path: str) -> float:
        """A parameter that is never uncertain (levers, constants)."""
        v = self.get(path)
        if isinstance(v, np.ndarray):
            raise ScenarioError(
                f"uncertainty.{path}: value given not allowed; "
                "expected no distribution for this parameter"
            )
        return v

    def col(self, path: str) -> Array:
        """A (draw, 1) column (or (1, 1)) for broadcasting over countries."""
        return np.asarray(self.get(path), dtype=float).reshape(-1, 1)

    def per_country(self, prefix: str, iso3: tuple[str, ...]) -> Array:
        """(draw or 1, country) from ``prefix.default`` and ``prefix.ISO`` entries."""
        default = self.get(f"{prefix}.default")
        vals: list[float | Array] = []
        for iso in iso3:
            path = f"{prefix}.{iso}"
            has = path in self.table or path in self.sc.overrides or path in self.sampled
            vals.append(self.get(path) if has else default)
        if not any(isinstance(v, np.ndarray) for v in vals):
            return np.array(vals, dtype=float)[None, :]
        cols = [np.asarray(v, dtype=float).reshape(-1, 1) for v in vals]
        n = max(c.shape[0] for c in cols)
        return np.hstack([np.broadcast_to(c, (n, 1)) for c in cols])

    def dated(self, path: str) -> dict[int, float]:
        """A dated path ``{year: value}``; an override replaces it from its first year on."""
        val = self.sc.parameter(path)
        spec = self.table.get(path)
        if isinstance(val, dict):
            base = dict(spec.values) if spec is not None and spec.values is not None else {}
            if path in self.sc.overrides:
                # an override replaces the path from its first year on; earlier years keep defaults
                first = min(val)
                base = {y: v for y, v in base.items() if y < first}
            base.update(val)
            return base
        return {2000: float(val)}


# --------------------------------------------------------------------------- static structure
@dataclass(frozen=True)
class Structure:
    """What a run takes from the baseline and the theatre table (fixed over years and draws)."""

    years: list[int]
    theatre_dist: Array  # (country, theatre) km
    coal: Array  # (country, theatre) 0/1
    adv: Array  # (country, theatre) 0/1
    supporter: NDArray[np.int64]  # (theatre,) country index or -1
    principal_slot: NDArray[np.int64]  # (theatre,) index in INTENTION_SLOTS
    threat_idx: NDArray[np.int64]  # (adversary,) country index
    threat_dist: Array  # (country, adversary) km
    land: Array  # (country, adversary)
    sea: Array
    responders: NDArray[np.int64]  # European allies + Canada
    european_allies: NDArray[np.int64]
    nato: NDArray[np.int64]
    allies_mask: NDArray[np.bool_]
    us: int


def structure(b: Baseline, years: list[int]) -> Structure:
    """The static structure of a run over ``years`` on baseline ``b`` (cached)."""
    return _structure_cached(b, tuple(years))


@lru_cache(maxsize=16)
def _structure_cached(b: Baseline, years_t: tuple[int, ...]) -> Structure:
    years = list(years_t)
    th = theatre_table()
    iso = list(b.iso3)
    pos = {c: k for k, c in enumerate(iso)}
    lat_t = np.array([th[t].lat for t in THEATRES])
    lon_t = np.array([th[t].lon for t in THEATRES])
    dist = projection_loss.great_circle_km(
        b.lat[:, None], b.lon[:, None], lat_t[None, :], lon_t[None, :]
    )
    allies = np.array([r == "ally" for r in b.role])
    coal = np.zeros((b.n, len(THEATRES)))
    adv = np.zeros_like(coal)
    supporter = np.full(len(THEATRES), -1, dtype=np.int64)
    principal = np.zeros(len(THEATRES), dtype=np.int64)
    for k, t in enumerate(THEATRES):
        spec = th[t]
        for member in spec.coalition:
            if member == "nato":
                coal[allies, k] = 1.0
            elif member in pos:
                coal[pos[member], k] = 1.0
        for member in spec.adversaries:
            if member in pos:
                adv[pos[member], k] = 1.0
        supporter[k] = pos.get(spec.supporter, -1)
        principal[k] = INTENTION_SLOTS.index(spec.principal)
    advs = threat_adversaries()
    missing = [a for a in advs if a not in pos]
    if missing:
        raise ScenarioError(
            f"threat_adversaries: value {missing!r} not allowed; expected simulated countries"
        )
    t_idx = np.array([pos[a] for a in advs], dtype=np.int64)
    tdist = projection_loss.great_circle_km(
        b.lat[:, None], b.lon[:, None], b.lat[t_idx][None, :], b.lon[t_idx][None, :]
    )
    responders = np.array(
        [k for k, c in enumerate(iso) if allies[k] and (b.european[k] or c in RESPONDER_EXTRA)],
        dtype=np.int64,
    )
    if "USA" not in pos:
        raise ScenarioError(
            "countries: value without 'USA' not allowed; expected the United States in the baseline"
        )
    return Structure(
        years=years,
        theatre_dist=dist,
        coal=coal,
        adv=adv,
        supporter=supporter,
        principal_slot=principal,
        threat_idx=t_idx,
        threat_dist=tdist,
        land=b.land_border[:, t_idx].astype(float),
        sea=b.sea_border[:, t_idx].astype(float),
        responders=responders,
        european_allies=np.array(
            [k for k in range(b.n) if allies[k] and b.european[k]], dtype=np.int64
        ),
        nato=np.flatnonzero(allies).astype(np.int64),
        allies_mask=allies,
        us=pos["USA"],
    )


def threat_proximity(p: Params, st: Structure) -> Array:
    """Proximity of each country to each threat adversary, (country, adversary), dimensionless.

    :func:`threat_perception.proximity` of the structure's capital-to-capital distances and
    borders with the central ``threat.distance_decay_km`` and the border bonuses - the
    engine's ``threat_proximity`` input of a central run. (A Monte Carlo run draws the decay
    per draw and broadcasts the same call over a leading draw axis.)
    """
    return np.asarray(
        threat_perception.proximity(
            st.threat_dist,
            st.land,
            st.sea,
            p.f("threat.distance_decay_km"),
            p.f("threat.land_border_bonus"),
            p.f("threat.sea_border_bonus"),
        ),
        dtype=float,
    )
