"""Static figures of the report (matplotlib, Agg, no pyplot state): PNG files for slides.

Each function takes the tidy table the figure shows (the same table is written next to the
report as CSV and Parquet) and returns a matplotlib ``Figure``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

#: One colour per posture, stable across figures (colour-blind-safe Okabe–Ito palette).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
DPI = 110


def _colours(postures: list[str]) -> dict[str, str]:
    return {p: PALETTE[i % len(PALETTE)] for i, p in enumerate(postures)}


def _label(name: str) -> str:
    return name.replace("_", " ")


def scorecard(table: pd.DataFrame, postures: list[str]) -> Figure:
    """Small multiples: per criterion, each posture's median and 90% band."""
    criteria = list(dict.fromkeys(table["criterion"]))
    ncol = 4
    nrow = int(np.ceil(len(criteria) / ncol))
    fig = Figure(figsize=(11, 2.0 * nrow + 0.6))
    axes = fig.subplots(nrow, ncol, squeeze=False).ravel()
    colours = _colours(postures)
    for ax, crit in zip(axes, criteria, strict=False):
        sub = table[table["criterion"] == crit].set_index("posture").loc[postures]
        y = np.arange(len(postures))[::-1]
        med = sub["median"].to_numpy()
        err = np.vstack([med - sub["p05"].to_numpy(), sub["p95"].to_numpy() - med])
        for k, p in enumerate(postures):
            ax.errorbar(
                med[k], y[k], xerr=err[:, k : k + 1], fmt="o", color=colours[p], capsize=2, ms=4
            )
        arrow = "↑" if int(sub["direction"].iloc[0]) > 0 else "↓"
        ax.set_title(f"{_label(crit)} {arrow}", fontsize=8.5)
        ax.set_xlabel(str(sub["unit"].iloc[0]), fontsize=7)
        ax.set_yticks([])
        ax.tick_params(labelsize=7)
        ax.margins(y=0.25)
    for ax in axes[len(criteria) :]:
        ax.set_visible(False)
    handles = [
        axes[0].plot([], [], "o", color=colours[p], label=_label(p))[0] for p in postures
    ]
    fig.legend(handles=handles, loc="lower center", ncol=len(postures), fontsize=8, frameon=False)
    fig.suptitle("Scorecard: median and 90% band over the draws (↑ higher is better)", fontsize=10)
    fig.tight_layout(rect=(0, 0.04, 1, 0.97))
    return fig


def smaa(table: pd.DataFrame, postures: list[str]) -> Figure:
    """Per perspective, the SMAA probability of ranking first, stacked over the postures."""
    views = list(dict.fromkeys(table["perspective"]))
    fig = Figure(figsize=(10, 0.42 * len(views) + 1.4))
    ax = fig.subplots()
    colours = _colours(postures)
    y = np.arange(len(views))[::-1]
    left = np.zeros(len(views))
    for p in postures:
        sub = table[table["posture"] == p].set_index("perspective").loc[views]
        v = sub["p_rank_1"].to_numpy(dtype=float)
        ax.barh(y, v, left=left, color=colours[p], label=_label(p), height=0.7)
        for yy, lo, w in zip(y, left, v, strict=True):
            if w >= 0.08:
                ax.text(lo + w / 2, yy, f"{w:.0%}", ha="center", va="center", fontsize=7,
                        color="white")
        left += v
    ax.set_yticks(y, [_label(v) for v in views], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("SMAA P(rank 1st), stacked over the postures", fontsize=8)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=len(postures),
              frameon=False)
    ax.set_title("Who ranks first under each perspective (SMAA rank acceptability)", fontsize=10)
    ax.tick_params(labelsize=7)
    fig.tight_layout()
    return fig


def forecast(table: pd.DataFrame, postures: list[str]) -> Figure:
    """The adoption forecast: probability NATO adopts each posture."""
    fig = Figure(figsize=(7, 2.8))
    ax = fig.subplots()
    colours = _colours(postures)
    sub = table.set_index("posture").loc[postures]
    y = np.arange(len(postures))[::-1]
    ax.barh(y, sub["probability"].to_numpy(), color=[colours[p] for p in postures])
    for yy, v in zip(y, sub["probability"].to_numpy(), strict=True):
        ax.text(v + 0.01, yy, f"{v:.0%}", va="center", fontsize=8)
    ax.set_yticks(y, [_label(p) for p in postures], fontsize=8)
    ax.set_xlim(0, 1.08)
    ax.set_xlabel("probability adopted (bargaining model)", fontsize=8)
    ax.set_title("Adoption forecast: which NATO emerges", fontsize=10)
    fig.tight_layout()
    return fig


