"""Counting members at a guideline on any table: thresholds, missing values, bad input."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from natofutures.analysis.history import compliance
from natofutures.errors import InputError

TABLE = pd.DataFrame(
    {
        "iso3": ["AAA", "BBB", "CCC", "DDD", "AAA", "BBB", "CCC", "DDD"],
        "year": [1965] * 4 + [1966] * 4,
        "burden": [0.02, 0.0199, float("nan"), 0.05, 0.035, 0.01, 0.02, 0.0349999],
    }
)


def test_counts_at_or_above_and_reports_missing_separately() -> None:
    out = compliance(TABLE, 0.02).set_index("year")
    assert out.loc[1965, "n"] == 3
    assert out.loc[1965, "n_missing"] == 1
    assert out.loc[1965, "n_at_or_above"] == 2  # exactly 2.00 % counts
    assert out.loc[1965, "at_or_above"] == "AAA,DDD"
    assert out.loc[1965, "missing"] == "CCC"
    assert out.loc[1965, "share"] == pytest.approx(2 / 3)


def test_threshold_3_5_percent() -> None:
    out = compliance(TABLE, 0.035).set_index("year")
    assert out.loc[1966, "n_at_or_above"] == 1
    assert out.loc[1966, "at_or_above"] == "AAA"


def test_float_round_off_of_a_published_two_percent_still_counts() -> None:
    t = pd.DataFrame({"year": [2024], "burden": [2.00 / 100 - 1e-15]})
    assert compliance(t, 0.02)["n_at_or_above"].iloc[0] == 1


def test_without_id_column_and_without_groups() -> None:
    out = compliance(TABLE.drop(columns="iso3"), 0.02, by=None)
    assert list(out.columns) == ["threshold", "n", "n_missing", "n_at_or_above", "share"]
    assert out["n"].iloc[0] == 7


def test_all_missing_gives_nan_share_not_zero() -> None:
    t = pd.DataFrame({"year": [1950, 1950], "burden": [float("nan")] * 2})
    row = compliance(t).iloc[0]
    assert row["n"] == 0 and row["n_missing"] == 2 and math.isnan(row["share"])


@pytest.mark.parametrize("threshold", [2, 0.0, -0.1, "0.02", True])
def test_threshold_must_be_a_fraction(threshold: object) -> None:
    with pytest.raises(InputError, match=r"threshold: .* fraction of GDP"):
        compliance(TABLE, threshold)  # type: ignore[arg-type]


def test_missing_column_names_field_and_value() -> None:
    with pytest.raises(InputError, match="burden: column 'share' is not in the DataFrame"):
        compliance(TABLE, burden="share")
