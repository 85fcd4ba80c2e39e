"""The deterrence hazard fitted to two centuries of disputes (docs/methodology.md §7, issue #15).

The engine's hazard ``h = h0·I / (1 + (R/R*)^k)`` says that the annual probability of a war
falls with the balance R (the defender's delivered power over the challenger's). History can
speak to its slope and level. The estimand is the annual probability that a state begins a
war-level militarised dispute (GML MID hostility level 5) against another state, in the
directed, politically relevant dyad-years 1816-2010 (contiguous or strategic rivals;
:func:`natofutures.data.conflict_dyads`), as a function of the balance.

Specification (chosen before looking at 1946-2010, and not changed after):

- discrete-time hazard, logit link, statsmodels GLM; duration dependence by a cubic B-spline
  in peace years (years since the dyad's last dispute, 4 degrees of freedom, bounds 0-200;
  Beck, Katz and Tucker 1998); dyad-years with an ongoing dispute are dropped;
- regressors: ``ln_ratio_delivered`` = ln(CINC target / (CINC challenger·exp(−d/D))), the
  engine's Boulding discount with D = ``projection.decay_km`` (6000 km) and d the distance
  between capitals; land and sea contiguity (COW, the same table as the engine's borders);
  strategic rivalry (Thompson-Dreyer or TSS);
- fit 1816-1945, evaluate 1946-2010 (Brier score and AUC) against a base-rate model (the
  training share of onsets);
- reported beside it: the same model for any dispute and for severe ones (use of force or
  fatalities), the raw capability ratio instead of the delivered one, and - because ATOP
  alliances are only bundled from 1945 and only for the project's scope - an in-sample
  1946-2010 model with a defence-pact dummy. Before 1945 alliances are not observed; the main
  model therefore has no alliance term.

Into the engine (per theatre). A logit in ln R is exactly ``1/(1+(R/R₀)^k)`` with a ceiling of
1, and history only speaks to the hazard over the balances it observed: its level and its
elasticity in the balance, not the ceiling h0 nor a threshold in the engine's own power units.
So the engine, at its own 2024 balance R and intentions I, must reproduce the fitted 2024
hazard of the theatre's present-day dyad and its elasticity ``β·(1−ĥ)``; R* stays the prior
(judgement) and k, h0 follow (:func:`map_theatre`). The first mapping written down - h0 at
the prior, k = elasticity, R* solved for the level - gave R* ≈ 0.0003 for Europe (outside the
engine's bounds) and no solution for the Indo-Pacific; it is kept in the output as
``alternative_h0_fixed``. Uncertainty: coefficients drawn from their cluster-robust normal
approximation (seeded). The out-of-area theatre has no challenger-defender dyad; its prior
stays.

What the engine adopts (:func:`slope_check`; rule written down on 2026-12-05 before it was
computed, docs/validation.md). The fit's *level* fails out of sample (the post-1945 "long
peace"), so h0 stays judgement. Its *slope* is adopted for k in Europe and the Indo-Pacific
if (a) the same model fitted on 1946-2010 alone gives a balance coefficient of the same sign
whose 90% interval overlaps the 1816-1945 one, and (b) the balance term raises the 1946-2010
AUC of the 1816-1945 fit over the same model without it. With k adopted, h0 is the value that
keeps the engine's judged 2024 hazard (``adopted.h0``): the judgement is on the hazard today,
h0 is only what delivers it at the fitted k.

References
----------
Beck, N., Katz, J. N. and Tucker, R. (1998), Taking Time Seriously: Time-Series-Cross-Section
Analysis with a Binary Dependent Variable, American Journal of Political Science 42(4).
Boulding, K. E. (1962), Conflict and Defense, ch. 12.
Gibler, D. M., Miller, S. V. and Little, E. K. (2016), International Studies Quarterly 60(4).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from natofutures.analysis._outputs import (  # noqa: F401 (re-exported for the CLI)
    check_output_path,
    check_report_folder,
)
from natofutures.errors import InputError

Array = NDArray[np.float64]

FIT_UNTIL = 1945
EVAL_FROM, EVAL_UNTIL = 1946, 2010
OUTCOMES = {"war": 3, "severe": 2, "mid": 1}  # onset severity at or above
ENGINE_OUTCOME = "war"
REGRESSORS = ("ln_ratio_delivered", "land", "sea", "rival")
SPLINE = "bs(peace_years, df=4, degree=3, lower_bound=0, upper_bound=200)"
SIM_DRAWS = 2000
SEED = 19981001  # Beck, Katz and Tucker (1998), AJPS 42(4), October
THEATRES = ("europe", "indo_pacific", "out_of_area")

# present-day dyads: challenger, frontline defender and the allies who stand with it (COW codes)
EUROPEAN_ALLIES = (
    200, 220, 211, 210, 212, 385, 390, 395, 325, 235, 350, 640, 255, 230, 316, 310, 290,
    355, 366, 367, 368, 360, 317, 349, 339, 344, 341, 343, 375, 380,
)  # fmt: skip
PRESENT_DYADS: dict[str, dict[str, Any]] = {
    "europe": {
        "label": "Russia vs European NATO (frontline Poland)",
        "challenger": 365,
        "front": 290,
        "defenders": EUROPEAN_ALLIES,
        "contiguity": "land",
        "history_pairs": [(365, c) for c in EUROPEAN_ALLIES] + [(2, 365)],
    },
    "europe_with_us": {
        "label": "Russia vs NATO incl. the US (frontline Poland)",
        "challenger": 365,
        "front": 290,
        "defenders": (*EUROPEAN_ALLIES, 2, 20),
        "contiguity": "land",
        "history_pairs": [(365, c) for c in EUROPEAN_ALLIES] + [(2, 365)],
    },
    "indo_pacific": {
        "label": "China vs the US and Indo-Pacific allies (frontline Taiwan)",
        "challenger": 710,
        "front": 713,
        "defenders": (2, 713, 740, 732, 900, 840),
        "contiguity": "sea",
        "history_pairs": [(2, 710), (710, 713), (710, 740), (710, 732), (710, 900), (710, 840)],
    },
    "indo_pacific_taiwan": {
        "label": "China vs Taiwan alone",
        "challenger": 710,
        "front": 713,
        "defenders": (713,),
        "contiguity": "sea",
        "history_pairs": [(710, 713)],
    },
}
THEATRE_DYAD = {"europe": "europe_with_us", "indo_pacific": "indo_pacific"}


# --------------------------------------------------------------------------- data
def peace_years(dyads: pd.DataFrame) -> pd.Series:
    """Years since the dyad's last dispute year (onset either way or ongoing), 0 when a
    dispute went on the year before; counted from the dyad's first observed year."""
    d = dyads[["ccode1", "ccode2", "year"]].copy()
    event = (dyads["onset12"] > 0) | (dyads["onset21"] > 0) | (dyads["ongoing"] > 0)
    key = d["ccode1"] * 10_000 + d["ccode2"]
    first = d.groupby(key)["year"].transform("min")
    last_event = d["year"].where(event)
    last_event = last_event.groupby(key).transform(lambda s: s.ffill().shift(1))
    start = last_event.fillna(first - 1)
    out = (d["year"] - start - 1).clip(lower=0)
    return out.astype("int64")


