"""Fixtures for the data tests: where the raw source folder is (needed by build tests)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def raw_folder() -> Path:
    """``$NATOFUTURES_RAW`` or the raw sources shipped in the repo, ``<repo>/data/raw``."""
    env = os.environ.get("NATOFUTURES_RAW", "")
    return Path(env) if env else REPO / "data" / "raw"


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The raw folder; a test that needs it FAILS (never skips) when it is absent."""
    path = raw_folder()
    if not (path / "sipri_milex").is_dir():
        pytest.fail(
            f"raw data folder not found at {path}: set NATOFUTURES_RAW to the data/raw folder "
            "(the repo ships it at data/raw)"
        )
    return path
