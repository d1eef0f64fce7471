"""The standard as data: schema, loader, check language (pure Python, no Django)."""

from campusplan.catalog.loader import Catalog, load_catalog

__all__ = ["Catalog", "load_catalog"]
