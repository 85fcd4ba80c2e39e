"""The runs store: every simulate / compare / stress / sensitivity run, kept in DuckDB.

Why: users must be able to reproduce every number. A run is recorded with its inputs (canonical
scenario JSON and hash, seed, draws, horizon, command), the code and data versions, its summary
tables and, on request, its full arrays. Nothing else writes to this database.

Layout (under the user's data directory, or ``--store PATH`` / ``NATOFUTURES_STORE``)::

    runs.duckdb            meta (schema version), runs (one row per run), run_tables (summaries)
    arrays/<run_id>/       opt-in full arrays: one Parquet file per set of dimensions + attrs.json

Guarantees:

- **Atomic**: a run appears whole or not at all. Arrays are written to a temporary folder and
  renamed into place before the database transaction that names them commits; rows go in one
  transaction. A process killed at any point leaves either no row (its arrays folder is an orphan,
  removed on a later open) or the whole run.
- **One writer at a time**: DuckDB locks the file per process; a second process waits and retries
  until ``lock_timeout`` and then fails with a clear message instead of corrupting anything.
- **Versioned schema**: ``meta.schema_version`` and ordered migrations, so an old store opens after
  an upgrade.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from natofutures.errors import InputError, NatoFuturesError

SCHEMA_VERSION = 3
RUN_KINDS = ("simulate", "compare", "stress", "sensitivity")
#: where a run was started (``RunSpec.source``)
RUN_SOURCES = ("cli", "python", "service", "report", "migrated")
_ORPHAN_AGE_S = 3600.0
# Called just before a run's transaction commits; tests use it to kill a writer mid-write.
_before_commit: Callable[[], None] | None = None


class StoreBusyError(NatoFuturesError):
    """Another process held the store's write lock for longer than the timeout."""


def default_store_dir() -> Path:
    """Folder of the runs store: ``NATOFUTURES_STORE`` or the user's data directory."""
    env = os.environ.get("NATOFUTURES_STORE")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("natofutures", appauthor=False)) / "runs"


# --- schema and migrations -------------------------------------------------------------------
# Each migration takes the store from version N-1 to N. Never edit a released one; append.

