"""Write a workbook from the layout: the survey (blank or pre-filled) and the .xlsx export.

Sheets: 填写说明 (instructions), 学校概况 (profile), one sheet per area of school facts, 房间,
服务, 设备, optionally 评估结果, a hidden `_lists` sheet feeding the dropdowns and a hidden,
protected `_meta` sheet (template, standard version, dictionary checksum). Every input column
carries data validation: whole/decimal numbers with the dictionary's range, 是/否, dropdowns for
codes; its header has the unit and its second row a hint (rows starting with ※ are not read).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from campusplan.catalog.codes import codes
from campusplan.catalog.loader import Catalog
from campusplan.exchange.layout import Column, Layout, SheetSpec, fmt_num, yes_no
from campusplan.exchange.readers import HINT, INSTRUCTION_SHEETS, LISTS_SHEET, META_SHEET
from campusplan.exchange.rows import SheetRows

TEMPLATE = "campusplan-survey"
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
KEY_FILL = PatternFill("solid", fgColor="FCE4D6")
HINT_FONT = Font(italic=True, color="808080", size=9)
SPARE_ROWS = {"profile": 300, "rooms": 1000, "services": 300, "devices": 3000}


def dictionary_checksum(catalog: Catalog) -> str:
    """Identifies the fact dictionary and reference codes a workbook was generated from."""
    data = {"facts": catalog.facts.model_dump(mode="json"), "codes": codes()}
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()) \
        .hexdigest()


def meta_of(catalog: Catalog, kind: str, scope: str, kinds_version: str, lang: str) -> dict:
    ident = catalog.standard.identity
    return {"template": TEMPLATE, "kind": kind, "scope": scope,
            "standard": catalog.standard.key, "standard_title": ident.title,
            "catalog_version": catalog.version, "dictionary_version": catalog.facts.version,
            "dictionary_checksum": dictionary_checksum(catalog),
            "device_kinds_version": kinds_version, "lang": lang,
            "generated_at": dt.datetime.now().replace(microsecond=0).isoformat()}


def write_workbook(path: Path, layout: Layout, data: SheetRows, meta: dict, lang: str = "zh",
                   with_results: bool = False, progress: Callable | None = None) -> Path:
    wb = Workbook(write_only=True)
    _instructions(wb.create_sheet(_title("instructions", lang)), layout, meta, lang)
    lists = _Lists(layout, lang)
    for spec in layout.sheets:
        if spec.role == "results" and not with_results:
            continue
        rows = data.get(spec.key)
        _sheet(wb.create_sheet(spec.title.get(lang)[:31]), spec, rows, lists, lang)
        if progress:
            progress(spec.title.get(lang), len(rows), None)
    lists.write(wb.create_sheet(LISTS_SHEET))
    _meta(wb.create_sheet(META_SHEET), meta)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.save(path)
    return path


def _title(key: str, lang: str) -> str:
    return {"instructions": INSTRUCTION_SHEETS}[key][0 if lang.startswith("zh") else 1]


class _Lists:
    """Dropdown values live on a hidden sheet (inline lists are capped at 255 characters)."""

    def __init__(self, layout: Layout, lang: str):
        self.lang, self.columns = lang, {}
        for spec in layout.sheets:
            for col in spec.columns:
                if col.choices and col.key not in self.columns:
                    self.columns[col.key] = [c.display(lang) for c in col.choices]

    def formula(self, key: str) -> str:
        i = list(self.columns).index(key) + 1
        letter = get_column_letter(i)
        return f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(self.columns[key]) + 1}"

    def write(self, ws) -> None:
        ws.sheet_state = "hidden"
        keys = list(self.columns)
        height = max((len(v) for v in self.columns.values()), default=0)
        ws.append(keys)
        for i in range(height):
            ws.append([vals[i] if i < len(vals) else None for vals in self.columns.values()])


def _sheet(ws, spec: SheetSpec, rows: list[dict], lists: _Lists, lang: str) -> None:
    ws.freeze_panes = "B3" if spec.role != "results" else "A2"
    for i, col in enumerate(spec.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _width(col, lang)
    last = 2 + len(rows) + SPARE_ROWS.get(spec.key if spec.key in SPARE_ROWS else "profile", 300)
    if spec.role != "results":
        for i, col in enumerate(spec.columns, start=1):
            dv = _validation(col, lists, lang)
            if dv is not None:
                dv.add(f"{get_column_letter(i)}3:{get_column_letter(i)}{last}")
                ws.data_validations.append(dv)
    ws.append([_header_cell(ws, col, lang) for col in spec.columns])
    if spec.role != "results":
        ws.append([_hint_cell(ws, col, lang, i == 0) for i, col in enumerate(spec.columns)])
    for row in rows:
        ws.append([col.to_cell(row.get(col.key), lang) for col in spec.columns])


def _width(col: Column, lang: str) -> float:
    """Wide enough for the header and the longest dropdown value (CJK counts double)."""
    texts = [col.header(lang), *(c.display(lang) for c in col.choices)]
    longest = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in t) for t in texts)
    return min(max(longest * 1.1, 24 if col.key == "name" else 10), 40)


def _header_cell(ws, col: Column, lang: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=col.header(lang))
    cell.font = Font(bold=True)
    cell.fill = KEY_FILL if col.key in ("code", "room_code", "asset_tag", "category") \
        else HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    if col.help:
        cell.comment = Comment(col.help.get(lang), "campusplan")
    return cell


def _hint_cell(ws, col: Column, lang: str, first: bool) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=(HINT if first else "") + col.hint(lang))
    cell.font = HINT_FONT
    return cell


def _validation(col: Column, lists: _Lists, lang: str) -> DataValidation | None:
    zh = lang.startswith("zh")
    if col.kind == "bool":
        dv = DataValidation(type="list", formula1=f'"{yes_no(True, lang)},{yes_no(False, lang)}"',
                            allow_blank=True)
    elif col.key in lists.columns:
        dv = DataValidation(type="list", formula1=lists.formula(col.key), allow_blank=True)
    elif col.kind in ("int", "float") and col.lo is not None:
        dv = DataValidation(type="whole" if col.kind == "int" else "decimal", operator="between",
                            formula1=fmt_num(col.lo), formula2=fmt_num(col.hi), allow_blank=True)
    elif col.kind == "date":
        dv = DataValidation(type="date", operator="between", formula1="DATE(1990,1,1)",
                            formula2="DATE(2100,12,31)", allow_blank=True)
    else:
        return None
    dv.showErrorMessage = dv.showInputMessage = True
    dv.errorTitle = "输入有误" if zh else "Invalid value"
    dv.error = (f"{col.label.get(lang)}：{col.hint(lang)}" if zh
                else f"{col.label.get(lang)}: {col.hint(lang)}")[:255]
    dv.prompt = col.hint(lang)[:255]
    return dv


def _meta(ws, meta: dict[str, Any]) -> None:
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    ws.protection.password = TEMPLATE  # a lock against slips, not a secret
    for key, value in meta.items():
        ws.append([key, value])


INSTRUCTIONS_ZH = [
    "本工作簿由 campusplan 根据规范的指标字典自动生成，请勿修改工作表名称、列名和隐藏的 _meta 表。",
    "每所学校一行，以“学校标识码”（10 位）关联各表；先填写“学校概况”，再填写各领域指标。",
    "是/否 项请从下拉列表选择；数值须在提示范围内；不知道的请留空——留空表示“未知”，系统不会当作 0。",
    "房间：每间专用教室、普通教室、会场一行；房间编号在本校内唯一。",
    "服务：互联网服务（配置项 35–43）每项一行；区级统一采购的服务不填学校标识码，填写行政区划代码。",
    "设备：可选的明细清单，按资产标签逐台登记；系统汇总为教师/学生计算机总数等指标。",
    "不收集学生个人信息：仅填写数量。",
    "请勿使用公式（导入时会被拒绝），需要计算的请“选择性粘贴为数值”。",
    "填好后运行：campusplan import 本文件.xlsx --dry-run 先检查，再去掉 --dry-run 正式导入。",
    "再次导入同一文件不会产生任何变化；文件中留空的单元格不会清除已存储的数据。",
]
INSTRUCTIONS_EN = [
    "Generated by campusplan from the standard's fact dictionary: keep sheet names, headers and "
    "the hidden _meta sheet as they are.",
    "One row per school, joined on the 10-digit school code; fill the profile sheet first.",
    "Choose yes or no from the lists; numbers must be in range; leave unknown values blank "
    "(blank is unknown, never 0).",
    "Rooms: one row per room; services: one row per online service (items 35–43), district-level "
    "services with a district code instead of a school code; devices: optional, one per asset.",
    "No personal data about students: counts only. No formulas: paste values.",
    "Then run: campusplan import this.xlsx --dry-run, and again without --dry-run.",
]


def _instructions(ws, layout: Layout, meta: dict, lang: str) -> None:
    zh = lang.startswith("zh")
    ws.column_dimensions["A"].width = 110
    title = WriteOnlyCell(ws, value=f"{meta['standard_title']} — "
                          + ("信息化建设情况调查表" if zh else "IT survey"))
    title.font = Font(bold=True, size=14)
    ws.append([title])
    colon = "：" if zh else ": "
    ws.append([f"{'规范版本' if zh else 'Catalog'}{colon}{meta['catalog_version']}  "
               f"{'指标字典' if zh else 'dictionary'} {meta['dictionary_version']}  "
               f"{'范围' if zh else 'scope'}{colon}{meta['kind']} {meta['scope']}"])
    ws.append([])
    for n, line in enumerate(INSTRUCTIONS_ZH if zh else INSTRUCTIONS_EN, start=1):
        ws.append([f"{n}. {line}"])
    ws.append([])
    ws.append(["工作表" if zh else "Sheets"])
    for spec in layout.sheets:
        if spec.role != "results":
            ws.append([f"· {spec.title.get(lang)}{colon}{len(spec.columns)} "
                       f"{'列' if zh else 'columns'}"])
