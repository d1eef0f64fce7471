"""`campusplan --help` and the database-only commands start without the heavy libraries: the
catalog, the engine (Polars), the report writers (openpyxl, python-docx) load when a command
needs them. Run in a fresh interpreter, since this test process has long imported them all."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("polars", "numpy", "openpyxl", "docx", "django", "pydantic")

PROBE = """
import json, runpy, sys
sys.argv = ["campusplan", *sys.argv[1:]]
try:
    runpy.run_module("campusplan", run_name="__main__")
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.stderr)
"""


def _loaded(*args: str) -> tuple[list[str], str]:
    out = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
                         capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stderr.strip().splitlines()[-1]), out.stdout


def test_importing_the_cli_loads_none_of_the_heavy_libraries():
    out = subprocess.run([sys.executable, "-c", "import sys, campusplan.cli; "
                          f"print([m for m in {HEAVY!r} if m in sys.modules])"],
                         capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]"


def test_help_lists_the_commands_without_polars():
    loaded, help_text = _loaded("--help")
    assert loaded == []
    assert "assess" in help_text and "catalog" in help_text


def test_a_subcommand_help_stays_light_too():
    loaded, help_text = _loaded("report", "school", "--help")
    assert "polars" not in loaded and "docx" not in loaded
    assert "--output" in help_text


def test_a_command_over_the_catalog_does_load_polars():
    # the probe can see a heavy library: a command that needs Polars loads it
    loaded, _ = _loaded("catalog", "stats", "--lang", "en")
    assert "polars" in loaded


def test_the_cli_default_standard_is_the_loaders():
    from campusplan.catalog.loader import DEFAULT_STANDARD
    from campusplan.cli import catalog

    assert catalog.DEFAULT_STANDARD == DEFAULT_STANDARD
