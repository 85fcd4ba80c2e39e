"""Charts of the burden-sharing history: interactive HTML (Plotly) and PNG (matplotlib).

HTML files embed plotly.js (``include_plotlyjs=True``) so they open offline; PNGs are drawn
with matplotlib's Agg canvas directly (no pyplot, no global backend switch).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from natofutures.errors import InputError

if TYPE_CHECKING:  # the plotting libraries are imported on first use (slow imports)
    import plotly.graph_objects as go
    from matplotlib.figure import Figure

#: File stems written by :func:`write_plots` (each as .html and .png).
CHART_NAMES = ("burden_over_time", "allies_at_2pct", "exploitation_rho", "pledge_gaps")

_WIDTH_IN, _HEIGHT_IN, _DPI = 9.0, 5.0, 110


def _new_figure(height: float = _HEIGHT_IN) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(_WIDTH_IN, height), dpi=_DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _write(fig_html: go.Figure, fig_png: Figure, folder: Path, stem: str) -> list[Path]:
    html, png = folder / f"{stem}.html", folder / f"{stem}.png"
    fig_html.update_layout(template="plotly_white")
    fig_html.write_html(html, include_plotlyjs=True, full_html=True, include_mathjax=False)
    fig_png.savefig(png)
    return [html, png]


def _guidelines_plotly(fig: go.Figure) -> None:
    for level, label in ((2.0, "2 % (Wales 2014)"), (3.5, "3.5 % core (The Hague 2025)")):
        fig.add_hline(y=level, line_dash="dash", line_color="grey", annotation_text=label)


def burden_over_time(
    allies_burden: pd.DataFrame, folder: Path, allies: Sequence[str]
) -> list[Path]:
    """Burden (SIPRI, % of GDP) of selected allies per year, with the 2 % and 3.5 % lines."""
    import plotly.graph_objects as go

    d = allies_burden[allies_burden["iso3"].isin(allies)]
    fig = go.Figure()
    png = _new_figure()
    ax = png.add_subplot()
    for code in allies:
        s = d[d["iso3"] == code].sort_values("year")
        fig.add_trace(go.Scatter(x=s["year"], y=s["burden"] * 100, mode="lines", name=code))
        ax.plot(s["year"], s["burden"] * 100, label=code)
    _guidelines_plotly(fig)
    for level in (2.0, 3.5):
        ax.axhline(level, color="grey", linestyle="--", linewidth=0.8)
    title = "Defence spending, % of GDP (SIPRI), members only"
    fig.update_layout(title=title, xaxis_title="year", yaxis_title="% of GDP")
    ax.set(title=title, xlabel="year", ylabel="% of GDP")
    ax.legend(ncols=4, fontsize="small")
    return _write(fig, png, folder, "burden_over_time")


def allies_at_2pct(history: pd.DataFrame, folder: Path) -> list[Path]:
    """Count of allies at or above 2 % (SIPRI, and NATO where reported) and member count."""
    import plotly.graph_objects as go

    h = history.sort_values("year")
    nato = h[h["allies_2pct_nato"].notna()]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=h["year"], y=h["members"], name="members", line_dash="dot"))
    fig.add_trace(go.Bar(x=h["year"], y=h["allies_2pct"], name="at or above 2 % (SIPRI)"))
    fig.add_trace(
        go.Scatter(
            x=nato["year"],
            y=nato["allies_2pct_nato"].astype("float64"),
            mode="markers",
            marker_size=10,
            name="at or above 2 % (NATO-reported)",
        )
    )
    title = "Allies at or above 2 % of GDP"
    fig.update_layout(title=title, xaxis_title="year", yaxis_title="allies")
    png = _new_figure()
    ax = png.add_subplot()
    ax.bar(h["year"], h["allies_2pct"], label="at or above 2 % (SIPRI)", color="tab:blue")
    ax.plot(h["year"], h["members"], linestyle=":", color="black", label="members")
    ax.scatter(
        nato["year"],
        nato["allies_2pct_nato"].astype("float64"),
        color="tab:red",
        zorder=3,
        label="at or above 2 % (NATO-reported)",
    )
    ax.set(title=title, xlabel="year", ylabel="allies")
    ax.legend(fontsize="small")
    return _write(fig, png, folder, "allies_at_2pct")


def exploitation_rho(history: pd.DataFrame, folder: Path, confidence: float) -> list[Path]:
    """Spearman rho of GDP and burden per year with its Fisher-z band, and the partial rho."""
    import plotly.graph_objects as go

    h = history.sort_values("year")
    band = f"{confidence:.0%} interval (Fisher z)"
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=h["year"], y=h["ci_high"], line_width=0, showlegend=False))
    fig.add_trace(
        go.Scatter(
            x=h["year"],
            y=h["ci_low"],
            fill="tonexty",
            line_width=0,
            name=band,
            fillcolor="rgba(31,119,180,0.2)",
        )
    )
    fig.add_trace(go.Scatter(x=h["year"], y=h["rho"], name="Spearman rho (GDP, burden)"))
    fig.add_trace(
        go.Scatter(
            x=h["year"],
            y=h["partial_rho"],
            name="partial rho | GDP per capita",
            line_dash="dash",
        )
    )
    fig.add_hline(y=0.0, line_color="grey")
    title = "Olson–Zeckhauser test: rank correlation of size and burden across members"
    fig.update_layout(title=title, xaxis_title="year", yaxis_title="rho", yaxis_range=[-1, 1])
    png = _new_figure()
    ax = png.add_subplot()
    years = h["year"].to_numpy(dtype="float64")
    ax.fill_between(
        years,
        h["ci_low"].to_numpy(dtype="float64"),
        h["ci_high"].to_numpy(dtype="float64"),
        alpha=0.25,
        label=band,
    )
    ax.plot(years, h["rho"].to_numpy(dtype="float64"), label="Spearman rho (GDP, burden)")
    ax.plot(
        years,
        h["partial_rho"].to_numpy(dtype="float64"),
        linestyle="--",
        label="partial rho | GDP per capita",
    )
    ax.axhline(0.0, color="grey", linewidth=0.8)
    ax.set(title=title, xlabel="year", ylabel="rho", ylim=(-1, 1))
    ax.legend(fontsize="small")
    return _write(fig, png, folder, "exploitation_rho")


def pledge_gap_bars(gaps: pd.DataFrame, folder: Path) -> list[Path]:
    """Gap to the core pledge per ally (percentage points of GDP), NATO-reported burden."""
    import plotly.graph_objects as go

    g = gaps[gaps["burden"].notna()].sort_values("gap_core")
    target = float(g["target"].iloc[0]) if len(g) else float("nan")
    year = int(g["year"].iloc[0]) if len(g) else 0
    title = f"Gap to {target:.1%} of GDP core defence spending (NATO-reported, {year})"
    fig = go.Figure(go.Bar(x=g["gap_core"] * 100, y=g["iso3"], orientation="h"))
    fig.update_layout(title=title, xaxis_title="percentage points of GDP", height=700)
    png = _new_figure(8.0)
    ax = png.add_subplot()
    ax.barh(g["iso3"], g["gap_core"] * 100, color="tab:orange")
    ax.set(title=title, xlabel="percentage points of GDP")
    ax.tick_params(axis="y", labelsize="small")
    return _write(fig, png, folder, "pledge_gaps")


def check_folder(folder: str | Path) -> Path:
    """The chart folder: an existing folder or a path that can become one."""
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise InputError(f"plot: {str(path)!r} is a file; expected a folder (created if absent)")
    return path


def write_plots(
    folder: str | Path,
    *,
    history: pd.DataFrame,
    allies_burden: pd.DataFrame,
    gaps: pd.DataFrame,
    allies: Sequence[str],
    confidence: float = 0.95,
) -> list[Path]:
    """Write the four charts as ``<name>.html`` and ``<name>.png`` into ``folder``.

    Parameters
    ----------
    history
        :func:`~natofutures.analysis.history.burden_history` output.
    allies_burden
        Member-years with ``iso3``, ``year``, ``burden`` (e.g. ``alliance_panel``).
    gaps
        :func:`~natofutures.analysis.history.pledge_tracker` output.
    allies
        ISO3 codes drawn in the burden-over-time chart.
    """
    path = check_folder(folder)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"plot: cannot create folder {str(path)!r} ({exc.strerror})") from None
    written = burden_over_time(allies_burden, path, allies)
    written += allies_at_2pct(history, path)
    written += exploitation_rho(history, path, confidence)
    written += pledge_gap_bars(gaps, path)
    return written
