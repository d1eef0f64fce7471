"""The check kinds: one module each, found by walking this package.

Every module other than the shared `base` and `registry` defines one kind and registers it with
`@kinds.register("<key>")`; importing this package imports them all, so adding a kind is adding
one file (docs/catalog.md, "Check kinds: one module each"). Modules load in name order.
"""

from __future__ import annotations

import importlib
import pkgutil

from campusplan.catalog.kinds.base import CheckKind, Collection, RowSource
from campusplan.catalog.kinds.registry import Registry, kinds

SHARED = frozenset({"base", "registry"})

for _module in pkgutil.iter_modules(__path__):
    if _module.name not in SHARED:
        importlib.import_module(f"{__name__}.{_module.name}")


__all__ = ["CheckKind", "Collection", "Registry", "RowSource", "kinds"]
