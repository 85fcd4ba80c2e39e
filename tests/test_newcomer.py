"""A newcomer's first hour, scripted: their own posture file through every command.

Write a posture file; validate it; simulate it (choosing the years shown); compare it with the
built-in postures; write a report with a stress test; show the stored runs by the ids the
commands printed. Each step runs the real command line in a subprocess at 80 columns, as a
user in a narrow terminal would, with a fresh runs store. Draw counts are tiny: the test is
about the path, not the numbers.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

POSTURE = """\
name: europe_first
title: Europe first
summary: The US keeps a conditional guarantee while Europe carries most of its own defence.
levers:
  us.guarantee: {value: 0.6, reason: "Washington declares a conditional guarantee."}
  us.resolve: {value: 0.6, reason: "Europeans half believe it."}
  us.allocation.europe: {value: 0.15, reason: "US forces in Europe shrink to enablers."}
  us.allocation.indo_pacific: {value: 0.5, reason: "The freed power goes to Asia."}
"""
BUILT_IN = ("business_as_usual", "democracy_international", "division_of_labor", "global_vs_china")
# an id the store can be asked for: after "run", "runs show" or "--run"
PRINTED_ID = re.compile(r"\b(?:run|runs show|--run) ([0-9a-f]{8,16})\b")


@dataclass
class Step:
    args: list[str]
    code: int
    out: str
    err: str


def _cli(work: Path, *args: str) -> Step:
    env = {**os.environ, "NATOFUTURES_STORE": str(work / "store"), "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-m", "natofutures", *args],
        cwd=work, capture_output=True, text=True, check=False, env=env, timeout=900,
    )
    return Step(list(args), done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Step]:
    work = tmp_path_factory.mktemp("newcomer")
    (work / "europe_first.yaml").write_text(POSTURE, encoding="utf-8")
    steps = {
        "validate": _cli(work, "scenario", "validate", "europe_first.yaml"),
        "simulate": _cli(
            work, "simulate", "europe_first.yaml", "--draws", "8", "--seed", "3",
            "--years", "2031,2032,2033",
        ),
        "compare": _cli(
            work, "compare", "europe_first.yaml", "--draws", "8", "--smaa-samples", "300",
            "--perspective", "restrainer",
        ),
        "report": _cli(
            work, "report", "europe_first.yaml", "--postures", "business_as_usual",
            "--stress", "baltic_incursion", "--draws", "8", "--smaa-samples", "300",
            "--sensitivity-n", "2", "--out", "report",
        ),
    }
    ids = sorted({i for s in steps.values() for i in PRINTED_ID.findall(" ".join(s.out.split()))})
    for run_id in ids:
        steps[f"show {run_id}"] = _cli(work, "runs", "show", run_id)
    steps["_work"] = Step([], 0, str(work), "")
    return steps


def _ok(step: Step) -> Step:
    assert step.code == 0, f"natofutures {' '.join(step.args)} exited {step.code}: {step.err}"
    return step


def _no_mid_word_wraps(text: str) -> None:
    """At 80 columns no line is wider and no posture name or indicator is cut in two."""
    for line in text.splitlines():
        assert len(line) <= 80, line
    for name in (*BUILT_IN, "europe_first", "europe_credibility", "cumulative_risk_europe"):
        for cut in range(4, len(name) - 3):
            head, tail = name[:cut], name[cut:]
            assert not re.search(rf"\b{re.escape(head)}\s*\n.*?\b{re.escape(tail)}\b", text), (
                f"{name} wrapped as {head} / {tail}"
            )


def test_the_posture_file_validates(path: dict[str, Step]) -> None:
    out = _ok(path["validate"]).out
    assert "valid posture: europe_first (4 lever(s))" in " ".join(out.split())


def test_simulate_takes_the_file_and_shows_the_years_asked_for(path: dict[str, Step]) -> None:
    out = _ok(path["simulate"]).out
    assert "europe_first" in out
    for year in ("2031", "2032", "2033"):
        assert year in out
    assert "2045" not in out.split("scenario ")[0]  # only the years asked for
    _no_mid_word_wraps(out)


def test_compare_adds_the_file_to_the_four_built_in_postures(path: dict[str, Step]) -> None:
    out = _ok(path["compare"]).out
    for name in (*BUILT_IN, "europe_first"):
        assert name in out or name.replace("_", " ") in out, name


def test_report_with_a_stress_test_runs_the_users_posture(path: dict[str, Step]) -> None:
    _ok(path["report"])
    html = (Path(path["_work"].out) / "report" / "index.html").read_text(encoding="utf-8")
    assert "europe_first" in html and "baltic_incursion" in html


def test_the_stored_run_ids_are_showable(path: dict[str, Step]) -> None:
    for step in ("simulate", "compare"):
        stored = re.findall(r"stored as run ([0-9a-f]{8,16})", " ".join(path[step].out.split()))
        assert stored, f"{step} printed no 'stored as run ID'"
        shown = _ok(path[f"show {stored[0]}"])
        assert stored[0] in shown.out and "europe_first" in shown.out
        assert "row 0" not in shown.out and "…" not in shown.out  # named columns, nothing cut
        _no_mid_word_wraps(shown.out)


def test_every_printed_run_id_is_showable(path: dict[str, Step]) -> None:
    shown = [k for k in path if k.startswith("show ")]
    assert shown, "no command printed a run id"
    for key in shown:
        step = _ok(path[key])
        assert key.removeprefix("show ") in step.out
