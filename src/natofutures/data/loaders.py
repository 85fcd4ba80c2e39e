"""Loaders for the bundled tables (no network, no raw folder).

Every function returns a fresh pandas DataFrame read from ``data/tables/*.csv``; columns and
units are listed in docs/CONTRACTS.md and docs/data.md. Missing values are NaN, never 0.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache

import numpy as np
import pandas as pd

from natofutures.data.build import TABLES_DIR
from natofutures.data.build_panel import PANEL_VALUE_COLUMNS
from natofutures.errors import DataError, InputError

TABLES = (
    "countries",
    "panel",
    "panel_flags",
    "nato_reported",
    "gas_dependence",
    "borders",
    "capabilities",
    "conflict_dyads",
    "long_run_gdp",
    "arms_races",
    "cold_war_milex",
)

_DTYPES: dict[str, dict[str, str]] = {
    "countries": {
        "iso3": "str",
        "name": "str",
        "role": "str",
        "nato_accession": "Int64",
        "region": "str",
        "european": "bool",
        "capital": "str",
        "lat": "float64",
        "lon": "float64",
        "cow_code": "int64",
    },
    "panel": {"iso3": "str", "year": "int64"} | {c: "float64" for c in PANEL_VALUE_COLUMNS},
    "panel_flags": {"iso3": "str", "year": "int64", "column": "str", "rule": "str"},
    "nato_reported": {
        "iso3": "str",
        "year": "int64",
        "burden": "float64",
        "estimate": "bool",
        "source": "str",
        "publisher": "str",
        "vintage": "str",
        "caveat": "str",
    },
    "gas_dependence": {"iso3": "str", "year": "int64", "russia_share": "float64", "source": "str"},
    "borders": {"iso3": "str", "neighbour": "str", "kind": "str", "source": "str", "note": "str"},
    "capabilities": {
        "ccode": "int64",
        "year": "int64",
        "cinc": "float64",
        "milex": "float64",
        "milper": "float64",
    },
    "conflict_dyads": {
        "ccode1": "int64",
        "ccode2": "int64",
        "year": "int64",
        "contiguity": "int64",
        "rival": "int64",
        "distance_km": "float64",
        "defence_pact": "float64",
        "onset12": "int64",
        "onset21": "int64",
        "ongoing": "int64",
    },
    "long_run_gdp": {
        "code": "str",
        "entity": "str",
        "year": "int64",
        "gdp": "float64",
        "population": "float64",
    },
    "arms_races": {
        "race_id": "int64",
        "ccode1": "int64",
        "ccode2": "int64",
        "styear": "int64",
        "endyear": "int64",
    },
    "cold_war_milex": {"iso3": "str", "year": "int64", "milex_usd": "float64", "source": "str"},
}


@cache
def _read(name: str) -> pd.DataFrame:
    path = TABLES_DIR / f"{name}.csv"
    if not path.is_file():
        raise DataError(f"bundled table {name!r} is missing ({path}); reinstall natofutures")
    dtypes = _DTYPES[name]
    df = pd.read_csv(
        path,
        dtype=dtypes,
        keep_default_na=False,
        na_values={c: [""] for c, t in dtypes.items() if t in ("float64", "Int64")},
    )
    return df


def _copy(name: str) -> pd.DataFrame:
    return _read(name).copy()


def tables() -> list[str]:
    """Names of every bundled table (use with :func:`table`)."""
    return list(TABLES)


def table(name: str) -> pd.DataFrame:
    """One bundled table by name; ``panel_flags`` is returned complete (see :func:`panel_flags`).

    Raises
    ------
    InputError
        If ``name`` is not one of :func:`tables`.
    """
    if name not in TABLES:
        raise InputError(
            f"table: {name!r} is not a bundled table; expected one of {', '.join(TABLES)}"
        )
    if name == "panel_flags":
        return panel_flags()
    return _copy(name)


def countries() -> pd.DataFrame:
    """The modelled countries: 32 NATO allies, 5 adversaries, 11 partners.

    Columns: ``iso3``, ``name``, ``role`` (ally/adversary/partner/other), ``nato_accession``
    (Int64 year, <NA> if not a member), ``region``, ``european`` (bool: NATO member located in
    Europe), ``capital``, ``lat``, ``lon`` (degrees, WGS84; peacesciencer capitals),
    ``cow_code`` (Correlates of War state code).
    """
    return _copy("countries")


def _known_iso3() -> list[str]:
    return list(_read("countries")["iso3"])


def check_countries(codes: Iterable[str] | str) -> list[str]:
    """Normalise ISO3 codes (upper case, comma-separated allowed) and reject unknown ones."""
    if isinstance(codes, str):
        codes = codes.split(",")
    out = [c.strip().upper() for c in codes if c.strip()]
    known = _known_iso3()
    if not out:
        raise InputError("country: no ISO3 code given; expected e.g. USA or USA,DEU")
    for c in out:
        if c not in known:
            raise InputError(
                f"country: {c!r} is not a modelled country; expected ISO3 codes among "
                f"{', '.join(sorted(known))}"
            )
    return out


def year_range() -> tuple[int, int]:
    """First and last year of the panel."""
    years = _read("panel")["year"]
    return int(years.min()), int(years.max())


def check_years(years: Iterable[int] | int) -> list[int]:
    """Reject years outside the panel's range."""
    ys = [int(years)] if isinstance(years, int | np.integer) else [int(y) for y in years]
    lo, hi = year_range()
    for y in ys:
        if not lo <= y <= hi:
            raise InputError(f"year: {y!r} is outside the data; expected a year in {lo}-{hi}")
    return ys


