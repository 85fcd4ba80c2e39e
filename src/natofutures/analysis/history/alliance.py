"""Burden-sharing history of NATO on the bundled data: the alliance as it was each year.

Members are counted from their accession year (``countries().nato_accession``): Finland from
2023, Sweden from 2024. Two series are kept apart and every output says which it uses:

- **SIPRI** (``data.panel()``): defence spending / GDP and spending in constant 2023 US$,
  1949 to the latest year: the long history, the exploitation test, the US share.
- **NATO** (``data.nato_reported()``): NATO's own reported share of GDP for the years NATO
  (or its re-reporters) published: NATO's own count of allies at 2 %, pledge compliance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from natofutures import data
from natofutures.analysis.history.compliance import compliance
from natofutures.analysis.history.pledges import (
    check_growth,
    get_pledge,
    pledge_gaps,
    pledges,
)
from natofutures.analysis.history.settings import parameter
from natofutures.analysis.history.statistics import RESULT_COLUMNS, exploitation_test
from natofutures.errors import InputError, not_allowed

#: Where each series comes from (shown by the CLI and stored in ``DataFrame.attrs``).
SERIES = {
    "sipri": "SIPRI Military Expenditure Database 2025 (share of GDP; constant 2023 US$)",
    "nato": "NATO-reported defence expenditure as a share of GDP (latest release per year)",
    "gdp": "World Bank WDI GDP, constant 2015 US$",
}

#: The default first year of the history (docs/validation.md: 1990-latest).
DEFAULT_START = 1990


def year_bounds() -> tuple[int, int]:
    """First and last year of SIPRI data in the bundled panel (the last is ``latest_year``)."""
    years = data.panel()["year"]
    return int(years.min()), int(data.latest_year())


def check_span(start: int | None, end: int | None) -> tuple[int, int]:
    """Validate a year span against the data; ``None`` means 1990 / the latest year."""
    lo, hi = year_bounds()
    end = hi if end is None else end
    if start is None:  # 1990, or --to itself when --to is earlier
        start = min(max(DEFAULT_START, lo), end) if isinstance(end, int) else DEFAULT_START
    for field, value in (("from", start), ("to", end)):
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise not_allowed(field, value, f"a year in {lo}-{hi} (the bundled data)")
    if start > end:
        raise not_allowed("from", start, f"a year not after --to ({end})")
    return start, end


def allies() -> pd.DataFrame:
    """Every country that has joined NATO: iso3, name, nato_accession (int), european."""
    c = data.countries()
    c = c[c["nato_accession"].notna()]
    out = c[["iso3", "name", "nato_accession", "european"]].copy()
    out["nato_accession"] = out["nato_accession"].astype("int64")
    return out.reset_index(drop=True)


def check_ally(iso3: str) -> str:
    """Upper-case ISO3 code of a NATO ally; anything else raises :class:`InputError`."""
    code = str(iso3).strip().upper()
    known = allies()["iso3"].tolist()
    if code not in known:
        raise not_allowed("iso3", iso3, "the ISO3 code of a NATO ally: " + ", ".join(sorted(known)))
    return code


def membership(start: int, end: int) -> pd.DataFrame:
    """One row per member and year (iso3, year, name, european), members by accession year."""
    a = allies()
    years = pd.DataFrame({"year": np.arange(start, end + 1, dtype="int64")})
    grid = a.merge(years, how="cross")
    grid = grid[grid["nato_accession"] <= grid["year"]]
    return grid.sort_values(["year", "iso3"], ignore_index=True)


def nato_years() -> list[int]:
    """Years whose NATO-reported table covers at least ``nato_coverage`` of the members."""
    rep = data.nato_reported()
    counts = rep.groupby("year")["iso3"].nunique()
    mem = membership(int(counts.index.min()), int(counts.index.max()))
    size = mem.groupby("year")["iso3"].size()
    share = counts / size.reindex(counts.index)
    return [int(y) for y in share[share >= float(parameter("nato_coverage"))].index]


def alliance_panel(start: int, end: int) -> pd.DataFrame:
    """Member-years with SIPRI/WDI panel columns, ``gdp_per_capita`` and NATO's ``burden_nato``.

    Missing values stay NaN (never zero); NATO's figure is NaN in years NATO published none.
    """
    mem = membership(start, end)
    cols = ["iso3", "year", "gdp_usd", "population", "milex_usd", "burden"]
    p = data.panel()[cols]
    out = mem.merge(p, on=["iso3", "year"], how="left")
    out["gdp_per_capita"] = out["gdp_usd"] / out["population"]
    rep = data.nato_reported()[["iso3", "year", "burden"]].rename(columns={"burden": "burden_nato"})
    out = out.merge(rep, on=["iso3", "year"], how="left")
    out.attrs["series"] = dict(SERIES)
    return out


def _aggregates(g: pd.DataFrame) -> dict[str, object]:
    """Aggregate burdens and the US share for one year of member rows."""
    eur_can = g[g["european"] | (g["iso3"] == "CAN")]
    ok = eur_can["burden"].notna() & eur_can["gdp_usd"].notna()
    # Implied spending in GDP's constant 2015 US$ (burden x GDP) keeps numerator and
    # denominator in one price base; SIPRI's milex_usd is in 2023 US$.
    agg = (
        float((eur_can.loc[ok, "burden"] * eur_can.loc[ok, "gdp_usd"]).sum())
        / float(eur_can.loc[ok, "gdp_usd"].sum())
        if ok.any()
        else np.nan
    )
    us = g[g["iso3"] == "USA"]
    us_burden = float(us["burden"].iloc[0]) if len(us) else np.nan
    spend = g["milex_usd"]
    us_milex = float(us["milex_usd"].iloc[0]) if len(us) else np.nan
    total = float(spend.sum()) if spend.notna().any() else np.nan
    return {
        "europe_canada_burden": agg,
        "europe_canada_n": int(ok.sum()),
        "europe_canada_missing": ",".join(sorted(eur_can.loc[~ok, "iso3"])),
        "us_burden": us_burden,
        "us_share": us_milex / total if total and np.isfinite(us_milex) else np.nan,
        "spending_missing": ",".join(sorted(g.loc[spend.isna(), "iso3"])),
    }


def burden_history(start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """Per year: members, allies at 2 % and 3.5 %, aggregate burdens, US share, O–Z test.

    Columns (series in brackets): ``year``, ``members``; ``n_burden``, ``missing_burden``,
    ``allies_2pct``, ``allies_3_5pct`` [SIPRI]; ``nato_n``, ``allies_2pct_nato``,
    ``allies_3_5pct_nato`` [NATO; NA in years without a NATO table]; ``europe_canada_burden``
    (GDP-weighted, i.e. total spending / total GDP of European allies and Canada),
    ``europe_canada_n``, ``europe_canada_missing``, ``us_burden``, ``us_share`` (US spending /
    spending of all members with data, constant 2023 US$), ``spending_missing`` [SIPRI];
    ``n``, ``rho``, ``p_value``, ``ci_low``, ``ci_high``, ``partial_rho``, ``partial_p``,
    ``partial_df``, ``note``: the exploitation test of GDP (WDI) against burden (SIPRI),
    partial holding GDP per capita constant (see :func:`exploitation_test`).
    """
    start, end = check_span(start, end)
    panel = alliance_panel(start, end)
    rows = []
    for year, g in panel.groupby("year", sort=True):
        row: dict[str, object] = {"year": year, "members": len(g)}
        row.update(_aggregates(g))
        rows.append(row)
    out = pd.DataFrame(rows)
    sipri2 = compliance(panel, 0.02)
    sipri35 = compliance(panel, 0.035)
    out["n_burden"] = sipri2["n"].to_numpy()
    out["missing_burden"] = sipri2["missing"].to_numpy()
    out["allies_2pct"] = sipri2["n_at_or_above"].to_numpy()
    out["allies_3_5pct"] = sipri35["n_at_or_above"].to_numpy()
    nato = compliance(panel, 0.02, burden="burden_nato")
    nato35 = compliance(panel, 0.035, burden="burden_nato")
    has_table = out["year"].isin(nato_years()).to_numpy()
    out["nato_n"] = nato["n"].to_numpy()
    for column, counts in (("allies_2pct_nato", nato), ("allies_3_5pct_nato", nato35)):
        values = pd.Series(counts["n_at_or_above"].to_numpy(), index=out.index, dtype="Int64")
        out[column] = values.where(has_table, pd.NA)
    oz = exploitation_test(
        panel,
        size="gdp_usd",
        burden="burden",
        by="year",
        control="gdp_per_capita",
        min_n=int(parameter("min_observations")),
        confidence=float(parameter("confidence")),
    )
    out = out.merge(oz, on="year", how="left", validate="one_to_one")
    order = [
        "year",
        "members",
        "n_burden",
        "missing_burden",
        "allies_2pct",
        "allies_3_5pct",
        "nato_n",
        "allies_2pct_nato",
        "allies_3_5pct_nato",
        "europe_canada_burden",
        "europe_canada_n",
        "europe_canada_missing",
        "us_burden",
        "us_share",
        "spending_missing",
        *RESULT_COLUMNS,
    ]
    out = out[order]
    out.attrs["series"] = dict(SERIES)
    return out


def ally_history(iso3: str, start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """One ally's burden path, rank among that year's members, and gap to each pledge.

    Columns: ``year``, ``member`` (bool), ``burden`` [SIPRI], ``burden_nato`` [NATO, NaN where
    none], ``milex_usd`` [SIPRI, constant 2023 US$], ``rank`` (1 = highest SIPRI burden among
    that year's members with data; NA before accession or without data), ``ranked`` (members
    ranked), and ``gap_<pledge>`` = pledge's core level − burden [SIPRI] (positive: short of
    it; negative: above it). The default span starts in 1990 or at accession if later.
    """
    code = check_ally(iso3)
    a = allies()
    accession = int(a.loc[a["iso3"] == code, "nato_accession"].iloc[0])
    if start is None:
        first = max(DEFAULT_START, accession, year_bounds()[0])
        start = min(first, end) if isinstance(end, int) else first
    start, end = check_span(start, end)
    p = data.panel()
    p = p[(p["year"] >= start) & (p["year"] <= end)]
    mine = p[p["iso3"] == code][["year", "burden", "milex_usd"]]
    members = membership(start, end).merge(p, on=["iso3", "year"], how="left")
    members = members[members["burden"].notna()].copy()
    members["rank"] = members.groupby("year")["burden"].rank(ascending=False, method="min")
    ranks = members[members["iso3"] == code][["year", "rank"]]
    ranked = members.groupby("year").size().rename("ranked").reset_index()
    years = pd.DataFrame({"year": np.arange(start, end + 1, dtype="int64")})
    out = years.merge(mine, on="year", how="left")
    out.insert(1, "member", out["year"] >= accession)
    rep = data.nato_reported()
    rep = rep[rep["iso3"] == code][["year", "burden"]].rename(columns={"burden": "burden_nato"})
    out = out.merge(rep, on="year", how="left").merge(ranks, on="year", how="left")
    out = out.merge(ranked, on="year", how="left")
    out["rank"] = out["rank"].astype("Int64")
    out["ranked"] = out["ranked"].astype("Int64")
    out.loc[~out["member"], ["rank", "ranked"]] = pd.NA
    for name, pl in pledges().items():
        out[f"gap_{name}"] = pl.core - out["burden"]
    out = out[
        ["year", "member", "burden", "burden_nato", "milex_usd", "rank", "ranked"]
        + [f"gap_{n}" for n in pledges()]
    ]
    out.attrs["series"] = dict(SERIES)
    out.attrs["iso3"] = code
    out.attrs["accession"] = accession
    return out


def spending_trend(years: int, end: int | None = None) -> pd.DataFrame:
    """Compound annual real growth of each ally's SIPRI spending over ``years`` to ``end``.

    Uses constant 2023 US$ (real). NaN where either end point is missing or zero.
    """
    lo, hi = year_bounds()
    end = hi if end is None else end
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= end - lo:
        raise not_allowed("trend_years", years, f"a whole number of years in 1-{end - lo}")
    p = data.panel()[["iso3", "year", "milex_usd"]]
    first = p[p["year"] == end - years].set_index("iso3")["milex_usd"]
    last = p[p["year"] == end].set_index("iso3")["milex_usd"]
    codes = allies()["iso3"]
    m0 = first.reindex(codes).to_numpy(dtype="float64")
    m1 = last.reindex(codes).to_numpy(dtype="float64")
    ok = np.isfinite(m0) & np.isfinite(m1) & (m0 > 0) & (m1 > 0)
    growth = np.full(len(codes), np.nan)
    growth[ok] = (m1[ok] / m0[ok]) ** (1.0 / years) - 1.0
    return pd.DataFrame(
        {
            "iso3": codes.to_numpy(),
            "trend_growth": growth,
            "trend_from": end - years,
            "trend_to": end,
        }
    )


def default_base_year() -> int:
    """Latest year with a NATO-reported table covering ``nato_coverage`` of the members."""
    years = nato_years()
    if not years:
        raise InputError("base_year: the bundled NATO-reported table covers no full year")
    return max(years)


def pledge_tracker(
    pledge: str = "hague_2025",
    *,
    due: int | None = None,
    gdp_growth: float | None = None,
    base_year: int | None = None,
    trend_years: int | None = None,
) -> pd.DataFrame:
    """The pledge tracker on the bundled data: every current ally's gap to ``pledge``.

    Core burden is NATO's own reported figure for ``base_year`` (default: the latest year
    NATO reported for nearly every ally), because compliance is judged on NATO's counting;
    ``burden_sipri`` (SIPRI, same year or the latest before it) is shown beside it for
    reference. The trend is the compound annual real growth of SIPRI spending (constant 2023
    US$) over the ``trend_years`` up to the base year. Allies are that year's members.
    Related spending (the Hague 1.5 %) is not in the bundled data, so the 5 % total gap is NaN
    with a note until it is. Defaults come from ``parameters/history.yaml``.
    """
    get_pledge(pledge)
    gdp_growth = check_growth(
        "gdp_growth", float(parameter("gdp_growth")) if gdp_growth is None else gdp_growth
    )
    trend_years = int(parameter("trend_window_years")) if trend_years is None else trend_years
    valid_bases = nato_years()
    if base_year is None:
        base_year = default_base_year()
    elif base_year not in valid_bases:
        raise not_allowed(
            "base_year",
            base_year,
            "a year with a NATO-reported table: " + ", ".join(map(str, valid_bases)),
        )
    # As of the base year: that year's members, the SIPRI figure and the trend up to it.
    latest = min(base_year, year_bounds()[1])
    current = allies()
    current = current[current["nato_accession"] <= base_year]
    rep = data.nato_reported()
    rep = rep[rep["year"] == base_year][["iso3", "burden", "estimate"]]
    table = current.merge(rep, on="iso3", how="left")
    table["year"] = base_year
    table = table.merge(spending_trend(trend_years, latest), on="iso3", how="left")
    sipri = data.panel()
    sipri = sipri[sipri["year"] == latest][["iso3", "burden"]].rename(
        columns={"burden": "burden_sipri"}
    )
    table = table.merge(sipri, on="iso3", how="left")
    gaps = pledge_gaps(
        table,
        pledge=pledge,
        due=due,
        gdp_growth=gdp_growth,
        base_year=base_year,
        related=None,
    )
    gaps.insert(1, "name", table["name"].to_numpy())
    gaps.insert(4, "estimate", table["estimate"].astype("boolean").to_numpy())
    gaps["burden_sipri"] = table["burden_sipri"].to_numpy()
    gaps["sipri_year"] = latest
    gaps["trend_from"] = table["trend_from"].to_numpy()
    gaps["trend_to"] = table["trend_to"].to_numpy()
    gaps["note"] = gaps["note"].str.replace(
        "no burden figure", f"no NATO-reported figure for {base_year}", regex=False
    )
    gaps = gaps.sort_values(["gap_core", "burden"], ascending=[False, True], ignore_index=True)
    gaps.attrs["series"] = {
        "burden": SERIES["nato"] + f", {base_year}",
        "burden_sipri": SERIES["sipri"] + f", {latest}",
        "trend_growth": f"SIPRI constant 2023 US$, compound annual growth {latest - trend_years}"
        f"-{latest}",
    }
    gaps.attrs["pledge"] = get_pledge(pledge)
    gaps.attrs["gdp_growth"] = gdp_growth
    gaps.attrs["due"] = gaps_due(pledge, due)
    return gaps


def gaps_due(pledge: str, due: int | None) -> int:
    """The due year in force: the one given, else the pledge's own."""
    return get_pledge(pledge).due if due is None else due
