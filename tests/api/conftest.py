"""A small world for the API tests: the four example schools (one each in 朝阳 110105, 丰台
110106, 海淀 110108, 通州 110112) plus a second 海淀 school with a service and a device; one user
per role, each with a token; a stored city-wide assessment run."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from campusplan.accounts.models import Profile
from campusplan.accounts.tokens import token_create, token_revoke
from campusplan.assessments.services import assessment_run_create
from campusplan.schools.models import District, School
from campusplan.usecases.imports import import_files
from tests.actors import operator

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HD1, HD2, CY = "1101080101", "1101080102", "1101050301"  # 海淀 ×2, 朝阳
HD, CY_D, FT_D = "110108", "110105", "110106"
ALL_SCHOOLS = {HD1, HD2, CY, "1101060401", "1101120201"}
ALL_DISTRICTS = {"110105", "110106", "110108", "110112"}
PASSWORD = "x-Strong-pass-1"


@dataclass
class World:
    tokens: dict[str, str] = field(default_factory=dict)  # role → secret
    users: dict[str, object] = field(default_factory=dict)
    run_id: int = 0
    cy_run_id: int = 0
    import_runs: list[int] = field(default_factory=list)  # each import re-assesses what it wrote

    def headers(self, role: str) -> dict[str, str]:
        secret = self.tokens.get(role)
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}


# what each role sees: schools and districts
VISIBLE = {
    "city": ALL_SCHOOLS,
    "district": {HD1, HD2},
    "auditor": {HD1, HD2},
    "school": {HD1},
}
VISIBLE_DISTRICTS = {"city": ALL_DISTRICTS, "district": {HD}, "auditor": {HD}, "school": {HD}}


def second_haidian_school(tmp: Path) -> Path:
    doc = json.loads((EXAMPLES / "small-primary.json").read_text(encoding="utf-8"))
    doc |= {"code": HD2, "name": "海淀区示例小学（二）", "services": [
        {"category": "svc40", "name": "作业测评服务", "vendor": "示例教育", "vendor_years": 7}]}
    device = {"school": HD2, "asset_tag": "HD2-SW-1", "kind": "switch", "room": "101",
              "model": "S5735", "purchase_date": "2019-09-01", "cost": 3200}
    path = tmp / "second.json"
    path.write_text(json.dumps({"schools": [doc], "devices": [device]}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def make_user(name: str, level: str, district=None, school=None, read_only=False):
    """A user with a profile; no password (Argon2 is slow on purpose; tokens need none)."""
    user = get_user_model().objects.create_user(name, password=None)
    Profile.objects.create(user=user, level=level, district=district, school=school,
                           read_only=read_only)
    return user


def build_world(tmp: Path) -> World:
    cache.clear()  # rate counts live in the database cache, which transactional tests keep
    world = World()
    # one batch for the examples, a file of its own for HD2
    for paths in (sorted(EXAMPLES.glob("*.json")), [second_haidian_school(tmp)]):
        report = import_files(actor=operator("test"), paths=paths)
        assert report.ok, [p.message() for p in report.problems]
        world.import_runs.append(report.run.pk)
    hd = District.objects.get(code=HD)
    world.users = {
        "city": make_user("city", "city"),
        "district": make_user("haidian", "district", district=hd),
        "school": make_user("school", "school", school=School.objects.get(code=HD1)),
        "auditor": make_user("auditor", "district", district=hd, read_only=True),
    }
    for role, user in world.users.items():
        world.tokens[role] = token_create(user=user, name=f"{role} token")[1]
    revoked, secret = token_create(user=world.users["city"], name="old")
    token_revoke(token=revoked)
    world.tokens["revoked"] = secret
    world.run_id = assessment_run_create(schools=School.objects.all(), scope_kind="all")[0].pk
    world.cy_run_id = assessment_run_create(schools=School.objects.filter(code=CY),
                                            scope_kind="school", scope_code=CY)[0].pk
    return world


@pytest.fixture
def world(db, tmp_path) -> World:
    return build_world(tmp_path)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for a whole module of read-mostly tests: built inside a transaction that is
    rolled back at the end; each test runs in a savepoint inside it (pytest-django's `db`)."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world(tmp_path_factory.mktemp("world"))
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def login(client, user) -> None:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    assert client.login(username=user.get_username(), password=PASSWORD)


ROLES = ("city", "district", "school", "auditor")
DENIED = ("anonymous", "revoked")
