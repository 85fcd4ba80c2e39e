"""Validate once, with helpful errors; the CLI reads well at 80 columns.

``scenario validate`` makes every check ``simulate`` makes; every problem of a file is
listed in one line with a count; unknown names get a "did you mean"; YAML errors give line
and column; ``natofutures parameters`` lists every parameter.
"""

from __future__ import annotations

import json
import re
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console

import natofutures as nf
from natofutures.cli import main
from natofutures.errors import ScenarioError


def cli(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    code: object = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code
    return int(code or 0), out.getvalue(), err.getvalue()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


TOO_MUCH_US = "overrides:\n  us.allocation.europe: 0.65\n"  # 0.65 + 0.40 + 0.15 = 1.2


# --------------------------------------------------------------------------- one validation
def test_us_shares_above_one_are_rejected_by_validate_and_simulate(tmp_path: Path) -> None:
    f = write(tmp_path, "too_much.yaml", TOO_MUCH_US)
    code, _, err = cli("scenario", "validate", str(f))
    assert code == 2 and "us.allocation" in err and "sum 1.2" in err
    code, _, err2 = cli("simulate", str(f), "--no-store")
    assert code == 2 and err2 == err


def test_validate_accepts_posture_files_that_simulate_accepts(tmp_path: Path) -> None:
    levers = "levers:\n  us.guarantee: {value: 0.5, reason: r}\n"
    f = write(tmp_path, "mine.yaml", "name: mine\n" + levers)
    code, out, _ = cli("scenario", "validate", str(f), "--json")
    assert code == 0
    info = json.loads(out)
    assert info["kind"] == "posture" and info["name"] == "mine" and info["levers"] == 1


def test_validate_runs_the_engines_own_checks(tmp_path: Path) -> None:
    # a shock in a country the model does not simulate: only the engine knows its countries
    shock = "  - {kind: spending, year: 2030, country: ATL, factor: 2}\n"
    f = write(tmp_path, "nowhere.yaml", "shocks:\n" + shock)
    code, _, err = cli("scenario", "validate", str(f))
    assert code == 2 and "shocks[0].country" in err and "'ATL'" in err


def test_every_problem_is_listed_with_a_count(tmp_path: Path) -> None:
    f = write(tmp_path, "two.yaml", "overrides:\n  us.resolve: 1.7\n  us.guarantee: -1\n")
    with pytest.raises(ScenarioError) as info:
        nf.load_scenario(f)
    msg = str(info.value)
    assert "\n" not in msg and "(and 1 more:" in msg
    assert "overrides.us.resolve: value 1.7" in msg and "overrides.us.guarantee: value -1" in msg


def test_structure_and_value_problems_are_reported_together(tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "mixed.yaml",
        "posture: divison_of_labor\noverrides:\n  hazard.steepnes: 2\n"
        "shocks:\n  - {kind: warr, year: 2030, theatre: europe}\n",
    )
    with pytest.raises(ScenarioError) as info:
        nf.load_scenario(f)
    msg = str(info.value)
    assert "(and 2 more:" in msg
    assert "shocks[0].kind: value 'warr' not allowed (did you mean 'war'?)" in msg
    assert "(did you mean 'division_of_labor'?)" in msg
    assert "or 'hazard.steepness.europe'?)" in msg


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("overrides:\n  us.resolv: 0.4\n", "did you mean 'us.resolve'"),
        ("posture: busines_as_usual\n", "did you mean 'business_as_usual'"),
        ("overides:\n  us.resolve: 0.4\n", "did you mean 'overrides'"),
        ("uncertainty:\n  capital.depreciaton: {dist: normal, mean: 0.07, sd: 0.01}\n",
         "did you mean 'capital.depreciation'"),
        ("shocks:\n  - {kind: war, year: 2030, theater: europe}\n", "did you mean 'theatre'"),
    ],
)
def test_unknown_names_get_a_did_you_mean(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ScenarioError, match=re.escape(expected)):
        nf.load_scenario(write(tmp_path, "typo.yaml", text))


def test_a_misspelt_lever_in_a_posture_file_gets_a_did_you_mean(tmp_path: Path) -> None:
    f = write(tmp_path, "p.yaml", "name: p\nlevers:\n  us.guarante: {value: 0.5, reason: r}\n")
    with pytest.raises(ScenarioError, match=re.escape("did you mean 'us.guarantee'")):
        nf.posture(str(f))


def test_a_wrong_type_names_the_field_without_internal_suffixes(tmp_path: Path) -> None:
    f = write(tmp_path, "t.yaml", "overrides:\n  us.resolve: high\n")
    with pytest.raises(ScenarioError) as info:
        nf.load_scenario(f)
    msg = str(info.value)
    assert msg.startswith("overrides.us.resolve: value 'high' not allowed; expected a number")
    assert ".float" not in msg and "dict[" not in msg


