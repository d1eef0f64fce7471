"""JSON Schema of the school input format, generated from the fact dictionary and codes.

`campusplan catalog input-schema` prints it; docs/school-input.schema.json is its output (a
test keeps the two equal). Validation itself is engine/inputs.py, which also checks what a
schema cannot say well (consistency of figures, duplicate codes) and reports in Chinese.
"""

from __future__ import annotations

from campusplan.catalog.codes import districts, school_types
from campusplan.catalog.loader import Catalog
from campusplan.catalog.profile import SMART_PHASES
from campusplan.catalog.schema import Fact, FactType, Scope

_TYPES = {FactType.bool: "boolean", FactType.int: "integer", FactType.float: "number",
          FactType.enum: "string"}


def _fact(f: Fact) -> dict:
    out: dict = {"type": [_TYPES[f.type], "null"], "title": f.label.zh,
                 "description": f"{f.label.en}" + (f" ({f.unit.en})" if f.unit else "")}
    if f.choices:
        out["enum"] = [*f.choices, None]
    if f.min is not None:
        out["minimum"] = f.min
    if f.max is not None:
        out["maximum"] = f.max
    return out


def _facts(catalog: Catalog, scope: Scope) -> dict:
    return {f.key: _fact(f) for f in catalog.facts.facts if f.scope == scope}


def input_schema(catalog: Catalog) -> dict:
    count = {"type": ["integer", "null"], "minimum": 0}
    stage = {"type": "object", "additionalProperties": False,
             "properties": {"classes": count, "students": count, "max_class_size": count}}
    room = {"type": "object", "required": ["type"],
            "properties": {"type": {"enum": [r.key for r in catalog.facts.room_types]},
                           "code": {"type": "string"}, "name": {"type": "string"},
                           **_facts(catalog, Scope.room)}, "additionalProperties": False}
    service = {"type": "object", "required": ["category"],
               "properties": {"category": {"enum": [c.key for c in
                                                    catalog.facts.service_categories]},
                              "name": {"type": "string"}, "vendor": {"type": "string"},
                              **_facts(catalog, Scope.service)}, "additionalProperties": False}
    school = {
        "type": "object", "required": ["code", "district", "type"], "additionalProperties": False,
        "properties": {
            "code": {"type": "string", "title": "学校标识码"},
            "name": {"type": "string", "title": "学校名称"},
            "district": {"enum": list(districts()), "title": "行政区划代码"},
            "type": {"enum": list(school_types()), "title": "办学类型代码"},
            "stages": {"type": "object", "additionalProperties": False,
                       "properties": {s: stage for s in ("primary", "junior", "senior")}},
            "teachers": count | {"title": "专任教师数"},
            "smart_phase": {"type": ["object", "null"], "properties": {
                "phase": {"enum": list(SMART_PHASES)}, "since": {"type": "string",
                                                               "format": "date"}}},
            "approvals": {"type": "object", "properties": {"own_data_center": {"type": "boolean"}}},
            "facts": {"type": "object", "additionalProperties": False,
                      "properties": _facts(catalog, Scope.school)},
            "rooms": {"type": ["array", "null"], "items": room,
                      "description": "absent/null: rooms not inventoried (room rules unknown)"},
            "services": {"type": ["array", "null"], "items": service},
            "devices": {"type": "array", "description": "for end-of-life refresh planning",
                        "items": {"type": "object", "required": ["kind", "purchased"],
                                  "additionalProperties": False, "properties": {
                                      "kind": {"type": "string",
                                               "description": "a price line key"},
                                      "quantity": {"type": "integer", "minimum": 1},
                                      "purchased": {"type": "string", "format": "date"}}}},
        },
    }
    district_service = {**service, "required": ["category", "district"],
                        "properties": {**service["properties"],
                                       "district": {"enum": list(districts())}}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"campusplan school input ({catalog.version})",
        "oneOf": [
            {"$ref": "#/$defs/school"},
            {"type": "array", "items": {"$ref": "#/$defs/school"}},
            {"type": "object", "required": ["schools"], "properties": {
                "schools": {"type": "array", "items": {"$ref": "#/$defs/school"}},
                "district_services": {"type": "array", "items": district_service}}},
        ],
        "$defs": {"school": school},
    }
