"""CLI: ``natofutures report`` (fresh, ``--run ID``), ``compare --report`` and error paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from natofutures.cli import main

SMALL = ("--draws", "20", "--seed", "3", "--smaa-samples", "500",
         "--postures", "business_as_usual,division_of_labor")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    code = info.value.code
    return (0 if code is None else int(code)), out, err


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A stored compare run (its tables in a private runs store)."""
    import natofutures as nf

    store = tmp_path_factory.mktemp("store")
    with pytest.raises(SystemExit) as info:
        main(["compare", *SMALL, "--store", str(store)])
    assert info.value.code in (0, None)
    (rec,) = nf.runs.list(store=store).itertuples()
    return store, str(rec.run_id)


def test_report_from_stored_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, stored: tuple[Path, str]
) -> None:
    import natofutures as nf

    store, run_id = stored
    out = tmp_path / "rep"
    code, stdout, _ = run(capsys, "report", "--run", run_id, "--store", str(store),
                          "--out", str(out), "--sensitivity-n", "3")
    assert code == 0, stdout
    html = (out / "index.html").read_text(encoding="utf-8")
    record = nf.runs.get(run_id, store=store)
    assert record.scenario_hash in html and record.data_version in html
    assert f"stored run {run_id}" in html
    assert "natofutures compare --draws 20 --seed 3" in html
    # the scorecard is the stored table, unchanged
    import pandas as pd

    shown = pd.read_csv(out / "tables" / "forecast.csv").set_index("posture")["probability"]
    kept = record.tables["forecast"].set_index("posture")["probability"]
    assert shown.to_dict() == pytest.approx(kept.to_dict())


def test_report_fresh_and_compare_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "fresh"
    code, _stdout, _ = run(capsys, "report", *SMALL, "--horizon", "2035", "--out", str(out),
                          "--sensitivity-n", "3")
    assert code == 0
    assert "natofutures compare --draws 20 --seed 3" in (out / "index.html").read_text()
    target = tmp_path / "cmp"
    code, _, _ = run(capsys, "compare", *SMALL, "--horizon", "2035", "--no-store",
                     "--report", str(target))
    assert code == 0
    names = {p.name for p in target.iterdir()}
    assert {"index.html", "summary.md", "figures", "tables", "compare.json"} <= names


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--run", "feedbeef00"), "run id: 'feedbeef00'"),
        (("--draws", "-5"), "--draws: -5"),
        (("--run", "feedbeef00", "--draws", "5"), "--run: cannot be combined with --draws"),
        (("--sensitivity-n", "1"), "--sensitivity-n: 1"),
        (("--postures", "nato_9"), "postures: 'nato_9'"),
    ],
)
def test_errors_one_line_exit_2_nothing_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: tuple[str, ...], needle: str
) -> None:
    out = tmp_path / "rep"
    code, _stdout, err = run(capsys, "report", *args, "--store", str(tmp_path / "s"),
                            "--out", str(out))
    assert code == 2
    assert needle in err and len(err.strip().splitlines()) == 1, err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name != "s"] == []


def test_out_is_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    f = tmp_path / "afile"
    f.write_text("x")
    code, _, err = run(capsys, "report", "--draws", "5", "--out", str(f))
    assert code == 2 and "is a file" in err and len(err.strip().splitlines()) == 1
    assert f.read_text() == "x" and sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_stored_run_missing_a_table_is_recomputed(stored: tuple[Path, str]) -> None:
    import natofutures as nf
    from natofutures.report import from_record

    store, run_id = stored
    record = nf.runs.get(run_id, store=store)
    kept = record.tables["forecast"].set_index("posture")["probability"]
    del record.tables["rankings"]
    data = from_record(record)
    assert any("recomputed deterministically" in n and "rankings" in n for n in data.notes)
    assert data.forecast.to_dict() == pytest.approx(kept.to_dict(), abs=1e-12)
    assert data.run["run_id"] == run_id and data.run["scenario_hash"] == record.scenario_hash
