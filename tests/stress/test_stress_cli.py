"""CLI: `natofutures stress` and `natofutures campaign`, run as a user would (subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "natofutures", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


ERROR_CASES: list[tuple[list[str], list[str]]] = [
    (
        ["stress", "--scenario", "martian_invasion"],
        ["scenario", "'martian_invasion'", "baltic_incursion"],
    ),
    (
        ["stress", "--scenario", "baltic_incursion", "--posture", "nope"],
        ["posture", "'nope'", "division_of_labor"],
    ),
    (["stress", "--scenario", "baltic_incursion", "--draws", "-5"], ["--draws", "-5", ">= 0"]),
    (["stress", "--scenario", "baltic_incursion", "--seed", "-1"], ["--seed", "-1"]),
    (["stress"], ["--scenario", "stress --list"]),
    (["campaign", "--theatre", "arctic"], ["theatre", "'arctic'", "europe"]),
    (["campaign", "--posture", "nope"], ["posture", "'nope'", "business_as_usual"]),
    (["campaign", "--case", "nato_1989"], ["case", "'nato_1989'", "nato_2016"]),
    (["campaign", "--extra-heavy", "-2"], ["extra_heavy", "-2", ">= 0"]),
    (
        ["campaign", "--case", "nato_2016", "--posture", "division_of_labor"],
        ["--case", "--posture"],
    ),
]


@pytest.fixture(scope="module")
def error_runs() -> dict[tuple[str, ...], subprocess.CompletedProcess[str]]:
    """Every error case, started at once (each is a fresh interpreter) and then collected."""
    procs = {
        tuple(args): subprocess.Popen(
            [sys.executable, "-m", "natofutures", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args, _ in ERROR_CASES
    }
    out = {}
    for key, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=300)
        out[key] = subprocess.CompletedProcess(list(key), proc.returncode, stdout, stderr)
    return out


def one_line_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
    text = " ".join(lines)
    assert text.startswith("error:")
    for w in words:
        assert w in text, (w, text)


def test_stress_list_shows_the_six_scenarios_with_start_years() -> None:
    proc = cli("stress", "--list", "--json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert [r["name"] for r in rows] == [
        "baltic_incursion",
        "energy_cutoff",
        "russia_reconstitutes",
        "simultaneous",
        "taiwan_contingency",
        "us_abrupt_exit",
    ]
    assert all(isinstance(r["start_year"], int) and r["description"] for r in rows)
    table = cli("stress", "--list")
    assert table.returncode == 0 and "baltic_incursion" in table.stdout and "2027" in table.stdout


def test_stress_runs_a_scenario_as_json_and_writes_plots(tmp_path: Path) -> None:
    proc = cli(
        "stress", "--scenario", "baltic_incursion", "--posture", "business_as_usual",
        "--posture", "division_of_labor", "--draws", "6", "--seed", "2", "--json",
        "--plot", str(tmp_path / "charts"),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["scenario"] == "baltic_incursion" and out["draws"] == 6
    assert [r["posture"] for r in out["summary"]] == ["business_as_usual", "division_of_labor"]
    assert {"p_deterrence_fails_europe", "p_holds_if_fails_europe", "reengaged_share"} <= set(
        out["summary"][0]
    )
    assert all(Path(p).is_file() for p in out["plots"])


def test_stress_table_output() -> None:
    proc = cli("stress", "-s", "us_abrupt_exit", "-p", "division_of_labor", "-n", "0")
    assert proc.returncode == 0, proc.stderr
    assert "balance europe" in proc.stdout and "US re-engages" in proc.stdout


@pytest.mark.parametrize(("args", "words"), ERROR_CASES)
def test_errors_are_one_line_with_exit_2(
    error_runs: dict[tuple[str, ...], subprocess.CompletedProcess[str]],
    args: list[str],
    words: list[str],
) -> None:
    one_line_error(error_runs[tuple(args)], *words)


def test_campaign_json_for_the_2016_case_is_in_the_rand_band() -> None:
    proc = cli("campaign", "--theatre", "europe", "--case", "nato_2016", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert 36 <= out["hours_to_first"] <= 60
    assert out["rapid_defeat"] is True and out["extra_heavy_brigades_to_hold"] >= 1


def test_campaign_table_for_a_posture() -> None:
    proc = cli(
        "campaign", "--theatre", "europe", "--posture", "division_of_labor", "--year", "2035"
    )
    assert proc.returncode == 0, proc.stderr
    assert "tallinn" in proc.stdout and "riga" in proc.stdout and "US forward" in proc.stdout
    assert "2035" in proc.stdout


def test_help_lists_both_commands() -> None:
    proc = cli("--help")
    assert proc.returncode == 0
    assert "stress" in proc.stdout and "campaign" in proc.stdout
