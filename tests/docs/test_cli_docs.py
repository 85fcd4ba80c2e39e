"""docs/cli.md is generated from the CLI itself; it must match the current command tree."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _generator():  # type: ignore[no-untyped-def]
    path = ROOT / "scripts" / "gen_cli_docs.py"
    spec = importlib.util.spec_from_file_location("gen_cli_docs", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_md_is_up_to_date() -> None:
    text = _generator().render()
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == text, "docs/cli.md is out of date: run python scripts/gen_cli_docs.py"


def test_cli_md_documents_every_command() -> None:
    import typer

    from natofutures.cli import app

    root = typer.main.get_command(app)
    ctx = root.context_class(root, info_name="natofutures")
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in root.list_commands(ctx):  # type: ignore[attr-defined]
        assert f"### `natofutures {name}`" in text
    assert "`--sensitivity-n`" in text and "`--out`, `-o`" in text


def test_citation_cff() -> None:
    import yaml

    import natofutures

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors"):
        assert cff[key]
    assert cff["version"] == natofutures.__version__
    assert all("name" in a or "family-names" in a for a in cff["authors"])
