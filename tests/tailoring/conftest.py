"""The tailoring, deviation and evidence tests use the web tests' world (tests/web/world.py)."""

from tests.web.conftest import *  # noqa: F403
