"""Read ``sources.yaml``: where every bundled table and column comes from."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

SOURCES_FILE = Path(__file__).parent / "sources.yaml"


@cache
def _load() -> dict[str, Any]:
    with SOURCES_FILE.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def sources() -> dict[str, Any]:
    """The parsed ``sources.yaml`` (keys ``sources``, ``tables``, ``fill_rules``)."""
    return dict(_load())


def fill_rules() -> dict[str, str]:
    """Fill-rule name → description."""
    return dict(_load()["fill_rules"])


def table_sources() -> pd.DataFrame:
    """One row per bundled table and source: producer, version, licence, URL, transformations."""
    doc = _load()
    rows = []
    for name, spec in doc["tables"].items():
        cols = spec.get("columns", {})
        uses = {col: [c.get("source"), *c.get("also", [])] for col, c in cols.items()}
        used = sorted({k for ks in uses.values() for k in ks if k in doc["sources"]})
        general = spec.get("transformations", [])
        for key in used:
            src = doc["sources"][key]
            steps = [
                f"{col}: {c['transformations']}"
                for col, c in cols.items()
                if key in uses[col] and c.get("transformations")
            ]
            rows.append(
                {
                    "table": name,
                    "columns": ", ".join(c for c in cols if key in uses[c]),
                    "source": key,
                    "producer": src["producer"],
                    "version": src["version"],
                    "licence": src["licence"],
                    "url": src["url"],
                    "repository": src["repository"],
                    "transformations": "; ".join([*steps, *general]),
                }
            )
        if not used:
            rows.append(
                {
                    "table": name,
                    "columns": ", ".join(cols),
                    "source": "derived",
                    "producer": "natofutures (derived from the panel)",
                    "version": "",
                    "licence": "as the panel's sources",
                    "url": "",
                    "repository": "",
                    "transformations": spec.get("description", ""),
                }
            )
    return pd.DataFrame(rows)
