"""Bundle + stored school documents → merged documents → the typed documents (the one
validator) → a list of changes. Pure: the stored documents come in typed (schools/selectors.py),
the changes go out to schools/services.py, which writes them.

The overlay works on the JSON form (`SchoolDoc.as_json()`): a value the file leaves blank changes
nothing, merged = stored overlaid with what the file gives, then validated; the diff compares the
JSON forms of the stored and the validated documents. So re-importing a file (or an export)
yields no change at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from campusplan.catalog.loader import Catalog
from campusplan.engine.document import DistrictServiceDoc, Inputs, SchoolDoc
from campusplan.engine.inputs import InputInvalid, validate_inputs
from campusplan.exchange.bundle import summarize_skipped
from campusplan.exchange.entries import Bundle, Entry, SchoolIn, Val
from campusplan.exchange.inventory import (
    DeviceKinds,
    DeviceRow,
    derive,
    parse_snipeit,
    snipeit_columns,
)
from campusplan.exchange.layout import normal
from campusplan.exchange.problems import Location, Problem

SEP = "\x1f"  # joins a service's category and name in a change's `ref`


@dataclass
class Stored:
    """What the database holds for the schools an import touches, as typed documents."""

    schools: dict[str, SchoolDoc] = field(default_factory=dict)
    district_services: dict[tuple[str, str, str], DistrictServiceDoc] = field(
        default_factory=dict)
    devices: dict[str, dict[str, DeviceRow]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # normalised name or code → code


@dataclass
class Change:
    school: str | None  # None: a district-level service
    target: str  # school | room | service | device
    ref: str  # room code, "category\x1fname", asset tag, or the district of a district service
    key: str  # e.g. fact.bandwidth, stage.primary.classes, room_type, room.info_points, +
    old: Any
    new: Any
    where: Location | None = None
    note: str = ""


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    inputs: Inputs | None = None
    new_schools: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.changes:
            kind = "facts" if c.key.startswith(("fact.", "room.", "service.")) else c.target
            out[kind] = out.get(kind, 0) + 1
        out["schools"] = len({c.school for c in self.changes if c.school})
        out["new_schools"] = len(self.new_schools)
        return out


def plan_import(bundle: Bundle, stored: Stored, catalog: Catalog, kinds: DeviceKinds) -> Plan:
    plan = Plan(problems=list(bundle.problems), notes=list(bundle.notes))
    _add_snipeit(bundle, stored, kinds, plan)
    _derive(bundle, stored, kinds, catalog, plan)
    docs, dsv, origin = _merge(bundle, stored, plan)
    try:  # even when structural problems were found: report every problem at once
        plan.inputs = validate_inputs({"schools": docs, "district_services": dsv}, catalog)
    except InputInvalid as exc:
        plan.problems += [_locate(e, origin) for e in exc.errors]
    if plan.problems:
        return plan
    plan.changes = _diff(plan.inputs, stored, origin) + _device_changes(bundle, stored)
    plan.new_schools = [d.code for d in plan.inputs.schools if d.code not in stored.schools]
    return plan


# --- inventory -----------------------------------------------------------------------------


def snipeit_codes(bundle: Bundle, names: dict[str, str]) -> set[str]:
    """The schools a bundle's Snipe-IT tables name in their Company column."""
    out: set[str] = set()
    for table in bundle.snipeit:
        i = snipeit_columns(table.headers).get("company")
        if i is not None:
            out |= {names[k] for _n, v in table.rows if i < len(v)
                    and (k := normal(str(v[i] or ""))) in names}
    return out


def _add_snipeit(bundle: Bundle, stored: Stored, kinds: DeviceKinds, plan: Plan) -> None:
    if not bundle.snipeit:
        return
    school_of = dict(stored.names) | {normal(c): c for c in bundle.schools}
    school_of |= {normal(s.values["name"].value): c for c, s in bundle.schools.items()
                  if "name" in s.values}
    rooms_of: dict[str, dict[str, str]] = {}
    for code, doc in stored.schools.items():
        for room in doc.rooms or []:
            rooms_of.setdefault(code, {})[normal(room.code)] = room.code
            if room.name:
                rooms_of[code][normal(room.name)] = room.code
    for code, school in bundle.schools.items():
        rooms_of.setdefault(code, {}).update({normal(r): r for r in school.rooms})
    for table in bundle.snipeit:
        result = parse_snipeit(table, kinds, school_of, rooms_of)
        for d in result.devices:
            school = bundle.school(d.school, d.where)
            if d.asset_tag in school.devices:
                plan.problems.append(Problem("Asset Tag 重复", "duplicate asset tag", d.where,
                                             d.asset_tag))
            school.devices[d.asset_tag] = d
        plan.notes += [n.at(table.where()) for n in summarize_skipped(result.skipped)]


