"""Perspectives: the bundled files validate; bad files and --weights give one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from natofutures.analysis import perspectives
from natofutures.analysis.criteria import CRITERIA, CRITERION_NAMES
from natofutures.errors import InputError

REQUIRED = {
    "restrainer",
    "atlanticist",
    "liberal_internationalist",
    "china_hawk",
    "frontline_ally",
    "fiscal_european",
}


def test_there_are_fourteen_criteria_with_directions_and_units() -> None:
    assert len(CRITERIA) == 14
    for c in CRITERIA.values():
        assert c.direction in (-1, 1)
        assert c.unit and c.essay and c.description


def test_the_bundled_perspectives_validate() -> None:
    assert set(perspectives.available()) >= REQUIRED
    for p in perspectives.load_all():
        assert p.rationale, p.name
        assert p.concentration > 0
        assert abs(sum(p.vector()) - 1.0) < 1e-12
        assert set(p.weights) == set(perspectives.WEIGHTABLE), f"{p.name}: weigh all 13"


def test_no_perspective_weights_feasibility() -> None:
    # feasibility is derived from the other criteria: reported beside the ranking, never weighted
    k = CRITERION_NAMES.index("feasibility")
    for p in perspectives.load_all():
        assert "feasibility" not in p.weights, p.name
        assert p.vector()[k] == 0.0, p.name


def test_a_file_that_weights_feasibility_is_rejected(tmp_path: Path) -> None:
    f = tmp_path / "mine.yaml"
    f.write_text("name: mine\nweights: {europe_risk: 1, feasibility: 2}\n", encoding="utf-8")
    with pytest.raises(InputError, match="'feasibility' cannot be weighted") as info:
        perspectives.load(str(f))
    assert "\n" not in str(info.value)


def test_swings_state_weights_with_their_anchors() -> None:
    p = perspectives.load("frontline_ally")
    swings = p.swings(years=20)
    assert swings[0]["criterion"] == "europe_risk"
    assert (swings[0]["worst"], swings[0]["best"]) == (50.0, 0.0)
    assert sum(s["weight"] for s in swings) == pytest.approx(1.0)
    us = next(s for s in perspectives.load("restrainer").swings(20) if s["criterion"] == "us_cost")
    assert us["worst"] == pytest.approx(0.968 * 20)  # per-year anchor over 20 years


def test_each_perspective_puts_its_top_weight_where_the_essay_says() -> None:
    top = {p.name: max(p.weights, key=p.weights.__getitem__) for p in perspectives.load_all()}
    assert top["restrainer"] == "us_cost"
    assert top["china_hawk"] == "indo_pacific_risk"
    assert top["frontline_ally"] == "europe_risk"
    assert top["fiscal_european"] == "european_fiscal_cost"


def test_a_user_file_loads(tmp_path: Path) -> None:
    f = tmp_path / "mine.yaml"
    f.write_text("name: mine\nconcentration: 10\nweights: {europe_risk: 2, us_cost: 1}\n")
    p = perspectives.load(str(f))
    assert p.name == "mine"
    assert p.vector()[CRITERION_NAMES.index("europe_risk")] == pytest.approx(2 / 3)


def test_unknown_criterion_in_a_file_names_it_and_lists_allowed(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text("name: bad\nweights: {europe_risk: 1, happiness: 2}\n")
    with pytest.raises(InputError) as info:
        perspectives.load(str(f))
    msg = str(info.value)
    assert "\n" not in msg
    assert "'happiness'" in msg and "europe_risk" in msg and "feasibility" not in msg


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("name: z\nweights: {europe_risk: 0}\n", "sum to 0"),
        ("name: z\nweights: {europe_risk: -1}\n", ">= 0"),
        ("name: z\nconcentration: 0\nweights: {europe_risk: 1}\n", "concentration"),
        ("name: z\nweights: {europe_risk: 1}\nextra: 1\n", "extra"),
        ("- just a list\n", "mapping"),
    ],
)
def test_bad_perspective_files(tmp_path: Path, body: str, match: str) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(body)
    with pytest.raises(InputError, match=match):
        perspectives.load(str(f))


def test_unknown_perspective_name_lists_the_bundled_ones() -> None:
    with pytest.raises(InputError, match="restrainer") as info:
        perspectives.load("hawkish_dove")
    assert "'hawkish_dove'" in str(info.value)


def test_missing_file_is_an_input_error() -> None:
    with pytest.raises(InputError, match="does not exist"):
        perspectives.load("no/such/file.yaml")


def test_parse_weights() -> None:
    p = perspectives.parse_weights("europe_risk=3, us_cost=1")
    assert p.weights == {"europe_risk": 3.0, "us_cost": 1.0}


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        ("europe_risk", "criterion=weight"),
        ("europe_risk=abc", "'abc'"),
        ("joy=1", "criterion 'joy' is not allowed"),
        ("europe_risk=0,us_cost=0", "sum to 0"),
        ("europe_risk=-2", ">= 0"),
        (",", "expected criterion=weight"),
    ],
)
def test_bad_weights_specs(spec: str, match: str) -> None:
    with pytest.raises(InputError, match=match) as info:
        perspectives.parse_weights(spec)
    assert "\n" not in str(info.value)
