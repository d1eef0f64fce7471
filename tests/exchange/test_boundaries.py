"""The exchange package is pure: it imports no Django and no campusplan Django app."""

import ast
from pathlib import Path

import campusplan.exchange as exchange

FORBIDDEN = ("django", "campusplan.schools", "campusplan.assessments", "campusplan.accounts",
             "campusplan.web")


def test_exchange_imports_no_django():
    for path in Path(exchange.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"
