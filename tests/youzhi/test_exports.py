"""The readiness page as a workbook and a Word document (web, API, CLI): the files' figures are
recomputed here from the stored facts by this test's own reading of the method (youzhi-junheng.md
§3), and equal the use case's rows cell for cell."""

from __future__ import annotations

import datetime as dt
import io
import math

import pytest
from django.test import override_settings
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from campusplan.accounts.models import AuditEntry
from campusplan.catalog import vocabulary
from campusplan.cli import app
from campusplan.schools.models import School
from campusplan.usecases import reports, standards
from tests import factories
from tests.actors import operator
from tests.youzhi.helpers import meeting, school

pytestmark = pytest.mark.django_db
BOTH = override_settings(CAMPUSPLAN_STANDARDS=["beijing", "youzhi"])
# (code, 学段, students, multimedia rooms (L7) or None for not reported); the rest at threshold
SCHOOLS = [("J1", "junior", 1000, 30), ("J2", "junior", 2000, 40), ("J3", "junior", 3000, 60),
           ("P1", "primary", 1000, 20), ("P2", "primary", 2000, 50), ("P3", "primary", 1000, None)]
L7 = {"primary": (2.3, 0.50), "junior": (2.4, 0.45)}  # §1.3 per 100 students; §3 CV limits
# 2026-01-01 17:30 UTC is already 2 January in Beijing: the files are dated in Asia/Shanghai
LATE = dt.datetime(2026, 1, 1, 17, 30, tzinfo=dt.UTC)


def official_cv(amounts, students) -> float:
    total = sum(students)
    mean = sum(amounts) / total
    var = sum(p / total * (x / p - mean) ** 2 for x, p in zip(amounts, students, strict=True))
    return math.sqrt(var) / mean


def expected_l7(stage: str) -> dict:
    """schools, met, unknown, mean, CV and verdict of L7 for the 学段, recomputed; with a
    school's value missing the verdict is unknown (never as if zero), the CV of the known part
    still shown as the page shows it."""
    mine = [(p, r) for _c, st, p, r in SCHOOLS if st == stage]
    known = [(p, r) for p, r in mine if r is not None]
    per100, limit = L7[stage]
    cv = official_cv([r * 100 for _p, r in known], [p for p, _r in known])
    return {"schools": len(mine), "met": sum(r * 100 / p >= per100 for p, r in known),
            "unknown": len(mine) - len(known), "cv": cv,
            "mean": sum(r for _p, r in known) * 100 / sum(p for p, _r in known),
            "verdict": "unknown" if len(known) < len(mine) else "met" if cv <= limit else "gap"}


@pytest.fixture
def district_user(tmp_path):
    factories.district(code="110108", name="海淀区")
    docs = []
    for code, stage, students, rooms in SCHOOLS:
        facts = meeting(stage, students)
        facts.pop("multimedia_classrooms")
        if rooms is not None:
            facts["multimedia_classrooms"] = rooms
        docs.append(school(code, stage, students, facts))
    factories.stored(paths=[factories.write_file(path=tmp_path / "y.json", schools=docs)])
    return factories.user(username="hd", role="district", district="110108")


def sheet_rows(content: bytes) -> tuple[dict[str, str], list[list], list[list]]:
    """(identity key → value, indicator rows, rule rows) of the workbook."""
    wb = load_workbook(io.BytesIO(content))
    ws, rules = wb.worksheets
    identity, rows, head = {}, [], None
    for values in ws.iter_rows(min_row=1, values_only=True):
        if head is None and values[0] in ("学段", "Stage"):
            head = values
        elif head is not None and values[0] is not None and values[1] is not None:
            rows.append(list(values[:10]))
        elif head is None and values[0] and values[1] is not None:
            identity[values[0]] = values[1]
    return identity, rows, [list(v) for v in rules.iter_rows(min_row=2, values_only=True)]


def docx_rows(content: bytes) -> tuple[str, list[list[str]]]:
    doc = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    return text + "\n" + "\n".join(" ".join(r) for r in cells), cells


def shown(v, digits=2) -> str:
    return "—" if v is None else (str(int(v)) if float(v).is_integer()
                                  else f"{v:.{digits}f}".rstrip("0").rstrip("."))


