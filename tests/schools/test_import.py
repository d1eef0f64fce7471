"""Import through the one service path: provenance, all-or-nothing, dry run, idempotence."""

import json
from pathlib import Path

import pytest

from campusplan.exchange.problems import Location
from campusplan.schools.models import FactValue, Room, School, Source
from campusplan.schools.services import ImportInvalid
from campusplan.usecases.exports import survey
from campusplan.usecases.facts import set_fact
from campusplan.usecases.imports import import_files
from tests.actors import as_user, operator
from tests.exchange.helpers import EXAMPLES, fill

pytestmark = pytest.mark.django_db

PROFILE = {"学校标识码": "1101080101", "学校名称": "海淀实验小学", "行政区划代码": "110108 海淀区",
           "办学类型": "211 小学", "小学班级数（个）": 12, "小学学生数（人）": 480,
           "小学最大班额（人）": 42, "专任教师数（人）": 36, "智慧教室应用阶段": "试点期",
           "当前阶段开始日期": "2024-09-01"}
FACTS = {"学校标识码": "1101080101", "互联网接入带宽（Mbps）": 1000, "IPv4/IPv6双栈": "是",
         "有线网络覆盖所有教室、办公室等场所": "否"}


def filled_survey(tmp_path: Path, profile=PROFILE, facts=FACTS, rooms=None) -> Path:
    path, _n = survey(actor=operator(), path=tmp_path / "haidian.xlsx", district="110108")
    fill(path, "学校概况", [profile])
    fill(path, "基础设施", [facts])
    if rooms:
        fill(path, "房间", rooms)
    return path


def test_survey_import_stores_profile_and_facts_with_provenance(tmp_path):
    report = import_files(actor=operator("zhang"), paths=[filled_survey(tmp_path)])
    assert report.ok, [p.message() for p in report.problems]
    school = School.objects.get(code="1101080101")
    assert (school.name, school.district.code, school.school_type) == ("海淀实验小学", "110108",
                                                                      "211")
    assert (school.primary_classes, school.primary_students, school.teachers) == (12, 480, 36)
    assert school.smart_phase == "pilot" and str(school.smart_phase_since) == "2024-09-01"
    fv = FactValue.objects.get(school=school, key="internet_bandwidth_mbps")
    assert fv.value == 1000
    assert (fv.source.file_name, fv.sheet, fv.row, fv.column) == ("haidian.xlsx", "基础设施", 3,
                                                                  fv.column)
    assert fv.column and fv.source.actor == "zhang" and fv.source.created_at
    assert FactValue.objects.get(school=school, key="ipv6_dual_stack").value is True
    assert FactValue.objects.get(school=school, key="wired_full_coverage").value is False


def test_blank_is_unknown_never_zero(tmp_path):
    import_files(actor=operator("test"), paths=[filled_survey(tmp_path)])
    keys = set(FactValue.objects.values_list("key", flat=True))
    assert keys == {"internet_bandwidth_mbps", "ipv6_dual_stack", "wired_full_coverage"}
    assert School.objects.get().junior_classes is None


def test_reimport_changes_nothing(tmp_path):
    path = filled_survey(tmp_path)
    import_files(actor=operator("test"), paths=[path])
    rows, sources = FactValue.objects.count(), Source.objects.count()
    again = import_files(actor=operator("test"), paths=[path])
    assert again.ok and again.plan.changes == []
    assert (FactValue.objects.count(), Source.objects.count()) == (rows, sources)


def test_changed_value_supersedes_and_keeps_history(tmp_path):
    import_files(actor=operator("test"), paths=[filled_survey(tmp_path)])
    faster = tmp_path / "faster.csv"
    faster.write_text("学校标识码,互联网接入带宽（Mbps）,IPv4/IPv6双栈\n1101080101,2000,是\n",
                      encoding="utf-8")
    report = import_files(actor=operator("test"), paths=[faster])
    assert [c.key for c in report.plan.changes] == ["fact.internet_bandwidth_mbps"]
    history = FactValue.objects.filter(key="internet_bandwidth_mbps").order_by("recorded_at")
    assert [h.value for h in history] == [1000, 2000]
    assert history[0].superseded_at is not None and history[1].superseded_at is None


def test_dry_run_writes_nothing_and_lists_changes(tmp_path):
    report = import_files(actor=operator("test"), paths=[filled_survey(tmp_path)], dry_run=True)
    assert report.ok and report.dry_run
    assert {c.key for c in report.plan.changes} >= {"+", "fact.internet_bandwidth_mbps"}
    assert not School.objects.exists() and not FactValue.objects.exists()


