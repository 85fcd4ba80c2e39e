"""Property tests: the exploitation test never raises, never warns, stays in [-1, 1]."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from natofutures.analysis.history import compliance, exploitation_test

values = st.one_of(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.just(float("nan")),
    st.sampled_from([0.0, 1.0, 2.0]),  # ties
)
rows = st.lists(st.tuples(st.sampled_from([2000, 2001]), values, values, values), max_size=25)


@settings(max_examples=60, deadline=None)
@given(rows)
def test_any_table_gives_bounded_statistics_or_a_note(data: list[tuple]) -> None:
    t = pd.DataFrame(data, columns=["year", "gdp", "burden", "pc"])
    out = exploitation_test(t, control="pc")
    assert set(out["year"]) <= {2000, 2001}
    for r in out.itertuples(index=False):
        assert r.n + r.n_missing == int((t["year"] == r.year).sum())
        if math.isnan(r.rho):
            assert r.note
        else:
            assert -1.0 - 1e-9 <= r.rho <= 1.0 + 1e-9
            assert 0.0 <= r.p_value <= 1.0
            assert r.ci_low <= r.rho + 1e-9 and r.rho - 1e-9 <= r.ci_high
        if not math.isnan(r.partial_rho):
            assert -1.0 - 1e-9 <= r.partial_rho <= 1.0 + 1e-9
            assert 0.0 <= r.partial_p <= 1.0
            assert r.partial_df == r.n - 3


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.floats(0, 0.1), st.just(float("nan"))), max_size=30))
def test_compliance_counts_add_up(burdens: list[float]) -> None:
    t = pd.DataFrame({"year": 2024, "burden": burdens})
    out = compliance(t, 0.02)
    if burdens:
        r = out.iloc[0]
        assert r["n"] + r["n_missing"] == len(burdens)
        assert 0 <= r["n_at_or_above"] <= r["n"]
