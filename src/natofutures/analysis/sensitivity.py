"""Global sensitivity analysis with SALib (Sobol' indices or Morris elementary effects).

This module only wires SALib's own samplers and analysers to a vectorised model function
``f(X) -> Y`` (``X``: samples × parameters, ``Y``: samples × outputs); nothing is
hand-rolled. :func:`model_function` builds ``f`` for the alliance model: every SALib sample
becomes one *draw* of a single engine call when the engine accepts per-draw parameter values,
and for a ranking output ``Y`` is the indicator that each posture ranks first.

Sobol' (Saltelli/Jansen estimators): ``S1`` is the share of the output's variance explained
by one parameter alone, ``ST`` including all its interactions; ``n`` is rounded up to a power
of two (Sobol' sequences need it) and SALib then evaluates ``n · (k + 2)`` samples.
Morris: ``mu_star`` (mean absolute elementary effect) ranks parameters cheaply with
``n · (k + 1)`` samples; ``sigma`` signals interaction or non-linearity.

References
----------
Saltelli, A. et al. (2010). Variance based sensitivity analysis of model output. *Computer
Physics Communications* 181, 259–270. doi:10.1016/j.cpc.2009.09.018
Morris, M. D. (1991). Factorial sampling plans for preliminary computational experiments.
*Technometrics* 33, 161–174. doi:10.1080/00401706.1991.10484804
Herman, J. and Usher, W. (2017). SALib: an open-source Python library for sensitivity
analysis. *JOSS* 2(9), 97. doi:10.21105/joss.00097
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from natofutures.errors import InputError

SensMethod = Literal["sobol", "morris"]
SENS_METHODS: tuple[SensMethod, ...] = ("sobol", "morris")
MORRIS_LEVELS = 4
ModelFunction = Callable[[NDArray[np.float64]], NDArray[np.float64]]


@dataclass(frozen=True)
class Uncertainty:
    """One uncertain parameter and its range (a uniform distribution over it)."""

    name: str
    low: float
    high: float
    unit: str = ""


@dataclass(frozen=True)
class SensitivityResult:
    """Indices for every output: a DataFrame indexed by (output, parameter).

    Columns: Sobol' — ``S1``, ``S1_conf``, ``ST``, ``ST_conf``; Morris — ``mu_star``,
    ``mu_star_conf``, ``sigma``, ``mu``. ``samples`` is the number of model evaluations.
    """

    method: SensMethod
    indices: pd.DataFrame
    samples: int
    seed: int

    @property
    def main_index(self) -> str:
        """The column used to order parameters: ``ST`` (Sobol') or ``mu_star`` (Morris)."""
        return "ST" if self.method == "sobol" else "mu_star"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{output: {parameter: {index: value}}}`` plus method and samples."""
        out: dict[str, Any] = {}
        for (output, parameter), row in zip(
            self.indices.index.tolist(), self.indices.to_dict("records"), strict=True
        ):
            out.setdefault(str(output), {})[str(parameter)] = {
                str(k): (None if pd.isna(v) else float(v)) for k, v in row.items()
            }
        return {
            "method": self.method,
            "samples": self.samples,
            "seed": self.seed,
            "indices": out,
        }


def salib_problem(uncertainties: Sequence[Uncertainty]) -> dict[str, Any]:
    """The SALib problem dictionary for ``uncertainties``."""
    if not uncertainties:
        raise InputError("sensitivity: no uncertain parameters; expected at least one")
    for u in uncertainties:
        if not u.high > u.low:
            raise InputError(
                f"sensitivity: range of {u.name} [{u.low}, {u.high}] is not allowed; "
                "expected low < high"
            )
    return {
        "num_vars": len(uncertainties),
        "names": [u.name for u in uncertainties],
        "bounds": [[u.low, u.high] for u in uncertainties],
    }


def _power_of_two(n: int) -> int:
    return 1 << max(int(n) - 1, 1).bit_length()


def sample(
    uncertainties: Sequence[Uncertainty], method: SensMethod, n: int, seed: int
) -> NDArray[np.float64]:
    """SALib's sample matrix (evaluations × parameters) for ``method`` with base size ``n``."""
    if method not in SENS_METHODS:
        raise InputError(
            f"--method: {method!r} is not allowed; expected one of {', '.join(SENS_METHODS)}"
        )
    if n < 2:
        raise InputError(f"--n: {n!r} is not allowed; expected an integer >= 2")
    problem = salib_problem(uncertainties)
    if method == "sobol":
        x = sobol_sample.sample(problem, _power_of_two(n), calc_second_order=False, seed=seed)
    else:
        x = morris_sample.sample(problem, n, num_levels=MORRIS_LEVELS, seed=seed)
    return np.asarray(x, dtype=np.float64)


def analyse(
    uncertainties: Sequence[Uncertainty],
    method: SensMethod,
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    outputs: Sequence[str],
    seed: int,
) -> SensitivityResult:
    """Run SALib's analyser on model outputs ``y`` (evaluations × outputs)."""
    problem = salib_problem(uncertainties)
    y2 = np.asarray(y, dtype=np.float64).reshape(len(x), -1)
    if y2.shape[1] != len(outputs):
        raise InputError(f"sensitivity: {y2.shape[1]} outputs but {len(outputs)} names")
    frames = []
    for j, output in enumerate(outputs):
        yj = y2[:, j]
        if method == "sobol":
            # Saltelli's blocks of D + 2 rows: A, AB_1..AB_D, B; SALib estimates the variance
            # from A and B, so an output constant there has no variance to apportion (it may
            # still move in a few AB rows: a ranking settled in every base sample)
            d2 = len(uncertainties) + 2
            base = np.r_[yj[0::d2], yj[d2 - 1 :: d2]]
            if np.ptp(yj) == 0 or np.ptp(base) <= np.finfo(float).eps:
                cols: dict[str, Any] = {
                    "S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0
                }
                res = {k: np.full(len(uncertainties), v) for k, v in cols.items()}
            else:
                with warnings.catch_warnings():
                    # SALib warns when one parameter's resampled block happens to be constant
                    # (e.g. a rank indicator that flips in few samples); that term is 0, as
                    # for a wholly constant output above
                    warnings.filterwarnings("ignore", message="Constant values encountered")
                    res = sobol_analyze.analyze(
                        problem, yj, calc_second_order=False, seed=seed, print_to_console=False
                    )
            keys = ["S1", "S1_conf", "ST", "ST_conf"]
        else:
            res = morris_analyze.analyze(
                problem, x, yj, num_levels=MORRIS_LEVELS, seed=seed, print_to_console=False
            )
            keys = ["mu_star", "mu_star_conf", "sigma", "mu"]
        df = pd.DataFrame({k: np.asarray(res[k], dtype=float) for k in keys})
        df.index = pd.MultiIndex.from_product(
            [[output], [u.name for u in uncertainties]], names=["output", "parameter"]
        )
        frames.append(df)
    return SensitivityResult(
        method=method, indices=pd.concat(frames), samples=len(x), seed=seed
    )


def run(
    uncertainties: Sequence[Uncertainty],
    func: ModelFunction,
    *,
    method: SensMethod = "sobol",
    n: int = 64,
    seed: int = 0,
    outputs: Sequence[str] = ("y",),
) -> SensitivityResult:
    """Sample with SALib, evaluate ``func`` once on all samples (vectorised), analyse."""
    x = sample(uncertainties, method, n, seed)
    y = np.asarray(func(x), dtype=np.float64)
    return analyse(uncertainties, method, x, y, outputs, seed)


# ----------------------------------------------------------------------------- the model
def engine_uncertainties() -> list[Uncertainty]:
    """The engine's uncertain parameters (those with a distribution in ``defaults.yaml``).

    Each varies uniformly over its documented plausible ``range``.
    """
    from natofutures.scenario import parameter_table

    out = []
    for path, spec in parameter_table().items():
        if spec.distribution is None or spec.range is None:
            continue
        lo, hi = spec.range
        if hi > lo:
            out.append(Uncertainty(path, float(lo), float(hi), spec.unit))
    return out


def model_uncertainties() -> list[Uncertainty]:
    """Everything a sensitivity analysis varies: the engine's uncertain parameters and the
    criteria's judgement constants (``criteria.<name>``, ``parameters/criteria.yaml``)."""
    from natofutures.analysis.criteria import judgement_uncertainties

    return [*engine_uncertainties(), *judgement_uncertainties()]


def simulate_samples(
    scenario: Any,
    paths: Sequence[str],
    values: NDArray[np.float64],
    horizon: int,
    scheduler: str | None = None,
) -> NDArray[np.float64]:
    """The 13 simulated criteria for each parameter sample: ``(samples, 13)``.

    All samples run as draws of one engine call (:func:`natofutures.engine.simulate.experiments`),
    on a Dask cluster when ``scheduler`` names one. Paths ``criteria.<name>`` are the criteria's
    judgement constants: they do not reach the engine but the criteria, one value per sample.
    """
    from natofutures.analysis.compare import NEEDED_VARIABLES
    from natofutures.analysis.criteria import evaluate
    from natofutures.engine.simulate import experiments

    values = np.asarray(values, dtype=np.float64)
    crit = [j for j, p in enumerate(paths) if p.startswith("criteria.")]
    eng = [j for j, p in enumerate(paths) if not p.startswith("criteria.")]
    ds = experiments(
        scenario, [paths[j] for j in eng], values[:, eng], horizon,
        variables=NEEDED_VARIABLES, scheduler=scheduler,
    )  # fmt: skip
    judgement: dict[str, Any] = {
        paths[j].removeprefix("criteria."): values[:, j] for j in crit
    }
    return evaluate(ds, scenario, judgement=judgement or None).to_numpy()


@dataclass(frozen=True)
class ModelOutput:
    """What ``natofutures sensitivity --output`` asks for: a criterion, or who ranks first."""

    criterion: str | None
    perspective: Any | None  # a Perspective for rank:NAME
    #: every bundled perspective, for rank:all (one output per perspective and posture)
    every: tuple[Any, ...] = ()

    @property
    def label(self) -> str:
        if self.every:
            return "rank:all"
        if self.perspective is not None:
            return f"rank:{self.perspective.name}"
        return str(self.criterion)


def parse_output(text: str) -> ModelOutput:
    """``CRITERION`` or ``rank:PERSPECTIVE`` (one-line InputError otherwise)."""
    from natofutures.analysis import perspectives
    from natofutures.analysis.criteria import CRITERIA

    text = text.strip()
    if text == "rank:all":
        return ModelOutput(None, None, tuple(perspectives.load_all()))
    if text.startswith("rank:"):
        return ModelOutput(None, perspectives.load(text.removeprefix("rank:")))
    if text not in CRITERIA:
        raise InputError(
            f"--output: {text!r} is not allowed; expected a criterion "
            f"({', '.join(CRITERIA)}), rank:PERSPECTIVE or rank:all"
        )
    return ModelOutput(text, None)


def model_function(
    output: ModelOutput,
    uncertainties: Sequence[Uncertainty],
    postures: Sequence[Any],
    horizon: int,
    scheduler: str | None = None,
) -> tuple[ModelFunction, list[str]]:
    """``f(X)`` for SALib: per posture, the criterion or the indicator of ranking first.

    Each call simulates every posture once for all samples (vectorised); ``feasibility``
    comes from the adoption model evaluated per sample.
    """
    from natofutures.analysis import adoption, mcda
    from natofutures.analysis.criteria import CRITERION_NAMES, SIMULATED
    from natofutures.data import latest_year

    names = [p.name for p in postures]
    paths = [u.name for u in uncertainties]
    people = adoption.stakeholders()
    scales = mcda.scale_matrix(CRITERION_NAMES, years=horizon - int(latest_year()))
    sim_scales = mcda.scale_matrix(SIMULATED, years=horizon - int(latest_year()))

    def f(x: NDArray[np.float64]) -> NDArray[np.float64]:
        sims = np.stack(
            [simulate_samples(sc, paths, x, horizon, scheduler) for sc in postures], axis=1
        )
        p_adopt = adoption.adoption_probabilities(sims, names, SIMULATED, people, sim_scales)
        full = np.concatenate([sims, 100.0 * p_adopt[..., np.newaxis]], axis=2)
        if output.every:
            firsts = [
                mcda.rank(mcda.weighted_sum(full, np.asarray(v.vector()), scales)) == 1
                for v in output.every
            ]
            return np.concatenate(firsts, axis=1).astype(np.float64)
        if output.perspective is None:
            return full[:, :, CRITERION_NAMES.index(str(output.criterion))]
        w = np.asarray(output.perspective.vector())
        ranks = mcda.rank(mcda.weighted_sum(full, w, scales))
        return (ranks == 1).astype(np.float64)

    if output.every:
        return f, [f"{v.name}:{p}" for v in output.every for p in names]
    return f, names


def run_model(
    output: str = "rank:restrainer",
    *,
    method: SensMethod = "sobol",
    n: int = 32,
    seed: int = 0,
    horizon: int = 2045,
    postures: Sequence[Any] | None = None,
    scheduler: str | None = None,
) -> SensitivityResult:
    """Global sensitivity of a model output to the engine's uncertain parameters.

    ``output`` is a criterion name (one output per posture: its value),
    ``rank:PERSPECTIVE`` (one output per posture: 1 if it ranks first by weighted sum on the
    fixed value scales under the perspective's central weights, else 0 — so the indices
    apportion the variance of "which model ranks first"), or ``rank:all`` (the same for every
    bundled perspective, outputs ``PERSPECTIVE:POSTURE``, from one set of engine runs).
    """
    from natofutures.analysis.compare import resolve_postures

    if isinstance(horizon, bool) or not isinstance(horizon, int) or not 2025 <= horizon <= 2100:
        raise InputError(f"--horizon: {horizon!r} is not allowed; expected a year in [2025, 2100]")
    spec = parse_output(output)
    scenarios = resolve_postures(postures)
    unc = model_uncertainties()
    func, names = model_function(spec, unc, scenarios, horizon, scheduler)
    return run(unc, func, method=method, n=n, seed=seed, outputs=names)


def verdict_drivers(
    scenarios: Sequence[Any],
    views: Sequence[Any],
    winners: dict[str, str],
    horizon: int,
    t0: int,
    n: int,
    seed: int,
) -> pd.DataFrame:
    """Morris elementary effects of the uncertain parameters on each perspective's verdict.

    The output is the winner's weighted-sum lead over the best other posture (central weights
    on the fixed value scales, one central-case simulation per Morris point, feasibility from
    the adoption model): a continuous measure of how firmly the ranking holds. The parameters
    are :func:`model_uncertainties` (the engine's and the criteria's judgements).
    ``relative_mu_star`` is ``mu_star`` divided by the largest ``mu_star`` of that perspective.
    """
    from natofutures.analysis import adoption, mcda
    from natofutures.analysis.criteria import CRITERION_NAMES, SIMULATED

    names = [sc.name for sc in scenarios]
    unc = model_uncertainties()
    paths = [u.name for u in unc]
    people = adoption.stakeholders()
    scales = mcda.scale_matrix(CRITERION_NAMES, years=horizon - t0)
    sim_scales = mcda.scale_matrix(SIMULATED, years=horizon - t0)
    wins = [names.index(winners[v.name]) for v in views]

    def f(x: NDArray[np.float64]) -> NDArray[np.float64]:
        sims = np.stack([simulate_samples(sc, paths, x, horizon) for sc in scenarios], axis=1)
        p_adopt = adoption.adoption_probabilities(sims, names, SIMULATED, people, sim_scales)
        full = np.concatenate([sims, 100.0 * p_adopt[..., np.newaxis]], axis=2)
        out = []
        for view, win in zip(views, wins, strict=True):
            ws = mcda.weighted_sum(full, np.asarray(view.vector()), scales)
            others = np.delete(ws, win, axis=1)
            out.append(ws[:, win] - others.max(axis=1))
        return np.stack(out, axis=1)

    res = run(unc, f, method="morris", n=n, seed=seed, outputs=[v.name for v in views])
    table = res.indices.reset_index().rename(columns={"output": "perspective"})
    top = table.groupby("perspective")["mu_star"].transform("max")
    table["relative_mu_star"] = (table["mu_star"] / top.where(top > 0)).fillna(0.0)
    table["unit"] = table["parameter"].map({u.name: u.unit for u in unc})
    table.attrs["samples"] = res.samples
    return table
