"""The English school report: statuses, levels, item titles, units, tiers and funding in English."""

from __future__ import annotations

import re

import pytest

from campusplan.reports.school_docx import build_school_docx
from tests.reports.conftest import SMALL, VIOLATIONS, district_doc, planned

CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def english():
    return planned(district_doc(), "en")


def columns(doc, *names: str) -> list[list[str]]:
    """The cells under these headers, from every table that has them all."""
    out = []
    for table in doc.tables:
        head = [c.text for c in table.rows[0].cells]
        if all(n in head for n in names):
            idx = [head.index(n) for n in names]
            out += [[row.cells[i].text for i in idx] for row in table.rows[1:]]
    return out


@pytest.mark.parametrize("school", [SMALL, VIOLATIONS])
def test_findings_have_no_chinese_status_level_or_item_title(english, school):
    rows = columns(build_school_docx(english, school), "Item", "Level", "Status")
    assert rows
    for item, level, status in rows:
        assert not CJK.search(item + level + status), (item, level, status)
    assert {"Gap", "Violation"} & {status for _i, _l, status in rows}


def test_plan_lines_have_english_units_tiers_and_funding(english):
    doc = build_school_docx(english, SMALL)
    rows = columns(doc, "Priority", "Qty", "Funding")
    assert rows
    for cells in rows:
        assert not CJK.search(" ".join(cells)), cells
    assert any(qty.endswith("laptops") for _t, qty, _f in rows)  # the end-of-life refresh


def test_profile_smart_phase_in_english(english):
    grid = [[c.text for c in row.cells] for row in build_school_docx(english, SMALL).tables[0].rows]
    phase = [row[row.index("Smart-classroom phase") + 1] for row in grid
             if "Smart-classroom phase" in row]
    assert phase and not CJK.search(phase[0])
