"""Shared inputs: the four examples as a city, and the same schools as one district."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from campusplan.engine.assessment import run
from campusplan.engine.inputs import validate_inputs
from campusplan.planning.phasing import Budget
from campusplan.planning.prices import default_prices
from campusplan.reports.content import make_planned
from tests.engine.helpers import AS_OF, CATALOG

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))
DISTRICT = "110108"
INJECTED = "=cmd()"
SMALL, VIOLATIONS, SECONDARY = "1101080101", "1101060401", "1101050301"


def example_doc() -> dict:
    """Every example school in one {"schools", "district_services"} document."""
    schools, services = [], []
    for path in EXAMPLES:
        data = json.loads(path.read_text(encoding="utf-8"))
        if "schools" in data:
            schools += data["schools"]
            services += data.get("district_services", [])
        else:
            schools.append(data)
    return {"schools": schools, "district_services": services}


def district_doc() -> dict:
    """The examples moved into one district; one school named like a formula; old laptops."""
    doc = copy.deepcopy(example_doc())
    for s in doc["schools"] + doc["district_services"]:
        s["district"] = DISTRICT
    by_code = {s["code"]: s for s in doc["schools"]}
    by_code[SECONDARY]["name"] = INJECTED
    by_code[SMALL]["devices"] = [{"kind": "teacher_laptop", "quantity": 12,
                                  "purchased": "2018-09-01"}]
    return doc


BUDGET = Budget(500_000, 3)


def planned(doc: dict, lang: str = "zh", budget: Budget = BUDGET):
    assessment = run(CATALOG, validate_inputs(doc, CATALOG), AS_OF)
    return make_planned(assessment, default_prices(), budget, lang, AS_OF)


@pytest.fixture(scope="session")
def city():
    return planned(example_doc())


@pytest.fixture(scope="session")
def district():
    return planned(district_doc())


def number(text) -> float | None:
    """「1,234」 → 1234.0; 「—」, 「待定价」 and blanks → None."""
    text = str(text).replace(",", "").strip()
    try:
        return float(text)
    except ValueError:
        return None
