"""``natofutures runs …``: list, show, diff, export, rerun and delete stored runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


import json
from datetime import datetime
from pathlib import Path

import typer

from natofutures.cli._app import WordTable, app, console, simple_table
from natofutures.errors import InputError

runs_app = typer.Typer(
    help=(
        "Every simulate/compare/stress/sensitivity run is recorded; inspect and reproduce them.\n\n"
        "Example: natofutures runs list --posture division_of_labor"
    ),
    no_args_is_help=True,
)
app.add_typer(runs_app, name="runs")

StoreOpt = typer.Option(
    None, "--store", help="Folder of the runs store (default: NATOFUTURES_STORE or user data dir)."
)


def _frame_table(df: pd.DataFrame, title: str | None = None) -> WordTable:
    """A table that wraps between words only and splits into column blocks on a narrow
    terminal, instead of cutting names and numbers to ``busines…``."""
    return simple_table(
        title or "",
        [str(c) for c in df.columns],
        [[_cell(v) for v in row] for row in df.itertuples(index=False)],
    )


_ROW_NAMES = ("posture", "perspective", "name", "scenario", "indicator", "criterion")


def _row_names(df: pd.DataFrame) -> tuple[list[str], list[str]] | None:
    """Names for the rows of a table turned on its side: the values of its label columns
    (``posture``, or ``perspective`` + ``posture``…) when they tell the rows apart."""
    labels = [c for c in _ROW_NAMES if c in df.columns]
    for k in range(1, len(labels) + 1):
        names = [" · ".join(str(v) for v in row) for row in df[labels[:k]].itertuples(index=False)]
        if len(set(names)) == len(names):
            return names, labels[:k]
    return None


def _readable(df: pd.DataFrame) -> pd.DataFrame:
    """Wide, short tables read better turned on their side (one line per column), each
    column then named after its row's posture (or other label), never "row 0"."""
    if len(df.columns) > 7 and len(df) <= 6:
        named = _row_names(df) if len(df) > 1 else None
        side = (df.drop(columns=named[1]) if named else df).T
        if named:
            side.columns = named[0]
        else:
            side.columns = [f"#{i + 1}" for i in range(len(df))] if len(df) > 1 else ["value"]
        return side.rename_axis("field").reset_index()
    return df


def _cell(value: object) -> str:
    import pandas as pd
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, pd.Timestamp | datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