def directed_dyad_years(
    dyads: pd.DataFrame, capabilities: pd.DataFrame, decay_km: float
) -> pd.DataFrame:
    """Directed dyad-years (challenger, target) ready for the fit, ongoing years dropped.

    ``ln_ratio`` = ln(CINC target / CINC challenger); ``ln_ratio_delivered`` adds d/D: the
    challenger's power arrives discounted by exp(−d/D) (Boulding), the target fights at home.
    ``severity`` is the onset the challenger began (0-3).
    """
    if not math.isfinite(decay_km) or decay_km <= 0:
        raise InputError(f"decay_km: {decay_km!r} is not allowed; expected a positive number")
    d = dyads.assign(peace_years=peace_years(dyads))
    d = d[d["ongoing"] == 0]
    keep = ["year", "contiguity", "rival", "distance_km", "defence_pact", "peace_years"]
    fwd = d[keep].assign(challenger=d["ccode1"], target=d["ccode2"], severity=d["onset12"])
    bwd = d[keep].assign(challenger=d["ccode2"], target=d["ccode1"], severity=d["onset21"])
    out = pd.concat([fwd, bwd], ignore_index=True)
    cinc = capabilities.set_index(["ccode", "year"])["cinc"]
    out["cinc_challenger"] = cinc.reindex(
        pd.MultiIndex.from_arrays([out["challenger"], out["year"]])
    ).to_numpy()
    out["cinc_target"] = cinc.reindex(
        pd.MultiIndex.from_arrays([out["target"], out["year"]])
    ).to_numpy()
    out = out[(out["cinc_challenger"] > 0) & (out["cinc_target"] > 0)].copy()
    out["ln_ratio"] = np.log(out["cinc_target"] / out["cinc_challenger"])
    out["ln_ratio_delivered"] = out["ln_ratio"] + out["distance_km"] / decay_km
    out["land"] = (out["contiguity"] == 1).astype(float)
    out["sea"] = (out["contiguity"] == 2).astype(float)
    out["rival"] = out["rival"].astype(float)
    out["post1945"] = (out["year"] > FIT_UNTIL).astype(float)
    out["dyad"] = np.minimum(out["challenger"], out["target"]) * 10_000 + np.maximum(
        out["challenger"], out["target"]
    )
    return out.sort_values(["year", "challenger", "target"], ignore_index=True)


# --------------------------------------------------------------------------- fit
@dataclass
class ModelFit:
    """One fitted discrete-time hazard model and its out-of-sample evaluation."""

    name: str
    outcome: str
    formula: str
    first: int
    last: int
    n_obs: int
    n_events: int
    params: pd.Series
    cov: pd.DataFrame
    evaluation: dict[str, float] = field(default_factory=dict)
    result: Any = None

    def coefficients(self) -> dict[str, dict[str, Any]]:
        """Coefficient, cluster-robust SE and 90% interval for every non-spline term."""
        out: dict[str, dict[str, Any]] = {}
        cov = self.cov.to_numpy()
        for i, (name, value) in enumerate(self.params.items()):
            if str(name).startswith("bs("):
                continue
            se = float(np.sqrt(max(cov[i, i], 0.0)))
            out[str(name)] = {
                "value": float(value),
                "se": se,
                "ci90": [float(value) - 1.645 * se, float(value) + 1.645 * se],
            }
        return out


