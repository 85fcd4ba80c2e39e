"""CLI: ``burden``, ``burden ally ISO3`` and ``pledge``; JSON, charts and error paths."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from natofutures.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out, err = capsys.readouterr()
    code = exc.value.code
    return (0 if code is None else int(code)), out, err


def test_burden_prints_both_tables(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "burden", "--from", "2014", "--to", "2024")
    assert code == 0
    assert "Burden sharing 2014-2024" in out
    assert "Olson–Zeckhauser" in out
    assert "22/31" in out  # NATO-reported: 22 of the 31 allies with a figure in 2024
    assert "SIPRI" in out and "NATO-reported" in out


def test_burden_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "burden", "--from", "2019", "--to", "2024", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["from"] == 2019 and payload["to"] == 2024
    rows = {r["year"]: r for r in payload["rows"]}
    assert rows[2020]["members"] == 30 and rows[2024]["members"] == 32
    assert rows[2019]["allies_2pct_nato"] is None  # no NATO table bundled: null, not 0
    assert rows[2024]["allies_2pct_nato"] == 22
    assert rows[2024]["us_share"] > 0.5
    assert set(payload["series"]) >= {"sipri", "nato"}


def test_burden_ally(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "burden", "ally", "pol", "--from", "2020")
    assert code == 0
    assert "Poland (POL), NATO member since 1999" in out
    assert "Latest NATO-reported figure: 4.07% in 2024" in out
    assert "0.57 pp at or above hague_2025" in out


def test_burden_ally_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "burden", "ally", "SWE", "--from", "2022", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["iso3"] == "SWE" and payload["accession"] == 2024
    members = {r["year"]: r["member"] for r in payload["rows"]}
    assert members == {2022: False, 2023: False, 2024: True}
    assert payload["pledges"] == {"wales_2014": 0.02, "hague_2025": 0.035}


def test_pledge_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "pledge")
    assert code == 0
    assert "hague_2025: 3.5% of GDP core defence spending by 2035" in out
    assert "1 of 32 allies at or above 3.5% in 2024 (NATO-reported)" in out
    assert "IMF WEO Oct 2025" in out


def test_pledge_json_with_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "pledge", "--year", "2030", "--gdp-growth", "0.01", "--trend-years", "3", "--json"
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["due"] == 2030 and payload["gdp_growth"] == 0.01
    esp = next(r for r in payload["rows"] if r["iso3"] == "ESP")
    assert esp["years_left"] == 6
    assert esp["required_growth"] == pytest.approx(1.01 * (0.035 / esp["burden"]) ** (1 / 6) - 1)
    isl = next(r for r in payload["rows"] if r["iso3"] == "ISL")
    assert isl["burden"] is None and isl["on_track"] is None


def test_plots_are_written_and_work_offline(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "charts"
    code, out, _ = run(
        capsys, "burden", "--from", "2000", "--plot", str(folder), "--allies", "usa,deu,pol"
    )
    assert code == 0
    assert "charts written" in out
    names = ("burden_over_time", "allies_at_2pct", "exploitation_rho", "pledge_gaps")
    remote_script = re.compile(r"<script[^>]*\bsrc=[\"']?(https?:)?//", re.IGNORECASE)
    for name in names:
        html = (folder / f"{name}.html").read_text(encoding="utf-8")
        assert "Plotly.newPlot" in html
        assert not remote_script.search(html)
        png = (folder / f"{name}.png").read_bytes()
        assert png.startswith(b"\x89PNG") and len(png) > 1000


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("burden", "--from", "2020", "--to", "2010"), ["from", "2020", "not after"]),
        (("burden", "--from", "1800"), ["from", "1800", "a year in 1949-"]),
        (("burden", "--to", "2099"), ["to", "2099"]),
        (("burden", "--allies", "USA,XXX"), ["iso3", "'XXX'", "NATO ally"]),
        (("burden", "ally", "XXX"), ["iso3", "'XXX'", "NATO ally"]),
        (("burden", "ally", "UKR"), ["iso3", "'UKR'"]),
        (("burden", "ally", "DEU", "--from", "2030"), ["from", "2030"]),
        (("pledge", "--year", "2020"), ["year", "2020", "due year"]),
        (("pledge", "--pledge", "prague"), ["pledge", "'prague'", "hague_2025"]),
        (("pledge", "--gdp-growth", "2"), ["gdp_growth", "2.0"]),
        (("pledge", "--base-year", "2019"), ["base_year", "2019"]),
        (("pledge", "--trend-years", "0"), ["trend_years", "0"]),
    ],
)
def test_errors_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], words: list[str]
) -> None:
    code, _out, err = run(capsys, *args)
    assert code == 2
    line = err.strip()
    assert line.startswith("error:") and "\n" not in line
    assert "Traceback" not in err
    for w in words:
        assert w in line


def test_plot_into_a_file_is_an_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "not_a_folder"
    target.write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "burden", "--plot", str(target))
    assert code == 2
    assert "plot:" in err and "is a file" in err
    assert target.read_text(encoding="utf-8") == "x"  # nothing written


def test_help_shows_examples(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "burden", "--help")
    assert code == 0
    assert "Example: natofutures burden" in out and "ally" in out


def test_entry_point_in_a_subprocess() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "natofutures", "burden", "ally", "XXX"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 2
    assert res.stderr.startswith("error: iso3: 'XXX'")


def test_burden_without_options_covers_1990_to_latest(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "burden", "--json")
    assert code == 0
    years = [r["year"] for r in json.loads(out)["rows"]]
    assert years[0] == 1990 and years == list(range(1990, years[-1] + 1))
