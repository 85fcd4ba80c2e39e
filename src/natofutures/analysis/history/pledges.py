"""The pledge tracker: each ally's gap to a dated spending pledge and the growth that closes it.

Pledges are dated parameters (``parameters/pledges.yaml``): Wales 2014 (2 % of GDP by 2024)
and The Hague 2025 (3.5 % core + 1.5 % related = 5 % by 2035). With spending growing at a
constant real rate ``s`` and GDP at ``g``, the burden after ``h`` years is
``b_h = b_0 * ((1 + s) / (1 + g)) ** h``, so reaching a target ``b*`` needs
``s = (1 + g) * (b* / b_0) ** (1 / h) - 1``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from natofutures.analysis.history.compliance import FLOAT_SLACK
from natofutures.analysis.history.settings import parameter
from natofutures.analysis.history.statistics import numeric_column, require_columns
from natofutures.errors import InputError, ScenarioError, not_allowed
from natofutures.parameters import load_yaml

#: Latest due year accepted (the model's horizon is far shorter).
MAX_DUE_YEAR = 2100


@dataclass(frozen=True)
class Pledge:
    """One dated NATO spending pledge (fractions of GDP)."""

    name: str
    agreed: int
    due: int
    core: float
    related: float | None
    source: str

    @property
    def total(self) -> float | None:
        """Core plus related spending, when the pledge has a related part."""
        return None if self.related is None else self.core + self.related


@cache
def pledges() -> dict[str, Pledge]:
    """The pledges in ``parameters/pledges.yaml``, by name, in agreement order."""
    raw = load_yaml("pledges.yaml")
    out: dict[str, Pledge] = {}
    for entry in raw.get("pledges", []):
        try:
            p = Pledge(
                name=str(entry["name"]),
                agreed=int(entry["agreed"]),
                due=int(entry["due"]),
                core=float(entry["core"]),
                related=None if entry.get("related") is None else float(entry["related"]),
                source=str(entry["source"]).strip(),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ScenarioError(f"pledges.yaml: entry {entry!r} is invalid ({exc})") from None
        out[p.name] = p
    return dict(sorted(out.items(), key=lambda kv: kv[1].agreed))


def get_pledge(name: str) -> Pledge:
    """One pledge by name; unknown names raise :class:`InputError` listing the known ones."""
    known = pledges()
    if name not in known:
        raise not_allowed("pledge", name, "one of " + ", ".join(known))
    return known[name]


def required_growth(
    burden: float | np.ndarray | pd.Series,
    target: float,
    years: float | np.ndarray | pd.Series,
    gdp_growth: float,
) -> np.ndarray:
    """Constant annual real spending growth that takes ``burden`` to ``target`` in ``years``.

    ``s = (1 + g) * (target / burden) ** (1 / years) - 1``; NaN where the burden is missing
    or not positive or ``years`` is not positive. Below ``g`` when the ally is already above
    the target (it may then grow slower than GDP and still meet it).

    Examples
    --------
    >>> float(required_growth(0.02, 0.04, 10, 0.0)[()])  # doubling in 10 years
    0.07177346253629313
    """
    b = np.asarray(burden, dtype="float64")
    h = np.asarray(years, dtype="float64")
    ok = np.isfinite(b) & (b > 0) & np.isfinite(h) & (h > 0)
    safe_b = np.where(ok, b, 1.0)
    safe_h = np.where(ok, h, 1.0)
    s = (1.0 + gdp_growth) * (target / safe_b) ** (1.0 / safe_h) - 1.0
    return np.where(ok, s, np.nan)


def projected_burden(
    burden: float | np.ndarray | pd.Series,
    spending_growth: float | np.ndarray | pd.Series,
    gdp_growth: float,
    years: float | np.ndarray | pd.Series,
) -> np.ndarray:
    """Burden after ``years`` of constant real growth of spending and GDP."""
    b = np.asarray(burden, dtype="float64")
    s = np.asarray(spending_growth, dtype="float64")
    h = np.asarray(years, dtype="float64")
    return b * ((1.0 + s) / (1.0 + gdp_growth)) ** h


def check_growth(field: str, value: float) -> float:
    """A real annual growth rate as a fraction, e.g. 0.015 for 1.5 % a year."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not -0.5 < value < 0.5:
        raise not_allowed(field, value, "an annual growth rate as a fraction in (-0.5, 0.5)")
    return float(value)


def _base_years(df: pd.DataFrame, year: str, base_year: int | None) -> pd.Series:
    if base_year is not None:
        return pd.Series(float(base_year), index=df.index)
    if year not in df.columns:
        raise InputError(
            f"year: column {year!r} is not in the DataFrame and base_year is not given; "
            "expected a year column or base_year=YYYY"
        )
    return numeric_column(df, year, "year")


