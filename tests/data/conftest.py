"""Fixtures for the data tests: where the raw source folder is (needed by build tests)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def raw_folder() -> Path:
    """``$NATOFUTURES_RAW`` or ``<repo>/../shared/data/raw``."""
    env = os.environ.get("NATOFUTURES_RAW", "")
    return Path(env) if env else REPO.parent / "shared" / "data" / "raw"


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The raw folder; a test that needs it FAILS (never skips) when it is absent."""
    path = raw_folder()
    if not (path / "sipri_milex").is_dir():
        pytest.fail(
            f"raw data folder not found at {path}: set NATOFUTURES_RAW to the data/raw folder "
            "(CI has it at ../shared/data/raw relative to the clone)"
        )
    return path
