"""The DuckDB data catalogue: every bundled table, queryable with read-only SQL.

The catalogue is a DuckDB file built on first use from the bundled tables. Its location is,
in order: the ``db`` argument (CLI ``--db PATH``), the environment variable
``NATOFUTURES_DB``, or ``catalogue.duckdb`` in ``platformdirs.user_data_dir("natofutures")``.
It is rebuilt whenever the bundled data change (the table ``catalogue_version`` holds
:func:`~natofutures.data.data_version`), always into a temporary file in the same folder that
then replaces the old one (``os.replace``), so an interrupted build never leaves a corrupt
catalogue.

Queries (:func:`query`) are guarded three times: only one statement of type SELECT (which
includes ``WITH …``, ``FROM t``, ``DESCRIBE``, ``SHOW``, ``SUMMARIZE``) is accepted; the file
is opened ``read_only``; and external access (files, extensions, ``ATTACH``) is disabled with
the configuration locked.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb
import pandas as pd
import platformdirs

from natofutures.data.loaders import data_version, table, tables
from natofutures.errors import DataError, InputError

ENV_VAR = "NATOFUTURES_DB"
VERSION_TABLE = "catalogue_version"
_SAFE_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


def catalogue_path(db: str | Path | None = None) -> Path:
    """Where the catalogue lives: ``db``, else ``$NATOFUTURES_DB``, else the user data dir."""
    if db is not None and str(db) != "":
        return Path(db).expanduser()
    env = os.environ.get(ENV_VAR, "")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("natofutures")) / "catalogue.duckdb"


def _stamp(path: Path) -> str | None:
    """The data version recorded in an existing catalogue, or None if absent/unreadable."""
    if not path.is_file():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            row = con.execute(f"SELECT data_version FROM {VERSION_TABLE}").fetchone()
    except duckdb.Error:
        return None
    return None if row is None else str(row[0])


def build_catalogue(path: Path) -> None:
    """Write every bundled table into a new catalogue at ``path`` (atomic replace)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB must create the file itself
    try:
        with duckdb.connect(str(tmp)) as con:
            for name in tables():
                df = table(name)
                con.register("_frame", df)
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _frame')
                con.unregister("_frame")
            version = pd.DataFrame({"data_version": [data_version()]})
            con.register("_frame", version)
            con.execute(f"CREATE TABLE {VERSION_TABLE} AS SELECT * FROM _frame")
            con.unregister("_frame")
            con.execute("CHECKPOINT")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)


def ensure_catalogue(db: str | Path | None = None) -> Path:
    """Return the catalogue path, building or rebuilding it if missing or stale."""
    path = catalogue_path(db)
    if path.exists() and not path.is_file():
        raise InputError(f"--db: {str(path)!r} is not a file; expected a DuckDB file path")
    if _stamp(path) != data_version():
        try:
            build_catalogue(path)
        except OSError as exc:
            raise DataError(f"cannot write the catalogue at {str(path)!r}: {exc}") from exc
    return path


def check_read_only(sql: str) -> str:
    """Accept exactly one SELECT-type statement; refuse anything else with InputError."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise InputError(f"sql: cannot parse query: {_one_line(exc)}") from exc
    if len(statements) != 1:
        raise InputError(
            f"sql: {len(statements)} statements given; expected exactly one SELECT/WITH query"
        )
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise InputError(
            f"sql: {kind.name} statements are refused; only read-only SELECT/WITH queries "
            "over the catalogue are allowed"
        )
    return sql


def _one_line(exc: BaseException) -> str:
    """DuckDB's message without the multi-line 'LINE 1: …' pointer, on one line."""
    text = str(exc).split("\nLINE ")[0]
    return " ".join(text.split())


def query(sql: str, db: str | Path | None = None) -> pd.DataFrame:
    """Run one read-only SQL query over the catalogue and return the result.

    Tables: every name in :func:`~natofutures.data.tables` plus ``catalogue_version``.

    Raises
    ------
    InputError
        If the query is not a single SELECT/WITH statement, touches files or extensions, or
        fails (the DuckDB message is given on one line).
    """
    check_read_only(sql)
    path = ensure_catalogue(db)
    try:
        with duckdb.connect(str(path), read_only=True, config=dict(_SAFE_CONFIG)) as con:
            return con.execute(sql).df()
    except duckdb.PermissionException as exc:
        raise InputError(
            "sql: reading files, loading extensions or attaching databases is refused; "
            f"query only the catalogue's tables ({_one_line(exc)})"
        ) from exc
    except duckdb.Error as exc:
        raise InputError(f"sql: query failed: {_one_line(exc)}") from exc
