"""The engine's JSON input (one school, a list, or `{"schools": [...], "district_services":
[...]}`) and campusplan's JSON export (the same plus `devices` and read-only `results`) → Bundle.
Values stay as the JSON has them: the engine's validator judges their types."""

from __future__ import annotations

import datetime as dt
from typing import Any

from campusplan.engine.document import SERVICE_FIELDS, SchoolDoc
from campusplan.exchange.entries import Bundle, Entry, Val
from campusplan.exchange.inventory import DeviceKinds, DeviceRow
from campusplan.exchange.problems import Location, Problem
from campusplan.exchange.readers import Document


def add_json(bundle: Bundle, doc: Document, kinds: DeviceKinds) -> None:
    data, file = doc.data, doc.path.name
    if isinstance(data, dict) and "schools" in data:
        schools, dsv = data.get("schools"), data.get("district_services") or []
        base, devices = "$.schools", data.get("devices") or []
    else:
        schools, dsv, base, devices = (data if isinstance(data, list) else [data]), [], "$", []
    if not isinstance(schools, list) or not isinstance(dsv, list) or not isinstance(devices, list):
        bundle.problems.append(Problem("schools / district_services / devices 应为列表",
                                       "schools, district_services and devices must be lists",
                                       Location(file=file, path="$")))
        return
    for i, raw in enumerate(schools):
        path = f"{base}[{i}]" if base != "$" or isinstance(data, list) else "$"
        _school(bundle, raw, Location(file=file, path=path), kinds)
    for i, raw in enumerate(dsv):
        _district_service(bundle, raw, Location(file=file, path=f"$.district_services[{i}]"))
    for i, raw in enumerate(devices):
        _device(bundle, raw, Location(file=file, path=f"$.devices[{i}]"), kinds)


def _at(where: Location, suffix: str) -> Location:
    return Location(where.file, "", None, "", where.path + suffix)  # positional: ≈ 780,000 a demo


def _school(bundle: Bundle, raw: Any, where: Location, kinds: DeviceKinds) -> None:
    if not isinstance(raw, dict) or not isinstance(raw.get("code"), str) or not raw["code"]:
        bundle.problems.append(Problem("学校应为含 code（学校标识码）的对象",
                                       "a school must be an object with a code", where))
        return
    if raw["code"] in bundle.schools:
        bundle.problems.append(Problem("学校标识码重复", "duplicate school code", where, raw["code"]))
        return
    school = bundle.school(raw["code"], where)
    put = school.values.__setitem__
    for key in ("name", "district", "type", "teachers"):
        if raw.get(key) is not None:
            put(key, Val(raw[key], _at(where, f".{key}")))
    _stages(school, raw.get("stages"), where)
    _phase(school, raw.get("smart_phase"), where)
    if raw.get("approved_data_center") is not None:
        put("approved_data_center",
            Val(raw["approved_data_center"], _at(where, ".approved_data_center")))
    _facts(school.values, raw.get("facts"), "fact", _at(where, ".facts"), school)
    for key in ("rooms", "services"):
        if isinstance(raw.get(key), list):
            put(f"{key}_inventoried", Val(True, _at(where, f".{key}")))
    for j, room in enumerate(raw.get("rooms") or []):
        _room(bundle, school, room, _at(where, f".rooms[{j}]"))
    for j, svc in enumerate(raw.get("services") or []):
        entry = _service(bundle, svc, _at(where, f".services[{j}]"))
        if entry is not None:
            school.services[svc["category"], entry.key] = entry
    devices = raw.get("devices") or []
    if not isinstance(devices, list):
        school.extra["devices"] = Val(devices, _at(where, ".devices"))
        devices = []
    counter: dict[tuple, int] = {}
    for j, dev in enumerate(devices):
        _engine_device(bundle, school, dev, _at(where, f".devices[{j}]"), kinds, counter)
    for key in sorted(set(raw) - set(SchoolDoc.model_fields)):
        school.extra[key] = Val(raw[key], _at(where, f".{key}"))


def _engine_device(bundle: Bundle, school, raw: Any, where: Location, kinds: DeviceKinds,
                   counter: dict) -> None:
    """The engine's `{kind: <price line>, quantity, purchased}` → one device per unit, with
    generated asset tags `<line>@<date>#<n>` (the same file gives the same tags)."""
    kind = kinds.kind_of_line().get(raw.get("kind")) if isinstance(raw, dict) else None
    qty = raw.get("quantity", 1) if isinstance(raw, dict) else None
    try:
        day = dt.date.fromisoformat(str(raw.get("purchased"))) if isinstance(raw, dict) else None
    except ValueError:
        day = None
    if kind is None or day is None or not isinstance(qty, int) or not 1 <= qty <= 100000:
        bundle.problems.append(Problem(
            "设备应为 {kind: 价格目录中已映射到设备类型的条目, quantity: 1–100000, purchased: 日期}",
            "a device needs a mapped price-line kind, a quantity 1–100000 and a purchase date",
            where, raw if not isinstance(raw, dict) else raw.get("kind")))
        return
    line = raw["kind"]
    for _ in range(qty):
        n = counter[line, day] = counter.get((line, day), 0) + 1
        tag = f"{line}@{day.isoformat()}#{n}"
        school.devices[tag] = DeviceRow(school.key, tag, kind, None, "", day, None, where)


