"""``natofutures calibrate [burden]`` and ``natofutures validate`` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "natofutures", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_calibrate_burden_json_and_report(tmp_path):
    res = _run("calibrate", "burden", "--until", "2013", "--json", "--report", str(tmp_path / "r"))
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["window"] == {"from": 1949, "until": 2013}
    assert out["out_of_sample"]["rmse_pp"] > 0 and out["out_of_sample"]["no_change_rmse_pp"] > 0
    assert out["verdict"].startswith(("PASS", "FAIL"))
    names = {r["name"] for r in out["coefficients"]}
    assert {"threat", "us_spill", "ally_spill", "us_troops", "pledge_gap", "adjustment"} <= names
    assert set(out["engine_mapping"]["parameters"]) == {
        "burden.adjustment_speed",
        "burden.threat_response",
        "burden.free_riding",
        "burden.pledge_compliance",
        "burden.noise_sd",
    }
    rep = tmp_path / "r"
    for stem in ("allies", "skill", "coefficients"):
        assert (rep / f"{stem}.png").stat().st_size > 1000
        html = (rep / f"{stem}.html").read_text(encoding="utf-8")
        assert '<script src="http' not in html and len(html) > 1_000_000  # plotly.js embedded
    for name in ("coefficients.csv", "residuals.csv", "hindcast.csv", "evaluation_rows.csv"):
        assert (rep / name).stat().st_size > 0


def test_the_old_flags_run_calibrate_burden():
    old = _run("calibrate", "--from", "1960", "--until", "2015", "--json")
    new = _run("calibrate", "burden", "--from", "1960", "--until", "2015", "--json")
    assert old.returncode == 0 and new.returncode == 0, old.stderr + new.stderr
    assert json.loads(old.stdout) == json.loads(new.stdout)  # same inputs, same numbers


def test_evaluate_json_has_exactly_the_documented_shape():
    res = _run("calibrate", "burden", "--evaluate", "--json", "--origins", "2010,2019")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert list(out) == ["evaluation"] and set(out["evaluation"]) == {"rows", "summary"}
    models = {"natofutures", "previous", "no_change", "drift", "ar1"}
    assert set(out["evaluation"]["summary"]) == models
    for v in out["evaluation"]["summary"].values():
        assert set(v) == {"rmse", "crps", "coverage90"}
    rows = out["evaluation"]["rows"]
    assert all(set(r) == {"origin", "horizon", "model", "rmse", "crps", "coverage90"} for r in rows)
    assert {r["origin"] for r in rows} == {2010, 2019}
    assert max(r["horizon"] for r in rows if r["origin"] == 2019) == 5  # targets end in 2024
    assert all(r["rmse"] > 0 and 0 <= r["coverage90"] <= 1 for r in rows)


def test_evaluate_prints_tables():
    res = _run("calibrate", "--evaluate", "--origins", "2014")
    assert res.returncode == 0, res.stderr
    assert "RMSE by horizon" in res.stdout and "origin 2014" in res.stdout


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("burden", "--from", "2014", "--until", "2013"), "from"),
        (("burden", "--from", "1900"), "from"),
        (("--until", "2031"), "until"),
        (("burden", "--evaluate", "--until", "2013"), "until"),
        (("burden", "--evaluate", "--origins", "1960"), "origin"),
        (("burden", "--evaluate", "--origins", "20x4"), "origins"),
        (("burden", "--origins", "2014"), "origins"),
    ],
)
def test_calibrate_bad_input_gives_one_line_errors(args, field):
    res = _run("calibrate", *args)
    assert res.returncode == 2
    lines = [ln for ln in res.stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and f"{field}:" in lines[0] and "not allowed" in lines[0], res.stderr


def test_calibrate_refuses_a_report_folder_that_is_a_file_and_writes_nothing(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    out = tmp_path / "cal.yaml"
    res = _run("calibrate", "burden", "--report", str(target), "--write", str(out))
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0 and "report:" in res.stderr
    assert not out.exists() and target.read_text(encoding="utf-8") == "x"


def test_validate_json_lists_checks_with_figures():
    res = _run("validate", "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["passed"] + out["failed"] == len(out["checks"])
    assert all(c["figure"] for c in out["checks"])
    hind = next(c for c in out["checks"] if c["name"].startswith("burden model hindcast"))
    assert "no change" in hind["figure"]
