"""Options and helpers shared by the commands whose runs are recorded in the runs store.

``simulate``, ``compare``, ``stress`` and ``sensitivity`` take ``--scheduler``, ``--store``,
``--no-store`` and (``simulate``) ``--keep-arrays``; each records its run as a
:class:`~natofutures.store.RunSpec` (plus its command line, for display), so
``natofutures runs rerun ID`` recomputes it in-process and checks the results.
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
    spec: Any,
    tables: dict[str, Any],
    *,
    store: Path | None,
    arrays: Any | None = None,
    labels: dict[str, str] | None = None,
) -> str:
    """Record one CLI run (its RunSpec and summary tables); returns the id it is stored under.

    The command line is kept for display only: ``runs rerun`` recomputes from the spec.
    """
    from natofutures import runs

    return runs.record(
        spec,
        tables,
        store=store,
        command=shlex.join(["natofutures", *reproducing_argv()]),
        arrays=arrays,
        labels=labels,
    )


def absolute(value: str) -> str:
    """A file argument as an absolute path (names of built-ins are left as they are)."""
    return str(Path(value).resolve()) if _is_existing_file(value) else value
