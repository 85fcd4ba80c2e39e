"""``compare()``: the main job — simulate the postures, score, rank and forecast.

One call runs every posture through the engine with the same seed (draw ``d`` of every
posture shares its random numbers: common random numbers, so differences between postures
are not noise), evaluates the 14 criteria per draw, and then

- the **scorecard**: median and 90% band (5th–95th percentile) of each criterion;
- per **perspective**: weighted-sum and TOPSIS scores of the median scorecard on fixed value
  scales (``parameters/value_scales.yaml``: dropping a posture never changes another's
  score), SMAA-2 rank acceptabilities (Dirichlet weights around the perspective × outcome
  draws, ranked by weighted sum), mean ranks and central weights; ``feasibility`` is never
  weighted, it is reported beside the ranking;
- **decisiveness**: pairs of postures whose paired value difference (common random numbers,
  central weights) cannot be told from zero, so that no ranking claims more than the Monte
  Carlo supports;
- **attribution**: each criterion's central-case difference from business as usual split by
  Shapley value into the posture's mechanisms and what the posture sets directly
  (:mod:`natofutures.analysis.attribution`);
- the **adoption forecast** (the bargaining model of :mod:`natofutures.analysis.adoption`),
  whose per-draw probabilities are also the ``feasibility`` criterion;
- one line per perspective: who wins and which criteria drive it.

Every number is traceable to :attr:`Comparison.run` (seed, draws, horizon, scenario hashes,
data version, package version).

>>> import natofutures as nf
>>> res = nf.compare(draws=200, seed=1)  # doctest: +SKIP
>>> res.scorecard.loc["division_of_labor", ("europe_risk", "median")]  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from natofutures.analysis import adoption, mcda
from natofutures.analysis import attribution as attrib
from natofutures.analysis import perspectives as persp
from natofutures.analysis.criteria import CRITERIA, CRITERION_NAMES, SIMULATED, evaluate
from natofutures.analysis.perspectives import Perspective
from natofutures.analysis.smaa import SMAAResult, smaa
from natofutures.errors import InputError

DEFAULT_DRAWS = 1000
DEFAULT_SEED = 20220914  # the essay's publication date
DEFAULT_HORIZON = 2045
DEFAULT_SMAA_SAMPLES = 100_000
SMAA_METHOD: mcda.Method = "weighted_sum"
BAND = (5.0, 95.0)
#: Largest draw count per posture: the engine holds every draw of a posture in memory
#: (about 35 MB per 1,000 draws of the variables the criteria need).
MAX_DRAWS = 20_000
MAX_SMAA_SAMPLES = 10_000_000
#: Smallest difference in weighted value (0–1 scale, 1 = the swing from every worst anchor to
#: every best one) that counts as a real difference between two postures. Judgement, range
#: 0.005–0.02: one hundredth of the full swing.
MATERIAL_DIFFERENCE = 0.01

#: Engine variables the criteria read (keeps memory and time down).
NEEDED_VARIABLES = (
    "gdp",
    "burden",
    "spending",
    "power",
    "delivered",
    "hazard",
    "threat",
    "us_allocation",
    "energy_dependence",
    "alignment",
)


@dataclass(frozen=True)
class Comparison:
    """Result of :func:`compare`.

    Attributes
    ----------
    postures
        Names of the postures compared, in order.
    outcomes
        ``(draws, postures, criteria)`` array of every criterion per draw (units in
        :data:`~natofutures.analysis.criteria.CRITERIA`).
    scorecard
        DataFrame, index posture, columns ``(criterion, stat)`` with stat in ``median``,
        ``p05``, ``p95``.
    rankings
        DataFrame, index ``(perspective, posture)``: ``weighted_sum``, ``topsis`` (scores of
        the median scorecard, higher is better), their ranks, ``mean_rank`` and
        ``p_rank_1 … p_rank_n`` (SMAA rank acceptabilities; each row sums to 1).
    forecast
        Series: probability that NATO adopts each posture (sums to 1).
    """

    postures: list[str]
    outcomes: np.ndarray
    scorecard: pd.DataFrame
    rankings: pd.DataFrame
    forecast: pd.Series
    perspectives: list[Perspective]
    smaa: dict[str, SMAAResult]
    summary: dict[str, str]
    run: dict[str, Any]
    stakeholders: pd.DataFrame = field(default_factory=pd.DataFrame)
    scenario_json: dict[str, str] = field(default_factory=dict)
    #: ``(2, criteria)`` worst and best anchors of the value scales over this horizon
    scales: np.ndarray = field(default_factory=lambda: np.zeros((2, 0)))
    #: posture -> Shapley attribution of its central-case difference from business as usual
    attribution: dict[str, attrib.Attribution] = field(default_factory=dict)
    #: perspective -> :func:`decisiveness` result
    decisiveness: dict[str, dict[str, Any]] = field(default_factory=dict)

    def assumptions(self) -> dict[str, list[str]]:
        """``{criterion: [postures]}`` whose difference from business as usual is all set by
        the posture (an assumption restated, not a result)."""
        spans = {
            c: float(abs(self.scales[1, j] - self.scales[0, j]))
            for j, c in enumerate(CRITERION_NAMES)
        } if self.scales.size else None
        return attrib.assumptions(self.attribution, spans)

    def forecast_decisiveness(self) -> dict[str, Any]:
        """Whether the Monte Carlo tells the two most likely postures apart.

        The per-draw difference of their adoption probabilities (common random numbers):
        its mean, the Monte Carlo standard error of that mean, and ``decisive`` = the mean is
        more than two standard errors from 0.
        """
        p = self.outcomes[:, :, CRITERION_NAMES.index("feasibility")] / 100.0
        order = np.argsort(-self.forecast.to_numpy(), kind="stable")
        a, b = int(order[0]), int(order[1])
        d = p[:, a] - p[:, b]
        se = float(d.std(ddof=1) / np.sqrt(d.size)) if d.size > 1 else 0.0
        mean = float(d.mean())
        return {
            "most_likely": self.postures[a],
            "runner_up": self.postures[b],
            "difference": mean,
            "standard_error": se,
            "decisive": bool(abs(mean) > 2.0 * se) if d.size > 1 else bool(mean != 0.0),
        }

    def value_scales_dict(self) -> dict[str, dict[str, Any]]:
        """``{criterion: {"worst", "best", "unit", "anchor", "source", "judgement"}}``."""
        meta = mcda.value_scales()
        return {
            c: {
                "worst": float(self.scales[0, j]),
                "best": float(self.scales[1, j]),
                "unit": meta[c].unit,
                "anchor": meta[c].anchor,
                "source": meta[c].source,
                "judgement": meta[c].judgement,
            }
            for j, c in enumerate(CRITERION_NAMES)
        }

    def outcomes_frame(self) -> pd.DataFrame:
        """Tidy long format: one row per draw, posture and criterion, with the unit."""
        d = self.outcomes.shape[0]
        idx = pd.MultiIndex.from_product(
            [range(d), self.postures, CRITERION_NAMES], names=["draw", "posture", "criterion"]
        )
        df = pd.DataFrame({"value": self.outcomes.reshape(-1)}, index=idx).reset_index()
        df["unit"] = df["criterion"].map({k: v.unit for k, v in CRITERIA.items()})
        return df

    def winner(self, perspective: str) -> str:
        """The posture most likely to rank first under ``perspective`` (SMAA)."""
        res = self.smaa[perspective]
        return self.postures[int(np.argmax(res.first_rank))]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: postures, criteria, rankings, forecast (+ central weights, run, summary).

        ``{"postures": [...], "criteria": {posture: {criterion: {"median", "p05", "p95",
        "unit", "direction"}}}, "rankings": {perspective: {posture: {"rank_probabilities":
        [...], "mean_rank", "weighted_sum", "topsis"}}}, "forecast": {posture: probability}}``
        """
        stats = {
            stat: self.scorecard.xs(stat, axis=1, level="stat")[list(CRITERION_NAMES)].to_numpy()
            for stat in ("median", "p05", "p95")
        }
        criteria: dict[str, Any] = {}
        for i, p in enumerate(self.postures):
            criteria[p] = {
                c: {
                    **{stat: float(arr[i, j]) for stat, arr in stats.items()},
                    "unit": CRITERIA[c].unit,
                    "direction": CRITERIA[c].direction_word,
                }
                for j, c in enumerate(CRITERION_NAMES)
            }
        n = len(self.postures)
        table: dict[Any, dict[Any, Any]] = self.rankings.to_dict("index")
        rankings: dict[str, Any] = {}
        central: dict[str, Any] = {}
        for pe in self.perspectives:
            rankings[pe.name] = {}
            central[pe.name] = {}
            for i, p in enumerate(self.postures):
                row = table[(pe.name, p)]
                ties = self.decisiveness.get(pe.name, {}).get("indistinguishable", [])
                rankings[pe.name][p] = {
                    "rank_probabilities": [float(row[f"p_rank_{r}"]) for r in range(1, n + 1)],
                    "mean_rank": float(row["mean_rank"]),
                    "weighted_sum": float(row["weighted_sum"]),
                    "topsis": float(row["topsis"]),
                    "indistinguishable_from": sorted(
                        {b for a, b in ties if a == p} | {a for a, b in ties if b == p}
                    ),
                }
                cw = self.smaa[pe.name].central_weights[i]
                central[pe.name][p] = (
                    None
                    if np.isnan(cw).any()
                    else {c: float(w) for c, w in zip(CRITERION_NAMES, cw, strict=True)}
                )
        return {
            "postures": list(self.postures),
            "criteria": criteria,
            "rankings": rankings,
            "forecast": {p: float(v) for p, v in self.forecast.items()},
            "feasibility_note": "feasibility is reported beside the ranking and never weighted",
            "forecast_decisiveness": self.forecast_decisiveness(),
            "central_weights": central,
            "decisiveness": self.decisiveness,
            "value_scales": self.value_scales_dict() if self.scales.size else {},
            "attribution": attrib.to_json(self.attribution),
            "assumptions": self.assumptions(),
            "summary": dict(self.summary),
            "run": dict(self.run),
        }


