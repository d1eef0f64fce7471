"""Fixtures shared by every test directory: the product catalog and what is built from it
once per session. Stored data comes from tests/factories.py (through the use cases)."""

from __future__ import annotations

import pytest
from django.conf import settings

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


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite tests run on a file, as the product does: an in-memory database shared between
    threads (shared cache) refuses a second writer at once instead of letting it wait, so the
    concurrency tests could not show writers serialising (tests/usecases/test_concurrency.py)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(autouse=True, scope="session")
def _run_files(tmp_path_factory):
    """Each stored run writes its Parquet matrix (assessments/matrix.py) under a temporary
    directory, never the checkout's var/ — for the whole session, so the worlds that modules
    build once (before any function's `settings`) write where their tests read."""
    from django.conf import settings as django_settings

    django_settings.CAMPUSPLAN_RUN_DIR = str(tmp_path_factory.getbasetemp() / "runs")
