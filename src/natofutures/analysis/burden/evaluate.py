"""Rolling-origin out-of-sample evaluation of the burden model against baselines (issue #14).

At every origin T (2000-2019) each model is fitted on data up to T only and forecasts the
burden of every ally that is a member with data in T, for T+1 .. T+10 (targets up to 2024).
Scores per (origin, horizon, model) over allies, in percentage points of GDP:

- ``rmse`` root mean squared error of the forecast mean (or the central path);
- ``crps`` mean continuous ranked probability score (ensemble formula for simulated models,
  closed form for the Gaussian baselines);
- ``coverage90`` share of outcomes inside the central 90% interval.

Models: ``natofutures`` (:mod:`.model`, simulated with its own dynamics, exogenous drivers as
known, spill-ins endogenous), ``previous`` (the engine's partial-adjustment equation fitted by
:mod:`natofutures.analysis.calibrate` on 1990..T and simulated by it), ``no_change``
(b[T+h] = b[T]), ``drift`` (plus h times the ally's mean change over its last 10 years),
``ar1`` (per-ally AR(1) in levels fitted on its member years up to T). Baseline intervals are
Gaussian with the ally's own one-year change (or AR residual) variance, growing with h.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from natofutures.analysis.burden import model as bm
from natofutures.analysis.burden.data import Array, Panel
from natofutures.errors import InputError

ORIGINS = tuple(range(2000, 2020))
HORIZONS = tuple(range(1, 11))
MODELS = ("natofutures", "previous", "no_change", "drift", "ar1")
FIT_FROM = 1949
DRAWS = 200
SEED = 20140905
Z90 = 1.6448536269514722
LOOKBACK = 10
MIN_ORIGIN = 1970  # at least two decades of history before the first origin


# --------------------------------------------------------------------------- scores
def crps_ensemble(ens: Array, obs: Array) -> Array:
    """CRPS of an ensemble (draw, k) for observations (k,): E|X−y| − ½E|X−X'|."""
    x = np.sort(ens, axis=0)
    n = x.shape[0]
    term1 = np.abs(x - obs[None, :]).mean(axis=0)
    i = np.arange(1, n + 1)[:, None]
    term2 = ((2 * i - n - 1) * x).sum(axis=0) / (n * n)
    return np.asarray(term1 - term2, dtype=float)


def crps_normal(mu: Array, sd: Array, obs: Array) -> Array:
    """Closed-form CRPS of N(mu, sd²) (Gneiting and Raftery 2007)."""
    from scipy.stats import norm

    z = (obs - mu) / sd
    return np.asarray(
        sd * (z * (2 * norm.cdf(z) - 1) + 2 * norm.pdf(z) - 1 / math.sqrt(math.pi)), dtype=float
    )


def _score(kind: str, pred: Any, obs: Array) -> tuple[Array, Array, Array]:
    """(squared error, crps, covered) per ally; pred = ensemble or (mu, sd)."""
    if kind == "ensemble":
        ens = pred
        mean = ens.mean(axis=0)
        lo, hi = np.quantile(ens, [0.05, 0.95], axis=0)
        return (mean - obs) ** 2, crps_ensemble(ens, obs), (obs >= lo) & (obs <= hi)
    mu, sd = pred
    return (mu - obs) ** 2, crps_normal(mu, sd, obs), np.abs(obs - mu) <= Z90 * sd


# --------------------------------------------------------------------------- baselines
def _changes(b: Array, r0: int) -> Array:
    """(LOOKBACK, ally) one-year changes up to row r0."""
    lo = max(r0 - LOOKBACK, 1)
    return np.diff(b[lo - 1 : r0 + 1], axis=0)


