"""The root Typer application and shared CLI state (kept separate to avoid import cycles)."""

from __future__ import annotations

from dataclasses import dataclass

import typer
from rich.console import Console

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
