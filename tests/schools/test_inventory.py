"""Rooms → devices → facts, from the survey's device sheet and from a Snipe-IT export."""

import csv

import pytest

from campusplan.exchange.problems import ExchangeError
from campusplan.schools.models import Device, FactValue
from campusplan.usecases.imports import import_files
from tests.actors import operator
from tests.exchange.helpers import EXAMPLES

pytestmark = pytest.mark.django_db

SNIPEIT_HEADER = ["Company", "Name", "Asset Tag", "Category", "Model", "Location",
                  "Purchase Date", "Purchase Cost", "Status", "Serial", "Notes"]
SCHOOL = "1101080101"  # examples/small-primary.json


def _snipeit(path, rows, encoding="utf-8-sig"):
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(SNIPEIT_HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def school():
    assert import_files(actor=operator("test"), paths=[EXAMPLES / "small-primary.json"]).ok


def _rows():
    teacher = [[SCHOOL, f"T{i}", f"T-{i:04d}", "Teacher Computers", "ThinkPad", "",
                "2023-03-01", "5999.00", "Deployed", "", ""] for i in range(40)]
    lab = [["海淀区示例小学（小规模）", f"S{i}", f"S-{i:04d}", "学生电脑", "OptiPlex", "301",
            "2022-09-01", "4200", "Ready to Deploy", "", ""] for i in range(30)]
    other = [[SCHOOL, "old", "X-1", "Student Computers", "", "", "", "", "Archived", "", ""],
             [SCHOOL, "pr", "P-1", "Printers", "", "", "", "", "Deployed", "", ""],
             ["某企业", "pc", "Z-1", "Teacher Computers", "", "", "", "", "Deployed", "", ""]]
    return teacher + lab + other


def test_snipeit_export_sums_into_facts_with_origin(tmp_path, school):
    report = import_files(actor=operator("test"), inventory_complete=True,
                          paths=[_snipeit(tmp_path / "assets.csv", _rows())])
    assert report.ok, [p.message() for p in report.problems]
    assert Device.objects.count() == 70
    total = FactValue.objects.get(key="teacher_computers_total", superseded_at=None)
    assert total.value == 40 and "教师用计算机 40 台" in total.derived_from
    assert total.source.file_name == "assets.csv"
    lab = FactValue.objects.get(key="student_computers", room__code="301", superseded_at=None)
    assert lab.value == 30 and "301" in lab.derived_from
    notes = " ".join(n.zh for n in report.notes)
    assert "Printers" in notes and "状态" in notes and "Company" in notes


def test_an_inventory_never_silently_replaces_a_stated_count(tmp_path, school):
    """A 4-row Snipe-IT export must not lower a stated 教师用计算机 count: a conflict, nothing
    written, unless the inventory is declared complete or the user chooses per conflict."""
    stated = FactValue.objects.get(key="teacher_computers_total", superseded_at=None).value
    rows = _rows()[:4]
    path = _snipeit(tmp_path / "four.csv", rows)
    report = import_files(actor=operator("test"), paths=[path])
    assert not report.ok and not report.written
    ids = {c.id: c for c in report.unresolved}
    conflict = ids[f"{SCHOOL}:fact.teacher_computers_total"]
    assert (conflict.reason, conflict.change.old, conflict.change.new) == ("inventory", stated, 4)
    assert FactValue.objects.get(key="teacher_computers_total", superseded_at=None).value == stated
    assert not Device.objects.exists()
    kept = import_files(actor=operator("test"), paths=[path], on_conflict="stored")
    assert kept.ok and kept.written and Device.objects.count() == 4
    assert FactValue.objects.get(key="teacher_computers_total", superseded_at=None).value == stated


def test_snipeit_reimport_is_idempotent(tmp_path, school):
    path = _snipeit(tmp_path / "assets.csv", _rows())
    import_files(actor=operator("test"), paths=[path], inventory_complete=True)
    facts, devices = FactValue.objects.count(), Device.objects.count()
    assert import_files(actor=operator("test"), paths=[path], inventory_complete=True).plan.changes == []
    assert (FactValue.objects.count(), Device.objects.count()) == (facts, devices)


def test_snipeit_gbk_export(tmp_path, school):
    path = _snipeit(tmp_path / "gbk.csv", _rows(), encoding="gbk")
    assert import_files(actor=operator("test"), paths=[path], inventory_complete=True).ok
    assert Device.objects.filter(room__code="301").count() == 30


def test_derived_count_out_of_range_is_located(tmp_path, school):
    rows = [[SCHOOL, "s", f"S-{i}", "学生电脑", "", "301", "", "", "", "", ""] for i in range(201)]
    report = import_files(actor=operator("test"), inventory_complete=True,
                          paths=[_snipeit(tmp_path / "many.csv", rows)])
    assert not report.ok and "超出范围" in report.problems[0].zh
    assert not Device.objects.exists()


def test_device_sheet_needs_known_rooms_and_kinds(tmp_path, school):
    path = tmp_path / "devices.csv"
    path.write_text("学校标识码,房间编号,设备类型,资产标签,购置日期,购置金额（元）\n"
                    f"{SCHOOL},301,学生用计算机,D-1,2024-01-01,3000\n"
                    f"{SCHOOL},Z99,学生用计算机,D-2,2024-01-01,3000\n"
                    f"{SCHOOL},301,咖啡机,D-3,昨天,-1\n", encoding="utf-8")
    report = import_files(actor=operator("test"), paths=[path], inventory_complete=True)
    reasons = " ".join(p.zh for p in report.problems)
    assert "房间编号不存在" in reasons and "设备类型未知" in reasons and "日期格式" in reasons
    assert not Device.objects.exists()


def test_custom_mapping_file(tmp_path, school, catalog):
    from campusplan.exchange.inventory import KINDS_FILE

    custom = tmp_path / "kinds.yaml"
    custom.write_text(KINDS_FILE.read_text(encoding="utf-8").replace(
        "Teacher Computers: teacher_computer", "Laptops: teacher_computer"), encoding="utf-8")
    rows = [[SCHOOL, "l", "L-1", "Laptops", "", "", "", "", "", "", ""]]
    import_files(actor=operator("test"), paths=[_snipeit(tmp_path / "a.csv", rows)],
                 kinds_path=custom, inventory_complete=True)
    assert FactValue.objects.get(key="teacher_computers_total", superseded_at=None).value == 1
    broken = tmp_path / "broken.yaml"
    broken.write_text(custom.read_text(encoding="utf-8").replace(
        "school_fact: teacher_computers_total", "school_fact: no_such_fact"), encoding="utf-8")
    with pytest.raises(ExchangeError):
        import_files(actor=operator("test"), paths=[_snipeit(tmp_path / "a.csv", rows)], kinds_path=broken)


def test_engine_json_devices_are_stored_and_reach_the_engine(tmp_path, catalog):
    import json

    from campusplan.engine.assessment import run
    from campusplan.schools.selectors import school_list, schools_as_inputs

    doc = json.loads((EXAMPLES / "small-primary.json").read_text(encoding="utf-8"))
    doc["devices"] = [{"kind": "student_desktop", "quantity": 3, "purchased": "2017-09-01"},
                      {"kind": "teacher_desktop", "quantity": 2, "purchased": "2022-03-01"}]
    path = tmp_path / "with-devices.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert import_files(actor=operator("test"), paths=[path], inventory_complete=True).ok
    assert sorted(Device.objects.values_list("asset_tag", flat=True))[:1] == [
        "student_desktop@2017-09-01#1"]
    assert Device.objects.count() == 5
    assert import_files(actor=operator("test"), paths=[path], inventory_complete=True).plan.changes == []
    frames = run(catalog, schools_as_inputs(schools=school_list(), catalog=catalog)).frames
    assert sorted(frames.devices.select("kind", "quantity").iter_rows()) == [
        ("student_desktop", 3), ("teacher_desktop", 2)]


def test_engine_json_device_with_unmapped_line(tmp_path):
    import json

    doc = json.loads((EXAMPLES / "small-primary.json").read_text(encoding="utf-8"))
    doc["devices"] = [{"kind": "bandwidth_upgrade", "quantity": 1, "purchased": "2020-01-01"}]
    path = tmp_path / "bad-devices.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    report = import_files(actor=operator("test"), paths=[path], inventory_complete=True)
    assert not report.ok and report.problems[0].where.path == "$.devices[0]"


def test_changed_asset_is_updated_not_duplicated(tmp_path, school):
    rows = _rows()
    import_files(actor=operator("test"), inventory_complete=True,
                 paths=[_snipeit(tmp_path / "a.csv", rows)])
    rows[0][4] = "ThinkPad X1"
    report = import_files(actor=operator("test"), inventory_complete=True,
                 paths=[_snipeit(tmp_path / "b.csv", rows)])
    assert [(c.target, c.key) for c in report.plan.changes] == [("device", "~")]
    assert Device.objects.get(asset_tag="T-0000").model == "ThinkPad X1"
    assert Device.objects.count() == 70
