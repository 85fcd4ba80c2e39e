"""One model, written once: named kernel inputs, each equation in its mechanism module.

The kernel reads a :class:`KernelInputs` record by name (no positional slots), per-draw
parameters come from the mechanisms' own ``PARAMETERS`` declarations, theatres are named
indices, output names come from one table, and every ``@equation`` gives the same float in
numpy and in its compiled twin (which the kernel inlines).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from natofutures.engine import (
    allocation,
    burden_response,
    capital_stock,
    credibility,
    deterrence_hazard,
    economy,
    energy_dependence,
    exogenous_budgets,
    inputs,
    power,
    projection_loss,
    threat_perception,
    war_feedback,
)
from natofutures.engine.equation import COLUMN, kernel
from natofutures.engine.variables import OUT_NAMES, VARIABLES, Outputs
from natofutures.scenario import THEATRES


def test_theatres_are_named_indices() -> None:
    assert THEATRES[inputs.EUROPE] == "europe"
    assert THEATRES[inputs.INDO_PACIFIC] == "indo_pacific"
    assert THEATRES[inputs.OUT_OF_AREA] == "out_of_area"


def test_output_names_come_from_the_variable_table() -> None:
    assert OUT_NAMES == tuple(VARIABLES)
    assert Outputs._fields == tuple(VARIABLES)


def test_per_draw_fields_are_the_mechanisms_declared_parameter_paths() -> None:
    declared = [p for m in inputs.MECHANISMS for p in m.PARAMETERS]
    assert list(inputs.PER_DRAW_PATHS) == declared
    assert "burden.free_riding" in declared
    assert inputs.PerDraw._fields == tuple(p.replace(".", "_") for p in declared)
    assert inputs.field_name("hazard.ratio_half") == "hazard_ratio_half"


def test_a_parameter_declared_twice_is_an_error() -> None:
    class Twice:
        __name__ = "twice"
        PARAMETERS = ("burden.free_riding",)

    with pytest.raises(ValueError, match="declared twice"):
        inputs._per_draw_paths((burden_response, Twice))  # type: ignore[arg-type]


def test_per_draw_record_broadcasts_fixed_values_and_keeps_sampled_ones() -> None:
    sampled = {"burden.free_riding": np.array([0.1, 0.2, 0.3])}

    def get(path: str) -> float | np.ndarray:
        return sampled.get(path, 0.5)

    rec = inputs.per_draw(get, 3)
    np.testing.assert_array_equal(rec.burden_free_riding, [0.1, 0.2, 0.3])
    np.testing.assert_array_equal(rec.credibility_speed, [0.5, 0.5, 0.5])
    assert all(a.shape == (3,) and a.dtype == np.float64 for a in rec)


def test_kernel_inputs_cannot_be_built_with_a_missing_or_unknown_field() -> None:
    fields = dict.fromkeys(inputs.KernelInputs._fields, 0.0)
    inputs.KernelInputs(**fields)  # complete: fine
    missing = {k: v for k, v in fields.items() if k != "burden_floor"}
    with pytest.raises(TypeError, match="burden_floor"):
        inputs.KernelInputs(**missing)
    with pytest.raises(TypeError, match="burden_flor"):
        inputs.KernelInputs(**fields, burden_flor=0.0)


def test_the_kernel_source_has_no_positional_theatre_index() -> None:
    src = Path(inputs.__file__).with_name("_kernel.py").read_text()
    assert "ip = 1" not in src
    for bare in ("ratio[0, d]", "deliv_us[0, d]", "shares0[i, 0]", "thr_i[0, d]", "t == 0"):
        assert bare not in src, bare


@pytest.mark.parametrize("module", ["_kernel.py", "simulate.py"])
def test_effective_resolve_is_written_only_in_credibility(module: str) -> None:
    """The issue's example of a re-typed equation: ``resolve + w·(1 − resolve)`` lives in
    credibility.effective; the kernel and the numpy loop call it."""
    src = Path(inputs.__file__).with_name(module).read_text()
    for retyped in ("(1 - resolve)", "(1.0 - resolve)", "(1 - guarantee)", "(1.0 - guarantee)"):
        assert retyped not in src, retyped
    assert "effective(" in src


# --- every equation: a known value, and the compiled twin gives the identical float
P = inputs.PerDraw(
    capital_depreciation=np.array([0.05]),
    projection_decay_km=np.array([9000.0]),
    burden_threat_response=np.array([0.01]),
    burden_free_riding=np.array([0.02]),
    burden_adjustment_speed=np.array([0.3]),
    burden_pledge_compliance=np.array([0.4]),
    credibility_speed=np.array([0.25]),
    us_max_burden_rise=np.array([0.0024]),
)

CASES = [
    # (equation, arguments, value computed by hand)
    (credibility.effective, (0.4, 0.5), 0.4 + 0.5 * 0.6),
    (credibility.believed, (0.7, 0.3, 0.8), 0.7 * 0.3 + 0.3 * 0.8),
    (credibility.update_draw, (P, 0, 0.9, 0.5), 0.9 + 0.25 * (0.5 - 0.9)),
    (burden_response.free_riding, (0.8, 0.6, 0.5), 0.24),
    (
        burden_response.anchor_draw,
        (P, 0, 0.02, 1.5, 0.8, 0.6, 0.5, 0.02),
        0.02 - 0.01 * 1.5 + 0.02 * 0.24 - 0.4 * 0.02,
    ),
    (
        burden_response.target_draw,
        (P, 0, 0.01, 2.0, 0.24, 0.035),
        0.01 + 0.01 * 2.0 - 0.02 * 0.24 + 0.4 * 0.035,
    ),
    (burden_response.adjust_draw, (P, 0, 0.02, 0.03, 0.001, -1.0), 0.02 + 0.3 * 0.01 - 0.001),
    (deterrence_hazard.hazard_draw, (200.0, 100.0, 0.05, 0.8, 1.0, 3.0), 0.04 / 9.0),
    (deterrence_hazard.hold, (1.6, 0.8, 2.0), 0.8),
    (power.military_power, (100.0, 20.0, 1.5, 0.5), 165.0),
    (capital_stock.accumulate, (100.0, 20.0, 0.05, 0.25), 100.0),
    (energy_dependence.decline, (0.6, 2.0, 0.05, 0.1, 0.02), 0.05 + 0.04 + 0.04),
    (energy_dependence.update, (0.4, 0.25), 0.3),
    (economy.growth_rate, (0.02, 0.01, -1.5), 0.005),
    (war_feedback.carried_losses, (10.0, 0.8, 0.1, 200.0), 28.0),
    (allocation.planned, (0.5, 0.2, 0.25), 0.425),
    (allocation.blend, (0.2, 0.5, 0.25), 0.275),
    (deterrence_hazard.survive, (0.9, 0.1), 0.81),
    (exogenous_budgets.burden, (0.02, 1.5, 0.9), 0.027),
    # (2·100 − 150)/0.5 − 60 = 40 of power, from ω·Y = 0.5·1000: a burden of 8%
    (exogenous_budgets.required_burden, (2.0, 100.0, 150.0, 0.5, 60.0, 0.5, 1000.0), 0.08),
    (exogenous_budgets.ramped_burden, (0.03, 0.1, 0.034 + 0.0024, 0.09), 0.034 + 0.0024),
    (war_feedback.cut_share, (0.4, 0.25), 0.3),
    (war_feedback.gdp_factor, (0.3, 0.1), 0.97),
    (projection_loss.delivery_factor, (9000.0, 0.5, 4500.0), math.exp(-1.0)),
    (threat_perception.power_term, (400.0, 100.0, 0.5), 2.0),
    (threat_perception.severity, (2.0, 1.5, 0.5), 1.5),
]


@pytest.mark.parametrize(
    ("fn", "args", "expected"), CASES, ids=lambda c: getattr(c, "__name__", "")
)
def test_equation_gives_its_known_value_in_numpy_and_compiled(
    fn: Callable[..., Any], args: tuple[Any, ...], expected: float
) -> None:
    got = float(fn(*args))
    assert got == pytest.approx(expected, rel=1e-12)
    twin = float(kernel(fn)(*args))
    assert twin == got or (math.isnan(twin) and math.isnan(got))


def test_numpy_loop_reads_per_draw_parameters_as_columns() -> None:
    """The numpy loop passes COLUMN: each draw's parameter broadcasts over the countries."""
    rec = inputs.PerDraw(**{f: np.array([0.1, 0.5]) for f in inputs.PerDraw._fields})
    c = np.array([[1.0, 0.0, 0.5], [1.0, 0.0, 0.5]])
    got = credibility.update_draw(rec, COLUMN, c, np.zeros((2, 1)))
    np.testing.assert_allclose(got, [[0.9, 0.0, 0.45], [0.5, 0.0, 0.25]])


