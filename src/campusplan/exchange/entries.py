"""What one import says about each school, every value with the cell (or JSON path) it came
from: the shared shapes of bundle.py (tables) and jsondoc.py (JSON documents)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from campusplan.exchange.inventory import DeviceRow
from campusplan.exchange.problems import Location, Problem
from campusplan.exchange.readers import Table


@dataclass
class Val:
    value: Any
    where: Location
    note: str = ""  # how a derived value was computed


@dataclass
class Entry:
    """A room, a service or a school: keyed values, each with its cell."""

    key: str
    where: Location
    values: dict[str, Val] = field(default_factory=dict)


@dataclass
class SchoolIn(Entry):
    rooms: dict[str, Entry] = field(default_factory=dict)
    services: dict[tuple[str, str], Entry] = field(default_factory=dict)
    devices: dict[str, DeviceRow] = field(default_factory=dict)
    extra: dict[str, Val] = field(default_factory=dict)  # unknown JSON keys, for the validator


@dataclass
class Bundle:
    schools: dict[str, SchoolIn] = field(default_factory=dict)
    district_services: dict[tuple[str, str, str], Entry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    snipeit: list[Table] = field(default_factory=list)
    templates: list[dict[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)  # device kinds the mapping knows

    def school(self, code: str, where: Location) -> SchoolIn:
        if code not in self.schools:
            self.schools[code] = SchoolIn(code, where)
        return self.schools[code]

    def put(self, values: dict[str, Val], key: str, val: Val) -> None:
        old = values.get(key)
        if old is not None and old.value != val.value:
            first = old.where.describe()
            self.problems.append(Problem(f"与 {first} 的取值 {old.value!r} 不一致",
                                         f"conflicts with {old.value!r} at {first}",
                                         val.where, val.value))
        elif old is None:
            values[key] = val
