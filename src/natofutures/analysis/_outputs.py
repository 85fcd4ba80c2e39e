"""Checks on where the fitting commands write (``--write FILE``, ``--report DIR``), made before
anything is computed so that a bad path changes nothing on disk."""

from __future__ import annotations

from pathlib import Path

from natofutures.errors import InputError


def check_output_path(path: str | Path, what: str = "write") -> Path:
    """A file (new or existing) in an existing folder."""
    out = Path(path)
    if out.is_dir() or not out.parent.is_dir():
        raise InputError(
            f"{what}: {str(out)!r} is not allowed; expected a file path in an existing folder"
        )
    return out


def check_write_path(path: str | Path) -> Path:
    """``--write``: a file (new or existing) in an existing folder."""
    return check_output_path(path, "write")


def check_report_folder(folder: str | Path) -> Path:
    """``--report``: a folder (created if missing), not an existing file."""
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise InputError(f"report: {str(out)!r} is not allowed; expected a folder")
    return out