def test_every_problem_at_once_nothing_written(tmp_path):
    bad_profile = {**PROFILE, "办学类型": "999", "小学学生数（人）": 0}
    bad_facts = {**FACTS, "互联网接入带宽（Mbps）": -5, "IPv4/IPv6双栈": "也许"}
    path = filled_survey(tmp_path, bad_profile, bad_facts)
    fill(path, "学校概况", [{**PROFILE}])  # the same school code twice
    report = import_files(actor=operator("test"), paths=[path])
    assert not report.ok
    found = {(p.where.sheet, p.where.row, p.where.column, str(p.value)): p.zh
             for p in report.problems}
    reasons = " ".join(found.values())
    for reason in ("学校标识码重复", "超出范围", "应为 true/false", "未知办学类型代码"):
        assert reason in reasons, reason
    assert any(s == "基础设施" and r == 3 and c and v == "-5" for s, r, c, v in found)
    assert not School.objects.exists() and not FactValue.objects.exists()


def test_inconsistent_figures(tmp_path):
    path = filled_survey(tmp_path, {**PROFILE, "小学学生数（人）": 0})
    report = import_files(actor=operator("test"), paths=[path])
    assert any("数据不一致" in p.zh and p.where.sheet == "学校概况" and p.where.column
               for p in report.problems)
    assert not School.objects.exists()


def test_unknown_column_and_merged_header(tmp_path):
    from openpyxl import load_workbook

    path = filled_survey(tmp_path)
    wb = load_workbook(path)
    ws = wb["基础设施"]
    ws.cell(1, ws.max_column + 1, "自创指标")
    ws.cell(3, ws.max_column, 1)
    ws.merge_cells(start_row=1, start_column=2, end_row=1, end_column=3)
    ws.cell(3, 3, "x")
    wb.save(path)
    report = import_files(actor=operator("test"), paths=[path])
    reasons = " ".join(p.zh for p in report.problems)
    assert "未知列" in reasons and "合并单元格" in reasons
    assert not School.objects.exists()


def test_english_messages(tmp_path):
    report = import_files(actor=operator("test"), paths=[filled_survey(tmp_path, facts={**FACTS, "IPv4/IPv6双栈": 7})])
    assert "must be true or false" in report.problems[0].message("en")


def test_unregistered_school_in_a_facts_sheet(tmp_path):
    path, _ = survey(actor=operator(), path=tmp_path / "s.xlsx", district="110108")
    fill(path, "基础设施", [FACTS])
    report = import_files(actor=operator("test"), paths=[path])
    assert "学校未登记" in report.problems[0].zh


def test_rooms_and_room_facts(tmp_path):
    rooms = [{"学校标识码": "1101080101", "房间编号": "A101", "房间类型": "普通教室",
              "网络信息口数（个）": 8, "电子班牌（信息发布、人脸识别、查询）": "是"},
             {"学校标识码": "1101080101", "房间编号": "C01", "房间类型": "计算机教室",
              "学生用计算机台数（台）": 45}]
    report = import_files(actor=operator("test"), paths=[filled_survey(tmp_path, rooms=rooms)])
    assert report.ok, [p.message() for p in report.problems]
    room = Room.objects.get(code="A101")
    assert room.room_type == "ordinary_classroom"
    assert FactValue.objects.get(room=room, key="info_points").value == 8
    assert FactValue.objects.get(room__code="C01", key="student_computers").sheet == "房间"


def test_gbk_csv_from_excel(tmp_path):
    import_files(actor=operator("test"), paths=[filled_survey(tmp_path)])
    path = tmp_path / "windows.csv"
    path.write_bytes("学校标识码,互联网接入带宽（Mbps）,录像存储时间（天）\n1101080101,500,30\n"
                     .encode("gbk"))
    report = import_files(actor=operator("test"), paths=[path])
    assert report.ok, [p.message() for p in report.problems]
    assert FactValue.objects.get(key="video_retention_days", superseded_at=None).value == 30


