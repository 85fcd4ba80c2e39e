"""``POST /api/compare``: score and rank scenarios under each perspective (``nf.compare``).

Every compare run is recorded in the runs store unless the body says ``"record": false``;
``run.run_id`` in the answer is the stored id (null when not recorded).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends

from natofutures.errors import InputError
from natofutures.service._json import jsonable
from natofutures.service.body import json_body
from natofutures.service.jobs import JobContext
from natofutures.service.models import CompareRequest, ScenarioIn
from natofutures.service.routes._common import ERRORS
from natofutures.service.routes.catalogue import posture_names
from natofutures.service.routes.simulate import scenario_of
from natofutures.service.state import API_PREFIX, ServiceConfig, config, heavy, slot

router = APIRouter(prefix=API_PREFIX)

#: relative cost of compare's steps (measured: a posture's draws >> the adoption forecast >>
#: one perspective's ranking); progress is the share of these weights done
_COMPARE_STEP_WEIGHTS = (("simulating", 1.0), ("forecasting", 0.5), ("ranking", 0.1))


DEFAULT_DRAWS = 100
DEFAULT_SMAA_SAMPLES = 20_000


def plan_compare(req: CompareRequest, cfg: ServiceConfig) -> tuple[CompareRequest, list[Any]]:
    """Check a compare body against this server's limits: (the body with its defaults filled
    in, the scenarios), or InputError.

    Scenarios that share a name are told apart by a suffix (``_2``, ``_3`` ...), so that
    any list the schema allows can be compared.
    """
    req = req.model_copy(update={
        "draws": min(DEFAULT_DRAWS, cfg.max_compare_draws) if req.draws is None else req.draws,
        "smaa_samples": min(DEFAULT_SMAA_SAMPLES, cfg.max_smaa_samples)
        if req.smaa_samples is None else req.smaa_samples,
    })
    for field, value, limit in (
        ("draws", int(req.draws or 0), cfg.max_compare_draws),
        ("smaa_samples", int(req.smaa_samples or 1), cfg.max_smaa_samples),
    ):
        if value > limit:
            raise InputError(
                f"{field}: value {value} not allowed; expected an integer of at most {limit} "
                "(this server's limit)"
            )
    if req.horizon > cfg.max_horizon:
        raise InputError(
            f"horizon: value {req.horizon} not allowed; expected a year in "
            f"[2025, {cfg.max_horizon}] (this server's limit)"
        )
    items = req.scenarios or [ScenarioIn(posture=n) for n in posture_names()]
    scenarios = [scenario_of(s, f"scenarios[{k}]", cfg) for k, s in enumerate(items)]
    seen: dict[str, int] = {}
    named = []
    for sc in scenarios:
        seen[sc.name] = seen.get(sc.name, 0) + 1
        if seen[sc.name] > 1:
            sc = sc.model_copy(update={"name": f"{sc.name}_{seen[sc.name]}"})
        named.append(sc)
    return req, named


def compare_result(
    req: CompareRequest, scenarios: list[Any], cfg: ServiceConfig,
    ctx: JobContext | None = None,
) -> dict[str, Any]:
    """``nf.compare(...).to_dict()`` plus criterion metadata and ``elapsed_ms``; recorded
    (``run.run_id``) unless ``record`` is false."""
    import natofutures as nf
    from natofutures import runs
    from natofutures.analysis import perspectives as persp
    from natofutures.analysis.criteria import CRITERIA

    views = list(dict.fromkeys(req.perspectives))
    on_step: Callable[[str], None] | None = None
    if ctx is not None:
        job = ctx
        total = len(scenarios) * 1.0 + 0.5 + (len(views) or len(persp.available())) * 0.1
        steps = {"done": 0.0, "current": 0.0}

        def on_step(message: str) -> None:
            # a step's message arrives when it starts: the step before it is done
            steps["done"] += steps["current"]
            steps["current"] = next(
                (w for prefix, w in _COMPARE_STEP_WEIGHTS if message.startswith(prefix)), 0.0
            )
            job.report(min(steps["done"] / total, 0.99), message)

        job.report(0.0, "loading perspectives")
    t_start = time.perf_counter()
    draws, smaa = int(req.draws or 0), int(req.smaa_samples or 1)
    res = nf.compare(
        scenarios,
        draws=draws,
        seed=req.seed,
        horizon=req.horizon,
        perspectives=views or None,
        smaa_samples=smaa,
        progress=on_step,
    )
    run_id = None
    if req.record:
        spec = runs.spec_for(
            "compare", scenarios, draws=draws, seed=req.seed, horizon=req.horizon,
            options={"perspectives": views, "weights": None, "smaa_samples": smaa,
                     "status_quo_bonus": None},
            source="service",
        )
        run_id = runs.record(spec, runs.tables("compare", res), store=cfg.store,
                             command=f"POST {API_PREFIX}/compare (natofutures serve)")
    res.run["run_id"] = run_id
    out = res.to_dict()
    out["criteria_info"] = {
        c.name: {"label": c.label, "unit": c.unit, "direction": c.direction_word}
        for c in CRITERIA.values()
    }
    out["perspectives_info"] = {p.name: {"label": p.label} for p in res.perspectives}
    out["attribution_info"] = attribution_info(out.get("attribution") or {})
    out["elapsed_ms"] = round((time.perf_counter() - t_start) * 1000, 2)
    result: dict[str, Any] = jsonable(out)
    return result


def attribution_info(attribution: dict[str, Any]) -> dict[str, dict[str, str]]:
    """What each player of ``attribution`` stands for: the lever groups' prefixes and the
    mechanisms they drive (:data:`natofutures.analysis.attribution.MECHANISMS`); a lever
    outside those groups is its own player, named by its first path component."""
    from natofutures.analysis import attribution as attrib

    info = {
        name: {"levers": ", ".join(p + ("*" if p.endswith(".") else "") for p in prefixes),
               "drives": drives}
        for name, prefixes, drives in attrib.MECHANISMS
    }
    info[attrib.SET_BY_POSTURE] = {
        "levers": "the posture's levers that criteria read directly",
        "drives": "an assumption restated, not a simulated result",
    }
    info[attrib.SHOCKS] = {"levers": "the scenario's dated shocks", "drives": "the shocks"}
    info[attrib.OTHER] = {
        "levers": "levers outside the mechanism groups, pooled (too many groups otherwise)",
        "drives": "various mechanisms",
    }
    players = {g for per in attribution.values() for parts in per.values() for g in parts}
    for name in sorted(players - set(info)):
        info[name] = {"levers": f"{name}.*", "drives": "levers outside the mechanism groups"}
    return info


@router.post("/compare", tags=["analysis"], responses=ERRORS,
             openapi_extra=json_body(CompareRequest))
def compare(
    req: CompareRequest = Depends(json_body(CompareRequest, dependency=True)),
    cfg: ServiceConfig = Depends(config),
    sem: threading.BoundedSemaphore = Depends(heavy),
) -> dict[str, Any]:
    """Score and rank scenarios under every perspective; forecast which NATO emerges.

    Returns ``nf.compare(...).to_dict()`` (postures, criteria with median and 90% band,
    rankings with SMAA rank probabilities per perspective, adoption forecast, summary lines,
    run inputs with ``run_id``, the runs-store id) plus criterion metadata and
    ``elapsed_ms``. For progress and cancel, use ``POST /api/jobs/compare``.
    """
    req, scenarios = plan_compare(req, cfg)
    with slot(sem, True):
        return compare_result(req, scenarios, cfg)
