"""Every example in README.md and docs/*.md runs, so the documentation cannot rot.

Conventions (see docs/tutorial.md):

- a fenced ```python block is executed; the blocks of one page share a namespace and run in
  order, in a scratch working directory, with NATOFUTURES_STORE/NATOFUTURES_DB in temp dirs;
- in a fenced ```console block, each line starting with ``$ natofutures`` is run through the
  CLI entry point and must exit 0 (``> FILE`` at the end redirects its output); the other
  lines are output shown for the reader. A block marked ``generated`` (```console generated)
  is instead run as written by scripts/gen_doc_outputs.py, and tests/docs/test_doc_outputs.py
  compares its output with the page, so printed numbers cannot go stale;
- a block whose info string has ``file=NAME`` (e.g. ```yaml file=slow_exit.yaml) is written
  to NAME in the working directory before the later blocks run;
- ```sh, ```text, ```yaml (without file=) and unlabelled blocks are not run.

Pages written before this test existed use large draw counts in a few examples; the test
scales Monte Carlo sizes down (``draws``/``--draws`` to at most 20, SMAA and sensitivity
sample sizes likewise) so the whole suite stays fast; the code paths are the same.
:data:`NOT_RUNNABLE` lists, with the reason, the few example lines that cannot run as
written (they name the reader's own files).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from contextlib import redirect_stdout
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest

from natofutures.cli import main

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])

#: (page, text in the line) of example lines that cannot run as written, and why.
NOT_RUNNABLE = {
    ("stress.md", "my_crisis.yaml"): "names the reader's own scenario file",
}

FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```\s*$", re.M | re.S)


@dataclass
class Block:
    page: str
    line: int
    lang: str
    info: str
    text: str


def blocks(path: Path) -> Iterator[Block]:
    source = path.read_text(encoding="utf-8")
    for m in FENCE.finditer(source):
        info = m.group(1).strip()
        lang = info.split()[0] if info else ""
        yield Block(path.name, source[: m.start()].count("\n") + 1, lang, info, m.group(2))


def _small(text: str) -> str:
    """Scale Monte Carlo sizes down (same code paths, seconds instead of minutes)."""
    text = re.sub(r"(draws\s*=\s*)(\d+)", lambda m: m.group(1) + str(min(int(m.group(2)), 20)),
                  text)
    text = re.sub(r"(--draws[ =])(\d+)", lambda m: m.group(1) + str(min(int(m.group(2)), 20)),
                  text)
    text = re.sub(r"(smaa_samples\s*=\s*)([\d_]+)",
                  lambda m: m.group(1) + str(min(int(m.group(2)), 2000)), text)
    return re.sub(r"(--smaa-samples[ =])(\d+)",
                  lambda m: m.group(1) + str(min(int(m.group(2)), 2000)), text)


def _skipped(page: str, line: str) -> bool:
    return any(p == page and needle in line for (p, needle) in NOT_RUNNABLE)


def run_console_line(line: str, page: str) -> None:
    args = shlex.split(_small(line[2:]), comments=True)
    target = None
    if len(args) >= 2 and args[-2] == ">":
        target, args = args[-1], args[:-2]
    assert args[0] == "natofutures", line
    buf = StringIO()
    with redirect_stdout(buf), pytest.raises(SystemExit) as info:
        main(args[1:])
    code = info.value.code
    assert code in (0, None), f"{page}: `{line}` exited {code}"
    if target:
        Path(target).write_text(buf.getvalue(), encoding="utf-8")


def run_page(path: Path) -> int:
    namespace: dict[str, object] = {"__name__": "__doc_example__"}
    ran = 0
    for block in blocks(path):
        name = re.search(r"\bfile=(\S+)", block.info)
        if name:
            Path(name.group(1)).write_text(block.text, encoding="utf-8")
        elif block.lang == "python":
            code = compile(_small(block.text), f"{block.page}:{block.line}", "exec")
            exec(code, namespace)
            ran += 1
        elif block.lang == "console" and "generated" not in block.info.split():
            # generated blocks run as written (full draws) in test_doc_outputs.py
            for line in block.text.splitlines():
                if line.startswith("$ natofutures") and not _skipped(block.page, line):
                    run_console_line(line, block.page)
                    ran += 1
    return ran


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NATOFUTURES_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("NATOFUTURES_DB", str(tmp_path / "catalogue.duckdb"))
    monkeypatch.setenv("COLUMNS", "100")
    return tmp_path


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_examples_run(path: Path, scratch: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    run_page(path)


def test_new_pages_have_examples() -> None:
    for name in ("README.md", "index.md", "tutorial.md", "api.md"):
        path = ROOT / name if name == "README.md" else ROOT / "docs" / name
        langs = [b.lang for b in blocks(path)]
        assert "python" in langs or "console" in langs, name


def test_api_md_lists_every_endpoint() -> None:
    from natofutures.service.app import create_app

    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    spec = create_app().openapi()
    for path, methods in spec["paths"].items():
        if not path.startswith("/api"):
            continue
        for method in methods:
            assert f"| {method.upper()} | `{path}` |" in text, (method, path)
