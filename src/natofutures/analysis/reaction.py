"""Russia's and China's budgets as an action-reaction (error-correction) model (issue #15).

Richardson's arms-race idea - each side's spending answers the other's, held back by its own
economy - written as an error-correction model per adversary a, years t (annual):

    Δm_t = α + λ·m_{t−1} + φ_US·u_{t−1} + φ_EU·e_{t−1} + φ_Y·y_{t−1}
           + β_US·Δu_{t−1} + β_EU·Δe_{t−1} + β_Y·Δy_t + δ·post1991_t + ε_t

with m, u, e, y the logs of the adversary's spending, the US's, European NATO's and the
adversary's GDP. λ < 0 is the speed at which spending returns to its long-run relation;
the long-run elasticities are θ = −φ/λ; β are the short-run responses (NATO's with a year's
lag, because budgets are set a year ahead). OLS with Newey-West (2 lags) standard errors.

Specification, written down before any fit was looked at:

- data: SIPRI constant-2023 US$ (bundled panel) for the US, the European allies that were
  NATO members in each year (chain-linked over members present in both years, so accessions
  add no spurious growth), Russia from 1992 and China from 1989. Before that (USSR for
  Russia; China), COW NMC military expenditure relative to the US's NMC figure times the US's
  SIPRI series - the US's own NMC/SIPRI ratio is the dollar deflator - level-spliced to SIPRI
  over the first five overlapping years. Own GDP: Maddison 2020 (former USSR before 1992,
  Russia after, level-spliced in 1991; China), extended after 2018 with WDI growth.
- Russia: the transition years 1991-1993 are excluded and a post-1991 step dummy absorbs the
  change of state; China: no dummy.
- fit 1950-1999, evaluate 2000-2024 one step ahead (actual regressors, RMSE of Δm in log
  points) against no change (Δm = 0). An alternative with NATO's total spending in place of
  the US and Europe separately is reported beside it.
- plausibility: the Gibler-Rider-Hutchison arms races that involve Russia/USSR or China.

References
----------
Richardson, L. F. (1960), Arms and Insecurity. Engle, R. F. and Granger, C. W. J. (1987),
Co-integration and Error Correction, Econometrica 55(2). Gibler, D. M., Rider, T. J. and
Hutchison, M. L. (2005), Journal of Peace Research 42(2).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from natofutures.analysis._outputs import check_output_path, check_report_folder
from natofutures.errors import InputError

Array = NDArray[np.float64]

ADVERSARIES = {"RUS": 365, "CHN": 710}
US_COW = 2
SPLICE_YEARS = 5
FIT = (1950, 1999)
EVALUATE = (2000, 2024)
EXCLUDED = {"RUS": (1991, 1992, 1993)}
HAC_LAGS = 2
TERMS = (
    "const",
    "lambda_own",
    "phi_us",
    "phi_europe",
    "phi_gdp",
    "beta_us",
    "beta_europe",
    "beta_gdp",
)
NATO_TERMS = ("const", "lambda_own", "phi_nato", "phi_gdp", "beta_nato", "beta_gdp")


# --------------------------------------------------------------------------- data
def chain_linked(panel: pd.DataFrame, members: dict[int, set[str]]) -> pd.Series:
    """Spending of a changing group, chain-linked: growth over members present in both
    years, level equal to the group's actual total in the last year (constant 2023 US$ bn)."""
    m = panel.pivot_table(index="year", columns="iso3", values="milex_usd", aggfunc="first")
    years = sorted(members)
    index = [1.0]
    for prev, cur in itertools.pairwise(years):
        both = [c for c in members[cur] & members[prev] if c in m.columns]
        a = m.loc[prev, both].dropna()
        b = m.loc[cur, list(a.index)].dropna()
        sa, sb = float(a[b.index].to_numpy().sum()), float(b.to_numpy().sum())
        index.append(index[-1] * sb / sa if sa > 0 else index[-1])
    last = years[-1]
    level = float(m.loc[last, [c for c in members[last] if c in m.columns]].to_numpy().sum()) / 1e9
    out = pd.Series(index, index=years, dtype=float)
    return out / out.iloc[-1] * level


