"""The check-kind registry is the only dispatch on kinds: every kind is one complete module.

CONVENTIONS: check operators are a registry of small classes. These tests fail when a kind
lacks a hook, when the `Check` union and the registry disagree, or when code outside
catalog/kinds dispatches on kind names again (an if/elif on `check.kind`, a per-kind table).
"""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest

from campusplan.catalog import load_catalog
from campusplan.catalog.base import Text
from campusplan.catalog.kinds import CheckKind, Registry, kinds
from campusplan.catalog.schema import Check, Requirement

SRC = Path(__file__).resolve().parents[2] / "src" / "campusplan"
KINDS_DIR = SRC / "catalog" / "kinds"
OWN_HOOKS = ("polars", "decide", "explain_known")  # no sensible default: each kind decides
KEYS = kinds.keys()


def test_every_module_of_the_package_is_one_registered_kind():
    modules = {p.stem for p in KINDS_DIR.glob("*.py")} - {"__init__", "base", "registry"}
    assert modules == set(KEYS)
    for key, cls in kinds.items():
        assert cls.__module__ == f"campusplan.catalog.kinds.{key}"


@pytest.mark.parametrize("key", KEYS)
def test_kind_declares_its_fields_strictly_with_a_yaml_example(key):
    cls = kinds.get(key)
    assert issubclass(cls, CheckKind)
    assert typing.get_args(cls.model_fields["kind"].annotation) == (key,)
    assert cls.model_config["extra"] == "forbid" and cls.model_config["frozen"] is True
    assert f"{{kind: {key}" in cls.__doc__, "the docstring shows a YAML example"


@pytest.mark.parametrize("key", KEYS)
def test_kind_has_every_hook(key):
    cls = kinds.get(key)
    for hook in OWN_HOOKS:
        assert getattr(cls, hook) is not getattr(CheckKind, hook), f"{key} lacks {hook}()"
    for hook in ("expressions", "reads", "row_source", "measure", "plan_quantity", "meaning",
                 "explain"):
        assert callable(getattr(cls, hook))
    assert isinstance(cls.label, Text) and cls.label.zh and cls.label.en
    assert cls.templates and all(isinstance(t, Text) for t in cls.templates.values())
    assert set(cls.expression_fields) <= set(cls.model_fields)


def test_check_union_is_the_registry():
    union = typing.get_args(Check)[0]
    assert set(typing.get_args(union)) == set(kinds.values())
    assert Requirement.model_fields["check"].discriminator == "kind"


def test_catalog_checks_are_registered_kinds():
    for _a, _i, req in load_catalog().standard.requirements():
        assert type(req.check) is kinds.get(req.check.kind)


def test_registry_refuses_a_key_twice():
    reg = Registry("thing")
    reg.register("a")(type("A", (), {}))
    with pytest.raises(ValueError, match="registered twice"):
        reg.register("a")(type("B", (), {}))
    with pytest.raises(KeyError, match="unknown thing `b`"):
        reg.get("b")


def test_the_shared_modules_name_no_kind():
    """The union, the package and the registry are built from registration alone."""
    for path in (SRC / "catalog" / "schema.py", KINDS_DIR / "__init__.py",
                 KINDS_DIR / "registry.py"):
        text = path.read_text(encoding="utf-8")
        assert not [k for k in KEYS if re.search(rf"[\"']{k}[\"']", text)], path


# --- no dispatch outside catalog/kinds ------------------------------------------------------------

NAMES = "|".join(KEYS)
CLASSES = "|".join(cls.__name__ for cls in kinds.values())
DISPATCH = [
    re.compile(r"check\.kind\s*(==|!=|\bin\b)"),  # if check.kind == ... / in (...)
    re.compile(rf"(==|!=|\bin\b)\s*[\(\[\{{]?\s*[\"']({NAMES})[\"']"),  # kind == "ratio"
    re.compile(rf"isinstance\([^)]*\b({CLASSES})\b"),  # isinstance(check, Each)
    re.compile(rf"\bimport\b[^\n]*\b({CLASSES})\b"),  # importing a kind's class to test for it
]


def _outside_kinds() -> list[Path]:
    files = [*SRC.rglob("*.py"), *SRC.rglob("*.html")]
    return [p for p in files if KINDS_DIR not in p.parents and "vendor" not in p.parts]


@pytest.mark.parametrize("path", _outside_kinds(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_dispatch_on_kind_outside_the_registry(path):
    text = path.read_text(encoding="utf-8")
    hits = [m.group(0) for pattern in DISPATCH for m in pattern.finditer(text)]
    # a table keyed by kind names (labels, templates, expression fields per kind)
    named = {k for k in KEYS if re.search(rf"[\"']{k}[\"']", text)}
    assert not hits, f"{path}: {hits}"
    assert len(named) < 3, f"{path} names the kinds {sorted(named)}: ask the registry"