# ----------------------------------------------------------------------------- inputs
def resolve_postures(postures: Sequence[Any] | None) -> list[Any]:
    """Scenarios from built-in names, YAML paths or Scenario objects ("a,b" or one path too);
    None or empty means the four built-ins. Shared by compare, robust, sensitivity and report."""
    from natofutures.scenario import Scenario, load_scenario, posture, posture_names

    names = posture_names()
    if isinstance(postures, str | Path):  # "a,b" or one file, not a sequence of characters
        postures = [t for t in str(postures).split(",") if t.strip()]
    if postures is None or len(postures) == 0:
        return [posture(n) for n in names]
    out: list[Any] = []
    for item in postures:
        if isinstance(item, Scenario):
            out.append(item)
            continue
        text = str(item).strip()
        if text in names:
            out.append(posture(text))
        elif text.endswith((".yaml", ".yml", ".json")):
            if not Path(text).is_file():
                raise InputError(f"postures: file {text!r} does not exist")
            out.append(_load_posture_or_scenario(text, load_scenario, posture))
        else:
            from natofutures.errors import short_repr
            from natofutures.scenario import did_you_mean

            raise InputError(
                f"postures: {short_repr(text)} is not allowed{did_you_mean(text, names)}; "
                f"expected one of {', '.join(names)} or a posture/scenario YAML file"
            )
    labels = [s.name for s in out]
    dupes = sorted({x for x in labels if labels.count(x) > 1})
    if dupes:
        raise InputError(f"postures: {', '.join(dupes)} given twice; expected distinct postures")
    if len(out) < 2:
        raise InputError(f"postures: {len(out)} given; expected at least 2 to compare")
    return out