def formula(outcome: str, regressors: tuple[str, ...]) -> str:
    """Patsy formula of the hazard model (binary outcome column ``y_<outcome>``)."""
    return f"y_{outcome} ~ " + " + ".join((*regressors, SPLINE))


def fit_model(
    frame: pd.DataFrame,
    outcome: str,
    regressors: tuple[str, ...] = REGRESSORS,
    first: int = 1816,
    last: int = FIT_UNTIL,
    name: str = "main",
) -> ModelFit:
    """Fit the logit hazard on ``first..last`` with standard errors clustered by dyad."""
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    if outcome not in OUTCOMES:
        raise InputError(
            f"outcome: {outcome!r} is not allowed; expected one of {', '.join(OUTCOMES)}"
        )
    data = with_outcomes(frame)
    data = data[(data["year"] >= first) & (data["year"] <= last)].dropna(subset=list(regressors))
    if data[f"y_{outcome}"].sum() < 5:
        raise InputError(
            f"window: {first}-{last} has fewer than 5 {outcome} onsets; expected a longer window"
        )
    f = formula(outcome, regressors)
    model = smf.glm(f, data=data, family=sm.families.Binomial())
    res = model.fit(cov_type="cluster", cov_kwds={"groups": data["dyad"].to_numpy()})
    return ModelFit(
        name=name,
        outcome=outcome,
        formula=f,
        first=int(data["year"].min()),
        last=int(data["year"].max()),
        n_obs=int(res.nobs),
        n_events=int(data[f"y_{outcome}"].sum()),
        params=res.params,
        cov=res.cov_params(),
        result=res,
    )


def with_outcomes(frame: pd.DataFrame) -> pd.DataFrame:
    """Add binary outcome columns ``y_war``, ``y_severe``, ``y_mid`` from ``severity``."""
    extra = {f"y_{k}": (frame["severity"] >= v).astype(float) for k, v in OUTCOMES.items()}
    return frame.assign(**extra)


def auc(y: Array, p: Array) -> float:
    """Area under the ROC curve (Mann-Whitney, ties counted one half); NaN without both classes."""
    from scipy.stats import rankdata

    y = np.asarray(y, dtype=bool)
    n1 = int(y.sum())
    n0 = len(y) - n1
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = rankdata(np.asarray(p, dtype=float))
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def brier(y: Array, p: Array) -> float:
    """Mean squared error of probability forecasts (lower is better)."""
    return float(np.mean((np.asarray(p, float) - np.asarray(y, float)) ** 2))


def evaluate(fit: ModelFit, frame: pd.DataFrame, first: int, last: int) -> dict[str, float]:
    """Out-of-sample Brier score and AUC of ``fit`` beside the base-rate model's."""
    data = with_outcomes(frame)
    data = data[(data["year"] >= first) & (data["year"] <= last)]
    data = data.dropna(subset=[c for c in fit.params.index if c in data.columns])
    if data.empty:
        raise InputError(
            f"window: {first}-{last} has no dyad-years to evaluate; expected years "
            "within the data (1816-2010)"
        )
    y = data[f"y_{fit.outcome}"].to_numpy()
    p = np.asarray(fit.result.predict(data), dtype=float)
    base = fit.n_events / fit.n_obs
    return {
        "first": first,
        "last": last,
        "n_obs": len(y),
        "n_events": int(y.sum()),
        "observed_rate": float(y.mean()),
        "mean_predicted": float(p.mean()),
        "base_rate": base,
        "brier": brier(y, p),
        "brier_base_rate": brier(y, np.full(len(y), base)),
        "auc": auc(y, p),
        "auc_base_rate": 0.5,
        "observed_over_predicted": float(y.mean() / p.mean()) if p.mean() > 0 else float("nan"),
    }


# --------------------------------------------------------------------------- present day
SLOPE_RULE = (
    "k takes the fitted balance elasticity if (a) the same model fitted on 1946-2010 alone gives "
    "a balance coefficient of the same sign whose 90% interval overlaps the 1816-1945 fit's and "
    "(b) the 1816-1945 fit's 1946-2010 AUC is higher with the balance term than without it; "
    "written down before it was computed (docs/validation.md); h0 stays judgement"
)


def slope_check(frame: pd.DataFrame, main: ModelFit) -> dict[str, Any]:
    """Is the fitted balance slope stable and useful out of sample? (:data:`SLOPE_RULE`).

    ``main`` is the 1816-1945 fit with its ``evaluation``; returns both periods' balance
    coefficients, the out-of-sample AUC with and without the balance term, and the verdict.
    """
    beta = "ln_ratio_delivered"
    without = fit_model(
        frame, main.outcome, tuple(r for r in REGRESSORS if r != beta), name="no_balance"
    )
    later = fit_model(frame, main.outcome, REGRESSORS, EVAL_FROM, EVAL_UNTIL, "balance_later")
    early, late = main.coefficients()[beta], later.coefficients()[beta]
    same_sign = math.copysign(1.0, early["value"]) == math.copysign(1.0, late["value"])
    overlap = late["ci90"][0] <= early["ci90"][1] and early["ci90"][0] <= late["ci90"][1]
    auc_with = float(main.evaluation["auc"])
    auc_without = evaluate(without, frame, EVAL_FROM, EVAL_UNTIL)["auc"]
    stable, discriminates = bool(same_sign and overlap), bool(auc_with > auc_without)
    return {
        "rule": SLOPE_RULE,
        "outcome": main.outcome,
        "balance_1816_1945": early,
        "balance_1946_2010": late | {"n_events": later.n_events},
        "auc_1946_2010_with_balance": auc_with,
        "auc_1946_2010_without_balance": auc_without,
        "stable": stable,
        "discriminates": discriminates,
        "adopt": stable and discriminates,
    }


