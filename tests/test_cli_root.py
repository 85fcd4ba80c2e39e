"""The root CLI: help lists commands, unknown commands fail with exit 2, errors are one line."""

from __future__ import annotations

import subprocess
import sys


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "natofutures", *args], capture_output=True, text=True, check=False
    )


def test_help_shows_an_example() -> None:
    res = run_cli("--help")
    assert res.returncode == 0
    assert "Example:" in res.stdout


def test_unknown_command_exits_2() -> None:
    res = run_cli("no-such-command")
    assert res.returncode == 2
    assert "No such command" in res.stderr


def test_starting_the_cli_loads_no_heavy_library() -> None:
    # `natofutures --help` must stay instant: commands import the numeric stack when they run.
    code = (
        "import sys, natofutures.cli; "
        "print(','.join(m for m in ('pandas', 'xarray', 'numpy', 'scipy', 'duckdb', "
        "'statsmodels', 'numba', 'fastapi') if m in sys.modules))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == ""