def _load_posture_or_scenario(
    path: str, load_scenario: Callable[[str], Any], posture: Callable[[str], Any]
) -> Any:
    """A scenario file, or a posture file (it has ``levers:``) made into a scenario."""
    import yaml

    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError:
        raw = None
    if isinstance(raw, dict) and "levers" in raw:
        return posture(path)
    return load_scenario(path)


def resolve_perspectives(
    perspectives: Sequence[str | Path | Perspective] | None,
    weights: str | Mapping[str, float] | None,
) -> list[Perspective]:
    """Perspectives from names, YAML paths or objects, plus one from ``weights`` if given;
    none at all means every built-in perspective. Names must be distinct."""
    out: list[Perspective] = []
    if isinstance(perspectives, str | Path | Perspective):
        perspectives = [perspectives]
    for p in perspectives or []:
        out.append(p if isinstance(p, Perspective) else persp.load(p))
    if weights is not None:
        if isinstance(weights, str):
            out.append(persp.parse_weights(weights))
        else:
            out.append(
                persp.perspective_from_dict(
                    {"name": "custom", "label": "Custom weights", "weights": dict(weights)},
                    where="weights",
                )
            )
    if not out:
        out = persp.load_all()
    names = [p.name for p in out]
    dupes = sorted({x for x in names if names.count(x) > 1})
    if dupes:
        raise InputError(f"perspective: {', '.join(dupes)} given twice; expected distinct names")
    return out


