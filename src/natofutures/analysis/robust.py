"""What would you have to believe? Scenario discovery, minimax regret and EVPPI.

An *ensemble* of futures varies, jointly and by Latin hypercube:

- the engine's uncertain parameters over their documented ranges
  (:func:`natofutures.analysis.sensitivity.model_uncertainties`: the engine's and the
  criteria's judgement constants);
- the judgement anchors of the value scales over their stated ranges
  (``parameters/value_scales.yaml``: e.g. how much war risk is "worst");
- how each posture is carried out: its commitment and framing levers
  (:data:`IMPLEMENTATION_LEVERS`) within ± :data:`IMPLEMENTATION_SPREAD` of the posture's
  setting (judgement: a posture is never implemented exactly as written);
- each perspective's swing weights, Dirichlet around the perspective (as SMAA samples them).

Every row is one central-case run per posture (no noise) — the experiment design of EMA
Workbench. For each perspective the postures are scored by weighted value on the row's
scales and weights, and then

- **scenario discovery**: PRIM (Friedman and Fisher 1999, as implemented by the
  ``ema-workbench`` package), on the :data:`PRIM_FEATURES` columns with the highest
  extra-trees feature scores, finds, for each posture and perspective, the box of assumptions
  under which the posture ranks first, with its *coverage* (share of the rows where it ranks
  first that lie in the box) and *density* (share of the box's rows where it ranks first);
- **minimax regret**: regret of a posture in a row is the best posture's value minus its
  own; the posture whose largest regret over the ensemble is smallest is the robust choice
  (Savage 1951);
- **EVPPI**: the expected value of perfect partial information about one parameter,
  ``E_θ[max_a E(V_a | θ)] − max_a E(V_a)``, estimated by averaging within quantile bins of
  the parameter (the binned form of Strong and Oakley 2013's regression estimator). It is in
  value points (0 to 1 between the scales' anchors) and is biased upward by noise:
  ``noise_floor`` is the same estimate for an independent random column, the level below
  which an EVPPI means nothing.

Weights are preferences, not uncertainties to resolve, so they enter the boxes (what you
would have to *value*) but not the EVPPI.

References
----------
Friedman, J. H. and Fisher, N. I. (1999). Bump hunting in high-dimensional data.
*Statistics and Computing* 9, 123–143. doi:10.1023/A:1008894516817
Bryant, B. P. and Lempert, R. J. (2010). Thinking inside the box: a participatory,
computer-assisted approach to scenario discovery. *Technological Forecasting and Social
Change* 77, 34–49. doi:10.1016/j.techfore.2009.08.002
Jaxa-Rozen, M. and Kwakkel, J. H. (2018). Tree-based ensemble methods for sensitivity
analysis of environmental models. *Environmental Modelling & Software* 107, 245–266.
doi:10.1016/j.envsoft.2018.06.011
Kwakkel, J. H. (2017). The Exploratory Modeling Workbench. *Environmental Modelling &
Software* 96, 239–250. doi:10.1016/j.envsoft.2017.06.054
Savage, L. J. (1951). The theory of statistical decision. *JASA* 46, 55–67.
Strong, M. and Oakley, J. E. (2013). An efficient method for computing single-parameter
partial expected value of perfect information. *Medical Decision Making* 33, 755–766.
doi:10.1177/0272989X12465123
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc

from natofutures.analysis import mcda
from natofutures.analysis.perspectives import Perspective
from natofutures.errors import InputError

#: Posture levers whose implementation is uncertain (all fractions in [0, 1]).
IMPLEMENTATION_LEVERS = (
    "us.guarantee",
    "us.resolve",
    "framing.ideological",
    "framing.containment",
    "out_of_area.engagement",
)
#: Half-width of the implementation range around a posture's setting. Judgement, range
#: 0.05–0.2: how far a posture as carried out may differ from the posture as written.
IMPLEMENTATION_SPREAD = 0.1
#: Distinct implementation variants per posture (each one engine call over its rows).
VARIANTS = 16
#: PRIM: a box must be at least this dense (share of its rows where the posture wins).
DENSITY_THRESHOLD = 0.8
#: PRIM searches the most informative columns only (extra-trees feature scores, Jaxa-Rozen
#: and Kwakkel 2018): with ~60 columns and a few hundred futures it would otherwise peel
#: on noise. Judgement, range 5–15.
PRIM_FEATURES = 8
#: Rows where a posture must win (share) before a box is searched for it.
MIN_WIN_SHARE = 0.05
DEFAULT_SAMPLES = 400
MAX_SAMPLES = 20_000
EVPPI_TOP = 5


def _prim() -> Any:
    """ema-workbench's PRIM, imported without its two warnings about optional extras we do
    not use (ipyparallel for distributed runs, altair for interactive box inspection)."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="ipyparallel not installed", category=UserWarning
        )
        warnings.filterwarnings(
            "ignore", message="altair based interactive inspection", category=ImportWarning
        )
        from ema_workbench.analysis import prim
    return prim


