"""A rate says how much it rests on (issue 11, "Figures people compare"): "A compliance rate on
a handful of judged requirements must not read like a full one: show the judged count beside
every rate, and mark rates below a completeness threshold (a parameter) as not comparable — in
pages, workbooks, reports and the API."

The threshold is campusplan's setting (beijing.yaml `indicators.comparability`), not the
standard's; every door asks engine.rollup.comparable.
"""

from __future__ import annotations

import io

import polars as pl
import pytest
from docx import Document
from openpyxl import load_workbook

from campusplan.assessments.models import SchoolScore
from campusplan.assessments.selectors import is_current
from campusplan.catalog import load_catalog
from campusplan.engine.rollup import comparable
from tests import factories
from tests.spec_text import spec_text

DISTRICT = "110108"
FULL, SPARSE = "1101080101", "1101080177"
THRESHOLD = load_catalog().standard.min_completeness()


def test_the_threshold_is_campusplan_s_not_the_standard_s():
    c = load_catalog().standard.indicators.comparability
    assert 0 < c.min_completeness < 1
    assert c.note.startswith("campusplan 的设定，不是规范的规定") and "campusplan's setting, not" in c.note
    assert "不可比" not in spec_text() and "可比" not in spec_text()  # the standard is silent


@pytest.mark.parametrize(("completeness", "expected"), [
    (THRESHOLD - 0.01, False), (THRESHOLD, True), (THRESHOLD + 0.01, True), (None, None)])
def test_the_threshold_includes_its_value(completeness, expected):
    assert comparable(completeness, THRESHOLD) is expected
    column = pl.DataFrame({"c": [completeness]}, schema={"c": pl.Float64})
    assert column.select(comparable(pl.col("c"), THRESHOLD))["c"][0] is expected


def test_a_share_that_is_exactly_the_threshold_counts_as_reaching_it():
    """1 − 4/20 is 0.8 to a reader, 0.7999… to a float: still comparable at 80%."""
    assert comparable(1 - 4 / 20, 0.8) is True and comparable(1 - 5 / 20, 0.8) is False


@pytest.fixture
def world(db, tmp_path):
    full = factories.school_doc(example="small-primary.json", code=FULL, name="完整小学")
    sparse = factories.school_doc(example="small-primary.json", code=SPARSE, name="稀疏小学",
                                  facts={"internet_bandwidth_mbps": 1000})
    sparse.pop("rooms", None)
    factories.stored(paths=[factories.write_file(path=tmp_path / "s.json",
                                                 schools=[full, sparse])])
    return {"district": factories.user(username="hd", role="district", district=DISTRICT),
            "city": factories.user(username="city", role="city")}


def _score(code: str) -> SchoolScore:
    return SchoolScore.objects.filter(is_current()).get(school__code=code)


def test_the_sparse_school_falls_under_the_threshold(world):
    assert _score(FULL).completeness >= THRESHOLD > _score(SPARSE).completeness
    assert _score(SPARSE).judged < _score(FULL).judged


def test_pages_show_the_judged_count_and_not_comparable(world, client):
    factories.login(client, user=world["district"])
    sparse, full = _score(SPARSE), _score(FULL)
    page = client.get(f"/school/{SPARSE}/").content.decode()
    assert f"已判定 {sparse.judged} 项" in page and "不可比" in page
    page = client.get(f"/school/{FULL}/").content.decode()
    assert f"已判定 {full.judged} 项" in page and "不可比" not in page
    table = client.get(f"/district/{DISTRICT}/").content.decode()
    row = table[table.index(f'id="school-{SPARSE}"'):]
    row = row[:row.index("</tr>")]
    assert f"已判定 {sparse.judged} 项" in row and "不可比" in row
    factories.login(client, user=world["city"])
    city = client.get("/city/").content.decode()
    assert f"已判定 {sparse.judged + full.judged} 项" in city


def test_the_api_gives_judged_and_comparable(world, client):
    secret = factories.token(user=world["district"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    items = {s["school"]: s for s in client.get("/api/v1/scores", **auth).json()["items"]}
    sparse = _score(SPARSE)
    assert items[SPARSE]["judged"] == sparse.judged and items[SPARSE]["comparable"] is False
    assert items[SPARSE]["rate"] == pytest.approx(sparse.met / sparse.judged)
    assert items[FULL]["comparable"] is True
    [district] = client.get("/api/v1/scores/districts", **auth).json()["items"]
    assert district["judged"] == sum(s["judged"] for s in items.values())
    assert district["district"] == DISTRICT and district["schools"] == 2


def test_the_district_workbook_has_judged_and_comparability_beside_the_rate(world, client):
    factories.login(client, user=world["district"])
    data = client.get(f"/district/{DISTRICT}/workbook.xlsx").content
    ws = load_workbook(io.BytesIO(data))["学校"]
    head = [c.value for c in ws[1]]
    at = head.index("必配达标率")
    assert head[at + 1:at + 3] == ["已判定（必配）", "可比性"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows[SPARSE][at + 1] == _score(SPARSE).judged and rows[SPARSE][at + 2] == "不可比"
    assert rows[FULL][at + 2] == "可比"


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_word_report_says_judged_and_not_comparable(world, client):
    factories.login(client, user=world["district"])
    sparse = _score(SPARSE)
    text = _docx_text(client.get(f"/school/{SPARSE}/report.docx").content)
    assert f"已判定 {sparse.judged} 项" in text
    assert f"数据完整度低于 {THRESHOLD * 100:.1f}%，此达标率不可比。" in text
    assert "（不可比）" in text  # the total row of the table by area
    full = _docx_text(client.get(f"/school/{FULL}/report.docx").content)
    assert "此达标率不可比" not in full  # an area of it may still be marked (its own completeness)
