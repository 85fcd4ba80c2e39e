"""Coverage of the panel: which country-years are observed, filled (by which rule), missing.

Used by ``natofutures data check``; also validates every table against its pandera schema.
"""

from __future__ import annotations

import pandas as pd
import pandera.errors as pa_errors

from natofutures.data.loaders import panel_flags, table, tables
from natofutures.data.provenance import fill_rules
from natofutures.data.schemas import validate


def validate_all() -> dict[str, str]:
    """Validate every bundled table; table name → ``"ok"`` or a one-line failure summary."""
    out: dict[str, str] = {}
    for name in tables():
        try:
            validate(name, table(name))
            out[name] = "ok"
        except pa_errors.SchemaErrors as exc:
            cases = exc.failure_cases
            out[name] = f"{len(cases)} failure(s), e.g. {cases.head(3).to_dict('records')}"
    return out


def _ranges(years: list[int]) -> str:
    """[1990, 1991, 1992, 1995] → '1990-1992, 1995'."""
    parts: list[str] = []
    start = prev = None
    for y in sorted(years):
        if start is None:
            start = prev = y
        elif prev is not None and y == prev + 1:
            prev = y
        else:
            parts.append(f"{start}" if start == prev else f"{start}-{prev}")
            start = prev = y
    if start is not None:
        parts.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ", ".join(parts)


def _flags(countries: list[str] | None, since: int | None) -> pd.DataFrame:
    f = panel_flags()
    if countries is not None:
        f = f[f["iso3"].isin(countries)]
    if since is not None:
        f = f[f["year"] >= since]
    return f


def status_counts(countries: list[str] | None = None, since: int | None = None) -> pd.DataFrame:
    """Per panel column: number of observed, filled and missing country-years."""
    f = _flags(countries, since)
    counts = f.groupby(["column", "status"]).size().unstack(fill_value=0)
    for s in ("observed", "filled", "missing"):
        if s not in counts:
            counts[s] = 0
    counts = counts[["observed", "filled", "missing"]].astype("int64")
    counts["observed_share"] = counts["observed"] / counts.sum(axis=1)
    return counts.reset_index()


def filled_by_rule(countries: list[str] | None = None, since: int | None = None) -> pd.DataFrame:
    """Per fill rule: column, count, countries and years affected, and the rule's text."""
    f = _flags(countries, since)
    f = f[f["status"] == "filled"]
    rules = fill_rules()
    rows = []
    for (column, rule), g in f.groupby(["column", "rule"]):
        rows.append(
            {
                "column": column,
                "rule": rule,
                "count": len(g),
                "countries": ",".join(sorted(set(g["iso3"]))),
                "years": _ranges(sorted(set(g["year"].astype(int)))),
                "description": rules.get(str(rule), ""),
            }
        )
    cols = ["column", "rule", "count", "countries", "years", "description"]
    return pd.DataFrame(rows, columns=cols)


def missing_ranges(countries: list[str] | None = None, since: int | None = None) -> pd.DataFrame:
    """Per column and country: the years that are missing, as compact ranges."""
    f = _flags(countries, since)
    f = f[f["status"] == "missing"]
    rows = [
        {"column": c, "iso3": i, "count": len(g), "years": _ranges(list(g["year"].astype(int)))}
        for (c, i), g in f.groupby(["column", "iso3"])
    ]
    return pd.DataFrame(rows, columns=["column", "iso3", "count", "years"])
