"""The campaign tests' world: the web world (2 districts × 2 schools, imported and assessed,
one user per role) plus a school user of B and a district user of Xicheng."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from campusplan.usecases import campaigns
from tests import factories
from tests.actors import as_user
from tests.web import world as w

# the browser test drives Playwright's event loop in the test thread (see tests/web/conftest.py)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# the date the campaign use cases judge deadlines on (Asia/Shanghai): the machine's own date is
# a day behind from 16:00 to 24:00 UTC, when a deadline of "today" had already passed
TODAY = timezone.localdate()


@pytest.fixture
def world(tmp_path, settings):
    settings.CAMPUSPLAN_UPLOAD_DIR = str(tmp_path / "uploads")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    users = w.build(tmp_path / "world")
    users["school_b"] = factories.user(username="school_b", role="school", school=w.B,
                                       password=w.PASSWORD)
    users["xicheng"] = factories.user(username="xicheng", role="district", district=w.XICHENG,
                                      password=w.PASSWORD)
    return users


@pytest.fixture
def actors(world):
    return {key: as_user(u) for key, u in world.items()}


def open_city(actors, year: int = 2026, **kw):
    return campaigns.open_campaign(
        actor=actors["city"], school_year=year, as_of=kw.pop("as_of", TODAY),
        deadline=kw.pop("deadline", TODAY + dt.timedelta(days=14)), **kw)


@pytest.fixture
def campaign(actors):
    return open_city(actors, instructions="请于截止日期前提交。")
