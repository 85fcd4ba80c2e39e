"""The build script regenerates every bundled file byte-identically from the raw folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from natofutures.data.build import TABLES_DIR, write_tables
from natofutures.errors import InputError

REPO = Path(__file__).resolve().parents[2]


def test_build_reproduces_the_bundled_files(raw_dir: Path, tmp_path: Path) -> None:
    written = write_tables(raw_dir, tmp_path)
    bundled = sorted(TABLES_DIR.glob("*.csv"))
    assert [p.name for p in written] == [p.name for p in bundled]
    for new, old in zip(written, bundled, strict=True):
        assert new.read_bytes() == old.read_bytes(), f"{old.name} differs from a fresh build"


def test_build_script_twice_gives_identical_bytes(raw_dir: Path, tmp_path: Path) -> None:
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        res = subprocess.run(
            [sys.executable, str(REPO / "scripts" / "build_data.py"), "--raw", str(raw_dir),
             "--out", str(out)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert res.returncode == 0, res.stderr
    names = sorted(p.name for p in outs[0].iterdir())
    assert names == sorted(p.name for p in outs[1].iterdir())
    assert len(names) == 11  # one file per bundled table
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    assert not list(outs[0].glob(".*.tmp"))  # no temporary files left behind


def test_build_refuses_a_folder_that_is_not_the_raw_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="sipri_milex"):
        write_tables(tmp_path, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