def test_the_workbook_holds_the_recomputed_figures_and_the_use_cases_rows(district_user,
                                                                           monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: LATE)
    with BOTH:
        r = reports.readiness_export(actor=operator(), code="110108", standard="youzhi",
                                     fmt="xlsx")
        same = standards.district_readiness(actor=operator(), code="110108", standard="youzhi")
    identity, rows, rules = sheet_rows(r.content)
    assert identity["规范"] == "《县域义务教育优质均衡发展督导评估办法》"
    assert identity["文号"] == "教督〔2017〕6号"
    assert identity["规范目录版本"] == same.catalog.version
    assert identity["评估日期"] == "2026-01-02"
    assert identity["学校数"] == "6"
    assert r.filename == "110108-readiness-youzhi.xlsx" and r.content_type == reports.XLSX
    by_item = {row[2]: row for row in rows}
    assert sorted(by_item) == [101 + n for n in range(7)] + [201 + n for n in range(7)]
    for item, stage in ((107, "primary"), (207, "junior")):
        want, row = expected_l7(stage), by_item[item]
        assert row[0] == vocabulary.label(vocabulary.STAGE, stage, "zh")
        assert row[3:6] == [want["schools"], want["met"], want["unknown"]]
        assert row[9] == vocabulary.label(vocabulary.STATUS, want["verdict"], "zh")
        assert row[7] == pytest.approx(want["cv"], rel=1e-6)
        assert row[6] == pytest.approx(want["mean"], rel=1e-6)
    assert by_item[207][8] == 0.45 and by_item[107][8] == 0.5
    # every other indicator sits exactly at its threshold: all meet it, no spread
    assert by_item[201][3:6] == [3, 3, 0] and by_item[201][7] == 0
    # the file is the use case's rows, cell for cell, in the page's order
    assert [[x["item"], x["schools"], x["met"], x["unknown"], x["verdict"]]
            for x in same.rows] == \
        [[row[2], *row[3:6], next(k for k, t in vocabulary.STATUS.items() if t.zh == row[9])]
         for row in rows]
    for x, row in zip(same.rows, rows, strict=True):
        assert row[6:9] == pytest.approx([x["mean"], x["figure"], x["limit"]], rel=1e-6)
    assert [[o["rule"], o["schools"], o["met"], o["unknown"]] for o in same.overall] == \
        [[x[1], *x[3:6]] for x in rules]
    assert [x[1] for x in rules] == ["s1.2-1", "s1.2-2"]  # 6 of 7, 小学 and 初中


def test_the_word_document_shows_the_figures_as_the_page_does(district_user, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: LATE)
    with BOTH:
        r = reports.readiness_export(actor=operator(), code="110108", standard="youzhi",
                                     fmt="docx", lang="en")
    text, cells = docx_rows(r.content)
    assert r.content_type == reports.DOCX and r.filename.endswith(".docx")
    assert "quality-balance readiness" in text and "教督〔2017〕6号" in text
    assert "2026-01-02" in text
    assert vocabulary.label(vocabulary.STAGE, "junior", "en") in text
    junior = next(c for c in cells if c[0] == "207")
    want = expected_l7("junior")
    assert junior[2:5] == [str(want["schools"]), str(want["met"]), str(want["unknown"])]
    assert junior[5] == shown(want["mean"]) and junior[6] == shown(want["cv"], 3)
    assert junior[8] == vocabulary.label(vocabulary.STATUS, want["verdict"], "en")
    primary = next(c for c in cells if c[0] == "107")
    assert primary[6] == shown(expected_l7("primary")["cv"], 3) and primary[4] == "1"
    assert primary[8] == vocabulary.label(vocabulary.STATUS, "unknown", "en")


def test_the_page_links_the_downloads_and_they_are_audited(client, district_user):
    client.force_login(district_user)
    with BOTH:
        page = client.get("/district/110108/readiness/youzhi/").content.decode()
        xlsx = client.get("/district/110108/readiness/youzhi/readiness.xlsx")
        docx = client.get("/district/110108/readiness/youzhi/readiness.docx")
    assert "/district/110108/readiness/youzhi/readiness.xlsx" in page
    assert "/district/110108/readiness/youzhi/readiness.docx" in page
    assert xlsx.status_code == 200 and xlsx["Content-Type"] == reports.XLSX
    assert docx.status_code == 200 and docx["Content-Type"] == reports.DOCX
    assert sheet_rows(xlsx.content)[1]  # a workbook with the indicator rows
    audited = AuditEntry.objects.filter(field="download",
                                        object_key="110108-readiness-youzhi.xlsx")
    assert audited.count() == 1 and audited.get().user == district_user


