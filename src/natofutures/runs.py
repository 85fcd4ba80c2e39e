"""Python access to the runs store: ``nf.runs.list()``, ``nf.runs.load(ID)`` and friends.

Thin functions over :class:`natofutures.store.RunStore` so that notebooks need no store object;
each takes ``store=`` (a folder) to point elsewhere than the default.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from natofutures.errors import InputError
from natofutures.store import RunRecord, RunStore

__all__ = ["delete", "diff", "export", "get", "list", "load", "rerun"]

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


def rerun(run_id: str, store: Path | str | None = None) -> dict[str, Any]:
    """Run a stored run's command again and check its summary tables are identical.

    The command runs in a fresh process with a scratch store, so the original store is not
    touched. Returns ``{"identical": bool, "tables": {name: "identical" | description},
    "versions_match": bool, "command": str}``.
    """
    import shlex
    import subprocess
    import sys
    import tempfile

    record = _store(store).get(run_id)
    argv = shlex.split(record.command)[1:]
    with tempfile.TemporaryDirectory(prefix="natofutures-rerun-") as tmp:
        proc = subprocess.run(
            [sys.executable, "-m", "natofutures", *argv, "--store", tmp],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
            raise InputError(f"run id: {run_id!r} could not be rerun: {last}")
        again = RunStore(tmp).list()
        fresh = RunStore(tmp).get(str(again["run_id"].iloc[0]))
    verdicts: dict[str, str] = {}
    for name in sorted(set(record.tables) | set(fresh.tables)):
        a, b = record.tables.get(name), fresh.tables.get(name)
        if a is None or b is None:
            verdicts[name] = "missing in one run"
            continue
        try:
            pd.testing.assert_frame_equal(a, b, check_exact=True)
            verdicts[name] = "identical"
        except AssertionError as exc:
            verdicts[name] = "differs: " + " ".join(str(exc).split())[:200]
    return {
        "identical": all(v == "identical" for v in verdicts.values()),
        "tables": verdicts,
        "versions_match": (record.package_version, record.data_version)
        == (fresh.package_version, fresh.data_version),
        "command": record.command,
    }
