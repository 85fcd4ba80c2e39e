"""Build the country-year panel (and its fill flags) from the raw source folder.

Every column comes from one named source; every value not read directly from that source
is either NaN or produced by one of the documented rules in :data:`FILL_RULES` and recorded
in the flags table. Only used by the build (``natofutures data build --raw DIR``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from natofutures.data import registry

FIRST_YEAR = 1949
LAST_YEAR = 2024  # latest SIPRI year (2025 edition)

FILL_RULES: dict[str, str] = {
    "twn_gdp_sipri_imf": (
        "Taiwan is not in WDI: real GDP index = SIPRI milex (constant 2023 US$) / SIPRI share "
        "of GDP, level anchored so the 2015 value equals IMF WEO Oct 2025 GDP in current US$"
    ),
    "twn_ppp_sipri_imf": (
        "Taiwan is not in WDI: real GDP index = SIPRI milex (constant 2023 US$) / SIPRI share "
        "of GDP, level anchored so the 2021 value equals IMF WEO Oct 2025 GDP PPP (int$)"
    ),
    "pop_loglinear_owid_wpp": (
        "population between OWID (last year 2021) and UN WPP 2024 median (2024) interpolated "
        "log-linearly"
    ),
    "democracy_carry_forward": (
        "last observed Polity5 value carried forward (Polity5 ends 2018; at most 6 years)"
    ),
    "democracy_freedom_house": (
        "country not in Polity5: Freedom House (political rights + civil liberties)/100, "
        "2005-2022, last value carried forward"
    ),
    "burden_zero_iceland": (
        "Iceland has no armed forces: SIPRI reports 0 spending (constant US$) and no share, "
        "so the share is 0"
    ),
    "warheads_zero_non_nuclear": "not listed by FAS as possessing nuclear weapons: 0 warheads",
    "warheads_carry_forward": "FAS stockpile ends 2023: 2023 value carried forward",
}

#: value columns of the panel, in order (units in docs/data.md)
PANEL_VALUE_COLUMNS = (
    "gdp_usd",
    "gdp_ppp_usd",
    "population",
    "milex_usd",
    "burden",
    "milex_per_capita_usd",
    "personnel",
    "democracy",
    "warheads",
    "us_troops",
)
PANEL_COLUMNS = ["iso3", "year", *PANEL_VALUE_COLUMNS]


def _skeleton() -> pd.DataFrame:
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    idx = pd.MultiIndex.from_product([registry.ISO3, years], names=["iso3", "year"])
    return pd.DataFrame(index=idx).reset_index()


def _wdi(path: Path, name: str) -> pd.Series:
    """WDI wide CSV → Series indexed by (iso3, year)."""
    wide = pd.read_csv(path, skiprows=4)
    wide = wide[wide["Country Code"].isin(registry.ISO3)]
    years = [c for c in wide.columns if c.isdigit()]
    long = wide.melt(id_vars="Country Code", value_vars=years, var_name="year", value_name=name)
    long["year"] = long["year"].astype(int)
    long = long.rename(columns={"Country Code": "iso3"}).dropna(subset=[name])
    return long.set_index(["iso3", "year"])[name].astype(float)


def _sipri(raw: Path) -> pd.DataFrame:
    """SIPRI milex (constant 2023 US$) and share of GDP by (iso3, year)."""
    s = pd.read_csv(raw / "sipri_milex" / "sipri_milex_1949_2024_long.csv")
    names = {registry.SIPRI_NAMES.get(i, c.name): i for i, c in registry.by_iso3().items()}
    names["Türkiye"] = "TUR"
    s = s[s["Country"].isin(names)].copy()
    s["iso3"] = s["Country"].map(names)
    s = s.rename(columns={"Year": "year"})
    # A non-empty *_flag is SIPRI's "not available"/"did not exist" code: never a value.
    milex = (
        s["milex_constant_2023_usd_m"]
        .astype(float)
        .where(s["milex_constant_2023_usd_m_flag"].isna())
    )
    share = s["milex_share_gdp"].astype(float).where(s["milex_share_gdp_flag"].isna())
    out = pd.DataFrame({"milex_usd": milex * 1e6, "burden": share})
    out.index = pd.MultiIndex.from_arrays([s["iso3"], s["year"].astype(int)])
    return out


def _imf(path: Path, iso: str, year: int) -> float:
    """One IMF WEO value (billions → units) for Taiwan's anchor year."""
    t = pd.read_csv(path)
    row = t[t.iloc[:, 0] == "Taiwan Province of China"]
    return float(row[str(year)].iloc[0]) * 1e9 if iso == "TWN" else float("nan")


