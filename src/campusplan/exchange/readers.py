"""Files → tables of cells: .xlsx (openpyxl, read-only streaming), .csv (UTF-8 with or without
BOM, GBK/GB18030 from Excel on Windows, UTF-16 "Unicode text"), .json.

A table is a sheet (or a CSV file): its header row and its data rows, each value as the file had
it. Rows whose first cell starts with "※" are the survey's hint rows and are skipped. Nothing here
knows the fact dictionary; exchange/bundle.py gives the columns their meaning.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET  # small, size-checked parts; expat refuses entity bombs
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from python_calamine import CalamineError, CalamineWorkbook

from campusplan.exchange.limits import DEFAULT_LIMITS, Limits, check_size, check_zip, scan_sheets
from campusplan.exchange.problems import ExchangeError, Location, Problem, fail

HINT = "※"
META_SHEET, LISTS_SHEET = "_meta", "_lists"
INSTRUCTION_SHEETS = ("填写说明", "Instructions")  # prose, not data
Progress = Callable[[str, int, int | None], None]


def _no_progress(stage: str, done: int, total: int | None) -> None:
    return None


@dataclass
class Table:
    file: str
    sheet: str  # "" for a CSV file
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (row number, values)

    def where(self, row: int | None = None, col: int | None = None) -> Location:
        letter = _letter(col) if col is not None else ""
        return Location(self.file, self.sheet, row, letter)


@lru_cache(maxsize=2048)
def _letter(col: int) -> str:
    return get_column_letter(col + 1)


@dataclass
class Document:
    path: Path
    format: str  # xlsx | csv | json
    tables: list[Table] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    data: Any = None  # the parsed JSON document
    problems: list[Problem] = field(default_factory=list)  # cell-level, reported with the rest


def read_any(path: Path, limits: Limits = DEFAULT_LIMITS,
             progress: Progress = _no_progress) -> Document:
    path = Path(path)
    if not path.is_file():
        raise fail("文件不存在", "no such file", Location(file=str(path)))
    check_size(path, limits)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xltx", ".xltm"):
        return read_xlsx(path, limits, progress)
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv(path, limits, progress)
    if suffix == ".json":
        return read_json(path)
    raise fail(f"不支持的文件类型：{suffix or '（无扩展名）'}（支持 .xlsx / .csv / .json）",
               f"unsupported file type {suffix!r} (use .xlsx, .csv or .json)",
               Location(file=path.name))


# --- xlsx ----------------------------------------------------------------------------------
# Read with python-calamine (Rust): ~16x faster than openpyxl's read-only mode on a district
# workbook. It returns a formula's cached value, so formulas are found by limits.scan_sheets.


def read_xlsx(path: Path, limits: Limits = DEFAULT_LIMITS,
              progress: Progress = _no_progress) -> Document:
    check_zip(path, limits)
    formulas = _formulas_by_title(path, scan_sheets(path, limits))
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except (CalamineError, ValueError, OSError) as exc:
        raise fail(f"无法打开工作簿：{exc}", f"cannot open the workbook: {exc}",
                   Location(file=path.name)) from None
    doc, problems = Document(path=path, format="xlsx"), []
    for title in wb.sheet_names:
        if title in INSTRUCTION_SHEETS or title == LISTS_SHEET:
            continue
        try:
            sheet = wb.get_sheet_by_name(title)
            rows = sheet.to_python(skip_empty_area=False)
        except (CalamineError, ValueError) as exc:
            problems.append(Problem(f"无法读取工作表：{exc}", f"cannot read the sheet: {exc}",
                                    Location(file=path.name, sheet=title)))
            continue
        if title == META_SHEET:
            # a row per school carries its data version (version.<code>)
            doc.meta = {str(r[0]): str(r[1]) for r in rows[:limits.max_rows]
                        if len(r) > 1 and r[0]}
            continue
        table = _table(rows, path.name, title, limits, problems)
        if table is not None:
            _merged_header(table, sheet.merged_cell_ranges or [], problems)
            _formula_cells(table, formulas.get(title, []), problems)
            doc.tables.append(table)
        progress(f"{path.name} › {title}", len(rows), len(rows))
    doc.problems = problems[: limits.max_errors_shown]
    return doc


def _formulas_by_title(path: Path, by_part: dict[str, list[str]]) -> dict[str, list[str]]:
    """Sheet title → formula cells, joining workbook.xml's sheets to their parts."""
    if not any(by_part.values()):
        return {}
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
    with zipfile.ZipFile(path) as zf:
        book = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): "xl/" + r.get("Target", "").lstrip("/").removeprefix("xl/")
               for r in rels.findall("p:Relationship", ns)}
    out = {}
    for sheet in book.findall("m:sheets/m:sheet", ns):
        part = targets.get(sheet.get(f"{{{ns['r']}}}id"))
        out[sheet.get("name")] = by_part.get(part, [])
    return out


