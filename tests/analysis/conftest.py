"""Analysis tests keep the runs store in a temporary folder, never in the user's data dir."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _runs_store_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NATOFUTURES_STORE", str(tmp_path / "runs"))