def _spliced(recent: pd.Series, older: pd.Series, years: int = SPLICE_YEARS) -> pd.Series:
    """``recent`` where observed; before it ``older`` scaled to ``recent`` over the first
    ``years`` overlapping years (mean ratio)."""
    recent, older = recent.dropna(), older.dropna()
    overlap = [y for y in recent.index if y in older.index][:years]
    if not overlap:
        raise InputError("splice: the two series do not overlap; expected common years")
    scale = float((recent[overlap] / older[overlap]).mean())
    early = older[older.index < recent.index.min()] * scale
    return pd.concat([early, recent]).sort_index()


def adversary_panel() -> pd.DataFrame:
    """Yearly logs of the adversaries' and NATO's spending and the adversaries' GDP.

    Columns ``m_RUS``, ``m_CHN``, ``u`` (US), ``e`` (European NATO), ``n`` (NATO total),
    ``y_RUS``, ``y_CHN``; spending in ln(constant 2023 US$ bn), GDP in ln(2011 int$ bn) with
    the WDI-extended years scaled onto Maddison.
    """
    from natofutures import data

    panel = data.panel()
    countries = data.countries()
    caps = data.capabilities()
    years = range(1949, int(panel["year"].max()) + 1)
    allies = countries[countries["role"] == "ally"]
    eu = allies[allies["region"] == "europe"]
    europe_members = {y: set(eu[eu["nato_accession"] <= y]["iso3"]) for y in years}
    nato_members = {y: set(allies[allies["nato_accession"] <= y]["iso3"]) for y in years}
    milex = panel.pivot_table(index="year", columns="iso3", values="milex_usd") / 1e9
    out = pd.DataFrame(index=pd.Index(list(years), name="year"))
    out["u"] = np.log(milex["USA"])
    out["e"] = np.log(chain_linked(panel, europe_members))
    out["n"] = np.log(chain_linked(panel, nato_members))
    nmc = caps.pivot_table(index="year", columns="ccode", values="milex")
    deflated_us = milex["USA"]
    for iso, cow in ADVERSARIES.items():
        relative = nmc[cow] / nmc[US_COW] * deflated_us.reindex(nmc.index)
        out[f"m_{iso}"] = np.log(_spliced(milex[iso], relative)).reindex(out.index)
    out["y_RUS"] = np.log(_gdp("RUS")).reindex(out.index)
    out["y_CHN"] = np.log(_gdp("CHN")).reindex(out.index)
    return out


def _gdp(iso: str) -> pd.Series:
    """Own GDP (2011 int$ bn): Maddison (former USSR before 1992 for Russia, level-spliced),
    extended after Maddison's last year with WDI constant-price growth."""
    from natofutures import data

    g = data.long_run_gdp().pivot_table(index="year", columns="code", values="gdp") / 1e9
    series = g[iso].dropna()
    if iso == "RUS":
        ussr = g["SUN"].dropna()
        ussr = ussr[ussr.index <= 1991]
        series = _spliced(series[series.index >= 1991], ussr, years=1)
    wdi = data.panel(countries=iso).set_index("year")["gdp_usd"].dropna()
    last = int(series.index.max())
    later = wdi[wdi.index > last] / float(wdi.loc[last]) * float(series.loc[last])
    return pd.concat([series, later]).sort_index()


