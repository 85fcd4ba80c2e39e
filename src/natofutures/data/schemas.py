"""Pandera schemas of the bundled tables: types, ranges, allowed values and unique keys.

``natofutures data check`` and the test-suite validate every table against these.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from natofutures.data.registry import ISO3, REGIONS, ROLES

_iso3 = pa.Column(str, pa.Check.isin(ISO3))
_year = pa.Column("int64", pa.Check.in_range(1949, 2100))


def _nonneg(nullable: bool = True) -> pa.Column:
    return pa.Column(float, pa.Check.ge(0), nullable=nullable)


def _fraction(nullable: bool = True) -> pa.Column:
    return pa.Column(float, pa.Check.in_range(0.0, 1.0), nullable=nullable)


COUNTRIES = pa.DataFrameSchema(
    {
        "iso3": pa.Column(str, pa.Check.isin(ISO3), unique=True),
        "name": pa.Column(str),
        "role": pa.Column(str, pa.Check.isin(ROLES)),
        "nato_accession": pa.Column("Int64", pa.Check.in_range(1949, 2100), nullable=True),
        "region": pa.Column(str, pa.Check.isin(REGIONS)),
        "european": pa.Column(bool),
        "capital": pa.Column(str),
        "lat": pa.Column(float, pa.Check.in_range(-90, 90)),
        "lon": pa.Column(float, pa.Check.in_range(-180, 180)),
        "cow_code": pa.Column("int64", pa.Check.gt(0)),
    },
    checks=[
        pa.Check(
            lambda df: (df["role"] == "ally") == df["nato_accession"].notna(),
            error="allies, and only allies, have an accession year",
        )
    ],
    strict=True,
)

PANEL = pa.DataFrameSchema(
    {
        "iso3": _iso3,
        "year": _year,
        "gdp_usd": pa.Column(float, pa.Check.gt(0), nullable=True),
        "gdp_ppp_usd": pa.Column(float, pa.Check.gt(0), nullable=True),
        "population": pa.Column(float, pa.Check.gt(0), nullable=True),
        "milex_usd": _nonneg(),
        "burden": _fraction(),
        "milex_per_capita_usd": _nonneg(),
        "personnel": _nonneg(),
        "democracy": _fraction(),
        "warheads": _nonneg(),
        "us_troops": _nonneg(),
    },
    unique=["iso3", "year"],
    strict=True,
)

PANEL_FLAGS = pa.DataFrameSchema(
    {
        "iso3": _iso3,
        "year": _year,
        "column": pa.Column(str),
        "status": pa.Column(str, pa.Check.isin(["observed", "filled", "missing"])),
        "rule": pa.Column(str),
    },
    checks=[
        pa.Check(
            lambda df: (df["status"] == "filled") == (df["rule"] != ""),
            error="a rule is given exactly for filled values",
        )
    ],
    unique=["iso3", "year", "column"],
    strict=True,
)

NATO_REPORTED = pa.DataFrameSchema(
    {
        "iso3": _iso3,
        "year": _year,
        "burden": pa.Column(float, pa.Check.in_range(0.0, 0.2)),
        "estimate": pa.Column(bool),
        "source": pa.Column(str, pa.Check.str_startswith("http")),
        "publisher": pa.Column(str),
        "vintage": pa.Column(str),
        "caveat": pa.Column(str),
    },
    unique=["iso3", "year"],
    strict=True,
)

GAS_DEPENDENCE = pa.DataFrameSchema(
    {
        "iso3": _iso3,
        "year": pa.Column("int64", pa.Check.in_range(2011, 2020)),
        "russia_share": _fraction(nullable=False),
        "source": pa.Column(str),
    },
    unique=["iso3", "year"],
    strict=True,
)

BORDERS = pa.DataFrameSchema(
    {
        "iso3": _iso3,
        "neighbour": pa.Column(str, pa.Check.isin(["RUS", "BLR", "CHN", "PRK", "UKR"])),
        "kind": pa.Column(str, pa.Check.isin(["land", "sea"])),
        "source": pa.Column(str),
        "note": pa.Column(str),
    },
    unique=["iso3", "neighbour", "kind"],
    strict=True,
)

CAPABILITIES = pa.DataFrameSchema(
    {
        "ccode": pa.Column("int64", pa.Check.gt(0)),
        "year": pa.Column("int64", pa.Check.in_range(1816, 2100)),
        "cinc": pa.Column(float, pa.Check.in_range(0.0, 1.0), nullable=True),
        "milex": _nonneg(),
        "milper": _nonneg(),
    },
    unique=["ccode", "year"],
    strict=True,
)

_severity = pa.Column("int64", pa.Check.isin([0, 1, 2, 3]))
CONFLICT_DYADS = pa.DataFrameSchema(
    {
        "ccode1": pa.Column("int64", pa.Check.gt(0)),
        "ccode2": pa.Column("int64", pa.Check.gt(0)),
        "year": pa.Column("int64", pa.Check.in_range(1816, 2010)),
        "contiguity": pa.Column("int64", pa.Check.isin([0, 1, 2])),
        "rival": pa.Column("int64", pa.Check.isin([0, 1])),
        "distance_km": pa.Column(float, pa.Check.in_range(0.0, 20040.0)),
        "defence_pact": pa.Column(float, pa.Check.isin([0.0, 1.0]), nullable=True),
        "onset12": _severity,
        "onset21": _severity,
        "ongoing": pa.Column("int64", pa.Check.isin([0, 1])),
    },
    checks=[
        pa.Check(lambda df: df["ccode1"] < df["ccode2"], error="pairs are ordered ccode1 < ccode2"),
        pa.Check(
            lambda df: (df["contiguity"] > 0) | (df["rival"] == 1),
            error="every dyad-year is contiguous or rival (politically relevant)",
        ),
    ],
    unique=["ccode1", "ccode2", "year"],
    strict=True,
)

LONG_RUN_GDP = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.isin(["RUS", "CHN", "SUN"])),
        "entity": pa.Column(str),
        "year": pa.Column("int64", pa.Check.in_range(1946, 2100)),
        "gdp": pa.Column(float, pa.Check.gt(0)),
        "population": pa.Column(float, pa.Check.gt(0), nullable=True),
    },
    unique=["code", "year"],
    strict=True,
)

ARMS_RACES = pa.DataFrameSchema(
    {
        "race_id": pa.Column("int64", pa.Check.gt(0), unique=True),
        "ccode1": pa.Column("int64", pa.Check.gt(0)),
        "ccode2": pa.Column("int64", pa.Check.gt(0)),
        "styear": pa.Column("int64", pa.Check.in_range(1816, 1993)),
        "endyear": pa.Column("int64", pa.Check.in_range(1816, 1993)),
    },
    checks=[
        pa.Check(lambda df: df["styear"] <= df["endyear"], error="a race ends after it starts")
    ],
    strict=True,
)

COLD_WAR_MILEX = pa.DataFrameSchema(
    {
        "iso3": pa.Column(str, pa.Check.isin(["RUS"])),
        "year": pa.Column("int64", pa.Check.in_range(1949, 1991)),
        "milex_usd": pa.Column(float, pa.Check.gt(0)),
        "source": pa.Column(str),
    },
    unique=["iso3", "year"],
    strict=True,
)

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "countries": COUNTRIES,
    "panel": PANEL,
    "panel_flags": PANEL_FLAGS,
    "nato_reported": NATO_REPORTED,
    "gas_dependence": GAS_DEPENDENCE,
    "borders": BORDERS,
    "capabilities": CAPABILITIES,
    "conflict_dyads": CONFLICT_DYADS,
    "long_run_gdp": LONG_RUN_GDP,
    "arms_races": ARMS_RACES,
    "cold_war_milex": COLD_WAR_MILEX,
}


def validate(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Validate ``df`` against the schema of table ``name`` (all errors reported at once)."""
    return SCHEMAS[name].validate(df, lazy=True)
