"""Regenerate every bundled table from the raw source folder, deterministically.

Run as ``natofutures data build --raw DIR`` or ``python scripts/build_data.py --raw DIR``
(DIR is the ``data/raw`` folder described in docs/data.md). Running it twice gives
byte-identical files: rows are sorted, floats are written with a fixed format and line
endings are ``\\n``. Users never need the raw folder: the results are committed under
``src/natofutures/data/tables/``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from natofutures.data import registry
from natofutures.data.build_conflict import (
    build_arms_races,
    build_capabilities,
    build_conflict_dyads,
    build_long_run_gdp,
)
from natofutures.data.build_panel import build_panel
from natofutures.data.build_tables import (
    build_borders,
    build_countries,
    build_gas_dependence,
    build_nato_reported,
)
from natofutures.errors import InputError

TABLES_DIR = Path(__file__).parent / "tables"
REQUIRED = (
    "sipri_milex",
    "wdi_gdp_pop_fairshares",
    "peacesciencer",
    "owid_notebooks",
    "troopdata",
    "nato_defexp_transcribed",
    "eurostat_gas_hblasum",
    "owid_datasets",
)
FLOAT_FORMAT = "%.12g"
# COW codes of the project's scope as filtered in the ATOP file (data/raw/README.md): today's
# states plus West Germany (260), East Germany (265) and Czechoslovakia (315)
SCOPE_COW = frozenset([c.cow for c in registry.COUNTRIES] + [260, 265, 315])


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """Serialise a table the one deterministic way used for every bundled file."""
    text = df.to_csv(index=False, lineterminator="\n", float_format=FLOAT_FORMAT)
    return text.encode("utf-8")


def _write_atomic(path: Path, payload: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_all(raw: Path | str) -> dict[str, pd.DataFrame]:
    """Build every bundled table from ``raw`` and return them by name (nothing written)."""
    raw = Path(raw)
    missing = [d for d in REQUIRED if not (raw / d).is_dir()]
    if missing:
        raise InputError(
            f"--raw: {str(raw)!r} is not a raw data folder; expected sub-folders "
            f"{', '.join(REQUIRED)} (missing: {', '.join(missing)})"
        )
    panel, flags = build_panel(raw)
    return {
        "countries": build_countries(raw),
        "panel": panel,
        "panel_flags": flags,
        "nato_reported": build_nato_reported(raw),
        "gas_dependence": build_gas_dependence(raw),
        "borders": build_borders(raw),
        "capabilities": build_capabilities(raw),
        "conflict_dyads": build_conflict_dyads(raw, SCOPE_COW),
        "long_run_gdp": build_long_run_gdp(raw),
        "arms_races": build_arms_races(raw),
        "cold_war_milex": _cold_war_milex(raw),
    }


def _cold_war_milex(raw: Path | str) -> pd.DataFrame:
    """USSR spending 1949-1991 spliced from COW NMC and SIPRI (the burden model's threat)."""
    from natofutures.analysis.burden.cold_war import build_table

    return build_table(raw)


def write_tables(raw: Path | str, out: Path | str | None = None) -> list[Path]:
    """Build every table from ``raw`` and write ``<name>.csv`` files into ``out``.

    Parameters
    ----------
    raw
        The raw source folder (``data/raw`` with one sub-folder per source).
    out
        Destination folder; defaults to the package's own ``data/tables``.

    Returns
    -------
    The paths written, in name order.
    """
    dest = Path(out) if out is not None else TABLES_DIR
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in sorted(build_all(raw).items()):
        path = dest / f"{name}.csv"
        _write_atomic(path, to_csv_bytes(df))
        written.append(path)
    return written
