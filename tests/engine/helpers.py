"""Build schools in the input format and judge them, returning rows by requirement id."""

from __future__ import annotations

import copy
import datetime as dt

from campusplan.catalog import load_catalog
from campusplan.engine.assessment import run
from campusplan.engine.inputs import validate_inputs

CATALOG = load_catalog()
AS_OF = dt.date(2026, 11, 1)

BASE = {
    "code": "T001", "name": "测试小学", "district": "110108", "type": "211",
    "stages": {"primary": {"classes": 24, "students": 900, "max_class_size": 40}},
    "teachers": 70, "facts": {}, "rooms": [], "services": [],
}


def school(**over) -> dict:
    s = copy.deepcopy(BASE)
    facts = over.pop("facts", {})
    s.update(over)
    s["facts"] = {**s["facts"], **facts}
    return s


def judge(*schools: dict, district_services: list | None = None, lang: str = "zh") -> dict:
    """Results of the first school, keyed by requirement id."""
    doc = {"schools": list(schools), "district_services": district_services or []}
    result = run(CATALOG, validate_inputs(doc, CATALOG), AS_OF)
    rows = result.explained([schools[0]["code"]], lang=lang)
    return {r["requirement_id"]: r for r in rows}
