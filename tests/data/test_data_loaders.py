"""The loaders return the columns, types and units promised in docs/CONTRACTS.md."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import natofutures as nf
from natofutures.errors import InputError

ACCESSION = {
    **dict.fromkeys(
        ["USA", "CAN", "GBR", "FRA", "BEL", "NLD", "LUX", "NOR", "DNK", "ISL", "ITA", "PRT"], 1949
    ),
    "GRC": 1952,
    "TUR": 1952,
    "DEU": 1955,
    "ESP": 1982,
    **dict.fromkeys(["CZE", "HUN", "POL"], 1999),
    **dict.fromkeys(["BGR", "EST", "LVA", "LTU", "ROU", "SVK", "SVN"], 2004),
    "ALB": 2009,
    "HRV": 2009,
    "MNE": 2017,
    "MKD": 2020,
    "FIN": 2023,
    "SWE": 2024,
}
ADVERSARIES = {"RUS", "CHN", "BLR", "PRK", "IRN"}
PARTNERS = {"UKR", "JPN", "KOR", "AUS", "TWN", "NZL", "PHL", "IND", "SAU", "ARE", "VNM"}
PANEL_COLUMNS = [
    "iso3", "year", "gdp_usd", "gdp_ppp_usd", "population", "milex_usd", "burden",
    "milex_per_capita_usd", "personnel", "democracy", "warheads", "us_troops",
]  # fmt: skip


def test_countries_are_the_32_allies_5_adversaries_and_11_partners() -> None:
    c = nf.data.countries()
    assert list(c.columns[:9]) == [
        "iso3", "name", "role", "nato_accession", "region", "european", "capital", "lat", "lon",
    ]  # fmt: skip
    roles = c.groupby("role")["iso3"].apply(set).to_dict()
    assert roles == {"ally": set(ACCESSION), "adversary": ADVERSARIES, "partner": PARTNERS}


def test_accession_years_are_the_treaty_facts() -> None:
    c = nf.data.countries().set_index("iso3")
    allies = c[c["role"] == "ally"]["nato_accession"]
    assert allies.to_dict() == ACCESSION
    assert str(c["nato_accession"].dtype) == "Int64"
    assert c.loc[sorted(ADVERSARIES | PARTNERS), "nato_accession"].isna().all()


def test_european_flag_marks_allies_in_europe_only() -> None:
    c = nf.data.countries().set_index("iso3")
    assert set(c.index[c["european"]]) == set(ACCESSION) - {"USA", "CAN"}


def test_capitals_have_plausible_coordinates() -> None:
    c = nf.data.countries().set_index("iso3")
    assert c.loc["UKR", "capital"] == "Kyiv"
    assert c.loc["DEU", "capital"] == "Berlin"
    assert c.loc["USA", "lat"] == pytest.approx(38.9, abs=0.1)
    assert c.loc["USA", "lon"] == pytest.approx(-77.0, abs=0.1)
    assert c.loc["TWN", "capital"] == "Taipei"


def test_panel_has_the_contract_columns_and_float_units() -> None:
    p = nf.data.panel()
    assert list(p.columns) == PANEL_COLUMNS
    assert p["year"].min() == 1949
    assert p["year"].max() == nf.data.latest_year()
    assert len(p) == 48 * (p["year"].max() - 1948)
    for col in PANEL_COLUMNS[2:]:
        assert p[col].dtype == "float64", col


def test_panel_filters_by_country_and_year() -> None:
    p = nf.data.panel(countries=["usa", "DEU"], years=[2023, 2024])
    assert sorted(zip(p["iso3"], p["year"], strict=True)) == [
        ("DEU", 2023), ("DEU", 2024), ("USA", 2023), ("USA", 2024),
    ]  # fmt: skip
    assert len(nf.data.panel(countries="POL", years=2024)) == 1


def test_panel_units_are_persons_and_dollars_not_millions() -> None:
    usa = nf.data.panel(countries="USA", years=2024).iloc[0]
    assert 3.0e8 < usa["population"] < 3.6e8  # persons
    assert 8e11 < usa["milex_usd"] < 1.2e12  # constant 2023 US$, not US$ m
    assert 2e13 < usa["gdp_usd"] < 2.5e13  # constant 2015 US$
    assert 0.03 < usa["burden"] < 0.04  # a fraction, not a percent
    assert usa["milex_per_capita_usd"] == pytest.approx(usa["milex_usd"] / usa["population"])


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"countries": "XXX"}, "'XXX'"),
        ({"years": 1800}, "1800"),
        ({"years": [2024, 3000]}, "3000"),
    ],
)
def test_bad_panel_arguments_raise_one_line_input_errors(kwargs: dict, needle: str) -> None:
    with pytest.raises(InputError) as err:
        nf.data.panel(**kwargs)
    assert needle in str(err.value)
    assert "\n" not in str(err.value)


def test_panel_flags_cover_every_value_with_a_status() -> None:
    p = nf.data.panel()
    f = nf.data.panel_flags()
    assert list(f.columns) == ["iso3", "year", "column", "status", "rule"]
    assert len(f) == len(p) * 10
    missing = f[f["status"] == "missing"].merge(
        p.melt(id_vars=["iso3", "year"], var_name="column"), on=["iso3", "year", "column"]
    )
    assert missing["value"].isna().all()
    filled = f[f["status"] == "filled"]
    assert (filled["rule"] != "").all()


def test_taiwan_gdp_is_filled_and_flagged() -> None:
    f = nf.data.panel_flags()
    twn = f[(f["iso3"] == "TWN") & (f["column"] == "gdp_usd") & (f["year"] == 2024)]
    assert twn[["status", "rule"]].values.tolist() == [["filled", "twn_gdp_sipri_imf"]]
    gdp = nf.data.panel(countries="TWN", years=2015)["gdp_usd"].iloc[0]
    assert gdp == pytest.approx(534.515e9)  # IMF WEO 2015 current US$ (the anchor)


def test_missing_values_stay_nan_never_zero() -> None:
    prk = nf.data.panel(countries="PRK", years=2024).iloc[0]
    assert pd.isna(prk["milex_usd"])
    assert pd.isna(prk["gdp_usd"])
    assert pd.isna(nf.data.panel(countries="USA", years=2024)["us_troops"].iloc[0])


def test_small_tables_have_their_contract_columns() -> None:
    assert list(nf.data.nato_reported().columns[:6]) == [
        "iso3", "year", "burden", "estimate", "source", "publisher",
    ]  # fmt: skip
    assert "caveat" in nf.data.nato_reported().columns
    assert list(nf.data.gas_dependence().columns) == ["iso3", "year", "russia_share", "source"]
    assert list(nf.data.borders().columns[:4]) == ["iso3", "neighbour", "kind", "source"]


def test_tables_and_table_round_trip() -> None:
    names = nf.data.tables()
    assert set(names) >= {"countries", "panel", "panel_flags", "nato_reported", "borders"}
    for name in names:
        assert not nf.data.table(name).empty
    with pytest.raises(InputError, match="'nope'"):
        nf.data.table("nope")


def test_every_bundled_csv_is_a_registered_table_and_so_in_the_data_version() -> None:
    from natofutures.data.loaders import TABLES_DIR

    on_disk = {p.stem for p in TABLES_DIR.glob("*.csv")}
    assert on_disk == set(nf.data.tables())
    assert "cold_war_milex" in on_disk


def test_the_burden_fit_reads_the_soviet_series_through_the_registered_loader() -> None:
    from natofutures.analysis.burden import cold_war

    ussr = nf.data.cold_war_milex()
    assert list(ussr.columns) == ["iso3", "year", "milex_usd", "source"]
    assert (ussr["year"].min(), ussr["year"].max()) == (1949, 1991)
    pd.testing.assert_frame_equal(cold_war.load(), ussr)


def test_latest_year_is_the_latest_sipri_year() -> None:
    assert nf.data.latest_year() == 2024


def test_data_version_is_a_short_stable_hash() -> None:
    v = nf.data.data_version()
    assert re.fullmatch(r"[0-9a-f]{12}", v)
    assert nf.data.data_version() == v


def test_loaders_return_copies() -> None:
    p = nf.data.panel()
    p.loc[:, "burden"] = 9.0
    assert nf.data.panel()["burden"].max() < 1.0