# --------------------------------------------------------------------------- fit
def design(panel: pd.DataFrame, iso: str, nato_total: bool = False) -> pd.DataFrame:
    """Regressors and Δm for one adversary (rows with any missing value dropped)."""
    if iso not in ADVERSARIES:
        raise InputError(f"adversary: {iso!r} is not allowed; expected one of RUS, CHN")
    m, y = panel[f"m_{iso}"], panel[f"y_{iso}"]
    d = pd.DataFrame(index=panel.index)
    d["dm"] = m.diff()
    d["const"] = 1.0
    d["lambda_own"] = m.shift(1)
    if nato_total:
        d["phi_nato"] = panel["n"].shift(1)
    else:
        d["phi_us"] = panel["u"].shift(1)
        d["phi_europe"] = panel["e"].shift(1)
    d["phi_gdp"] = y.shift(1)
    if nato_total:
        d["beta_nato"] = panel["n"].diff().shift(1)
    else:
        d["beta_us"] = panel["u"].diff().shift(1)
        d["beta_europe"] = panel["e"].diff().shift(1)
    d["beta_gdp"] = y.diff()
    if iso == "RUS":
        d["post1991"] = (d.index >= 1992).astype(float)
        d = d.drop(index=[y for y in EXCLUDED["RUS"] if y in d.index])
    return d.dropna()


@dataclass
class ReactionFit:
    """One adversary's error-correction fit and its out-of-sample check."""

    iso3: str
    window: tuple[int, int]
    n_obs: int
    params: pd.Series
    cov: pd.DataFrame
    sigma: float
    r2: float
    out_of_sample: dict[str, Any] = field(default_factory=dict)
    long_run: dict[str, dict[str, Any]] = field(default_factory=dict)

    def coefficients(self) -> dict[str, dict[str, Any]]:
        """Value, HAC standard error and 90% interval of every coefficient."""
        out = {}
        cov = self.cov.to_numpy()
        for i, name in enumerate(self.params.index):
            v, se = float(self.params.iloc[i]), float(math.sqrt(max(cov[i, i], 0.0)))
            out[str(name)] = {"value": v, "se": se, "ci90": [v - 1.645 * se, v + 1.645 * se]}
        return out


def fit(panel: pd.DataFrame, iso: str, window: tuple[int, int] = FIT, nato_total: bool = False
        ) -> ReactionFit:  # fmt: skip
    """OLS of the error-correction equation on ``window`` with Newey-West standard errors."""
    import statsmodels.api as sm

    first, last = window
    if first > last:
        raise InputError(f"window: {first}-{last} is not allowed; expected first <= last")
    d = design(panel, iso, nato_total)
    d = d[(d.index >= first) & (d.index <= last)]
    x = d.drop(columns="dm")
    if len(d) <= x.shape[1] + 5:
        raise InputError(
            f"window: {first}-{last} leaves {len(d)} years for {x.shape[1]} coefficients; "
            "expected a longer window"
        )
    res = sm.OLS(d["dm"], x).fit(cov_type="HAC", cov_kwds={"maxlags": HAC_LAGS})
    f = ReactionFit(
        iso3=iso,
        window=(int(d.index.min()), int(d.index.max())),
        n_obs=int(res.nobs),
        params=res.params,
        cov=res.cov_params(),
        sigma=float(np.sqrt(res.scale)),
        r2=float(res.rsquared),
    )
    f.long_run = long_run(f)
    return f


def long_run(f: ReactionFit, draws: int = 4000, seed: int = 1960) -> dict[str, dict[str, Any]]:
    """Long-run elasticities θ = −φ/λ with 90% intervals from coefficient draws."""
    rng = np.random.default_rng(seed)
    sim = rng.multivariate_normal(f.params.to_numpy(), f.cov.to_numpy(), size=draws, method="svd")
    names = list(f.params.index)
    lam = sim[:, names.index("lambda_own")]
    out = {}
    for name in names:
        if not name.startswith("phi_"):
            continue
        point = -float(f.params[name]) / float(f.params["lambda_own"])
        theta = -sim[:, names.index(name)] / lam
        lo, hi = np.quantile(theta[lam < 0], [0.05, 0.95]) if (lam < 0).any() else (np.nan, np.nan)
        out["theta_" + name[4:]] = {"value": point, "ci90": [float(lo), float(hi)]}
    return out