def test_stale_kernel_cache_is_flushed_when_an_inlined_module_changes(tmp_path: Path) -> None:
    from natofutures.engine import _kernel

    class Cache:
        _cache_path = str(tmp_path)
        flushes = 0

        def flush(self) -> None:
            Cache.flushes += 1

    class Entry:
        _cache = Cache()

    digest = _kernel.sources_digest((credibility, burden_response))
    assert _kernel.drop_stale_cache({"e": Entry()}, digest) == ["e"]  # no stamp yet
    assert _kernel.drop_stale_cache({"e": Entry()}, digest) == []  # same sources
    assert _kernel.drop_stale_cache({"e": Entry()}, "other sources") == ["e"]
    assert Cache.flushes == 2
    assert digest != _kernel.sources_digest((credibility,))


PLEDGES = [
    {"agreed": 2014, "due": 2024, "core": 0.02},
    {"agreed": 2025, "due": 2035, "core": 0.035},
]


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2013, 0.0), (2014, 0.02), (2025, 0.02), (2030, 0.0275), (2035, 0.035), (2050, 0.035)],
)
def test_pledge_in_force_follows_the_summits(year: int, expected: float) -> None:
    assert burden_response.pledge_in_force(year, PLEDGES) == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2030, 0.0275),  # the new pledge is agreed: the level reached so far, not B's 3.5%
        (2035, 0.0275 + 0.5 * (0.05 - 0.0275)),  # phasing from 2.75% (2030) to 5% (2040)
        (2040, 0.05),
    ],
)
def test_a_later_pledge_supersedes_one_still_phasing_in(year: int, expected: float) -> None:
    """pledges.yaml: a pledge applies from ``agreed``; a later one supersedes it, phasing
    from the level in force when it is agreed to its own core by its due year."""
    overlapping = [*PLEDGES, {"agreed": 2030, "due": 2040, "core": 0.05}]
    assert burden_response.pledge_in_force(year, overlapping) == pytest.approx(expected)


def test_criteria_ask_the_engine_pledge_level() -> None:
    from natofutures.analysis.criteria import pledge_path
    from natofutures.parameters import load_yaml

    pledges = list(load_yaml("pledges.yaml")["pledges"])
    path = pledge_path(2010, 2040)
    assert path == {y: burden_response.pledge_in_force(y, pledges) for y in range(2010, 2041)}
    assert path[2030] == pytest.approx(0.0275)
