"""The ``natofutures`` command line (Typer + Rich).

Each command group lives in its own module and registers itself on :data:`app`; this module
only wires them together and turns user errors into one line and exit status 2.
"""

from __future__ import annotations

import sys

# Command modules register their commands on ``app`` when imported.
from natofutures.cli import analysis as _analysis  # noqa: F401  (registration side effect)
from natofutures.cli import calibrate as _calibrate  # noqa: F401
from natofutures.cli import data as _data  # noqa: F401
from natofutures.cli import engine as _engine  # noqa: F401
from natofutures.cli import history as _history  # noqa: F401
from natofutures.cli import parameters as _parameters  # noqa: F401
from natofutures.cli import report as _report  # noqa: F401
from natofutures.cli import robust as _robust  # noqa: F401
from natofutures.cli import runs as _runs  # noqa: F401
from natofutures.cli import serve as _serve  # noqa: F401
from natofutures.cli import stress as _stress  # noqa: F401
from natofutures.cli._app import app, console_err, state
from natofutures.errors import NatoFuturesError

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, print user errors as one line, exit 2."""
    args = list(sys.argv[1:] if argv is None else argv)
    state.debug = "--debug" in args
    state.argv = args
    try:
        app(args=args, prog_name="natofutures")
    except NatoFuturesError as exc:
        if state.debug:
            raise
        from rich.markup import escape

        # escaped: a message may hold brackets (pip install 'natofutures[service]')
        console_err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False,
                          soft_wrap=True)
        sys.exit(exc.exit_code)