def panel(
    countries: Iterable[str] | str | None = None, years: Iterable[int] | int | None = None
) -> pd.DataFrame:
    """Country-year panel, one row per ``iso3``, ``year`` (1949-latest).

    Columns and units: ``gdp_usd`` (GDP, constant 2015 US$, WDI), ``gdp_ppp_usd`` (GDP PPP,
    constant 2021 international $, WDI), ``population`` (persons), ``milex_usd`` (defence
    spending, constant 2023 US$, SIPRI), ``burden`` (defence spending / GDP, fraction, SIPRI),
    ``milex_per_capita_usd`` (constant 2023 US$ per person), ``personnel`` (armed forces,
    persons, COW NMC), ``democracy`` (0..1, Polity5 (polity2+10)/20), ``warheads`` (FAS
    stockpile, count), ``us_troops`` (US active-duty personnel stationed there, persons).
    Filled values are listed in :func:`panel_flags`; missing values are NaN.

    Parameters
    ----------
    countries
        ISO3 codes (list or comma-separated string); ``None`` for all.
    years
        A year or an iterable of years; ``None`` for all.
    """
    df = _copy("panel")
    if countries is not None:
        df = df[df["iso3"].isin(check_countries(countries))]
    if years is not None:
        df = df[df["year"].isin(check_years(years))]
    return df.reset_index(drop=True)


def panel_flags() -> pd.DataFrame:
    """Status of every panel value: ``iso3``, ``year``, ``column``, ``status``
    (observed/filled/missing) and ``rule`` (the fill rule's name, empty unless filled).

    Fill rules are described in ``sources.yaml`` (``fill_rules``) and docs/data.md.
    """
    p = _read("panel")
    long = p.melt(id_vars=["iso3", "year"], value_vars=list(PANEL_VALUE_COLUMNS), var_name="column")
    filled = _read("panel_flags")
    long = long.merge(filled, on=["iso3", "year", "column"], how="left")
    long["rule"] = long["rule"].fillna("")
    status = np.where(
        long["value"].isna(), "missing", np.where(long["rule"] != "", "filled", "observed")
    )
    long["status"] = pd.array(status, dtype="str")
    long.loc[long["status"] == "missing", "rule"] = ""
    out = long[["iso3", "year", "column", "status", "rule"]]
    return out.sort_values(["iso3", "year", "column"], ignore_index=True)


def nato_reported() -> pd.DataFrame:
    """Defence expenditure as a share of GDP as NATO reported it (never mixed with SIPRI).

    Columns: ``iso3``, ``year``, ``burden`` (fraction, NATO definition), ``estimate`` (bool),
    ``source`` (URL), ``publisher``, ``vintage`` (release), ``caveat`` (incl. how flagged
    transcription swaps were resolved).
    """
    return _copy("nato_reported")


