"""docs/cli.md is generated from the Typer app and stays current; the package keeps its shape."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from campusplan.cli import app
from campusplan.cli.docs import cli_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs"
runner = CliRunner()


def test_cli_reference_is_generated_from_the_app():
    on_disk = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert on_disk == cli_markdown(app), "regenerate with `make docs`"


def test_hidden_command_prints_the_same_reference():
    res = runner.invoke(app, ["cli-docs"])
    assert res.exit_code == 0 and res.output == cli_markdown(app)


def test_every_command_and_subcommand_is_documented():
    text = cli_markdown(app)
    for path in ("assess", "plan", "demo", "survey", "import", "export", "assess-stored",
                 "catalog list", "catalog validate", "token create", "token revoke",
                 "report school", "report district", "report city"):
        assert f"## `campusplan {path}`" in text, path
    assert "cli-docs" not in text.split("\n## ", 1)[1]  # hidden commands stay out


def test_shared_options_are_documented_with_their_help():
    text = cli_markdown(app)
    assert "| `--as-of YYYY-MM-DD` | 评估日期 YYYY-MM-DD |" in text
    assert "| `--format <str>` | table \\| json [default: table] |" in text


def test_a_bad_as_of_date_is_a_usage_error():
    school = Path(__file__).resolve().parents[2] / "examples" / "small-primary.json"
    res = runner.invoke(app, ["assess", str(school), "--as-of", "2026-13-01"])
    assert res.exit_code == 2 and "YYYY-MM-DD" in res.output


def test_importing_the_cli_does_not_import_django():
    code = "import sys, campusplan.cli; print(any(m.split('.')[0] == 'django' for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "False"
