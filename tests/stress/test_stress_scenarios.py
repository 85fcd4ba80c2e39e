"""Built-in stress scenarios: each validates, runs under every posture and reports tidily."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from natofutures.analysis.stress import (
    StressResult,
    list_scenarios,
    load_stress_scenario,
    scenario_names,
    stress,
)
from natofutures.errors import InputError, ScenarioError
from natofutures.parameters import PACKAGE_DIR
from natofutures.scenario import load_scenario

BUILT_IN = [
    "baltic_incursion",
    "energy_cutoff",
    "russia_rearms_us_exit",
    "russia_reconstitutes",
    "simultaneous",
    "taiwan_contingency",
    "us_abrupt_exit",
]
POSTURES = ["business_as_usual", "democracy_international", "global_vs_china", "division_of_labor"]


def test_the_seven_built_in_scenarios_are_bundled() -> None:
    assert scenario_names() == BUILT_IN


@pytest.mark.parametrize("name", BUILT_IN)
def test_each_built_in_scenario_is_an_ordinary_valid_scenario_file(name: str) -> None:
    path = PACKAGE_DIR / "scenarios" / f"{name}.yaml"
    sc = load_scenario(path)  # the engine's own schema and validation
    assert sc.name == name and sc.shocks
    info = load_stress_scenario(name)
    assert 2025 <= info.start_year <= 2030
    assert len(info.description) > 200  # a paragraph on what it represents


@pytest.mark.parametrize("name", BUILT_IN)
def test_each_built_in_scenario_runs_under_every_posture(name: str) -> None:
    res = stress(name, postures=POSTURES, draws=8, seed=3)
    assert isinstance(res, StressResult)
    assert list(res.summary["posture"]) == POSTURES
    for col in (
        "p_deterrence_fails_europe",
        "p_holds_if_fails_europe",
        "p_deterrence_fails_indo_pacific",
        "p_holds_if_fails_indo_pacific",
        "reengaged_share",
        "europe_burden_response_pp",
    ):
        assert res.summary[col].notna().all(), col
    probs = res.summary[["p_deterrence_fails_europe", "p_holds_if_fails_europe", "reengaged_share"]]
    assert ((probs >= 0) & (probs <= 1)).all().all()
    assert set(res.balances["phase"]) == {"before", "during", "after"}
    assert len(res.balances) == len(POSTURES) * 2 * 3
    d = res.to_dict()
    assert d["scenario"] == name and len(d["summary"]) == len(POSTURES)


def test_wars_are_forced_in_the_stated_theatre_and_year() -> None:
    res = stress("simultaneous", postures=["business_as_usual"], draws=10, seed=1)
    ds = res.datasets["business_as_usual"]
    assert res.war_years == {"indo_pacific": 2027, "europe": 2028}
    assert bool(ds.war_started.sel(theatre="indo_pacific", year=2027).all())
    assert bool(ds.war_started.sel(theatre="europe", year=2028).all())


def test_abrupt_exit_removes_us_power_from_europe_and_lowers_the_balance() -> None:
    res = stress("us_abrupt_exit", postures=["business_as_usual"], draws=0)
    row = res.summary.iloc[0]
    assert row["us_power_europe_before"] > 0 and row["us_power_europe_during"] == 0
    bal = res.balances.set_index(["theatre", "phase"])["median"]
    assert bal["europe", "during"] < bal["europe", "before"]
    # Europe answers the loss of protection by spending more than without the shock
    assert row["europe_burden_response_pp"] > 0


def test_russian_reconstitution_lowers_the_european_balance_against_no_shock() -> None:
    res = stress("russia_reconstitutes", postures=["business_as_usual"], draws=0)
    ds = res.datasets["business_as_usual"]
    import natofutures as nf

    base = nf.simulate(nf.posture("business_as_usual"), draws=0, variables=["balance"])
    y = 2030
    assert float(ds.balance.sel(theatre="europe", year=y).item()) < float(
        base.balance.sel(theatre="europe", year=y).item()
    )


def test_stress_is_deterministic_under_a_seed() -> None:
    a = stress("baltic_incursion", postures=["division_of_labor"], draws=6, seed=11)
    b = stress("baltic_incursion", postures=["division_of_labor"], draws=6, seed=11)
    assert a.summary.equals(b.summary) and a.balances.equals(b.balances)


def test_list_scenarios_is_tidy() -> None:
    df = list_scenarios()
    assert list(df["name"]) == BUILT_IN
    assert {"start_year", "shocks", "description", "file"} <= set(df.columns)


def test_a_copied_and_edited_scenario_file_runs(tmp_path: Path) -> None:
    src = PACKAGE_DIR / "scenarios" / "baltic_incursion.yaml"
    dst = tmp_path / "my_crisis.yaml"
    shutil.copy(src, dst)
    data = yaml.safe_load(dst.read_text())
    data["name"] = "my_crisis"
    data["shocks"][-1]["year"] = 2030
    dst.write_text(yaml.safe_dump(data))
    res = stress(dst, postures=["business_as_usual"], draws=0)
    assert res.scenario == "my_crisis" and res.war_years == {"europe": 2030}


def test_plots_are_written(tmp_path: Path) -> None:
    from natofutures.analysis.stress import write_plots

    res = stress("taiwan_contingency", postures=["business_as_usual"], draws=4)
    files = write_plots(res, tmp_path / "charts")
    assert [f.suffix for f in files] == [".png", ".html"]
    assert all(f.stat().st_size > 1000 for f in files)


# --------------------------------------------------------------------------- errors
def test_unknown_scenario_names_the_built_ins() -> None:
    with pytest.raises(InputError) as err:
        stress("martian_invasion", draws=0)
    msg = str(err.value)
    assert "scenario" in msg and "'martian_invasion'" in msg and "baltic_incursion" in msg


def test_unknown_posture_names_the_allowed_ones() -> None:
    with pytest.raises(ScenarioError) as err:
        stress("baltic_incursion", postures=["splendid_isolation"], draws=0)
    assert "'splendid_isolation'" in str(err.value) and "division_of_labor" in str(err.value)


@pytest.mark.parametrize("draws", [-1, 2.5, True])
def test_bad_draws_are_rejected(draws: object) -> None:
    with pytest.raises(InputError) as err:
        stress("baltic_incursion", postures=["business_as_usual"], draws=draws)  # type: ignore[arg-type]
    assert str(err.value).startswith("draws:")


def test_an_invalid_scenario_file_is_rejected_with_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nshocks:\n  - {kind: war, year: 2027, theatre: mars}\n")
    with pytest.raises(ScenarioError) as err:
        stress(bad, draws=0)
    assert "shocks[0].theatre" in str(err.value) and "'mars'" in str(err.value)


def test_a_scenario_without_shocks_is_not_a_stress_test(tmp_path: Path) -> None:
    calm = tmp_path / "calm.yaml"
    calm.write_text("name: calm\nposture: business_as_usual\n")
    with pytest.raises(InputError) as err:
        stress(calm, draws=0)
    assert "shocks" in str(err.value)


def test_hold_probability_is_read_in_the_war_year() -> None:
    res = stress("baltic_incursion", postures=["business_as_usual"], draws=5, seed=2)
    ds = res.datasets["business_as_usual"]
    expected = float(np.mean(ds.hold_probability.sel(theatre="europe", year=2027).to_numpy()))
    assert res.summary.loc[0, "p_holds_if_fails_europe"] == pytest.approx(expected)


def test_stress_and_campaign_are_public_and_lazy() -> None:
    import natofutures as nf

    assert "stress" in nf.__all__ and "campaign" in nf.__all__
    assert nf.stress is stress
    from natofutures.analysis.campaign import campaign

    assert nf.campaign is campaign


def test_the_documented_example_scenario_runs(tmp_path: Path) -> None:
    """The YAML example in docs/stress.md ("Writing your own stress scenario") is valid."""
    doc = Path(__file__).resolve().parents[2] / "docs" / "stress.md"
    text = doc.read_text(encoding="utf-8")
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.yaml"
    path.write_text(block)
    res = stress(path, postures=["division_of_labor"], draws=0)
    assert res.scenario == "baltic_2030_late_trigger" and res.war_years == {"europe": 2030}


def test_a_european_war_reports_the_short_war_from_the_campaign_module() -> None:
    res = stress("baltic_incursion", postures=["business_as_usual", "division_of_labor"], draws=0)
    s = res.summary.set_index("posture")
    assert s.loc["division_of_labor", "campaign_first_objective"] == "tallinn"
    # fewer US forces in Europe by 2027 under the division of labour: the war is shorter (under
    # business as usual, whose US budget now answers its Asian commitment, no capital may fall)
    bau = s.loc["business_as_usual", "campaign_hours_to_first"]
    assert pd.isna(bau) or s.loc["division_of_labor", "campaign_hours_to_first"] < bau
    from natofutures.analysis.campaign import campaign

    direct = campaign(
        "europe", load_stress_scenario("baltic_incursion").scenario("division_of_labor"), year=2027
    )
    assert s.loc["division_of_labor", "campaign_hours_to_first"] == pytest.approx(
        direct.hours_to_first
    )
    other = stress("taiwan_contingency", postures=["business_as_usual"], draws=0).summary
    assert other.loc[0, "campaign_hours_to_first"] is None