def test_yaml_errors_give_line_and_column(tmp_path: Path) -> None:
    f = write(tmp_path, "bad.yaml", "name: x\noverrides:\n  us.resolve: [1\n  b: 2\n")
    with pytest.raises(ScenarioError, match=r"line 4, column \d+"):
        nf.load_scenario(f)
    j = write(tmp_path, "bad.json", '{"name": "x",\n "overrides": {,}}')
    with pytest.raises(ScenarioError, match=r"line 2, column \d+"):
        nf.load_scenario(j)


# --------------------------------------------------------------------------- parameters
def test_parameters_lists_every_parameter_with_its_source() -> None:
    from natofutures.scenario import parameter_table

    code, out, _ = cli("parameters", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["name"] for r in rows] == list(parameter_table())
    keys = {"value", "unit", "bounds", "distribution", "source", "judgement", "lever"}
    assert all(keys <= set(r) for r in rows)
    dep = next(r for r in rows if r["name"] == "capital.depreciation")
    assert dep["distribution"]["dist"] == "triangular" and dep["source"]


def test_parameters_search_and_levers() -> None:
    code, out, _ = cli("parameters", "--search", "RESOLVE", "--json")
    assert code == 0 and "us.resolve" in [r["name"] for r in json.loads(out)]
    code, out, _ = cli("parameters", "--levers", "--json")
    assert code == 0 and all(r["lever"] for r in json.loads(out))
    code, _, err = cli("parameters", "--search", "zzzz_nothing")
    assert code == 2 and "--search: value 'zzzz_nothing' not allowed" in err


# --------------------------------------------------------------------------- simulate options
def test_simulate_years_outside_the_run_are_refused() -> None:
    code, _, err = cli("simulate", "--years", "2020", "--no-store")
    assert code == 2 and "--years: value '2020' not allowed" in err and "2045" in err
    code, _, err = cli("simulate", "--years", "soon", "--no-store")
    assert code == 2 and "--years: value 'soon' not allowed" in err


def test_simulate_file_and_posture_together_are_refused() -> None:
    code, _, err = cli("simulate", "division_of_labor", "-p", "business_as_usual", "--no-store")
    assert code == 2 and "--posture" in err and "expected one of them" in err


def test_simulate_years_picks_the_columns(tmp_path: Path) -> None:
    code, out, _ = cli(
        "simulate", "division_of_labor", "--years", "2031-2033", "--json", "--no-store"
    )
    assert code == 0
    assert [m["year"] for m in json.loads(out)["milestones"]] == [2031, 2032, 2033]


# --------------------------------------------------------------------------- narrow terminals
def test_flags_show_no_bool_placeholder() -> None:
    code, out, _ = cli("simulate", "--help")
    assert code == 0 and "--json" in out and "<bool>" not in out


def test_tables_wrap_between_words_only_at_80_columns() -> None:
    from natofutures.cli._app import simple_table

    names = ["business_as_usual", "democracy_international", "global_vs_china",
             "division_of_labor", "europe_credibility_of_us"]
    tbl = simple_table(
        "t", ["indicator", *names], [["europe_credibility", *["0.55 [0.54–0.58]"] * 5]]
    )
    console = Console(width=80, record=True)
    console.print(tbl)
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    for word in (*names, "europe_credibility", "[0.54–0.58]"):
        assert word in text, word  # every word whole (a fold would cut it across lines)


def test_runs_show_names_sideways_rows_by_posture() -> None:
    import pandas as pd

    from natofutures.cli.runs import _readable

    wide = pd.DataFrame(
        {"perspective": ["restrainer", "restrainer"], "posture": ["bau", "dol"],
         **{f"c{k}": [0.1, 0.2] for k in range(8)}}
    )
    side = _readable(wide)
    assert list(side.columns) == ["field", "bau", "dol"]
    both = wide.assign(perspective=["restrainer", "atlanticist"], posture=["bau", "bau"])
    assert list(_readable(both).columns) == ["field", "bau · restrainer", "bau · atlanticist"]
    assert not any(str(c).startswith("row ") for c in _readable(both).columns)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("stress", "-s", "baltic_incursio"), "did you mean 'baltic_incursion'"),
        (("compare", "--postures", "business_as_usual,divison_of_labor"),
         "did you mean 'division_of_labor'"),
        (("simulate", "-p", "global_vs_chnia", "--no-store"), "did you mean 'global_vs_china'"),
    ],
)
def test_misspelt_names_on_the_command_line_get_a_did_you_mean(
    args: tuple[str, ...], expected: str
) -> None:
    code, _, err = cli(*args)
    assert code == 2 and expected in err and err.count("\n") == 1


def test_an_equipment_share_of_zero_is_refused_before_the_engine_divides_by_it() -> None:
    from natofutures.errors import InputError

    with pytest.raises(InputError, match=r"capital\.equipment_share\.default.*\[0\.01, 1\.0\]"):
        nf.posture("business_as_usual").with_overrides({"capital.equipment_share.default": 0.0})