def pledge_gaps(
    df: pd.DataFrame | None = None,
    *,
    pledge: str = "hague_2025",
    due: int | None = None,
    gdp_growth: float | None = None,
    base_year: int | None = None,
    member: str = "iso3",
    burden: str = "burden",
    year: str = "year",
    related: str | None = "related",
    trend: str | None = "trend_growth",
) -> pd.DataFrame:
    """Each member's gap to a pledge and the real spending growth that closes it by ``due``.

    Parameters
    ----------
    df
        ``None`` runs the tracker on the bundled data
        (:func:`~natofutures.analysis.history.pledge_tracker`, NATO-reported burden). Else one
        row per member: ``member`` id, ``burden`` (core defence spending / GDP, fraction)
        and its ``year`` (or give ``base_year``); optional ``related`` (defence- and
        security-related spending / GDP, fraction) and ``trend`` (recent annual real growth of
        spending, fraction). Absent optional columns give NaN results with a ``note``.
    pledge
        Name in ``parameters/pledges.yaml`` (``wales_2014``, ``hague_2025``).
    due
        Year by which the pledge is to be met; defaults to the pledge's own.
    gdp_growth
        Real GDP growth assumed for every member from the base year to ``due`` (fraction);
        default ``gdp_growth`` in ``parameters/history.yaml`` (IMF WEO October 2025).

    Returns
    -------
    pandas.DataFrame
        ``member``, ``year``, ``burden``, ``target``, ``gap_core`` (target − burden, 0 if
        met), ``meets_core``, ``related``, ``total`` (burden + related), ``total_target``,
        ``gap_total``, ``years_left``, ``required_growth`` (constant annual real spending
        growth that reaches the core target in ``due``), ``trend_growth``,
        ``projected_burden`` (burden in ``due`` if the trend continues), ``on_track``
        (projected ≥ target; NA when unknown), ``note``.
    """
    if df is None:
        from natofutures.analysis.history.alliance import pledge_tracker  # needs bundled data

        return pledge_tracker(pledge, due=due, gdp_growth=gdp_growth, base_year=base_year)
    if gdp_growth is None:
        gdp_growth = float(parameter("gdp_growth"))
    p = get_pledge(pledge)
    due = p.due if due is None else due
    if isinstance(due, bool) or not isinstance(due, int) or not p.agreed <= due <= MAX_DUE_YEAR:
        raise not_allowed("year", due, f"a due year in {p.agreed}-{MAX_DUE_YEAR} for {p.name}")
    gdp_growth = check_growth("gdp_growth", gdp_growth)
    require_columns(df, {"member": member, "burden": burden})
    base = _base_years(df, year, base_year)
    if base.notna().any() and base.max() >= due:
        raise not_allowed(
            "year",
            due,
            f"a due year after the base year {int(base.max())} (give --year, or an earlier "
            "--base-year)",
        )
    b = numeric_column(df, burden, "burden")
    out = pd.DataFrame({member: df[member].to_numpy(), "year": base.astype("Int64")})
    out["burden"] = b.to_numpy()
    out["target"] = p.core
    out["gap_core"] = np.maximum(p.core - out["burden"], 0.0)
    out["meets_core"] = (out["burden"] >= p.core - FLOAT_SLACK).astype("boolean")
    out.loc[out["burden"].isna(), "meets_core"] = pd.NA
    has_related = related is not None and related in df.columns
    out["related"] = (
        numeric_column(df, related, "related").to_numpy()
        if related is not None and has_related
        else np.nan
    )
    out["total"] = out["burden"] + out["related"]
    out["total_target"] = np.nan if p.total is None else p.total
    out["gap_total"] = np.maximum(out["total_target"] - out["total"], 0.0)
    out["years_left"] = due - base.to_numpy()
    out["required_growth"] = required_growth(out["burden"], p.core, out["years_left"], gdp_growth)
    has_trend = trend is not None and trend in df.columns
    out["trend_growth"] = (
        numeric_column(df, trend, "trend").to_numpy() if trend is not None and has_trend else np.nan
    )
    out["projected_burden"] = projected_burden(
        out["burden"], out["trend_growth"], gdp_growth, out["years_left"]
    )
    out["on_track"] = (out["projected_burden"] >= p.core - FLOAT_SLACK).astype("boolean")
    out.loc[out["projected_burden"].isna(), "on_track"] = pd.NA
    out["note"] = [
        _note(b_, r_, t_, has_related=has_related, has_trend=has_trend, pledge=p)
        for b_, r_, t_ in zip(out["burden"], out["related"], out["trend_growth"], strict=True)
    ]
    return out.reset_index(drop=True)


def _note(
    burden: float,
    related: float,
    trend: float,
    *,
    has_related: bool,
    has_trend: bool,
    pledge: Pledge,
) -> str:
    notes = []
    if not math.isfinite(burden):
        notes.append("no burden figure")
    elif burden <= 0:
        notes.append("burden is zero: growth rate undefined")
    if pledge.related is not None and not math.isfinite(related):
        notes.append("related spending not reported" if not has_related else "no related figure")
    if not math.isfinite(trend):
        notes.append("no spending trend" if has_trend else "no trend column given")
    return "; ".join(notes)