def test_json_in_the_engine_format(tmp_path):
    report = import_files(actor=operator("test"), paths=sorted(EXAMPLES.glob("*.json")))
    assert report.ok, [p.message() for p in report.problems]
    assert School.objects.count() == 4
    bad = json.loads((EXAMPLES / "small-primary.json").read_text(encoding="utf-8"))
    bad["facts"]["internet_bandwidth_mbps"] = "fast"
    (tmp_path / "bad.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    problems = import_files(actor=operator("test"), paths=[tmp_path / "bad.json"]).problems
    assert problems[0].where.path == "$.facts.internet_bandwidth_mbps"


def test_fact_set_goes_through_the_same_validation(tmp_path):
    import_files(actor=operator("test"), paths=[filled_survey(tmp_path)])
    school = School.objects.get()
    li = operator("li")
    set_fact(actor=li, school=school, key="video_retention_days", value=90)
    assert FactValue.objects.get(key="video_retention_days").source.actor == "li"
    with pytest.raises(ImportInvalid) as exc:
        set_fact(actor=li, school=school, key="video_retention_days", value=99999)
    assert "超出范围" in exc.value.problems[0].zh
    with pytest.raises(ImportInvalid):
        set_fact(actor=li, school=school, key="no_such_fact", value=1)
    assert Location().describe() == ""


def _bomb(path):
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, \
            zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
        for _ in range(320):
            fh.write(b"\0" * 2**20)


def _million(path):
    from tests.exchange.helpers import minimal_xlsx

    minimal_xlsx(path, rows=1_000_000, dimension=False)


def _sparse(path):
    with path.open("wb") as fh:
        fh.truncate(200 * 2**20)


def _macro(path):
    from tests.exchange.helpers import minimal_xlsx

    minimal_xlsx(path, rows=1, extra={"xl/vbaProject.bin": b"vba"})


def _garbage(path):
    path.write_bytes(bytes(range(256)) * 100)


def _formula(path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["学校标识码", "专任教师数（人）", "学校名称"])
    wb.active.append(["1101080101", "=10*3", "x"])
    wb.save(path)


@pytest.mark.parametrize(("name", "build"), [("bomb.xlsx", _bomb), ("million.xlsx", _million),
                                             ("huge.csv", _sparse), ("macro.xlsm", _macro),
                                             ("garbage.csv", _garbage), ("formula.xlsx", _formula)])
def test_hostile_files_write_nothing(tmp_path, name, build):
    path = tmp_path / name
    build(path)
    report = import_files(actor=operator("test"), paths=[path])
    assert not report.ok and report.problems[0].zh
    assert not Source.objects.exists() and not School.objects.exists()


def test_fact_set_without_a_source_records_the_user(tmp_path, django_user_model):
    import_files(actor=operator("test"), paths=[filled_survey(tmp_path)])
    user = django_user_model.objects.create(username="zhao")
    set_fact(actor=as_user(user), school=School.objects.get(), key="antivirus", value=True)
    fv = FactValue.objects.get(key="antivirus")
    assert (fv.source.kind, fv.source.user, fv.source.actor) == ("form", user, "zhao")


def test_english_survey_reads_back(tmp_path):
    path, _ = survey(actor=operator(), path=tmp_path / "en.xlsx", district="110108", lang="en")
    fill(path, "Profile", [{"School code": "1101080102", "School name": "Haidian No. 2",
                            "District code": "110108 Haidian", "school type": "211 Primary school",
                            "Primary classes": 6, "Primary students": 200}])
    report = import_files(actor=operator("test"), paths=[path])
    assert report.ok, [p.message("en") for p in report.problems]
    assert School.objects.get().school_type == "211"


def _new_city(tmp_path: Path, prefix: str, n: int) -> Path:
    """n new schools, each with the example's 37 rooms and its service."""
    base = json.loads((EXAMPLES / "complete-secondary.json").read_text(encoding="utf-8"))
    schools = [base | {"code": f"{prefix}{i:04d}", "name": f"测试学校{prefix}{i}"} for i in range(n)]
    path = tmp_path / f"city-{prefix}.json"
    path.write_text(json.dumps({"schools": schools}, ensure_ascii=False), encoding="utf-8")
    return path


def _queries_to_write(path: Path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from campusplan.catalog.loader import load_catalog
    from campusplan.exchange.inventory import load_kinds
    from campusplan.schools.services import import_bundle, read_bundle, write_report

    catalog = load_catalog()
    kinds = load_kinds(catalog)
    bundle = read_bundle(paths=[path], catalog=catalog, kinds=kinds)
    report = import_bundle(bundle=bundle, catalog=catalog, kinds=kinds, dry_run=True,
                           source={"kind": "import", "actor": "test"})
    assert report.ok and report.plan.changes, [p.message() for p in report.problems]
    with CaptureQueriesContext(connection) as queries:
        write_report(report=report, source={"kind": "import", "actor": "test"})
    return len(queries)


def test_writing_new_schools_takes_as_many_queries_for_2_as_for_20(tmp_path):
    """Schools, rooms, services and values are written in bulk: no query per school, room or
    service (a new school was once saved a second time, a service looked up and saved alone)."""
    _queries_to_write(_new_city(tmp_path, "110107", 1))  # the district is created once
    few, many = _queries_to_write(_new_city(tmp_path, "110108", 2)), \
        _queries_to_write(_new_city(tmp_path, "110109", 20))
    assert many == few
    assert Room.objects.count() == 23 * 37
    assert School.objects.filter(code__startswith="110109").count() == 20
    assert FactValue.objects.filter(service__isnull=False).values("service").distinct().count() \
        == 23
