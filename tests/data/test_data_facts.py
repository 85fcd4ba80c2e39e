"""Known facts, checked in the bundled tables and against the raw sources."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import natofutures as nf
from natofutures.data import build_tables


def test_us_is_the_largest_ally_spender_in_every_year() -> None:
    p = nf.data.panel()
    acc = nf.data.countries().set_index("iso3")["nato_accession"]
    p = p[p["iso3"].map(acc).le(p["year"]).fillna(False).astype(bool)]
    p = p.dropna(subset=["milex_usd"])
    top = p.loc[p.groupby("year")["milex_usd"].idxmax(), ["year", "iso3"]]
    assert len(top) >= 70  # 1949/1950-2024: SIPRI covers the US throughout
    assert set(top["iso3"]) == {"USA"}


def test_nato_reported_three_allies_met_2_percent_in_2014() -> None:
    n = nf.data.nato_reported()
    y2014 = n[n["year"] == 2014].set_index("iso3")["burden"]
    assert set(y2014[y2014 >= 0.02].index) == {"USA", "GBR", "GRC"}
    assert y2014["EST"] == pytest.approx(0.0193)
    assert y2014["USA"] == pytest.approx(0.0371)  # after resolving the transcription swap


def test_nato_reported_is_never_mixed_into_the_sipri_series() -> None:
    n = nf.data.nato_reported().set_index(["iso3", "year"])["burden"]
    p = nf.data.panel().set_index(["iso3", "year"])["burden"]
    # SIPRI and NATO differ (definitions): the panel is not NATO's numbers.
    assert (p.reindex(n.index) - n).abs().max() > 0.001


def test_nato_reported_keeps_the_latest_vintage_for_each_country_year() -> None:
    n = nf.data.nato_reported().set_index(["iso3", "year"])
    assert "Annual Report 2024" in n.loc[("USA", 2024), "vintage"]
    assert "Annual Report 2023" in n.loc[("USA", 2023), "vintage"]
    assert "GN46054" in n.loc[("GBR", 2014), "source"]


def test_every_flagged_swap_in_the_raw_file_is_resolved(raw_dir: Path) -> None:
    raw = pd.read_csv(raw_dir / build_tables.NATO_FILE)
    raw = raw[raw["indicator"] == "defence_expenditure_share_gdp"]
    names = {c.name: c.iso3 for c in nf.data.registry.COUNTRIES} | nf.data.registry.NATO_NAMES
    raw = raw[raw["country"].isin(names)].assign(iso3=lambda d: d["country"].map(names))
    flagged = raw["caveat"].str.contains("swapped|ascending order", na=False)
    assert flagged.sum() == 10  # five pairs
    resolved = build_tables._resolve_swaps(raw)
    assert len(resolved) == len(raw)  # none dropped
    swapped = resolved[resolved["resolution"] != ""]
    got = swapped.set_index(["SOURCE", "iso3", "year"])["value"].to_dict()
    assert got[(build_tables.GN_2024, "USA", 2014)] == 3.71
    assert got[(build_tables.GN_2024, "USA", 2024)] == 3.38
    assert got[(build_tables.GN_2023, "GBR", 2014)] == 2.14
    assert got[(build_tables.GN_2023, "TUR", 2023)] == 1.31


def test_accession_years_match_the_raw_2022_member_list(raw_dir: Path) -> None:
    members = pd.read_csv(
        raw_dir
        / "owid_notebooks"
        / "omm_military_expenditure"
        / "nato_member_states_2022config.csv"
    )
    c = nf.data.countries()
    before_2022 = c[c["nato_accession"].fillna(9999) <= 2021]
    assert len(before_2022) == len(members) == 30


def test_panel_spending_equals_raw_sipri(raw_dir: Path) -> None:
    s = pd.read_csv(raw_dir / "sipri_milex" / "sipri_milex_1949_2024_long.csv")
    row = s[(s["Country"] == "United States of America") & (s["Year"] == 2024)].iloc[0]
    usa = nf.data.panel(countries="USA", years=2024).iloc[0]
    assert usa["milex_usd"] == pytest.approx(row["milex_constant_2023_usd_m"] * 1e6, rel=1e-11)
    assert usa["burden"] == pytest.approx(row["milex_share_gdp"], rel=1e-11)


def test_gas_dependence_equals_raw_eurostat_ratio(raw_dir: Path) -> None:
    g = pd.read_csv(raw_dir / "eurostat_gas_hblasum" / "nrg_ti_gas_custom_russia_total_long.csv")
    g = g[(g["geo"] == "Latvia") & (g["year"] == 2020) & (g["siec"] == "Natural gas")]
    v = g.set_index("partner")["value"]
    got = nf.data.gas_dependence().set_index(["iso3", "year"]).loc[("LVA", 2020), "russia_share"]
    assert got == pytest.approx(v["Russia"] / v["Total"], abs=1e-6)


def test_frontline_borders_are_listed() -> None:
    b = nf.data.borders()
    land_rows = b[b["kind"] == "land"]
    land = set(zip(land_rows["iso3"], land_rows["neighbour"], strict=True))
    assert {("FIN", "RUS"), ("EST", "RUS"), ("POL", "BLR"), ("LTU", "RUS"), ("KOR", "PRK")} <= land
    assert ("DEU", "RUS") not in land


def test_borders_equal_cow_direct_contiguity_in_force(raw_dir: Path) -> None:
    c = pd.read_csv(raw_dir / "peacesciencer" / "cow_contdir.csv")
    c = c[c["enddate"] == "2016-12-01"].set_index(["ccode1", "ccode2"])["conttype"]
    assert c[(375.0, 365.0)] == 1  # Finland-Russia: land
    assert c[(2.0, 365.0)] == 2  # Bering Strait: up to 12 miles of water
    b = nf.data.borders().set_index(["iso3", "neighbour"])["kind"]
    assert b[("FIN", "RUS")] == "land"
    assert b[("USA", "RUS")] == "sea"
    assert b[("TWN", "CHN")] == "sea"
    assert not b.index.duplicated().any()  # COW gives one (closest) type per dyad
    assert set(nf.data.borders()["source"]) == {
        "COW Direct Contiguity v3.2 (via peacesciencer cow_contdir)"
    }


def test_conflict_dyads_count_directed_onsets_from_gml(raw_dir: Path) -> None:
    d = nf.data.conflict_dyads().set_index(["ccode1", "ccode2", "year"])
    # Korean War: North Korea (731) attacked South Korea (732) in 1950, a war-level dispute
    assert d.loc[(731, 732, 1950), "onset12"] == 3
    assert d.loc[(731, 732, 1950), "onset21"] == 0
    assert d.loc[(731, 732, 1950), "contiguity"] == 1
    # pre-1945 alliance data are not observed; the scope-filtered ATOP file covers 1945+
    assert d.xs(1900, level="year")["defence_pact"].isna().all()
    assert set(d["onset12"].unique()) <= {0, 1, 2, 3}