def baselines(p: Panel, origin: int, allies: Any, horizon: int) -> dict[str, list[Any]]:
    """Gaussian forecasts (mu, sd) per step for no_change, drift and ar1."""
    r0 = p.row(origin)
    b = np.where(p.years[:, None] <= origin, p.burden, np.nan)[:, allies]
    b0 = b[r0]
    ch = _changes(b, r0)
    fin = np.isfinite(ch)
    cnt = fin.sum(axis=0)
    mu_d = np.where(cnt > 0, np.where(fin, ch, 0.0).sum(axis=0) / np.maximum(cnt, 1), 0.0)
    dev = np.where(fin, ch - mu_d[None, :], 0.0)
    sd1 = np.sqrt((dev**2).sum(axis=0) / np.maximum(cnt - 1, 1))
    good = (cnt >= 3) & (sd1 > 0)
    pooled = float(np.median(sd1[good])) if good.any() else 1e-3
    sd1 = np.where(good, sd1, pooled)
    mu_d = np.where(cnt >= 3, mu_d, 0.0)
    c, phi, s_ar = _ar1(b[: r0 + 1], b0, pooled)
    out: dict[str, list[Any]] = {"no_change": [], "drift": [], "ar1": []}
    m = b0.copy()
    var = np.zeros_like(b0)
    for h in range(1, horizon + 1):
        out["no_change"].append((b0, sd1 * math.sqrt(h)))
        out["drift"].append((b0 + h * mu_d, sd1 * math.sqrt(h)))
        m = c + phi * m
        var = var * phi**2 + s_ar**2
        out["ar1"].append((m.copy(), np.sqrt(var)))
    return out


def _ar1(b: Array, b0: Array, pooled: float) -> tuple[Array, Array, Array]:
    """Per-ally OLS b[t+1] = c + φ·b[t]; falls back to no change with < 8 pairs."""
    k = b.shape[1]
    c, phi, s = np.zeros(k), np.ones(k), np.full(k, pooled)
    for j in range(k):  # per ally, not per draw: k ≤ 32 small regressions
        x, y = b[:-1, j], b[1:, j]
        ok = np.isfinite(x) & np.isfinite(y)
        if ok.sum() < 8:
            continue
        a = np.column_stack([np.ones(ok.sum()), x[ok]])
        coef, *_ = np.linalg.lstsq(a, y[ok], rcond=None)
        res = y[ok] - a @ coef
        c[j], phi[j] = coef
        s[j] = max(float(np.sqrt(res @ res / max(ok.sum() - 2, 1))), 1e-6)
    return c, phi, s


def previous(p: Panel, origin: int, allies: Any, horizon: int, draws: int, seed: int) -> Array:
    """The engine's previous specification fitted on 1990..origin, simulated (draw, step, ally)."""
    from natofutures.analysis import calibrate as cal

    h = cal.history()
    import dataclasses

    f = cal.fit(int(h.years[0]), origin)
    iso = [p.iso3[j] for j in allies]
    last = min(origin + horizon, int(h.years[-1]))
    init = p.burden[p.row(origin), allies]
    # allies too new to have a fitted anchor: re-anchored at the origin, as the engine does at t0
    r = int(np.searchsorted(h.years, origin))
    anchors = dict(f.anchors)
    for c, b0 in zip(iso, init, strict=True):
        if c not in anchors:
            k = h.iso3.index(c)
            target = (
                b0
                - f.params["threat_response"] * h.threat[r, k]
                + f.params["free_riding"] * h.free_riding[r, k]
                - f.params["pledge_compliance"] * h.pledge[min(r + 1, len(h.years) - 1)]
            )
            anchors[c] = (float(target), 0.0)
    f = dataclasses.replace(f, anchors=anchors)
    sim = cal.simulate_burdens(f, origin, last, init, iso, draws=draws, seed=seed)
    out = np.full((sim.shape[0], horizon, len(allies)), np.nan)
    out[:, : sim.shape[1] - 1] = sim[:, 1:]
    return out


# --------------------------------------------------------------------------- evaluation
def check_origins(origins: Sequence[int], p: Panel) -> None:
    lo, hi = MIN_ORIGIN, int(p.years[-1]) - 1
    for o in origins:
        if isinstance(o, bool) or not isinstance(o, int | np.integer) or not lo <= o <= hi:
            raise InputError(f"origin: {o!r} is not allowed; expected a year in {lo}..{hi}")


