"""Figures on the bundled data that must hold (membership by year, NATO's own counts)."""

from __future__ import annotations

import pandas as pd
import pytest

from natofutures import data
from natofutures.analysis import history
from natofutures.errors import InputError


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return history.burden_history(1990, data.latest_year()).set_index("year")


@pytest.mark.parametrize(
    ("year", "members"),
    [
        (1949, 12),
        (1990, 16),
        (1999, 19),
        (2004, 26),
        (2009, 28),
        (2017, 29),
        (2020, 30),
        (2023, 31),
        (2024, 32),
    ],
)
def test_members_are_counted_by_accession_year(year: int, members: int) -> None:
    assert len(history.membership(year, year)) == members


def test_finland_and_sweden_join_in_2023_and_2024() -> None:
    m = history.membership(2020, 2024)
    by_year = m.groupby("year")["iso3"].apply(set)
    assert "FIN" not in by_year[2020] and "FIN" not in by_year[2022]
    assert "FIN" in by_year[2023] and "SWE" not in by_year[2023]
    assert "SWE" in by_year[2024]


def test_history_counts_the_alliance_as_it_was(table: pd.DataFrame) -> None:
    assert table.loc[2020, "members"] == 30
    assert table.loc[2024, "members"] == 32
    assert table.loc[1990, "members"] == 16


def test_us_share_of_alliance_spending_is_above_half_every_year_since_1990(
    table: pd.DataFrame,
) -> None:
    assert (table["us_share"] > 0.5).all()
    assert table["us_share"].notna().all()


def test_nato_reported_counts_of_allies_at_two_percent(table: pd.DataFrame) -> None:
    # NATO: 3 allies at 2 % in 2014 (US, UK, Greece). For 2024 the bundled table holds the
    # latest release, the Secretary General's Annual Report 2024 (April 2025): "a guideline
    # met by 22 allies in 2024" (the June 2024 estimate had said 23).
    assert table.loc[2014, "allies_2pct_nato"] == 3
    assert table.loc[2024, "allies_2pct_nato"] == 22
    rep = data.nato_reported()
    at2 = rep[(rep["year"] == 2014) & (rep["burden"] >= 0.02)]["iso3"]
    assert set(at2) == {"USA", "GBR", "GRC"}


def test_nato_counts_are_absent_not_zero_in_years_nato_published_no_table(
    table: pd.DataFrame,
) -> None:
    assert table.loc[2010, "allies_2pct_nato"] is pd.NA
    assert table.loc[2010, "nato_n"] == 0


def test_sipri_counts_are_reported_beside_nato(table: pd.DataFrame) -> None:
    assert table.loc[2014, "allies_2pct"] <= 5
    assert table.loc[2024, "allies_2pct"] >= 15
    assert (table["n_burden"] <= table["members"]).all()


def test_exploitation_was_significant_in_1990_and_gone_by_2024(table: pd.DataFrame) -> None:
    assert table.loc[1990, "rho"] > 0.4 and table.loc[1990, "p_value"] < 0.05
    assert abs(table.loc[2024, "rho"]) < 0.3 and table.loc[2024, "p_value"] > 0.1
    assert (table["partial_df"] == table["n"] - 3).all()
    assert (table["ci_low"] <= table["rho"]).all() and (table["rho"] <= table["ci_high"]).all()


def test_aggregate_burdens_are_fractions(table: pd.DataFrame) -> None:
    assert table["europe_canada_burden"].between(0.005, 0.06).all()
    assert (table["us_burden"] > table["europe_canada_burden"]).all()


def test_ally_history_ranks_only_member_years() -> None:
    fin = history.ally_history("fin", 2020, 2024).set_index("year")
    assert not fin.loc[2022, "member"] and fin.loc[2023, "member"]
    assert fin.loc[2022, "rank"] is pd.NA
    assert 1 <= fin.loc[2024, "rank"] <= fin.loc[2024, "ranked"] == 32
    assert fin.loc[2024, "gap_hague_2025"] == pytest.approx(0.035 - fin.loc[2024, "burden"])


def test_ally_history_default_span_starts_at_accession_when_later_than_1990() -> None:
    swe = history.ally_history("SWE")
    assert swe["year"].min() == 2024


def test_pledge_tracker_uses_nato_figures_for_the_latest_full_table() -> None:
    t = history.pledge_tracker()
    assert len(t) == 32
    assert (t["year"] == 2024).all()
    rep = data.nato_reported()
    pol = t.set_index("iso3").loc["POL"]
    assert pol["burden"] == rep[(rep["iso3"] == "POL") & (rep["year"] == 2024)]["burden"].item()
    assert bool(pol["meets_core"])
    assert int(t["meets_core"].sum()) == 1  # only Poland at 3.5 % in NATO's 2024 figures
    isl = t.set_index("iso3").loc["ISL"]
    assert "no NATO-reported figure for 2024" in isl["note"]
    assert t["gap_total"].isna().all()  # related spending is not in the data
    assert "NATO-reported" in t.attrs["series"]["burden"]


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: history.burden_history(2010, 2000), r"from: 2010 .* not after --to \(2000\)"),
        (lambda: history.burden_history(1900), r"from: 1900 .* a year in 1949-"),
        (lambda: history.burden_history(None, 2099), r"to: 2099"),
        (lambda: history.ally_history("XYZ"), r"iso3: 'XYZ' .* NATO ally: ALB"),
        (lambda: history.ally_history("UKR"), r"iso3: 'UKR'"),
        (lambda: history.pledge_tracker(base_year=2019), r"base_year: 2019 .* 2014"),
        (lambda: history.pledge_tracker(trend_years=0), r"trend_years: 0"),
        (lambda: history.pledge_tracker(due=2024), r"year: 2024"),
        (lambda: history.pledge_tracker(gdp_growth=3.0), r"gdp_growth: 3.0"),
    ],
)
def test_bad_input_on_the_bundled_data(call: object, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern):
        call()  # type: ignore[operator]


def test_pledge_gaps_without_a_table_runs_the_tracker_on_the_bundled_data() -> None:
    a = history.pledge_gaps()
    b = history.pledge_tracker()
    pd.testing.assert_frame_equal(a, b)


def test_history_parameters_carry_the_gdp_growth_assumption() -> None:
    assert history.parameter("gdp_growth") == pytest.approx(0.015)
    with pytest.raises(InputError, match="parameter: 'nope'"):
        history.parameter("nope")


def test_default_span_is_1990_to_the_latest_year() -> None:
    t = history.burden_history()
    assert t["year"].min() == 1990 and t["year"].max() == data.latest_year()


def test_an_early_to_moves_the_default_from_instead_of_failing() -> None:
    assert history.burden_history(None, 1980)["year"].tolist() == [1980]
    swe = history.ally_history("SWE", None, 2020)
    assert swe["year"].tolist() == [2020] and not swe["member"].any()