def _stages(school, stages: Any, where: Location) -> None:
    if stages is None:
        return
    if not isinstance(stages, dict):
        school.extra["stages"] = Val(stages, _at(where, ".stages"))
        return
    for st, vals in stages.items():
        for k, v in (vals or {}).items() if isinstance(vals, dict) else ():
            if v is not None:
                school.values[f"stage.{st}.{k}"] = Val(v, _at(where, f".stages.{st}.{k}"))


def _phase(school, phase: Any, where: Location) -> None:
    if not isinstance(phase, dict):
        if phase is not None:
            school.extra["smart_phase"] = Val(phase, _at(where, ".smart_phase"))
        return
    school.values["smart_phase"] = Val(phase.get("phase"), _at(where, ".smart_phase.phase"))
    if phase.get("since") is not None:
        since = phase["since"]
        since = since.isoformat() if isinstance(since, dt.date) else since
        school.values["smart_since"] = Val(since, _at(where, ".smart_phase.since"))


def _facts(values: dict, facts: Any, prefix: str, where: Location, school=None) -> None:
    if not isinstance(facts, dict):
        if facts is not None and school is not None:
            school.extra["facts"] = Val(facts, where)
        return
    for key, v in facts.items():
        if v is not None:
            values[f"{prefix}.{key}"] = Val(v, _at(where, f".{key}"))


def _room(bundle: Bundle, school, raw: Any, where: Location) -> None:
    if not isinstance(raw, dict) or not raw.get("code"):
        bundle.problems.append(Problem("房间应为含 code（房间编号）的对象",
                                       "a room must be an object with a code", where))
        return
    code = str(raw["code"])
    if code in school.rooms:
        bundle.problems.append(Problem("房间编号重复", "duplicate room code", where, code))
        return
    entry = school.rooms[code] = Entry(code, where)
    for key, target in (("type", "room_type"), ("name", "room_name")):
        if raw.get(key) is not None:
            entry.values[target] = Val(raw[key], _at(where, f".{key}"))
    facts = {k: v for k, v in raw.items() if k not in ("code", "type", "name")}
    _facts(entry.values, facts, "room", where)


def _service(bundle: Bundle, raw: Any, where: Location) -> Entry | None:
    if not isinstance(raw, dict) or not raw.get("category"):
        bundle.problems.append(Problem("服务应为含 category（服务类别）的对象",
                                       "a service must be an object with a category", where))
        return None
    entry = Entry(str(raw.get("name") or raw["category"]), where)
    for key in ("vendor", "provided_by"):
        if raw.get(key) is not None:
            target = "vendor" if key == "vendor" else "service.provided_by"
            entry.values[target] = Val(raw[key], _at(where, f".{key}"))
    facts = {k: v for k, v in raw.items() if k not in SERVICE_FIELDS}
    _facts(entry.values, facts, "service", where)
    return entry


def _district_service(bundle: Bundle, raw: Any, where: Location) -> None:
    entry = _service(bundle, raw, where)
    if entry is not None:
        bundle.district_services[str(raw.get("district", "")), raw["category"], entry.key] = entry


def _device(bundle: Bundle, raw: Any, where: Location, kinds: DeviceKinds) -> None:
    ok = isinstance(raw, dict) and raw.get("school") and raw.get("asset_tag") \
        and raw.get("kind") in kinds.kinds
    if not ok:
        bundle.problems.append(Problem("设备应含 school、asset_tag 与已知的 kind",
                                       "a device needs school, asset_tag and a known kind", where))
        return
    try:
        date = dt.date.fromisoformat(raw["purchase_date"]) if raw.get("purchase_date") else None
    except (TypeError, ValueError):
        bundle.problems.append(Problem("日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD",
                                       _at(where, ".purchase_date"), raw.get("purchase_date")))
        return
    cost = raw.get("cost")
    school = bundle.school(str(raw["school"]), where)
    school.devices[str(raw["asset_tag"])] = DeviceRow(
        str(raw["school"]), str(raw["asset_tag"]), raw["kind"], raw.get("room"),
        raw.get("model") or "", date, float(cost) if isinstance(cost, int | float) else None, where)