def adopted_parameters(
    mapping: EngineMapping, engine: dict[str, float], adopt: bool
) -> dict[str, Any]:
    """The engine values the rule adopts for one theatre: the fitted k and its 90% interval,
    and the h0 that keeps the engine's judged 2024 hazard at that k (``{}`` when nothing is
    adopted: the rule fails, or no dyad stands for the theatre)."""
    if not adopt or mapping.judgement["steepness"]:
        return {}
    r, r_half, intent = engine["ratio"], mapping.ratio_half, engine["intentions"]
    k = mapping.steepness
    return {
        "steepness": k,
        "steepness_range90": mapping.intervals["steepness"],
        "h0": engine["hazard"] * (1.0 + (r / r_half) ** k) / intent,
        "hazard_2024": engine["hazard"],
        "note": (
            "k: the fitted elasticity (not judgement); h0: judgement, the value that keeps the "
            "engine's 2024 hazard (the judged level) at this k; R*: judgement"
        ),
    }


def present_day_row(
    key: str,
    capabilities: pd.DataFrame,
    dyads: pd.DataFrame,
    capitals: pd.DataFrame,
    decay_km: float,
) -> dict[str, Any]:
    """Regressors of a present-day dyad at the latest NMC year (2022).

    Defenders' CINC is discounted by their distance to the frontline capital, the
    challenger's likewise (a single dyad reduces to ``(c_B/c_A)·exp(d/D)``). Rivalry: any
    of the dyad's pairs a rival in 2010; peace years: the fewest among its pairs in 2010
    (the MID data end there; later disputes are not observed - a judgement).
    """
    from natofutures.engine.projection_loss import great_circle_km

    spec = PRESENT_DYADS[key]
    year = int(capabilities["year"].max())
    cinc = capabilities[capabilities["year"] == year].set_index("ccode")["cinc"]
    lat = capitals.set_index("ccode")["lat"].astype(float).to_dict()
    lng = capitals.set_index("ccode")["lng"].astype(float).to_dict()

    def dist(a: int, b: int) -> float:
        pts = [np.array(v) for v in (lat[a], lng[a], lat[b], lng[b])]
        return float(great_circle_km(*pts))

    front, ch = spec["front"], spec["challenger"]
    defend = sum(
        float(cinc.get(c, 0.0)) * math.exp(-dist(c, front) / decay_km) for c in spec["defenders"]
    )
    attack = float(cinc[ch]) * math.exp(-dist(ch, front) / decay_km)
    pairs = {tuple(sorted(p)) for p in spec["history_pairs"]}
    last = dyads[dyads["year"] == EVAL_UNTIL]
    last = last.assign(peace_years=peace_years(dyads).loc[last.index])
    sub = last[[(a, b) in pairs for a, b in zip(last["ccode1"], last["ccode2"], strict=True)]]
    return {
        "label": spec["label"],
        "year_capabilities": year,
        "ln_ratio_delivered": math.log(defend / attack),
        "ratio_delivered": defend / attack,
        "land": float(spec["contiguity"] == "land"),
        "sea": float(spec["contiguity"] == "sea"),
        "rival": float(sub["rival"].max()) if len(sub) else 1.0,
        "post1945": 1.0,
        "peace_years": int(sub["peace_years"].min()) if len(sub) else 0,
    }


def capital_points(raw_caps: pd.DataFrame | None = None) -> pd.DataFrame:
    """Latest capital coordinates per COW code (bundled countries table)."""
    from natofutures import data

    c = data.countries()
    return pd.DataFrame({"ccode": c["cow_code"], "lat": c["lat"], "lng": c["lon"]})


def simulate_params(fit: ModelFit, n: int, seed: int = SEED) -> pd.DataFrame:
    """Coefficient draws from the cluster-robust normal approximation (rows = draws)."""
    rng = np.random.default_rng(seed)
    draws = rng.multivariate_normal(fit.params.to_numpy(), fit.cov.to_numpy(), size=n, method="svd")
    return pd.DataFrame(draws, columns=fit.params.index)


def predict_rows(fit: ModelFit, rows: pd.DataFrame, params: pd.DataFrame | None = None) -> Array:
    """Fitted hazard for ``rows`` at the point estimate, or per draw (draws × rows)."""
    from patsy import build_design_matrices

    design = fit.result.model.data.model_spec
    (x,) = build_design_matrices([design], rows, return_type="dataframe")
    beta = fit.params.to_numpy()[None, :] if params is None else params.to_numpy()
    eta = beta @ x.to_numpy().T
    out = 1.0 / (1.0 + np.exp(-eta))
    return out[0] if params is None else out


