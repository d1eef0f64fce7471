"""Web tests run against a small fixture standard, never the product catalog."""

import os
from pathlib import Path

import pytest

from campusplan.catalog.loader import Catalog, load_files
from campusplan.web import catalog_source
from tests.web import world as w

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
def member(client, django_user_model):
    """The test client logged in as a user without a scope (every page needs a login)."""
    user = django_user_model.objects.create_user("reader", password="x-Strong-pass-1")
    client.force_login(user)
    return user


@pytest.fixture
def english(client):
    """A client whose session chose English through the language switch."""
    client.post("/i18n/setlang/", {"language": "en", "next": "/catalog/"})
    return client


@pytest.fixture(scope="session")
def product_catalog(catalog) -> Catalog:
    """The product catalog (tests/conftest.py), by a name that says it is not the fixture's."""
    return catalog


@pytest.fixture
def world(monkeypatch, product_catalog, tmp_path, settings):
    """2 districts × 2 schools imported and assessed with the product catalog; users by role.

    The pages read the product catalog too (the fixture standard has none of its facts)."""
    monkeypatch.setattr(catalog_source, "get_catalog", lambda: product_catalog)
    settings.CAMPUSPLAN_UPLOAD_DIR = str(tmp_path / "uploads")
    # the world's users log in with a password in the browser tests; Argon2 would make each of
    # the many worlds a second slower and prove nothing here (tests/accounts checks the hasher)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return w.build(tmp_path / "world")


@pytest.fixture
def login(client):
    """Log the test client in as a user of the world."""

    def as_user(user):
        client.force_login(user)
        return client

    return as_user