def gas_dependence() -> pd.DataFrame:
    """Russian gas as a share of each European ally's natural-gas imports, 2011-2020.

    Columns: ``iso3``, ``year``, ``russia_share`` (fraction of imports, TJ GCV basis),
    ``source`` (Eurostat nrg_ti_gas).
    """
    return _copy("gas_dependence")


def borders() -> pd.DataFrame:
    """Land and sea borders of allies/partners with RUS, BLR, CHN, PRK and UKR.

    From COW Direct Contiguity v3.2 (land = type 1; sea = types 2-5, up to 400 miles of
    water). Columns: ``iso3``, ``neighbour``, ``kind`` (land/sea), ``source``, ``note``.
    """
    return _copy("borders")


def capabilities() -> pd.DataFrame:
    """COW National Material Capabilities v7.0, every state-year 1816-2022.

    Columns: ``ccode`` (COW state code), ``year``, ``cinc`` (share of world capabilities),
    ``milex`` (thousands of current US$; pounds sterling before 1914), ``milper`` (thousands).
    """
    return _copy("capabilities")


def conflict_dyads() -> pd.DataFrame:
    """Politically relevant dyad-years 1816-2010 (contiguous or rival) with dispute onsets.

    One row per non-directed pair (``ccode1 < ccode2``) and year. Columns: ``contiguity``
    (0 none, 1 land, 2 up to 400 miles of water; COW), ``rival`` (0/1; Thompson-Dreyer or
    TSS), ``distance_km`` (between capitals), ``defence_pact`` (1/0 ATOP, 1945+, NaN where
    not observed), ``onset12`` / ``onset21`` (most severe dispute begun by 1 against 2 /
    2 against 1: 0 none, 1 dispute, 2 use of force or fatalities, 3 war; GML MID),
    ``ongoing`` (1 if an earlier dispute continues and none begins). Rules: docs/data.md.
    """
    return _copy("conflict_dyads")


def long_run_gdp() -> pd.DataFrame:
    """Maddison Project 2020 GDP of Russia, China and the former USSR (``code`` SUN), 1946-2018.

    Columns: ``code``, ``entity`` (Maddison name), ``year``, ``gdp`` (2011 international $),
    ``population`` (persons). Used for the adversaries' economic constraint before WDI begins.
    """
    return _copy("long_run_gdp")


def arms_races() -> pd.DataFrame:
    """Gibler, Rider and Hutchison (2005) conventional arms races during rivalries, 1816-1993.

    Columns: ``race_id``, ``ccode1``, ``ccode2`` (COW codes), ``styear``, ``endyear``.
    """
    return _copy("arms_races")


def cold_war_milex() -> pd.DataFrame:
    """USSR military spending 1949-1991 (``iso3`` RUS), constant 2023 US$, for the burden fit.

    Columns: ``iso3``, ``year``, ``milex_usd`` (constant 2023 US$), ``source`` (SIPRI where
    SIPRI reports the USSR, else COW NMC's USSR/USA ratio times SIPRI's USA, levelled on
    SIPRI's first USSR year; ``natofutures.analysis.burden.cold_war``).
    """
    return _copy("cold_war_milex")


def latest_year() -> int:
    """Latest year with SIPRI spending for every ally (the model's base year t0)."""
    p = _read("panel")
    allies = set(_read("countries").query("role == 'ally'")["iso3"])
    have = p[p["iso3"].isin(allies) & p["milex_usd"].notna()].groupby("year")["iso3"].nunique()
    complete = have[have == len(allies)]
    if complete.empty:
        raise DataError("no year has SIPRI spending for every ally")
    return int(complete.index.max())


def data_version() -> str:
    """Short hash (12 hex digits) of the bundled data files; changes when any table does."""
    h = hashlib.sha256()
    for name in sorted(TABLES):
        h.update(name.encode())
        h.update((TABLES_DIR / f"{name}.csv").read_bytes())
    return h.hexdigest()[:12]
