"""Crosswalks between standards as data (standards/crosswalks/*.yaml), in the manner of CISO
Assistant's mapping libraries: a mapping names items of a source and a target standard and how
they relate (equal, subset, superset, intersect, not_related), with a rationale in both
languages. Read from either side: `for_standard(key)` turns the mappings towards `key`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from campusplan.catalog.base import Strict, Text
from campusplan.catalog.loader import STANDARDS_DIR, read_yaml

CROSSWALKS_DIR = STANDARDS_DIR / "crosswalks"
Relationship = Literal["equal", "subset", "superset", "intersect", "not_related"]
# read from the other side, a subset is a superset
REVERSED = {"subset": "superset", "superset": "subset"}


class Side(Strict):
    items: list[int]


class Mapping(Strict):
    source: Side
    target: Side
    relationship: Relationship
    rationale: Text


class Crosswalk(Strict):
    source: str
    target: str
    note: str
    mappings: list[Mapping]


@dataclass(frozen=True)
class Link:
    """One mapping seen from `standard`: its items there, the other standard and its items."""

    standard: str
    items: list[int]
    other: str
    other_items: list[int]
    relationship: str
    rationale: Text


@cache
def crosswalks() -> tuple[Crosswalk, ...]:
    return tuple(Crosswalk.model_validate(read_yaml(p))
                 for p in sorted(CROSSWALKS_DIR.glob("*.yaml")))


def for_standard(key: str) -> list[Link]:
    out = []
    for cw in crosswalks():
        for m in cw.mappings:
            if cw.source == key:
                out.append(Link(key, m.source.items, cw.target, m.target.items,
                                m.relationship, m.rationale))
            elif cw.target == key and m.target.items:
                out.append(Link(key, m.target.items, cw.source, m.source.items,
                                REVERSED.get(m.relationship, m.relationship), m.rationale))
    return out


RELATIONSHIPS: dict[str, Text] = {
    "equal": Text(zh="相同", en="equal"),
    "subset": Text(zh="包含于", en="subset"),
    "superset": Text(zh="包含", en="superset"),
    "intersect": Text(zh="部分重合", en="intersect"),
    "not_related": Text(zh="无对应", en="not related"),
}
