"""``POST /api/simulate`` (one scenario) and ``POST /api/simulate/central`` (1-4 central cases).

Validation, the server's limits, the engine call, the summary (the shared headline indicators
of :mod:`natofutures.indicators`) and recording (a :class:`~natofutures.store.RunSpec`) live
here; :mod:`.jobs` runs the same functions in the background.
"""

from __future__ import annotations

import json
import math
import threading
import time
from functools import lru_cache
from typing import Any

import numpy as np
from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from natofutures.errors import InputError
from natofutures.indicators import bands, headline, over_draws
from natofutures.service._json import rows
from natofutures.service.body import json_body
from natofutures.service.jobs import JobContext
from natofutures.service.models import (
    CentralRequest,
    CentralResult,
    ScenarioIn,
    SimulateRequest,
    SimulateResult,
)
from natofutures.service.routes._common import ERRORS
from natofutures.service.shares import check_shares
from natofutures.service.state import (
    API_PREFIX,
    DEFAULT_HORIZON,
    ServiceConfig,
    config,
    heavy,
    slot,
)

router = APIRouter(prefix=API_PREFIX)

#: Engine variables the dashboard shows (fewer variables, faster answers) plus ``reengaged``,
#: which the stored summary of a recorded run needs.
SIM_VARIABLES = (
    "burden",
    "europe_burden",
    "balance",
    "hazard",
    "cumulative_risk",
    "threat",
    "credibility",
    "us_share_europe",
    "us_allocation",
    "alignment",
    "reengaged",
)
#: share of a Monte Carlo job's progress bar for the draws (the rest: medians and bands)
SIM_SHARE = 0.9
#: a Monte Carlo job simulates its draws in about this many blocks (progress and cancel points)
JOB_BLOCKS = 20
MIN_JOB_BLOCK = 25

LABELS = {
    "europe_burden": "European allies' defence spending as a share of their combined GDP",
    "us_burden": "US defence spending as a share of US GDP",
    "us_share_europe": "US share of NATO power delivered to Europe",
    "us_allocation_europe": "Share of US military power allocated to Europe",
    "europe_credibility": "European allies' mean belief in US protection (0 = none, 1 = full)",
    "alignment": "Russia–China alignment (0 = none, 1 = full alliance)",
    "balance_europe": "Coalition / adversary power delivered to Europe (1 = parity)",
    "balance_indo_pacific": "Coalition / adversary power delivered to the Indo-Pacific",
    "balance_out_of_area": "Coalition / adversary power delivered out of area",
    "hazard_europe": "Annual probability that deterrence fails in Europe",
    "hazard_indo_pacific": "Annual probability that deterrence fails in the Indo-Pacific",
    "hazard_out_of_area": "Annual probability of a crisis out of area drawing in the coalition",
    "cumulative_risk_europe": "Probability of at least one deterrence failure in Europe so far",
    "cumulative_risk_indo_pacific": "Same for the Indo-Pacific",
    "cumulative_risk_out_of_area": "Same out of area",
    "burden": "Defence spending as a share of GDP, by country",
    "threat_RUS": "Perceived threat from Russia (relative index), by country",
    "threat_CHN": "Perceived threat from China (relative index), by country",
    "credibility": "Belief in US protection, by ally (0-1)",
}


# ----------------------------------------------------------------------------- scenarios
def scenario_of(sc_in: ScenarioIn, where: str, cfg: ServiceConfig) -> Any:
    """Validate a scenario body into a :class:`~natofutures.scenario.Scenario` (no files read).

    Scenarios are immutable, so the last few hundred validated ones are reused (a slider
    sends the same few bodies again and again).
    """
    if sc_in.horizon is not None and sc_in.horizon > cfg.max_horizon:
        raise InputError(
            f"{where}.horizon: value {sc_in.horizon} not allowed; expected a year in "
            f"[2025, {cfg.max_horizon}] (this server's limit)"
        )
    body = sc_in.model_dump(mode="json", exclude_none=True, by_alias=True)
    check_shares(sc_in.posture, body.get("overrides", {}), where)
    return _scenario_from_json(json.dumps(body), where)


@lru_cache(maxsize=512)
def _scenario_from_json(body: str, where: str) -> Any:
    from natofutures.scenario import scenario_from_mapping

    data = json.loads(body)
    try:
        return scenario_from_mapping(data, base=None, default_name=data["posture"])
    except InputError as exc:
        msg = str(exc).splitlines()[0]
        if msg.startswith("<scenario>"):
            msg = msg.replace("<scenario>", where, 1)
        else:
            msg = f"{where}.{msg}"
        raise type(exc)(msg) from None


def horizon_of(requested: int | None, sc: Any, cfg: ServiceConfig) -> int:
    """The run's last year: the request's, else the scenario's, else 2045 (within limits)."""
    hz = requested if requested is not None else (sc.horizon or DEFAULT_HORIZON)
    if hz > cfg.max_horizon:
        raise InputError(
            f"horizon: value {hz} not allowed; expected a year in [2025, {cfg.max_horizon}] "
            "(this server's limit)"
        )
    return int(hz)


