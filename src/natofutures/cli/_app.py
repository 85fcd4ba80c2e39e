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
    epilog=(
        "[bold]Examples[/]\n\n"
        "natofutures compare --draws 1000  [dim]# main job: scorecard, rankings, forecast[/]\n\n"
        "natofutures simulate -p division_of_labor --draws 2000 --seed 7 --set us.resolve=0.4\n\n"
        "natofutures postures ; natofutures posture diff business_as_usual division_of_labor\n\n"
        "natofutures threat --country POL,DEU,ESP\n\n"
        "natofutures burden --from 2014 ; natofutures pledge --year 2035\n\n"
        "natofutures stress --scenario baltic_incursion ; natofutures campaign --theatre europe\n\n"
        "natofutures sensitivity --method morris --output rank:restrainer\n\n"
        "natofutures forecast ; natofutures calibrate --until 2013 ; natofutures validate\n\n"
        "natofutures data show spending --year 2024 --sort burden ; natofutures data sources\n\n"
        "natofutures runs list ; natofutures runs rerun RUN_ID\n\n"
        "natofutures serve --port 8000  [dim]# dashboard at http://127.0.0.1:8000/[/]"
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
