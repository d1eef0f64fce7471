"""The layers hold: import-linter's contracts (pyproject.toml), no import cycle between modules,
no function-level import outside the CLI (whose commands must start before Django is set up),
and no name of the standard — a fact key — in Python outside the catalog YAML.

The pure core (CONVENTIONS: pure core, Django shell) is checked by the contracts alone: they
follow every import, at module level, in a function or under TYPE_CHECKING, and every chain
(a pure module importing `campusplan.settings` imports Django). The tests below pin what the
contracts cannot say of themselves: which packages are the pure core, that every package sits
in a layer, and that a planted import does break them."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

from campusplan.catalog.loader import load_catalog

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "campusplan"
LINT = Path(sys.executable).with_name("lint-imports")
PURE = {"catalog", "engine", "exchange", "planning", "reports", "demo"}
# settings: read by Django itself (DJANGO_SETTINGS_MODULE); __main__: run by `python -m
# campusplan`, the CLI door's other entry point; neither is imported by any module
NOT_LAYERED = {"settings", "__main__"}


def _python_files(exclude: tuple[str, ...] = ()) -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py")) if "migrations" not in p.parts
            and not any(part in exclude for part in p.relative_to(SRC).parts)]


def test_import_linter_contracts_are_kept():
    done = subprocess.run([str(LINT), "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "0 broken" in done.stdout


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["type"]: c for c in config["tool"]["importlinter"]["contracts"]}


def _layers() -> list[set[str]]:
    return [{m.strip().removeprefix("campusplan.") for m in layer.split("|")}
            for layer in _contracts()["layers"]["layers"]]


def test_the_pure_core_is_the_bottom_of_the_layers_and_imports_no_django():
    forbidden = _contracts()["forbidden"]
    assert {m.removeprefix("campusplan.") for m in forbidden["source_modules"]} == PURE
    assert {"django", "ninja"} <= set(forbidden["forbidden_modules"])
    layers = _layers()
    first = next(i for i, layer in enumerate(layers) if layer <= PURE)
    assert set().union(*layers[first:]) == PURE  # below every Django app, nothing else there
    assert all((SRC / name).is_dir() for name in PURE)


def test_every_package_sits_in_a_layer():
    modules = {p.stem for p in SRC.glob("*.py") if p.stem != "__init__"} | {
        p.parent.name for p in SRC.glob("*/__init__.py")}
    assert modules - NOT_LAYERED == set().union(*_layers())


def test_the_contracts_catch_an_import_planted_in_the_pure_core(tmp_path):
    """A function-level Django import and an upward import of a Django app, in a copy."""
    copy = tmp_path / "src" / "campusplan"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "locale"))
    with (copy / "engine" / "__init__.py").open("a", encoding="utf-8") as fh:
        fh.write("\n\ndef _planted():\n    import django.db  # noqa\n")
    with (copy / "planning" / "__init__.py").open("a", encoding="utf-8") as fh:
        fh.write("\nimport campusplan.schools.models  # noqa\n")
    done = subprocess.run([str(LINT), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
                          cwd=tmp_path, capture_output=True, text=True,
                          env=os.environ | {"PYTHONPATH": str(tmp_path / "src")})
    assert done.returncode != 0
    assert "campusplan.engine is not allowed to import django" in done.stdout
    assert "campusplan.planning is not allowed to import campusplan.schools" in done.stdout


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        top = stack.pop()
                        on.discard(top)
                        comp.append(top)
                        if top == node:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
            elif child not in index:
                index[child] = low[child] = counter[0]
                counter[0] += 1
                stack.append(child)
                on.add(child)
                work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
            elif child in on:
                low[node] = min(low[node], index[child])
    return out


def test_no_import_cycles():
    assert _cycles(grimp.build_graph("campusplan")) == []


def test_the_cycle_finder_finds_a_cycle():
    class Graph:
        modules = {"a", "b", "c"}

        def find_modules_directly_imported_by(self, m):
            return {"a": {"b"}, "b": {"a"}, "c": {"a"}}[m]

    assert _cycles(Graph()) == [["a", "b"]]


def test_no_function_level_imports_outside_the_cli():
    found = []
    for path in _python_files(exclude=("cli",)):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found += [f"{path.relative_to(SRC)}:{sub.lineno}" for sub in ast.walk(node)
                          if isinstance(sub, ast.Import | ast.ImportFrom)]
    assert found == []


# Two keys of the dictionary are also fields of the school document itself: a service's
# `provided_by` (ServiceDoc, PurchasedService) and a price catalog line's `unit_price`
# (PriceLine, plan lines). The dictionary lists them so the survey has their columns.
STRUCTURAL = {"provided_by", "unit_price"}


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)}


def _named_facts(text: str, keys: set[str]) -> set[str]:
    """Fact keys a string names: the whole string, or a snake_case word of it."""
    words = set(re.findall(r"[a-z][a-z0-9_]*", text))
    return {w for w in words & keys if "_" in w or w == text}


def test_no_fact_of_the_standard_is_named_in_python():
    """Facts are data: Python reads them through the catalog, never by name. The demo's
    synthetic population (demo/) is data of its own, like a test fixture; docstrings may
    quote the YAML."""
    keys = {f.key for f in load_catalog().facts.facts} - STRUCTURAL
    found = []
    for path in _python_files(exclude=("demo",)):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        found += [f"{path.relative_to(SRC)}:{node.lineno} {name}" for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and id(node) not in skip for name in sorted(_named_facts(node.value, keys))]
    assert found == []


def test_the_fact_name_finder_finds_names():
    keys = {"video_retention_days", "antivirus"}
    assert _named_facts("fact.video_retention_days >= 30", keys) == {"video_retention_days"}
    assert _named_facts("antivirus", keys) == {"antivirus"}
    assert _named_facts("install antivirus software", keys) == set()