def plan_simulate(req: SimulateRequest, cfg: ServiceConfig) -> tuple[Any, int]:
    """Check a simulate body against this server's limits: (scenario, horizon) or InputError."""
    if req.draws > cfg.max_draws:
        raise InputError(
            f"draws: value {req.draws} not allowed; expected an integer in "
            f"[0, {cfg.max_draws}] (this server's limit)"
        )
    sc = scenario_of(req.scenario, "scenario", cfg)
    return sc, horizon_of(req.horizon, sc, cfg)


# ----------------------------------------------------------------------------- running
def simulate_dataset(
    sc: Any, req: SimulateRequest, hz: int, ctx: JobContext | None = None
) -> Any:
    """``nf.simulate`` for the request; for a job, in blocks of draws with progress.

    A job's blocks are the draws ``[lo, hi)`` of the seed's stream (``draw_offset``), split by
    :func:`natofutures.distributed.chunk_bounds` (the one splitter of draws into pieces) and
    concatenated: bit-identical to one call, so the job's result equals the synchronous one.
    Between blocks the job reports progress and stops if it was cancelled.
    """
    import natofutures as nf
    from natofutures.distributed import chunk_bounds

    draws = req.draws
    if ctx is None or draws == 0:
        if ctx is not None:
            ctx.report(0.0, "simulating the central case")
        return nf.simulate(sc, draws=draws, seed=req.seed, horizon=hz, variables=SIM_VARIABLES)
    block = max(MIN_JOB_BLOCK, math.ceil(draws / JOB_BLOCKS))
    parts = []
    for lo, hi in chunk_bounds(draws, math.ceil(draws / block)):
        ctx.report(SIM_SHARE * lo / draws, f"simulating draws {lo + 1:,}-{hi:,} of {draws:,}")

        def progress(done: int, _total: int, lo: int = lo) -> None:
            ctx.report(SIM_SHARE * (lo + done) / draws)

        parts.append(
            nf.simulate(
                sc, draws=hi - lo, seed=req.seed, horizon=hz, variables=SIM_VARIABLES,
                draw_offset=lo, progress=progress,
            )
        )
    return _concat_draws(parts)


def _concat_draws(parts: list[Any]) -> Any:
    """Datasets of consecutive draw blocks -> one Dataset over all draws."""
    import xarray as xr

    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    data_vars = {
        name: xr.Variable(
            first.variables[name].dims,
            np.concatenate([p.variables[name].values for p in parts]),
            first.variables[name].attrs,
        )
        for name in first.data_vars
    }
    coords = {name: first.coords[name] for name in first.coords if "draw" not in first[name].dims}
    coords["draw"] = np.concatenate([p.variables["draw"].values for p in parts])
    return xr.Dataset(data_vars, coords=coords, attrs=dict(first.attrs))


def summarise(ds: Any, mc: bool) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """Alliance-level bands (the shared headline indicators), per-country series and units."""
    named, units = headline(ds)
    named.pop("reengaged", None)  # stored with a recorded run; not a dashboard series
    units.pop("reengaged", None)
    banded = bands(named, mc)
    names = list(banded)
    mid = rows(np.stack([banded[n]["median"] for n in names]))  # type: ignore[misc]
    if mc:
        p05 = rows(np.stack([banded[n]["p05"] for n in names]))  # type: ignore[misc]
        p95 = rows(np.stack([banded[n]["p95"] for n in names]))  # type: ignore[misc]
        series = {n: {"median": mid[i], "p05": p05[i], "p95": p95[i]} for i, n in enumerate(names)}
    else:
        series = {n: {"median": mid[i], "p05": None, "p95": None} for i, n in enumerate(names)}

    # per-country series (median over draws for Monte Carlo), rounded in one go
    var = ds.variables
    countries = [str(c) for c in var["country"].values]
    per: dict[str, np.ndarray] = {
        "burden": np.asarray(var["burden"].values),
        "credibility": np.asarray(var["credibility"].values),
    }
    units["burden"] = str(var["burden"].attrs["units"])
    units["credibility"] = str(var["credibility"].attrs["units"])
    for j, adv in enumerate(str(a) for a in var["adversary"].values):
        per[f"threat_{adv}"] = np.asarray(var["threat"].values)[:, :, :, j]
        units[f"threat_{adv}"] = str(var["threat"].attrs["units"])
    mids = [
        over_draws(arr, lambda a: np.median(a, axis=0), lambda a: np.nanmedian(a, axis=0))
        if mc
        else arr[0]
        for arr in per.values()
    ]  # each (year, country), medians in the engine's float32 as nf.simulate gives them
    stack = np.stack([np.asarray(m, dtype=np.float64).T for m in mids])  # (var, country, year)
    by = rows(stack)
    by_country = {name: dict(zip(countries, by[i], strict=True)) for i, name in enumerate(per)}
    return series, by_country, units


