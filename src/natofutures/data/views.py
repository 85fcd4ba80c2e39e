"""Ready-made views of the panel for people (used by ``natofutures data show spending``)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from natofutures.data.loaders import countries, latest_year, panel, panel_flags

GDP_BASE_YEAR = 2015
MILEX_BASE_YEAR = 2023

_OBSERVED_SOURCE = {
    "gdp_usd": "WDI",
    "milex_usd": "SIPRI",
    "burden": "SIPRI",
    "milex_per_capita_usd": "SIPRI/population",
}
SPENDING_SORTS = {
    "burden": ("burden", False),
    "milex": ("milex_usd", False),
    "gdp": ("gdp_usd", False),
    "per_capita": ("milex_per_capita_usd", False),
    "iso3": ("iso3", True),
    "name": ("name", True),
}


def spending(
    years: Iterable[int] | int | None = None,
    countries_: Iterable[str] | str | None = None,
    sort: str | None = None,
) -> pd.DataFrame:
    """Defence spending per country-year with the source of each figure.

    Columns: ``iso3``, ``name``, ``role``, ``year``, ``gdp_usd`` (constant 2015 US$, WDI),
    ``milex_usd`` (constant 2023 US$, SIPRI), ``burden`` (fraction of GDP, SIPRI),
    ``milex_per_capita_usd`` (constant 2023 US$ per person) and ``*_source`` columns
    (``WDI``/``SIPRI``/``SIPRI/OWID``, ``filled: <rule>`` or ``missing``).
    ``years=None`` means :func:`~natofutures.data.latest_year`.
    """
    if sort is not None and sort not in SPENDING_SORTS:
        from natofutures.errors import not_allowed

        raise not_allowed("--sort", sort, "one of " + ", ".join(SPENDING_SORTS))
    p = panel(countries=countries_, years=latest_year() if years is None else years)
    cols = list(_OBSERVED_SOURCE)
    df = p[["iso3", "year", *cols]]
    flags = panel_flags()
    flags = flags[flags["column"].isin(cols)]
    label = flags["status"].map({"observed": "", "filled": "filled: ", "missing": "missing"})
    flags = flags.assign(label=label.where(flags["status"] != "filled", label + flags["rule"]))
    obs = flags["status"] == "observed"
    flags.loc[obs, "label"] = flags.loc[obs, "column"].map(_OBSERVED_SOURCE)
    src = flags.pivot(index=["iso3", "year"], columns="column", values="label")
    src = src.rename(columns=lambda c: f"{c}_source").reset_index()
    df = df.merge(src, on=["iso3", "year"], how="left")
    meta = countries()[["iso3", "name", "role"]]
    df = meta.merge(df, on="iso3", how="inner")
    df = df[["iso3", "name", "role", "year", *cols, *[f"{c}_source" for c in cols]]]
    if sort is not None:
        col, asc = SPENDING_SORTS[sort]
        df = df.sort_values([col, "year"], ascending=[asc, True], na_position="last")
    else:
        df = df.sort_values(["year", "iso3"])
    return df.reset_index(drop=True)
