"""The survey workbook is generated from the fact dictionary and codes.yaml."""

from pathlib import Path

import yaml
from openpyxl import load_workbook

from campusplan.catalog.loader import STANDARDS_DIR, load_files
from campusplan.catalog.schema import Scope
from campusplan.exchange.inventory import load_kinds
from campusplan.exchange.layout import build_layout
from campusplan.exchange.rows import sheet_rows
from campusplan.exchange.workbook import dictionary_checksum, meta_of, write_workbook


def _survey(tmp_path: Path, catalog, kinds, docs=()) -> Path:
    layout = build_layout(catalog, kinds.labels())
    meta = meta_of(catalog, "district", "110108", kinds.version, "zh")
    return write_workbook(tmp_path / "survey.xlsx", layout, sheet_rows(layout, list(docs)), meta)


def test_sheets_instructions_and_meta(tmp_path, catalog, kinds):
    wb = load_workbook(_survey(tmp_path, catalog, kinds))
    assert wb.sheetnames[:2] == ["填写说明", "学校概况"]
    assert {"基础设施", "应用软件", "房间", "服务", "设备"} <= set(wb.sheetnames)
    assert "评估结果" not in wb.sheetnames
    meta_ws = wb["_meta"]
    meta = {r[0].value: r[1].value for r in meta_ws.iter_rows()}
    assert meta_ws.sheet_state == "hidden" and meta_ws.protection.sheet
    assert wb["_lists"].sheet_state == "hidden"
    assert meta["dictionary_checksum"] == dictionary_checksum(catalog)
    assert meta["catalog_version"] == catalog.version
    assert "不收集学生个人信息" in " ".join(str(c.value) for c in wb["填写说明"]["A"])


def test_every_school_fact_is_a_column_with_unit(tmp_path, catalog, kinds):
    wb = load_workbook(_survey(tmp_path, catalog, kinds))
    headers = {c.value for name in wb.sheetnames for c in wb[name][1] if c.value}
    for fact in catalog.facts.facts:
        if fact.scope == Scope.school:
            want = f"{fact.label.zh}（{fact.unit}）" if fact.unit else fact.label.zh
            assert want in headers, fact.key
    assert "互联网接入带宽（Mbps）" in headers


def _validations(ws) -> dict[str, object]:
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0].rstrip("0123456789")] = dv
    return out


def test_validation_ranges_booleans_and_dropdowns(tmp_path, catalog, kinds):
    wb = load_workbook(_survey(tmp_path, catalog, kinds))
    ws = wb["基础设施"]
    headers = {c.value: c.column_letter for c in ws[1]}
    dvs = _validations(ws)
    bandwidth = dvs[headers["互联网接入带宽（Mbps）"]]
    assert (bandwidth.type, bandwidth.formula1, bandwidth.formula2) == ("decimal", "0", "100000")
    assert dvs[headers["IPv4/IPv6双栈"]].formula1 == '"是,否"'
    assert ws["A2"].value.startswith("※")
    profile = wb["学校概况"]
    p_headers = {c.value: c.column_letter for c in profile[1]}
    type_dv = _validations(profile)[p_headers["办学类型"]]
    lists = wb["_lists"]
    column = type_dv.formula1.split("!")[1].split(":")[0].replace("$", "").rstrip("0123456789")
    values = [c.value for c in lists[column][1:] if c.value]
    assert "211 小学" in values and "312 九年一贯制学校" in values
    phase_col = _validations(profile)[p_headers["智慧教室应用阶段"]].formula1
    assert phase_col.startswith("'_lists'!")


def test_new_fact_in_dictionary_is_a_new_column(tmp_path):
    """Changing facts.yaml changes the workbook with no code change."""
    raw = yaml.safe_load((STANDARDS_DIR / "facts.yaml").read_text(encoding="utf-8"))
    raw["facts"].append({"key": "ai_lab_seats", "label": {"zh": "人工智能实验室座位数",
                                                          "en": "AI lab seats"},
                         "type": "int", "unit": {"zh": "个", "en": "seats"}, "min": 0, "max": 500,
                         "scope": "school", "area": "infrastructure"})
    raw["room_types"].append({"key": "ai_lab", "label": {"zh": "人工智能实验室", "en": "AI lab"},
                              "section": "5.9"})
    facts = tmp_path / "facts.yaml"
    facts.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    modified = load_files(STANDARDS_DIR / "beijing.yaml", facts)
    wb = load_workbook(_survey(tmp_path, modified, load_kinds(modified)))
    assert "人工智能实验室座位数（个）" in [c.value for c in wb["基础设施"][1]]
    assert any(c.value == "人工智能实验室" for col in wb["_lists"].iter_cols() for c in col)


def test_prefilled_rows_use_display_values(tmp_path, catalog, kinds):
    doc = {"code": "1101080101", "name": "=HYPERLINK(\"x\")", "district": "110108", "type": "211",
           "teachers": 18, "stages": {"primary": {"classes": 6}}, "smart_phase": None,
           "approved_data_center": False, "facts": {"ipv6_dual_stack": True},
           "rooms": None, "services": None}
    wb = load_workbook(_survey(tmp_path, catalog, kinds, [doc]))
    row = [c.value for c in wb["学校概况"][3]]
    assert row[:4] == ["1101080101", "'=HYPERLINK(\"x\")", "110108 海淀区", "211 小学"]
    assert "未开展" in row and 18 in row
    assert "是" in [c.value for c in wb["基础设施"][3]]
