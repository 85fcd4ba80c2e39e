"""Shared test set-up: no test writes the DuckDB catalogue into the real home directory."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def _catalogue_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point NATOFUTURES_DB (inherited by CLI subprocesses) at a session temp dir."""
    old = os.environ.get("NATOFUTURES_DB")
    old_store = os.environ.get("NATOFUTURES_STORE")
    os.environ["NATOFUTURES_DB"] = str(tmp_path_factory.mktemp("catalogue") / "catalogue.duckdb")
    # every recorded run (CLI, report, service) goes to a temp runs store, never the user's
    os.environ.setdefault("NATOFUTURES_STORE", str(tmp_path_factory.mktemp("runs")))
    yield
    if old_store is None:
        os.environ.pop("NATOFUTURES_STORE", None)
    else:
        os.environ["NATOFUTURES_STORE"] = old_store
    if old is None:
        os.environ.pop("NATOFUTURES_DB", None)
    else:
        os.environ["NATOFUTURES_DB"] = old
