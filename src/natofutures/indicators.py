"""Headline indicators of a simulation and their bands: computed once, for CLI, service and runs.

Why one module: ``natofutures simulate``, the dashboard (``POST /api/simulate``) and the runs
store summarise the engine's ``xarray.Dataset`` into the same alliance-level series (European
and US burdens, European belief in US protection, theatre balances, hazards and cumulative
risks). Each series is a ``(draw, year)`` array; its band is the median and the 5-95% range
over draws (Monte Carlo) or the single central value (``draws = 0``).

Units are those of the engine's variables (``attrs["units"]``): burdens, hazards and risks are
fractions (0.02 = 2% of GDP; 0.05 = 5% a year), balances are ratios (1 = parity).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "CLI_INDICATORS",
    "MILESTONES",
    "QUANTILES",
    "bands",
    "headline",
    "milestone_rows",
    "milestone_table",
    "milestone_years",
    "nanmean_last",
    "over_draws",
]

#: quantiles of a band: 5th percentile, median, 95th percentile
QUANTILES = (0.05, 0.5, 0.95)
#: years ``natofutures simulate`` prints and a recorded simulate run stores
MILESTONES = (2030, 2035, 2040, 2045, 2050, 2060, 2070, 2080, 2090, 2100)
#: engine variables the headline indicators are built from
SOURCE_VARIABLES = (
    "burden",
    "europe_burden",
    "balance",
    "hazard",
    "cumulative_risk",
    "credibility",
    "us_share_europe",
    "us_allocation",
    "alignment",
    "reengaged",
)
#: indicators of the CLI summary and of a stored simulate run (theatre ones expand per theatre)
CLI_INDICATORS = (
    "europe_burden",
    "us_burden",
    "europe_credibility",
    "reengaged",
    "balance_*",
    "hazard_*",
    "cumulative_risk_*",
)


def nanmean_last(a: np.ndarray) -> np.ndarray:
    """``np.nanmean(a, axis=-1)`` without its warning on all-NaN rows (which give NaN)."""
    a = np.asarray(a)
    nan = np.isnan(a)
    count = (~nan).sum(axis=-1)
    total = np.where(nan, 0, a).sum(axis=-1)
    with np.errstate(all="ignore"):
        mean = (total.astype(np.float64) / count).astype(total.dtype)
    return np.where(count > 0, mean, np.nan)


def over_draws(
    x: np.ndarray,
    fast: Callable[[np.ndarray], np.ndarray],
    nan_aware: Callable[[np.ndarray], np.ndarray],
) -> np.ndarray:
    """Reduce ``x`` over its first axis (draws), skipping NaN; all-NaN columns give NaN.

    NaN-free columns go through ``fast`` (numpy's nan-functions are several times slower), the
    others through ``nan_aware``; both give the same numbers on NaN-free data. No warning is
    raised, so nothing depends on process-wide warning filters (unsafe to change in threads).
    """
    with np.errstate(all="ignore"):
        out = np.asarray(fast(x), dtype=np.float64)
        nan = np.isnan(x)
        some, every = nan.any(axis=0), nan.all(axis=0)
        out[..., every] = np.nan
        partial = some & ~every
        if partial.any():
            out[..., partial] = nan_aware(x[:, partial])
    return out


def _theatre_slice(k: int) -> Callable[[np.ndarray], np.ndarray]:
    def take(a: np.ndarray) -> np.ndarray:
        return a[:, :, k]

    return take


def headline(ds: Any) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """The alliance-level headline series of a simulation: ``{name: (draw, year)}`` and units.

    Reads the Dataset's plain variables (cheaper than DataArrays: this is the dashboard's hot
    path). ``reengaged`` (share of draws in which the US re-engaged) is included when the
    Dataset holds it.
    """
    var = ds.variables
    units = {n: str(var[n].attrs.get("units", "")) for n in SOURCE_VARIABLES if n in var}
    countries = [str(c) for c in var["country"].values]
    theatres = [str(t) for t in var["theatre"].values]
    euro = np.asarray(var["european"].values) & (np.asarray(var["role"].values) == "ally")
    usa, europe = countries.index("USA"), theatres.index("europe")
    named: dict[str, np.ndarray] = {}
    out_units: dict[str, str] = {}

    def put(name: str, source: str, take: Callable[[np.ndarray], np.ndarray]) -> None:
        if source in var:
            named[name] = take(np.asarray(var[source].values))
            out_units[name] = units[source]

    put("europe_burden", "europe_burden", lambda a: a)
    put("us_burden", "burden", lambda a: a[:, :, usa])
    put("us_share_europe", "us_share_europe", lambda a: a)
    put("us_allocation_europe", "us_allocation", lambda a: a[:, :, europe])
    put("europe_credibility", "credibility", lambda a: nanmean_last(a[:, :, euro]))
    put("alignment", "alignment", lambda a: a)
    put("reengaged", "reengaged", lambda a: a.astype(np.float64))
    for source in ("balance", "hazard", "cumulative_risk"):
        for k, t in enumerate(theatres):
            put(f"{source}_{t}", source, _theatre_slice(k))
    return named, out_units


def bands(
    named: Mapping[str, np.ndarray], mc: bool, *, inf_as_missing: bool = True
) -> dict[str, dict[str, np.ndarray | None]]:
    """Each ``(draw, year)`` series -> ``{"median", "p05", "p95"}`` over draws (float64).

    Without Monte Carlo (``mc`` false) the single draw is the median and the band is None.
    ``inf_as_missing`` treats infinite values (a balance against no adversary power) as
    missing, as JSON cannot carry them; the CLI keeps them and prints ``inf``.
    """
    names = list(named)
    if not names:
        return {}
    stack = np.stack([np.asarray(named[n], dtype=np.float64) for n in names])  # (s, draw, year)
    if not mc:
        return {n: {"median": stack[i, 0], "p05": None, "p95": None} for i, n in enumerate(names)}
    if inf_as_missing:
        stack = np.where(np.isinf(stack), np.nan, stack)
    q = over_draws(
        np.moveaxis(stack, 1, 0),
        lambda a: np.quantile(a, QUANTILES, axis=0),
        lambda a: np.nanquantile(a, QUANTILES, axis=0),
    )  # (3, s, year)
    return {n: {"median": q[1, i], "p05": q[0, i], "p95": q[2, i]} for i, n in enumerate(names)}


def milestone_years(years: Iterable[int], milestones: Iterable[int] = MILESTONES) -> list[int]:
    """The first simulated year, each milestone inside the run, and the last year."""
    ys = [int(y) for y in years]
    out = [ys[0]] + [y for y in milestones if ys[0] < y <= ys[-1]]
    if ys[-1] not in out:
        out.append(ys[-1])
    return out


def _cli_names(named: Mapping[str, np.ndarray]) -> list[str]:
    """CLI order: alliance-wide indicators, then each theatre's balance, hazard and risk."""
    fixed = [n for n in CLI_INDICATORS if not n.endswith("*") and n in named]
    theatres = [n.removeprefix("balance_") for n in named if n.startswith("balance_")]
    per = [p[:-1] for p in CLI_INDICATORS if p.endswith("*")]
    return fixed + [f"{p}{t}" for t in theatres for p in per if f"{p}{t}" in named]