def drivers(table: pd.DataFrame, top: int = 12) -> Figure:
    """Heat map: Morris mu* of each parameter on each perspective's winning margin."""
    wide = table.pivot(index="parameter", columns="perspective", values="relative_mu_star")
    wide = wide.loc[wide.mean(axis=1).sort_values(ascending=False).index[:top]]
    fig = Figure(figsize=(10, 0.32 * len(wide) + 2.0))
    ax = fig.subplots()
    im = ax.imshow(wide.to_numpy(), aspect="auto", cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(wide.shape[1]), [_label(c) for c in wide.columns], fontsize=7,
                  rotation=20, ha="right")
    ax.set_yticks(range(len(wide)), list(wide.index), fontsize=7)
    for (i, j), v in np.ndenumerate(wide.to_numpy()):
        ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=6,
                color="white" if v > 0.6 else "black")
    fig.colorbar(im, ax=ax, label="mu* / largest mu* of the perspective", shrink=0.8)
    ax.set_title("What drives each verdict: Morris mu* on the winner's weighted-sum margin",
                 fontsize=10)
    fig.tight_layout()
    return fig


def burden_history(table: pd.DataFrame) -> Figure:
    """Defence burden of the US and of European allies + Canada, and allies at 2%."""
    fig = Figure(figsize=(10, 3.4))
    ax, ax2 = fig.subplots(1, 2)
    years = table["year"].to_numpy()
    ax.plot(years, 100 * table["us_burden"].to_numpy(dtype=float), label="United States")
    ax.plot(years, 100 * table["europe_canada_burden"].to_numpy(dtype=float),
            label="European allies + Canada")
    ax.axhline(2.0, color="grey", lw=0.8, ls="--")
    ax.axhline(3.5, color="grey", lw=0.8, ls=":")
    ax.set_ylabel("defence spending, % of GDP (SIPRI)", fontsize=8)
    ax.legend(fontsize=7)
    ax.set_title("Who carries the burden", fontsize=9)
    ax2.plot(years, table["allies_2pct"].to_numpy(dtype=float), label="allies at ≥ 2%")
    ax2.plot(years, table["members"].to_numpy(dtype=float), color="grey", lw=0.8,
             label="members")
    ax2.set_title("Allies meeting the 2% guideline (SIPRI)", fontsize=9)
    ax2.legend(fontsize=7)
    for a in (ax, ax2):
        a.tick_params(labelsize=7)
    fig.tight_layout()
    return fig


def pledge_gaps(table: pd.DataFrame, target: float) -> Figure:
    """Each ally's gap to the core pledge (percentage points of GDP)."""
    df = table.dropna(subset=["burden"]).sort_values("burden")
    fig = Figure(figsize=(10, 3.6))
    ax = fig.subplots()
    x = np.arange(len(df))
    colours = ["#D55E00" if g > 0 else "#009E73" for g in df["gap_core"].fillna(0)]
    ax.bar(x, 100 * df["burden"].to_numpy(dtype=float), color=colours)
    ax.axhline(100 * target, color="black", lw=0.8, ls="--")
    ax.set_xticks(x, df["iso3"].tolist(), fontsize=6, rotation=90)
    ax.set_ylabel("core defence, % of GDP (NATO)", fontsize=8)
    ax.set_title(
        f"Pledge gaps: allies below the {100 * target:.1f}% core pledge in orange", fontsize=10
    )
    ax.tick_params(labelsize=7)
    fig.tight_layout()
    return fig


def stress(table: pd.DataFrame, postures: list[str]) -> Figure:
    """Stress test: P(deterrence fails in Europe) and the European burden response."""
    fig = Figure(figsize=(10, 3.0))
    ax, ax2 = fig.subplots(1, 2)
    colours = _colours(postures)
    sub = table.set_index("posture").reindex([p for p in postures if p in set(table["posture"])])
    y = np.arange(len(sub))[::-1]
    cols = [colours.get(str(p), "grey") for p in sub.index]
    ax.barh(y, 100 * sub["p_deterrence_fails_europe"].astype(float).to_numpy(), color=cols)
    ax.set_yticks(y, [_label(str(p)) for p in sub.index], fontsize=8)
    ax.set_xlabel("% of draws: deterrence fails in Europe", fontsize=8)
    ax2.barh(y, sub["europe_burden_response_pp"].astype(float).to_numpy(), color=cols)
    ax2.set_yticks(y, [])
    ax2.set_xlabel("European burden response, pp of GDP", fontsize=8)
    for a in (ax, ax2):
        a.tick_params(labelsize=7)
    fig.suptitle("Stress test under each posture", fontsize=10)
    fig.tight_layout()
    return fig