def evaluate(
    origins: Sequence[int] = ORIGINS,
    horizons: Sequence[int] = HORIZONS,
    draws: int = DRAWS,
    seed: int = SEED,
    spec: dict[str, bool] | None = None,
    models: Sequence[str] = MODELS,
    last_year: int | None = None,
) -> pd.DataFrame:
    """Per (origin, horizon, model, ally) errors; see :func:`summarise`.

    ``last_year`` caps the targets (used to choose the specification on data ≤ 2005).
    """
    from natofutures.analysis.burden.data import build

    p = build()
    check_origins(origins, p)
    top = int(p.years[-1]) if last_year is None else last_year
    hmax = max(horizons)
    rows = []
    for origin in origins:
        f = bm.fit(p, FIT_FROM, origin, spec=spec)
        sim, allies = bm.simulate(f, p, origin, hmax, draws, seed)
        preds: dict[str, list[tuple[str, Any]]] = {
            "natofutures": [("ensemble", sim[:, s]) for s in range(hmax)]
        }
        if "previous" in models:
            prev = previous(p, origin, allies, hmax, draws, seed)
            preds["previous"] = [("ensemble", prev[:, s]) for s in range(hmax)]
        for name, steps in baselines(p, origin, allies, hmax).items():
            preds[name] = [("normal", x) for x in steps]
        for h in horizons:
            if origin + h > top:
                continue
            obs = p.burden[p.row(origin + h), allies]
            ok = np.isfinite(obs)
            for name in (m for m in models if m in preds):
                kind, pred = preds[name][h - 1]
                pr = pred[:, ok] if kind == "ensemble" else (pred[0][ok], pred[1][ok])
                se, cr, cov = _score(kind, pr, obs[ok])
                rows.append(
                    pd.DataFrame(
                        {
                            "origin": origin,
                            "horizon": h,
                            "model": name,
                            "iso3": [p.iso3[j] for j in allies[ok]],
                            "sq_error": se,
                            "crps": cr,
                            "covered": cov,
                        }
                    )
                )
    return pd.concat(rows, ignore_index=True)


def summarise(errors: pd.DataFrame) -> dict[str, Any]:
    """The JSON of ``calibrate burden --evaluate``: rows per (origin, horizon, model), summary."""

    def agg(g: pd.DataFrame) -> pd.Series:
        return pd.Series(
            {
                "rmse": 100 * math.sqrt(g["sq_error"].mean()),
                "crps": 100 * g["crps"].mean(),
                "coverage90": g["covered"].mean(),
            }
        )

    keys = ["origin", "horizon", "model"]
    table = errors.groupby(keys, sort=False)[["sq_error", "crps", "covered"]].apply(agg)
    flat = table.reset_index()
    rows = [
        {
            "origin": int(r["origin"]),
            "horizon": int(r["horizon"]),
            "model": str(r["model"]),
            "rmse": round(float(r["rmse"]), 6),
            "crps": round(float(r["crps"]), 6),
            "coverage90": round(float(r["coverage90"]), 6),
        }
        for _, r in flat.iterrows()
    ]
    summ = errors.groupby("model", sort=False)[["sq_error", "crps", "covered"]].apply(agg)
    summary = {
        str(m): {k: round(float(r[k]), 6) for k in ("rmse", "crps", "coverage90")}
        for m, r in summ.iterrows()
    }
    return {"evaluation": {"rows": rows, "summary": summary}}


def by_horizon(errors: pd.DataFrame) -> pd.DataFrame:
    """RMSE (pp) by horizon and model, overall."""
    g = errors.groupby(["horizon", "model"])["sq_error"].mean().unstack()
    return pd.DataFrame(100 * np.sqrt(g))


def select_surge(
    origins: Sequence[int] = tuple(range(1985, 1996)), draws: int = 0
) -> dict[str, float]:
    """Pseudo-out-of-sample RMSE (pp) on targets ≤ 2005 with and without the surge term."""
    out = {}
    for surge in (False, True):
        e = evaluate(origins, HORIZONS, draws, SEED, {"surge": surge}, ("natofutures",), 2005)
        out[f"surge={surge}"] = 100 * math.sqrt(e["sq_error"].mean())
    e = evaluate(origins, HORIZONS, 0, SEED, None, ("no_change",), 2005)
    out["no_change"] = 100 * math.sqrt(e["sq_error"].mean())
    return out
