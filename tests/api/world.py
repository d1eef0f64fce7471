"""The API's world: the four example schools (one each in 朝阳 110105, 丰台 110106, 海淀 110108,
通州 110112) plus a second 海淀 school with a service and a device; one user per role, each with
a token; a stored city-wide assessment run and one of the 朝阳 school alone. Built from
tests/factories.py; tests/test_doors.py uses it too."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import cache

from campusplan.schools.models import School
from tests import factories

HD1, HD2, CY = "1101080101", "1101080102", "1101050301"  # 海淀 ×2, 朝阳
HD, CY_D, FT_D = "110108", "110105", "110106"
ALL_SCHOOLS = {HD1, HD2, CY, "1101060401", "1101120201"}
ALL_DISTRICTS = {"110105", "110106", "110108", "110112"}


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
# role → (user name, district, school)
USERS = {"city": ("city", None, None), "district": ("haidian", HD, None),
         "school": ("school", None, HD1), "auditor": ("auditor", HD, None)}


def second_haidian_school(tmp: Path) -> Path:
    service = {"category": "svc40", "name": "作业测评服务", "vendor": "示例教育", "vendor_years": 7}
    doc = factories.school_doc(example="small-primary.json", code=HD2, name="海淀区示例小学（二）",
                               services=[service])
    device = {"school": HD2, "asset_tag": "HD2-SW-1", "kind": "switch", "room": "101",
              "model": "S5735", "purchase_date": "2019-09-01", "cost": 3200}
    return factories.write_file(path=tmp / "second.json", schools=[doc], devices=[device])


def build_world(tmp: Path) -> World:
    cache.clear()  # rate counts live in the database cache, which transactional tests keep
    world = World()
    # one batch for the examples, a file of its own for HD2
    for paths in (factories.example_files(), [second_haidian_school(tmp)]):
        world.import_runs.append(factories.stored(paths=paths).run.pk)
    for role, (name, district, school) in USERS.items():
        world.users[role] = factories.user(username=name, role=role, district=district,
                                           school=school)
        world.tokens[role] = factories.token(user=world.users[role], name=f"{role} token")
    world.tokens["revoked"] = factories.token(user=world.users["city"], name="old", revoked=True)
    world.run_id = factories.assessed(schools=School.objects.all()).pk
    world.cy_run_id = factories.assessed(schools=School.objects.filter(code=CY)).pk
    return world


ROLES = ("city", "district", "school", "auditor")
DENIED = ("anonymous", "revoked")
