"""``natofutures calibrate hazard`` and ``calibrate reaction`` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from natofutures.scenario import parameter_table


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "natofutures", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def hazard_json(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    rep = tmp_path_factory.mktemp("hz") / "rep"
    res = _run("calibrate", "hazard", "--json", "--report", str(rep))
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout), rep


def test_hazard_json_has_the_promised_shape(hazard_json: tuple[dict, Path]) -> None:
    out, _ = hazard_json
    assert {"coefficients", "evaluation", "engine"} <= set(out)
    assert {"brier", "brier_base_rate", "auc"} <= set(out["evaluation"])
    assert set(out["engine"]) == {"europe", "indo_pacific", "out_of_area"}
    for theatre in out["engine"].values():
        assert {"h0", "ratio_half", "steepness", "judgement"} <= set(theatre)
    assert out["engine"]["out_of_area"]["judgement"] == {
        "h0": True, "ratio_half": True, "steepness": True
    }  # fmt: skip
    assert "ln_ratio_delivered" in out["coefficients"]
    assert out["model"]["window"] == [1816, 1945]
    e = out["evaluation"]
    assert (e["first"], e["last"]) == (1946, 2010)
    assert 0.0 <= e["auc"] <= 1.0 and e["brier"] > 0 and e["brier_base_rate"] > 0
    # the verdict says honestly which side of the base rate the model falls
    assert ("ABOVE" in out["verdict"]) == (e["brier"] > e["brier_base_rate"])


def test_hazard_report_writes_charts_and_tables(hazard_json: tuple[dict, Path]) -> None:
    _, rep = hazard_json
    for name in ("reliability.png", "engine_hazard.png"):
        assert (rep / name).stat().st_size > 5000
    for name in ("coefficients.csv", "present_day.csv", "engine.csv", "reliability.csv"):
        assert (rep / name).stat().st_size > 0


def test_the_present_day_anchor_sits_beside_the_prior(hazard_json: tuple[dict, Path]) -> None:
    out, _ = hazard_json
    for key in ("europe", "indo_pacific"):
        row = out["present_day"][key]
        assert 0 < row["fitted_hazard"] < 1
        assert row["prior_hazard_2024_engine"] > 0
        assert out["engine"][key]["anchor"]["fitted_hazard_2024"] == pytest.approx(
            out["present_day"]["europe_with_us" if key == "europe" else key]["fitted_hazard"],
            rel=1e-6,
        )


@pytest.mark.parametrize("theatre", ["europe", "indo_pacific"])
def test_the_engine_defaults_follow_the_pre_registered_slope_rule(
    hazard_json: tuple[dict, Path], theatre: str
) -> None:
    """The rule passed, so k is the fitted value and interval; if it failed, k is judgement."""
    out, _ = hazard_json
    k = parameter_table()[f"hazard.steepness.{theatre}"]
    adopted = out["engine"][theatre]["adopted"]
    if not out["slope_check"]["adopt"]:
        assert k.judgement is True
        return
    assert k.judgement is False
    assert float(k.value) == pytest.approx(adopted["steepness"], abs=5e-4)
    assert k.range == pytest.approx(tuple(adopted["steepness_range90"]), abs=5e-4)
    # h0 keeps the judged 2024 hazard at the fitted k: it is its own adopted value
    h0 = parameter_table()[f"hazard.h0.{theatre}"]
    assert h0.judgement is True
    assert float(h0.value) == pytest.approx(adopted["h0"], abs=5e-5)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--decay-km", "-5"], "decay-km"),
        (["--write", "/nonexistent-folder/h.yaml"], "write"),
    ],
)
def test_hazard_bad_input_is_one_line_and_exit_2(args: list[str], field: str) -> None:
    res = _run("calibrate", "hazard", *args)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{field}:" in lines[0]


def test_a_report_path_that_is_a_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    f = tmp_path / "taken.txt"
    f.write_text("keep", encoding="utf-8")
    for cmd in ("hazard", "reaction"):
        res = _run("calibrate", cmd, "--report", str(f))
        assert res.returncode == 2 and "report:" in res.stderr
    assert f.read_text(encoding="utf-8") == "keep"


def test_reaction_json_and_write(tmp_path: Path) -> None:
    path = tmp_path / "reaction.yaml"
    res = _run("calibrate", "reaction", "--json", "--write", str(path))
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert set(out["adversaries"]) == {"RUS", "CHN"}
    for fit in out["adversaries"].values():
        assert {"rmse", "rmse_no_change"} <= set(fit["out_of_sample"])
        assert all("ci90" in c for c in fit["coefficients"].values())
    import yaml

    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert doc["produced_by"]["command"].startswith("natofutures calibrate reaction")


def test_the_old_calibrate_command_still_runs_bare() -> None:
    res = _run("calibrate", "--help")
    assert res.returncode == 0
    assert "hazard" in res.stdout and "reaction" in res.stdout and "--until" in res.stdout