def predict(f: ReactionFit, panel: pd.DataFrame, window: tuple[int, int], nato_total: bool = False
            ) -> pd.DataFrame:  # fmt: skip
    """One-step-ahead Δm over ``window`` (actual regressors), beside the actual Δm."""
    d = design(panel, f.iso3, nato_total)
    d = d[(d.index >= window[0]) & (d.index <= window[1])]
    pred = d[list(f.params.index)].to_numpy() @ f.params.to_numpy()
    return pd.DataFrame({"actual": d["dm"], "predicted": pred}, index=d.index)


def out_of_sample(f: ReactionFit, panel: pd.DataFrame, window: tuple[int, int] = EVALUATE,
                  nato_total: bool = False) -> dict[str, Any]:  # fmt: skip
    """RMSE of the one-step-ahead Δm against no change (Δm = 0), in log points."""
    p = predict(f, panel, window, nato_total)
    err = p["actual"] - p["predicted"]
    return {
        "first": int(p.index.min()),
        "last": int(p.index.max()),
        "n": len(p),
        "rmse": float(np.sqrt(np.mean(err**2))),
        "rmse_no_change": float(np.sqrt(np.mean(p["actual"] ** 2))),
        "bias": float(err.mean()),  # actual minus predicted
        "beats_no_change": bool(np.mean(err**2) < np.mean(p["actual"] ** 2)),
    }


def arms_races() -> pd.DataFrame:
    """GRH arms races (1816-1993) involving Russia/USSR or China, with both sides' mean annual
    growth of NMC military spending over the race (nominal, same currency) - a plausibility
    check: in an action-reaction race both rise together."""
    from natofutures import data

    raw = data.arms_races()
    caps = data.capabilities().pivot_table(index="year", columns="ccode", values="milex")
    rows = []
    for r in raw.to_dict(orient="records"):
        sides = {int(r["ccode1"]), int(r["ccode2"])}
        if not sides & set(ADVERSARIES.values()):
            continue
        a, b = sorted(sides, key=lambda c: c not in ADVERSARIES.values())
        span = range(int(r["styear"]), int(r["endyear"]) + 1)

        def growth(c: int, span: range = span) -> float:
            s = caps[c].reindex([span[0] - 1, *span]).dropna() if c in caps else pd.Series()
            return float(np.log(s).diff().mean()) if len(s) > 1 else float("nan")

        rows.append({"adversary": a, "rival": b, "start": span[0], "end": span[-1],
                     "growth_adversary": growth(a), "growth_rival": growth(b)})  # fmt: skip
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the engine step
def adversary_budget_step(
    spend: Array,
    us_prev: Array,
    us_prev2: Array,
    europe_prev: Array,
    europe_prev2: Array,
    gdp: Array,
    gdp_prev: Array,
    coef: dict[str, float],
    shock: Array | float = 0.0,
) -> Array:
    """Next year's adversary spending from the error-correction equation, per draw.

    All arrays broadcast over draws (shape ``(n,)``); ``spend`` is the adversary's spending
    in year t−1, ``us_prev``/``europe_prev`` NATO's in t−1 and ``*_prev2`` in t−2, ``gdp``
    and ``gdp_prev`` the adversary's GDP in t and t−1 (any consistent units: only ratios and
    the intercept ``coef["const"]`` depend on them - re-anchor it with
    :func:`anchored_intercept`). ``shock`` is σ·ε in log points. Returns spending in year t.
    """
    m = np.log(spend)
    dm = (
        coef["const"]
        + coef["lambda_own"] * m
        + coef["phi_us"] * np.log(us_prev)
        + coef["phi_europe"] * np.log(europe_prev)
        + coef["phi_gdp"] * np.log(gdp_prev)
        + coef["beta_us"] * (np.log(us_prev) - np.log(us_prev2))
        + coef["beta_europe"] * (np.log(europe_prev) - np.log(europe_prev2))
        + coef["beta_gdp"] * (np.log(gdp) - np.log(gdp_prev))
        + coef.get("post1991", 0.0)
        + shock
    )
    return np.asarray(np.exp(m + dm), dtype=float)