def _derive(bundle: Bundle, stored: Stored, kinds: DeviceKinds, catalog: Catalog,
            plan: Plan) -> None:
    """Facts counted from devices, where this import does not give the fact itself."""
    for code, school in bundle.schools.items():
        if not school.devices:
            continue
        devices = {**stored.devices.get(code, {}), **school.devices}
        room_types = _room_types(stored.schools.get(code), school)
        for d in school.devices.values():
            if d.room and d.room not in room_types:
                plan.problems.append(Problem("房间编号不存在（请先在“房间”表中登记）",
                                             "no such room (list it on the rooms sheet)",
                                             d.where, d.room))
        derived = derive(list(devices.values()), kinds, room_types, catalog)
        where = next(iter(school.devices.values())).where
        loc = Location(file=where.file, sheet=where.sheet)
        for fact, (value, note) in derived.school.items():
            school.values.setdefault(f"fact.{fact}", Val(value, loc, note))
        for room, facts in derived.rooms.items():
            entry = school.rooms.get(room)
            if entry is None:
                entry = school.rooms[room] = Entry(room, loc)
            for fact, (value, note) in facts.items():
                entry.values.setdefault(f"room.{fact}", Val(value, loc, note))


def _room_types(doc: SchoolDoc | None, school: SchoolIn) -> dict[str, str]:
    out = {r.code: r.type for r in (doc.rooms if doc else None) or []}
    for code, entry in school.rooms.items():
        typ = entry.values.get("room_type")
        out[code] = typ.value if typ else out.get(code)
    return out


# --- merge ---------------------------------------------------------------------------------

Origin = dict[tuple, Val]


def new_document(code: str) -> dict:
    return {"code": code, "name": code, "district": None, "type": None, "teachers": None,
            "stages": {}, "smart_phase": None, "approved_data_center": False,
            "facts": {}, "rooms": None, "services": None}


def _editable(doc: SchoolDoc) -> dict:
    """A stored document's JSON form, with every key the overlay writes into."""
    return {"rooms": None, "services": None} | doc.as_json()


def _merge(bundle: Bundle, stored: Stored, plan: Plan) -> tuple[list, list, Origin]:
    docs, origin = [], {}
    for i, (code, school) in enumerate(bundle.schools.items()):
        doc = _editable(stored.schools[code]) if code in stored.schools else None
        if doc is None and not {"district", "type"} <= set(school.values):
            plan.problems.append(Problem(
                "学校未登记：请在“学校概况”表中填写此校的行政区划代码和办学类型",
                "unknown school: give its district and school type on the profile sheet",
                school.where, code))
            continue
        doc = doc or new_document(code)
        _overlay_school(doc, school, f"$.schools[{i}]", origin, plan)
        docs.append(doc)
    dsv = []
    for j, (key, entry) in enumerate(bundle.district_services.items()):
        district, category, name = key
        old = stored.district_services.get(key)
        doc = old.model_dump(mode="json", exclude_none=True) if old else {
            "district": district, "category": category, "name": name, "vendor": ""}
        _overlay_service(doc, entry, f"$.district_services[{j}]", (None, district), origin)
        dsv.append(doc)
    return docs, dsv, origin


def _overlay_school(doc: dict, school: SchoolIn, path: str, origin: Origin, plan: Plan) -> None:
    origin[path] = Val(None, school.where)
    for key, val in school.values.items():
        target = _set_profile(doc, key, val, plan) if not key.startswith("fact.") else None
        if key.startswith("fact."):
            doc["facts"][key[5:]] = val.value
            target = f".facts.{key[5:]}"
        origin[path + (target or "")] = origin[(doc["code"], "school", "", key)] = val
    for key, val in school.extra.items():
        doc[key] = val.value
        origin[f"{path}.{key}"] = val
    rooms: dict[str, int] = {}  # code → index of its first room, built once per school
    for j, r in enumerate(doc["rooms"] or []):
        rooms.setdefault(r["code"], j)
    for code, entry in school.rooms.items():
        _overlay_room(doc, code, entry, path, origin, rooms)
    for (category, name), entry in school.services.items():
        services = doc["services"] = doc["services"] or []
        j = next((j for j, s in enumerate(services) if (s["category"], s["name"]) == (category, name)),
                 None)
        if j is None:
            services.append({"category": category, "name": name, "vendor": ""})
            j = len(services) - 1
        _overlay_service(services[j], entry, f"{path}.services[{j}]", (doc["code"], None), origin)


