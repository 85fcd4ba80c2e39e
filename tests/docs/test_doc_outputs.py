"""Printed outputs in the docs are what the commands print today (they cannot go stale).

Blocks marked ``generated`` in README.md and docs/*.md are rewritten from a fresh run by
``scripts/gen_doc_outputs.py``; here every such page is regenerated in memory and must equal
the file. When the model changes on purpose, run ``python scripts/gen_doc_outputs.py`` and
commit the pages.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _generator() -> ModuleType:
    path = ROOT / "scripts" / "gen_doc_outputs.py"
    spec = importlib.util.spec_from_file_location("gen_doc_outputs", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _generator()


def test_the_tutorial_and_readme_have_generated_outputs() -> None:
    names = {p.name for p in GEN.pages()}
    assert {"README.md", "tutorial.md"} <= names


@pytest.mark.parametrize("page", GEN.pages(), ids=lambda p: p.name)
def test_generated_outputs_match_a_fresh_run(page: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    fresh = GEN.render(page)
    current = page.read_text(encoding="utf-8")
    assert fresh == current, (
        f"{page.name}: printed outputs are stale; run python scripts/gen_doc_outputs.py"
    )


def test_a_stale_number_is_caught(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("```console generated\n$ natofutures scenario validate nothing.yaml\n```\n")
    with pytest.raises(SystemExit, match="exited 2"):
        GEN.render(page)  # a failing command is an error, not an empty output
    page.write_text(
        "```yaml file=s.yaml\nname: s\nposture: division_of_labor\n```\n\n"
        "```console generated\n$ natofutures scenario validate s.yaml\nvalid: 3.48%\n```\n"
    )
    fresh = GEN.render(page)
    assert "3.48%" not in fresh and "valid scenario: s (posture division_of_labor" in fresh


def test_run_ids_are_masked_but_hashes_kept() -> None:
    text = "stored as run 612b84b38a (natofutures runs show 612b84b38a)\nscenario ca539b1ba580"
    assert GEN.normalise(text) == (
        "stored as run RUN_ID (natofutures runs show RUN_ID)\nscenario ca539b1ba580"
    )
