"""``nf.runs``: list, load, diff and export stored runs from Python."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from natofutures import runs
from natofutures.errors import InputError
from natofutures.store import RunStore


def _record(store: RunStore, seed: int, burden: float) -> str:
    return store.record(
        kind="simulate",
        command=f"natofutures simulate --seed {seed}",
        scenario_json=json.dumps(
            {"posture": "business_as_usual", "overrides": {"us.resolve": 0.5}}
        ),
        scenario_hash="h",
        package_version="0.1.0",
        data_version="d1",
        tables={"summary": pd.DataFrame({"year": [2045], "burden": [burden]})},
        posture="business_as_usual",
        seed=seed,
        draws=10,
        horizon=2045,
    )


def test_diff_names_the_differing_inputs_and_output_changes(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    a, b = _record(store, 1, 0.020), _record(store, 2, 0.025)
    d = runs.diff(a, b, store=tmp_path)
    assert d["inputs"]["path"].tolist() == ["seed"]
    assert d["tables"]["summary"]["burden_diff"].iloc[0] == pytest.approx(0.005)


def test_load_without_arrays_gives_the_summary_tables(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    run_id = _record(store, 1, 0.02)
    tables = runs.load(run_id, store=tmp_path)
    assert tables["summary"]["burden"].iloc[0] == 0.02
    assert runs.list(store=tmp_path)["run_id"].tolist() == [run_id]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_export_writes_inputs_and_every_table(tmp_path: Path, fmt: str) -> None:
    store = RunStore(tmp_path / "store")
    run_id = _record(store, 1, 0.02)
    out = runs.export(run_id, fmt, tmp_path / "out", store=tmp_path / "store")
    assert json.loads((out / "run.json").read_text())["seed"] == 1
    assert (out / f"summary.{fmt}").stat().st_size > 0


def test_export_refuses_an_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--format: 'xlsx'"):
        runs.export("x", "xlsx", tmp_path, store=tmp_path)
