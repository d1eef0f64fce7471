"""The one place the pages get the standard from (tests monkeypatch `get_catalog`)."""

from campusplan.catalog import Catalog, load_catalog


def get_catalog() -> Catalog:
    return load_catalog()
