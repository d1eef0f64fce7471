"""The API tests' world (tests/api/world.py): one per test, or one per module for read-mostly
tests."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.api.world import World, build_world


@pytest.fixture
def world(db, tmp_path) -> World:
    return build_world(tmp_path)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for a whole module of read-mostly tests: built inside a transaction that is
    rolled back at the end; each test runs in a savepoint inside it (pytest-django's `db`)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world(tmp_path_factory.mktemp("world"))
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
