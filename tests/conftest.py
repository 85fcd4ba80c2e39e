"""Shared test set-up: no test writes the DuckDB catalogue into the real home directory."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def _catalogue_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point NATOFUTURES_DB (inherited by CLI subprocesses) at a session temp dir."""
    old = os.environ.get("NATOFUTURES_DB")
    os.environ["NATOFUTURES_DB"] = str(tmp_path_factory.mktemp("catalogue") / "catalogue.duckdb")
    yield
    if old is None:
        os.environ.pop("NATOFUTURES_DB", None)
    else:
        os.environ["NATOFUTURES_DB"] = old
