"""``natofutures calibrate`` and ``natofutures validate`` from the command line."""

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


def test_calibrate_json_reports_fit_and_out_of_sample(tmp_path):
    res = _run("calibrate", "--until", "2013", "--json", "--report", str(tmp_path / "rep"))
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["window"] == {"from": 1990, "until": 2013}
    assert out["out_of_sample"]["rmse_pp"] > 0
    assert out["verdict"].startswith(("PASS", "FAIL"))
    names = {r["name"] for r in out["coefficients"]}
    assert {"threat_response", "free_riding", "adjustment_speed", "noise_sd"} <= names
    rep = tmp_path / "rep"
    for stem in ("aggregate", "allies", "residuals"):
        assert (rep / f"{stem}.png").stat().st_size > 1000
        html = (rep / f"{stem}.html").read_text(encoding="utf-8")
        assert '<script src="http' not in html and len(html) > 1_000_000  # plotly.js embedded
    for name in ("parameters.csv", "residuals.csv", "out_of_sample_allies.csv"):
        assert (rep / name).stat().st_size > 0


def test_calibrate_prints_tables_and_the_verdict():
    res = _run("calibrate", "--from", "1995", "--until", "2015")
    assert res.returncode == 0, res.stderr
    assert "verdict:" in res.stdout and "β_T" in res.stdout


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("--from", "2014", "--until", "2013"), "from"),
        (("--from", "1970"), "from"),
        (("--until", "2031"), "until"),
    ],
)
def test_calibrate_bad_years_give_one_line_errors(args, field):
    res = _run("calibrate", *args)
    assert res.returncode == 2
    lines = [ln for ln in res.stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and f"{field}:" in lines[0] and "not allowed" in lines[0]


def test_calibrate_refuses_a_report_folder_that_is_a_file(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    res = _run("calibrate", "--report", str(target))
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0 and "report:" in res.stderr


def test_validate_json_lists_checks_with_figures():
    res = _run("validate", "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["passed"] + out["failed"] == len(out["checks"])
    assert all(c["figure"] for c in out["checks"])