def _check_int(name: str, value: object, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not lo <= value <= hi:
        raise InputError(f"{name}: {value!r} is not allowed; expected an integer in [{lo}, {hi}]")
    return int(value)


# ----------------------------------------------------------------------------- the job
def compare(
    postures: Sequence[Any] | None = None,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    horizon: int = DEFAULT_HORIZON,
    perspectives: Sequence[str | Path | Perspective] | None = None,
    weights: str | Mapping[str, float] | None = None,
    smaa_samples: int = DEFAULT_SMAA_SAMPLES,
    status_quo_bonus: float | None = None,
    progress: Callable[[str], None] | None = None,
    scheduler: str | None = None,
    attribution: bool = True,
) -> Comparison:
    """Compare alliance postures under every perspective and forecast which NATO emerges.

    Parameters
    ----------
    postures
        Built-in posture names, posture/scenario files or ``Scenario`` objects (default:
        the four bundled postures).
    draws
        Monte Carlo draws per posture (0 = the deterministic central case).
    seed
        Seed shared by all postures (common random numbers).
    horizon
        Last simulated year.
    perspectives
        Bundled perspective names or YAML paths (default: all bundled ones, unless
        ``weights`` is given alone).
    weights
        Extra perspective ``custom``: ``"criterion=w,..."`` or a mapping.
    smaa_samples
        Joint weight/outcome samples per perspective.
    status_quo_bonus
        Override the bargaining model's status-quo bonus (judgement, see stakeholders.yaml).
    progress
        Optional callback receiving a short message per step.
    scheduler
        Where the draws run: ``None``/``"local"``, ``"local:N"`` or ``"tcp://HOST:PORT"``
        (see :mod:`natofutures.distributed`); results are identical on any of them.
    attribution
        Also attribute each posture's difference from business as usual to its mechanisms
        (central case; ``2^groups`` engine runs per posture).
    """

    draws = _check_int("draws", draws, 0, MAX_DRAWS)
    seed = _check_int("seed", seed, 0, 2**63 - 1)
    horizon = _check_int("horizon", horizon, 2025, 2100)
    smaa_samples = _check_int("smaa_samples", smaa_samples, 1, MAX_SMAA_SAMPLES)
    views = resolve_perspectives(perspectives, weights)
    scenarios = resolve_postures(postures)
    names = [s.name for s in scenarios]
    people = adoption.stakeholders(status_quo_bonus=status_quo_bonus)

    simulated, hashes, data_version, t0 = simulate_outcomes(
        scenarios, draws=draws, seed=seed, horizon=horizon, progress=progress,
        scheduler=scheduler,
    )
    if progress:
        progress("forecasting adoption")
    value_scales = mcda.scale_matrix(SIMULATED, years=horizon - t0)
    p_adopt = adoption.adoption_probabilities(simulated, names, SIMULATED, people, value_scales)
    outcomes = np.concatenate([simulated, 100.0 * p_adopt[..., np.newaxis]], axis=2)
    forecast = pd.Series(
        p_adopt.mean(axis=0) / p_adopt.mean(axis=0).sum(),
        index=pd.Index(names, name="posture"),
        name="probability",
    )

    scorecard = _scorecard(outcomes, names)
    median = scorecard.xs("median", axis=1, level="stat")[list(CRITERION_NAMES)].to_numpy()
    scales = mcda.scale_matrix(CRITERION_NAMES, years=horizon - t0)

    rows = []
    results: dict[str, SMAAResult] = {}
    summary: dict[str, str] = {}
    decisive: dict[str, dict[str, Any]] = {}
    for view in views:
        if progress:
            progress(f"ranking for {view.name}")
        w = np.asarray(view.vector())
        ws = mcda.weighted_sum(median, w, scales)
        tp = mcda.topsis(median, w, scales)
        res = smaa(
            outcomes,
            scales,
            w,
            view.concentration,
            method=SMAA_METHOD,
            samples=smaa_samples,
            seed=_smaa_seed(seed, view.name),
        )
        results[view.name] = res
        ws_rank, tp_rank = mcda.rank(ws), mcda.rank(tp)
        for i, p in enumerate(names):
            row: dict[str, Any] = {
                "perspective": view.name,
                "posture": p,
                "weighted_sum": ws[i],
                "topsis": tp[i],
                "weighted_sum_rank": int(ws_rank[i]),
                "topsis_rank": int(tp_rank[i]),
                "mean_rank": res.mean_rank[i],
            }
            for r in range(len(names)):
                row[f"p_rank_{r + 1}"] = res.rank_acceptability[i, r]
            rows.append(row)
        decisive[view.name] = decisiveness(outcomes, names, scales, w, res)
        summary[view.name] = _summary_line(view, names, median, scales, ws, res,
                                           decisive[view.name])
    rankings = pd.DataFrame(rows).set_index(["perspective", "posture"])
    attributions: dict[str, attrib.Attribution] = {}
    if attribution:
        if progress:
            progress("attributing differences to mechanisms")
        attributions = attrib.attribute_all(scenarios, horizon=horizon)

    run = {
        **_provenance(seed, draws, horizon, t0, data_version, hashes),
        "smaa_samples": smaa_samples,
        "smaa_method": SMAA_METHOD,
        "value_scales": "parameters/value_scales.yaml",
        "material_difference": MATERIAL_DIFFERENCE,
        "status_quo_bonus": people.status_quo_bonus,
        "decisiveness": people.decisiveness,
        "perspective_weights": {
            v.name: dict(zip(CRITERION_NAMES, v.vector(), strict=True)) for v in views
        },
    }
    run["run_id"] = _run_id(run)
    return Comparison(
        postures=names,
        outcomes=outcomes,
        scorecard=scorecard,
        rankings=rankings,
        forecast=forecast,
        perspectives=views,
        smaa=results,
        summary=summary,
        run=run,
        stakeholders=people.table(),
        scenario_json={sc.name: sc.canonical_json() for sc in scenarios},
        scales=scales,
        attribution=attributions,
        decisiveness=decisive,
    )


def _provenance(
    seed: int, draws: int, horizon: int, t0: int, data_version: str, hashes: dict[str, str]
) -> dict[str, Any]:
    """What every printed number is traceable to: seed, draws, horizon, versions, scenarios."""
    from natofutures import __version__

    return {
        "seed": seed,
        "draws": draws,
        "horizon": horizon,
        "t0": t0,
        "data_version": data_version,
        "package_version": __version__,
        "scenario_hashes": hashes,
    }


def simulate_outcomes(
    scenarios: Sequence[Any],
    *,
    draws: int,
    seed: int,
    horizon: int,
    progress: Callable[[str], None] | None = None,
    scheduler: str | None = None,
) -> tuple[np.ndarray, dict[str, str], str, int]:
    """Simulate each scenario and evaluate its 13 simulated criteria.

    Returns ``(outcomes (draws, postures, 13), scenario hashes, data version, t0)``.
    """
    from natofutures.engine.simulate import simulate

    per_posture: list[np.ndarray] = []
    hashes: dict[str, str] = {}
    data_version, t0 = "", 0
    for sc in scenarios:
        if progress:
            progress(f"simulating {sc.name}")
        ds = simulate(
            sc, draws=draws, seed=seed, horizon=horizon, variables=NEEDED_VARIABLES,
            scheduler=scheduler,
        )
        per_posture.append(evaluate(ds, sc).to_numpy())
        hashes[sc.name] = str(ds.attrs["scenario_hash"])
        data_version = str(ds.attrs["data_version"])
        t0 = int(ds.attrs["t0"])
    return np.stack(per_posture, axis=1), hashes, data_version, t0


@dataclass(frozen=True)
class Forecast:
    """Result of :func:`forecast`: adoption probabilities and the stakeholders behind them."""

    forecast: pd.Series
    stakeholders: pd.DataFrame  # label, clout, salience, weight, utility per posture, favourite
    status_quo: str
    run: dict[str, Any]
    #: forecast over the judgement range of the status-quo bonus (index: bonus)
    status_quo_sweep: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready forecast, stakeholders (with utilities), bonus sweep and provenance."""
        postures = list(self.forecast.index)
        people = {}
        rows: dict[Any, dict[Any, Any]] = self.stakeholders.to_dict("index")
        for name, row in rows.items():
            people[str(name)] = {
                "label": str(row["label"]),
                "clout": float(row["clout"]),
                "salience": float(row["salience"]),
                "weight": float(row["weight"]),
                "favourite": str(row["favourite"]),
                "utilities": {p: float(row[f"utility:{p}"]) for p in postures},
            }
        sweep = [
            {"status_quo_bonus": float(b), **{str(k): float(v) for k, v in row.items()}}
            for b, row in zip(
                self.status_quo_sweep.index, self.status_quo_sweep.to_dict("records"), strict=True
            )
        ]
        return {
            "forecast": {p: float(v) for p, v in self.forecast.items()},
            "status_quo": self.status_quo,
            "stakeholders": people,
            "status_quo_sweep": sweep,
            "run": dict(self.run),
        }


def forecast(
    postures: Sequence[Any] | None = None,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    horizon: int = DEFAULT_HORIZON,
    status_quo_bonus: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> Forecast:
    """Forecast which posture NATO adopts (the bargaining model), with stakeholder detail."""

    draws = _check_int("draws", draws, 0, MAX_DRAWS)
    seed = _check_int("seed", seed, 0, 2**63 - 1)
    horizon = _check_int("horizon", horizon, 2025, 2100)
    scenarios = resolve_postures(postures)
    names = [s.name for s in scenarios]
    people = adoption.stakeholders(status_quo_bonus=status_quo_bonus)
    simulated, hashes, data_version, t0 = simulate_outcomes(
        scenarios, draws=draws, seed=seed, horizon=horizon, progress=progress
    )
    scales = mcda.scale_matrix(SIMULATED, years=horizon - t0)
    p = adoption.forecast(simulated, names, SIMULATED, people, scales)
    utilities = adoption.utilities(np.median(simulated, axis=0), SIMULATED, people, scales)
    table = people.table()
    for j, name in enumerate(names):
        table[f"utility:{name}"] = utilities[:, j]
    table["favourite"] = [names[int(j)] for j in np.argmax(utilities, axis=1)]
    run = {
        **_provenance(seed, draws, horizon, t0, data_version, hashes),
        "status_quo_bonus": people.status_quo_bonus,
        "decisiveness": people.decisiveness,
        "clout_base_year": people.base_year,
    }
    run["run_id"] = _run_id(run)
    lo, hi = adoption.load_spec().status_quo_bonus.range
    bonuses = np.round(np.linspace(lo, hi, 6), 4)
    sweep = pd.DataFrame(
        [
            adoption.forecast(
                simulated, names, SIMULATED, replace(people, status_quo_bonus=b), scales
            )
            for b in bonuses
        ],
        index=pd.Index(bonuses, name="status_quo_bonus"),
    )
    return Forecast(
        forecast=p,
        stakeholders=table,
        status_quo=people.status_quo,
        run=run,
        status_quo_sweep=sweep,
    )


def _smaa_seed(seed: int, perspective: str) -> int:
    """SMAA seed of one perspective: depends on the run seed and the perspective's name only,
    so adding or reordering perspectives leaves the others' results unchanged."""
    sequence = np.random.SeedSequence([seed, zlib.crc32(perspective.encode())])
    return int(sequence.generate_state(1)[0])


def _run_id(run: Mapping[str, Any]) -> str:
    """Short hash of everything that determines the numbers (inputs, seeds, versions)."""
    return hashlib.sha256(json.dumps(run, sort_keys=True, default=str).encode()).hexdigest()[:12]


def _scorecard(outcomes: np.ndarray, names: list[str]) -> pd.DataFrame:
    q = np.percentile(outcomes, [50.0, *BAND], axis=0)  # (3, postures, criteria)
    cols = pd.MultiIndex.from_product(
        [list(CRITERION_NAMES), ["median", "p05", "p95"]], names=["criterion", "stat"]
    )
    data = np.stack([q[0], q[1], q[2]], axis=-1).reshape(len(names), -1)
    return pd.DataFrame(data, index=pd.Index(names, name="posture"), columns=cols)


def decisiveness(
    outcomes: np.ndarray,
    names: list[str],
    scales: np.ndarray,
    weights: np.ndarray,
    res: SMAAResult,
) -> dict[str, Any]:
    """Which postures the Monte Carlo can tell apart under one perspective.

    For every pair, the paired difference of weighted value (central weights) over the draws
    (common random numbers): median and 90% band. A pair is *indistinguishable* when the band
    contains 0 or the median difference is below :data:`MATERIAL_DIFFERENCE`. The SMAA winner
    is ``decisive`` only if it is distinguishable from every other posture.
    """
    v = mcda.weighted_sum(outcomes, weights, scales)  # (draws, postures)
    pairs: dict[str, dict[str, float]] = {}
    ties: list[list[str]] = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            lo, mid, hi = np.percentile(v[:, i] - v[:, j], [BAND[0], 50.0, BAND[1]])
            pairs[f"{names[i]} - {names[j]}"] = {
                "median": float(mid), "p05": float(lo), "p95": float(hi)
            }
            if (lo <= 0.0 <= hi) or abs(mid) < MATERIAL_DIFFERENCE:
                ties.append([names[i], names[j]])
    winner = names[int(np.argmax(res.first_rank))]
    return {
        "winner": winner,
        "decisive": not any(winner in t for t in ties),
        "indistinguishable": ties,
        "paired_differences": pairs,
    }


def _summary_line(
    view: Perspective,
    names: list[str],
    median: np.ndarray,
    scales: np.ndarray,
    ws: np.ndarray,
    res: SMAAResult,
    decisive: dict[str, Any] | None = None,
) -> str:
    """Who wins under ``view``, the criteria that give it its lead, and whether it is a tie."""
    win = int(np.argmax(res.first_rank))
    others = [i for i in range(len(names)) if i != win]
    rival = max(others, key=lambda i: ws[i])
    v = mcda.interval_value(median, scales)
    w = np.asarray(view.vector())
    contrib = w * (v[win] - v[rival])
    order = [int(j) for j in np.argsort(-contrib) if contrib[j] > 0][:3]
    against = [int(j) for j in np.argsort(contrib) if contrib[j] < 0][:1]
    drivers = ", ".join(CRITERION_NAMES[j] for j in order) or "no single criterion"
    line = (
        f"{names[win]} wins (P(1st) {res.first_rank[win]:.0%}) over {names[rival]}, "
        f"driven by {drivers}"
    )
    if against:
        line += f"; it loses most on {CRITERION_NAMES[against[0]]}"
    tied = [b if a == names[win] else a for a, b in (decisive or {}).get("indistinguishable", [])
            if names[win] in (a, b)]
    if tied:
        line += f"; but it cannot be told apart from {', '.join(tied)}"
    return line
