"""The root Typer application and shared CLI state (kept separate to avoid import cycles)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
import typer.rich_utils
from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.markup import escape
from rich.table import Table
from typer.core import TyperOption


def _flag_type_label(self: TyperOption, ctx: Any) -> str | None:
    """No ``<bool>`` placeholder after a plain flag (``--json``): it takes no value."""
    if self.is_flag and not self.count:
        return None
    return _typer_type_label(self, ctx)


# Typer prints a type placeholder after every option; a flag has none to type. One patch here
# instead of ``metavar=""`` on every flag of every command.
_typer_type_label = TyperOption.display_type_rich
TyperOption.display_type_rich = _flag_type_label  # type: ignore[method-assign]

def _unwrapped(paragraphs: list[str], markup_mode: Any) -> str:
    """Help paragraphs with the docstring's hard line breaks removed, so Rich wraps them to
    the terminal (at 80 columns a 100-column docstring line otherwise breaks twice).
    A paragraph starting with ``\\b`` keeps its lines, as in Click."""
    del markup_mode
    return "\n\n".join(
        p.replace("\b\n", "") if p.startswith("\b") else " ".join(p.split()) for p in paragraphs
    )


typer.rich_utils._fix_linebreaks = _unwrapped

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
        "natofutures parameters --search resolve  [dim]# every name a posture or scenario sets[/]"
        "\n\n"
        "natofutures scenario validate my.yaml ; natofutures simulate my.yaml --years 2031-2033"
        "\n\n"
        "natofutures compare my.yaml  [dim]# my posture next to the four built-in ones[/]\n\n"
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
    title: str,
    columns: list[str],
    rows: list[list[str]],
    caption: str | None = None,
    left: tuple[int, ...] = (0,),
) -> WordTable:
    """A plain Rich table: first column left-aligned, the others right-aligned, cells escaped.

    It wraps only between words: each column is at least as wide as its longest word, and
    when the columns do not fit the terminal they are shown in blocks, each repeating the
    first column, instead of folding ``europe_credibility`` into ``europe_credibi lity``.
    ``left``: the columns aligned left (text); the others are aligned right (numbers).
    """
    return WordTable(title, columns, [[str(c) for c in row] for row in rows], caption, left)


MAX_WORD = 40  # a longer word may still fold (nothing else fits a narrow terminal)
_PAD = 3  # SIMPLE_HEAD box: one space either side of a cell and a space between columns


@dataclass
class WordTable:
    """A table that never breaks a word: see :func:`simple_table`."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    caption: str | None = None
    left: tuple[int, ...] = (0,)

    def min_widths(self) -> list[int]:
        """Per column, the width of its longest word (header or cell), capped at MAX_WORD."""
        out = []
        for k, col in enumerate(self.columns):
            texts = [col, *(row[k] for row in self.rows if k < len(row))]
            longest = max((len(w) for t in texts for w in t.split()), default=1)
            out.append(min(longest, MAX_WORD))
        return out

    def blocks(self, width: int) -> list[list[int]]:
        """Column indices of each block that fits ``width`` (the first column in every block)."""
        mins = self.min_widths()
        first = mins[0] + _PAD
        blocks: list[list[int]] = [[0]]
        used = first
        for k in range(1, len(self.columns)):
            need = mins[k] + _PAD
            if len(blocks[-1]) > 1 and used + need > width:
                blocks.append([0])
                used = first
            blocks[-1].append(k)
            used += need
        return blocks

    def widths(self, cols: list[int], width: int) -> list[int]:
        """Widths of ``cols`` fitting ``width``: natural widths, the widest cut first, never
        below a column's longest word (Rich's own collapse may go below ``min_width``)."""
        mins = self.min_widths()
        out = []
        for k in cols:
            texts = [self.columns[k], *(row[k] for row in self.rows if k < len(row))]
            out.append(max(mins[k], max((len(t) for t in texts), default=1)))
        floor = [mins[k] for k in cols]
        excess = sum(out) + _PAD * len(cols) - width
        while excess > 0:
            slack = [w - f for w, f in zip(out, floor, strict=True)]
            j = max(range(len(out)), key=lambda i: (out[i] if slack[i] > 0 else -1))
            if slack[j] <= 0:
                break
            out[j] -= 1
            excess -= 1
        return out

    def table(self, cols: list[int], width: int, part: str = "", last: bool = True) -> Table:
        tbl = Table(
            title=self.title + part,
            caption=self.caption if last else None,
            header_style="bold cyan",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
        )
        for k, w in zip(cols, self.widths(cols, width), strict=True):
            tbl.add_column(
                self.columns[k], justify="left" if k in self.left else "right", overflow="fold",
                width=w,
            )
        for row in self.rows:
            tbl.add_row(*[escape(row[k]) if k < len(row) else "" for k in cols])
        return tbl

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        blocks = self.blocks(options.max_width)
        for n, cols in enumerate(blocks, start=1):
            part = f" ({n}/{len(blocks)})" if len(blocks) > 1 else ""
            yield self.table(cols, options.max_width, part, last=n == len(blocks))


def postures_and_files(postures: str | None, files: list[Path] | None) -> list[Any]:
    """What ``compare``/``report`` compare: ``--postures`` (comma-separated; default: every
    built-in posture) followed by the posture/scenario FILES. Files are added to the built-in
    postures, not put in their place, unless ``--postures`` names others."""
    from natofutures.scenario import posture_names

    names = split_csv(postures)
    if not names and files:
        names = posture_names()
    return [*names, *(files or [])]


POSTURES_HELP = (
    "Comma-separated built-in postures (default: all four, with FILES added), e.g. "
    "business_as_usual,division_of_labor."
)


def split_csv(text: str | None) -> list[str]:
    """``"a, b,,c"`` -> ``["a", "b", "c"]`` (a comma-separated option; empty or None -> [])."""
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def emit_json(payload: dict[str, Any]) -> None:
    """Print ``payload`` as indented JSON on stdout (NaN refused: JSON has none)."""
    typer.echo(json.dumps(payload, indent=2, allow_nan=False))


@contextmanager
def status_spinner(enabled: bool) -> Iterator[Any]:
    """A spinner on stderr (never on stdout, so --json output stays clean); yields an updater."""
    if not enabled:
        yield lambda _msg: None
        return
    with console_err.status("starting") as status:
        yield lambda msg: status.update(msg)
