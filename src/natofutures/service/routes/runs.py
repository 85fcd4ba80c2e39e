"""The runs store over HTTP: list stored runs and read one (inputs, spec, summary tables)."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from natofutures.errors import InputError
from natofutures.service._json import records
from natofutures.service.models import RunDetail, RunSummary
from natofutures.service.routes._common import ERRORS, NOT_FOUND
from natofutures.service.state import API_PREFIX, ServiceConfig, config

router = APIRouter(prefix=f"{API_PREFIX}/runs")

RUN_ID_PATTERN = r"^[A-Za-z0-9_\-]{1,64}$"
MAX_TABLE_ROWS = 2000


def _run_row(r: dict[str, Any]) -> dict[str, Any]:
    import pandas as pd

    def opt_int(v: Any) -> int | None:
        return None if v is None or pd.isna(v) else int(v)

    created = r.get("created_at")
    return {
        "run_id": str(r["run_id"]),
        "created_at": str(created.isoformat()) if created is not None else "",
        "kind": str(r["kind"]),
        "posture": None if r.get("posture") is None else str(r["posture"]),
        "seed": opt_int(r.get("seed")),
        "draws": opt_int(r.get("draws")),
        "horizon": opt_int(r.get("horizon")),
        "scenario_hash": str(r.get("scenario_hash", "")),
        "data_version": str(r.get("data_version", "")),
        "package_version": str(r.get("package_version", "")),
        "has_arrays": bool(r.get("has_arrays", False)),
        "command": str(r.get("command", "")),
    }


@router.get("", response_model=list[RunSummary], tags=["runs"], responses=ERRORS)
def runs(
    limit: int = Query(100, ge=1, le=1000, description="At most this many, newest first."),
    cfg: ServiceConfig = Depends(config),
) -> list[RunSummary]:
    """Stored runs of this server's runs store, newest first."""
    from natofutures.store import RunStore

    df = RunStore(cfg.store).list().head(limit)
    return [RunSummary(**_run_row({str(k): v for k, v in r.items()}))
            for r in df.to_dict("records")]


@router.get(
    "/{run_id}", response_model=RunDetail, tags=["runs"], responses={404: NOT_FOUND, **ERRORS}
)
def run_detail(run_id: str, cfg: ServiceConfig = Depends(config)) -> Any:
    """One stored run: inputs, its run spec (what ``natofutures runs rerun`` recomputes),
    versions and summary tables."""
    from natofutures.store import RunStore

    if not re.fullmatch(RUN_ID_PATTERN, run_id):
        return JSONResponse(
            {"detail": f"run_id: value {run_id[:60]!r} not allowed; expected a run id"},
            status_code=404,
        )
    try:
        rec = RunStore(cfg.store).get(run_id)
    except InputError as exc:
        return JSONResponse({"detail": str(exc).splitlines()[0]}, status_code=404)
    row = _run_row({k: getattr(rec, k) for k in RunSummary.model_fields if hasattr(rec, k)})
    return RunDetail(
        **row,
        scenario=json.loads(rec.scenario_json) if rec.scenario_json else None,
        spec=json.loads(rec.spec) if rec.spec else None,
        labels=rec.labels,
        tables={name: records(df.head(MAX_TABLE_ROWS)) for name, df in rec.tables.items()},
    )