def _migration_1(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        CREATE TABLE runs (
            run_id VARCHAR PRIMARY KEY,
            created_at TIMESTAMP NOT NULL,
            kind VARCHAR NOT NULL,
            command VARCHAR NOT NULL,
            posture VARCHAR,
            scenario_json VARCHAR NOT NULL,
            scenario_hash VARCHAR NOT NULL,
            seed BIGINT,
            draws BIGINT,
            horizon INTEGER,
            package_version VARCHAR NOT NULL,
            data_version VARCHAR NOT NULL
        )
        """
    )
    con.execute(
        """
        CREATE TABLE run_tables (
            run_id VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            payload BLOB NOT NULL,
            PRIMARY KEY (run_id, name)
        )
        """
    )


def _migration_2(con: duckdb.DuckDBPyConnection) -> None:
    # v2: arrays kept next to the database, and free-form labels users can filter on.
    con.execute("ALTER TABLE runs ADD COLUMN has_arrays BOOLEAN DEFAULT FALSE")
    con.execute("ALTER TABLE runs ADD COLUMN labels VARCHAR DEFAULT '{}'")


def _migration_3(con: duckdb.DuckDBPyConnection) -> None:
    # v3: a run is recorded as data (its RunSpec as JSON), not as a command line. Older runs get
    # a spec read from their stored inputs and command line where that is unambiguous; where
    # it is not, spec stays NULL and `runs rerun` says why.
    con.execute("ALTER TABLE runs ADD COLUMN spec VARCHAR")
    rows = con.execute(
        "SELECT run_id, kind, command, scenario_json, seed, draws, horizon, package_version, "
        "data_version, labels FROM runs"
    ).fetchall()
    for run_id, *fields in rows:
        spec = legacy_spec(*fields)
        if spec is not None:
            con.execute("UPDATE runs SET spec = ? WHERE run_id = ?", [spec, run_id])


MIGRATIONS: tuple[Callable[[duckdb.DuckDBPyConnection], None], ...] = (
    _migration_1,
    _migration_2,
    _migration_3,
)


# --- run specs -------------------------------------------------------------------------------
class RunSpec(BaseModel):
    """What determines a run's numbers, as data: enough to recompute it in-process.

    ``scenarios`` are canonical scenario objects (``Scenario.canonical_json``, levers
    included, so a custom posture file need not exist any more). ``options`` are the
    kind's other inputs: compare ``perspectives``, ``weights``, ``smaa_samples``,
    ``status_quo_bonus``; stress ``stress_scenario`` and ``postures``; sensitivity
    ``output``, ``method``, ``n`` and ``postures``. ``source`` says which entry point
    recorded it. See docs/api.md ("Runs").
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    spec_version: Literal[1] = 1
    kind: Literal["simulate", "compare", "stress", "sensitivity"]
    scenarios: list[dict[str, Any]] = Field(default_factory=list)
    draws: int = Field(ge=0)
    seed: int = Field(ge=0)
    horizon: int | None = Field(default=None, ge=2025, le=2100)
    options: dict[str, Any] = Field(default_factory=dict)
    package_version: str
    data_version: str
    source: Literal["cli", "python", "service", "report", "migrated"] = "cli"

    def to_json(self) -> str:
        """Canonical JSON (sorted keys, compact)."""
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> RunSpec:
        """Parse and validate a stored spec (one-line InputError naming the field)."""
        try:
            return cls.model_validate_json(text)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "spec"
            raise InputError(f"run spec: {where}: {first['msg']}") from None


def _flag_values(command: str) -> dict[str, list[str]]:
    """``--flag value`` / ``--flag=value`` pairs of a recorded command line."""
    import shlex

    try:
        args = shlex.split(command)
    except ValueError:
        return {}
    out: dict[str, list[str]] = {}
    for i, arg in enumerate(args):
        if not arg.startswith("--"):
            continue
        name, eq, value = arg.partition("=")
        if eq:
            out.setdefault(name, []).append(value)
        elif i + 1 < len(args) and not args[i + 1].startswith("--"):
            out.setdefault(name, []).append(args[i + 1])
    return out


def legacy_spec(
    kind: str,
    command: str,
    scenario_json: str,
    seed: int | None,
    draws: int | None,
    horizon: int | None,
    package_version: str,
    data_version: str,
    labels: str | None,
) -> str | None:
    """The RunSpec JSON of a run recorded before specs existed, or None if it cannot be told.

    Used once, by migration 3. Reads the stored scenario JSON and, for the options that were
    only in the command line (compare's perspectives, weights, SMAA samples, status-quo
    bonus; sensitivity's output and sample size), the recorded flags.
    """
    try:
        stored = json.loads(scenario_json)
        flags = _flag_values(command)
        extra = json.loads(labels or "{}")
        options: dict[str, Any] = {}

        def scenario(obj: Any) -> dict[str, Any]:
            value = json.loads(obj) if isinstance(obj, str) else obj
            if not isinstance(value, dict) or "levers" not in value:
                raise ValueError("not a resolved scenario")
            return value

        if kind == "simulate":
            scenarios = [scenario(stored)]
        elif kind == "compare":
            scenarios = [scenario(v) for v in stored.values()]
            options = {
                "perspectives": flags.get("--perspective", []),
                "weights": flags["--weights"][-1] if "--weights" in flags else None,
                "smaa_samples": int((flags.get("--smaa-samples") or ["100000"])[-1]),
                "status_quo_bonus": (
                    float(flags["--status-quo-bonus"][-1])
                    if "--status-quo-bonus" in flags else None
                ),
            }
        elif kind == "stress":
            scenarios = [scenario(v) for v in stored.values()]
            options = {"stress_scenario": extra["scenario"], "postures": list(stored)}
        elif kind == "sensitivity":
            scenarios = [scenario(v) for v in stored["scenarios"].values()]
            method = str(stored["method"])
            options = {
                "output": (flags.get("--output") or ["europe_risk"])[-1],
                "method": method,
                "n": int((flags.get("--n") or ["64" if method == "sobol" else "20"])[-1]),
                "postures": list(stored["scenarios"]),
            }
        else:
            return None
        spec = RunSpec(
            kind=kind,  # type: ignore[arg-type]
            scenarios=scenarios,
            draws=int(draws or 0),
            seed=int(seed or 0),
            horizon=horizon,
            options=options,
            package_version=package_version,
            data_version=data_version,
            source="migrated",
        )
    except (ValueError, KeyError, TypeError, AttributeError, ValidationError):
        return None
    return spec.to_json()


@dataclass(frozen=True)
class RunRecord:
    """One stored run: its inputs, versions and summary tables."""

    run_id: str
    created_at: datetime
    kind: str
    command: str
    posture: str | None
    scenario_json: str
    scenario_hash: str
    seed: int | None
    draws: int | None
    horizon: int | None
    package_version: str
    data_version: str
    has_arrays: bool
    labels: dict[str, str] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: the run's RunSpec as JSON (None: recorded before specs and not migratable)
    spec: str | None = None

    def run_spec(self) -> RunSpec:
        """The run's :class:`RunSpec`, or a one-line InputError if it has none."""
        if self.spec is None:
            raise InputError(
                f"run id: {self.run_id!r} was recorded before run specs (command "
                f"{self.command!r}) and its inputs cannot be recovered; it cannot be rerun"
            )
        return RunSpec.from_json(self.spec)

    def inputs(self) -> dict[str, Any]:
        """The inputs that determine the results (what ``runs diff`` compares)."""
        return {
            "kind": self.kind,
            "posture": self.posture,
            "scenario": json.loads(self.scenario_json),
            "seed": self.seed,
            "draws": self.draws,
            "horizon": self.horizon,
            "package_version": self.package_version,
            "data_version": self.data_version,
            "options": json.loads(self.spec).get("options", {}) if self.spec else None,
        }


def _frame_to_blob(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf, index=True)
    return buf.getvalue()


def _blob_to_frame(blob: bytes) -> pd.DataFrame:
    return pd.read_parquet(io.BytesIO(blob))


class RunStore:
    """The DuckDB runs store at ``root`` (created on first write)."""

    def __init__(self, root: Path | str | None = None, *, lock_timeout: float = 30.0) -> None:
        self.root = Path(root) if root is not None else default_store_dir()
        self.lock_timeout = lock_timeout

    @property
    def db_path(self) -> Path:
        return self.root / "runs.duckdb"

    @property
    def arrays_root(self) -> Path:
        return self.root / "arrays"

    # -- connections ---------------------------------------------------------------------------
    @contextmanager
    def _connect(self, *, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        """Open the database, waiting for another process's lock up to ``lock_timeout``."""
        if not write and not self.db_path.exists():
            self.root.mkdir(parents=True, exist_ok=True)
        self.root.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.05
        while True:
            try:
                con = duckdb.connect(str(self.db_path))
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                    if "lock" in str(exc).lower():
                        raise StoreBusyError(
                            f"runs store {self.db_path} is busy: another natofutures process "
                            f"held it for over {self.lock_timeout:.0f} s; try again when it ends"
                        ) from exc
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
        try:
            self._migrate(con)
            yield con
        finally:
            con.close()

    def _migrate(self, con: duckdb.DuckDBPyConnection) -> None:
        con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise NatoFuturesError(
                f"runs store {self.db_path} has schema version {version}; this natofutures "
                f"understands up to {SCHEMA_VERSION}: upgrade natofutures"
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            con.execute("BEGIN TRANSACTION")
            try:
                MIGRATIONS[target - 1](con)
                con.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(target)]
                )
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise

    def schema_version(self) -> int:
        """The store's schema version (migrating it first if it is older)."""
        with self._connect(write=False) as con:
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    # -- writing -------------------------------------------------------------------------------
    def record(
        self,
        *,
        kind: str,
        command: str,
        scenario_json: str,
        scenario_hash: str,
        package_version: str,
        data_version: str,
        tables: dict[str, pd.DataFrame],
        posture: str | None = None,
        seed: int | None = None,
        draws: int | None = None,
        horizon: int | None = None,
        arrays: Any | None = None,
        labels: dict[str, str] | None = None,
        spec: str | None = None,
    ) -> str:
        """Record one run atomically and return its id.

        ``arrays`` (an ``xarray.Dataset``) is kept as Parquet next to the database when given.
        """
        if kind not in RUN_KINDS:
            raise InputError(f"kind: {kind!r} is not allowed; expected one of {RUN_KINDS}")
        run_id = uuid.uuid4().hex[:10]
        final_dir = self.arrays_root / run_id
        if arrays is not None:
            tmp_dir = self.arrays_root / f".tmp-{run_id}"
            _write_arrays(arrays, tmp_dir)
            os.replace(tmp_dir, final_dir)
        blobs = [(run_id, name, _frame_to_blob(df)) for name, df in tables.items()]
        try:
            with self._connect(write=True) as con:
                con.execute("BEGIN TRANSACTION")
                try:
                    con.execute(
                        "INSERT INTO runs (run_id, created_at, kind, command, posture, "
                        "scenario_json, scenario_hash, seed, draws, horizon, package_version, "
                        "data_version, has_arrays, labels, spec) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            run_id,
                            datetime.now(UTC).replace(tzinfo=None),
                            kind,
                            command,
                            posture,
                            scenario_json,
                            scenario_hash,
                            seed,
                            draws,
                            horizon,
                            package_version,
                            data_version,
                            arrays is not None,
                            json.dumps(labels or {}, sort_keys=True),
                            spec,
                        ],
                    )
                    if blobs:
                        con.executemany("INSERT INTO run_tables VALUES (?, ?, ?)", blobs)
                    if _before_commit is not None:
                        _before_commit()
                    con.execute("COMMIT")
                except Exception:
                    con.execute("ROLLBACK")
                    raise
        except BaseException:
            shutil.rmtree(final_dir, ignore_errors=True)
            raise
        return run_id

    def delete(self, run_id: str) -> None:
        """Delete a run and its arrays; unknown ids are an error."""
        with self._connect(write=True) as con:
            self._require(con, run_id)
            con.execute("BEGIN TRANSACTION")
            con.execute("DELETE FROM run_tables WHERE run_id = ?", [run_id])
            con.execute("DELETE FROM runs WHERE run_id = ?", [run_id])
            con.execute("COMMIT")
        shutil.rmtree(self.arrays_root / run_id, ignore_errors=True)

    def remove_orphans(self, min_age_s: float = _ORPHAN_AGE_S) -> list[str]:
        """Remove array folders that no committed run names (left by a killed process)."""
        if not self.arrays_root.exists():
            return []
        with self._connect(write=False) as con:
            known = {r[0] for r in con.execute("SELECT run_id FROM runs").fetchall()}
        removed = []
        now = time.time()
        for child in self.arrays_root.iterdir():
            name = child.name.removeprefix(".tmp-")
            if name in known and not child.name.startswith(".tmp-"):
                continue
            if now - child.stat().st_mtime >= min_age_s:
                shutil.rmtree(child, ignore_errors=True)
                removed.append(child.name)
        return removed

    # -- reading -------------------------------------------------------------------------------
    def _require(self, con: duckdb.DuckDBPyConnection, run_id: str) -> None:
        row = con.execute("SELECT 1 FROM runs WHERE run_id = ?", [run_id]).fetchone()
        if row is None:
            raise InputError(
                f"run id: {run_id!r} is not in the store {self.db_path}; "
                "see `natofutures runs list` for the ids there are"
            )

    def list(
        self, *, posture: str | None = None, since: datetime | None = None, kind: str | None = None
    ) -> pd.DataFrame:
        """One row per run, newest first, optionally filtered."""
        where: list[str] = []
        args: list[Any] = []
        if posture:
            where.append("posture = ?")
            args.append(posture)
        if since:
            where.append("created_at >= ?")
            args.append(since)
        if kind:
            where.append("kind = ?")
            args.append(kind)
        sql = (
            "SELECT run_id, created_at, kind, posture, seed, draws, horizon, scenario_hash, "
            "data_version, package_version, has_arrays, command FROM runs"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created_at DESC, run_id DESC"
        with self._connect(write=False) as con:
            return con.execute(sql, args).df()

    def get(self, run_id: str) -> RunRecord:
        """The stored run ``run_id`` with its summary tables."""
        with self._connect(write=False) as con:
            self._require(con, run_id)
            cur = con.execute("SELECT * FROM runs WHERE run_id = ?", [run_id])
            cols = [d[0] for d in cur.description]
            row = dict(zip(cols, cur.fetchone() or (), strict=True))
            tables = {
                name: _blob_to_frame(blob)
                for name, blob in con.execute(
                    "SELECT name, payload FROM run_tables WHERE run_id = ? ORDER BY name",
                    [run_id],
                ).fetchall()
            }
        row["labels"] = json.loads(row.get("labels") or "{}")
        row["has_arrays"] = bool(row.get("has_arrays"))
        return RunRecord(**row, tables=tables)

    def load_arrays(self, run_id: str) -> Any:
        """The full arrays of a run recorded with ``--keep-arrays`` (an ``xarray.Dataset``)."""
        record = self.get(run_id)
        if not record.has_arrays:
            raise InputError(
                f"run id: {run_id!r} was recorded without arrays; rerun it with --keep-arrays"
            )
        return _read_arrays(self.arrays_root / run_id)


def _write_arrays(ds: Any, folder: Path) -> None:
    """Write an ``xarray.Dataset`` as one long Parquet file per set of dimensions."""
    folder.mkdir(parents=True, exist_ok=False)
    groups: dict[tuple[str, ...], list[str]] = {}
    for name, var in ds.data_vars.items():
        groups.setdefault(tuple(var.dims), []).append(str(name))
    manifest: dict[str, Any] = {"attrs": _jsonable(ds.attrs), "groups": [], "variables": {}}
    for i, (dims, names) in enumerate(sorted(groups.items())):
        frame = ds[names].to_dataframe()[names] if dims else pd.DataFrame(
            {n: [ds[n].item()] for n in names}
        )
        frame.to_parquet(folder / f"group{i}.parquet", index=bool(dims))
        manifest["groups"].append({"file": f"group{i}.parquet", "dims": list(dims)})
        for n in names:
            manifest["variables"][n] = _jsonable(ds[n].attrs)
    manifest["coords"] = {
        str(k): {"values": ds[k].values.tolist(), "attrs": _jsonable(ds[k].attrs)}
        for k in ds.coords
    }
    (folder / "attrs.json").write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")


def _read_arrays(folder: Path) -> Any:
    import xarray as xr

    manifest = json.loads((folder / "attrs.json").read_text(encoding="utf-8"))
    parts = []
    for group in manifest["groups"]:
        frame = pd.read_parquet(folder / group["file"])
        if group["dims"]:
            parts.append(xr.Dataset.from_dataframe(frame))
        else:
            parts.append(xr.Dataset({c: ((), frame[c].iloc[0]) for c in frame.columns}))
    ds = xr.merge(parts, join="outer", compat="no_conflicts") if parts else xr.Dataset()
    ds = ds.reindex({k: v["values"] for k, v in manifest["coords"].items() if k in ds.dims})
    for k, v in manifest["coords"].items():
        if k in ds.coords:
            ds[k].attrs.update(v["attrs"])
    for name, attrs in manifest["variables"].items():
        ds[name].attrs.update(attrs)
    ds.attrs.update(manifest["attrs"])
    return ds


def _jsonable(attrs: dict[Any, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in attrs.items():
        if hasattr(v, "tolist"):
            v = v.tolist()
        try:
            json.dumps(v)
        except TypeError:
            v = str(v)
        out[str(k)] = v
    return out