def engine_r_star(
    h_target: Array, ratio_engine: float, h0: float, intent: float, k: Array
) -> Array:
    """R* so that ``h0·I/(1+(R/R*)^k)`` equals ``h_target`` at the engine's balance R.

    NaN where the target is at or above the ceiling h0·I (no R* can reproduce it).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        q = h0 * intent / np.asarray(h_target, float) - 1.0
        r = ratio_engine * q ** (-1.0 / np.asarray(k, float))
    return np.where((q > 0) & (np.asarray(k) > 0), r, np.nan)


def slope_matched_k(slope: Array, ratio_engine: float, ratio_half: float) -> Array:
    """k with ``k·q/(1+q) = slope``, q = (R/R*)^k: the engine curve's elasticity at R equals
    the fitted one (NaN where no k in (0, 50] reaches it)."""
    grid = np.geomspace(1e-4, 50.0, 4000)
    c = math.log(ratio_engine / ratio_half)
    g = grid / (1.0 + np.exp(-grid * c))  # k·q/(1+q), (grid,)
    s = np.atleast_1d(np.asarray(slope, dtype=float))
    above = g[None, :] >= s[:, None]
    first = np.where(above.any(axis=1), above.argmax(axis=1), -1)
    i = np.clip(first, 1, len(grid) - 1)
    lo_g, hi_g = g[i - 1], g[i]
    frac = np.clip((s - lo_g) / np.where(hi_g > lo_g, hi_g - lo_g, 1.0), 0.0, 1.0)
    k = grid[i - 1] + frac * (grid[i] - grid[i - 1])
    k = np.where(first == 0, grid[0], k)
    return np.where((first < 0) | ~(s > 0), np.nan, k)


@dataclass
class EngineMapping:
    """The fitted hazard expressed in the engine's (h0, R*, k) for one theatre."""

    theatre: str
    h0: float
    ratio_half: float
    steepness: float
    intervals: dict[str, list[float]]
    judgement: dict[str, bool]
    anchor: dict[str, Any]
    note: str
    alternative: dict[str, Any] = field(default_factory=dict)
    adopted: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "h0": self.h0,
            "ratio_half": self.ratio_half,
            "steepness": self.steepness,
            "intervals90": self.intervals,
            "judgement": self.judgement,
            "anchor": self.anchor,
            "note": self.note,
            "alternative_h0_fixed": self.alternative,
            "adopted": self.adopted,
        }


