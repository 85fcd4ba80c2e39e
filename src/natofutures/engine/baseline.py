"""The Baseline: the model's initial state at t0, built from the bundled real data.

Everything here comes from :mod:`natofutures.data` (no invented numbers):

- countries: every ally, adversary and partner of ``countries()`` that has GDP and a SIPRI
  burden at or before t0 (North Korea has neither and is left out; see ``excluded``);
- ``gdp0`` (billion constant-2015 US$) and ``burden0`` (fraction of GDP, SIPRI) in t0; a
  country with a missing value in t0 (e.g. ARE, VNM burden) takes its last observed value,
  and the year used is kept in ``burden_year``;
- ``history``: defence spending ``burden × GDP`` per year from 1949 to t0−1 for the perpetual
  inventory of the capital stock; interior gaps are interpolated linearly, years before the
  first observation take the first observed value (steady state), years after the last take
  the last;
- capitals' coordinates, land and sea borders, the latest Eurostat share of gas imports
  from Russia (NaN where there is none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from natofutures.errors import DataError

Array = NDArray[np.float64]
ROLES = ("ally", "adversary", "partner")


@dataclass(frozen=True, eq=False)
class Baseline:
    """Initial state arrays, one entry per simulated country (order of ``iso3``)."""

    t0: int
    iso3: tuple[str, ...]
    name: tuple[str, ...]
    role: tuple[str, ...]
    european: NDArray[np.bool_]
    lat: Array
    lon: Array
    gdp0: Array
    burden0: Array
    burden_year: NDArray[np.int64]
    history_years: NDArray[np.int64]
    history: Array  # (country, year) spending, billion constant-2015 US$
    gas_share: Array
    gas_year: Array  # year of the gas observation (NaN if none)
    land_border: NDArray[np.bool_]  # (country, country)
    sea_border: NDArray[np.bool_]
    data_version: str = "synthetic"
    excluded: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def n(self) -> int:
        return len(self.iso3)

    def index(self, iso: str) -> int:
        return self.iso3.index(iso)

    @classmethod
    def from_frames(
        cls,
        countries: pd.DataFrame,
        panel: pd.DataFrame,
        borders: pd.DataFrame,
        gas: pd.DataFrame,
        t0: int,
        data_version: str = "synthetic",
    ) -> Baseline:
        """Build from tables shaped like the :mod:`natofutures.data` loaders' output."""
        reg = countries[countries["role"].isin(ROLES)].reset_index(drop=True)
        pan = panel[panel["year"] <= t0]
        keep, excluded, notes = [], [], []
        gdp0, b0, byear, hist_rows = [], [], [], []
        years = np.arange(int(pan["year"].min()), t0, dtype=np.int64)
        for _, row in reg.iterrows():
            iso = str(row["iso3"])
            sub = pan[pan["iso3"] == iso].sort_values("year")
            g = sub.dropna(subset=["gdp_usd"])
            b = sub.dropna(subset=["burden"])
            if g.empty or b.empty:
                excluded.append(iso)
                notes.append(f"{iso}: no GDP or no SIPRI burden up to {t0}; not simulated")
                continue
            keep.append(row)
            gdp0.append(float(g["gdp_usd"].iloc[-1]) / 1e9)
            b0.append(float(b["burden"].iloc[-1]))
            byear.append(int(b["year"].iloc[-1]))
            if int(g["year"].iloc[-1]) < t0:
                notes.append(f"{iso}: GDP last observed {int(g['year'].iloc[-1])}, used for {t0}")
            if byear[-1] < t0:
                notes.append(f"{iso}: burden last observed {byear[-1]}, used for {t0}")
            spend = (
                sub.set_index("year")["burden"] * sub.set_index("year")["gdp_usd"] / 1e9
            ).reindex(years)
            spend = spend.interpolate(limit_area="inside").bfill().ffill()
            if spend.isna().all():
                spend = pd.Series(b0[-1] * gdp0[-1], index=years)
            hist_rows.append(spend.to_numpy(dtype=float))
        kept = pd.DataFrame(keep).reset_index(drop=True)
        iso3 = tuple(str(x) for x in kept["iso3"])
        pos = {c: k for k, c in enumerate(iso3)}
        land = np.zeros((len(iso3), len(iso3)), dtype=bool)
        sea = np.zeros_like(land)
        for _, r in borders.iterrows():
            a, c = str(r["iso3"]), str(r["neighbour"])
            if a in pos and c in pos:
                target = land if str(r["kind"]) == "land" else sea
                target[pos[a], pos[c]] = target[pos[c], pos[a]] = True
        gas_share = np.full(len(iso3), np.nan)
        gas_year = np.full(len(iso3), np.nan)
        gas_t = gas[(gas["year"] <= t0)].dropna(subset=["russia_share"]).sort_values("year")
        for code, grp in gas_t.groupby("iso3"):
            if str(code) in pos:
                gas_share[pos[str(code)]] = float(grp["russia_share"].iloc[-1])
                gas_year[pos[str(code)]] = float(grp["year"].iloc[-1])
        return cls(
            t0=int(t0),
            iso3=iso3,
            name=tuple(str(x) for x in kept["name"]),
            role=tuple(str(x) for x in kept["role"]),
            european=kept["european"].astype(bool).to_numpy(),
            lat=kept["lat"].to_numpy(dtype=np.float64),
            lon=kept["lon"].to_numpy(dtype=np.float64),
            gdp0=np.array(gdp0),
            burden0=np.array(b0),
            burden_year=np.array(byear, dtype=np.int64),
            history_years=years,
            history=np.vstack(hist_rows) if hist_rows else np.zeros((0, len(years))),
            gas_share=gas_share,
            gas_year=gas_year,
            land_border=land,
            sea_border=sea,
            data_version=data_version,
            excluded=tuple(excluded),
            notes=tuple(notes),
        )


@lru_cache(maxsize=2)
def _cached(version: str) -> Baseline:
    from natofutures import data

    t0 = int(data.latest_year())
    return Baseline.from_frames(
        data.countries(),
        data.panel(),
        data.borders(),
        data.gas_dependence(),
        t0,
        data_version=version,
    )


@lru_cache(maxsize=1)
def default_baseline() -> Baseline:
    """The Baseline from the bundled data (built once per process; the data are read-only)."""
    try:
        from natofutures import data

        version = str(data.data_version())
    except (ImportError, AttributeError) as exc:  # pragma: no cover - data module missing
        raise DataError(f"bundled data not available ({exc}); cannot build the baseline") from None
    return _cached(version)
