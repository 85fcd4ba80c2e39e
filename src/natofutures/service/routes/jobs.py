"""Background jobs: ``/api/simulate``, ``/api/compare`` and robust, with progress and cancel.

``POST /api/jobs/{simulate,compare,robust}`` checks the body at once (422 as the synchronous
endpoint) and answers 202 with the job; ``GET /api/jobs/{id}`` polls it; ``DELETE`` cancels a
running job or forgets a finished one. A deleted job is gone: it answers 404 afterwards.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from natofutures.service.body import json_body
from natofutures.service.jobs import JobContext, JobRegistry
from natofutures.service.models import (
    CompareRequest,
    ErrorOut,
    JobOut,
    RobustRequest,
    SimulateRequest,
)
from natofutures.service.routes import simulate as sim
from natofutures.service.routes._common import ERRORS, NOT_FOUND
from natofutures.service.routes.compare import compare_result, plan_compare
from natofutures.service.routes.robust import plan_robust, robust_result
from natofutures.service.state import API_PREFIX, ServiceConfig, config, jobs

router = APIRouter(prefix=f"{API_PREFIX}/jobs")

JOB_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    429: {
        "model": ErrorOut,
        "description": "Too many jobs queued or running on this server; retry later.",
    },
}
NO_JOB: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such job (unknown, expired or deleted)."},
}


def _accepted(snap: dict[str, Any]) -> JSONResponse:
    return JSONResponse(
        snap, status_code=202, headers={"Location": f"{API_PREFIX}/jobs/{snap['id']}"}
    )


def _no_such_job(job_id: str, cfg: ServiceConfig) -> JSONResponse:
    return JSONResponse(
        {
            "detail": f"job_id: value {job_id[:60]!r} not allowed; expected the id of a job "
            f"on this server (finished jobs are forgotten after {cfg.job_ttl_s} s, deleted "
            "ones at once)"
        },
        status_code=404,
    )


@router.post(
    "/simulate",
    status_code=202,
    summary="Start /api/simulate as a background job",
    response_model=JobOut,
    tags=["jobs"],
    responses=JOB_ERRORS,
    openapi_extra=json_body(SimulateRequest),
)
async def simulate_job(
    req: SimulateRequest = Depends(json_body(SimulateRequest, dependency=True)),
    cfg: ServiceConfig = Depends(config),
    registry: JobRegistry = Depends(jobs),
) -> Any:
    """Start ``POST /api/simulate`` for this body as a background job (202 + the job).

    Input is checked at once (422/413 as for ``/api/simulate``). The job waits for one of
    the server's heavy-run slots, then simulates the draws in blocks, reporting progress
    after each; poll ``GET /api/jobs/{id}``. Its result is exactly the synchronous
    answer (the engine's draws do not depend on how a run is split). ``"record": true``
    keeps it in the runs store, as ``/api/simulate`` does.
    """
    sc, hz = sim.plan_simulate(req, cfg)

    def work(ctx: JobContext) -> dict[str, Any]:
        t_start = time.perf_counter()
        ds = sim.simulate_dataset(sc, req, hz, ctx)
        if req.draws > 0:
            ctx.report(sim.SIM_SHARE, "computing medians and 5-95% bands")
        result = sim.simulate_result(cfg, sc, req, hz, ds, t_start)
        ctx.check()
        return result

    return _accepted(registry.submit("simulate", work))


@router.post(
    "/compare",
    status_code=202,
    summary="Start /api/compare as a background job",
    response_model=JobOut,
    tags=["jobs"],
    responses=JOB_ERRORS,
    openapi_extra=json_body(CompareRequest),
)
async def compare_job(
    req: CompareRequest = Depends(json_body(CompareRequest, dependency=True)),
    cfg: ServiceConfig = Depends(config),
    registry: JobRegistry = Depends(jobs),
) -> Any:
    """Start ``POST /api/compare`` for this body as a background job (202 + the job).

    Progress counts the postures simulated, the adoption forecast and the perspectives
    ranked (weighted by their usual share of the run time); cancel stops the job at the
    next of these steps.
    """
    req, scenarios = plan_compare(req, cfg)
    return _accepted(
        registry.submit("compare", lambda ctx: compare_result(req, scenarios, cfg, ctx))
    )


@router.post(
    "/robust",
    status_code=202,
    summary="Start a robust run (what would you have to believe?) as a background job",
    response_model=JobOut,
    tags=["jobs"],
    responses=JOB_ERRORS,
    openapi_extra=json_body(RobustRequest),
)
async def robust_job(
    req: RobustRequest = Depends(json_body(RobustRequest, dependency=True)),
    cfg: ServiceConfig = Depends(config),
    registry: JobRegistry = Depends(jobs),
) -> Any:
    """Start scenario discovery, minimax regret and EVPPI over an ensemble of futures (202 +
    the job); ``natofutures robust --json`` for the same inputs.

    The result is ``{"boxes": [{"posture", "perspective", "restrictions": [{"parameter",
    "low", "high"}], "coverage", "density"}], "regret": {perspective: {"minimax",
    "max_regret", "mean_regret", "win_share"}}, "evppi": {perspective: {"evpi",
    "noise_floor", "parameters", "unit"}}, "run", "perspectives_info", "elapsed_ms"}``.
    Progress counts each posture's ensemble, then each perspective's discovery.
    """
    req = plan_robust(req, cfg)
    return _accepted(registry.submit("robust", lambda ctx: robust_result(req, ctx)))


@router.get(
    "/{job_id}",
    response_model=JobOut,
    tags=["jobs"],
    responses=NO_JOB,
    summary="A job's status, progress and result",
)
async def job_status(
    job_id: str, cfg: ServiceConfig = Depends(config), registry: JobRegistry = Depends(jobs)
) -> Any:
    """A job's status and progress; its result once done, its error if it failed."""
    snap = registry.get(job_id)
    if snap is None:
        return _no_such_job(job_id, cfg)
    return JSONResponse(snap)


@router.delete(
    "/{job_id}",
    response_model=JobOut,
    tags=["jobs"],
    responses=NO_JOB,
    summary="Cancel a job, or forget a finished one (it is then gone: 404)",
)
async def job_cancel(
    job_id: str, cfg: ServiceConfig = Depends(config), registry: JobRegistry = Depends(jobs)
) -> Any:
    """Cancel a queued or running job (its thread stops within one step) or forget a finished
    one; answers the job's last state. Either way the job is gone: ``GET`` then answers 404."""
    snap = registry.cancel(job_id)
    if snap is None:
        return _no_such_job(job_id, cfg)
    return JSONResponse(snap)


__all__ = ["NOT_FOUND", "router"]