@dataclass(frozen=True)
class RobustResult:
    """Boxes, regret and EVPPI (see :meth:`to_dict`), plus the ensemble they come from."""

    boxes: list[dict[str, Any]]
    regret: dict[str, dict[str, Any]]
    evppi: dict[str, dict[str, Any]]
    ensemble: pd.DataFrame  # one row per future: inputs, and winner:<perspective>
    postures: list[str]
    run: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """``{"boxes": [{"posture", "perspective", "restrictions": [{"parameter", "low",
        "high"}], "coverage", "density"}], "regret": {...}, "evppi": {...}}``."""
        return {"boxes": self.boxes, "regret": self.regret, "evppi": self.evppi}


# ----------------------------------------------------------------------------- the ensemble
def _design(
    n: int, columns: Sequence[tuple[str, float, float]], seed: int
) -> pd.DataFrame:
    """Latin hypercube of ``n`` rows over ``(name, low, high)`` columns."""
    lhs = qmc.LatinHypercube(d=len(columns), seed=np.random.default_rng(seed))
    unit = lhs.random(n)
    lo = np.array([c[1] for c in columns])
    hi = np.array([c[2] for c in columns])
    return pd.DataFrame(lo + unit * (hi - lo), columns=[c[0] for c in columns])


def _implementation_columns(scenarios: Sequence[Any]) -> list[tuple[str, float, float]]:
    cols = []
    for sc in scenarios:
        for lever in IMPLEMENTATION_LEVERS:
            value = sc.parameter(lever)
            if isinstance(value, dict):
                raise InputError(
                    f"robust: {sc.name} sets {lever} by year; expected one number (the "
                    "implementation range is centred on it)"
                )
            v = float(value)
            lo, hi = max(0.0, v - IMPLEMENTATION_SPREAD), min(1.0, v + IMPLEMENTATION_SPREAD)
            cols.append((f"{sc.name}:{lever}", lo, hi))
    return cols


def _scale_columns() -> list[tuple[str, float, float]]:
    return [
        (f"scale:{name}.{s.range_of}", s.range[0], s.range[1])
        for name, s in mcda.value_scales().items()
        if s.judgement and s.range is not None
    ]


