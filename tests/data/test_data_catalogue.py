"""The DuckDB catalogue: built on first use, rebuilt when stale, and read-only SQL only."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import natofutures as nf
from natofutures.data import catalogue
from natofutures.errors import InputError


def test_catalogue_is_built_on_first_use_with_a_version_stamp(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "cat.duckdb"
    df = catalogue.query("SELECT count(*) AS n FROM panel", db=db)
    assert int(df["n"].iloc[0]) == len(nf.data.panel())
    stamp = catalogue.query("SELECT data_version FROM catalogue_version", db=db)
    assert stamp["data_version"].tolist() == [nf.data.data_version()]
    assert [p.name for p in db.parent.iterdir()] == ["cat.duckdb"]  # no temp files left


def test_catalogue_path_comes_from_argument_then_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NATOFUTURES_DB", str(tmp_path / "env.duckdb"))
    assert catalogue.catalogue_path() == tmp_path / "env.duckdb"
    assert catalogue.catalogue_path(tmp_path / "arg.duckdb") == tmp_path / "arg.duckdb"
    monkeypatch.delenv("NATOFUTURES_DB")
    assert catalogue.catalogue_path().name == "catalogue.duckdb"
    assert "natofutures" in str(catalogue.catalogue_path())


def test_stale_catalogue_is_rebuilt(tmp_path: Path) -> None:
    db = tmp_path / "cat.duckdb"
    catalogue.ensure_catalogue(db)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE catalogue_version SET data_version = 'old'")
        con.execute("DROP TABLE borders")
    catalogue.ensure_catalogue(db)
    assert len(catalogue.query("SELECT * FROM borders", db=db)) == len(nf.data.borders())


def test_corrupt_catalogue_is_replaced(tmp_path: Path) -> None:
    db = tmp_path / "cat.duckdb"
    db.write_bytes(b"not a database")
    assert catalogue.query("SELECT 1 AS one", db=db)["one"].tolist() == [1]


def test_interrupted_build_leaves_the_old_catalogue_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "cat.duckdb"
    catalogue.ensure_catalogue(db)
    before = db.read_bytes()

    def boom(name: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(catalogue, "table", boom)
    with pytest.raises(KeyboardInterrupt):
        catalogue.build_catalogue(db)
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["cat.duckdb"]


def test_sql_reads_with_and_select(tmp_path: Path) -> None:
    db = tmp_path / "cat.duckdb"
    q = "WITH t AS (SELECT * FROM nato_reported WHERE year = 2014) SELECT count(*) n FROM t"
    n = catalogue.query(q, db=db)["n"].iloc[0]
    assert n == len(nf.data.nato_reported().query("year == 2014"))


@pytest.mark.parametrize(
    ("sql", "needle"),
    [
        ("INSERT INTO panel (iso3, year) VALUES ('USA', 1900)", "INSERT"),
        ("DELETE FROM panel", "DELETE"),
        ("DROP TABLE panel", "DROP"),
        ("CREATE TABLE x AS SELECT 1", "CREATE"),
        ("UPDATE panel SET burden = 0", "UPDATE"),
        ("COPY panel TO '/tmp/natofutures_leak.csv'", "COPY"),
        ("ATTACH '/tmp/natofutures_other.duckdb' AS o", "ATTACH"),
        ("INSTALL httpfs", "LOAD"),
        ("LOAD httpfs", "LOAD"),
        ("PRAGMA enable_profiling", "PRAGMA"),
        ("SET threads = 1", "SET"),
        ("CALL pragma_version()", "CALL"),
        ("EXPORT DATABASE '/tmp/natofutures_export'", "EXPORT"),
        ("SELECT 1; DROP TABLE panel", "2 statements"),
        ("SELECT * FROM read_csv('/etc/passwd')", "refused"),
        ("SELECT * FROM read_text('/etc/hostname')", "refused"),
        ("SELECT * FROM '/etc/passwd'", "failed"),
        ("SELEC 1", "parse"),
    ],
)
def test_sql_guard_refuses_anything_but_a_read(tmp_path: Path, sql: str, needle: str) -> None:
    db = tmp_path / "cat.duckdb"
    with pytest.raises(InputError) as err:
        catalogue.query(sql, db=db)
    msg = str(err.value)
    assert needle in msg
    assert "\n" not in msg
    assert not Path("/tmp/natofutures_leak.csv").exists()
    if db.exists():  # the catalogue still answers and is unchanged
        assert len(catalogue.query("SELECT * FROM panel", db=db)) == len(nf.data.panel())
