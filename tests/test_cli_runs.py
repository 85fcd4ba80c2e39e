"""``natofutures runs`` commands, including their error paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from natofutures.store import RunStore


def run_cli(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NATOFUTURES_STORE": str(store), "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "natofutures", "runs", *args],
        capture_output=True, text=True, check=False, env=env,
    )


def _seed_store(store: Path) -> list[str]:
    st = RunStore(store)
    return [
        st.record(
            kind="simulate", command="natofutures simulate", scenario_json="{}",
            scenario_hash="h", package_version="0.1.0", data_version="d1",
            tables={"summary": pd.DataFrame({"year": [2045], "burden": [b]})},
            posture=posture, seed=seed, draws=10, horizon=2045,
        )
        for seed, b, posture in [(1, 0.02, "business_as_usual"), (2, 0.03, "division_of_labor")]
    ]


def test_list_show_diff_export_delete(tmp_path: Path) -> None:
    a, b = _seed_store(tmp_path / "s")
    listed = run_cli(tmp_path / "s", "list", "--json")
    assert listed.returncode == 0
    assert {r["run_id"] for r in json.loads(listed.stdout)} == {a, b}
    only = run_cli(tmp_path / "s", "list", "--posture", "division_of_labor", "--json")
    assert [r["run_id"] for r in json.loads(only.stdout)] == [b]
    shown = run_cli(tmp_path / "s", "show", a)
    assert shown.returncode == 0 and "seed: 1" in shown.stdout
    diffed = run_cli(tmp_path / "s", "diff", a, b)
    assert diffed.returncode == 0 and "posture" in diffed.stdout and "0.01" in diffed.stdout
    out = str(tmp_path / "x")
    exported = run_cli(tmp_path / "s", "export", a, "--format", "json", "--out", out)
    assert exported.returncode == 0 and (tmp_path / "x" / "summary.json").exists()
    deleted = run_cli(tmp_path / "s", "delete", a)
    assert deleted.returncode == 0
    remaining = json.loads(run_cli(tmp_path / "s", "list", "--json").stdout)
    assert [r["run_id"] for r in remaining] == [b]


def test_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    for args, needle in [
        (("show", "nope"), "run id: 'nope'"),
        (("list", "--since", "yesterday"), "--since: 'yesterday'"),
        (("export", "nope", "--format", "xlsx", "--out", str(tmp_path / "o")), "--format: 'xlsx'"),
    ]:
        res = run_cli(tmp_path / "s", *args)
        assert res.returncode == 2, args
        assert needle in res.stderr
        assert "Traceback" not in res.stderr
        assert len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def _nf(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NATOFUTURES_STORE": str(store), "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "natofutures", *args],
        capture_output=True, text=True, check=False, env=env,
    )


def test_simulate_is_recorded_with_arrays_and_reruns_identically(tmp_path: Path) -> None:
    store = tmp_path / "s"
    res = _nf(store, "simulate", "-p", "division_of_labor", "--draws", "40", "--seed", "3",
              "--horizon", "2030", "--keep-arrays", "--json")
    assert res.returncode == 0, res.stderr
    run_id = json.loads(res.stdout)["run_id"]
    rec = RunStore(store).get(run_id)
    assert rec.command == (
        "natofutures simulate -p division_of_labor --draws 40 --seed 3 --horizon 2030"
    )
    assert RunStore(store).load_arrays(run_id).sizes["draw"] == 40
    again = run_cli(store, "rerun", run_id)
    assert again.returncode == 0, again.stderr
    assert "reproduced exactly" in again.stdout
    assert len(RunStore(store).list()) == 1  # the rerun went to a scratch store


def test_rerun_reports_a_run_whose_stored_results_were_altered(tmp_path: Path) -> None:
    store = tmp_path / "s"
    res = _nf(store, "simulate", "--draws", "0", "--horizon", "2030", "--json")
    run_id = json.loads(res.stdout)["run_id"]
    import duckdb

    st = RunStore(store)
    table = st.get(run_id).tables["milestones"]
    table.loc[0, "median"] += 1e-9
    from natofutures.store import _frame_to_blob

    with duckdb.connect(str(st.db_path)) as con:
        con.execute("UPDATE run_tables SET payload = ? WHERE run_id = ?",
                    [_frame_to_blob(table), run_id])
    again = run_cli(store, "rerun", run_id)
    assert again.returncode == 1
    assert "milestones: differs" in again.stdout


def test_no_store_records_nothing_and_a_bad_scheduler_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "s"
    assert _nf(store, "simulate", "--horizon", "2030", "--no-store").returncode == 0
    assert not (store / "runs.duckdb").exists() or RunStore(store).list().empty
    bad = _nf(store, "simulate", "--draws", "10", "--scheduler", "cluster", "--out",
              str(tmp_path / "x.nc"))
    assert bad.returncode == 2
    assert "scheduler: value 'cluster'" in bad.stderr
    assert not (tmp_path / "x.nc").exists()
