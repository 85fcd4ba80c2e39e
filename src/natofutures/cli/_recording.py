"""Options and helpers shared by the commands whose runs are recorded in the runs store.

``simulate``, ``compare``, ``stress`` and ``sensitivity`` take ``--scheduler``, ``--store``,
``--no-store`` and (``simulate``) ``--keep-arrays``; each records its run with the command line
that reproduces it, so ``natofutures runs rerun ID`` can run it again and check the results.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any

import typer

from natofutures.cli._app import state

SCHEDULER_OPT = typer.Option(
    "local",
    "--scheduler",
    help="Where draws run: local (in-process), local:N (Dask cluster of N workers) or "
    "tcp://HOST:PORT (an existing Dask scheduler). Results are identical on any of them.",
)
STORE_OPT = typer.Option(
    None, "--store", help="Folder of the runs store (default: NATOFUTURES_STORE or user data dir)."
)
NO_STORE_OPT = typer.Option(False, "--no-store", help="Do not record this run in the runs store.")
KEEP_ARRAYS_OPT = typer.Option(
    False, "--keep-arrays", help="Also keep the full arrays (Parquet) next to the runs store."
)

# Options that only choose where output goes (or where the work runs): a rerun drops them.
_OUTPUT_ONLY_WITH_VALUE = {"--out", "-o", "--report", "--plot", "--store", "--scheduler"}
_OUTPUT_ONLY_FLAGS = {"--json", "--no-store", "--keep-arrays", "--debug"}


def reproducing_argv(argv: list[str] | None = None) -> list[str]:
    """The command line of this run without the options that only direct its output."""
    args = list(state.argv if argv is None and state.argv is not None else argv or sys.argv[1:])
    out: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in _OUTPUT_ONLY_FLAGS:
            continue
        if name in _OUTPUT_ONLY_WITH_VALUE:
            skip = "=" not in arg
            continue
        out.append(str(Path(arg).resolve()) if _is_existing_file(arg) else arg)
    return out


def _is_existing_file(arg: str) -> bool:
    if arg.startswith("-") or "=" in arg:
        return False
    try:
        return Path(arg).is_file()
    except OSError:
        return False


def record_run(
    kind: str,
    *,
    scenario_json: str,
    scenario_hash: str,
    tables: dict[str, Any],
    store: Path | None,
    posture: str | None,
    seed: int | None,
    draws: int | None,
    horizon: int | None,
    data_version: str,
    arrays: Any | None = None,
    labels: dict[str, str] | None = None,
) -> str:
    """Record one run in the runs store; returns its id."""
    from natofutures import __version__
    from natofutures.store import RunStore

    return RunStore(store).record(
        kind=kind,
        command=shlex.join(["natofutures", *reproducing_argv()]),
        scenario_json=scenario_json,
        scenario_hash=scenario_hash,
        package_version=__version__,
        data_version=data_version,
        tables=tables,
        posture=posture,
        seed=seed,
        draws=draws,
        horizon=horizon,
        arrays=arrays,
        labels=labels,
    )
