"""Tables and JSON documents → a Bundle: what one import says about each school, every value
with the cell (or JSON path) it came from. Structural problems (unknown or empty columns,
duplicate school codes or rooms, missing keys, conflicting values) are collected here; the
meaning of the values is checked later by the engine's own input validator (documents.py).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from campusplan.exchange.entries import Bundle, Entry, SchoolIn, Val
from campusplan.exchange.inventory import DeviceKinds, DeviceRow, is_snipeit
from campusplan.exchange.jsondoc import add_json
from campusplan.exchange.layout import Column, Layout, normal, to_date
from campusplan.exchange.problems import Location, Problem
from campusplan.exchange.readers import Document, Table

__all__ = ["Bundle", "Entry", "SchoolIn", "Val", "add_document", "add_table", "detect_role",
           "summarize_skipped"]


# --- tables --------------------------------------------------------------------------------

ROLE_KEYS = (("devices", {"asset_tag", "kind"}), ("rooms", {"room_code", "room_type"}),
             ("services", {"category"}), ("results", {"requirement_id"}), ("school", {"code"}))


def detect_role(table: Table, layout: Layout) -> str | None:
    if is_snipeit(table.headers):
        return "snipeit"
    for role, needed in ROLE_KEYS:
        cols = layout.role_columns(role)
        keys = {cols[normal(h)].key for h in table.headers if normal(h) in cols}
        if needed <= keys:
            return role
    return None


def add_document(bundle: Bundle, doc: Document, layout: Layout, kinds: DeviceKinds) -> None:
    bundle.files.append(doc.path.name)
    bundle.kinds = set(kinds.kinds)
    bundle.problems += doc.problems
    if doc.meta:
        bundle.templates.append(doc.meta)
    if doc.format == "json":
        add_json(bundle, doc, kinds)
        return
    for table in doc.tables:
        add_table(bundle, table, layout)


def add_table(bundle: Bundle, table: Table, layout: Layout) -> None:
    role = detect_role(table, layout)
    if role is None:
        bundle.problems.append(Problem(
            "无法识别此表：缺少“学校标识码”列（或房间编号/房间类型、服务类别、资产标签/设备类型）",
            "unrecognised table: no school code column (or room, service or device keys)",
            table.where(table.header_row)))
        return
    if role == "snipeit":
        bundle.snipeit.append(table)
        return
    if role == "results":
        bundle.notes.append(Problem("评估结果表为只读，导入时忽略", "results are read-only: skipped",
                                    table.where()))
        return
    columns = _columns(bundle, table, layout.role_columns(role))
    if columns is not None:
        ROW_READERS[role](bundle, table, columns)


def _columns(bundle: Bundle, table: Table, known: dict[str, Column]) -> list[Column | None] | None:
    """Each header's column; unknown, empty (merged) and repeated headers are problems."""
    out: list[Column | None] = []
    seen: dict[str, int] = {}
    start = len(bundle.problems)
    used = _used_columns(table)
    for i, header in enumerate(table.headers):
        where = table.where(table.header_row, i)
        col = known.get(normal(header)) if header else None
        if not header:
            if i in used:
                bundle.problems.append(Problem("表头为空（可能是合并单元格），请取消合并并填写列名",
                                               "empty header (a merged cell?): unmerge it and "
                                               "name the column", where))
        elif col is None:
            bundle.problems.append(Problem("未知列：指标字典与模板中没有此列", "unknown column",
                                           where, header))
        elif col.key in seen:
            bundle.problems.append(Problem(f"重复的列（与第 {seen[col.key] + 1} 列相同）",
                                           "repeated column", where, header))
            col = None
        else:
            seen[col.key] = i
        out.append(col)
    for i in sorted(used - set(range(len(table.headers)))):
        bundle.problems.append(Problem("此列没有表头", "column without a header",
                                       table.where(table.header_row, i)))
    return out if len(bundle.problems) == start else None


def _used_columns(table: Table) -> set[int]:
    used: set[int] = set()
    for _n, values in table.rows:
        used |= {i for i, v in enumerate(values) if v not in (None, "")}
    return used


def _cells(table: Table, columns: list[Column | None], n: int, values: list[Any]) -> list[tuple]:
    """A row's filled cells as (column, value read, cell, raw): read once per row."""
    return [(col, col.from_cell(raw), table.where(n, i), raw)
            for i, (col, raw) in enumerate(zip(columns, values, strict=False))
            if col is not None and raw not in (None, "")]


def _row_code(bundle: Bundle, table: Table, columns, n: int, cells: list[tuple],
              key="code") -> str | None:
    for col, value, _where, _raw in cells:
        if col.key == key:
            return str(value)
    idx = next((i for i, c in enumerate(columns) if c is not None and c.key == key), None)
    return None if idx is None else _missing(bundle, table.where(n, idx), key)


def _missing(bundle: Bundle, where: Location, key: str) -> None:
    names = {"code": "学校标识码", "room_code": "房间编号", "asset_tag": "资产标签",
             "category": "服务类别"}
    bundle.problems.append(Problem(f"缺少{names.get(key, key)}", f"{key} missing", where))
    return None


def _school_rows(bundle: Bundle, table: Table, columns: list[Column | None]) -> None:
    first: dict[str, int] = {}
    for n, values in table.rows:
        cells = _cells(table, columns, n, values)
        code = _row_code(bundle, table, columns, n, cells)
        if code is None:
            continue
        if code in first:
            bundle.problems.append(Problem(f"学校标识码重复（首次出现在第 {first[code]} 行）",
                                           "duplicate school code", table.where(n, 0), code))
            continue
        first[code] = n
        school = bundle.school(code, table.where(n))
        for col, value, where, _raw in cells:
            if col.key != "code":
                bundle.put(school.values, col.key, Val(value, where))


