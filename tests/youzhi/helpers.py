"""Schools judged against the 优质均衡 standard (youzhi-2017.yaml), rows by requirement id."""

from __future__ import annotations

import copy
import re
from pathlib import Path

from campusplan.catalog import load_catalog
from campusplan.engine.assessment import run
from campusplan.engine.inputs import validate_inputs
from tests.engine.helpers import AS_OF

CATALOG = load_catalog("youzhi")
SPEC = (Path(__file__).resolve().parents[3] / "shared" / "spec" / "youzhi-junheng.md")
SPEC_TEXT = SPEC.read_text(encoding="utf-8") if SPEC.exists() else \
    Path("/work/shared/spec/youzhi-junheng.md").read_text(encoding="utf-8")

# the facts each indicator L1–L7 reads, per 学段 (teachers are reported per 学段)
FACT = {1: "teachers_above_degree", 2: "backbone_teachers", 3: "pe_art_teachers",
        4: "teaching_space_m2", 5: "sports_venue_m2", 6: "equipment_value_yuan",
        7: "multimedia_classrooms"}
PER_100 = {1, 2, 3, 7}


def fact_key(n: int, stage: str) -> str:
    return f"{FACT[n]}_{stage}" if n <= 3 else FACT[n]


def table() -> dict[int, dict[str, float]]:
    """The §1.3 table of youzhi-junheng.md, read from the spec: L-number → 学段 → threshold."""
    out = {}
    for m in re.finditer(r"^\| L(\d) \| [^|]+\| ≥([\d.]+) \| ≥([\d.]+) \|", SPEC_TEXT, re.M):
        out[int(m.group(1))] = {"primary": float(m.group(2)), "junior": float(m.group(3))}
    return out


def floors() -> dict[str, list[float]]:
    """The 85 % floor row of §1.3, per 学段, in L1–L7 order."""
    m = re.search(r"^\| — \| 85% floor[^|]*\| ([\d./ ]+) \| ([\d./ ]+) \|", SPEC_TEXT, re.M)
    return {st: [float(x) for x in m.group(i).split("/")]
            for i, st in ((1, "primary"), (2, "junior"))}


def meeting(stage: str, students: int, factor: float = 1.0) -> dict:
    """Facts putting a single-stage school exactly at `factor` × each threshold."""
    facts = {}
    for n, by in table().items():
        per = students / 100 if n in PER_100 else students
        value = by[stage] * per * factor
        value = round(value, 6)
        facts[fact_key(n, stage)] = int(value) if value.is_integer() else value
    return facts


def school(code: str, stage: str, students: int, facts: dict, district: str = "110108") -> dict:
    stype = {"primary": "211", "junior": "311"}[stage]
    return {"code": code, "name": code, "district": district, "type": stype,
            "stages": {stage: {"classes": -(-students // 40), "students": students,
                               "max_class_size": min(40, students)}},
            "teachers": 60, "facts": copy.deepcopy(facts), "rooms": [], "services": []}


def judge(*schools: dict, lang: str = "zh") -> dict[str, dict[str, dict]]:
    """school code → requirement id → its explained row."""
    doc = {"schools": list(schools), "district_services": []}
    result = run(CATALOG, validate_inputs(doc, CATALOG), AS_OF)
    out: dict[str, dict[str, dict]] = {}
    for r in result.explained(lang=lang):
        out.setdefault(r["school_id"], {})[r["requirement_id"]] = r
    return out