def anchored_intercept(
    coef: dict[str, float],
    spend: float,
    spend_next: float,
    us_prev: float,
    us_prev2: float,
    europe_prev: float,
    europe_prev2: float,
    gdp: float,
    gdp_prev: float,
) -> float:
    """The intercept that makes :func:`adversary_budget_step` reproduce one observed year
    (e.g. 2023 → 2024) in the engine's own units; the slopes are kept."""
    base = dict(coef, const=0.0)
    no_const = adversary_budget_step(
        np.array([spend]), np.array([us_prev]), np.array([us_prev2]), np.array([europe_prev]),
        np.array([europe_prev2]), np.array([gdp]), np.array([gdp_prev]), base,
    )[0]  # fmt: skip
    return float(math.log(spend_next) - math.log(no_const))


# --------------------------------------------------------------------------- whole run
@dataclass
class ReactionRun:
    """Everything ``natofutures calibrate reaction`` reports."""

    fits: dict[str, ReactionFit]
    alternative: dict[str, ReactionFit]
    races: pd.DataFrame
    panel: pd.DataFrame
    data_version: str
    verdict: str

    def as_dict(self) -> dict[str, Any]:
        """The JSON payload of ``calibrate reaction --json``."""

        def one(f: ReactionFit) -> dict[str, Any]:
            return {
                "window": list(f.window),
                "n_obs": f.n_obs,
                "coefficients": f.coefficients(),
                "long_run": f.long_run,
                "sigma": f.sigma,
                "r2": f.r2,
                "out_of_sample": f.out_of_sample,
            }

        return _clean(
            {
                "adversaries": {k: one(f) for k, f in self.fits.items()},
                "alternative_nato_total": {k: one(f) for k, f in self.alternative.items()},
                "arms_races": self.races.to_dict(orient="records"),
                "specification": {
                    "equation": "Δm_t = α + λ·m_{t−1} + φ_US·u_{t−1} + φ_EU·e_{t−1} + φ_Y·y_{t−1} "
                    "+ β_US·Δu_{t−1} + β_EU·Δe_{t−1} + β_Y·Δy_t (+ δ·post1991 for Russia)",
                    "fit": list(FIT),
                    "evaluate": list(EVALUATE),
                    "units": "logs of constant-2023 US$ bn (spending), 2011 int$ bn (GDP)",
                    "splice": "before SIPRI (Russia 1992, China 1989): COW NMC milex relative to "
                    "the US's NMC milex × the US's SIPRI constant-dollar series, scaled to SIPRI "
                    f"over the first {SPLICE_YEARS} overlapping years; USSR for Russia",
                },
                "data_version": self.data_version,
                "verdict": self.verdict,
            }
        )


def _clean(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, float | np.floating):
        return None if not np.isfinite(obj) else round(float(obj), 6)
    if isinstance(obj, np.integer | np.bool_):
        return obj.item()
    return obj


def calibrate_reaction() -> ReactionRun:
    """Fit both adversaries (and the NATO-total alternative), evaluate out of sample."""
    from natofutures import data

    panel = adversary_panel()
    fits, alt = {}, {}
    for iso in ADVERSARIES:
        fits[iso] = fit(panel, iso)
        fits[iso].out_of_sample = out_of_sample(fits[iso], panel)
        alt[iso] = fit(panel, iso, nato_total=True)
        alt[iso].out_of_sample = out_of_sample(alt[iso], panel, nato_total=True)
    return ReactionRun(fits, alt, arms_races(), panel, data.data_version(), _verdict(fits))


def _verdict(fits: dict[str, ReactionFit]) -> str:
    parts = []
    for iso, f in fits.items():
        o = f.out_of_sample
        word = "beats" if o["beats_no_change"] else "does NOT beat"
        parts.append(
            f"{iso}: one step ahead {o['first']}-{o['last']} RMSE {o['rmse']:.3f} {word} no "
            f"change ({o['rmse_no_change']:.3f}; actual minus predicted {o['bias']:+.3f} "
            "log points/yr)"
        )
    return "; ".join(parts) + (
        ". Responses to NATO spending are imprecise (see intervals); the engine should keep "
        "the adversaries' exogenous paths unless a fit beats no change."
        if not all(f.out_of_sample["beats_no_change"] for f in fits.values())
        else "."
    )