def _room_rows(bundle: Bundle, table: Table, columns: list[Column | None]) -> None:
    first: dict[tuple[str, str], int] = {}
    for n, values in table.rows:
        cells = _cells(table, columns, n, values)
        code = _row_code(bundle, table, columns, n, cells)
        room = _row_code(bundle, table, columns, n, cells, "room_code")
        if code is None or room is None:
            continue
        if (code, room) in first:
            bundle.problems.append(Problem(f"房间编号重复（首次出现在第 {first[code, room]} 行）",
                                           "duplicate room code", table.where(n), room))
            continue
        first[code, room] = n
        school = bundle.school(code, table.where(n))
        entry = school.rooms.setdefault(room, Entry(room, table.where(n)))
        for col, value, where, _raw in cells:
            if col.key not in ("code", "room_code"):
                bundle.put(entry.values, col.key, Val(value, where))


def _service_rows(bundle: Bundle, table: Table, columns: list[Column | None]) -> None:
    first: dict[tuple, int] = {}
    for n, values in table.rows:
        read = _cells(table, columns, n, values)
        cells = {c.key: (v, w) for c, v, w, _r in read}
        category = _row_code(bundle, table, columns, n, read, "category")
        if category is None:
            continue
        name = str(cells.get("service_name", (category,))[0])
        code, district = cells.get("code", (None,))[0], cells.get("service_district", (None,))[0]
        if code is None and district is None:
            bundle.problems.append(Problem("学校服务请填写学校标识码；区级服务请填写行政区划代码",
                                           "give a school code, or a district code for a "
                                           "district-level service", table.where(n)))
            continue
        key = (str(code or district), category, name)
        if key in first:
            bundle.problems.append(Problem(f"服务重复（首次出现在第 {first[key]} 行）",
                                           "duplicate service", table.where(n), name))
            continue
        first[key] = n
        entry = Entry(name, table.where(n))
        for k, (v, w) in cells.items():
            if k not in ("code", "service_district", "category", "service_name"):
                bundle.put(entry.values, k, Val(v, w))
        if code is not None:
            bundle.school(str(code), table.where(n)).services[category, name] = entry
        else:
            bundle.district_services[str(district), category, name] = entry


def _device_rows(bundle: Bundle, table: Table, columns: list[Column | None]) -> None:
    for n, values in table.rows:
        read = _cells(table, columns, n, values)
        cells = {c.key: (v, w, r) for c, v, w, r in read}
        code = _row_code(bundle, table, columns, n, read)
        tag = _row_code(bundle, table, columns, n, read, "asset_tag")
        if code is None or tag is None:
            continue
        device = _device(bundle, code, tag, cells, table.where(n))
        if device is None:
            continue
        school = bundle.school(code, table.where(n))
        if tag in school.devices:
            bundle.problems.append(Problem("资产标签重复", "duplicate asset tag", table.where(n), tag))
        school.devices[tag] = device


def _device(bundle: Bundle, code: str, tag: str, cells: dict, where: Location) -> DeviceRow | None:
    start = len(bundle.problems)
    kind = cells.get("kind", (None, where, None))
    if kind[0] not in bundle.kinds:
        bundle.problems.append(Problem("设备类型未知或缺失（见下拉列表）", "unknown or missing device kind",
                                       kind[1], kind[2]))
    date = _device_date(bundle, cells.get("purchase_date"))
    cost = cells.get("cost", (None, where, None))
    if cost[0] is not None and not (isinstance(cost[0], int | float) and cost[0] >= 0):
        bundle.problems.append(Problem("购置金额应为非负数", "cost must be a non-negative number",
                                       cost[1], cost[2]))
    if len(bundle.problems) > start:
        return None
    room = cells.get("room_code", (None,))[0]
    return DeviceRow(code, tag, kind[0], None if room is None else str(room),
                     str(cells.get("model", ("",))[0]), date,
                     None if cost[0] is None else float(cost[0]), where)


def _device_date(bundle: Bundle, cell) -> dt.date | None:
    if cell is None:
        return None
    try:
        return dt.date.fromisoformat(str(to_date(cell[0]))[:10])
    except ValueError:
        bundle.problems.append(Problem("日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD",
                                       cell[1], cell[2]))
        return None


ROW_READERS = {"school": _school_rows, "rooms": _room_rows, "services": _service_rows,
               "devices": _device_rows}


def summarize_skipped(skipped: Counter) -> list[Problem]:
    out = []
    for reason, n in sorted(skipped.items()):
        zh, en = {
            "status": ("状态为报废/丢失等，未计入", "skipped for their status"),
            "company": ("Company 无法对应到已登记学校，已跳过", "Company matches no school: skipped"),
            "asset_tag": ("缺少 Asset Tag，已跳过", "no asset tag: skipped"),
            "location_unmatched": ("Location 未对应到房间，仅计入全校总数",
                                   "Location matches no room: counted for the school only"),
        }.get(reason, (f"类别“{reason.split(':', 1)[-1]}”未映射到设备类型，已跳过",
                       f"category {reason.split(':', 1)[-1]!r} is not mapped: skipped"))
        out.append(Problem(f"{n} 行：{zh}", f"{n} rows: {en}"))
    return out

