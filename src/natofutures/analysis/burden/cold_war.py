"""Soviet spending before SIPRI's Russia series: the USSR 1949-1991 in constant 2023 US$.

SIPRI's Russia series starts in 1992 and its USSR row has only 1988-1990 (constant 2023 US$);
China starts in 1989. The Correlates of War National Material Capabilities data (COW NMC 7.0,
bundled under ``data/raw/peacesciencer``) give ``milex`` for the USSR (ccode 365) from 1816
in thousands of CURRENT US$, from sources that change over time (COW's Soviet series drops
by about 60% between 1988 and 1989 when its source changes).

Splice (no deflator needed): the adversary's spending relative to the United States in the
same year and the same COW source, ``r_t = milex_adv,t / milex_USA,t``, times SIPRI's US
spending in constant 2023 US$, then a level factor so that the spliced series equals SIPRI in
the first SIPRI year (USSR 1988). Years covered by SIPRI keep SIPRI's values; the
USSR 1991 value moves SIPRI's 1990 value by COW's 1990-1991 change (COW's post-1988 source).
The shape of the Cold-War path is COW's, its level SIPRI's (market exchange rates), so that it
joins the SIPRI Russia series used from 1992 on the same basis.

China is not spliced: COW's Chinese series changes source twice (a tenfold fall 1980-1985)
and China's threat to European allies is small, so China before 1989 keeps the engine's
backfill (its 1989 level).

The result is ``src/natofutures/data/tables/cold_war_milex.csv`` (built from data/raw by
:func:`build_table`; the package reads only the table at run time).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

TABLE = Path(__file__).resolve().parents[2] / "data" / "tables" / "cold_war_milex.csv"
COW_CODES = {"USA": 2, "RUS": 365}
SIPRI_ROWS = {"RUS": "USSR", "USA": "United States of America"}
FIRST_YEAR = 1949


def _cow(raw: Path) -> pd.DataFrame:
    cow = pd.read_csv(raw / "peacesciencer" / "cow_nmc.csv")
    cow = cow[cow["year"] >= FIRST_YEAR]
    out = {}
    for iso, code in COW_CODES.items():
        rows = cow[cow["ccode"] == code]
        s = rows.set_index(rows["year"].astype(int))["milex"]
        out[iso] = s.where(s > 0).astype(float)
    return pd.DataFrame(out)


def _sipri(raw: Path) -> pd.DataFrame:
    s = pd.read_csv(raw / "sipri_milex" / "sipri_milex_1949_2024_long.csv")
    val = (
        s["milex_constant_2023_usd_m"]
        .astype(float)
        .where(s["milex_constant_2023_usd_m_flag"].isna())
    )
    s = s.assign(v=val * 1e6)
    out = {}
    for iso, name in SIPRI_ROWS.items():
        rows = s[s["Country"] == name]
        out[iso] = rows.set_index(rows["Year"].astype(int))["v"]
    return pd.DataFrame(out).sort_index()


def build_table(raw: str | Path) -> pd.DataFrame:
    """USSR 1949-1991 spending, constant 2023 US$ (see module doc)."""
    raw = Path(raw)
    cow, sipri = _cow(raw), _sipri(raw)
    rows = []
    for iso, last in (("RUS", 1991),):
        first_sipri = int(sipri[iso].dropna().index[0])
        years = np.arange(FIRST_YEAR, last + 1)
        ratio = (cow[iso] / cow["USA"]).reindex(years)
        spliced = ratio * sipri["USA"].reindex(years)
        s_adv, s_usa = float(sipri[iso][first_sipri]), float(sipri["USA"][first_sipri])
        c_adv, c_usa = float(cow[iso][first_sipri]), float(cow["USA"][first_sipri])
        level = s_adv / (c_adv / c_usa * s_usa)
        value = spliced * level
        source = pd.Series("COW NMC 7.0 ratio to USA x SIPRI USA, level at SIPRI", index=years)
        have = sipri[iso].reindex(years).notna()
        value[have] = sipri[iso].reindex(years)[have]
        source[have] = "SIPRI (constant 2023 US$)"
        if iso == "RUS" and last not in sipri[iso].dropna().index:
            value[last] = value[last - 1] * cow.loc[last, iso] / cow.loc[last - 1, iso]
            source[last] = "SIPRI 1990 x COW NMC 1990-1991 change"
        rows.append(
            pd.DataFrame(
                {"iso3": iso, "year": years, "milex_usd": value.round(0), "source": source}
            )
        )
    return pd.concat(rows, ignore_index=True)


def load() -> pd.DataFrame:
    """The bundled table (iso3, year, milex_usd constant 2023 US$, source); in ``data_version``."""
    from natofutures.data import cold_war_milex

    return cold_war_milex()


if __name__ == "__main__":  # python -m natofutures.analysis.burden.cold_war data/raw
    import sys

    build_table(sys.argv[1] if len(sys.argv) > 1 else "data/raw").to_csv(TABLE, index=False)
