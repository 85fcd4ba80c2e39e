"""Every ``natofutures data`` command, its output formats and its error paths."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import natofutures as nf
from natofutures.cli import main
from natofutures.cli._app import app

runner = CliRunner()
COMMANDS = ["countries", "show", "sql", "sources", "check", "build"]


def ok(*args: str) -> str:
    res = runner.invoke(app, ["data", *args], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    return res.stdout


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "natofutures", *args], capture_output=True, text=True, check=False
    )


def test_root_and_data_help_list_every_command_with_an_example() -> None:
    root = runner.invoke(app, ["--help"]).stdout
    assert "data" in root
    data_help = runner.invoke(app, ["data", "--help"]).stdout
    assert "Example:" in data_help
    for cmd in COMMANDS:
        assert cmd in data_help
        sub = runner.invoke(app, ["data", cmd, "--help"], env={"COLUMNS": "200"})
        assert sub.exit_code == 0
        assert "Example: natofutures data" in sub.stdout, cmd


def test_countries_table_and_json() -> None:
    assert "Modelled countries (48)" in ok("countries")
    rows = json.loads(ok("countries", "--json"))
    assert len(rows) == 48
    assert {r["iso3"]: r["nato_accession"] for r in rows}["SWE"] == 2024
    assert {r["iso3"]: r["nato_accession"] for r in rows}["RUS"] is None


def test_show_spending_is_the_main_job() -> None:
    out = ok("show", "spending", "--year", "2024", "--sort", "burden")
    assert "Defence spending 2024" in out
    assert "constant 2015 US$" in out and "constant 2023 US$" in out
    assert "United States" in out and "Taiwan" in out
    assert out.index("Ukraine") < out.index("Poland") < out.index("Luxembourg")


def test_show_spending_json_states_sources_and_sorts() -> None:
    rows = json.loads(ok("show", "spending", "--year", "2024", "--sort", "burden", "--json"))
    burdens = [r["burden"] for r in rows if r["burden"] is not None]
    assert burdens == sorted(burdens, reverse=True)
    twn = next(r for r in rows if r["iso3"] == "TWN")
    assert twn["gdp_usd_source"] == "filled: twn_gdp_sipri_imf"
    assert twn["milex_usd_source"] == "SIPRI"
    prk = next(r for r in rows if r["iso3"] == "PRK")
    assert prk["milex_usd"] is None and prk["milex_usd_source"] == "missing"


def test_show_spending_filters_countries_and_year_ranges() -> None:
    rows = json.loads(
        ok("show", "spending", "--year", "2014-2016", "--country", "usa,deu", "--json")
    )
    assert sorted((r["iso3"], r["year"]) for r in rows) == [
        ("DEU", 2014), ("DEU", 2015), ("DEU", 2016), ("USA", 2014), ("USA", 2015), ("USA", 2016),
    ]  # fmt: skip


@pytest.mark.parametrize("name", nf.data.tables())
def test_show_every_table_as_table_json_and_csv(name: str) -> None:
    assert name in ok("show", name)
    rows = json.loads(ok("show", name, "--json"))
    assert len(rows) == len(nf.data.table(name))
    csv = ok("show", name, "--csv")
    assert csv.splitlines()[0].split(",")[:2] == list(nf.data.table(name).columns[:2])


def test_show_caps_long_tables_on_screen_only() -> None:
    out = ok("show", "panel_flags", "--limit", "5")
    assert "first 5 of 36,480 rows" in out
    assert len(json.loads(ok("show", "panel_flags", "--limit", "5", "--json"))) == 36_480


def test_show_writes_parquet(tmp_path: Path) -> None:
    path = tmp_path / "panel.parquet"
    ok("show", "panel", "--country", "POL", "--parquet", str(path))
    df = pd.read_parquet(path)
    assert set(df["iso3"]) == {"POL"}
    assert len(df) == len(nf.data.panel(countries="POL"))


def test_show_sorts_by_a_column() -> None:
    rows = json.loads(ok("show", "nato_reported", "--year", "2014", "--sort", "burden", "--json"))
    assert [r["iso3"] for r in rows[:3]] == ["USA", "GRC", "GBR"]


def test_sql_table_and_json() -> None:
    q = "SELECT iso3, burden FROM nato_reported WHERE year = 2014 AND burden >= 0.02 ORDER BY iso3"
    assert "GRC" in ok("sql", q)
    assert [r["iso3"] for r in json.loads(ok("sql", q, "--json"))] == ["GBR", "GRC", "USA"]


def test_sql_accepts_db_option(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    ok("sql", "SELECT count(*) AS n FROM countries", "--db", str(db))
    assert db.is_file()


def test_sources_lists_every_table_with_licence_and_url() -> None:
    out = ok("sources")
    for name in nf.data.tables():
        assert name in out
    rows = json.loads(ok("sources", "--json"))
    assert {r["table"] for r in rows} == set(nf.data.tables())
    assert all(r["licence"] for r in rows)
    sipri = [r for r in rows if r["source"] == "sipri_milex"]
    assert sipri and "non-commercial" in sipri[0]["licence"]
    nato = next(r for r in rows if r["table"] == "nato_reported")
    assert "swapped" in nato["transformations"]


def test_check_reports_schemas_and_coverage() -> None:
    out = ok("check", "--since", "1990")
    assert "Schemas" in out and "twn_gdp_sipri_imf" in out and "Missing" in out
    payload = json.loads(ok("check", "--json"))
    assert set(payload["schemas"].values()) == {"ok"}
    statuses = {r["column"]: r for r in payload["status_counts"]}
    assert statuses["gdp_usd"]["filled"] > 0
    assert any(r["rule"] == "pop_loglinear_owid_wpp" for r in payload["filled_by_rule"])


def test_build_command_writes_tables(raw_dir: Path, tmp_path: Path) -> None:
    out = ok("build", "--raw", str(raw_dir), "--out", str(tmp_path))
    assert "panel.csv" in out
    assert (tmp_path / "panel.csv").is_file()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["show", "nope"], "'nope' is not a bundled table"),
        (["show", "spending", "--country", "XXX"], "'XXX' is not a modelled country"),
        (["show", "spending", "--country", ","], "no ISO3 code given"),
        (["show", "spending", "--year", "1800"], "1800 is outside the data"),
        (["show", "spending", "--year", "abc"], "'abc' is not a year"),
        (["show", "spending", "--sort", "height"], "'height' is not allowed"),
        (["show", "borders", "--year", "2020"], "has no year column"),
        (["show", "panel", "--sort", "nope"], "'nope' is not a column"),
        (["show", "panel", "--json", "--csv"], "choose one output format"),
        (["sql", "INSERT INTO panel VALUES (1)"], "INSERT statements are refused"),
        (["sql", "SELECT * FROM read_csv('/etc/passwd')"], "reading files"),
        (["sql", "INSTALL httpfs"], "LOAD statements are refused"),
        (["sql", "ATTACH 'x.duckdb'"], "ATTACH statements are refused"),
        (["sql", "COPY panel TO 'x.csv'"], "COPY statements are refused"),
        (["check", "--country", "ZZZ"], "'ZZZ'"),
        (["build", "--raw", "/nonexistent"], "not a raw data folder"),
    ],
)
def test_bad_input_is_one_line_exit_2_without_traceback(
    args: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["data", *args])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert needle in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_installed_command_exits_2_with_one_line() -> None:
    res = run_cli("data", "show", "spending", "--country", "XXX")
    assert res.returncode == 2
    assert res.stderr.startswith("error: country: 'XXX' is not a modelled country")
    assert len(res.stderr.strip().splitlines()) == 1


def test_debug_shows_the_traceback() -> None:
    res = run_cli("--debug", "data", "show", "nope")
    assert res.returncode != 0
    assert "Traceback" in res.stderr and "InputError" in res.stderr


def _documented_examples() -> list[str]:
    import re

    from natofutures.cli.data import data_app

    texts = [str(data_app.info.help)]
    texts += [str(cmd.callback.__doc__) for cmd in data_app.registered_commands if cmd.callback]
    found = re.findall(r"(natofutures data [^\n\[]+)", "\n".join(texts))
    return sorted({line.strip() for line in found})


def test_every_documented_example_runs(raw_dir: Path, tmp_path: Path) -> None:
    import shlex

    examples = _documented_examples()
    assert len(examples) >= 7
    for example in examples:
        args = shlex.split(example)[2:]  # drop "natofutures data"
        if args[0] == "build":  # never overwrite the package's own files from a test
            args = ["build", "--raw", str(raw_dir), "--out", str(tmp_path)]
        ok(*args)
