"""Scenario files: validation is complete, all-or-nothing, and every error names the field."""

from __future__ import annotations

from pathlib import Path

import pytest

import natofutures as nf
from natofutures.errors import ScenarioError
from natofutures.scenario import load_scenario, posture, posture_names

FIXTURES = Path(__file__).parent / "fixtures"

# bad fixture -> words the one-line message must contain (the field path and the value)
BAD = {
    "bad_unknown_key.yaml": ["unknown_key", "unknown keys are errors"],
    "bad_posture.yaml": ["posture", "no_such_posture", "business_as_usual"],
    "bad_override_path.yaml": ["overrides.us.resolvee", "parameter name"],
    "bad_override_range.yaml": ["overrides.us.resolve", "1.7", "[0.0, 1.0]"],
    "bad_override_type.yaml": ["overrides.us.resolve", "high"],
    "bad_distribution_kind.yaml": ["uncertainty.capital.depreciation", "gamma"],
    "bad_distribution_order.yaml": ["uncertainty.capital.depreciation", "low"],
    "bad_uncertain_lever.yaml": ["uncertainty.us.guarantee", "lever"],
    "bad_shock_theatre.yaml": ["shocks[0].theatre", "arctic", "europe"],
    "bad_shock_kind.yaml": ["shocks[0]", "meteor", "war"],
    "bad_shock_value.yaml": ["shocks[0].value", "1.5"],
    "bad_shock_extra.yaml": ["shocks[0].extra", "unknown keys"],
    "bad_horizon.yaml": ["horizon", "2200", "2100"],
    "bad_yaml_syntax.yaml": ["file", "bad_yaml_syntax.yaml", "valid YAML"],
    "bad_not_mapping.yaml": ["<scenario>", "mapping"],
    "bad_unsafe_yaml.yaml": ["file", "valid YAML"],
}


def test_every_bad_fixture_is_covered() -> None:
    assert {p.name for p in FIXTURES.glob("bad_*.yaml")} == set(BAD)


@pytest.mark.parametrize(("fixture", "words"), sorted(BAD.items()))
def test_bad_scenario_names_the_field_in_one_line(fixture: str, words: list[str]) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(FIXTURES / fixture)
    msg = str(info.value)
    assert "\n" not in msg
    for word in words:
        assert word in msg, msg


def test_good_scenarios_load_with_everything() -> None:
    sc = load_scenario(FIXTURES / "good_baltic.yaml")
    assert sc.posture == "division_of_labor" and sc.horizon == 2040
    assert sc.overrides["us.resolve"] == pytest.approx(0.6)
    assert len(sc.shocks) == 3 and "projection.decay_km" in sc.uncertainties()
    sc2 = load_scenario(FIXTURES / "good_withdrawal.json")
    assert [s.kind for s in sc2.shocks] == ["us_withdrawal", "spending"]


def test_builtin_postures_and_levers() -> None:
    assert posture_names() == [
        "business_as_usual",
        "democracy_international",
        "division_of_labor",
        "global_vs_china",
    ]
    dol = nf.posture("division_of_labor")
    assert dol.levers["us.guarantee"] == 0.3
    assert all(dol.lever_reasons[k] for k in dol.levers)
    assert posture("business_as_usual").levers["us.guarantee"] == 1.0


def test_overrides_are_all_or_nothing_and_do_not_mutate() -> None:
    sc = nf.posture("division_of_labor")
    with pytest.raises(ScenarioError, match=r"overrides\.us\.resolve"):
        sc.with_overrides({"hazard.steepness.europe": 4.0, "us.resolve": 2.0})
    assert sc.overrides == {}
    sc2 = sc.with_overrides({"us.resolve": 0.4, "power.ppp_multiplier.BLR": 3})
    assert sc2.parameter("us.resolve") == 0.4 and sc.parameter("us.resolve") == 0.8
    assert sc2.hash != sc.hash and sc2.with_overrides({}).hash == sc2.hash


def test_override_removes_uncertainty_of_that_parameter() -> None:
    sc = nf.posture("business_as_usual")
    assert "capital.depreciation" in sc.uncertainties()
    assert (
        "capital.depreciation"
        not in sc.with_overrides({"capital.depreciation": 0.08}).uncertainties()
    )


def test_scenario_hash_is_sha256_of_canonical_json() -> None:
    import hashlib

    sc = nf.posture("global_vs_china")
    assert sc.hash == hashlib.sha256(sc.canonical_json().encode()).hexdigest()
    assert nf.posture("global_vs_china").hash == sc.hash


def test_user_posture_file(tmp_path: Path) -> None:
    pf = tmp_path / "mine.yaml"
    pf.write_text(
        "name: mine\nsummary: test\nlevers:\n  us.guarantee: {value: 0.5, reason: halfway}\n"
    )
    sc = nf.posture(str(pf))
    assert sc.posture == "mine" and sc.levers == {"us.guarantee": 0.5}
    pf.write_text(
        "name: mine\nlevers:\n  hazard.steepness.europe: {value: 3, reason: not a lever}\n"
    )
    with pytest.raises(ScenarioError, match=r"posture\.levers\.hazard\.steepness\.europe"):
        nf.posture(str(pf))


def test_shocks_are_validated_before_use() -> None:
    sc = nf.posture("business_as_usual")
    with pytest.raises(ScenarioError, match=r"shocks\[0\]\.factor"):
        sc.with_shocks([{"kind": "energy_cutoff", "year": 2030, "factor": 2.0}])
    assert len(sc.with_shocks([{"kind": "energy_cutoff", "year": 2030, "factor": 0.5}]).shocks) == 1


def test_builtin_stress_tests_validate_and_run(baseline: object) -> None:
    from natofutures.parameters import PACKAGE_DIR

    files = sorted((PACKAGE_DIR / "scenarios").glob("*.yaml"))
    assert files  # the stress-test owner maintains the list
    for f in files:
        sc = load_scenario(f)
        ds = nf.simulate(sc, baseline=baseline, variables=["war_started", "hazard"])  # type: ignore[arg-type]
        assert ds.attrs["scenario"] == f.stem
