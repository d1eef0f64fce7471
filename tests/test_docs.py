"""Generated docs stay in step with the catalog; documented commands exist."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from campusplan.catalog import load_catalog
from campusplan.catalog.reference_doc import reference_markdown
from campusplan.cli import app
from campusplan.engine.input_schema import input_schema

DOCS = Path(__file__).resolve().parents[1] / "docs"
REGEN = "regenerate with `make docs`"


def test_catalog_reference_is_generated_from_the_yaml():
    on_disk = (DOCS / "catalog-reference.md").read_text(encoding="utf-8")
    assert on_disk == reference_markdown(load_catalog()), REGEN


def test_the_second_standards_reference_is_generated_from_its_yaml():
    on_disk = (DOCS / "catalog-reference-youzhi.md").read_text(encoding="utf-8")
    assert on_disk == reference_markdown(load_catalog("youzhi")), REGEN
    assert "`campusplan catalog docs --standard youzhi` from `standards/youzhi-2017.yaml`" \
        in on_disk


def test_input_schema_doc_is_current():
    on_disk = json.loads((DOCS / "school-input.schema.json").read_text(encoding="utf-8"))
    assert on_disk == input_schema(load_catalog()), REGEN


def test_commands_quoted_in_the_docs_exist():
    runner = CliRunner()
    text = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.glob("*.md"))
    for cmd in ("catalog list", "catalog show", "catalog params", "catalog facts",
                "catalog validate", "catalog stats", "assess"):
        assert f"campusplan {cmd}" in text, cmd
        res = runner.invoke(app, [*cmd.split(), "--help"])
        assert res.exit_code == 0, cmd
