"""Fixtures shared by every test directory: the product catalog and what is built from it
once per session. Stored data comes from tests/factories.py (through the use cases)."""

from __future__ import annotations

import pytest

from campusplan.catalog import load_catalog
from campusplan.exchange.inventory import load_kinds
from campusplan.exchange.layout import build_layout


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def kinds(catalog):
    return load_kinds(catalog)


@pytest.fixture(scope="session")
def layout(catalog, kinds):
    return build_layout(catalog, kinds.labels())