PROFILE_PATHS = {"name": ".name", "district": ".district", "type": ".type",
                 "teachers": ".teachers", "smart_phase": ".smart_phase.phase",
                 "smart_since": ".smart_phase.since",
                 "approved_data_center": ".approved_data_center",
                 "rooms_inventoried": ".rooms", "services_inventoried": ".services"}


def _set_profile(doc: dict, key: str, val: Val, plan: Plan) -> str:
    v = val.value
    if key.startswith("stage."):
        _, st, k = key.split(".", 2)
        doc["stages"] = doc.get("stages") or {}
        doc["stages"].setdefault(st, {})[k] = v
        return f".stages.{st}.{k}"
    if key == "smart_phase":
        since = (doc.get("smart_phase") or {}).get("since")
        doc["smart_phase"] = None if v == "none" else {"phase": v, "since": since}
    elif key == "smart_since":
        if doc.get("smart_phase") is None:
            plan.problems.append(Problem("填写了阶段开始日期，但未选择智慧教室应用阶段",
                                         "a phase start date without a phase", val.where, v))
        else:
            doc["smart_phase"]["since"] = v
    elif key in ("rooms_inventoried", "services_inventoried"):
        field_ = key.split("_")[0]
        if v is True and doc.get(field_) is None:
            doc[field_] = []
        elif v is False and doc.get(field_) == []:
            doc[field_] = None
        return f".{field_}"
    else:
        doc[key] = v
    return PROFILE_PATHS.get(key, f".{key}")


def _overlay_room(doc: dict, code: str, entry, path: str, origin: Origin,
                  index: dict[str, int]) -> None:
    rooms = doc["rooms"] = doc["rooms"] or []
    j = index.get(code)
    if j is None:
        rooms.append({"code": code, "type": None})
        j = index[code] = len(rooms) - 1
    room, rpath = rooms[j], f"{path}.rooms[{j}]"
    origin[rpath] = Val(None, entry.where)
    for key, val in entry.values.items():
        field_ = {"room_type": "type", "room_name": "name"}.get(key, key.removeprefix("room."))
        room[field_] = val.value
        origin[f"{rpath}.{field_}"] = origin[(doc["code"], "room", code, key)] = val


def _overlay_service(svc: dict, entry, spath: str, owner: tuple, origin: Origin) -> None:
    origin[spath] = Val(None, entry.where)
    ref = SEP.join((svc["category"], svc["name"]))
    for key, val in entry.values.items():
        field_ = "provided_by" if key == "service.provided_by" else key.removeprefix("service.")
        svc[field_] = val.value
        origin[f"{spath}.{field_}"] = origin[(owner[0], "service", ref, key)] = val
        if owner[0] is None:
            origin[(None, "service", f"{owner[1]}{SEP}{ref}", key)] = val
    origin[f"{spath}.category"] = Val(svc["category"], entry.where)


def _locate(error, origin: Origin) -> Problem:
    """The file location of the value an error names, or of the first value under it (a stage
    its type does not have: its classes cell), or of what holds it (the school's row)."""
    path = error.path
    inner = next((v for k, v in origin.items() if isinstance(k, str) and k.startswith(f"{path}.")),
                 None)
    if path not in origin and inner is not None:
        return Problem(error.zh, error.en, inner.where, None)
    while path:
        val = origin.get(path)
        if val is not None:
            return Problem(error.zh, error.en, val.where, val.value)
        path = path.rsplit(".", 1)[0] if "." in path else ""
    return Problem(error.zh, error.en, Location(path=error.path))


# --- diff ----------------------------------------------------------------------------------


