"""Detailed inventory: device kinds, the Snipe-IT asset export, and the facts devices add up to.

`device_kinds.yaml` (beside this file, or a district's own copy) names each kind, the fact it
counts, and maps Snipe-IT categories onto kinds. It is checked against the fact dictionary when
loaded: a kind may only count an existing int fact, or set an existing yes/no room fact.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from campusplan.catalog.loader import Catalog
from campusplan.catalog.schema import FactType, Scope, Text
from campusplan.exchange.layout import normal, to_number
from campusplan.exchange.problems import Location, Problem, fail
from campusplan.planning.prices import default_prices

KINDS_FILE = Path(__file__).with_name("device_kinds.yaml")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Kind(_Strict):
    label: Text
    school_fact: str | None = None
    room_fact: str | None = None
    price_line: str | None = None  # standards/prices.yaml: what replaces it at end of life


class SnipeIt(_Strict):
    categories: dict[str, str]
    skip_statuses: list[str] = []


class DeviceKinds(_Strict):
    version: str
    kinds: dict[str, Kind]
    snipeit: SnipeIt

    def labels(self) -> dict[str, Text]:
        return {k: v.label for k, v in self.kinds.items()}

    def category_kind(self) -> dict[str, str]:
        return {normal(c): k for c, k in self.snipeit.categories.items()}

    def kind_of_line(self) -> dict[str, str]:
        """Price line → the first kind replaced by it (for the engine's `devices`)."""
        out: dict[str, str] = {}
        for key, kind in self.kinds.items():
            if kind.price_line:
                out.setdefault(kind.price_line, key)
        return out


# validated mappings by (file, content, catalog): a fact edit asked for the mapping three times
# and parsed its YAML each time (≈ 50 ms of a ≈ 600 ms edit here); kept per process, the file's
# content read again on every call so that an edited mapping is seen at once
_KEPT: dict[tuple[str, str, str], DeviceKinds] = {}
_KEPT_MAX = 16  # uploaded mappings are files of their own: bounded


def load_kinds(catalog: Catalog, path: Path | None = None) -> DeviceKinds:
    path = Path(path or KINDS_FILE)
    try:
        raw = path.read_bytes()
        key = (str(path), hashlib.sha256(raw).hexdigest(), catalog.checksum)
        if key in _KEPT:
            return _KEPT[key]
        kinds = DeviceKinds.model_validate(yaml.safe_load(raw.decode("utf-8")))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValidationError) as exc:
        raise fail(f"设备类型映射文件无效：{exc}", f"invalid device-kind mapping: {exc}",
                   Location(file=path.name)) from None
    problems = _check_kinds(kinds, catalog)
    if problems:
        raise fail("；".join(problems), "; ".join(problems), Location(file=path.name))
    if len(_KEPT) >= _KEPT_MAX:
        _KEPT.clear()
    _KEPT[key] = kinds
    return kinds


def _check_kinds(kinds: DeviceKinds, catalog: Catalog) -> list[str]:
    school, room = catalog.facts.by_key(Scope.school), catalog.facts.by_key(Scope.room)
    out = []
    for key, kind in kinds.kinds.items():
        if kind.school_fact and getattr(school.get(kind.school_fact), "type", None) != FactType.int:
            out.append(f"{key}: school_fact {kind.school_fact} is not an int school fact")
        if kind.room_fact and getattr(room.get(kind.room_fact), "type", None) not in (
                FactType.int, FactType.bool):
            out.append(f"{key}: room_fact {kind.room_fact} is not an int/bool room fact")
    out += [f"snipeit category {c}: unknown kind {k}"
            for c, k in kinds.snipeit.categories.items() if k not in kinds.kinds]
    lines = set(default_prices().by_key())
    out += [f"{key}: price_line {kind.price_line} is not in prices.yaml"
            for key, kind in kinds.kinds.items() if kind.price_line and kind.price_line not in lines]
    return out


def engine_devices(devices: list[DeviceRow], kinds: DeviceKinds) -> list[dict]:
    """Devices as the engine's input has them for refresh planning: price line, quantity and
    purchase date; devices without a price line or a purchase date are left out."""
    groups: Counter = Counter()
    for d in devices:
        line = kinds.kinds[d.kind].price_line if d.kind in kinds.kinds else None
        if line and d.purchase_date:
            groups[line, d.purchase_date] += 1
    return [{"kind": line, "quantity": n, "purchased": day.isoformat()}
            for (line, day), n in sorted(groups.items())]


