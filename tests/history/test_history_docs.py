"""Every command and Python example in docs/history.md runs."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from natofutures.cli import main

DOC = Path(__file__).resolve().parents[2] / "docs" / "history.md"


def _commands() -> list[list[str]]:
    lines = [ln for ln in DOC.read_text(encoding="utf-8").splitlines() if ln.startswith("$ ")]
    return [shlex.split(ln[2:].split("#")[0])[1:] for ln in lines]


def test_the_doc_lists_commands() -> None:
    assert len(_commands()) >= 6


@pytest.mark.parametrize("args", _commands(), ids=" ".join)
def test_documented_command_runs(
    args: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # --plot charts/ writes here
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code in (0, None), capsys.readouterr().err


def test_python_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert blocks
    for code in blocks:
        exec(compile(code, str(DOC), "exec"), {})
    out = capsys.readouterr().out
    assert "1965" in out and "ISL" in out
