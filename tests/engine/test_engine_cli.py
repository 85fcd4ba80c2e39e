"""CLI commands of the engine, in-process: output, JSON, files, and one-line errors with exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import xarray as xr

from natofutures.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_postures_lists_the_four_futures(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "postures", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["name"] for r in rows] == [
        "business_as_usual",
        "democracy_international",
        "division_of_labor",
        "global_vs_china",
    ]
    assert all(r["summary"] for r in rows)
    code, out, _ = run(capsys, "postures")
    assert code == 0 and "division_of_labor" in out


def test_posture_show_prints_every_lever_with_unit_and_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "posture", "show", "division_of_labor", "--json")
    assert code == 0
    levers = {r["lever"]: r for r in json.loads(out)["levers"]}
    assert (
        levers["us.guarantee"]["value"] == 0.3 and "last resort" in levers["us.guarantee"]["reason"]
    )
    assert all(r["unit"] and r["reason"] for r in levers.values())
    code, out, _ = run(capsys, "posture", "show", "business_as_usual")
    assert code == 0 and "us.guarantee" in out


def test_posture_diff_prints_only_what_differs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "posture", "diff", "business_as_usual", "division_of_labor", "--json"
    )
    assert code == 0
    diff = {d["lever"] for d in json.loads(out)}
    assert "us.guarantee" in diff and "europe.indo_pacific_share" not in diff
    code, out, _ = run(capsys, "posture", "diff", "global_vs_china", "global_vs_china")
    assert code == 0 and "alike" in out


def test_simulate_deterministic_summary_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "simulate", "--posture", "division_of_labor")
    assert code == 0 and "europe_burden" in out and "deterministic" in out
    code, out, _ = run(
        capsys,
        "simulate",
        "-p",
        "division_of_labor",
        "--horizon",
        "2035",
        "--set",
        "us.resolve=0.4",
        "--json",
    )
    payload = json.loads(out)
    assert payload["posture"] == "division_of_labor" and payload["horizon"] == 2035
    assert [m["year"] for m in payload["milestones"]] == [2024, 2030, 2035]


def test_simulate_monte_carlo_writes_netcdf_and_parquet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nc = tmp_path / "run.nc"
    code, _, _ = run(
        capsys,
        "simulate",
        "--posture",
        "global_vs_china",
        "--draws",
        "20",
        "--seed",
        "3",
        "--horizon",
        "2030",
        "--out",
        str(nc),
    )
    assert code == 0 and nc.is_file()
    ds = xr.open_dataset(nc)
    assert ds.sizes["draw"] == 20 and ds.attrs["seed"] == 3
    ds.close()
    pq = tmp_path / "run.parquet"
    code, _, _ = run(capsys, "simulate", "--horizon", "2026", "--out", str(pq))
    import pandas as pd

    df = pd.read_parquet(pq)
    assert code == 0 and {"variable", "year", "value", "units"} <= set(df.columns)


def test_simulate_accepts_scenario_and_posture_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "simulate", "--posture", str(FIXTURES / "good_baltic.yaml"), "--json"
    )
    assert code == 0 and json.loads(out)["horizon"] == 2040
    pf = tmp_path / "mine.yaml"
    pf.write_text("name: mine\nlevers:\n  us.guarantee: {value: 0.5, reason: test}\n")
    code, out, _ = run(capsys, "simulate", "--posture", str(pf), "--json")
    assert code == 0 and json.loads(out)["posture"] == "mine"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["simulate", "--draws", "-5"], "--draws"),
        (["simulate", "--posture", "no_such_posture"], "posture"),
        (["simulate", "--set", "us.unknown=1"], "overrides.us.unknown"),
        (["simulate", "--set", "us.resolve=abc"], "--set us.resolve"),
        (["simulate", "--set", "noequals"], "--set"),
        (["simulate", "--horizon", "2200"], "horizon"),
        (["simulate", "--horizon", "2020"], "horizon"),
        (["threat", "--country", "DEU,XXX"], "country"),
        (["posture", "show", "no_such_posture"], "posture"),
        (["posture", "diff", "business_as_usual", "nope"], "posture"),
        (["threat", "--year", "1900"], "year"),
        (
            ["scenario", "validate", "tests/engine/fixtures/bad_override_range.yaml"],
            "overrides.us.resolve",
        ),
        (["scenario", "validate", "does_not_exist.yaml"], "file"),
    ],
)
def test_user_errors_are_one_line_exit_2_and_write_nothing(
    args: list[str], field: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.nc"
    extra = ["--out", str(target)] if args[0] == "simulate" else []
    code, _, err = run(capsys, *args, *extra)
    assert code == 2
    assert field in err and len(err.strip().splitlines()) == 1, err
    assert not target.exists() and not list(tmp_path.iterdir())


def test_simulate_rejects_unknown_output_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "simulate", "--out", str(tmp_path / "x.csv"))
    assert code == 2 and "--out" in err and not list(tmp_path.iterdir())


def test_threat_shows_the_four_components(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "threat", "--country", "DEU,POL", "--year", "2030", "--json")
    assert code == 0
    rows = json.loads(out)
    assert {r["adversary"] for r in rows} == {"RUS", "CHN"}
    for r in rows:
        assert r["threat"] == pytest.approx(
            r["power"] * r["proximity"] * r["offensive"] * r["intentions"], rel=1e-4
        )
    code, out, _ = run(capsys, "threat")
    assert code == 0 and "proximity" in out and "EST" in out


def test_scenario_validate_accepts_good_files(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scenario", "validate", str(FIXTURES / "good_baltic.yaml"))
    assert code == 0 and "valid" in out
    code, out, _ = run(
        capsys, "scenario", "validate", str(FIXTURES / "good_withdrawal.json"), "--json"
    )
    assert code == 0 and json.loads(out)["shocks"] == 2
