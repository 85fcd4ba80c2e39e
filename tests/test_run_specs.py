"""Runs recorded as data (RunSpec): one run id, in-process reruns from every entry point,
and old records migrated to specs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import natofutures as nf
from natofutures import runs
from natofutures.cli import main
from natofutures.errors import InputError
from natofutures.store import RunSpec, RunStore, _migration_1, _migration_2


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_spec_round_trips_through_json_and_refuses_bad_fields() -> None:
    spec = runs.spec_for("simulate", ["division_of_labor"], draws=5, seed=2, horizon=2030)
    assert RunSpec.from_json(spec.to_json()) == spec
    assert spec.scenarios[0]["posture"] == "division_of_labor"
    assert "levers" in spec.scenarios[0]  # the posture's levers travel with the run
    with pytest.raises(InputError, match=r"run spec: draws: .*greater than or equal to 0"):
        RunSpec.from_json(spec.to_json().replace('"draws":5', '"draws":-1'))
    with pytest.raises(InputError, match=r"^seed: value -3 not allowed"):
        runs.spec_for("simulate", ["division_of_labor"], draws=0, seed=-3, horizon=2030)


def test_python_api_run_is_recorded_and_reruns_exactly(tmp_path: Path) -> None:
    sc = nf.posture("division_of_labor").with_overrides({"us.resolve": 0.4})
    spec = runs.spec_for("simulate", [sc], draws=12, seed=5, horizon=2031)
    out = runs.execute(spec, store=tmp_path)
    assert out.run_id is not None
    rec = runs.get(out.run_id, store=tmp_path)
    assert rec.run_spec() == spec and rec.labels["source"] == "python"
    assert rec.tables["milestones"]["year"].tolist()[-1] == 2031
    result = runs.rerun(out.run_id, store=tmp_path)
    assert result["identical"] and result["tables"] == {"milestones": "identical"}
    assert len(runs.list(store=tmp_path)) == 1  # a rerun records nothing


def test_simulate_prints_the_id_it_stores_and_reruns_in_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "simulate", "-p", "global_vs_china", "--draws", "8",
                         "--horizon", "2030", "--store", str(tmp_path), "--json")
    assert code == 0, err
    run_id = json.loads(out)["run_id"]
    assert runs.get(run_id, store=tmp_path).run_spec().source == "cli"
    code, out, err = cli(capsys, "runs", "rerun", run_id, "--store", str(tmp_path))
    assert code == 0, err
    assert f"run {run_id} reproduced exactly" in out


def test_compare_prints_one_run_id_the_store_knows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(
        capsys, "compare", "--postures", "business_as_usual,division_of_labor", "--draws", "6",
        "--horizon", "2030", "--smaa-samples", "200", "--perspective", "restrainer",
        "--store", str(tmp_path),
    )
    assert code == 0, err
    printed = set(re.findall(r"run ([0-9a-f]{10,12})\b", out))
    assert len(printed) == 1, out  # footer and "stored as" name the same id
    run_id = printed.pop()
    rec = runs.get(run_id, store=tmp_path)
    spec = rec.run_spec()
    assert spec.options["smaa_samples"] == 200
    assert spec.options["perspectives"] == ["restrainer"]
    assert runs.rerun(run_id, store=tmp_path)["identical"]


def test_compare_without_store_says_so_instead_of_printing_an_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(
        capsys, "compare", "--postures", "business_as_usual,division_of_labor", "--draws", "0",
        "--horizon", "2030", "--smaa-samples", "100", "--perspective", "restrainer",
        "--no-store", "--store", str(tmp_path),
    )
    assert code == 0
    assert "run not stored" in out
    assert not re.search(r"\brun [0-9a-f]{10,12}\b", out)


def _old_store(root: Path, rows: list[tuple[str, str, str, str, str]]) -> None:
    """A version-2 store as natofutures wrote it before run specs: command lines only."""
    root.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(root / "runs.duckdb"))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    _migration_1(con)
    _migration_2(con)
    con.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    for run_id, kind, command, scenario_json, labels in rows:
        con.execute(
            "INSERT INTO runs VALUES (?, now()::TIMESTAMP, ?, ?, 'p', ?, 'h', 4, 6, 2030, "
            "'0.0.1', 'd0', FALSE, ?)",
            [run_id, kind, command, scenario_json, labels],
        )
    con.close()


def test_old_records_are_migrated_to_specs(tmp_path: Path) -> None:
    sc = nf.posture("division_of_labor")
    pair = {n: nf.posture(n).canonical_json() for n in ("business_as_usual", "division_of_labor")}
    _old_store(tmp_path, [
        ("old-sim", "simulate", "natofutures simulate -p division_of_labor --draws 6",
         sc.canonical_json(), "{}"),
        ("old-cmp", "compare",
         "natofutures compare --postures business_as_usual,division_of_labor --draws 6 "
         "--smaa-samples 300 --perspective restrainer --status-quo-bonus=0.2",
         json.dumps(pair), "{}"),
        ("old-svc", "simulate", "POST /api/simulate (natofutures serve)", "{}", "{}"),
    ])
    store = RunStore(tmp_path)
    assert store.schema_version() == 3
    sim = store.get("old-sim").run_spec()
    assert (sim.kind, sim.draws, sim.seed, sim.horizon) == ("simulate", 6, 4, 2030)
    assert sim.source == "migrated" and sim.scenarios[0]["name"] == "division_of_labor"
    cmp = store.get("old-cmp").run_spec()
    assert cmp.options == {"perspectives": ["restrainer"], "weights": None,
                           "smaa_samples": 300, "status_quo_bonus": 0.2}
    assert [s["name"] for s in cmp.scenarios] == ["business_as_usual", "division_of_labor"]
    # a record whose inputs cannot be recovered keeps a NULL spec and says why on rerun
    assert store.get("old-svc").spec is None
    with pytest.raises(InputError, match="recorded before run specs"):
        runs.rerun("old-svc", store=tmp_path)


def test_a_migrated_simulate_run_reruns_against_its_stored_table(tmp_path: Path) -> None:
    spec = runs.spec_for("simulate", ["business_as_usual"], draws=6, seed=4, horizon=2030)
    fresh = runs.tables("simulate", runs.compute(spec))["milestones"]
    sc = nf.posture("business_as_usual").canonical_json()
    _old_store(tmp_path, [("old-1", "simulate", "natofutures simulate --draws 6", sc, "{}")])
    from natofutures.store import _frame_to_blob

    con = duckdb.connect(str(tmp_path / "runs.duckdb"))
    con.execute("INSERT INTO run_tables VALUES ('old-1', 'milestones', ?)",
                [_frame_to_blob(fresh)])
    con.close()
    result = runs.rerun("old-1", store=tmp_path)
    assert result["identical"], result["tables"]
    assert not result["versions_match"]  # recorded by "0.0.1" on data "d0"
    assert isinstance(runs.load("old-1", store=tmp_path)["milestones"], pd.DataFrame)


def test_stress_and_sensitivity_runs_rerun_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "stress", "--scenario", "baltic_incursion", "-p",
                         "division_of_labor", "--draws", "6", "--store", str(tmp_path), "--json")
    assert code == 0, err
    stress_id = json.loads(out)["run_id"]
    assert runs.get(stress_id, store=tmp_path).run_spec().options == {
        "stress_scenario": "baltic_incursion", "postures": ["division_of_labor"]}
    code, out, err = cli(capsys, "sensitivity", "--method", "morris", "--n", "2", "--horizon",
                         "2030", "--postures", "business_as_usual,division_of_labor", "--output",
                         "europe_risk", "--store", str(tmp_path),
                         "--json")
    assert code == 0, err
    sens_id = json.loads(out)["run_id"]
    for run_id in (stress_id, sens_id):
        result = runs.rerun(run_id, store=tmp_path)
        assert result["identical"], result["tables"]


def test_a_fresh_report_records_its_run_and_shows_that_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rep"
    code, _, err = cli(
        capsys, "report", "--postures", "business_as_usual,division_of_labor", "--draws", "4",
        "--horizon", "2030", "--smaa-samples", "100", "--perspective", "restrainer",
        "--sensitivity-n", "2", "--store", str(tmp_path / "s"), "--out", str(out),
    )
    assert code == 0, err
    listed = runs.list(store=tmp_path / "s")
    assert listed["kind"].tolist() == ["compare"]
    run_id = str(listed["run_id"].iloc[0])
    assert runs.get(run_id, store=tmp_path / "s").run_spec().source == "report"
    assert run_id in (out / "index.html").read_text(encoding="utf-8")
    assert runs.rerun(run_id, store=tmp_path / "s")["identical"]
