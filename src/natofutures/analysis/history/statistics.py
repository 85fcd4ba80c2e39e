"""The Olson–Zeckhauser exploitation test on any table: rank correlation of size and burden.

Olson and Zeckhauser (1966) predict that in an alliance providing a public good (deterrence)
the larger members carry a disproportionate share of the burden, so economic size and
burden (defence spending / GDP) are positively rank-correlated. They reported Spearman's
rho between GNP and the defence share of GNP across NATO members. The partial rank
correlation holding GDP per capita constant separates size from wealth, the identification
concern raised by Plümper and Neumayer (2015).

References
----------
Olson, M. and Zeckhauser, R. (1966). An economic theory of alliances. Review of Economics and
Statistics 48(3), 266-279. doi:10.2307/1927082
Plümper, T. and Neumayer, E. (2015). Free-riding in alliances: testing an old theory with a
new method. Conflict Management and Peace Science 32(3), 247-268.
http://repository.essex.ac.uk/13869/
Fieller, E. C., Hartley, H. O. and Pearson, E. S. (1957). Tests for rank correlation
coefficients. I. Biometrika 44(3/4), 470-481.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from natofutures.errors import InputError, not_allowed

#: Columns of the table :func:`exploitation_test` returns (after the ``by`` column).
RESULT_COLUMNS = (
    "n",
    "n_missing",
    "rho",
    "p_value",
    "ci_low",
    "ci_high",
    "partial_rho",
    "partial_p",
    "partial_df",
    "note",
)

#: Variance factor of Fisher's z for Spearman's rho (Fieller, Hartley & Pearson 1957).
FISHER_SPEARMAN_VARIANCE = 1.06


@dataclass(frozen=True)
class _Cell:
    """The statistics of one group (one year)."""

    n: int
    n_missing: int
    rho: float = math.nan
    p_value: float = math.nan
    ci_low: float = math.nan
    ci_high: float = math.nan
    partial_rho: float = math.nan
    partial_p: float = math.nan
    partial_df: float = math.nan
    note: str = ""


def require_columns(df: pd.DataFrame, columns: dict[str, str | None]) -> None:
    """Raise :class:`InputError` naming the argument and column if a column is absent."""
    if not isinstance(df, pd.DataFrame):
        raise not_allowed("df", type(df).__name__, "a pandas DataFrame")
    have = ", ".join(map(str, df.columns)) or "(none)"
    for field, column in columns.items():
        if column is not None and column not in df.columns:
            raise InputError(
                f"{field}: column {column!r} is not in the DataFrame; columns are {have}"
            )


def numeric_column(df: pd.DataFrame, column: str, field: str) -> pd.Series:
    """Column as float; non-numeric text raises, infinities become missing (never zero)."""
    try:
        values = pd.to_numeric(df[column], errors="raise").astype("float64")
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"{field}: column {column!r} is not numeric ({exc}); expected numbers, "
            "missing values as NaN"
        ) from None
    return values.where(np.isfinite(values))


def fisher_interval(rho: float, n: int, confidence: float) -> tuple[float, float]:
    """Confidence interval for Spearman's rho by Fisher's z with variance 1.06 / (n - 3).

    The 1.06 factor corrects Fisher's Pearson variance 1 / (n - 3) for rank correlation
    (Fieller, Hartley & Pearson 1957). Needs n > 3; a perfect correlation gives (rho, rho).
    """
    if n <= 3 or not math.isfinite(rho):
        return math.nan, math.nan
    if abs(rho) >= 1.0 - 1e-12:  # float round-off of a perfect rank correlation
        return rho, rho
    z = math.atanh(rho)
    half = float(stats.norm.ppf(0.5 + confidence / 2.0)) * math.sqrt(
        FISHER_SPEARMAN_VARIANCE / (n - 3)
    )
    return math.tanh(z - half), math.tanh(z + half)


def partial_spearman(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> tuple[float, float, int, str]:
    """Partial Spearman correlation of x and y holding z constant: (rho, p, df, note).

    Method (as pingouin's ``partial_corr(method="spearman")``): rank-transform all three
    variables (average ranks for ties), regress rank(x) and rank(y) on a constant and
    rank(z) by OLS (statsmodels), and correlate the residuals. The p-value is the two-sided
    t-test of rank(x) in the OLS regression of rank(y) on [1, rank(x), rank(z)], which is
    algebraically the same test: t = r * sqrt(df / (1 - r^2)) with df = n - 3.
    """
    n = len(x)
    df = n - 3
    if df < 1:
        return math.nan, math.nan, df, f"partial needs n >= 4, have {n}"
    from statsmodels.regression.linear_model import OLS  # deferred: slow import

    rx, ry, rz = (stats.rankdata(v) for v in (x, y, z))
    if np.ptp(rz) == 0:
        return math.nan, math.nan, df, "partial undefined: control is constant"
    design = np.column_stack([np.ones(n), rz])
    ex = OLS(rx, design).fit().resid
    ey = OLS(ry, design).fit().resid
    scale = max(1.0, float(n))
    if np.allclose(ex, 0.0, atol=1e-9 * scale) or np.allclose(ey, 0.0, atol=1e-9 * scale):
        return math.nan, math.nan, df, "partial undefined: ranks fully explained by the control"
    r = float(np.dot(ex, ey) / math.sqrt(float(np.dot(ex, ex)) * float(np.dot(ey, ey))))
    if abs(r) >= 1.0 - 1e-12:
        return math.copysign(1.0, r), 0.0, df, "perfect partial rank correlation"
    full = OLS(ry, np.column_stack([design, rx])).fit()
    return r, float(full.pvalues[-1]), df, ""


def _cell(
    size: pd.Series,
    burden: pd.Series,
    control: pd.Series | None,
    min_n: int,
    confidence: float,
) -> _Cell:
    valid = size.notna() & burden.notna()
    if control is not None:
        valid &= control.notna()
    n = int(valid.sum())
    n_missing = len(valid) - n
    notes: list[str] = []
    if n_missing:
        notes.append(f"{n_missing} missing left out")
    if n < min_n:
        notes.append(f"too few observations: n={n} < {min_n}")
        return _Cell(n, n_missing, note="; ".join(notes))
    x = size[valid].to_numpy()
    y = burden[valid].to_numpy()
    constant = [name for name, v in (("size", x), ("burden", y)) if np.ptp(v) == 0]
    if constant:
        notes.append(f"{' and '.join(constant)} constant: rank correlation undefined")
        return _Cell(n, n_missing, note="; ".join(notes))
    res = stats.spearmanr(x, y)
    rho, p = float(res.statistic), float(res.pvalue)
    low, high = fisher_interval(rho, n, confidence)
    if control is None:
        notes.append("partial not computed: no control column given")
        return _Cell(n, n_missing, rho, p, low, high, note="; ".join(notes))
    prho, pp, pdf, pnote = partial_spearman(x, y, control[valid].to_numpy())
    if pnote:
        notes.append(pnote)
    return _Cell(n, n_missing, rho, p, low, high, prho, pp, float(pdf), "; ".join(notes))


def exploitation_test(
    df: pd.DataFrame,
    size: str = "gdp",
    burden: str = "burden",
    by: str | None = "year",
    control: str | None = None,
    *,
    min_n: int = 4,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Olson–Zeckhauser test: Spearman rank correlation of size and burden, per group.

    Works on any table with one row per member (and per ``by`` group, usually a year): a
    positive, significant rho says the larger members carry the higher burden
    ("exploitation of the great by the small", Olson & Zeckhauser 1966).

    Parameters
    ----------
    df
        One row per member and group; extra columns are ignored.
    size
        Column of economic size, e.g. GDP (any unit: only ranks matter).
    burden
        Column of burden, defence spending / GDP (fraction or percent: only ranks matter).
    by
        Column to group by (e.g. ``"year"``); ``None`` treats the table as one group.
    control
        Optional column held constant in the partial rank correlation, normally GDP per
        capita. Without it ``partial_rho``/``partial_p``/``partial_df`` are NaN and ``note``
        says "partial not computed: no control column given".
    min_n
        Groups with fewer complete rows get NaN statistics and a ``note`` (at least 3).
    confidence
        Level of the Fisher-z confidence interval for rho, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted: ``by`` (if given), ``n`` (complete rows used),
        ``n_missing`` (rows left out because size, burden or control is missing — never
        treated as zero), ``rho`` and ``p_value`` (``scipy.stats.spearmanr``: average ranks
        for ties, two-sided t-test with n - 2 df), ``ci_low``/``ci_high`` (Fisher z with
        variance 1.06 / (n - 3)), ``partial_rho``/``partial_p``/``partial_df`` (see
        :func:`partial_spearman`, df = n - 3), ``note`` (why a value is NaN; empty if none).
        Rows whose ``by`` value is missing belong to no group; their count is in
        ``attrs["n_without_group"]``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"gdp": [1, 2, 3, 4, 5], "burden": [0.01, 0.02, 0.03, 0.04, 0.05]})
    >>> float(exploitation_test(t, by=None)["rho"].iloc[0])
    1.0
    """
    require_columns(df, {"size": size, "burden": burden, "by": by, "control": control})
    if not isinstance(min_n, int) or isinstance(min_n, bool) or min_n < 3:
        raise not_allowed("min_n", min_n, "an integer >= 3")
    if not 0.0 < confidence < 1.0:
        raise not_allowed("confidence", confidence, "a level strictly between 0 and 1")
    work = pd.DataFrame(
        {
            "size": numeric_column(df, size, "size"),
            "burden": numeric_column(df, burden, "burden"),
        },
        index=df.index,
    )
    if control is not None:
        work["control"] = numeric_column(df, control, "control")
    groups = (
        [(None, work)]
        if by is None
        else list(work.groupby(df[by].to_numpy(), sort=True, dropna=True))
    )
    rows = []
    for key, g in groups:
        cell = _cell(
            g["size"],
            g["burden"],
            g["control"] if control is not None else None,
            min_n,
            confidence,
        )
        row = {} if by is None else {by: key}
        row.update({c: getattr(cell, c) for c in RESULT_COLUMNS})
        rows.append(row)
    columns = ([] if by is None else [by]) + list(RESULT_COLUMNS)
    out = pd.DataFrame(rows, columns=columns)
    out["n"] = out["n"].astype("int64")
    out["n_missing"] = out["n_missing"].astype("int64")
    out.attrs["n_without_group"] = 0 if by is None else int(df[by].isna().sum())
    return out
