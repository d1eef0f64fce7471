"""The school input model: a profile, facts keyed by the fact dictionary, rooms and services.

A JSON file holds one school, a list of schools, or `{"schools": [...], "district_services":
[...]}`. Validation collects every problem with its JSON path and a Chinese and English reason;
nothing is assessed unless the whole input is valid. A fact that is absent (or null) is unknown.
See docs/assessment.md and docs/school-input.schema.json.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from campusplan.catalog.codes import districts, school_types, stages_of
from campusplan.catalog.loader import Catalog
from campusplan.catalog.profile import SMART_PHASES
from campusplan.catalog.schema import Fact, FactType, Scope

STAGES = ("primary", "junior", "senior")
STAGE_KEYS = ("classes", "students", "max_class_size")
SCHOOL_KEYS = {
    "code", "name", "district", "type", "stages", "teachers", "smart_phase", "approvals",
    "facts", "rooms", "services", "devices",
}
SERVICE_KEYS = {"category", "name", "vendor", "provided_by"}


@dataclass
class InputError:
    path: str
    zh: str
    en: str
    file: str = ""

    def message(self, lang: str = "zh") -> str:
        where = f"{self.file}: {self.path}" if self.file else self.path
        return f"{where}: {self.zh if lang.startswith('zh') else self.en}"


@dataclass
class Inputs:
    schools: list[dict[str, Any]] = field(default_factory=list)
    district_services: list[dict[str, Any]] = field(default_factory=list)


class InputInvalid(Exception):
    def __init__(self, errors: list[InputError]):
        super().__init__(f"{len(errors)} input error(s)")
        self.errors = errors


def load_json_files(paths: list[Path], catalog: Catalog) -> Inputs:
    """Read and validate JSON files; raise InputInvalid with every problem of every file."""
    out, errors = Inputs(), []
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            errors.append(InputError("$", f"无法读取 JSON：{exc}", f"cannot read JSON: {exc}", str(path)))
            continue
        file_errors = _collect(data, out, catalog)
        errors += [InputError(e.path, e.zh, e.en, str(path)) for e in file_errors]
    _duplicate_codes(out, errors)  # across files
    if errors:
        raise InputInvalid(errors)
    return out


def validate_inputs(data: Any, catalog: Catalog) -> Inputs:
    """Validate an already-parsed JSON document (API, tests)."""
    out = Inputs()
    errors = _collect(data, out, catalog)
    if errors:
        raise InputInvalid(errors)
    return out


def _collect(data: Any, out: Inputs, catalog: Catalog) -> list[InputError]:
    errors: list[InputError] = []
    if isinstance(data, dict) and "schools" in data:
        schools, dsv = data.get("schools"), data.get("district_services", [])
    elif isinstance(data, list):
        schools, dsv = data, []
    else:
        schools, dsv = [data], []
    if not isinstance(schools, list):
        return [InputError("$.schools", "应为学校列表", "must be a list of schools")]
    v = _Validator(catalog, errors)
    seen: dict[str, int] = {}
    for i, school in enumerate(schools):
        if isinstance(data, list):
            path = f"$[{i}]"
        else:
            path = f"$.schools[{i}]" if "schools" in data else "$"
        code = school.get("code") if isinstance(school, dict) else None
        if isinstance(code, str) and code in seen:
            errors.append(InputError(f"{path}.code", f"学校标识码重复（与第 {seen[code] + 1} 所相同）：{code}",
                                     f"duplicate school code {code} (same as school {seen[code] + 1})"))
        elif isinstance(code, str):
            seen[code] = i
        clean = v.school(school, path)
        if clean is not None:
            out.schools.append(clean)
    for i, svc in enumerate(dsv or []):
        clean = v.service(svc, f"$.district_services[{i}]", district_level=True)
        if clean is not None:
            out.district_services.append(clean)
    return errors


def _duplicate_codes(out: Inputs, errors: list[InputError]) -> None:
    seen: set[str] = set()
    for s in out.schools:
        if s["code"] in seen:
            errors.append(InputError("$.code", f"学校标识码在多个文件中重复：{s['code']}",
                                     f"school code {s['code']} appears in more than one file"))
        seen.add(s["code"])


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


class _Validator:
    def __init__(self, catalog: Catalog, errors: list[InputError]):
        self.errors = errors
        self.facts = {s: catalog.facts.by_key(s) for s in Scope}
        self.room_types = {r.key for r in catalog.facts.room_types}
        self.categories = {c.key for c in catalog.facts.service_categories}

    def err(self, path: str, zh: str, en: str) -> None:
        self.errors.append(InputError(path, zh, en))

    def school(self, raw: Any, path: str) -> dict | None:
        if not isinstance(raw, dict):
            self.err(path, "学校应为 JSON 对象", "a school must be a JSON object")
            return None
        start = len(self.errors)
        for key in sorted(set(raw) - SCHOOL_KEYS):
            self.err(f"{path}.{key}", "未知字段", "unknown field")
        code = raw.get("code")
        if not isinstance(code, str) or not code.strip():
            self.err(f"{path}.code", "缺少学校标识码", "school code missing")
        district = str(raw.get("district", ""))
        if district not in districts():
            self.err(f"{path}.district", f"未知行政区划代码：{district}", f"unknown district code {district!r}")
        stype = str(raw.get("type", ""))
        if stype not in school_types():
            self.err(f"{path}.type", f"未知办学类型代码：{stype}", f"unknown school type code {stype!r}")
        clean = {
            "code": code, "name": raw.get("name") or code, "district": district, "type": stype,
            "teachers": self.number(raw.get("teachers"), f"{path}.teachers", 0, 100000, int),
            "stages": self.stages(raw.get("stages"), stype, f"{path}.stages"),
            "smart_phase": self.phase(raw.get("smart_phase"), f"{path}.smart_phase"),
            "approvals": self.approvals(raw.get("approvals"), f"{path}.approvals"),
            "facts": self.facts_of(raw.get("facts") or {}, Scope.school, f"{path}.facts"),
            "rooms": None if raw.get("rooms") is None else self.rooms(raw["rooms"], f"{path}.rooms"),
            "services": None if raw.get("services") is None
            else self.services(raw["services"], f"{path}.services"),
            "devices": self.devices(raw.get("devices") or [], f"{path}.devices"),
        }
        return clean if len(self.errors) == start else None

    def number(self, value, path, lo, hi, kind=float):
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.err(path, f"应为数字，实际为 {value!r}", f"must be a number, got {value!r}")
            return None
        if kind is int and value != int(value):
            self.err(path, f"应为整数，实际为 {value}", f"must be a whole number, got {value}")
            return None
        if not lo <= value <= hi:
            rng = f"{_num(lo)}–{_num(hi)}"
            self.err(path, f"超出范围 {rng}：{_num(value)}", f"out of range {rng}: {_num(value)}")
            return None
        return kind(value)

    def stages(self, raw, stype, path) -> dict:
        raw = raw or {}
        if not isinstance(raw, dict):
            self.err(path, "学段应为对象", "stages must be an object")
            return {}
        implied = stages_of(stype) if stype in school_types() else []
        out = {}
        for stage in sorted(set(raw) - set(STAGES)):
            self.err(f"{path}.{stage}", "未知学段（primary/junior/senior）", "unknown stage")
        for stage in STAGES:
            if stage not in implied and stage not in raw:
                continue
            vals = raw.get(stage) or {}
            for key in sorted(set(vals) - set(STAGE_KEYS)):
                self.err(f"{path}.{stage}.{key}", "未知字段", "unknown field")
            out[stage] = {k: self.number(vals.get(k), f"{path}.{stage}.{k}", 0, 100000, int)
                          for k in STAGE_KEYS}
            c, s = out[stage]["classes"], out[stage]["students"]
            if c and s == 0:
                self.err(f"{path}.{stage}.students", f"班级数为 {c} 但学生数为 0，数据不一致",
                         f"{c} classes but 0 students")
        return out

    def phase(self, raw, path) -> dict | None:
        if raw is None:
            return None
        if not isinstance(raw, dict) or raw.get("phase") not in SMART_PHASES:
            self.err(f"{path}.phase", "阶段应为 exploration / pilot / general",
                     "phase must be exploration, pilot or general")
            return None
        since = raw.get("since")
        if since is not None:
            try:
                since = dt.date.fromisoformat(str(since))
            except ValueError:
                self.err(f"{path}.since", f"日期格式应为 YYYY-MM-DD：{since}", "date must be YYYY-MM-DD")
                since = None
        return {"phase": raw["phase"], "since": since}

    def approvals(self, raw, path) -> dict:
        raw = raw or {}
        known = {"own_data_center"}
        for key in sorted(set(raw) - known):
            self.err(f"{path}.{key}", "未知审批事项", "unknown approval")
        value = raw.get("own_data_center", False)
        if not isinstance(value, bool):
            self.err(f"{path}.own_data_center", "应为 true/false", "must be true or false")
        return {"own_data_center": value is True}

    def facts_of(self, raw, scope: Scope, path: str) -> dict:
        if not isinstance(raw, dict):
            self.err(path, "指标应为对象", "facts must be an object")
            return {}
        out = {}
        for key, value in raw.items():
            fact = self.facts[scope].get(key)
            if fact is None:
                self.err(f"{path}.{key}", "指标字典中没有此项", "not in the fact dictionary")
            elif value is not None:
                out[key] = self.fact_value(fact, value, f"{path}.{key}")
        return {k: v for k, v in out.items() if v is not None}

    def fact_value(self, fact: Fact, value, path):
        if fact.type == FactType.bool:
            if isinstance(value, bool):
                return value
            self.err(path, f"应为 true/false（是/否），实际为 {value!r}", f"must be true or false, got {value!r}")
            return None
        if fact.type == FactType.enum:
            if value in (fact.choices or []):
                return value
            self.err(path, f"应为 {'/'.join(fact.choices or [])} 之一：{value!r}",
                     f"must be one of {fact.choices}: {value!r}")
            return None
        lo = fact.min if fact.min is not None else float("-inf")
        hi = fact.max if fact.max is not None else float("inf")
        kind = int if fact.type == FactType.int else float
        return self.number(value, path, lo, hi, kind)

    def rooms(self, raw, path) -> list[dict]:
        if not isinstance(raw, list):
            self.err(path, "房间应为列表", "rooms must be a list")
            return []
        out = []
        for i, room in enumerate(raw):
            p = f"{path}[{i}]"
            if not isinstance(room, dict) or room.get("type") not in self.room_types:
                self.err(f"{p}.type", f"未知房间类型：{room.get('type') if isinstance(room, dict) else room!r}",
                         "unknown room type")
                continue
            facts = {k: v for k, v in room.items() if k not in ("type", "code", "name")}
            out.append({"type": room["type"], "code": room.get("code") or f"{i + 1}",
                        "facts": self.facts_of(facts, Scope.room, p)})
        return out

    def devices(self, raw, path) -> list[dict]:
        """Devices with a kind (a price line), quantity and purchase date — for refresh planning."""
        if not isinstance(raw, list):
            self.err(path, "设备应为列表", "devices must be a list")
            return []
        out = []
        for i, d in enumerate(raw):
            p = f"{path}[{i}]"
            if not isinstance(d, dict) or not isinstance(d.get("kind"), str) or not d["kind"]:
                self.err(f"{p}.kind", "缺少设备类别", "device kind missing")
                continue
            for key in sorted(set(d) - {"kind", "quantity", "purchased"}):
                self.err(f"{p}.{key}", "未知字段", "unknown field")
            qty = self.number(d.get("quantity", 1), f"{p}.quantity", 1, 100000, int)
            try:
                bought = dt.date.fromisoformat(str(d.get("purchased")))
            except ValueError:
                self.err(f"{p}.purchased", "购置日期格式应为 YYYY-MM-DD", "purchase date must be YYYY-MM-DD")
                continue
            if qty is not None:
                out.append({"kind": d["kind"], "quantity": qty, "purchased": bought})
        return out

    def services(self, raw, path) -> list[dict]:
        if not isinstance(raw, list):
            self.err(path, "服务应为列表", "services must be a list")
            return []
        return [s for i, r in enumerate(raw) if (s := self.service(r, f"{path}[{i}]")) is not None]

    def service(self, raw, path, district_level: bool = False) -> dict | None:
        if not isinstance(raw, dict) or raw.get("category") not in self.categories:
            cat = raw.get("category") if isinstance(raw, dict) else raw
            self.err(f"{path}.category", f"未知服务类别：{cat!r}（svc35–svc43）", f"unknown category {cat!r}")
            return None
        facts = {k: v for k, v in raw.items() if k not in SERVICE_KEYS | {"district"}}
        out = {"category": raw["category"], "name": raw.get("name") or raw["category"],
               "vendor": raw.get("vendor") or "",
               "provided_by": "district" if district_level else raw.get("provided_by", "school"),
               "facts": self.facts_of(facts, Scope.service, path)}
        if district_level:
            out["district"] = str(raw.get("district", ""))
            if out["district"] not in districts():
                self.err(f"{path}.district", "未知行政区划代码", "unknown district code")
        elif out["provided_by"] not in ("school", "district"):
            self.err(f"{path}.provided_by", "应为 school 或 district", "must be school or district")
        return out