def _taiwan_gdp(raw: Path, sipri: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Taiwan GDP (constant 2015 US$) and PPP (constant 2021 int$) by rule ``twn_*``."""
    twn = sipri.xs("TWN", level="iso3")
    real_index = (twn["milex_usd"] / twn["burden"]).dropna()
    wdi_dir = raw / "wdi_gdp_pop_fairshares"
    mer = _imf(wdi_dir / "imf-dm-export-20251119_MER.csv", "TWN", 2015)
    ppp = _imf(wdi_dir / "imf-dm-export-20251119_PPP.csv", "TWN", 2021)
    gdp = real_index / real_index.loc[2015] * mer
    gdp_ppp = real_index / real_index.loc[2021] * ppp
    return gdp, gdp_ppp


def _population(raw: Path) -> tuple[pd.Series, pd.Series]:
    """Population (persons): OWID to 2021, UN WPP 2024 median for 2024; flags of filled."""
    owid = pd.read_csv(raw / "wdi_gdp_pop_fairshares" / "population.csv")
    owid = owid[owid["Code"].isin(registry.ISO3) & (owid["Year"] >= FIRST_YEAR)]
    pop = owid.set_index(["Code", "Year"])["Population (historical estimates)"].astype(float)
    pop.index.names = ["iso3", "year"]
    wpp = pd.read_excel(
        raw / "wdi_gdp_pop_fairshares" / "UN_PPP2024_Output_PopTot.xlsx",
        sheet_name="Median",
        header=16,
        engine="openpyxl",
    )
    wpp = wpp[wpp["ISO3 Alpha-code"].isin(registry.ISO3)]
    wpp24 = pd.Series(
        wpp[2024].astype(float).to_numpy() * 1e3,
        index=pd.MultiIndex.from_arrays(
            [wpp["ISO3 Alpha-code"].astype(str), np.full(len(wpp), LAST_YEAR)],
            names=["iso3", "year"],
        ),
    )
    last_owid = int(pop.index.get_level_values("year").max())
    filled = []
    for iso in registry.ISO3:
        if (iso, last_owid) not in pop.index or (iso, LAST_YEAR) not in wpp24.index:
            continue
        a, b = np.log(pop[(iso, last_owid)]), np.log(wpp24[(iso, LAST_YEAR)])
        span = LAST_YEAR - last_owid
        for k in range(1, span):
            filled.append(((iso, last_owid + k), float(np.exp(a + (b - a) * k / span))))
    fill = pd.Series(dict(filled), dtype=float)
    fill.index.names = ["iso3", "year"]
    return pd.concat([pop, wpp24]), fill


def _cow_personnel(raw: Path) -> pd.Series:
    """Armed-forces personnel (persons) from COW NMC v7.0 ``milper`` (thousands)."""
    nmc = pd.read_csv(raw / "peacesciencer" / "cow_nmc.csv")
    nmc["ccode"] = nmc["ccode"].astype(int)
    nmc["year"] = nmc["year"].astype(int)
    parts = []
    for c in registry.COUNTRIES:
        rows = nmc[nmc["ccode"] == c.cow][["year", "milper"]]
        for code, last in c.cow_before:
            before = nmc[(nmc["ccode"] == code) & (nmc["year"] <= last)][["year", "milper"]]
            rows = pd.concat([before, rows[~rows["year"].isin(before["year"])]])
        rows = rows.assign(iso3=c.iso3)
        parts.append(rows)
    out = pd.concat(parts).dropna(subset=["milper"])
    return out.set_index(["iso3", "year"])["milper"].astype(float) * 1e3


def _democracy(raw: Path) -> tuple[pd.Series, dict[tuple[str, int], str]]:
    """Democracy in [0, 1]: Polity5 (polity2 + 10) / 20; documented fills for the rest."""
    d = raw / "owid_notebooks" / "democracy_final"
    polity = pd.read_csv(d / "polity_final.csv")
    fh = pd.read_csv(d / "fh_final.csv")
    values: dict[tuple[str, int], float] = {}
    flags: dict[tuple[str, int], str] = {}
    for c in registry.COUNTRIES:
        names = {registry.POLITY_NAMES.get(c.iso3, c.name): 9999}
        if c.iso3 in registry.POLITY_PREDECESSORS:
            pred, last = registry.POLITY_PREDECESSORS[c.iso3]
            names[pred] = last
        series: dict[int, float] = {}
        for name, last in names.items():
            rows = polity[(polity["country_name"] == name) & (polity["year"] <= last)]
            rows = rows.dropna(subset=["democracy_polity"])
            for y, v in zip(rows["year"], rows["democracy_polity"], strict=True):
                if FIRST_YEAR <= y <= LAST_YEAR and y not in series:
                    series[int(y)] = (float(v) + 10.0) / 20.0
        rule = "democracy_carry_forward"
        if not series:
            rows = fh[fh["country_name"] == registry.FH_NAMES.get(c.iso3, c.name)]
            rows = rows.dropna(subset=["polrights_score_fh", "civlibs_score_fh"])
            total = (rows["polrights_score_fh"] + rows["civlibs_score_fh"]) / 100.0
            for y, v in zip(rows["year"], total, strict=True):
                series[int(y)] = float(v)
                flags[(c.iso3, int(y))] = "democracy_freedom_house"
            rule = "democracy_freedom_house"
        if not series:
            continue
        last_year = max(series)
        for y in range(last_year + 1, LAST_YEAR + 1):
            series[y] = series[last_year]
            flags[(c.iso3, y)] = rule
        for y, v in series.items():
            values[(c.iso3, y)] = v
    out = pd.Series(values, dtype=float)
    out.index.names = ["iso3", "year"]
    return out, flags


def _warheads(raw: Path) -> tuple[pd.Series, dict[tuple[str, int], str]]:
    """Nuclear warhead stockpile (count), FAS via OWID, 1945-2023."""
    f = pd.read_csv(raw / "owid_notebooks" / "fas_nuclear_2023" / "nuclear_weapons_stockpiles.csv")
    values: dict[tuple[str, int], float] = {}
    flags: dict[tuple[str, int], str] = {}
    fas_names = set(f["country_name"])
    for c in registry.COUNTRIES:
        name = registry.FAS_NAMES.get(c.iso3, c.name)
        if name not in fas_names:
            for y in range(FIRST_YEAR, LAST_YEAR + 1):
                values[(c.iso3, y)] = 0.0
                flags[(c.iso3, y)] = "warheads_zero_non_nuclear"
            continue
        rows = f[(f["country_name"] == name) & (f["year"] >= FIRST_YEAR)]
        for y, v in zip(rows["year"], rows["nuclear_weapons_stockpile"], strict=True):
            values[(c.iso3, int(y))] = float(v)
        last = int(rows["year"].max())
        for y in range(last + 1, LAST_YEAR + 1):
            values[(c.iso3, y)] = values[(c.iso3, last)]
            flags[(c.iso3, y)] = "warheads_carry_forward"
    out = pd.Series(values, dtype=float)
    out.index.names = ["iso3", "year"]
    return out, flags


def _us_troops(raw: Path) -> pd.Series:
    """US active-duty personnel in the host country (persons), troopdata ``troops_ad``."""
    t = pd.read_csv(raw / "troopdata" / "troopdata-rebuild-country-year.csv")
    # The USA row counts forces at home, not forces stationed abroad: left missing.
    t = t[t["iso3c"].isin(registry.ISO3) & (t["iso3c"] != "USA")]
    troops = t.groupby(["iso3c", "year"], as_index=True)["troops_ad"].sum(min_count=1)
    troops.index.names = ["iso3", "year"]
    return troops.astype(float)


def build_panel(raw: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (panel, filled-flags) built from the raw folder; see :data:`PANEL_COLUMNS`."""
    panel = _skeleton().set_index(["iso3", "year"])
    flags: dict[tuple[str, int, str], str] = {}

    wdi_dir = raw / "wdi_gdp_pop_fairshares"
    panel["gdp_usd"] = _wdi(wdi_dir / "API_NY.GDP.MKTP.KD_DS2_en_csv_v2_213435.csv", "gdp_usd")
    panel["gdp_ppp_usd"] = _wdi(
        wdi_dir / "API_NY.GDP.MKTP.PP.KD_DS2_en_csv_v2_1004.csv", "gdp_ppp_usd"
    )
    sipri = _sipri(raw)
    twn_gdp, twn_ppp = _taiwan_gdp(raw, sipri)
    for col, series, rule in (
        ("gdp_usd", twn_gdp, "twn_gdp_sipri_imf"),
        ("gdp_ppp_usd", twn_ppp, "twn_ppp_sipri_imf"),
    ):
        for y, v in zip(series.index.astype(int), series.to_numpy(), strict=True):
            if ("TWN", y) in panel.index:
                panel.loc[("TWN", y), col] = v
                flags[("TWN", y, col)] = rule

    pop, pop_fill = _population(raw)
    panel["population"] = pop
    for (iso, y), v in zip(pop_fill.index, pop_fill.to_numpy(), strict=True):
        panel.loc[(iso, y), "population"] = v
        flags[(str(iso), int(y), "population")] = "pop_loglinear_owid_wpp"
        flags[(str(iso), int(y), "milex_per_capita_usd")] = "pop_loglinear_owid_wpp"

    panel["milex_usd"] = sipri["milex_usd"]
    panel["burden"] = sipri["burden"]
    zero = (panel["milex_usd"] == 0) & panel["burden"].isna()
    for key in panel.index[zero]:
        panel.loc[key, "burden"] = 0.0
        flags[(*key, "burden")] = "burden_zero_iceland"
    panel["milex_per_capita_usd"] = panel["milex_usd"] / panel["population"]
    panel["personnel"] = _cow_personnel(raw)

    for col, (series, fl) in (("democracy", _democracy(raw)), ("warheads", _warheads(raw))):
        panel[col] = series
        for (iso, y), rule in fl.items():
            flags[(iso, y, col)] = rule
    panel["us_troops"] = _us_troops(raw)

    panel = panel.reset_index()[PANEL_COLUMNS].sort_values(["iso3", "year"], ignore_index=True)
    panel["year"] = panel["year"].astype("int64")
    flag_df = pd.DataFrame(
        [(i, y, c, r) for (i, y, c), r in flags.items() if FIRST_YEAR <= y <= LAST_YEAR],
        columns=["iso3", "year", "column", "rule"],
    )
    flag_df = flag_df.sort_values(["iso3", "year", "column"], ignore_index=True)
    return panel, flag_df
