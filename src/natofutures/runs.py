"""Runs as data: record, list, load, diff, export and rerun them (``nf.runs``).

A run is a :class:`RunSpec` (kind, canonical scenario JSON, draws, seed, horizon, options,
package and data versions): :func:`compute` recomputes it in-process, :func:`tables` gives the
summary tables stored for each kind (one definition for CLI, Python API and service), and
:func:`execute` computes and records one in a single call. The CLI, the service (with
``"record": true``, and every compare) and :func:`execute` record their runs; the plain Python
functions ``nf.simulate`` / ``nf.compare`` / ``nf.stress`` do not (docs/api.md, "Runs").
Each function takes ``store=`` (a folder) to point elsewhere than the default store.
"""

from __future__ import annotations

import builtins
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from natofutures.errors import InputError
from natofutures.store import (
    RUN_KINDS,
    RunRecord,
    RunSpec,
    RunStore,
    _blob_to_frame,
    _frame_to_blob,
)

__all__ = [
    "Executed",
    "RunSpec",
    "compute",
    "delete",
    "diff",
    "execute",
    "export",
    "get",
    "list",
    "load",
    "record",
    "rerun",
    "spec_for",
    "tables",
]

EXPORT_FORMATS = ("csv", "parquet", "json")


def _store(store: Path | str | None) -> RunStore:
    return RunStore(store)


def list(
    posture: str | None = None,
    since: datetime | None = None,
    kind: str | None = None,
    store: Path | str | None = None,
) -> pd.DataFrame:
    """Every stored run, newest first: id, time, kind, posture, seed, draws, hashes."""
    return _store(store).list(posture=posture, since=since, kind=kind)


def get(run_id: str, store: Path | str | None = None) -> RunRecord:
    """The stored run: inputs, versions and summary tables."""
    return _store(store).get(run_id)


def load(run_id: str, store: Path | str | None = None) -> Any:
    """The run's full arrays (``xarray.Dataset``) if kept, else its summary tables (dict)."""
    st = _store(store)
    record = st.get(run_id)
    if record.has_arrays:
        return st.load_arrays(run_id)
    return record.tables


def delete(run_id: str, store: Path | str | None = None) -> None:
    """Delete a run and its arrays."""
    _store(store).delete(run_id)