def simulate_ensemble(
    scenarios: Sequence[Any],
    n: int,
    seed: int,
    horizon: int,
    progress: Callable[[str], None] | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """The ensemble's inputs (rows × columns) and criteria ``(rows, postures, 13)``.

    Rows are split into up to :data:`VARIANTS` blocks; in block ``b`` every posture runs
    with its ``b``-th implementation variant, and the block's rows (engine uncertainties)
    run as the draws of one vectorised central-case engine call.
    """
    from natofutures.analysis.sensitivity import model_uncertainties, simulate_samples

    unc = model_uncertainties()
    engine_cols = [(u.name, u.low, u.high) for u in unc]
    design = _design(n, [*engine_cols, *_scale_columns()], seed)
    k = min(VARIANTS, n)
    impl = _design(k, _implementation_columns(scenarios), seed + 1)
    block = np.arange(n) % k
    design = pd.concat([design, impl.iloc[block].reset_index(drop=True)], axis=1)
    paths = [u.name for u in unc]
    values = design[paths].to_numpy()
    crit: np.ndarray | None = None
    for j, sc in enumerate(scenarios):
        if progress:
            progress(f"simulating the ensemble for {sc.name}")
        for b in range(k):
            rows = np.flatnonzero(block == b)
            impl_row = impl.iloc[b]
            lever_values = {
                lever: float(impl_row[f"{sc.name}:{lever}"]) for lever in IMPLEMENTATION_LEVERS
            }
            res = simulate_samples(sc.with_overrides(lever_values), paths, values[rows], horizon)
            if crit is None:
                crit = np.empty((n, len(scenarios), res.shape[1]))
            crit[rows, j] = res
    assert crit is not None
    return design, crit


def _row_scales(design: pd.DataFrame, criteria: Sequence[str], years: int) -> np.ndarray:
    """``(rows, 2, criteria)``: anchors per row (judgement anchors from the design)."""
    base = mcda.scale_matrix(criteria, years=years)
    out = np.broadcast_to(base, (len(design), *base.shape)).copy()
    meta = mcda.value_scales()
    for j, c in enumerate(criteria):
        col = f"scale:{c}.{meta[c].range_of}"
        if col in design:
            k = float(years) if meta[c].per_year else 1.0
            out[:, 0 if meta[c].range_of == "worst" else 1, j] = design[col].to_numpy() * k
    return out


def _values(crit: np.ndarray, scales: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted value ``(rows, postures)`` on per-row scales and weights."""
    v = (crit - scales[:, np.newaxis, 0, :]) / (scales[:, np.newaxis, 1, :]
                                                 - scales[:, np.newaxis, 0, :])
    return np.einsum("rac,rc->ra", v, weights)


# ----------------------------------------------------------------------------- analyses
def _in_box(x: pd.DataFrame, limits: dict[str, tuple[float, float]]) -> np.ndarray:
    mask = np.ones(len(x), dtype=bool)
    for col, (lo, hi) in limits.items():
        v = x[col].to_numpy()
        mask &= (v >= lo) & (v <= hi)
    return mask


def top_features(x: pd.DataFrame, y: np.ndarray, k: int, seed: int) -> list[str]:
    """The ``k`` columns of ``x`` that best predict ``y`` (ema-workbench extra-trees scores)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="ipyparallel not installed", category=UserWarning)
        warnings.filterwarnings(
            "ignore", message="altair based interactive inspection", category=ImportWarning
        )
        warnings.filterwarnings("ignore", category=FutureWarning, module=r"ema_workbench\.")
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"ema_workbench\.")
        from ema_workbench.analysis import feature_scoring

        scores, _ = feature_scoring.get_ex_feature_scores(
            x, y.astype(int), nr_trees=100, random_state=seed
        )
    ranked = scores.iloc[:, 0].sort_values(ascending=False)
    return [str(c) for c in ranked.index[:k]]