def to_dict(run: ReactionRun) -> dict[str, Any]:
    """The JSON payload of ``calibrate reaction --json``."""
    return run.as_dict()


def covariance_yaml(f: ReactionFit) -> dict[str, Any]:
    """The HAC covariance of the fit's coefficients: term order and the full matrix.

    Written at full float precision (not rounded like the JSON payload) so that the engine's
    Cholesky factor of any block of it stays exact and positive definite.
    """
    cov = f.cov.to_numpy(dtype=float)
    cov = 0.5 * (cov + cov.T)  # exactly symmetric, as a covariance is
    return {
        "terms": [str(n) for n in f.params.index],
        "matrix": [[float(x) for x in row] for row in cov],
    }


def reaction_yaml(run: ReactionRun, command: str) -> dict[str, Any]:
    """The generated ``reaction_calibration.yaml``."""
    payload = run.as_dict()
    return {
        "produced_by": {
            "command": command,
            "data_version": run.data_version,
            "date": dt.date.today().isoformat(),
        },
        "specification": payload["specification"],
        "adversaries": {
            k: {
                "coefficients": {n: c["value"] for n, c in v["coefficients"].items()},
                "se": {n: c["se"] for n, c in v["coefficients"].items()},
                "covariance": covariance_yaml(run.fits[k]),
                "sigma": v["sigma"],
                "long_run": v["long_run"],
                "out_of_sample": v["out_of_sample"],
            }
            for k, v in payload["adversaries"].items()
        },
        "verdict": payload["verdict"],
    }




def write_calibration(run: ReactionRun, path: str | Path, command: str) -> Path:
    """Write the fit as YAML (the engine reads it only once integrated)."""
    import yaml

    out = check_output_path(path, "write")
    header = (
        "# Adversary budgets as an action-reaction model (issue #15). Generated - do not edit;\n"
        f"# regenerate with: {command}\n"
    )
    text = yaml.safe_dump(reaction_yaml(run, command), sort_keys=False, allow_unicode=True)
    out.write_text(header + text, encoding="utf-8")
    return out


def write_report(run: ReactionRun, folder: str | Path) -> list[Path]:
    """CSV tables (panel, coefficients, arms races) and one PNG chart."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    out = check_report_folder(folder)
    out.mkdir(parents=True, exist_ok=True)
    coef = pd.DataFrame(
        [{"adversary": k, "term": n, "value": c["value"], "se": c["se"]}
         for k, f in run.fits.items() for n, c in f.coefficients().items()]
    )  # fmt: skip
    written = []
    for name, frame in (("panel.csv", run.panel.reset_index()), ("coefficients.csv", coef),
                        ("arms_races.csv", run.races)):  # fmt: skip
        frame.to_csv(out / name, index=False)
        written.append(out / name)
    fig = Figure(figsize=(10, 4))
    FigureCanvasAgg(fig)
    for i, (iso, f) in enumerate(run.fits.items()):
        ax = fig.add_subplot(1, 2, i + 1)
        p = predict(f, run.panel, (FIT[0], EVALUATE[1]))
        ax.plot(p.index, p["actual"], "k.-", lw=1, label="actual Δln spending")
        ax.plot(p.index, p["predicted"], "C0-", label="one step ahead (fit 1950-1999)")
        ax.axvspan(EVALUATE[0] - 0.5, EVALUATE[1] + 0.5, color="grey", alpha=0.15)
        ax.axhline(0, color="grey", lw=0.8)
        o = f.out_of_sample
        ax.set_title(f"{iso}: 2000-2024 RMSE {o['rmse']:.3f} vs no change "
                     f"{o['rmse_no_change']:.3f}", fontsize=9)  # fmt: skip
        ax.set_ylabel("log points per year")
        ax.legend(fontsize=8)
    path = out / "reaction.png"
    fig.savefig(path, dpi=110, bbox_inches="tight")
    return [*written, path]
