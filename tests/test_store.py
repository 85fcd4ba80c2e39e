"""The runs store keeps every run whole or not at all, under kills and concurrent writers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from natofutures.errors import InputError
from natofutures.store import SCHEMA_VERSION, RunStore


def _record(store: RunStore, **extra: object) -> str:
    kwargs: dict[str, object] = {
        "kind": "simulate",
        "command": "natofutures simulate --posture business_as_usual",
        "scenario_json": '{"posture": "business_as_usual"}',
        "scenario_hash": "abc123",
        "package_version": "0.1.0",
        "data_version": "d1",
        "tables": {"summary": pd.DataFrame({"year": [2030, 2045], "burden": [0.021, 0.0234]})},
        "posture": "business_as_usual",
        "seed": 7,
        "draws": 100,
        "horizon": 2045,
    }
    kwargs.update(extra)
    return store.record(**kwargs)  # type: ignore[arg-type]


def _dataset() -> xr.Dataset:
    rng = np.random.default_rng(0)
    return xr.Dataset(
        {
            "burden": (("draw", "year", "country"), rng.random((3, 2, 2)), {"units": "1"}),
            "balance": (("draw", "year", "theatre"), rng.random((3, 2, 1)), {"units": "ratio"}),
        },
        coords={"draw": [0, 1, 2], "year": [2025, 2026], "country": ["USA", "DEU"],
                "theatre": ["europe"]},
        attrs={"seed": 7, "posture": "business_as_usual"},
    )


def test_a_recorded_run_reads_back_with_identical_tables(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    run_id = _record(store)
    rec = store.get(run_id)
    assert rec.seed == 7 and rec.draws == 100 and rec.posture == "business_as_usual"
    pd.testing.assert_frame_equal(
        rec.tables["summary"], pd.DataFrame({"year": [2030, 2045], "burden": [0.021, 0.0234]})
    )
    assert list(store.list()["run_id"]) == [run_id]


def test_arrays_round_trip_bit_for_bit(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    ds = _dataset()
    run_id = _record(store, arrays=ds)
    back = store.load_arrays(run_id)
    xr.testing.assert_identical(back[["burden", "balance"]].transpose(*ds.dims), ds[
        ["burden", "balance"]].transpose(*ds.dims))
    assert back["burden"].attrs["units"] == "1"


def test_list_filters_by_posture_and_kind(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    a = _record(store)
    b = _record(store, posture="division_of_labor", kind="compare")
    assert list(store.list(posture="division_of_labor")["run_id"]) == [b]
    assert list(store.list(kind="simulate")["run_id"]) == [a]


def test_unknown_run_id_is_a_one_line_input_error(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    with pytest.raises(InputError, match="run id: 'nope' is not in the store"):
        store.get("nope")
    with pytest.raises(InputError, match="run id"):
        store.delete("nope")


def test_unknown_kind_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    with pytest.raises(InputError, match="kind: 'party'"):
        _record(store, kind="party")
    assert store.list().empty


def test_delete_removes_rows_and_arrays(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    run_id = _record(store, arrays=_dataset())
    store.delete(run_id)
    assert store.list().empty
    assert not (store.arrays_root / run_id).exists()


def test_an_old_store_is_migrated_on_open(tmp_path: Path) -> None:
    # A version-1 store as an earlier natofutures wrote it: no has_arrays/labels columns.
    from natofutures.store import _migration_1

    tmp_path.mkdir(exist_ok=True)
    con = duckdb.connect(str(tmp_path / "runs.duckdb"))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    _migration_1(con)
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.execute(
        "INSERT INTO runs VALUES ('old-1', now()::TIMESTAMP, 'simulate', 'cmd', "
        "'business_as_usual', '{}', 'h', 1, 0, 2045, '0.0.1', 'd0')"
    )
    con.close()
    store = RunStore(tmp_path)
    assert store.schema_version() == SCHEMA_VERSION
    rec = store.get("old-1")
    assert rec.package_version == "0.0.1" and rec.has_arrays is False


_WRITER = textwrap.dedent(
    """
    import sys, time
    import pandas as pd
    import natofutures.store as st
    store = st.RunStore(sys.argv[1])
    def pause():
        print("in-transaction", flush=True)
        time.sleep(60)
    st._before_commit = pause
    store.record(kind="simulate", command="c", scenario_json="{}", scenario_hash="h",
                 package_version="0", data_version="d",
                 tables={"t": pd.DataFrame({"x": list(range(1000))})},
                 arrays=__import__("xarray").Dataset({"v": (("draw",), [1.0, 2.0])},
                                                      coords={"draw": [0, 1]}))
    """
)


def test_a_writer_killed_mid_transaction_leaves_no_partial_run(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "in-transaction"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    store = RunStore(tmp_path)
    assert store.list().empty
    with duckdb.connect(str(store.db_path)) as con:
        assert con.execute("SELECT count(*) FROM run_tables").fetchone() == (0,)
    assert len(store.remove_orphans(min_age_s=0)) == 1
    assert list(store.arrays_root.iterdir()) == []


_BUSY_WRITER = textwrap.dedent(
    """
    import sys
    import pandas as pd
    import natofutures.store as st
    store = st.RunStore(sys.argv[1], lock_timeout=120)
    for i in range(int(sys.argv[2])):
        store.record(kind="simulate", command=f"c{i}", scenario_json="{}", scenario_hash="h",
                     package_version="0", data_version="d",
                     tables={"t": pd.DataFrame({"x": [i]})})
    """
)


def test_two_processes_writing_at_once_lose_no_run(tmp_path: Path) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-c", _BUSY_WRITER, str(tmp_path), "15"])
        for _ in range(2)
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    runs = RunStore(tmp_path).list()
    assert len(runs) == 30
    assert runs["run_id"].is_unique
