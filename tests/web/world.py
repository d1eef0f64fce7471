"""The workspace tests' world: 2 districts × 2 schools (the example schools under new codes and
names), imported through the use case from JSON files, assessed by it, and one user per role.
Built from tests/factories.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests import factories
from tests.factories import PASSWORD  # noqa: F401  (the browser tests sign in with it)

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

    @property
    def role(self) -> str:
        """The factory's role: an auditor is a read-only district user."""
        return "auditor" if self.read_only else self.level

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


def build(folder: Path) -> dict:
    """The world, stored; its users by role key."""
    factories.stored(paths=[  # one batch: imported, then assessed
        factories.write_file(path=folder / f"{code}.json", schools=[factories.school_doc(
            example=example, code=code, name=name, district=district)])
        for code, name, district, example in SCHOOLS])
    return {key: factories.user(username=role.name, role=role.role, district=role.district,
                                school=role.school, password=PASSWORD)
            for key, role in ROLES.items()}
