"""Regenerate the printed outputs in README.md and docs/*.md (so they cannot go stale).

A fenced block marked ``generated`` is rewritten from a fresh run:

- ```` ```console generated ````: every ``$ natofutures …`` line is run as written (no
  scaling of draws), in a scratch folder with a temporary runs store, 100 columns wide; the
  lines under it, up to the next ``$`` line, are replaced by what it printed.
- ```` ```text generated from=PATH ````: the block is replaced by the first paragraph of
  ``PATH`` (written by an earlier generated command of the same page, e.g.
  ``report/summary.md``), wrapped at 95 columns.

``file=NAME`` blocks of the page are written to the scratch folder first, in order, as the doc
tests do. Run ids change from run to run; they print as ``RUN_ID``. Everything else is
seeded, so the same code and data give the same text: ``tests/docs/test_doc_outputs.py``
regenerates every marked block and fails when a page differs.

    python scripts/gen_doc_outputs.py            # rewrite the marked blocks in place
    python scripts/gen_doc_outputs.py --check    # exit 1 naming each stale block
    python scripts/gen_doc_outputs.py docs/tutorial.md   # one page only
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIDTH = 100
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```[ \t]*$", re.M | re.S)
# a run id after "run"/"runs show"/"--run": random per run (the store's key), unlike hashes
RUN_ID = re.compile(r"\b(run|runs show|--run)( +)([0-9a-f]{8,16})\b")


def pages() -> list[Path]:
    """README.md and every docs/*.md with at least one generated block."""
    found = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return [p for p in found if any(_generated(m.group(1)) for m in _fences(p.read_text()))]


def _fences(text: str) -> Iterator[re.Match[str]]:
    return FENCE.finditer(text)


def _generated(info: str) -> bool:
    return "generated" in info.split()


def normalise(text: str) -> str:
    """Output as it goes into a page: run ids replaced, trailing spaces and blank ends cut."""
    text = RUN_ID.sub(lambda m: f"{m.group(1)}{m.group(2)}RUN_ID", text)
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


@contextmanager
def _scratch() -> Iterator[Path]:
    """A scratch working folder with its own runs store and catalogue, 100 columns wide."""
    from natofutures.cli._app import console

    old_cwd, old_env, old_width = Path.cwd(), dict(os.environ), console.width
    with tempfile.TemporaryDirectory(prefix="natofutures-docs-") as tmp:
        os.chdir(tmp)
        os.environ["NATOFUTURES_STORE"] = str(Path(tmp) / "store")
        os.environ["NATOFUTURES_DB"] = str(Path(tmp) / "catalogue.duckdb")
        os.environ["COLUMNS"] = str(WIDTH)
        console.width = WIDTH
        try:
            yield Path(tmp)
        finally:
            os.chdir(old_cwd)
            os.environ.clear()
            os.environ.update(old_env)
            console.width = old_width


def run_command(line: str) -> str:
    """Run one ``$ natofutures …`` line in-process; its normalised stdout."""
    from natofutures.cli import main

    args = shlex.split(line.removeprefix("$").strip(), comments=True)
    if args[0] != "natofutures":
        raise SystemExit(f"not a natofutures command: {line}")
    buf = StringIO()
    code: object = 0
    with redirect_stdout(buf):
        try:
            main(args[1:])
        except SystemExit as exc:
            code = exc.code
    if code not in (0, None):
        raise SystemExit(f"`{line}` exited {code}")
    return normalise(buf.getvalue())


def _console_block(body: str) -> str:
    out: list[str] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            out.append(line)
            printed = run_command(line)
            if printed:
                out.append(printed)
    return "\n".join(out) + "\n"


def _first_paragraph(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    paras = [p for p in re.split(r"\n\s*\n", text) if p.strip() and not p.startswith("#")]
    return textwrap.fill(" ".join(paras[0].split()), width=95) + "\n"


def render(page: Path) -> str:
    """The page with every generated block rewritten from a fresh run."""
    text = page.read_text(encoding="utf-8")
    out: list[str] = []
    last = 0
    with _scratch() as tmp:
        for m in _fences(text):
            info, body = m.group(1).strip(), m.group(2)
            name = re.search(r"\bfile=(\S+)", info)
            if name:
                (tmp / name.group(1)).write_text(body, encoding="utf-8")
            if not _generated(info):
                continue
            source = re.search(r"\bfrom=(\S+)", info)
            new = _first_paragraph(tmp / source.group(1)) if source else _console_block(body)
            out.append(text[last : m.start(2)] + new)
            last = m.end(2)
    return "".join(out) + text[last:]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    chosen = [ROOT / a for a in argv if not a.startswith("--")] or pages()
    stale = []
    for page in chosen:
        new = render(page)
        if new != page.read_text(encoding="utf-8"):
            stale.append(page.relative_to(ROOT))
            if not check:
                page.write_text(new, encoding="utf-8")
    verb = "out of date" if check else "regenerated"
    for page in stale:
        print(f"{page}: {verb}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
