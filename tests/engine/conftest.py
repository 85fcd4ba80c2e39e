"""Shared fixtures for the engine tests: the real baseline (built once) and the four postures."""

from __future__ import annotations

import pytest

from natofutures.engine.baseline import Baseline, default_baseline

POSTURES = ("business_as_usual", "democracy_international", "global_vs_china", "division_of_labor")


@pytest.fixture(scope="session")
def baseline() -> Baseline:
    return default_baseline()
