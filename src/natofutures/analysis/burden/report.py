"""``calibrate burden --report DIR``: fit per ally, skill by horizon, coefficient distributions.

Each chart is written as PNG (matplotlib) and offline HTML (plotly with plotly.js embedded).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from natofutures.analysis.burden import evaluate as ev
from natofutures.analysis.burden.data import build
from natofutures.analysis.burden.run import Result, check_report_folder


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


def _save(html_fig: Any, png_fig: Any, folder: Path, stem: str) -> list[Path]:
    html, png = folder / f"{stem}.html", folder / f"{stem}.png"
    html_fig.write_html(html, include_plotlyjs=True, full_html=True, include_mathjax=False)
    png_fig.savefig(png, dpi=110, bbox_inches="tight")
    return [html, png]


def write_report(res: Result, folder: str | Path, errors: pd.DataFrame | None) -> list[Path]:
    """Charts and CSV tables into ``folder`` (created if missing)."""
    out = check_report_folder(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    tables = {
        "coefficients.csv": res.fit.table(),
        "residuals.csv": res.fit.residuals,
        "ally_effects.csv": pd.DataFrame(
            {"iso3": res.fit.iso3, "effect": res.fit.effects, "sd": res.fit.effects_sd}
        ).dropna(),
    }
    if res.hindcast is not None:
        tables["hindcast.csv"] = res.hindcast
    if errors is not None:
        tables["evaluation_rows.csv"] = pd.DataFrame(ev.summarise(errors)["evaluation"]["rows"])
    for name, frame in tables.items():
        frame.to_csv(out / name, index=False)
        written.append(out / name)
    written += _allies(res, out)
    written += _coefficients(res, out)
    if errors is not None:
        written += _skill(errors, out)
    return written


def _allies(res: Result, folder: Path) -> list[Path]:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    p = build()
    f = res.fit
    actual = p.frame(p.burden) * 100
    fitted = f.residuals.pivot(index="year", columns="iso3", values="fitted") * 100
    hc = (
        res.hindcast.pivot(index="year", columns="iso3", values="mean") * 100
        if res.hindcast is not None
        else pd.DataFrame()
    )
    iso = [c for c in f.iso3 if c in fitted.columns]
    ncol = 6
    nrow = math.ceil(len(iso) / ncol)
    fig = make_subplots(rows=nrow, cols=ncol, subplot_titles=iso)
    png = _figure(16, 2.2 * nrow)
    for k, code in enumerate(iso):
        r, c = divmod(k, ncol)
        ax = png.add_subplot(nrow, ncol, k + 1)
        parts = [("actual", actual[code]), ("one step ahead", fitted[code])]
        if code in hc:
            parts.append(("hindcast", hc[code]))
        for name, ser in parts:
            ser = ser.dropna()
            fig.add_trace(
                go.Scatter(x=ser.index, y=ser, name=name, legendgroup=name, showlegend=k == 0),
                row=r + 1,
                col=c + 1,
            )
            ax.plot(ser.index, ser, label=name, lw=1)
        ax.set_title(code, fontsize=8)
        ax.tick_params(labelsize=6)
    png.axes[0].legend(fontsize=6)
    title = f"Burden per ally (% of GDP): actual and the model's fit, {f.first}-{f.last}"
    png.suptitle(title)
    png.tight_layout(rect=(0, 0, 1, 0.97))
    fig.update_layout(title=title, height=220 * nrow)
    return _save(fig, png, folder, "allies")


def _skill(errors: pd.DataFrame, folder: Path) -> list[Path]:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    rmse = ev.by_horizon(errors)
    crps = errors.groupby(["horizon", "model"])["crps"].mean().unstack() * 100
    fig = make_subplots(rows=1, cols=2, subplot_titles=["RMSE (pp of GDP)", "CRPS (pp of GDP)"])
    png = _figure(12, 4.5)
    axes = [png.add_subplot(1, 2, 1), png.add_subplot(1, 2, 2)]
    for col, (frame, label) in enumerate(((rmse, "RMSE"), (crps, "CRPS"))):
        for m in ev.MODELS:
            if m not in frame:
                continue
            style = {"lw": 2.5} if m == "natofutures" else {"lw": 1.2}
            axes[col].plot(frame.index, frame[m], marker="o", label=m, **style)
            fig.add_trace(
                go.Scatter(x=frame.index, y=frame[m], name=m, legendgroup=m, showlegend=col == 0),
                row=1,
                col=col + 1,
            )
        axes[col].set(xlabel="horizon (years)", ylabel=f"{label}, pp of GDP")
    axes[0].legend(fontsize=8)
    origins = sorted(errors["origin"].unique())
    title = (
        f"Out-of-sample skill by horizon, origins {origins[0]}-{origins[-1]} "
        "(refit at each origin; lower is better)"
    )
    png.suptitle(title)
    fig.update_layout(title=title, xaxis_title="horizon (years)")
    return _save(fig, png, folder, "skill")


def _coefficients(res: Result, folder: Path) -> list[Path]:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    t = res.fit.table()
    n = len(t)
    ncol = 4
    nrow = math.ceil(n / ncol)
    labels = [f"{r['symbol']} {r['name']}" for _, r in t.iterrows()]
    fig = make_subplots(rows=nrow, cols=ncol, subplot_titles=labels)
    png = _figure(14, 3 * nrow)
    for k, (_, r) in enumerate(t.iterrows()):
        mu, sd = float(r["value"]), float(r["se"])
        x = np.linspace(mu - 4 * sd, mu + 4 * sd, 200)
        y = np.exp(-0.5 * ((x - mu) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))
        ax = png.add_subplot(nrow, ncol, k + 1)
        ax.plot(x, y)
        ax.axvspan(r["low90"], r["high90"], alpha=0.2, label="90%")
        ax.axvline(0, color="k", lw=0.8)
        ax.set_title(f"{labels[k]}\n{mu:.3g} ± {sd:.2g}", fontsize=8)
        ax.tick_params(labelsize=6)
        rr, cc = divmod(k, ncol)
        fig.add_trace(
            go.Scatter(x=x, y=y, name=labels[k], showlegend=False), row=rr + 1, col=cc + 1
        )
    title = "Sampling distribution of each coefficient (normal, cluster-robust SE; 0 marked)"
    png.suptitle(title)
    png.tight_layout(rect=(0, 0, 1, 0.95))
    fig.update_layout(title=title, height=300 * nrow)
    return _save(fig, png, folder, "coefficients")
