"""Every export re-imports unchanged; text that looks like a formula is neutralised."""

import csv

import pytest
from openpyxl import load_workbook

from campusplan.assessments.services import assessment_run_create
from campusplan.schools.models import FactValue, School
from campusplan.schools.selectors import school_documents, school_list
from campusplan.usecases.exports import export
from campusplan.usecases.imports import import_files
from tests.actors import operator
from tests.exchange.helpers import EXAMPLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(catalog):
    report = import_files(actor=operator("test"), paths=sorted(EXAMPLES.glob("*.json")))
    assert report.ok
    School.objects.filter(code="1101120201").update(name="=cmd|' /C calc'!A0")
    assessment_run_create(schools=school_list(), scope_kind="all")
    return school_documents(schools=school_list(), catalog=catalog)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".json"])
def test_export_reimports_without_change(tmp_path, stored, suffix, catalog):
    paths, n = _export_all(tmp_path, suffix)
    assert n == 4
    rows = FactValue.objects.count()
    report = import_files(actor=operator("test"), paths=paths)
    assert report.ok, [p.message() for p in report.problems]
    assert report.plan.changes == []
    assert FactValue.objects.count() == rows


def _export_all(tmp_path, suffix):
    paths, total = [], 0
    for district in sorted({s.district.code for s in school_list()}):
        out, n = export(actor=operator(), path=tmp_path / f"{district}{suffix}", district=district)
        paths += out
        total += n
    return paths, total


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".json"])
def test_export_into_an_empty_database_gives_the_same_documents(tmp_path, stored, suffix,
                                                                catalog):
    paths, _n = _export_all(tmp_path, suffix)
    School.objects.all().delete()
    report = import_files(actor=operator("test"), paths=paths)
    assert report.ok, [p.message() for p in report.problems]
    assert school_documents(schools=school_list(), catalog=catalog) == stored


def test_formula_injection_neutralised(tmp_path, stored):
    (xlsx,), _ = export(actor=operator(), path=tmp_path / "tz.xlsx", district="110112")
    wb = load_workbook(xlsx)
    name = wb["学校概况"]["B3"]
    assert name.value == "'=cmd|' /C calc'!A0" and name.data_type == "s"
    csv_paths, _ = export(actor=operator(), path=tmp_path / "tz.csv", district="110112")
    with csv_paths[0].open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[1][1].startswith("'=")


def test_results_exported(tmp_path, stored, catalog):
    (xlsx,), _ = export(actor=operator(), path=tmp_path / "tz.xlsx", district="110112")
    ws = load_workbook(xlsx)["评估结果"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["学校标识码", "学校名称", "要求编号"]
    from campusplan.engine.evaluate import specs

    assert ws.max_row - 1 == len(specs(catalog))