def test_the_downloads_keep_the_readiness_pages_scope(client, district_user):
    factories.district(code="110105", name="朝阳区")
    other = factories.user(username="cy", role="district", district="110105")
    account = factories.user(username="j1", role="school", school=School.objects.get(code="J1"))
    url = "/district/110108/readiness/youzhi/readiness.xlsx"
    client.force_login(district_user)
    assert client.get(url).status_code == 404  # youzhi not active
    with BOTH:
        assert client.get(url.replace("youzhi", "nosuch")).status_code == 404
        client.force_login(other)
        assert client.get(url).status_code == 404
        client.force_login(account)
        assert client.get(url).status_code == 403
    assert not AuditEntry.objects.filter(field="download").exists()


def test_the_api_exports_the_same_rows_in_the_same_scope(client, district_user):
    factories.district(code="110105", name="朝阳区")
    other = factories.user(username="cy", role="district", district="110105")
    account = factories.user(username="j1", role="school", school=School.objects.get(code="J1"))

    def get(user, path, **query):
        secret = factories.token(user=user)
        return client.get(f"/api/v1/districts/{path}/export", query,
                          HTTP_AUTHORIZATION=f"Bearer {secret}")

    with BOTH:
        res = get(district_user, "110108/readiness/youzhi", format="xlsx")
        word = get(district_user, "110108/readiness/youzhi", format="docx", lang="en")
        page = get(district_user, "110108/readiness/youzhi").content  # xlsx by default
        assert get(district_user, "110108/readiness/youzhi", format="pdf").status_code == 422
        assert get(district_user, "110108/readiness/nosuch").status_code == 404
        assert get(other, "110108/readiness/youzhi").status_code == 404
        assert get(account, "110108/readiness/youzhi").status_code == 403
        rows = standards.district_readiness(actor=operator(), code="110108",
                                            standard="youzhi").rows
    assert get(district_user, "110108/readiness/youzhi").status_code == 404  # not active
    assert res.status_code == 200, res.content
    assert res["Content-Type"] == reports.XLSX and "110108-readiness-youzhi.xlsx" in \
        res["Content-Disposition"]
    assert word.status_code == 200 and word["Content-Type"] == reports.DOCX
    _identity, got, _rules = sheet_rows(res.content)
    assert [row[7] for row in got] == pytest.approx([x["figure"] for x in rows], rel=1e-6)
    assert sheet_rows(page)[1] == got
    junior = expected_l7("junior")
    assert next(r for r in got if r[2] == 207)[7] == pytest.approx(junior["cv"], rel=1e-6)


def test_the_cli_writes_the_same_workbook(district_user, tmp_path, settings):
    settings.CAMPUSPLAN_STANDARDS = ["beijing", "youzhi"]
    out = tmp_path / "hd.xlsx"
    result = CliRunner().invoke(app, ["report", "readiness", "--district", "110108",
                                      "--standard", "youzhi", "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    _identity, rows, rules = sheet_rows(out.read_bytes())
    want = expected_l7("junior")
    row = next(r for r in rows if r[2] == 207)
    assert row[4] == want["met"] and row[7] == pytest.approx(want["cv"], rel=1e-6)
    assert [x[1] for x in rules] == ["s1.2-1", "s1.2-2"]
    docx = tmp_path / "hd.docx"
    word = CliRunner().invoke(app, ["report", "readiness", "--district", "110108",
                                    "--format", "docx", "-o", str(docx)])
    assert word.exit_code == 0 and docx.exists()
    assert AuditEntry.objects.filter(field="download", source="cli").count() == 2
    settings.CAMPUSPLAN_STANDARDS = ["beijing"]
    off = CliRunner().invoke(app, ["report", "readiness", "--district", "110108", "-o",
                                   str(tmp_path / "x.xlsx")])
    assert off.exit_code == 2 and "CAMPUSPLAN_STANDARDS" in off.output
    assert not (tmp_path / "x.xlsx").exists()
    wrong = CliRunner().invoke(app, ["report", "readiness", "--district", "110108",
                                     "--format", "docx", "-o", str(tmp_path / "x.xlsx")])
    assert wrong.exit_code == 2


def test_a_district_without_schools_exports_its_empty_readiness(client):
    factories.district(code="110105", name="朝阳区")
    client.force_login(factories.user(username="cy", role="district", district="110105"))
    client.cookies["django_language"] = "en"
    with BOTH:
        xlsx = client.get("/district/110105/readiness/youzhi/readiness.xlsx")
        docx = client.get("/district/110105/readiness/youzhi/readiness.docx")
    assert xlsx.status_code == 200 and docx.status_code == 200
    identity, rows, rules = sheet_rows(xlsx.content)
    assert rows == [] and rules == [] and identity["Schools"] == "0"
    assert "Stage" not in identity  # the (empty) indicator table's header was found
    text, _cells = docx_rows(docx.content)
    assert "No schools in this district yet." in text