def prim_box(
    x: pd.DataFrame, y: np.ndarray, threshold: float = DENSITY_THRESHOLD
) -> dict[str, Any] | None:
    """The PRIM box where ``y`` (a boolean per row) is concentrated, or None if there is none
    (``y`` all-false or all-true, or no restriction survives the test below).

    On PRIM's peeling trajectory, the widest-covering box that is at least ``threshold``
    dense (else the densest). Restrictions whose quasi-p value (Bryant and Lempert 2010: a
    one-sided binomial test of the box's density against the box without that restriction)
    is 0.05 or more are dropped one at a time, least significant first; coverage and density
    are those of the box reported.
    """
    from scipy.stats import binom

    prim = _prim()
    if y.sum() == 0 or y.all():
        return None
    with warnings.catch_warnings():
        # ema-workbench 2.5 still calls pandas APIs that pandas 3 deprecates; those warnings
        # are about ema-workbench's code, not ours, and change no result.
        warnings.filterwarnings("ignore", category=FutureWarning, module=r"ema_workbench\.")
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"ema_workbench\.")
        p = prim.Prim(x, y.astype(bool), threshold=threshold)
        box = p.find_box()
    traj = box.peeling_trajectory
    ok = traj[traj["density"] >= threshold]
    i = int(ok["coverage"].idxmax()) if len(ok) else int(traj["density"].idxmax())
    lims, init = box.box_lims[i], p.box_init
    limits = {
        str(c): (float(lims.loc[0, c]), float(lims.loc[1, c]))
        for c in x.columns
        if float(lims.loc[0, c]) > float(init.loc[0, c])
        or float(lims.loc[1, c]) < float(init.loc[1, c])
    }
    kept = dict(limits)
    while kept:  # backward elimination: drop the least significant restriction, repeat
        inside = _in_box(x, kept)
        hits, total = int(y[inside].sum()), int(inside.sum())
        quasi_p = {
            col: float(binom.sf(hits - 1, total,
                                y[_in_box(x, {c: v for c, v in kept.items() if c != col})]
                                .mean()))
            for col in kept
        }
        worst = max(quasi_p, key=quasi_p.__getitem__)
        if quasi_p[worst] < 0.05:
            break
        del kept[worst]
    inside = _in_box(x, kept)
    if not kept and y.mean() < threshold:
        return None  # no box: the posture wins only here and there, at its base rate
    return {
        "restrictions": [{"parameter": c, "low": lo, "high": hi} for c, (lo, hi) in kept.items()],
        "coverage": float(y[inside].sum() / y.sum()),
        "density": float(y[inside].mean()),
    }


def regret(values: np.ndarray, names: Sequence[str]) -> dict[str, Any]:
    """Minimax regret over the ensemble's rows (value points; can exceed 1 beyond the anchors)."""
    r = values.max(axis=1, keepdims=True) - values
    worst = r.max(axis=0)
    return {
        "minimax": names[int(np.argmin(worst))],
        "max_regret": {p: float(worst[i]) for i, p in enumerate(names)},
        "mean_regret": {p: float(r[:, i].mean()) for i, p in enumerate(names)},
    }


def evppi(values: np.ndarray, theta: np.ndarray, bins: int) -> float:
    """Binned EVPPI of one parameter: ``mean_b max_a mean(V_a | bin b) − max_a mean(V_a)``."""
    edges = np.quantile(theta, np.linspace(0.0, 1.0, bins + 1)[1:-1])
    b = np.searchsorted(edges, theta, side="right")
    counts = np.bincount(b, minlength=bins).astype(float)
    sums = np.zeros((bins, values.shape[1]))
    np.add.at(sums, b, values)
    keep = counts > 0
    cond = sums[keep] / counts[keep, np.newaxis]
    informed = float((counts[keep] * cond.max(axis=1)).sum() / counts.sum())
    return max(informed - float(values.mean(axis=0).max()), 0.0)


