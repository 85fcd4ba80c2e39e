"""The root Typer application and shared CLI state (kept separate to avoid import cycles)."""

from __future__ import annotations

from dataclasses import dataclass

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

app = typer.Typer(
    name="natofutures",
    help=(
        "Simulate and compare futures of the trans-Atlantic alliance on real, sourced data.\n\n"
        "Example: natofutures data show spending --year 2024 --sort burden"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
console = Console()
console_err = Console(stderr=True)


@dataclass
class CliState:
    """Flags shared by every command."""

    debug: bool = False
    argv: list[str] | None = None  # the command line given to main(), for the runs store


state = CliState()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
) -> None:
    """Simulate and compare futures of the trans-Atlantic alliance on real, sourced data."""
    state.debug = state.debug or debug


def simple_table(
    title: str, columns: list[str], rows: list[list[str]], caption: str | None = None
) -> Table:
    """A plain Rich table: first column left-aligned, the others right-aligned, cells escaped."""
    tbl = Table(
        title=title, caption=caption, header_style="bold cyan", box=box.SIMPLE_HEAD, pad_edge=False
    )
    for k, col in enumerate(columns):
        tbl.add_column(col, justify="left" if k == 0 else "right", overflow="fold")
    for row in rows:
        tbl.add_row(*[escape(str(c)) for c in row])
    return tbl
