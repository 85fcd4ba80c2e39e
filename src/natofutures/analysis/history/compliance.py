"""How many members meet a spending guideline, per year, on any table."""

from __future__ import annotations

import pandas as pd

from natofutures.analysis.history.statistics import numeric_column, require_columns
from natofutures.errors import not_allowed

#: Burden values are compared with this slack so that a published 2.00 % stored as the
#: float 0.0200000000001 or 0.019999999999 still counts as "at 2 %" (figures are rounded
#: to 0.01 percentage points when published, far coarser than the slack).
FLOAT_SLACK = 1e-9


def check_fraction(field: str, value: float) -> float:
    """A share of GDP must be a fraction in (0, 1); 2 for "2 %" is the usual slip."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 < value < 1.0:
        raise not_allowed(field, value, "a fraction of GDP strictly between 0 and 1, e.g. 0.02")
    return float(value)


def compliance(
    df: pd.DataFrame,
    threshold: float = 0.02,
    *,
    burden: str = "burden",
    by: str | None = "year",
    member: str | None = "iso3",
) -> pd.DataFrame:
    """Count members at or above a burden threshold (e.g. NATO's 2 % guideline), per group.

    Parameters
    ----------
    df
        One row per member (and group); ``burden`` as a fraction of GDP.
    threshold
        Guideline as a fraction of GDP (0.02 for 2 %, 0.035 for 3.5 %).
    burden, by
        Column names; ``by=None`` treats the table as one group.
    member
        Optional column naming members (ISO3); when present, the members at or above the
        threshold and those without a value are listed. ``None`` or an absent column skips
        the lists.

    Returns
    -------
    pandas.DataFrame
        ``by``, ``threshold``, ``n`` (members with a value), ``n_missing`` (members without
        one: reported, never counted as below), ``n_at_or_above``, ``share`` (of ``n``),
        and when ``member`` is available ``at_or_above`` and ``missing`` (comma-separated ids).
        Rows whose ``by`` value is missing belong to no group; their count is in
        ``attrs["n_without_group"]``.
    """
    threshold = check_fraction("threshold", threshold)
    require_columns(df, {"burden": burden, "by": by})
    has_id = member is not None and member in df.columns
    values = numeric_column(df, burden, "burden")
    work = pd.DataFrame({"burden": values}, index=df.index)
    work["id"] = df[member].astype("string") if has_id else pd.NA
    groups = (
        [(None, work)]
        if by is None
        else list(work.groupby(df[by].to_numpy(), sort=True, dropna=True))
    )
    rows = []
    for key, g in groups:
        present = g["burden"].notna()
        above = present & (g["burden"] >= threshold - FLOAT_SLACK)
        n = int(present.sum())
        row: dict[str, object] = {} if by is None else {by: key}
        row.update(
            threshold=threshold,
            n=n,
            n_missing=int((~present).sum()),
            n_at_or_above=int(above.sum()),
            share=above.sum() / n if n else float("nan"),
        )
        if has_id:
            row["at_or_above"] = ",".join(sorted(g.loc[above, "id"].dropna()))
            row["missing"] = ",".join(sorted(g.loc[~present, "id"].dropna()))
        rows.append(row)
    columns = ([] if by is None else [by]) + ["threshold", "n", "n_missing", "n_at_or_above"]
    columns += ["share"] + (["at_or_above", "missing"] if has_id else [])
    out = pd.DataFrame(rows, columns=columns)
    out.attrs["n_without_group"] = 0 if by is None else int(df[by].isna().sum())
    return out
