"""Schemathesis against our own OpenAPI document, in-process through the WSGI application, as a
city account (the widest scope): for every operation, generated requests (valid and invalid)
never get a 5xx, and every response matches its documented status code, content type and
schema.

Transactional database: the real WSGI handler closes the connection after every request, which
a test wrapped in a transaction would not survive.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from campusplan.wsgi import application
from tests.api.world import build_world

EXAMPLES_PER_OPERATION = 20
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def city_headers(transactional_db, tmp_path, settings):
    settings.CAMPUSPLAN_API_RATE = "1000000/min"  # the rate limit has its own test
    world = build_world(tmp_path)
    yield {"Authorization": f"Bearer {world.tokens['city']}"}
    cache.clear()


# Loaded when the module is collected: serving the document needs no database. (Not through
# `schemathesis.pytest.from_fixture`: its lazy loader does not run under pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, city_headers):
    case.call_and_validate(headers=city_headers, checks=CHECKS)
