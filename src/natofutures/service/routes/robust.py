"""``POST /api/jobs/robust``'s work: what would you have to believe for a posture to rank first?

Scenario discovery (PRIM boxes), minimax regret and EVPPI over an ensemble of futures
(:func:`natofutures.analysis.robust.robust`, the same numbers as ``natofutures robust --json``
for the same samples, seed, horizon, postures and perspectives). It runs only as a background
job: about 30 s for 400 futures.
"""

from __future__ import annotations

import time
from typing import Any

from natofutures.errors import InputError
from natofutures.service._json import jsonable
from natofutures.service.jobs import JobContext
from natofutures.service.models import RobustRequest
from natofutures.service.state import ServiceConfig

DEFAULT_SAMPLES = 200


def plan_robust(req: RobustRequest, cfg: ServiceConfig) -> RobustRequest:
    """The body with its defaults filled in, checked against this server's limits (or
    InputError)."""
    samples = min(DEFAULT_SAMPLES, cfg.max_robust_samples) if req.samples is None else req.samples
    if samples > cfg.max_robust_samples:
        raise InputError(
            f"samples: value {samples} not allowed; expected an integer in "
            f"[20, {cfg.max_robust_samples}] (this server's limit)"
        )
    if req.horizon > cfg.max_horizon:
        raise InputError(
            f"horizon: value {req.horizon} not allowed; expected a year in "
            f"[2025, {cfg.max_horizon}] (this server's limit)"
        )
    postures = None if req.postures is None else list(dict.fromkeys(req.postures))
    if postures is not None and len(postures) < 2:
        raise InputError(
            f"postures: value {list(req.postures or [])} not allowed; expected at least two "
            "different postures"
        )
    return req.model_copy(update={"samples": samples, "postures": postures})


def robust_result(req: RobustRequest, ctx: JobContext) -> dict[str, Any]:
    """``robust(...).to_dict()`` plus ``run`` (the inputs), ``perspectives_info`` (labels) and
    ``elapsed_ms``. Progress: each posture's ensemble, then each perspective's discovery."""
    from natofutures.analysis import perspectives as persp
    from natofutures.analysis.robust import robust
    from natofutures.scenario import posture_names

    views = list(dict.fromkeys(req.perspectives)) or list(persp.available())
    n_postures = len(req.postures) if req.postures else len(posture_names())
    total = 3.0 * n_postures + len(views)  # a posture's ensemble costs ~3 perspectives
    done = {"units": 0.0}

    def on_step(message: str) -> None:
        ctx.report(min(done["units"] / total, 0.99), message.replace("_", " "))
        done["units"] += 3.0 if message.startswith("simulating") else 1.0

    ctx.report(0.0, "sampling the futures")
    t_start = time.perf_counter()
    res = robust(
        req.postures, samples=int(req.samples or DEFAULT_SAMPLES), seed=req.seed,
        horizon=req.horizon, perspectives=views, progress=on_step,
    )
    ctx.check()
    out = res.to_dict()
    out["run"] = dict(res.run)
    out["perspectives_info"] = {
        v: {"label": persp.load(v).label} for v in res.run["perspectives"]
    }
    out["elapsed_ms"] = round((time.perf_counter() - t_start) * 1000, 2)
    result: dict[str, Any] = jsonable(out)
    return result
