"""A small world for the workspace tests: 2 districts × 2 schools, imported through
`import_files` from JSON files (the example schools under new codes and names), assessed once,
and one user per role."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model

from campusplan.accounts.models import Profile
from campusplan.schools.models import District, School
from campusplan.usecases.imports import import_files
from tests.actors import operator

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORD = "x-Strong-pass-1"

HAIDIAN, XICHENG = "110108", "110102"
# code, name, district, example file: names and codes unlike anything else on a page
SCHOOLS = [
    ("1101080001", "海淀甲小学", HAIDIAN, "small-primary.json"),
    ("1101080002", "海淀乙中学", HAIDIAN, "complete-secondary.json"),
    ("1101020001", "西城丙小学", XICHENG, "violations.json"),
    ("1101020002", "西城丁学校", XICHENG, "nine-year-school.json"),
]
A, B, C, D = (s[0] for s in SCHOOLS)
NAMES = {code: name for code, name, _d, _f in SCHOOLS}
DISTRICT_NAMES = {HAIDIAN: "海淀区", XICHENG: "西城区"}


def school_doc(code: str, name: str, district: str, example: str) -> dict:
    doc = json.loads((EXAMPLES / example).read_text(encoding="utf-8"))
    doc = doc["schools"][0] if "schools" in doc else doc
    return doc | {"code": code, "name": name, "district": district}


def write_files(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for code, name, district, example in SCHOOLS:
        path = folder / f"{code}.json"
        path.write_text(json.dumps(school_doc(code, name, district, example), ensure_ascii=False),
                        encoding="utf-8")
        paths.append(path)
    return paths


@dataclass
class Role:
    name: str
    level: str
    district: str | None = None
    school: str | None = None
    read_only: bool = False

    def visible(self) -> set[str]:
        if self.level == "city":
            return set(NAMES)
        if self.level == "district":
            return {c for c, _n, d, _f in SCHOOLS if d == self.district}
        return {self.school}

    def can_edit(self) -> bool:
        return not self.read_only

    def hidden_strings(self, districts: bool = True) -> list[str]:
        """Codes and names this role must never see: other schools, and (on the pages) other
        districts. District codes are public reference data (GB/T 2260) — the API's schema may
        quote one as an example — so `districts=False` leaves them out."""
        out = [s for c in set(NAMES) - self.visible() for s in (c, NAMES[c])]
        if self.level != "city" and districts:
            mine = {d for c, _n, d, _f in SCHOOLS if c in self.visible()}
            out += [s for d in DISTRICT_NAMES if d not in mine for s in (d, DISTRICT_NAMES[d])]
        return out


ROLES = {
    "city": Role("city", "city"),
    "haidian": Role("haidian", "district", district=HAIDIAN),
    "school": Role("school_a", "school", school=A),
    "auditor": Role("auditor", "district", district=HAIDIAN, read_only=True),
}


def make_user(role: Role):
    user = get_user_model().objects.create_user(role.name, password=PASSWORD)
    district = District.objects.get(code=role.district) if role.district else None
    school = School.objects.get(code=role.school) if role.school else None
    Profile.objects.create(user=user, level=role.level, district=district, school=school,
                           read_only=role.read_only)
    return user


def build(folder: Path, catalog) -> dict:
    report = import_files(actor=operator("test"), paths=write_files(folder))  # assesses them
    assert report.ok, [p.message() for p in report.problems]
    return {key: make_user(role) for key, role in ROLES.items()}
