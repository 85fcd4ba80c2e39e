"""Build the conflict-history tables: capabilities and politically relevant dyad-years.

Only used by the build (``natofutures data build --raw DIR``). The hazard fit
(:mod:`natofutures.analysis.hazard_fit`) reads the two bundled tables this writes:

- ``capabilities``: COW NMC v7.0 state-years (CINC, military expenditure and personnel).
- ``conflict_dyads``: non-directed dyad-years 1816-2010 (``ccode1 < ccode2``) in which the two
  states are contiguous (COW direct contiguity, land or up to 400 miles of water) or strategic
  rivals (Thompson-Dreyer or Thompson-Sakuwa-Suhas), with the distance between capitals,
  ATOP defence pacts (1945+, only where one side is in the project's scope) and the most
  severe militarised-dispute onset in each direction (GML MID 2.x, originators only).

Rules (repeated in ``sources.yaml``): a dispute onset counts in direction 1→2 when state 1 is
an originator on side A (the side that took the first militarised action) and state 2 an
originator on side B; joiners are not counted. Severity codes: 0 none, 1 a dispute below the
use of force without fatalities, 2 use of force (hostility level 4) or any fatality, 3 war
(hostility level 5). ``ongoing`` marks dyad-years in which a dispute that began in an earlier
year continues (the fit drops them, as Beck, Katz and Tucker 1998 advise).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from natofutures.engine.projection_loss import great_circle_km

PS = "peacesciencer"
LAST_YEAR = 2010  # GML MID dyad-years end in 2010
SEVERITY = {"none": 0, "dispute": 1, "force_or_fatal": 2, "war": 3}


def build_capabilities(raw: Path) -> pd.DataFrame:
    """COW NMC v7.0 state-years: ``cinc`` (share of world capabilities), ``milex`` (thousands of
    current US$; £ before 1914) and ``milper`` (thousands)."""
    n = pd.read_csv(raw / PS / "cow_nmc.csv")
    out = pd.DataFrame(
        {
            "ccode": n["ccode"].astype("int64"),
            "year": n["year"].astype("int64"),
            "cinc": n["cinc"].astype(float).round(9),
            "milex": n["milex"].astype(float),
            "milper": n["milper"].astype(float),
        }
    )
    return out.sort_values(["ccode", "year"], ignore_index=True)


def _expand_years(df: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """One row per year between ``start`` and ``end`` (inclusive) of each interval row."""
    span = (df[end] - df[start] + 1).clip(lower=0).astype(int)
    rep = df.loc[df.index.repeat(span)].copy()
    rep["year"] = rep[start] + rep.groupby(level=0).cumcount()
    return rep.reset_index(drop=True)


def _pair(a: pd.Series, b: pd.Series) -> tuple[Any, Any]:
    """Order a pair of code columns so that the first is the smaller (non-directed dyads)."""
    x, y = a.astype("int64").to_numpy(), b.astype("int64").to_numpy()
    return np.minimum(x, y), np.maximum(x, y)


def contiguity_years(raw: Path) -> pd.DataFrame:
    """Non-directed dyad-years with COW direct contiguity: ``contiguity`` 1 land, 2 water
    (types 2-5, up to 400 miles); the closest type in force in any month of the year wins."""
    c = pd.read_csv(raw / PS / "cow_contdir.csv")
    c = c[c["conttype"] > 0].copy()
    c["c1"], c["c2"] = _pair(c["ccode1"], c["ccode2"])
    c["y0"] = c["stdate"].str[:4].astype(int)
    c["y1"] = c["enddate"].str[:4].astype(int)
    c["contiguity"] = np.where(c["conttype"] == 1, 1, 2)
    y = _expand_years(c[["c1", "c2", "y0", "y1", "contiguity"]], "y0", "y1")
    out = pd.DataFrame(y.groupby(["c1", "c2", "year"], as_index=False)["contiguity"].min())
    return out.rename(columns={"c1": "ccode1", "c2": "ccode2"})


def rivalry_years(raw: Path) -> pd.DataFrame:
    """Non-directed dyad-years of strategic rivalry (Thompson-Dreyer 2012 or TSS 2021)."""
    td = pd.read_csv(raw / PS / "td_rivalries.csv")
    tss = pd.read_csv(raw / PS / "tss_rivalries.csv")
    parts = [
        td[["ccode1", "ccode2", "styear", "endyear"]],
        tss[["ccode1", "ccode2", "start", "end"]].set_axis(
            ["ccode1", "ccode2", "styear", "endyear"], axis=1
        ),
    ]
    r = pd.concat(parts, ignore_index=True).dropna()
    r["c1"], r["c2"] = _pair(r["ccode1"], r["ccode2"])
    r["styear"] = r["styear"].astype(int).clip(lower=1816)
    r["endyear"] = r["endyear"].astype(int)
    y = _expand_years(r[["c1", "c2", "styear", "endyear"]], "styear", "endyear")
    y = y[["c1", "c2", "year"]].drop_duplicates()
    y["rival"] = 1
    return y.rename(columns={"c1": "ccode1", "c2": "ccode2"})


def capital_years(raw: Path) -> pd.DataFrame:
    """Capital coordinates per state-year (peacesciencer cow_capitals, dated moves)."""
    k = pd.read_csv(raw / PS / "cow_capitals.csv")
    k["y0"] = k["stdate"].str[:4].astype(int)
    k["y1"] = k["enddate"].str[:4].astype(int)
    k["ccode"] = k["ccode"].astype("int64")
    y = _expand_years(k[["ccode", "y0", "y1", "lat", "lng"]], "y0", "y1")
    # a capital that moved during a year: the later one holds for that year
    return y.groupby(["ccode", "year"], as_index=False)[["lat", "lng"]].last()


def dispute_onsets(raw: Path) -> pd.DataFrame:
    """Directed onsets: the most severe dispute begun by 1 (side A) against 2 (side B)."""
    d = pd.read_csv(raw / PS / "gml_mid_ddydisps.csv")
    d = d[(d["gmlmidonset"] == 1) & (d["orig1"] == 1) & (d["orig2"] == 1)].copy()
    d = d[d["sidea1"] != d["sidea2"]]
    sev = np.select(
        [d["hostlev"] >= 5, (d["hostlev"] >= 4) | (d["fatality"] > 0)],
        [SEVERITY["war"], SEVERITY["force_or_fatal"]],
        SEVERITY["dispute"],
    )
    d["severity"] = sev
    a = np.where(d["sidea1"] == 1, d["ccode1"], d["ccode2"]).astype("int64")
    b = np.where(d["sidea1"] == 1, d["ccode2"], d["ccode1"]).astype("int64")
    out = pd.DataFrame({"challenger": a, "target": b, "year": d["year"].astype("int64")})
    out["severity"] = sev
    return pd.DataFrame(
        out.groupby(["challenger", "target", "year"], as_index=False)["severity"].max()
    )


def ongoing_years(raw: Path) -> pd.DataFrame:
    """Non-directed dyad-years with a dispute that began in an earlier year still going on."""
    d = pd.read_csv(raw / PS / "gml_mid_ddydisps.csv")
    first = d.groupby("dispnum")["year"].transform("min")
    d = d[d["year"] > first].copy()
    d["c1"], d["c2"] = _pair(d["ccode1"], d["ccode2"])
    y = d[["c1", "c2", "year"]].astype("int64").drop_duplicates()
    y["ongoing"] = 1
    return y.rename(columns={"c1": "ccode1", "c2": "ccode2"})


def defence_pacts(raw: Path) -> pd.DataFrame:
    """Non-directed dyad-years with an ATOP defence pact (1945+, scope-filtered file)."""
    a = pd.read_csv(raw / PS / "atop_alliance_scope_1945plus.csv")
    a = a[a["atop_defense"] == 1].copy()
    a["c1"], a["c2"] = _pair(a["ccode1"], a["ccode2"])
    y = a[["c1", "c2"]].assign(year=a["year"].astype("int64")).drop_duplicates()
    y["defence_pact"] = 1.0
    return y.rename(columns={"c1": "ccode1", "c2": "ccode2"})


def build_conflict_dyads(raw: Path, scope_cow: frozenset[int]) -> pd.DataFrame:
    """Politically relevant dyad-years 1816-2010 (contiguous or rival), one row per
    non-directed pair and year with both states in the COW system (an NMC row)."""
    base = contiguity_years(raw).merge(
        rivalry_years(raw), on=["ccode1", "ccode2", "year"], how="outer"
    )
    base = base[(base["year"] >= 1816) & (base["year"] <= LAST_YEAR)]
    base["contiguity"] = base["contiguity"].fillna(0).astype("int64")
    base["rival"] = base["rival"].fillna(0).astype("int64")
    system = build_capabilities(raw)[["ccode", "year"]]
    for side in ("ccode1", "ccode2"):
        base = base.merge(system.rename(columns={"ccode": side}), on=[side, "year"], how="inner")
    caps = capital_years(raw)
    for k, side in ((1, "ccode1"), (2, "ccode2")):
        cap = caps.rename(columns={"ccode": side, "lat": f"lat{k}", "lng": f"lng{k}"})
        base = base.merge(cap, on=[side, "year"], how="left")
    dist = great_circle_km(
        base["lat1"].to_numpy(),
        base["lng1"].to_numpy(),
        base["lat2"].to_numpy(),
        base["lng2"].to_numpy(),
    )
    base["distance_km"] = np.round(dist, 0)
    on = dispute_onsets(raw)
    fwd = on.rename(columns={"challenger": "ccode1", "target": "ccode2", "severity": "onset12"})
    bwd = on.rename(columns={"challenger": "ccode2", "target": "ccode1", "severity": "onset21"})
    keys = ["ccode1", "ccode2", "year"]
    base = base.merge(fwd, on=keys, how="left").merge(bwd, on=keys, how="left")
    base = base.merge(ongoing_years(raw), on=keys, how="left")
    base = base.merge(defence_pacts(raw), on=keys, how="left")
    in_scope = base["ccode1"].isin(scope_cow) | base["ccode2"].isin(scope_cow)
    known = in_scope & (base["year"] >= 1945)
    base["defence_pact"] = base["defence_pact"].where(~known, base["defence_pact"].fillna(0.0))
    base.loc[~known, "defence_pact"] = np.nan
    for c in ("onset12", "onset21", "ongoing"):
        base[c] = base[c].fillna(0).astype("int64")
    # an onset year is not "ongoing" even when another dispute also continues
    base.loc[(base["onset12"] > 0) | (base["onset21"] > 0), "ongoing"] = 0
    cols = [
        "ccode1",
        "ccode2",
        "year",
        "contiguity",
        "rival",
        "distance_km",
        "defence_pact",
        "onset12",
        "onset21",
        "ongoing",
    ]
    return base[cols].sort_values(keys, ignore_index=True)


MADDISON = "owid_datasets/Maddison_Project_Database_2020_Bolt_and_van_Zanden_2020/data.csv"
# Maddison entity -> code: the two adversaries whose budgets are modelled, and the USSR
LONG_RUN_GDP = {"Russia": "RUS", "China": "CHN", "Former USSR": "SUN"}


def build_long_run_gdp(raw: Path) -> pd.DataFrame:
    """Maddison Project 2020 GDP (2011 international $) of Russia, China and the former USSR,
    1946-2018: the adversaries' economic constraint before WDI begins."""
    m = pd.read_csv(raw / MADDISON)
    m = m[m["Entity"].isin(LONG_RUN_GDP) & (m["Year"] >= 1946) & m["GDP"].notna()]
    out = pd.DataFrame(
        {
            "code": m["Entity"].map(LONG_RUN_GDP),
            "entity": m["Entity"].astype(str),
            "year": m["Year"].astype("int64"),
            "gdp": m["GDP"].astype(float),
            "population": m["Population"].astype(float),
        }
    )
    return out.sort_values(["code", "year"], ignore_index=True)


def build_arms_races(raw: Path) -> pd.DataFrame:
    """Gibler-Rider-Hutchison (2005) conventional arms races 1816-1993: one row per race."""
    r = pd.read_csv(raw / PS / "grh_arms_races.csv")
    out = pd.DataFrame(
        {
            "race_id": r["race_id"].astype("int64"),
            "ccode1": r["ccode1"].astype("int64"),
            "ccode2": r["ccode2"].astype("int64"),
            "styear": r["styear"].astype("int64"),
            "endyear": r["endyear"].astype("int64"),
        }
    )
    return out.sort_values("race_id", ignore_index=True)
