"""The public Python API is small and pinned; a user's own postures work wherever a name does."""

from __future__ import annotations

from pathlib import Path

import pytest

import natofutures as nf
from natofutures.errors import InputError, ScenarioError

PUBLIC = [
    "DataError",
    "InputError",
    "NatoFuturesError",
    "Scenario",
    "ScenarioError",
    "__version__",
    "campaign",
    "compare",
    "data",
    "history",
    "load_scenario",
    "posture",
    "postures",
    "report",
    "runs",
    "simulate",
    "stress",
    "threat_decomposition",
]


def test_all_is_pinned_and_dir_shows_only_it() -> None:
    assert nf.__all__ == PUBLIC
    assert dir(nf) == sorted(PUBLIC)
    for hidden in ("Any", "TYPE_CHECKING", "importlib", "annotations"):
        assert hidden not in dir(nf)


def test_every_public_name_resolves() -> None:
    for name in PUBLIC:
        assert getattr(nf, name) is not None, name


def test_postures_lists_the_built_in_postures() -> None:
    assert nf.postures() == [
        "business_as_usual",
        "democracy_international",
        "division_of_labor",
        "global_vs_china",
    ]
    assert all(nf.posture(n).posture == n for n in nf.postures())


def test_with_overrides_renames_a_variant() -> None:
    dol = nf.posture("division_of_labor")
    firm = dol.with_overrides({"us.resolve": 0.9}, name="dol_firm")
    assert firm.name == "dol_firm" and firm.posture == "division_of_labor"
    assert firm.overrides == {"us.resolve": 0.9} and dol.name == "division_of_labor"
    renamed = dol.with_overrides(name="same_levers")
    assert renamed.name == "same_levers" and renamed.overrides == {}
    with pytest.raises(ScenarioError, match="name: value '' not allowed"):
        dol.with_overrides(name="")


def test_compare_takes_a_renamed_variant_next_to_its_posture() -> None:
    from natofutures.analysis.compare import resolve_postures

    dol = nf.posture("division_of_labor")
    with pytest.raises(InputError, match="given twice"):
        resolve_postures(["division_of_labor", dol.with_overrides({"us.resolve": 0.9})])
    names = [
        s.name
        for s in resolve_postures(
            ["division_of_labor", dol.with_overrides({"us.resolve": 0.9}, name="dol_firm")]
        )
    ]
    assert names == ["division_of_labor", "dol_firm"]


def test_with_overrides_rejects_us_shares_above_one() -> None:
    bau = nf.posture("business_as_usual")
    with pytest.raises(ScenarioError) as info:
        bau.with_overrides({"us.allocation.europe": 0.65})  # 0.65 + 0.40 + 0.15 = 1.2
    assert "us.allocation" in str(info.value) and "sum 1.2" in str(info.value)


def test_stress_accepts_scenario_objects_and_files(tmp_path: Path) -> None:
    own = tmp_path / "europe_first.yaml"
    own.write_text(
        "name: europe_first\nlevers:\n  us.guarantee: {value: 0.6, reason: conditional}\n",
        encoding="utf-8",
    )
    variant = nf.posture("division_of_labor").with_overrides({"us.resolve": 0.9}, name="firm")
    res = nf.stress(
        "baltic_incursion", postures=[variant, str(own), "business_as_usual"], draws=0
    )
    assert list(res.summary["posture"]) == ["firm", "europe_first", "business_as_usual"]
    assert set(res.datasets) == {"firm", "europe_first", "business_as_usual"}
    # the variant's own override survives under the stress scenario
    assert res.datasets["firm"].attrs["scenario_json"].count('"us.resolve":0.9') == 1


def test_stress_errors_are_one_short_line() -> None:
    sc = nf.posture("business_as_usual")
    with pytest.raises(InputError) as info:
        nf.stress(sc, draws=0)  # a posture without shocks is not a stress scenario
    msg = str(info.value)
    assert "\n" not in msg and len(msg) < 300, msg
    with pytest.raises(InputError) as info:
        nf.stress("baltic_incursion", postures=[object()], draws=0)  # type: ignore[list-item]
    assert "\n" not in str(info.value) and len(str(info.value)) < 300


def test_stress_separates_war_starts_from_deterrence_failing() -> None:
    res = nf.stress("baltic_incursion", postures=["business_as_usual"], draws=6, seed=1)
    row = res.summary.iloc[0]
    assert row["war_forced_europe"] and row["p_war_starts_europe"] == 1.0  # forced in every draw
    assert 0.0 <= row["p_deterrence_fails_europe"] < 1.0  # the model's own hazard, apart
    assert not row["war_forced_indo_pacific"]


def test_report_stays_callable_after_its_package_is_imported() -> None:
    import natofutures.report
    from natofutures.report import build_report

    assert nf.report is natofutures.report and callable(nf.report)
    assert nf.report.build_report is build_report
    with pytest.raises(InputError, match="--out"):
        nf.report(["business_as_usual", "division_of_labor"], "/no/such/parent/out")