@dataclass
class DeviceRow:
    school: str
    asset_tag: str
    kind: str
    room: str | None
    model: str
    purchase_date: dt.date | None
    cost: float | None
    where: Location


# --- derived facts -------------------------------------------------------------------------


@dataclass
class Derived:
    """Facts added up from devices: school facts and room facts, with how each was counted."""

    school: dict[str, tuple[int, str]] = field(default_factory=dict)
    rooms: dict[str, dict[str, tuple[int | bool, str]]] = field(default_factory=dict)


def derive(devices: list[DeviceRow], kinds: DeviceKinds, room_types: dict[str, str],
           catalog: Catalog) -> Derived:
    """Count one school's devices into facts. Only kinds present produce a fact."""
    out = Derived()
    room_facts = catalog.facts.by_key(Scope.room)
    per_kind = Counter(d.kind for d in devices)
    for kind, n in per_kind.items():
        fact = kinds.kinds[kind].school_fact
        if fact:
            out.school[fact] = (n, f"设备清单汇总：{kinds.kinds[kind].label.zh} {n} 台")
    per_room = Counter((d.room, d.kind) for d in devices if d.room and d.room in room_types)
    for (room, kind), n in per_room.items():
        fact = kinds.kinds[kind].room_fact
        if not fact:
            continue
        value: int | bool = True if room_facts[fact].type == FactType.bool else n
        out.rooms.setdefault(room, {})[fact] = (
            value, f"设备清单汇总：房间 {room} {kinds.kinds[kind].label.zh} {n} 台")
    return out


# --- Snipe-IT ------------------------------------------------------------------------------

SNIPEIT_HEADERS = {
    "company": ("company", "公司"), "name": ("name", "asset name", "名称"),
    "asset_tag": ("asset tag", "资产标签"), "category": ("category", "类别"),
    "model": ("model", "model name", "型号"), "location": ("location", "位置"),
    "purchase_date": ("purchase date", "purchased", "购买日期"),
    "purchase_cost": ("purchase cost", "cost", "购买成本"), "status": ("status", "状态"),
}


def is_snipeit(headers: list[str]) -> bool:
    names = {normal(h) for h in headers}
    return {"assettag", "category"} <= names and bool(names & {"company", "location"})


@dataclass
class SnipeItResult:
    devices: list[DeviceRow]
    skipped: Counter = field(default_factory=Counter)  # reason → rows
    problems: list[Problem] = field(default_factory=list)


def snipeit_columns(headers: list[str]) -> dict[str, int]:
    index = {normal(h): i for i, h in enumerate(headers)}
    out = {}
    for key, names in SNIPEIT_HEADERS.items():
        for name in names:
            if normal(name) in index:
                out[key] = index[normal(name)]
                break
    return out


def parse_snipeit(table, kinds: DeviceKinds, school_of: dict[str, str],
                  rooms_of: dict[str, dict[str, str]]) -> SnipeItResult:
    """Snipe-IT rows → devices. `school_of` maps a normalised Company (school code or name) to a
    school code; `rooms_of[school]` a normalised Location (room code or name) to a room code."""
    cols = snipeit_columns(table.headers)
    categories, skip = kinds.category_kind(), {normal(s) for s in kinds.snipeit.skip_statuses}
    out = SnipeItResult(devices=[])
    for n, values in table.rows:
        def get(key, values=values):
            i = cols.get(key)
            v = values[i] if i is not None and i < len(values) else None
            return None if v is None else str(v).strip()
        _snipeit_row(n, get, table, categories, skip, school_of, rooms_of, out)
    return out


def _snipeit_row(n, get, table, categories, skip, school_of, rooms_of, out) -> None:
    if normal(get("status") or "") in skip:
        out.skipped["status"] += 1
        return
    kind = categories.get(normal(get("category") or ""))
    if kind is None:
        out.skipped[f"category:{get('category') or ''}"] += 1
        return
    company = get("company") or ""
    school = school_of.get(normal(company))
    tag = get("asset_tag")
    if school is None or not tag:
        out.skipped["company" if school is None else "asset_tag"] += 1
        return
    location = get("location") or ""
    room_map = rooms_of.get(school, {})
    room = room_map.get(normal(location))
    if location and room is None:
        out.skipped["location_unmatched"] += 1  # still counted for the school
    where = table.where(n, None)
    date, cost = _date(get("purchase_date")), to_number(get("purchase_cost") or "")
    out.devices.append(DeviceRow(school, tag, kind, room, get("model") or "", date,
                                 cost if isinstance(cost, int | float) else None, where))


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10].replace("/", "-"))
    except ValueError:
        return None