def _flatten(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    else:
        out[prefix] = value


def diff(run_a: str, run_b: str, store: Path | str | None = None) -> dict[str, Any]:
    """What differs between two runs: inputs (flattened paths) and shared summary tables.

    Returns ``{"inputs": DataFrame(path, a, b), "tables": {name: DataFrame}}``; for each table
    present in both runs with the same shape, numeric columns are reported as ``a``, ``b`` and
    ``b - a``.
    """
    st = _store(store)
    a, b = st.get(run_a), st.get(run_b)
    fa: dict[str, Any] = {}
    fb: dict[str, Any] = {}
    _flatten("", a.inputs(), fa)
    _flatten("", b.inputs(), fb)
    rows = [
        {"path": k, "a": json.dumps(fa.get(k)), "b": json.dumps(fb.get(k))}
        for k in sorted(set(fa) | set(fb))
        if fa.get(k) != fb.get(k)
    ]
    tables: dict[str, pd.DataFrame] = {}
    for name in sorted(set(a.tables) & set(b.tables)):
        ta, tb = a.tables[name], b.tables[name]
        if ta.shape != tb.shape or ta.columns.tolist() != tb.columns.tolist():
            continue
        numeric = [c for c in ta.columns if pd.api.types.is_numeric_dtype(ta[c])]
        keys = [c for c in ta.columns if c not in numeric]
        out = ta[keys].copy()
        for c in numeric:
            out[f"{c}_a"] = ta[c].to_numpy()
            out[f"{c}_b"] = tb[c].to_numpy()
            out[f"{c}_diff"] = tb[c].to_numpy() - ta[c].to_numpy()
        tables[name] = out
    return {"inputs": pd.DataFrame(rows, columns=["path", "a", "b"]), "tables": tables}


def export(run_id: str, fmt: str, out: Path | str, store: Path | str | None = None) -> Path:
    """Write a run's inputs and summary tables to ``out`` (a folder) as csv, parquet or json."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"--format: {fmt!r} is not allowed; expected one of {EXPORT_FORMATS}")
    record = _store(store).get(run_id)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "run.json").write_text(
        json.dumps({"run_id": record.run_id, "command": record.command, **record.inputs()},
                   indent=2, sort_keys=True, default=str),
        encoding="utf-8",
    )
    for name, table in record.tables.items():
        target = folder / f"{name}.{fmt}"
        if fmt == "csv":
            table.to_csv(target)
        elif fmt == "parquet":
            table.to_parquet(target)
        else:
            target.write_text(table.to_json(orient="table", indent=2), encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- specs and recomputing
def _scenario_dict(sc: Any) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(sc.canonical_json())
    return out


def spec_for(
    kind: str,
    scenarios: Sequence[Any],
    *,
    draws: int,
    seed: int,
    horizon: int | None,
    options: dict[str, Any] | None = None,
    source: str = "python",
) -> RunSpec:
    """The :class:`RunSpec` of a run of ``kind`` on ``scenarios`` (Scenario objects or names).

    >>> spec_for("simulate", ["division_of_labor"], draws=0, seed=0, horizon=2035).kind
    'simulate'
    """
    from natofutures import __version__
    from natofutures.data import data_version
    from natofutures.scenario import Scenario, posture

    resolved = [s if isinstance(s, Scenario) else posture(str(s)) for s in scenarios]
    try:
        return RunSpec(
            kind=kind,  # type: ignore[arg-type]
            scenarios=[_scenario_dict(sc) for sc in resolved],
            draws=draws,
            seed=seed,
            horizon=horizon,
            options=dict(options or {}),
            package_version=__version__,
            data_version=data_version(),
            source=source,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "spec"
        raise InputError(
            f"{where}: value {first.get('input')!r} not allowed; {first['msg'].lower()}"
        ) from None


def _scenarios(spec: RunSpec) -> builtins.list[Any]:
    from natofutures.scenario import Scenario

    return [Scenario.model_validate(sc) for sc in spec.scenarios]


def compute(
    spec: RunSpec,
    *,
    progress: Callable[[str], None] | None = None,
    scheduler: str | None = None,
) -> Any:
    """Recompute a run in-process from its spec; returns the kind's result object.

    simulate: the ``xarray.Dataset``; compare: ``Comparison``; stress: ``StressResult``;
    sensitivity: ``SensitivityResult``. Same spec, same numbers (bit for bit).
    """
    opts = spec.options
    scenarios = _scenarios(spec)
    if spec.kind == "simulate":
        from natofutures.engine.simulate import simulate

        return simulate(
            scenarios[0], draws=spec.draws, seed=spec.seed, horizon=spec.horizon,
            scheduler=scheduler,
        )
    if spec.kind == "compare":
        from natofutures.analysis.compare import compare

        return compare(
            scenarios,
            draws=spec.draws,
            seed=spec.seed,
            horizon=int(spec.horizon or 2045),
            perspectives=opts.get("perspectives") or None,
            weights=opts.get("weights"),
            smaa_samples=int(opts["smaa_samples"]),
            status_quo_bonus=opts.get("status_quo_bonus"),
            progress=progress,
            scheduler=scheduler,
        )
    if spec.kind == "stress":
        from natofutures.analysis.stress import stress

        return stress(
            opts["stress_scenario"],
            postures=opts.get("postures") or None,
            draws=spec.draws,
            seed=spec.seed,
            horizon=spec.horizon,
            scheduler=scheduler,
        )
    from natofutures.analysis.sensitivity import run_model

    return run_model(
        str(opts["output"]),
        method=opts["method"],
        n=int(opts["n"]),
        seed=spec.seed,
        horizon=int(spec.horizon or 2045),
        postures=opts.get("postures") or None,
        scheduler=scheduler,
    )


def tables(kind: str, result: Any) -> dict[str, pd.DataFrame]:
    """The summary tables a run of ``kind`` stores (what ``runs rerun`` compares)."""
    from natofutures.indicators import milestone_rows, milestone_table

    if kind == "simulate":
        return {"milestones": milestone_table(milestone_rows(result))}
    if kind == "compare":
        flat = result.scorecard.copy()
        flat.columns = [".".join(map(str, col)) for col in flat.columns]
        frames = {"scorecard": flat, "rankings": result.rankings, "forecast": result.forecast}
        return {
            name: df.reset_index() if isinstance(df, pd.DataFrame) else df.to_frame().reset_index()
            for name, df in frames.items()
        }
    if kind == "stress":
        return {"summary": result.summary, "balances": result.balances}
    if kind == "sensitivity":
        return {"indices": result.indices.reset_index()}
    raise InputError(f"kind: {kind!r} is not allowed; expected one of {RUN_KINDS}")


def record(
    spec: RunSpec,
    result_tables: dict[str, pd.DataFrame],
    *,
    store: Path | str | None = None,
    command: str = "",
    arrays: Any | None = None,
    labels: dict[str, str] | None = None,
) -> str:
    """Record a computed run (its spec and summary tables); returns the id it is stored under."""
    # as before specs: simulate keeps its scenario, the others {name: scenario}
    stored = (
        spec.scenarios[0] if spec.kind == "simulate"
        else {str(sc.get("name", k)): sc for k, sc in enumerate(spec.scenarios)}
    )
    canonical = json.dumps(stored, sort_keys=True, separators=(",", ":"))
    names = [str(sc.get("name", "")) for sc in spec.scenarios]
    return _store(store).record(
        kind=spec.kind,
        command=command or _describe(spec),
        scenario_json=canonical,
        scenario_hash=hashlib.sha256(canonical.encode()).hexdigest(),
        package_version=spec.package_version,
        data_version=spec.data_version,
        tables=result_tables,
        posture=",".join(
            str(sc.get("posture", "")) if spec.kind == "simulate" else n
            for sc, n in zip(spec.scenarios, names, strict=True)
        ) or None,
        seed=spec.seed,
        draws=spec.draws,
        horizon=spec.horizon,
        arrays=arrays,
        labels={"source": spec.source, **(labels or {})},
        spec=spec.to_json(),
    )


def _describe(spec: RunSpec) -> str:
    names = ", ".join(str(sc.get("name", "?")) for sc in spec.scenarios)
    return f"{spec.kind} of {names} ({spec.source}; draws {spec.draws}, seed {spec.seed})"


@dataclass(frozen=True)
class Executed:
    """A run computed and (unless ``record=False``) recorded by :func:`execute`."""

    result: Any
    tables: dict[str, pd.DataFrame]
    run_id: str | None


def execute(
    spec: RunSpec,
    *,
    store: Path | str | None = None,
    record_run: bool = True,
    scheduler: str | None = None,
) -> Executed:
    """Compute a run from its spec and record it: the Python API's recorded entry point.

    ``execute(spec_for("simulate", ["division_of_labor"], draws=100, seed=1, horizon=2040))``
    returns the Dataset, its summary tables and the id it is stored under.
    """
    result = compute(spec, scheduler=scheduler)
    computed = tables(spec.kind, result)
    run_id = record(spec, computed, store=store) if record_run else None
    return Executed(result=result, tables=computed, run_id=run_id)


def rerun(run_id: str, store: Path | str | None = None) -> dict[str, Any]:
    """Recompute a stored run in-process from its spec and check every summary table.

    Nothing is written to the store. Returns ``{"identical": bool, "tables": {name:
    "identical" | description}, "versions_match": bool, "command": str, "spec": dict}``.
    """
    rec = _store(store).get(run_id)
    spec = rec.run_spec()
    fresh = tables(spec.kind, compute(spec))
    verdicts: dict[str, str] = {}
    for name in sorted(set(rec.tables) | set(fresh)):
        a, b = rec.tables.get(name), fresh.get(name)
        if a is None or b is None:
            verdicts[name] = "missing in one run"
            continue
        try:
            # compare as stored: the fresh table goes through the store's Parquet round trip
            pd.testing.assert_frame_equal(a, _blob_to_frame(_frame_to_blob(b)), check_exact=True)
            verdicts[name] = "identical"
        except AssertionError as exc:
            verdicts[name] = "differs: " + " ".join(str(exc).split())[:200]
    from natofutures import __version__
    from natofutures.data import data_version

    return {
        "identical": all(v == "identical" for v in verdicts.values()),
        "tables": verdicts,
        "versions_match": (rec.package_version, rec.data_version)
        == (__version__, data_version()),
        "command": rec.command,
        "spec": json.loads(rec.spec or "{}"),
    }
