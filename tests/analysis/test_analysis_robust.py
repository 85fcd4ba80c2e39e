"""robust: PRIM boxes, minimax regret and EVPPI — known answers, JSON shape, CLI, errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from natofutures.analysis import robust as rb
from natofutures.cli import main
from natofutures.errors import InputError


def test_prim_finds_the_box_that_generated_the_data() -> None:
    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.uniform(size=(600, 4)), columns=["a", "b", "c", "d"])
    y = ((x["a"] > 0.6) & (x["b"] < 0.5)).to_numpy()
    box = rb.prim_box(x, y)
    assert box is not None
    limits = {r["parameter"]: (r["low"], r["high"]) for r in box["restrictions"]}
    assert set(limits) == {"a", "b"}
    assert limits["a"][0] == pytest.approx(0.6, abs=0.05)
    # PRIM keeps the widest box that is still >= 80% dense, so b's edge may sit a little
    # beyond 0.5 (rows there are 80%+ hits because a is restricted)
    assert 0.45 <= limits["b"][1] <= 0.65
    assert box["density"] >= 0.8 and box["coverage"] >= 0.8


def test_prim_reports_no_box_for_noise() -> None:
    rng = np.random.default_rng(1)
    x = pd.DataFrame(rng.uniform(size=(400, 3)), columns=["a", "b", "c"])
    y = rng.uniform(size=400) < 0.3
    assert rb.prim_box(x, y) is None


def test_minimax_regret_known_answer() -> None:
    # Row 1: A best by 0.1; row 2: B best by 0.3. A's worst regret 0.3, B's 0.1.
    values = np.array([[0.5, 0.4], [0.2, 0.5]])
    r = rb.regret(values, ["A", "B"])
    assert r["minimax"] == "B"
    assert r["max_regret"] == pytest.approx({"A": 0.3, "B": 0.1})


def test_evppi_of_a_decisive_parameter_equals_evpi_and_of_noise_is_small() -> None:
    rng = np.random.default_rng(2)
    theta = rng.uniform(size=4000)
    values = np.stack([theta, np.full(4000, 0.5)], axis=1)  # A better iff theta > 0.5
    evpi = float(values.max(axis=1).mean() - values.mean(axis=0).max())
    assert rb.evppi(values, theta, bins=10) == pytest.approx(evpi, abs=0.005)
    assert rb.evppi(values, rng.uniform(size=4000), bins=10) < 0.1 * evpi


@pytest.fixture(scope="module")
def result() -> rb.RobustResult:
    return rb.robust(
        ["business_as_usual", "division_of_labor"], samples=40, seed=3, horizon=2035,
        perspectives=["restrainer", "liberal_internationalist"],
    )


def test_robust_json_has_exactly_the_documented_shape(result: rb.RobustResult) -> None:
    d = json.loads(json.dumps(result.to_dict()))
    assert set(d) == {"boxes", "regret", "evppi"}
    for box in d["boxes"]:
        assert set(box) == {"posture", "perspective", "restrictions", "coverage", "density"}
        assert 0 <= box["coverage"] <= 1 and 0 <= box["density"] <= 1
        for r in box["restrictions"]:
            assert set(r) == {"parameter", "low", "high"} and r["low"] <= r["high"]
    assert set(d["regret"]) == {"restrainer", "liberal_internationalist"}
    for r in d["regret"].values():
        assert r["minimax"] in {"business_as_usual", "division_of_labor"}
        assert sum(r["win_share"].values()) == pytest.approx(1.0)
        assert min(r["max_regret"].values()) >= 0
    for e in d["evppi"].values():
        assert 0 <= max(e["parameters"].values()) <= e["evpi"] + 1e-12


def test_the_ensemble_varies_every_kind_of_assumption(result: rb.RobustResult) -> None:
    cols = set(result.ensemble.columns)
    assert "hazard.h0.europe" in cols  # engine uncertainty
    assert "scale:europe_risk.worst" in cols  # judgement anchor
    assert "division_of_labor:us.resolve" in cols  # posture implementation
    assert "winner:restrainer" in cols
    lo, hi = result.ensemble["division_of_labor:us.resolve"].agg(["min", "max"])
    assert 0.7 - 1e-9 <= lo < hi <= 0.9 + 1e-9  # the posture's 0.8 ± 0.1


def test_same_seed_same_result() -> None:
    kw = {"samples": 20, "seed": 5, "horizon": 2030, "perspectives": ["restrainer"]}
    a = rb.robust(["business_as_usual", "division_of_labor"], **kw)  # type: ignore[arg-type]
    b = rb.robust(["business_as_usual", "division_of_labor"], **kw)  # type: ignore[arg-type]
    assert a.to_dict() == b.to_dict()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"samples": 5}, "samples: 5"), ({"horizon": 1999}, "horizon: 1999"),
     ({"perspectives": ["pacifist"]}, "perspective: 'pacifist'")],
)
def test_bad_input_is_a_one_line_input_error(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match) as info:
        rb.robust(["business_as_usual", "division_of_labor"], **kwargs)  # type: ignore[arg-type]
    assert "\n" not in str(info.value)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    code = info.value.code
    return (0 if code is None else int(code)), out, err


SMALL = ("--samples", "24", "--seed", "1", "--horizon", "2030", "--postures",
         "business_as_usual,division_of_labor", "--perspective", "restrainer")


def test_cli_json_and_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "robust", *SMALL, "--json", "--report", str(tmp_path / "r"))
    assert code == 0
    assert set(json.loads(out)) == {"boxes", "regret", "evppi"}
    files = {p.name for p in (tmp_path / "r").iterdir()}
    assert files == {"robust.html", "robust.png", "robust.json", "ensemble.csv"}
    html = (tmp_path / "r" / "robust.html").read_text(encoding="utf-8")
    assert "What would you have to believe?" in html and "data:image/png;base64," in html


def test_the_robust_page_fits_a_phone(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Wide tables scroll in their box; the run line with every posture name wraps."""
    from tests._browser import page_widths

    four = "business_as_usual,democracy_international,division_of_labor,global_vs_china"
    args = ("--samples", "20", "--seed", "1", "--horizon", "2030", "--postures", four)
    code, _, _ = run(capsys, "robust", *args, "--report", str(tmp_path / "r"))
    assert code == 0
    widths = page_widths(tmp_path / "r" / "robust.html", "robust")
    assert widths[390] <= 390 and widths[1440] <= 1440, widths


def test_cli_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "robust", *SMALL)
    assert code == 0
    assert "minimax-regret" in out and "restrainer" in out and "EVPI" in out


def test_cli_bad_report_path_fails_before_any_work(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = tmp_path / "file.txt"
    f.write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "robust", *SMALL, "--report", str(f))
    assert code == 2 and "is a file" in err
    assert f.read_text(encoding="utf-8") == "x"