def _quantiles(x: Array) -> list[float]:
    x = np.asarray(x, float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return [float("nan"), float("nan")]
    return [float(np.quantile(x, 0.05)), float(np.quantile(x, 0.95))]


def map_theatre(
    theatre: str,
    fit: ModelFit,
    row: dict[str, Any] | None,
    engine: dict[str, float],
    prior: dict[str, float],
    draws: pd.DataFrame,
) -> EngineMapping:
    """Express the fitted model in the engine's hazard form for one theatre.

    The engine, at its own 2024 balance R and intentions I, must reproduce the fitted 2024
    hazard ĥ and its elasticity β·(1−ĥ) in the balance; R* stays the prior (judgement: the
    engine's balance is in its own power units, which history in CINC cannot scale), and
    k and h0 follow. Without a present-day dyad (``row`` None) all three stay judgement.
    """
    r_eng, intent = engine["ratio"], engine["intentions"]
    if row is None:
        return EngineMapping(
            theatre, prior["h0"], prior["ratio_half"], prior["steepness"],
            {"h0": [math.nan] * 2, "ratio_half": [math.nan] * 2, "steepness": [math.nan] * 2},
            {"h0": True, "ratio_half": True, "steepness": True},
            {"engine_ratio_2024": r_eng, "engine_intentions_2024": intent},
            "no challenger-defender dyad stands for this theatre in the dispute data; prior kept",
        )  # fmt: skip
    frame = pd.DataFrame([row])
    h_point = float(predict_rows(fit, frame)[0])
    h_draw = predict_rows(fit, frame, draws)[:, 0]
    beta = "ln_ratio_delivered"
    s_point = -float(fit.params[beta]) * (1.0 - h_point)
    s_draw = -draws[beta].to_numpy() * (1.0 - h_draw)
    r_half = prior["ratio_half"]

    def h0_of(k: Array, h: Array) -> Array:
        return np.asarray(h) * (1.0 + (r_eng / r_half) ** np.asarray(k)) / intent

    k_point = float(slope_matched_k(np.array([s_point]), r_eng, r_half)[0])
    k_draw = slope_matched_k(s_draw, r_eng, r_half)
    alt_k = max(s_point, 1e-6)
    alt_r = float(
        engine_r_star(np.array([h_point]), r_eng, prior["h0"], intent, np.array([alt_k]))[0]
    )
    return EngineMapping(
        theatre=theatre,
        h0=float(h0_of(np.array(k_point), np.array(h_point))),
        ratio_half=r_half,
        steepness=k_point,
        intervals={
            "h0": _quantiles(h0_of(k_draw, h_draw)),
            "ratio_half": [r_half, r_half],
            "steepness": _quantiles(k_draw),
        },
        judgement={"h0": False, "ratio_half": True, "steepness": False},
        anchor={
            "fitted_hazard_2024": h_point,
            "fitted_hazard_2024_ci90": _quantiles(h_draw),
            "fitted_elasticity": -s_point,
            "engine_ratio_2024": r_eng,
            "engine_intentions_2024": intent,
            "prior_hazard_2024": engine["hazard"],
        },
        note=(
            "k and h0 reproduce the fitted 2024 hazard and its elasticity in the balance at the "
            "engine's 2024 balance; R* is the prior (judgement)"
        ),
        alternative={
            "h0": prior["h0"],
            "steepness": alt_k,
            "ratio_half": alt_r,
            "note": "h0 kept at the prior, k = fitted elasticity, R* solved for the level",
        },
    )


# --------------------------------------------------------------------------- whole run
@dataclass
class HazardRun:
    """Everything ``natofutures calibrate hazard`` reports."""

    decay_km: float
    main: ModelFit
    others: list[ModelFit]
    alliance: ModelFit | None
    full_period: ModelFit | None
    present: dict[str, dict[str, Any]]
    engine: dict[str, EngineMapping]
    engine_2024: dict[str, dict[str, float]]
    slope: dict[str, Any]
    frame: pd.DataFrame
    data_version: str
    verdict: str


def engine_2024() -> tuple[dict[str, dict[str, float]], dict[str, Any]]:
    """The engine's deterministic 2024 balance, hazard and implied intentions per theatre,
    with its hazard parameters per theatre (defaults.yaml) - the numbers the mapping must
    reproduce."""
    import natofutures as nf
    from natofutures.scenario import posture

    sc = posture("business_as_usual")
    ds = nf.simulate(sc, draws=0, horizon=2026, backend="numpy", variables=["balance", "hazard"])
    t0 = int(ds["year"].values[0])
    prior: dict[str, Any] = {"h0": {}, "ratio_half": {}, "steepness": {}}
    values = _defaults()
    out = {}
    for t in THEATRES:
        for name in ("h0", "ratio_half", "steepness"):
            prior[name][t] = float(values[f"hazard.{name}.{t}"])
        r = float(ds["balance"].sel(theatre=t, year=t0).values[0])
        h = float(ds["hazard"].sel(theatre=t, year=t0).values[0])
        q = (r / prior["ratio_half"][t]) ** prior["steepness"][t]
        intent = h * (1.0 + q) / prior["h0"][t]
        out[t] = {"year": t0, "ratio": r, "hazard": h, "intentions": intent}
    return out, prior


def _defaults() -> dict[str, Any]:
    """Central values of defaults.yaml (``key -> value``)."""
    import yaml

    path = Path(__file__).resolve().parents[1] / "parameters" / "defaults.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    params = doc.get("parameters", doc)
    return {
        k: (v["value"] if isinstance(v, dict) and "value" in v else v) for k, v in params.items()
    }


def check_decay(decay_km: float | None) -> float:
    """The Boulding decay scale D (km): the engine default unless given; must be positive."""
    if decay_km is None:
        return float(_defaults()["projection.decay_km"])
    if not math.isfinite(decay_km) or decay_km <= 0:
        raise InputError(f"decay-km: {decay_km!r} is not allowed; expected a positive number of km")
    return float(decay_km)


def calibrate_hazard(decay_km: float | None = None, sim_draws: int = SIM_DRAWS) -> HazardRun:
    """Fit, evaluate and map the deterrence hazard (see the module docstring)."""
    from natofutures import data

    d_km = check_decay(decay_km)
    dyads, caps = data.conflict_dyads(), data.capabilities()
    frame = directed_dyad_years(dyads, caps, d_km)
    main = fit_model(frame, ENGINE_OUTCOME, name="main")
    main.evaluation = evaluate(main, frame, EVAL_FROM, EVAL_UNTIL)
    others = []
    for outcome in ("severe", "mid"):
        f = fit_model(frame, outcome, name=f"main_{outcome}")
        f.evaluation = evaluate(f, frame, EVAL_FROM, EVAL_UNTIL)
        others.append(f)
    raw_regs = ("ln_ratio", "land", "sea", "rival")
    for outcome in ("war", "severe"):
        f = fit_model(frame, outcome, raw_regs, name=f"capability_ratio_{outcome}")
        f.evaluation = evaluate(f, frame, EVAL_FROM, EVAL_UNTIL)
        others.append(f)
    alliance = fit_model(
        frame, "severe", (*REGRESSORS, "defence_pact"), EVAL_FROM, EVAL_UNTIL, "alliance_in_sample"
    )
    # exploratory, in sample (uses the evaluation years): the whole period with a post-1945
    # shift of the level - how large the "long peace" is; the engine mapping does not use it
    full = fit_model(frame, "war", (*REGRESSORS, "post1945"), 1816, EVAL_UNTIL, "full_period")
    caps_pts = capital_points()
    present = {k: present_day_row(k, caps, dyads, caps_pts, d_km) for k in PRESENT_DYADS}
    level = main.evaluation["observed_over_predicted"]
    for row in present.values():
        row["fitted_hazard"] = float(predict_rows(main, pd.DataFrame([row]))[0])
        # diagnostic only (uses the evaluation window): the level rescaled by 1946-2010's
        # observed / predicted onsets; the engine mapping does not use it
        row["fitted_hazard_post1945_level"] = row["fitted_hazard"] * level
        row["fitted_hazard_severe"] = float(predict_rows(others[0], pd.DataFrame([row]))[0])
        row["fitted_hazard_full_period"] = float(predict_rows(full, pd.DataFrame([row]))[0])
    eng, prior = engine_2024()
    draws = simulate_params(main, sim_draws)
    slope = slope_check(frame, main)
    mapping = {}
    for t in THEATRES:
        key = THEATRE_DYAD.get(t)
        pr = {name: prior[name][t] for name in ("h0", "ratio_half", "steepness")}
        mapping[t] = map_theatre(t, main, present[key] if key else None, eng[t], pr, draws)
        mapping[t].adopted = adopted_parameters(mapping[t], eng[t], slope["adopt"])
    for k, row in present.items():
        t = "europe" if k.startswith("europe") else "indo_pacific"
        row["prior_hazard_2024_engine"] = eng[t]["hazard"]
    from natofutures import data as nfdata

    return HazardRun(
        decay_km=d_km,
        main=main,
        others=others,
        alliance=alliance,
        full_period=full,
        present=present,
        engine=mapping,
        engine_2024=eng,
        slope=slope,
        frame=frame,
        data_version=nfdata.data_version(),
        verdict=_verdict(main),
    )


def _verdict(main: ModelFit) -> str:
    e = main.evaluation
    better = e["brier"] <= e["brier_base_rate"]
    return (
        f"Out of sample ({e['first']}-{e['last']}, {e['n_events']} war onsets in {e['n_obs']} "
        f"directed dyad-years) the model ranks dyads well (AUC {e['auc']:.2f}) but its Brier "
        f"score {e['brier']:.5f} is {'at or below' if better else 'ABOVE'} the base rate's "
        f"{e['brier_base_rate']:.5f}: "
        + (
            "it beats the base rate."
            if better
            else f"fitted on 1816-1945 it predicts {e['mean_predicted']:.4f} war onsets per "
            f"dyad-year where {e['observed_rate']:.4f} occurred (the post-1945 'long peace'), "
            "so its level is too high out of sample while its ranking holds."
        )
    )


def _clean(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, float | np.floating):
        return None if not np.isfinite(obj) else round(float(obj), 6)
    if isinstance(obj, np.integer):
        return int(obj)
    return obj


def _model_dict(f: ModelFit) -> dict[str, Any]:
    return {
        "outcome": f.outcome,
        "formula": f.formula,
        "window": [f.first, f.last],
        "n_obs": f.n_obs,
        "n_events": f.n_events,
        "coefficients": f.coefficients(),
        "evaluation": f.evaluation,
    }


def to_dict(run: HazardRun) -> dict[str, Any]:
    """The JSON payload of ``calibrate hazard --json``."""
    e = run.main.evaluation
    out = {
        "coefficients": run.main.coefficients(),
        "evaluation": {
            "brier": e["brier"],
            "brier_base_rate": e["brier_base_rate"],
            "auc": e["auc"],
        }
        | {k: v for k, v in e.items() if k not in ("brier", "brier_base_rate", "auc")},
        "engine": {t: m.as_dict() for t, m in run.engine.items()},
        "slope_check": run.slope,
        "estimand": (
            f"annual probability that the challenger begins a war-level MID (hostility 5) "
            f"against the target, directed politically relevant dyad-years; fit "
            f"{run.main.first}-{run.main.last}, evaluated {EVAL_FROM}-{EVAL_UNTIL}"
        ),
        "model": _model_dict(run.main),
        "other_models": {f.name: _model_dict(f) for f in run.others},
        "alliance_in_sample": _model_dict(run.alliance) if run.alliance else None,
        "full_period_in_sample": _model_dict(run.full_period) if run.full_period else None,
        "present_day": run.present,
        "decay_km": run.decay_km,
        "data_version": run.data_version,
        "verdict": run.verdict,
    }
    return _clean(out)


# --------------------------------------------------------------------------- outputs
def calibration_yaml(run: HazardRun, command: str) -> dict[str, Any]:
    """The generated ``hazard_calibration.yaml``: engine keys with value, range and flags."""
    params: dict[str, Any] = {}
    for t, m in run.engine.items():
        for name, key in (("h0", f"hazard.h0.{t}"), ("steepness", f"hazard.steepness.{t}"),
                          ("ratio_half", f"hazard.ratio_half.{t}")):  # fmt: skip
            lo, hi = m.intervals[name]
            params[key] = {
                "value": getattr(m, name),
                "range90": [lo, hi],
                "judgement": m.judgement[name],
                "source": m.note,
            }
    return _clean(
        {
            "produced_by": {
                "command": command,
                "data_version": run.data_version,
                "date": dt.date.today().isoformat(),
            },
            "estimand": to_dict(run)["estimand"],
            "evaluation": run.main.evaluation,
            "slope_check": run.slope,
            "parameters": params,
            "adopted": {
                f"hazard.{name}.{t}": m.adopted[name]
                for t, m in run.engine.items()
                for name in ("h0", "steepness")
                if m.adopted
            },
        }
    )


def write_calibration(run: HazardRun, path: str | Path, command: str) -> Path:
    """Write the engine mapping as YAML (the engine reads it only once integrated)."""
    import yaml

    out = Path(path)
    header = (
        "# Deterrence hazard fitted to the dispute history (issue #15). Generated - do not edit;\n"
        f"# regenerate with: {command}\n"
        "# Keys are per-theatre versions of the defaults.yaml hazard entries\n"
        "# (docs/validation.md).\n"
    )
    text = yaml.safe_dump(calibration_yaml(run, command), sort_keys=False, allow_unicode=True)
    out.write_text(header + text, encoding="utf-8")
    return out




def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


def reliability(run: HazardRun, bins: int = 10) -> pd.DataFrame:
    """Out-of-sample reliability table: mean predicted vs observed onset rate per decile."""
    data = with_outcomes(run.frame)
    data = data[(data["year"] >= EVAL_FROM) & (data["year"] <= EVAL_UNTIL)]
    p = np.asarray(run.main.result.predict(data), dtype=float)
    q = pd.qcut(p, bins, labels=False, duplicates="drop")
    df = pd.DataFrame(
        {"bin": q, "predicted": p, "observed": data[f"y_{run.main.outcome}"].to_numpy()}
    )
    return df.groupby("bin").agg(predicted=("predicted", "mean"), observed=("observed", "mean"),
                                 n=("observed", "size")).reset_index()  # fmt: skip


def write_report(run: HazardRun, folder: str | Path) -> list[Path]:
    """CSV tables and two PNG charts (reliability; engine curves prior vs fitted)."""
    out = check_report_folder(folder)
    out.mkdir(parents=True, exist_ok=True)
    payload = to_dict(run)
    written = []
    coef = pd.DataFrame(
        [{"model": n, "term": k, **{x: v[x] for x in ("value", "se")}}
         for n, m in [("main", payload["model"]), *payload["other_models"].items(),
                      ("alliance_in_sample", payload["alliance_in_sample"]),
                      ("full_period_in_sample", payload["full_period_in_sample"])]
         for k, v in m["coefficients"].items()]
    )  # fmt: skip
    tables = {
        "coefficients.csv": coef,
        "present_day.csv": pd.DataFrame(payload["present_day"]).T.rename_axis("dyad").reset_index(),
        "engine.csv": pd.DataFrame(
            [
                {"theatre": t, "h0": m.h0, "ratio_half": m.ratio_half, "steepness": m.steepness}
                for t, m in run.engine.items()
            ]
        ),
        "reliability.csv": reliability(run),
    }
    for name, frame in tables.items():
        frame.to_csv(out / name, index=False)
        written.append(out / name)
    written.append(_plot_reliability(tables["reliability.csv"], run, out))
    written.append(_plot_engine(run, out))
    return written


def _plot_reliability(rel: pd.DataFrame, run: HazardRun, folder: Path) -> Path:
    fig = _figure(5.5, 4.5)
    ax = fig.add_subplot(1, 1, 1)
    ax.loglog(rel["predicted"], rel["observed"].clip(lower=1e-5), "o-", label="model (deciles)")
    lim = [1e-5, max(float(rel["predicted"].max()), float(rel["observed"].max())) * 1.5]
    ax.loglog(lim, lim, "k:", lw=1, label="perfect calibration")
    ax.axhline(
        run.main.evaluation["base_rate"], color="grey", ls="--", lw=1, label="base rate (1816-1945)"
    )
    ax.set_xlabel("predicted war-onset probability per dyad-year")
    ax.set_ylabel(f"observed rate {EVAL_FROM}-{EVAL_UNTIL} (zeros drawn at 1e-5)")
    e = run.main.evaluation
    ax.set_title(
        f"Out of sample: AUC {e['auc']:.2f}, Brier {e['brier']:.5f} "
        f"vs base {e['brier_base_rate']:.5f}",
        fontsize=9,
    )
    ax.legend(fontsize=8)
    path = folder / "reliability.png"
    fig.savefig(path, dpi=110, bbox_inches="tight")
    return path


def _plot_engine(run: HazardRun, folder: Path) -> Path:
    fig = _figure(9, 4)
    r = np.geomspace(0.2, 8.0, 200)
    for i, t in enumerate(("europe", "indo_pacific")):
        ax = fig.add_subplot(1, 2, i + 1)
        m, e = run.engine[t], run.engine_2024[t]
        prior_h0 = m.alternative.get("h0", m.h0)
        prior = prior_h0 * e["intentions"] / (1 + (r / 1.5) ** 3.0)
        fitted = m.h0 * e["intentions"] / (1 + (r / m.ratio_half) ** m.steepness)
        ax.plot(r, prior * 100, "k--", label="prior (defaults.yaml)")
        ax.plot(r, fitted * 100, "C0", label="fitted to 1816-1945 disputes")
        ax.axvline(e["ratio"], color="grey", lw=1)
        ax.plot([e["ratio"]], [m.anchor["fitted_hazard_2024"] * 100], "C0o")
        ax.set_xscale("log")
        ticks = [0.25, 0.5, 1, 2, 4, 8]
        ax.set_xticks(ticks, [f"{x:g}" for x in ticks])
        ax.minorticks_off()
        ax.set_xlabel("balance R (engine, coalition / adversary)")
        ax.set_ylabel("annual hazard (%)")
        ax.set_title(f"{t}: 2024 R = {e['ratio']:.2f}, I = {e['intentions']:.2f}", fontsize=9)
        ax.legend(fontsize=8)
    path = folder / "engine_hazard.png"
    fig.savefig(path, dpi=110, bbox_inches="tight")
    return path
