"""The pledge arithmetic: required growth, projections and the gap table on user data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from natofutures.analysis.history import (
    get_pledge,
    pledge_gaps,
    pledges,
    projected_burden,
    required_growth,
)
from natofutures.errors import InputError


def test_pledges_are_the_dated_parameters() -> None:
    p = pledges()
    assert list(p) == ["wales_2014", "hague_2025"]
    assert (p["wales_2014"].core, p["wales_2014"].due) == (0.02, 2024)
    hague = p["hague_2025"]
    assert (hague.core, hague.related, hague.due) == (0.035, 0.015, 2035)
    assert hague.total == pytest.approx(0.05)


def test_unknown_pledge_lists_the_known_ones() -> None:
    with pytest.raises(InputError, match=r"pledge: 'prague_2002' .* wales_2014, hague_2025"):
        get_pledge("prague_2002")


def test_required_growth_known_answers() -> None:
    # Doubling the burden in 10 years with flat GDP: 2 ** (1/10) - 1.
    assert float(required_growth(0.02, 0.04, 10, 0.0)) == pytest.approx(2**0.1 - 1)
    # Already at the target: spending may grow exactly with GDP.
    assert float(required_growth(0.035, 0.035, 11, 0.015)) == pytest.approx(0.015)
    # Missing or zero burden: undefined, never a number.
    assert np.isnan(required_growth(np.array([np.nan, 0.0]), 0.035, 11, 0.015)).all()


def test_required_growth_reaches_the_target_when_projected() -> None:
    s = required_growth(0.0124, 0.035, 11, 0.015)
    assert float(projected_burden(0.0124, s, 0.015, 11)) == pytest.approx(0.035)


def test_pledge_gaps_on_a_user_table() -> None:
    t = pd.DataFrame(
        {
            "iso3": ["AAA", "BBB", "CCC"],
            "year": [2024, 2024, 2024],
            "burden": [0.0124, 0.041, float("nan")],
            "related": [0.002, 0.01, 0.01],
            "trend_growth": [0.05, 0.0, 0.1],
        }
    )
    out = pledge_gaps(t, gdp_growth=0.015).set_index("iso3")
    assert out.loc["AAA", "gap_core"] == pytest.approx(0.035 - 0.0124)
    assert out.loc["BBB", "gap_core"] == 0.0
    assert bool(out.loc["BBB", "meets_core"]) is True
    assert out.loc["AAA", "total"] == pytest.approx(0.0144)
    assert out.loc["AAA", "gap_total"] == pytest.approx(0.05 - 0.0144)
    assert out.loc["BBB", "gap_total"] == 0.0
    assert out.loc["AAA", "years_left"] == 11
    expected = 1.015 * (0.035 / 0.0124) ** (1 / 11) - 1
    assert out.loc["AAA", "required_growth"] == pytest.approx(expected)
    assert out.loc["AAA", "projected_burden"] == pytest.approx(0.0124 * (1.05 / 1.015) ** 11)
    assert bool(out.loc["AAA", "on_track"]) is False
    # BBB spends flat while GDP grows: 4.1 % * (1/1.015)^11 = 3.5 % -> just under.
    assert bool(out.loc["BBB", "on_track"]) is (0.041 / 1.015**11 >= 0.035)
    assert out.loc["CCC", "on_track"] is pd.NA
    assert "no burden figure" in out.loc["CCC", "note"]


def test_pledge_gaps_without_optional_columns_says_why() -> None:
    t = pd.DataFrame({"iso3": ["AAA"], "burden": [0.02]})
    row = pledge_gaps(t, base_year=2025, due=2030).iloc[0]
    assert math.isnan(row["gap_total"]) and math.isnan(row["projected_burden"])
    assert "related spending not reported" in row["note"]
    assert "no trend column given" in row["note"]
    assert row["years_left"] == 5


def test_wales_pledge_has_no_total() -> None:
    t = pd.DataFrame({"iso3": ["AAA"], "year": [2014], "burden": [0.01]})
    row = pledge_gaps(t, pledge="wales_2014").iloc[0]
    assert row["target"] == 0.02 and math.isnan(row["total_target"])
    assert "related" not in row["note"]


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"due": 2020}, r"year: 2020 is not allowed; expected a due year in 2025-2100"),
        ({"pledge": "wales_2014", "due": 2024}, r"year: 2024 .* after the base year 2024"),
        ({"gdp_growth": 1.5}, r"gdp_growth: 1.5 .* fraction"),
        ({"pledge": "x"}, r"pledge: 'x'"),
        ({"burden": "core"}, r"burden: column 'core'"),
    ],
)
def test_bad_input(kwargs: dict[str, object], pattern: str) -> None:
    t = pd.DataFrame({"iso3": ["AAA"], "year": [2024], "burden": [0.02]})
    with pytest.raises(InputError, match=pattern):
        pledge_gaps(t, **kwargs)  # type: ignore[arg-type]


def test_no_year_column_and_no_base_year() -> None:
    t = pd.DataFrame({"iso3": ["AAA"], "burden": [0.02]})
    with pytest.raises(InputError, match="year: column 'year' is not in the DataFrame"):
        pledge_gaps(t)
