"""The standard as data: schema, loader, check language (pure Python, no Django)."""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["Catalog", "load_catalog"]

# The loader pulls in the check kinds and through them Polars: resolved on first use, so that
# importing a light module of this package (vocabulary, codes) stays light for the CLI's --help.
if TYPE_CHECKING:
    from campusplan.catalog.loader import Catalog, load_catalog


def __getattr__(name: str):
    if name in __all__:
        from campusplan.catalog import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