def milestone_rows(
    ds: Any, years: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """The CLI summary: for each milestone year, each indicator's median and 5-95% band.

    ``reengaged`` is given as ``{"share_of_draws": x}``; the others as ``{"p05", "median",
    "p95"}`` (the central value three times for ``draws = 0``, as quantiles of one draw).
    """
    all_years = [int(y) for y in ds.variables["year"].values]
    shown = milestone_years(all_years) if years is None else [int(y) for y in years]
    cols = [all_years.index(y) for y in shown]
    # one year at a time: a float32 mean over countries then sums exactly as it always has
    per_year = [headline(ds.isel(year=[c]))[0] for c in cols]
    names = _cli_names(per_year[0])
    picked = {
        n: np.concatenate([np.asarray(h[n], dtype=np.float64) for h in per_year], axis=1)
        for n in names
    }
    shares = {n: picked.pop(n).mean(axis=0) for n in ("reengaged",) if n in picked}
    q = {
        n: np.quantile(a, QUANTILES, axis=0) for n, a in picked.items()
    }  # (3, year) each; one draw gives its value three times
    rows = []
    for j, y in enumerate(shown):
        row: dict[str, Any] = {"year": y}
        for n in names:
            if n in shares:
                row[n] = {"share_of_draws": float(shares[n][j])}
            else:
                row[n] = {"p05": float(q[n][0, j]), "median": float(q[n][1, j]),
                          "p95": float(q[n][2, j])}
        rows.append(row)
    return rows


def milestone_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Milestone rows as a long table (year, indicator, p05, median, p95): what runs store."""
    records = []
    for row in rows:
        for key, cell in row.items():
            if key == "year":
                continue
            if "share_of_draws" in cell:
                v = cell["share_of_draws"]
                records.append({"year": row["year"], "indicator": key, "p05": v, "median": v,
                                "p95": v})
            else:
                records.append({"year": row["year"], "indicator": key, **cell})
    return pd.DataFrame.from_records(records, columns=["year", "indicator", "p05", "median", "p95"])
