"""Pure packages import no Django (CONVENTIONS: pure core, Django shell)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "campusplan"
PURE = ["catalog", "engine", "planning", "exchange", "reports", "demo"]
DJANGO_APPS = ("campusplan.schools", "campusplan.assessments", "campusplan.accounts",
               "campusplan.web", "campusplan.api")


def imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


FILES = [p for pkg in PURE if (SRC / pkg).exists() for p in sorted((SRC / pkg).rglob("*.py"))]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_pure_package_imports_no_django(path):
    bad = {m for m in imports(path) if m.split(".")[0] == "django" or m.startswith(DJANGO_APPS)}
    assert not bad, f"{path}: {bad}"


def test_there_are_pure_files_to_check():
    assert len(FILES) > 10
