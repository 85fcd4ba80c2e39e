"""CLI: compare, forecast and sensitivity — output, JSON, report files and error paths."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from natofutures.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    code = info.value.code
    return (0 if code is None else int(code)), out, err


SMALL = ("--draws", "20", "--seed", "3", "--horizon", "2035", "--smaa-samples", "500")


def test_compare_full_prints_scorecard_rankings_forecast_attribution_and_footer(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "compare", *SMALL, "--full")
    assert code == 0
    for text in ("Verdicts", "Scorecard", "europe risk", "Rankings", "TOPSIS",
                 "Adoption forecast", "Where each difference", "set by posture",
                 "Swing weights", "(50.0 → 0 % over horizon)",
                 "restrainer:", "seed=3", "draws=20", "scenarios:"):
        assert text in out
    assert out.index("Verdicts") < out.index("Scorecard")


def test_compare_default_opens_with_the_verdicts_on_one_80_column_screen(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from natofutures.analysis.perspectives import available
    from natofutures.scenario import posture_names

    code, out, _ = run(capsys, "compare", *SMALL)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Verdicts")
    assert "Scorecard:" not in out and "--full" in out
    body = out[: out.index("\nrun ")].splitlines()
    assert len(body) <= 24, "the verdicts fit on one screen"
    assert all(len(line) <= 80 for line in lines)
    for name in available():  # every perspective's verdict, its name never broken
        assert f"{name}: " in out
    winners = [line.split(": ", 1)[1].split(",")[0] for line in body
               if line.split(":")[0] in available()]
    assert set(winners) <= set(posture_names())
    assert "Forecast" in out


def test_compare_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "compare", *SMALL, "--postures", "business_as_usual,division_of_labor",
        "--perspective", "restrainer", "--json",
    )
    assert code == 0
    d = json.loads(out)
    assert d["postures"] == ["business_as_usual", "division_of_labor"]
    assert set(d["rankings"]) == {"restrainer"}
    assert set(d["forecast"]) == set(d["postures"])


def test_compare_report_dir(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "out"
    code, _, _ = run(
        capsys, "compare", *SMALL, "--postures", "business_as_usual,division_of_labor",
        "--report", str(target),
    )
    assert code == 0
    assert {p.name for p in target.iterdir()} >= {
        "compare.json", "scorecard.csv", "rankings.csv", "forecast.csv",
        "index.html", "summary.md", "figures", "tables",
    }
    html = (target / "index.html").read_text(encoding="utf-8")
    for text in ("cannot tell apart", "Where each difference from business as usual",
                 "set by posture", "Value scales", "never weighted"):
        assert text in html
    saved = json.loads((target / "compare.json").read_text(encoding="utf-8"))
    assert {"attribution", "value_scales", "assumptions", "decisiveness"} <= set(saved)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--postures", "business_as_usual,nato_9"), "postures: 'nato_9'"),
        (("--perspective", "pacifist"), "perspective: 'pacifist'"),
        (("--weights", "bliss=2"), "criterion 'bliss' is not allowed"),
            (("--weights", "feasibility=1"), "criterion 'feasibility' is not allowed"),
        (("--weights", "europe_risk"), "criterion=weight"),
        (("--weights", "europe_risk=x"), "'x'"),
        (("--weights", "europe_risk=0,us_cost=0"), "sum to 0"),
        (("--draws", "-5"), "draws: -5"),
    ],
)
def test_compare_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], needle: str
) -> None:
    code, out, err = run(capsys, "compare", "--draws", "0", *args)
    assert code == 2
    assert needle in err
    assert err.strip().startswith("error:")
    assert "Traceback" not in err + out


def test_forecast_table_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "forecast", "--draws", "10", "--horizon", "2035")
    assert code == 0
    assert "US Congress" in out and "Türkiye" in out and "Adoption forecast" in out
    code, out, _ = run(capsys, "forecast", "--draws", "10", "--horizon", "2035", "--json")
    d = json.loads(out)
    assert sum(d["forecast"].values()) == pytest.approx(1.0)


def test_sensitivity_morris_with_plots(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(
        capsys, "sensitivity", "--method", "morris", "--n", "2", "--horizon", "2030",
        "--postures", "business_as_usual,division_of_labor", "--plot", str(tmp_path),
    )
    assert code == 0
    assert "hazard.h0.europe" in out
    assert (tmp_path / "sensitivity.png").stat().st_size > 0
    html = (tmp_path / "sensitivity.html").read_text()
    # offline: plotly.js is embedded (megabytes), never loaded from a CDN
    assert len(html) > 1_000_000 and '<script src="http' not in html


def test_sensitivity_json_for_ranking(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "sensitivity", "--n", "4", "--horizon", "2030", "--output", "rank:atlanticist",
        "--postures", "business_as_usual,division_of_labor", "--json",
    )
    assert code == 0
    d = json.loads(out)
    assert d["output"] == "rank:atlanticist" and d["method"] == "sobol"
    assert set(d["indices"]) == {"business_as_usual", "division_of_labor"}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--method", "fast"), "--method: 'fast'"),
        (("--output", "happiness"), "--output: 'happiness'"),
        (("--output", "rank:nobody"), "perspective: 'nobody'"),
        (("--n", "1"), "--n: 1"),
    ],
)
def test_sensitivity_bad_input(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], needle: str
) -> None:
    code, _, err = run(capsys, "sensitivity", *args)
    assert code == 2
    assert needle in err


def test_the_installed_command_exits_2_on_a_bad_posture() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "natofutures", "compare", "--postures", "nope,business_as_usual"],
        capture_output=True, text=True, check=False,
    )
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and "nope" in res.stderr


def test_compare_is_recorded_in_the_runs_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import natofutures as nf

    store = tmp_path / "store"
    code, out, _ = run(
        capsys, "compare", *SMALL, "--postures", "business_as_usual,division_of_labor",
        "--store", str(store),
    )
    assert code == 0
    runs = nf.runs.list(store=store)
    assert len(runs) == 1 and runs.iloc[0]["kind"] == "compare"
    rec = nf.runs.get(str(runs.iloc[0]["run_id"]), store=store)
    assert set(rec.tables) == {"scorecard", "rankings", "forecast"}
    assert "--seed 3" in rec.command and f"stored as run {rec.run_id}" in out
    code, _, _ = run(capsys, "compare", *SMALL, "--no-store", "--store", str(tmp_path / "x"))
    assert code == 0 and not (tmp_path / "x").exists()
