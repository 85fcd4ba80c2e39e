"""The exploitation test: known answers, ties, missing values, small samples, bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import natofutures as nf
from natofutures.analysis.history import exploitation_test, fisher_interval, partial_spearman
from natofutures.errors import InputError


def test_perfectly_ordered_table_gives_rho_one_with_degenerate_interval() -> None:
    t = pd.DataFrame({"gdp": [1, 2, 3, 4, 5], "burden": [0.01, 0.02, 0.03, 0.04, 0.05]})
    row = exploitation_test(t, by=None).iloc[0]
    assert row["rho"] == pytest.approx(1.0)
    assert row["p_value"] == pytest.approx(0.0, abs=1e-12)
    assert row["ci_low"] == row["ci_high"] == pytest.approx(1.0)


def test_hand_computed_case_without_ties() -> None:
    # d = rank differences (1, -1, 1, -1, 0): rho = 1 - 6 * 4 / (5 * 24) = 0.8.
    t = pd.DataFrame({"gdp": [1, 2, 3, 4, 5], "burden": [2, 1, 4, 3, 5]})
    row = exploitation_test(t, by=None).iloc[0]
    assert row["rho"] == pytest.approx(0.8)
    tstat = 0.8 * math.sqrt(3 / (1 - 0.8**2))
    assert row["p_value"] == pytest.approx(2 * stats.t.sf(tstat, 3))
    assert row["n"] == 5 and row["n_missing"] == 0


def test_hand_computed_case_with_ties_uses_average_ranks() -> None:
    # burden ranks with a tie: (1, 2.5, 2.5, 5, 4); Pearson on ranks = 8.5 / sqrt(10 * 9.5).
    t = pd.DataFrame({"gdp": [10, 20, 30, 40, 50], "burden": [1.0, 2.0, 2.0, 4.0, 3.0]})
    row = exploitation_test(t, by=None).iloc[0]
    assert row["rho"] == pytest.approx(8.5 / math.sqrt(95.0))


def test_ties_in_size_match_scipy() -> None:
    t = pd.DataFrame({"gdp": [1, 1, 2, 2, 3, 4], "burden": [3, 1, 2, 2, 5, 4]})
    row = exploitation_test(t, by=None).iloc[0]
    ref = stats.spearmanr(t["gdp"], t["burden"])
    assert row["rho"] == pytest.approx(ref.statistic)
    assert row["p_value"] == pytest.approx(ref.pvalue)


def test_matches_scipy_per_year_on_synthetic_panel() -> None:
    rng = np.random.default_rng(7)
    frames = []
    for year in (1960, 1961, 1962):
        gdp = rng.lognormal(size=25)
        frames.append(
            pd.DataFrame(
                {
                    "year": year,
                    "gdp": gdp,
                    "burden": 0.02 + 0.01 * np.log(gdp) + rng.normal(scale=0.01, size=25),
                }
            )
        )
    panel = pd.concat(frames, ignore_index=True)
    out = exploitation_test(panel)
    assert out["year"].tolist() == [1960, 1961, 1962]
    for year, row in out.set_index("year").iterrows():
        g = panel[panel["year"] == year]
        ref = stats.spearmanr(g["gdp"], g["burden"])
        assert row["rho"] == pytest.approx(ref.statistic)
        assert row["p_value"] == pytest.approx(ref.pvalue)
        assert row["rho"] > 0.5  # built in: burden rises with size


def test_partial_equals_the_partial_correlation_formula_on_spearman_rhos() -> None:
    rng = np.random.default_rng(11)
    x, z = rng.normal(size=40), rng.normal(size=40)
    y = x + z + rng.normal(size=40)
    r_xy = stats.spearmanr(x, y).statistic
    r_xz = stats.spearmanr(x, z).statistic
    r_yz = stats.spearmanr(y, z).statistic
    expected = (r_xy - r_xz * r_yz) / math.sqrt((1 - r_xz**2) * (1 - r_yz**2))
    rho, p, df, note = partial_spearman(x, y, z)
    assert note == ""
    assert df == 37
    assert rho == pytest.approx(expected)
    tstat = expected * math.sqrt(df / (1 - expected**2))
    assert p == pytest.approx(2 * stats.t.sf(abs(tstat), df))


def test_partial_removes_a_correlation_that_runs_through_the_control() -> None:
    # Known answer: burden depends on wealth only; size is correlated with wealth.
    rng = np.random.default_rng(3)
    wealth = rng.normal(size=400)
    size = wealth + 0.5 * rng.normal(size=400)
    burden = wealth + 0.5 * rng.normal(size=400)
    t = pd.DataFrame({"gdp": size, "burden": burden, "gdp_per_capita": wealth})
    row = exploitation_test(t, by=None, control="gdp_per_capita").iloc[0]
    assert row["rho"] > 0.6
    assert abs(row["partial_rho"]) < 0.1
    assert row["partial_df"] == 397


def test_without_control_the_partial_columns_are_nan_and_the_note_says_why() -> None:
    t = pd.DataFrame({"gdp": [1, 2, 3, 4, 5], "burden": [2, 1, 4, 3, 5]})
    row = exploitation_test(t, by=None).iloc[0]
    assert math.isnan(row["partial_rho"]) and math.isnan(row["partial_p"])
    assert "no control column" in row["note"]


def test_missing_values_are_left_out_and_counted_never_zero() -> None:
    t = pd.DataFrame({"gdp": [1, 2, 3, 4, 5, 6], "burden": [0.01, 0.02, np.nan, 0.04, 0.05, 0.06]})
    row = exploitation_test(t, by=None).iloc[0]
    assert row["n"] == 5 and row["n_missing"] == 1
    assert row["rho"] == pytest.approx(1.0)  # a zero in place of NaN would break the order
    assert "1 missing" in row["note"]


def test_too_few_observations_give_nan_and_a_note() -> None:
    t = pd.DataFrame(
        {
            "year": [1950] * 3 + [1951] * 5,
            "gdp": [1, 2, 3, 1, 2, 3, 4, 5],
            "burden": [1, 2, 3, 2, 1, 4, 3, 5],
        }
    )
    out = exploitation_test(t).set_index("year")
    assert math.isnan(out.loc[1950, "rho"])
    assert "too few observations: n=3 < 4" in out.loc[1950, "note"]
    assert out.loc[1951, "rho"] == pytest.approx(0.8)


def test_constant_burden_is_reported_without_a_scipy_warning() -> None:
    # pytest runs with warnings as errors: a ConstantInputWarning would fail this test.
    t = pd.DataFrame({"gdp": [1, 2, 3, 4, 5], "burden": [0.02] * 5})
    row = exploitation_test(t, by=None, control="gdp").iloc[0]
    assert math.isnan(row["rho"]) and math.isnan(row["partial_rho"])
    assert "burden constant" in row["note"]


def test_control_collinear_with_size_makes_partial_undefined_not_an_error() -> None:
    t = pd.DataFrame(
        {"gdp": [1, 2, 3, 4, 5, 6], "burden": [2, 1, 4, 3, 6, 5], "pc": [10, 20, 30, 40, 50, 60]}
    )
    row = exploitation_test(t, by=None, control="pc").iloc[0]
    assert math.isnan(row["partial_rho"])
    assert "fully explained by the control" in row["note"]


def test_fisher_interval_uses_variance_1_06_over_n_minus_3() -> None:
    low, high = fisher_interval(0.5, 28, 0.95)
    half = stats.norm.ppf(0.975) * math.sqrt(1.06 / 25)
    assert low == pytest.approx(math.tanh(math.atanh(0.5) - half))
    assert high == pytest.approx(math.tanh(math.atanh(0.5) + half))
    assert all(math.isnan(v) for v in fisher_interval(0.5, 3, 0.95))


def test_public_api_exposes_history() -> None:
    assert "history" in nf.__all__
    assert nf.history.exploitation_test is exploitation_test


def test_units_do_not_matter_only_ranks() -> None:
    t = pd.DataFrame({"gdp": [1.0, 5.0, 2.0, 9.0], "burden": [1.0, 3.0, 2.0, 4.0]})
    scaled = t.assign(gdp=t["gdp"] * 1e12, burden=t["burden"] / 100)
    a = exploitation_test(t, by=None)
    b = exploitation_test(scaled, by=None)
    assert a["rho"].iloc[0] == pytest.approx(b["rho"].iloc[0])


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"size": "gnp"}, ["size", "'gnp'", "columns are"]),
        ({"burden": "share"}, ["burden", "'share'"]),
        ({"by": "yr"}, ["by", "'yr'"]),
        ({"control": "gdp_pc"}, ["control", "'gdp_pc'"]),
        ({"min_n": 2}, ["min_n", "2", ">= 3"]),
        ({"confidence": 1.5}, ["confidence", "1.5"]),
    ],
)
def test_bad_arguments_raise_input_error_naming_field_and_value(
    kwargs: dict[str, object], words: list[str]
) -> None:
    t = pd.DataFrame({"year": [2000] * 4, "gdp": [1, 2, 3, 4], "burden": [1, 2, 3, 4]})
    with pytest.raises(InputError) as err:
        exploitation_test(t, **kwargs)  # type: ignore[arg-type]
    message = str(err.value)
    assert "\n" not in message
    for w in words:
        assert w in message


def test_text_in_a_numeric_column_is_an_input_error() -> None:
    t = pd.DataFrame({"gdp": ["a", "b", "c", "d"], "burden": [1, 2, 3, 4]})
    with pytest.raises(InputError, match="size: column 'gdp' is not numeric"):
        exploitation_test(t, by=None)


def test_not_a_dataframe_is_an_input_error() -> None:
    with pytest.raises(InputError, match="df: 'list'"):
        exploitation_test([1, 2, 3], by=None)  # type: ignore[arg-type]
