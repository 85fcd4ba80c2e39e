"""CLI: `natofutures stress` and `natofutures campaign`, run as a user would (subprocess).

Every command line below is started at once in its own interpreter (the machine's cores run
them side by side) and collected by a module fixture; each test then checks one of them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

Run = subprocess.CompletedProcess[str]

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
    (["campaign", "--posture", "division_of_labor", "--year", "1800"], ["year", "1800"]),
]

PLOT_DIR = "__plot_dir__"  # replaced by a temporary folder
OK_CASES: dict[str, list[str]] = {
    "list_json": ["stress", "--list", "--json"],
    "list_table": ["stress", "--list"],
    "stress_json": [
        "stress", "--scenario", "baltic_incursion", "--posture", "business_as_usual",
        "--posture", "division_of_labor", "--draws", "6", "--seed", "2", "--json",
        "--plot", PLOT_DIR,
    ],
    "stress_table": ["stress", "-s", "us_abrupt_exit", "-p", "division_of_labor", "-n", "0"],
    "campaign_json": ["campaign", "--theatre", "europe", "--case", "nato_2016", "--json"],
    "campaign_table": [
        "campaign", "--theatre", "europe", "--posture", "division_of_labor", "--year", "2035",
    ],
    "help": ["--help"],
}  # fmt: skip


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[object, Run]:
    """Run every command line concurrently; key: the OK_CASES name or the error args tuple."""
    plots = str(tmp_path_factory.mktemp("charts"))
    commands: dict[object, list[str]] = {
        name: [plots if a == PLOT_DIR else a for a in args] for name, args in OK_CASES.items()
    }
    commands.update({tuple(args): args for args, _ in ERROR_CASES})
    procs = {
        key: subprocess.Popen(
            [sys.executable, "-m", "natofutures", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for key, args in commands.items()
    }
    out: dict[object, Run] = {}
    for key, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=600)
        out[key] = subprocess.CompletedProcess(commands[key], proc.returncode, stdout, stderr)
    return out


def ok(run: Run) -> Run:
    assert run.returncode == 0, run.stderr
    return run


@pytest.mark.parametrize(("args", "words"), ERROR_CASES)
def test_errors_are_one_line_with_exit_2(
    runs: dict[object, Run], args: list[str], words: list[str]
) -> None:
    run = runs[tuple(args)]
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    text = " ".join(ln for ln in run.stderr.strip().splitlines() if ln.strip())
    assert text.startswith("error:")
    for w in words:
        assert w in text, (w, text)


def test_stress_list_shows_the_seven_scenarios_with_start_years(runs: dict[object, Run]) -> None:
    rows = json.loads(ok(runs["list_json"]).stdout)
    assert [r["name"] for r in rows] == [
        "baltic_incursion",
        "energy_cutoff",
        "russia_rearms_us_exit",
        "russia_reconstitutes",
        "simultaneous",
        "taiwan_contingency",
        "us_abrupt_exit",
    ]
    assert all(isinstance(r["start_year"], int) and r["description"] for r in rows)
    table = ok(runs["list_table"]).stdout
    assert "baltic_incursion" in table and "2027" in table


def test_stress_runs_a_scenario_as_json_and_writes_plots(runs: dict[object, Run]) -> None:
    out = json.loads(ok(runs["stress_json"]).stdout)
    assert out["scenario"] == "baltic_incursion" and out["draws"] == 6
    assert [r["posture"] for r in out["summary"]] == ["business_as_usual", "division_of_labor"]
    assert {"p_deterrence_fails_europe", "p_holds_if_fails_europe", "reengaged_share"} <= set(
        out["summary"][0]
    )
    assert len(out["plots"]) == 2 and all(Path(p).is_file() for p in out["plots"])


def test_stress_table_output(runs: dict[object, Run]) -> None:
    stdout = ok(runs["stress_table"]).stdout
    assert "balance europe" in stdout and "US re-engages" in stdout


def test_campaign_json_for_the_2016_case_is_in_the_rand_band(runs: dict[object, Run]) -> None:
    out = json.loads(ok(runs["campaign_json"]).stdout)
    assert 36 <= out["hours_to_first"] <= 60
    assert out["rapid_defeat"] is True and out["extra_heavy_brigades_to_hold"] >= 1


def test_campaign_table_for_a_posture_in_a_year(runs: dict[object, Run]) -> None:
    stdout = ok(runs["campaign_table"]).stdout
    assert "tallinn" in stdout and "riga" in stdout and "US forward" in stdout
    assert "2035" in stdout


def test_help_lists_both_commands(runs: dict[object, Run]) -> None:
    stdout = ok(runs["help"]).stdout
    assert "stress" in stdout and "campaign" in stdout