def flatten(doc: dict) -> dict[tuple[str, str, str], Any]:
    """(target, ref, key) → value for every value of a school document."""
    out: dict[tuple[str, str, str], Any] = {}
    for key in ("name", "district", "type", "teachers"):
        out["school", "", key] = doc.get(key)
    for st, vals in (doc.get("stages") or {}).items():
        for k, v in (vals or {}).items():
            out["school", "", f"stage.{st}.{k}"] = v
    phase = doc.get("smart_phase") or {}
    out["school", "", "smart_phase"] = phase.get("phase", "none")
    out["school", "", "smart_since"] = phase.get("since")
    out["school", "", "approved_data_center"] = doc.get("approved_data_center", False)
    out["school", "", "rooms_inventoried"] = doc.get("rooms") is not None
    out["school", "", "services_inventoried"] = doc.get("services") is not None
    out |= {("school", "", f"fact.{k}"): v for k, v in (doc.get("facts") or {}).items()}
    for room in doc.get("rooms") or []:
        out |= _flat_room(room)
    for svc in doc.get("services") or []:
        out |= flat_service(svc, SEP.join((svc["category"], svc["name"])))
    return out


def with_values(doc: dict, values: dict[str, Any]) -> dict:
    """A copy of a school document (JSON form) with some of the school's own values replaced,
    keyed as `flatten` keys them (fact.x, teachers, stage.primary.classes); None leaves the
    value out (unknown)."""
    out = doc | {"facts": dict(doc.get("facts") or {}),
                 "stages": {st: dict(v or {}) for st, v in (doc.get("stages") or {}).items()}}
    for key, value in values.items():
        kind, _sep, name = key.partition(".")
        if kind == "fact":
            place = out["facts"]
        elif kind == "stage" and "." in name:
            st, name = name.split(".", 1)
            place = out["stages"].setdefault(st, {})
        elif key == "teachers":
            place, name = out, key
        else:
            continue
        if value is None:
            place.pop(name, None)
        else:
            place[name] = value
    out["stages"] = {st: v for st, v in out["stages"].items() if v}
    return out


def _flat_room(room: dict) -> dict:
    code = room["code"]
    out = {("room", code, "room_type"): room.get("type"), ("room", code, "room_name"): room.get(
        "name")}
    out |= {("room", code, f"room.{k}"): v for k, v in room.items()
            if k not in ("code", "type", "name")}
    return out


def flat_service(svc: dict, ref: str, default: str = "school") -> dict:
    out = {("service", ref, "vendor"): svc.get("vendor") or "",
           ("service", ref, "service.provided_by"): svc.get("provided_by") or default}
    out |= {("service", ref, f"service.{k}"): v for k, v in svc.items()
            if k not in ("category", "name", "vendor", "provided_by", "district")}
    return out


def _changed(old: Any, new: Any) -> bool:
    """1 == True in Python; a yes/no fact and a count never compare equal here."""
    return isinstance(old, bool) != isinstance(new, bool) or old != new


def _diff(inputs: Inputs, stored: Stored, origin: Origin) -> list[Change]:
    out: list[Change] = []
    for doc in inputs.schools:
        code = doc.code
        old_doc = stored.schools.get(code)
        if old_doc is None:
            out.append(Change(code, "school", "", "+", None, doc.name,
                              origin.get((code, "school", "", "name"), Val(None, None)).where))
        old = flatten(old_doc.as_json()) if old_doc else {}
        for key3, new in flatten(doc.as_json()).items():
            if new is None:
                continue
            before = old.get(key3)
            if before is None or _changed(before, new):  # a value where there was none
                target, ref, key = key3
                val = origin.get((code, target, ref, key))
                out.append(Change(code, target, ref, key, before, new,
                                  val.where if val else None, val.note if val else ""))
    for svc in inputs.district_services:
        ref = SEP.join((svc.district, svc.category, svc.name))
        old_svc = stored.district_services.get((svc.district, svc.category, svc.name))
        old = flat_service(_json(old_svc), ref, "district") if old_svc else {}
        for key3, new in flat_service(_json(svc), ref, "district").items():
            if new is not None and (old_svc is None or _changed(old.get(key3), new)):
                val = origin.get((None, "service", ref, key3[2]))
                out.append(Change(None, "service", ref, key3[2], old.get(key3), new,
                                  val.where if val else None))
    return out


def _json(svc: DistrictServiceDoc) -> dict:
    return svc.model_dump(mode="json", exclude_none=True)


def _device_changes(bundle: Bundle, stored: Stored) -> list[Change]:
    out = []
    for code, school in bundle.schools.items():
        have = stored.devices.get(code, {})
        for tag, d in school.devices.items():
            old = have.get(tag)
            if old is None or _device_fields(old) != _device_fields(d):
                out.append(Change(code, "device", tag, "+" if old is None else "~", old, d, d.where))
    return out


def _device_fields(d: DeviceRow) -> tuple:
    return (d.kind, d.room, d.model, d.purchase_date, d.cost)