def _table(rows: list[list], file: str, sheet: str, limits: Limits,
           problems: list[Problem]) -> Table | None:
    table: Table | None = None
    for n, raw in enumerate(rows, start=1):
        values = [None if v == "" else v.strip() if isinstance(v, str) else v
                  for v in raw[: limits.max_columns + 1]]
        if table is None:
            table = _header(values, n, file, sheet, limits, problems)
        elif _keep(values):
            table.rows.append((n, values))
    if table is not None and len(table.rows) > limits.max_rows:
        problems.append(Problem(f"行数过多，上限 {limits.max_rows:,} 行",
                                f"too many rows, limit {limits.max_rows:,}",
                                Location(file=file, sheet=sheet)))
        return None
    return table


def _merged_header(table: Table, merged: list, problems: list[Problem]) -> None:
    for (r0, c0), (r1, c1) in merged:
        if r0 <= table.header_row - 1 <= r1:
            first, last = get_column_letter(c0 + 1), get_column_letter(c1 + 1)
            problems.append(Problem(f"表头含合并单元格 {first}{r0 + 1}:{last}{r1 + 1}：请取消合并，"
                                    "每列一个列名", "merged header cells: unmerge them, one name "
                                    "per column", table.where(table.header_row, c0)))


def _formula_cells(table: Table, refs: list[str], problems: list[Problem]) -> None:
    for ref in refs:
        letter, row = coordinate_from_string(ref)
        problems.append(Problem("单元格含公式：请复制后“选择性粘贴为数值”再导入",
                                "the cell holds a formula: paste it as a value",
                                Location(file=table.file, sheet=table.sheet, row=row,
                                         column=letter)))


def _keep(values: list[Any]) -> bool:
    """A data row: not blank and not a hint row."""
    first = next((v for v in values if v not in (None, "")), None)
    return first is not None and not (isinstance(values[0], str) and values[0].startswith(HINT))


def _header(values: list[Any], n: int, file: str, sheet: str, limits: Limits,
            problems: list[Problem]) -> Table | None:
    if not any(v not in (None, "") for v in values):
        return None
    headers = ["" if v is None else str(v).strip() for v in values]
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > limits.max_columns:
        problems.append(Problem(f"列数过多，上限 {limits.max_columns} 列",
                                f"too many columns, limit {limits.max_columns}",
                                Location(file=file, sheet=sheet, row=n)))
    return Table(file=file, sheet=sheet, header_row=n, headers=headers)


# --- csv -----------------------------------------------------------------------------------

ENCODINGS = ("utf-8", "gb18030")  # gb18030 is a superset of GBK / GB2312


def decode(raw: bytes, file: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030; garbage fails cleanly."""
    if raw.startswith(b"\xef\xbb\xbf"):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    else:
        candidates = ENCODINGS
    for enc in candidates:
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_textual(text):
            return text
    raise fail("无法识别文件编码或不是文本文件（支持 UTF-8、GBK/GB18030、UTF-16）",
               "unrecognised encoding or not a text file (UTF-8, GBK/GB18030, UTF-16 supported)",
               Location(file=file))


def _looks_textual(text: str) -> bool:
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    return "\x00" not in sample and controls <= len(sample) // 1000


def read_csv(path: Path, limits: Limits = DEFAULT_LIMITS,
             progress: Progress = _no_progress) -> Document:
    text = decode(path.read_bytes(), path.name)
    first = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems: list[Problem] = []
    table: Table | None = None
    try:
        for n, values in enumerate(reader, start=1):
            values = [v.strip() for v in values[: limits.max_columns + 1]]
            if table is None:
                table = _header(values, n, path.name, "", limits, problems)
            elif _keep(values):
                table.rows.append((n, [v if v != "" else None for v in values]))
                if len(table.rows) > limits.max_rows:
                    raise fail(f"行数过多，上限 {limits.max_rows:,} 行",
                               f"too many rows, limit {limits.max_rows:,}", Location(file=path.name))
            if n % 10000 == 0:
                progress(path.name, n, None)
    except csv.Error as exc:
        raise fail(f"CSV 格式错误：{exc}", f"malformed CSV: {exc}", Location(file=path.name)) \
            from None
    if problems:
        raise ExchangeError(problems)
    return Document(path=path, format="csv", tables=[table] if table else [])


# --- json ----------------------------------------------------------------------------------


def read_json(path: Path) -> Document:
    try:
        data = json.loads(decode(path.read_bytes(), path.name))
    except (json.JSONDecodeError, RecursionError) as exc:
        raise fail(f"JSON 格式错误：{exc}", f"malformed JSON: {exc}", Location(file=path.name)) \
            from None
    meta = data.get("meta") if isinstance(data, dict) else None  # an export's, with versions
    return Document(path=path, format="json", data=data,
                    meta={str(k): str(v) for k, v in meta.items()} if isinstance(meta, dict)
                    else {})
