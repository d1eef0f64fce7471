"""Web tests run against a small fixture standard, never the product catalog."""

import os
from pathlib import Path

import pytest

from campusplan.catalog.loader import Catalog, load_files
from campusplan.web import catalog_source

# Playwright's sync API runs an event loop in the test thread; Django then refuses ORM calls
# there unless told this is fine (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixture_catalog() -> Catalog:
    return load_files(FIXTURES / "standard.yaml", FIXTURES / "facts.yaml")


@pytest.fixture(autouse=True)
def _use_fixture_catalog(monkeypatch, fixture_catalog):
    monkeypatch.setattr(catalog_source, "get_catalog", lambda: fixture_catalog)


@pytest.fixture
def english(client):
    """A client whose session chose English through the language switch."""
    client.post("/i18n/setlang/", {"language": "en", "next": "/catalog/"})
    return client