def record_simulation(cfg: ServiceConfig, sc: Any, req: SimulateRequest, hz: int, ds: Any) -> str:
    """Record a service run as a RunSpec with the same summary table the CLI stores."""
    from natofutures import runs

    spec = runs.spec_for(
        "simulate", [sc], draws=req.draws, seed=req.seed, horizon=hz, source="service"
    )
    return runs.record(
        spec, runs.tables("simulate", ds), store=cfg.store,
        command=f"POST {API_PREFIX}/simulate (natofutures serve)",
    )


def simulate_result(
    cfg: ServiceConfig, sc: Any, req: SimulateRequest, hz: int, ds: Any, t_start: float
) -> dict[str, Any]:
    """The ``SimulateResult`` JSON for a simulated Dataset (recorded when asked)."""
    mc = req.draws > 0
    series, by_country, units = summarise(ds, mc)
    run_id = record_simulation(cfg, sc, req, hz, ds) if req.record else None
    return {
        "posture": sc.posture,
        "scenario_name": sc.name,
        "scenario_hash": sc.hash,
        "scenario": _scenario_out(sc),
        "draws": req.draws,
        "seed": req.seed,
        "deterministic": not mc,
        "years": [int(y) for y in ds.variables["year"].values],
        "countries": _country_list(ds),
        "series": series,
        "by_country": by_country,
        "units": units,
        "labels": LABELS,
        "data_version": str(ds.attrs["data_version"]),
        "package_version": str(ds.attrs["package_version"]),
        "elapsed_ms": round((time.perf_counter() - t_start) * 1000, 2),
        "run_id": run_id,
    }


def _scenario_out(sc: Any) -> dict[str, Any]:
    """The scenario in the fields of a scenario file (what the dashboard downloads as YAML)."""
    dumped = sc.model_dump(mode="json")
    keys = ("name", "posture", "overrides", "uncertainty", "shocks", "horizon")
    return {k: dumped[k] for k in keys}


def _country_list(ds: Any) -> list[dict[str, Any]]:
    var = ds.variables
    return [
        {"iso3": str(c), "name": str(n), "role": str(r), "european": bool(e)}
        for c, n, r, e in zip(
            var["country"].values,
            var["country_name"].values,
            var["role"].values,
            var["european"].values,
            strict=True,
        )
    ]


# ----------------------------------------------------------------------------- routes
@router.post("/simulate", response_model=SimulateResult, tags=["model"], responses=ERRORS,
             openapi_extra=json_body(SimulateRequest))
async def simulate(
    req: SimulateRequest = Depends(json_body(SimulateRequest, dependency=True)),
    cfg: ServiceConfig = Depends(config),
    sem: threading.BoundedSemaphore = Depends(heavy),
) -> Any:
    """Run the alliance model on one scenario.

    ``draws = 0``: the deterministic central case, full series (fast: a few ms, what the
    dashboard's sliders call). ``draws > 0``: Monte Carlo; series are medians with
    5-95% bands, per-country series are medians. ``"record": true`` keeps the run in the
    runs store (``run_id``), from where ``natofutures runs rerun ID`` recomputes it exactly.
    For long runs with progress and cancel, use ``POST /api/jobs/simulate``.
    """
    t_start = time.perf_counter()
    sc, hz = plan_simulate(req, cfg)
    if req.draws == 0 and not req.record:
        # a few ms of work: run it here rather than pay for a worker thread
        result = simulate_result(cfg, sc, req, hz, simulate_dataset(sc, req, hz), t_start)
    else:

        def run() -> dict[str, Any]:
            with slot(sem, req.draws > 0):
                ds = simulate_dataset(sc, req, hz)
            return simulate_result(cfg, sc, req, hz, ds, t_start)

        result = await run_in_threadpool(run)
    # built from validated parts; skip re-validating ~5,000 numbers (the slider's hot path)
    return JSONResponse(result)


@router.post("/simulate/central", response_model=CentralResult, tags=["model"],
             responses=ERRORS, openapi_extra=json_body(CentralRequest))
async def simulate_central(
    req: CentralRequest = Depends(json_body(CentralRequest, dependency=True)),
    cfg: ServiceConfig = Depends(config),
) -> Any:
    """The deterministic central case of one to four scenarios in one call.

    Each result is what ``POST /api/simulate`` answers with ``draws = 0`` for that
    scenario; one request instead of several (the dashboard's sliders with two postures
    side by side).
    """
    t_start = time.perf_counter()
    plans = []
    for k, sc_in in enumerate(req.scenarios):
        sc = scenario_of(sc_in, f"scenarios[{k}]", cfg)
        one = SimulateRequest(scenario=sc_in, draws=0, seed=0, horizon=req.horizon)
        plans.append((sc, one, horizon_of(req.horizon, sc, cfg)))
    results = []
    for sc, one, hz in plans:
        results.append(simulate_result(cfg, sc, one, hz, simulate_dataset(sc, one, hz), t_start))
        t_start = time.perf_counter()
    return JSONResponse({"results": results})
