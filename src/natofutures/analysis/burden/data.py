"""The burden model's panel: European allies and Canada, 1949-2024, with their drivers.

Every series comes from the bundled tables (``src/natofutures/data/tables``) and the engine's
own mechanism functions; judgement inputs are in ``history.yaml`` beside this module.

- ``burden`` SIPRI military expenditure / GDP, member-years only (from accession).
- ``gdp`` constant 2015 US$ (WDI from 1960; before 1960 SIPRI's spending / burden, joined to
  WDI at the first common year). ``growth[t] = log(gdp[t] / gdp[t-1])``.
- ``threat`` the engine's threat index summed over its threat adversaries, computed with
  :mod:`capital_stock`, :mod:`power` and :mod:`threat_perception` from real spending, with the
  USSR 1949-1991 spliced from COW NMC and SIPRI (:mod:`.cold_war`) and intentions as STEP
  events (the value of the latest event year, never interpolated).
- ``us_burden`` US spending / US GDP (SIPRI), the US spill-in.
- ``troops`` US active-duty personnel per 1,000 inhabitants of the host (troopdata), as
  ``log(1 + per_1000)``; the doubled 2008 DMDC report is replaced by the 2007-2009 mean.
- ``spill`` allies' spill-in: the distance-weighted burden of the OTHER member allies
  (Europe and Canada), ``Σ_j w_ij·milex_j / Σ_j w_ij·gdp_j`` with ``w_ij = 1/(1 + d_ij/s)``.
  It is endogenous: :func:`spill_in` recomputes it from simulated burdens.
- ``pledge_level[t]`` the level pledge in force for budgets of year t (Riga 2006 2%,
  Wales 2014 2%, The Hague 2025 3.5% core; 0 before), ``growth_aim[t]`` the 1978 real-growth
  aim in force (0.03 for 1979-1989, else 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

Array = NDArray[np.float64]
FIRST_YEAR = 1949
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True, eq=False)
class Panel:
    """Arrays are (year, ally) unless noted; NaN where an ally is not a member or has no data."""

    years: NDArray[np.int64]
    iso3: tuple[str, ...]
    european: NDArray[np.bool_]
    member: NDArray[np.bool_]
    burden: Array
    gdp: Array
    growth: Array
    threat: Array
    us_burden: Array  # (year,)
    troops: Array
    spill: Array
    weights: Array  # (ally, ally) spill-in weights, zero diagonal
    pledge_level: Array  # (year,)
    growth_aim: Array  # (year,)
    russia_spending: Array  # (year,) billion constant 2015 US$, USSR before 1992
    data_version: str

    def frame(self, values: Array) -> pd.DataFrame:
        return pd.DataFrame(values, index=self.years, columns=list(self.iso3))

    def row(self, year: int) -> int:
        return int(np.searchsorted(self.years, year))


def judgement() -> dict[str, Any]:
    """``history.yaml``: USSR intentions, historical pledges, spill-in distance scale."""
    import yaml

    with open(HERE / "history.yaml", encoding="utf-8") as fh:
        return dict(yaml.safe_load(fh))


def spill_in(burden: Array, gdp: Array, weights: Array) -> Array:
    """Distance-weighted burden of the other allies: Σ_j w_ij b_j Y_j / Σ_j w_ij Y_j.

    ``burden`` and ``gdp`` are (..., ally) with NaN for non-members; ``weights`` (ally, ally)
    with a zero diagonal. Vectorised over any leading dimensions (years, draws).
    """
    have = np.isfinite(burden) & np.isfinite(gdp)
    y = np.where(have, gdp, 0.0)
    m = np.where(have, burden * y, 0.0)
    num = m @ weights.T
    den = y @ weights.T
    return np.asarray(np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan))


def step_values(path: dict[int, float], years: NDArray[np.int64], before: float) -> Array:
    """Value of the latest event year ≤ t (``before`` earlier): intentions as step events."""
    keys = np.array(sorted(path), dtype=int)
    vals = np.array([path[int(k)] for k in keys], dtype=float)
    idx = np.searchsorted(keys, years, side="right") - 1
    return np.where(idx >= 0, vals[np.clip(idx, 0, None)], before)


def pledges(years: NDArray[np.int64]) -> tuple[Array, Array]:
    """(level pledge, growth aim) in force for budgets of each year (see module doc)."""
    from natofutures.parameters import load_yaml

    level = np.zeros(len(years))
    aim = np.zeros(len(years))
    items = list(judgement()["pledges_history"]) + [
        {"kind": "level", "agreed": p["agreed"], "core": p["core"]}
        for p in load_yaml("pledges.yaml")["pledges"]
    ]
    for p in sorted(items, key=lambda q: q["agreed"]):
        start = int(p["agreed"]) + 1  # agreed in year a: budgets from a + 1
        if p["kind"] == "growth":
            on = (years >= start) & (years <= int(p["last_year"]))
            aim[on] = float(p["real_growth"])
        else:
            level[years >= start] = float(p["core"])
    return level, aim


def _gdp(panel: pd.DataFrame, iso3: list[str], years: NDArray[np.int64]) -> pd.DataFrame:
    wide = panel[panel["iso3"].isin(iso3)]
    gdp = wide.pivot(index="year", columns="iso3", values="gdp_usd").reindex(years)[iso3]
    implied = (wide["milex_usd"] / wide["burden"]).where(wide["burden"] > 0)
    imp = (
        wide.assign(implied=implied)
        .pivot(index="year", columns="iso3", values="implied")
        .reindex(years)[iso3]
    )
    out = gdp.copy()
    for c in iso3:
        both = gdp[c].notna() & imp[c].notna()
        if both.any():
            first = both.idxmax()
            early = gdp[c].isna() & (gdp.index < first)
            k = int(both.to_numpy().argmax())
            factor = float(gdp[c].to_numpy()[k]) / float(imp[c].to_numpy()[k])
            out[c] = out[c].where(~early, imp[c] * factor)
    return out.interpolate(limit_area="inside")


def _troops(panel: pd.DataFrame, iso3: list[str], years: NDArray[np.int64]) -> pd.DataFrame:
    wide = panel[panel["iso3"].isin(iso3)]
    tr = wide.pivot(index="year", columns="iso3", values="us_troops").reindex(years)[iso3]
    pop = wide.pivot(index="year", columns="iso3", values="population").reindex(years)[iso3]
    if {2007, 2008, 2009} <= set(tr.index):
        tr.loc[2008] = 0.5 * (tr.loc[2007] + tr.loc[2009])
    tr = tr.interpolate(limit_area="inside").fillna(0.0)
    return pd.DataFrame(np.log1p(1000.0 * tr / pop))


def _russia_spending(b: Any, years: NDArray[np.int64], panel: pd.DataFrame) -> Array:
    """Russia's spending on the engine's scale (bn 2015 US$), the USSR spliced before 1992."""
    from natofutures.analysis.burden import cold_war
    from natofutures.analysis.threat_history import spending

    spend = spending(b, years)[b.index("RUS")]
    rus = panel[panel["iso3"] == "RUS"].set_index("year")["milex_usd"]
    overlap = [y for y in range(1992, 1996) if y in rus.index]
    k = float(np.mean([spend[years == y][0] / (rus[y] / 1e9) for y in overlap]))
    cw = cold_war.load().query("iso3 == 'RUS'").set_index("year")["milex_usd"]
    early = years <= int(cw.index.max())
    spend = spend.copy()
    spend[early] = cw.reindex(years[early]).to_numpy() / 1e9 * k
    return np.asarray(spend, dtype=float)


def _threat(b: Any, sc: Any, years: NDArray[np.int64], rus: Array) -> Array:
    """The engine's threat index summed over adversaries, (year, responder).

    Russia's spending is ``rus`` (the USSR spliced in); intentions are step events, each
    adversary's Cold War value (``history.yaml``) before its first dated event.
    """
    from natofutures.analysis import threat_history as th
    from natofutures.engine.structure import Params, structure

    p = Params(sc, {})  # the engine's resolution of the central parameters
    st = structure(b, [b.t0])  # the engine's responders, adversaries, distances, borders
    spend = th.spending(b, years)
    spend[b.index("RUS")] = rus
    cold = judgement()["intentions_cold_war"]
    paths = {a: p.dated(f"intentions.{a}") for a in th.adversaries(st)}
    intentions = np.column_stack(
        [
            step_values(
                path,
                years,
                float(cold[a]["value"]) if a in cold else float(path[min(path)]),
            )
            for a, path in paths.items()
        ]
    )
    comps = th.threat(p, st, th.adversary_power(p, st, spend), intentions)
    return np.asarray(comps.total().sum(axis=2), dtype=float)


@lru_cache(maxsize=1)
def build() -> Panel:
    """The panel from the bundled tables (cached)."""
    from natofutures import data
    from natofutures.engine import projection_loss
    from natofutures.engine.baseline import default_baseline
    from natofutures.engine.structure import structure
    from natofutures.scenario import posture

    sc = posture("business_as_usual")
    b = default_baseline()
    years = np.arange(FIRST_YEAR, b.t0 + 1, dtype=np.int64)
    resp = [int(k) for k in structure(b, [b.t0]).responders]  # European allies and Canada
    iso3 = [b.iso3[k] for k in resp]
    panel = data.panel()
    wide = panel[panel["iso3"].isin(iso3)]
    countries = data.countries().set_index("iso3")
    accession = countries["nato_accession"].reindex(iso3).astype(float).to_numpy()
    member = years[:, None] >= accession[None, :]
    burden = (
        wide.pivot(index="year", columns="iso3", values="burden").reindex(years)[iso3].to_numpy()
    )
    burden = np.where(member, burden, np.nan)
    gdp = _gdp(panel, iso3, years).to_numpy(dtype=float)
    growth = np.full_like(gdp, np.nan)
    growth[1:] = np.log(gdp[1:] / gdp[:-1])
    usa = panel[panel["iso3"] == "USA"].set_index("year")["burden"].reindex(years)
    lat, lon = b.lat[resp], b.lon[resp]
    d = projection_loss.great_circle_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    scale = float(judgement()["spill_in"]["distance_scale_km"]["value"])
    w = 1.0 / (1.0 + np.asarray(d) / scale)
    np.fill_diagonal(w, 0.0)
    rus = _russia_spending(b, years, panel)
    level, aim = pledges(years)
    return Panel(
        years=years,
        iso3=tuple(iso3),
        european=np.asarray(b.european[resp], dtype=bool),
        member=member,
        burden=burden,
        gdp=gdp,
        growth=growth,
        threat=_threat(b, sc, years, rus),
        us_burden=usa.interpolate(limit_area="inside").to_numpy(dtype=float),
        troops=_troops(panel, iso3, years).to_numpy(dtype=float),
        spill=spill_in(burden, gdp, w),
        weights=w,
        pledge_level=level,
        growth_aim=aim,
        russia_spending=rus,
        data_version=b.data_version,
    )