def _bins(n: int) -> int:
    return int(np.clip(n // 40, 2, 10))


def robust(
    postures: Sequence[Any] | None = None,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    horizon: int = 2045,
    perspectives: Sequence[str | Path | Perspective] | None = None,
    progress: Callable[[str], None] | None = None,
) -> RobustResult:
    """Scenario discovery (PRIM), minimax regret and EVPPI over an ensemble of futures."""
    from natofutures.analysis.compare import _check_int, resolve_perspectives, resolve_postures
    from natofutures.analysis.criteria import SIMULATED
    from natofutures.analysis.smaa import sample_weights
    from natofutures.data import latest_year

    samples = _check_int("samples", samples, 20, MAX_SAMPLES)
    seed = _check_int("seed", seed, 0, 2**32 - 1)
    horizon = _check_int("horizon", horizon, 2025, 2100)
    views = resolve_perspectives(perspectives, None)
    scenarios = resolve_postures(postures)
    names = [s.name for s in scenarios]
    design, crit = simulate_ensemble(scenarios, samples, seed, horizon, progress)
    scales = _row_scales(design, SIMULATED, horizon - int(latest_year()))
    rng = np.random.default_rng([seed, 16])
    x_common = design.copy()
    boxes: list[dict[str, Any]] = []
    regrets: dict[str, dict[str, Any]] = {}
    infos: dict[str, dict[str, Any]] = {}
    ensemble = design.copy()
    info_cols = list(design.columns)
    noise = rng.uniform(size=samples)
    for view in views:
        if progress:
            progress(f"discovering scenarios for {view.name}")
        centre = np.asarray(view.vector(SIMULATED))
        w = sample_weights(centre, view.concentration, samples, rng)
        v = _values(crit, scales, w)
        winner = np.argmax(v, axis=1)
        ensemble[f"winner:{view.name}"] = [names[i] for i in winner]
        wcols = {f"weight:{c}": w[:, j] for j, c in enumerate(SIMULATED) if centre[j] > 0}
        x = pd.concat([x_common, pd.DataFrame(wcols)], axis=1)
        for i, p in enumerate(names):
            y = winner == i
            if y.mean() < MIN_WIN_SHARE:
                continue
            cols = top_features(x, y, PRIM_FEATURES, seed) if y.mean() < 1 else []
            found = prim_box(x[cols], y) if cols else None
            if found is not None:
                boxes.append({"posture": p, "perspective": view.name, **found})
        regrets[view.name] = {
            **regret(v, names),
            "win_share": {p: float((winner == i).mean()) for i, p in enumerate(names)},
        }
        bins = _bins(samples)
        per = {c: evppi(v, design[c].to_numpy(), bins) for c in info_cols}
        top = sorted(per.items(), key=lambda kv: -kv[1])[:EVPPI_TOP]
        perfect = float(v.max(axis=1).mean() - v.mean(axis=0).max())
        infos[view.name] = {
            "evpi": perfect,
            "noise_floor": evppi(v, noise, bins),
            "parameters": dict(top),
            "unit": "value points (weighted value: every criterion 0 at its worst and 1 at its "
            "best anchor; outcomes beyond an anchor fall outside 0–1)",
        }
    run = {
        "samples": samples,
        "seed": seed,
        "horizon": horizon,
        "postures": names,
        "perspectives": [v.name for v in views],
        "implementation_spread": IMPLEMENTATION_SPREAD,
        "density_threshold": DENSITY_THRESHOLD,
    }
    return RobustResult(
        boxes=boxes, regret=regrets, evppi=infos, ensemble=ensemble, postures=names, run=run
    )


def figure(result: RobustResult) -> Any:
    """One glance: per perspective, the share of futures in which each posture ranks first
    (stacked bar), and the minimax-regret choice beside it."""
    from matplotlib.figure import Figure

    palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
    colours = {p: palette[i % len(palette)] for i, p in enumerate(result.postures)}
    views = list(result.regret)
    fig = Figure(figsize=(9.5, 0.55 * len(views) + 1.8))
    ax = fig.subplots()
    for k, view in enumerate(views):
        left = 0.0
        shares = result.regret[view]["win_share"]
        for p in result.postures:
            share = float(shares[p])
            if share <= 0:
                continue
            ax.barh(k, share, left=left, color=colours[p], edgecolor="white", height=0.7)
            if share >= 0.12:
                ax.text(left + share / 2, k, f"{share:.0%}", ha="center", va="center",
                        fontsize=8, color="white", fontweight="bold")
            left += share
        ax.text(1.02, k, "robust: " + result.regret[view]["minimax"].replace("_", " "),
                va="center", fontsize=8)
    ax.set_yticks(range(len(views)), [v.replace("_", " ") for v in views], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"], fontsize=8)
    ax.set_xlabel(f"share of {result.run['samples']} futures in which the posture ranks first",
                  fontsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [
        ax.bar(0, 0, color=colours[p], label=p.replace("_", " ")) for p in result.postures
    ]
    ax.legend(handles=handles, ncol=min(4, len(handles)), fontsize=8, loc="upper center",
              bbox_to_anchor=(0.5, -0.2 if len(views) > 3 else -0.45), frameon=False)
    fig.suptitle("Who ranks first across the ensemble of futures, per perspective",
                 fontsize=11, x=0.02, ha="left")
    fig.tight_layout(rect=(0, 0, 0.86, 1))
    return fig