@runs_app.command("list")
def list_runs(
    posture: str | None = typer.Option(None, help="Only runs of this posture."),
    since: str | None = typer.Option(None, help="Only runs on or after this date (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    store: Path | None = StoreOpt,
) -> None:
    """List stored runs, newest first.

    Example: natofutures runs list --since 2026-01-01
    """
    from natofutures import runs as runs_api
    since_dt = None
    if since is not None:
        try:
            since_dt = datetime.fromisoformat(since)
        except ValueError as exc:
            raise InputError(
                f"--since: {since!r} is not allowed; expected a date YYYY-MM-DD"
            ) from exc
    df = runs_api.list(posture=posture, since=since_dt, store=store)
    if as_json:
        console.print_json(df.to_json(orient="records", date_format="iso"))
        return
    cols = ["run_id", "created_at", "kind", "posture", "seed", "draws"]  # `runs show` has all
    shown = df[cols].assign(
        created_at=df["created_at"].dt.strftime("%m-%d %H:%M"),
        posture=[
            f"{p.count(',') + 1} postures" if p and "," in p else (p or "")
            for p in df["posture"].fillna("")
        ],
    )
    console.print(_frame_table(shown, title=f"{len(df)} stored run(s)"))


@runs_app.command("show")
def show_run(
    run_id: str = typer.Argument(..., help="Run id (see `natofutures runs list`)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    store: Path | None = StoreOpt,
) -> None:
    """Show a run's inputs, versions and summary tables.

    Example: natofutures runs show 3f9a1c02be
    """
    from natofutures import runs as runs_api
    rec = runs_api.get(run_id, store=store)
    if as_json:
        payload = {
            "run_id": rec.run_id,
            "created_at": rec.created_at.isoformat(),
            "command": rec.command,
            **rec.inputs(),
            "scenario_hash": rec.scenario_hash,
            "tables": {k: json.loads(v.to_json(orient="split")) for k, v in rec.tables.items()},
        }
        console.print_json(json.dumps(payload, default=str))
        return
    console.print(f"[bold]run {rec.run_id}[/] ({rec.kind}, {rec.created_at:%Y-%m-%d %H:%M:%S} UTC)")
    console.print(f"command:  {rec.command}")
    console.print(
        f"posture:  {(rec.posture or '').replace(',', ', ')}   seed: {rec.seed}   "
        f"draws: {rec.draws}   horizon: {rec.horizon}"
    )
    console.print(
        f"versions: natofutures {rec.package_version}, data {rec.data_version}; "
        f"scenario hash {rec.scenario_hash}"
    )
    for name, table in rec.tables.items():
        console.print(_frame_table(_readable(table.reset_index(drop=True)), title=name))


@runs_app.command("diff")
def diff_runs(
    run_a: str = typer.Argument(..., help="First run id."),
    run_b: str = typer.Argument(..., help="Second run id."),
    store: Path | None = StoreOpt,
) -> None:
    """What differs between two runs: inputs, then how the headline outputs moved.

    Example: natofutures runs diff RUN_A RUN_B
    """
    from natofutures import runs as runs_api
    d = runs_api.diff(run_a, run_b, store=store)
    if d["inputs"].empty:
        console.print("inputs: identical")
    else:
        console.print(_frame_table(d["inputs"], title="inputs that differ (a → b)"))
    for name, table in d["tables"].items():
        console.print(_frame_table(table.reset_index(drop=True), title=f"{name}: a, b, b − a"))


@runs_app.command("export")
def export_run(
    run_id: str = typer.Argument(..., help="Run id."),
    fmt: str = typer.Option("csv", "--format", help="csv, parquet or json."),
    out: Path = typer.Option(..., "--out", help="Folder to write into (created if missing)."),
    store: Path | None = StoreOpt,
) -> None:
    """Export a run's inputs (run.json) and summary tables.

    Example: natofutures runs export RUN_ID --format parquet --out exported/
    """
    from natofutures import runs as runs_api
    folder = runs_api.export(run_id, fmt, out, store=store)
    console.print(f"wrote {folder}")


@runs_app.command("rerun")
def rerun_run(
    run_id: str = typer.Argument(..., help="Run id."),
    store: Path | None = StoreOpt,
) -> None:
    """Run a stored run again and check that every summary table is identical (exit 1 if not).

    Example: natofutures runs rerun 3f9a1c02be
    """
    from natofutures import runs as runs_api
    result = runs_api.rerun(run_id, store=store)
    console.print(f"recomputed in-process from the spec of: {result['command']}", highlight=False)
    for name, verdict in result["tables"].items():
        colour = "green" if verdict == "identical" else "red"
        console.print(f"  {name}: [{colour}]{verdict}[/]", highlight=False)
    if not result["versions_match"]:
        console.print("  note: natofutures or data version differs from the stored run")
    if result["identical"]:
        console.print(f"[bold green]run {run_id} reproduced exactly[/]")
    else:
        console.print(f"[bold red]run {run_id} did not reproduce[/]")
        raise typer.Exit(1)


@runs_app.command("delete")
def delete_run(
    run_id: str = typer.Argument(..., help="Run id."),
    store: Path | None = StoreOpt,
) -> None:
    """Delete a run and its arrays.

    Example: natofutures runs delete RUN_ID
    """
    from natofutures import runs as runs_api
    runs_api.delete(run_id, store=store)
    console.print(f"deleted {run_id}")
