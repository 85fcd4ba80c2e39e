"""``calibrate burden``: fit, hindcast, engine mapping, calibration YAML and report (issue #14)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from natofutures.analysis._outputs import (  # noqa: F401 (re-exported for the CLI)
    check_report_folder,
    check_write_path,
)
from natofutures.analysis.burden import model as bm
from natofutures.analysis.burden.data import Panel, build
from natofutures.errors import InputError

DRAWS = 400
MAPPING_DRAWS = 4000
SEED = 20140905
MIN_LAMBDA = 0.005  # draws with a smaller adjustment speed have no finite long-run target
FIRST_FIT = 1949


@dataclass(frozen=True, eq=False)
class Result:
    fit: bm.BurdenFit
    in_sample: dict[str, float]
    hindcast: pd.DataFrame | None  # iso3, year, actual, mean, low, high, no_change
    hindcast_metrics: dict[str, float] | None
    mapping: dict[str, Any]
    verdict: str


def check_window(start: int | None, until: int | None, p: Panel | None = None) -> tuple[int, int]:
    """``--from``/``--until`` → the fit window (one-line errors naming the field)."""
    pan = p or build()
    lo, hi = FIRST_FIT, int(pan.years[-1])
    first = lo if start is None else start
    last = hi if until is None else until
    for name, val in (("from", first), ("until", last)):
        if isinstance(val, bool) or not isinstance(val, int | np.integer) or not lo <= val <= hi:
            raise InputError(f"{name}: {val!r} is not allowed; expected a year in {lo}..{hi}")
    if last - first + 1 < bm.MIN_YEARS:
        raise InputError(
            f"from: {first} is not allowed with until {last}; expected a window of at least "
            f"{bm.MIN_YEARS} years (from <= until - {bm.MIN_YEARS - 1})"
        )
    return int(first), int(last)


def _in_sample(f: bm.BurdenFit) -> dict[str, float]:
    """One-step-ahead fit: RMSE (pp), residual and ally-effect sds (pp), observations."""
    r = f.residuals
    ss = float((r["residual"] ** 2).sum())
    return {
        "rmse_pp": 100 * math.sqrt(ss / len(r)),
        "sigma_pp": 100 * f.sigma,
        "tau_pp": 100 * f.tau,
        "n_obs": float(f.n_obs),
    }


def hindcast(f: bm.BurdenFit, p: Panel) -> tuple[pd.DataFrame, dict[str, float]]:
    """Dynamic simulation from ``f.last`` to the latest year, scored per ally-year."""
    horizon = int(p.years[-1]) - f.last
    sim, allies = bm.simulate(f, p, f.last, horizon, DRAWS, SEED)
    years = np.arange(f.last + 1, f.last + horizon + 1)
    actual = p.burden[p.row(f.last) + 1 : p.row(f.last) + 1 + horizon][:, allies]
    lo, hi = np.quantile(sim, [0.05, 0.95], axis=0)
    frame = pd.DataFrame(
        {
            "iso3": np.tile([p.iso3[j] for j in allies], horizon),
            "year": np.repeat(years, len(allies)),
            "actual": actual.ravel(),
            "mean": sim.mean(axis=0).ravel(),
            "low": lo.ravel(),
            "high": hi.ravel(),
            "no_change": np.tile(p.burden[p.row(f.last), allies], horizon),
        }
    ).dropna(subset=["actual"])
    err = frame["mean"] - frame["actual"]
    nc = frame["no_change"] - frame["actual"]
    metrics = {
        "rmse_pp": 100 * float(np.sqrt((err**2).mean())),
        "no_change_rmse_pp": 100 * float(np.sqrt((nc**2).mean())),
        "bias_pp": 100 * float(err.mean()),
        "coverage90": float(
            ((frame["actual"] >= frame["low"]) & (frame["actual"] <= frame["high"])).mean()
        ),
        "ally_years": float(len(frame)),
    }
    return frame, metrics


# --------------------------------------------------------------------------- engine mapping
def engine_mapping(f: bm.BurdenFit, draws: int = MAPPING_DRAWS, seed: int = SEED) -> dict[str, Any]:
    """Map the fitted coefficients onto the engine's b + λ(b̄ + β_T T − β_F w c u + ρ p − b).

    Per coefficient draw: λ_e = λ; β_T,e = β_T/λ; β_F,e = −(β_US·b_US,t0 + β_M·m_t0)/(λ·w̄·(cu)_t0)
    (a proportional change of the engine's US protection c·u read as the same proportional
    change of the US burden and of US troops per host, at t0); ρ_e = ρ/(λ + ρ) (for an ally
    below the pledge the gap term turns the target into ρ/(λ+ρ)·pledge); σ_b = σ. Draws with
    λ < MIN_LAMBDA (no finite long-run target) are dropped and counted.
    """
    from natofutures.analysis import calibrate as cal

    p = build()
    h = cal.history()
    r = p.row(int(h.t0))
    rng = np.random.default_rng(seed)
    z = rng.multivariate_normal(f.coef, f.cov, size=draws, method="eigh")
    col = {n: z[:, j] for j, n in enumerate(f.names)}
    lam = col["adjustment"]
    keep = lam >= MIN_LAMBDA
    share = np.where(p.member[r], np.exp(p.troops[r]) - 1.0, np.nan)
    m_t0 = float(np.nanmean(share / (1.0 + share)))
    w_bar = float(np.nanmean(h.size_weight[-1]))
    cu0 = float(h.cu[-1])
    us0 = float(p.us_burden[r])
    with np.errstate(divide="ignore", invalid="ignore"):
        mapped = {
            "burden.adjustment_speed": lam,
            "burden.threat_response": col["threat"] / lam,
            "burden.free_riding": -(col["us_spill"] * us0 + col["us_troops"] * m_t0)
            / (lam * w_bar * cu0),
            "burden.pledge_compliance": col["pledge_gap"] / (lam + col["pledge_gap"]),
        }
    central = {
        "burden.adjustment_speed": f.value("adjustment"),
        "burden.threat_response": f.value("threat") / f.value("adjustment"),
        "burden.free_riding": -(f.value("us_spill") * us0 + f.value("us_troops") * m_t0)
        / (f.value("adjustment") * w_bar * cu0),
        "burden.pledge_compliance": f.value("pledge_gap")
        / (f.value("adjustment") + f.value("pledge_gap")),
    }
    keys = list(mapped)
    mat = np.column_stack([mapped[k][keep] for k in keys])
    ok = np.isfinite(mat).all(axis=1)
    mat = mat[ok]
    q = np.quantile(mat, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    # robust joint summary: median, IQR-based sd and Spearman correlation
    ranks = np.argsort(np.argsort(mat, axis=0), axis=0).astype(float)
    corr = np.corrcoef(ranks.T)
    out: dict[str, Any] = {"keys": keys, "parameters": {}, "spearman": corr.round(4).tolist()}
    for j, k in enumerate(keys):
        out["parameters"][k] = {
            "value": float(central[k]),
            "median": float(q[2, j]),
            "p05": float(q[0, j]),
            "p95": float(q[4, j]),
            "sd_iqr": float((q[3, j] - q[1, j]) / 1.349),
        }
    out["parameters"]["burden.noise_sd"] = {
        "value": f.sigma,
        "median": f.sigma,
        "p05": f.sigma,
        "p95": f.sigma,
        "sd_iqr": f.sigma / math.sqrt(2 * f.n_obs),
    }
    out["draws_used"] = int(ok.sum())
    out["draws_dropped_small_lambda"] = int((~keep).sum())
    out["t0_values"] = {
        "us_burden": us0,
        "troops_share_mean": m_t0,
        "size_weight_mean": w_bar,
        "credibility_x_us_share": cu0,
    }
    out["not_in_engine"] = {
        "ally_spill": (f.value("ally_spill"), f.se("ally_spill")),
        "income": (f.value("income"), f.se("income")),
        "intercepts": "ally effects a_i (the engine re-anchors b̄_i at t0)",
    }
    return out


# --------------------------------------------------------------------------- run
def calibrate(start: int | None = None, until: int | None = None) -> Result:
    """Fit on [start, until]; hindcast the later years if any."""
    p = build()
    first, last = check_window(start, until, p)
    f = bm.fit(p, first, last)
    ins = _in_sample(f)
    hc, metrics = (None, None)
    if last < int(p.years[-1]):
        hc, metrics = hindcast(f, p)
    mapping = engine_mapping(f)
    fr = ", ".join(
        f"{bm.TERMS[n][0]} = {f.value(n):.3g} [90%: {f.value(n) - 1.645 * f.se(n):.3g}, "
        f"{f.value(n) + 1.645 * f.se(n):.3g}]"
        for n in bm.EXPECTED_FREE_RIDING
    )
    if metrics is None:
        verdict = f"IN-SAMPLE ({first}-{last}): one-step RMSE {ins['rmse_pp']:.2f} pp; {fr}"
    else:
        ok = metrics["rmse_pp"] < metrics["no_change_rmse_pp"]
        verdict = (
            f"{'PASS' if ok else 'FAIL'}: fitted on {first}-{last}, the {last + 1}-"
            f"{int(p.years[-1])} hindcast has RMSE {metrics['rmse_pp']:.2f} pp vs "
            f"{metrics['no_change_rmse_pp']:.2f} pp for no change (90% band covers "
            f"{metrics['coverage90']:.0%}); {fr}"
        )
    return Result(f, ins, hc, metrics, mapping, verdict)


def _clean(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, float | np.floating):
        return float(obj) if math.isfinite(obj) else None
    if isinstance(obj, np.integer):
        return int(obj)
    return obj


def to_dict(res: Result) -> dict[str, Any]:
    """JSON of ``calibrate burden`` (no --evaluate)."""
    f = res.fit
    allies = [
        {"iso3": c, "effect": float(f.effects[j]), "sd": float(f.effects_sd[j])}
        for j, c in enumerate(f.iso3)
        if np.isfinite(f.effects[j])
    ]
    return _clean(
        {
            "window": {"from": f.first, "until": f.last},
            "observations": f.n_obs,
            "allies": f.n_allies,
            "estimator": "random-intercept ML (GLS, profile likelihood), cluster-robust covariance",
            "specification": dict(bm.SPEC),
            "coefficients": res.fit.table().to_dict(orient="records"),
            "sigma": f.sigma,
            "tau": f.tau,
            "ally_effects": allies,
            "in_sample": res.in_sample,
            "out_of_sample": res.hindcast_metrics,
            "engine_mapping": res.mapping,
            "verdict": res.verdict,
            "data_version": build().data_version,
        }
    )


# --------------------------------------------------------------------------- files
def calibration_yaml(res: Result, command: str) -> dict[str, Any]:
    """Content of ``parameters/calibration.yaml``: engine keys with value, interval, joint draws."""
    from natofutures import __version__

    f, m = res.fit, res.mapping
    params = {}
    for k, v in m["parameters"].items():
        params[k] = {
            "value": round(float(v["value"]), 6),
            "median": round(float(v["median"]), 6),
            "p05": round(float(v["p05"]), 6),
            "p95": round(float(v["p95"]), 6),
            "sd": round(float(v["sd_iqr"]), 6),
        }
    return _clean(
        {
            "version": 2,
            "produced_by": {
                "command": command,
                "natofutures_version": __version__,
                "data_version": build().data_version,
                "date": dt.date.today().isoformat(),
            },
            "model": "natofutures.analysis.burden.model (issue #14)",
            "fit_window": {"from": f.first, "until": f.last},
            "observations": f.n_obs,
            "allies": f.n_allies,
            "estimator": (
                "random-intercept linear dynamic panel, ML (GLS on quasi-demeaned data, "
                "profile likelihood for tau/sigma); cluster-robust (ally) covariance"
            ),
            "coefficients": {
                n: {
                    "symbol": bm.TERMS[n][0],
                    "value": round(f.value(n), 6),
                    "se": round(f.se(n), 6),
                    "unit": bm.TERMS[n][2],
                }
                for n in f.names
            },
            "covariance": {
                "names": list(f.names),
                "matrix": [[float(f"{x:.6g}") for x in row] for row in f.cov],
            },
            "sigma": round(f.sigma, 6),
            "tau": round(f.tau, 6),
            "parameters": params,
            "spearman": {"names": m["keys"], "matrix": m["spearman"]},
            "mapping": {
                "rule": engine_mapping.__doc__.split("\n\n")[1].strip()
                if engine_mapping.__doc__
                else "",
                "t0_values": m["t0_values"],
                "draws_used": m["draws_used"],
                "draws_dropped_small_lambda": m["draws_dropped_small_lambda"],
            },
            "in_sample": res.in_sample,
            "out_of_sample": res.hindcast_metrics,
            "verdict": res.verdict,
        }
    )


def write_calibration(res: Result, path: str | Path, command: str) -> Path:
    import yaml

    out = check_write_path(path)
    header = (
        "# Burden model fitted on history (issue #14). Generated - do not edit;\n"
        f"# regenerate with: {command}\n"
        "# `parameters` are the engine's defaults.yaml keys mapped from the fitted model\n"
        "# (docs/validation.md, 'Burden model'); `coefficients` are the model's own.\n"
    )
    text = yaml.safe_dump(calibration_yaml(res, command), sort_keys=False, allow_unicode=True)
    out.write_text(header + text, encoding="utf-8")
    return out
