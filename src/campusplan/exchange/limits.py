"""Explicit limits on what an import may read, checked before a parser touches the file.

A .xlsx is a zip: its central directory declares every member's compressed and uncompressed
size. We refuse the file on those declarations (total size, per-member compression ratio,
member count, macros) before openpyxl opens it. Python's zipfile never inflates a member past its
declared size (it truncates, then fails the CRC), so the declaration bounds memory and time.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from campusplan.exchange.problems import Location, fail

MiB = 2**20


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * MiB  # any input file
    max_rows: int = 200_000  # data rows per sheet / CSV (a 100,000-asset Snipe-IT export fits)
    max_columns: int = 1_000
    max_uncompressed_bytes: int = 300 * MiB  # all members of a .xlsx together
    max_ratio: float = 150.0  # uncompressed / compressed, for members over 1 MiB
    max_members: int = 500
    max_errors_shown: int = 500


DEFAULT_LIMITS = Limits()
MACRO_MEMBERS = ("xl/vbaProject.bin", "xl/vbaProjectSignature.bin")


def check_size(path: Path, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        mb, cap = size / MiB, limits.max_file_bytes / MiB
        raise fail(f"文件过大：{mb:.0f} MB，上限 {cap:.0f} MB", f"file too large: {mb:.0f} MB, "
                   f"limit {cap:.0f} MB", Location(file=path.name))
    if size == 0:
        raise fail("文件为空", "the file is empty", Location(file=path.name))


def check_zip(path: Path, limits: Limits) -> None:
    """Refuse a .xlsx that is not a zip, is a zip bomb, or carries macros."""
    where = Location(file=path.name)
    if not zipfile.is_zipfile(path):
        raise fail("不是有效的 .xlsx 文件（应为 Excel 2007 及以上格式；.xls 请另存为 .xlsx）",
                   "not a valid .xlsx file (save .xls workbooks as .xlsx)", where)
    with zipfile.ZipFile(path) as zf:
        members = zf.infolist()
        names = {m.filename for m in members}
        if len(members) > limits.max_members:
            raise fail(f"压缩包成员过多：{len(members)}", f"too many zip members: {len(members)}",
                       where)
        total = sum(m.file_size for m in members)
        if total > limits.max_uncompressed_bytes:
            raise fail(f"解压后过大（{total / MiB:.0f} MB，上限 "
                       f"{limits.max_uncompressed_bytes / MiB:.0f} MB），疑似压缩炸弹",
                       f"uncompressed size {total / MiB:.0f} MB exceeds the limit: a zip bomb?",
                       where)
        for m in members:
            ratio = m.file_size / max(m.compress_size, 1)
            if m.file_size > MiB and ratio > limits.max_ratio:
                raise fail(f"压缩比异常（{m.filename}：{ratio:.0f} 倍），疑似压缩炸弹",
                           f"suspicious compression ratio ({m.filename}: {ratio:.0f}x): a zip bomb?",
                           where)
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise fail("不是有效的 .xlsx 文件（缺少工作簿结构）",
                       "not a valid .xlsx file (no workbook part)", where)
        if zf.getinfo("[Content_Types].xml").file_size > MiB:
            raise fail("不是有效的 .xlsx 文件", "not a valid .xlsx file", where)
        content_types = zf.read("[Content_Types].xml")
    if any(n in names for n in MACRO_MEMBERS) or b"macroEnabled" in content_types:
        raise fail("含宏的工作簿（.xlsm）不予导入：请在 Excel 中另存为 .xlsx 后再导入",
                   "macro-enabled workbooks are refused: save it as .xlsx first", where)


ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")


def scan_sheets(path: Path, limits: Limits) -> dict[str, list[str]]:
    """Byte-scan every worksheet part before any XML parser: refuse more rows than allowed, and
    return the cells holding a formula (part name → cell references). A parser would otherwise
    read a million-row sheet whole before our row limit could stop it, and calamine returns a
    formula's cached value without saying it was one."""
    where = Location(file=path.name)
    cap, out = limits.max_rows + 10, {}
    with zipfile.ZipFile(path) as zf:
        for member in zf.infolist():
            if not SHEET_PART.match(member.filename):
                continue
            with zf.open(member) as fh:
                rows, formulas = _scan(fh, cap)
            name = member.filename.rsplit("/", 1)[-1]
            if rows > cap:
                raise fail(f"行数过多（{name} 超过 {limits.max_rows:,} 行）",
                           f"too many rows ({name}: over {limits.max_rows:,})", where)
            out[member.filename] = formulas
    return out


FORMULA_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?r="([A-Z]+[0-9]+)"[^>]*>\s*<(?:\w+:)?f[\s>/]')


def _scan(fh, cap: int) -> tuple[int, list[str]]:
    rows, tail, formulas = 0, b"", []
    while chunk := fh.read(MiB):
        data = tail + chunk
        cut = max(len(data) - 256, 0)  # a tag starting in the last bytes is scanned next time
        rows += sum(1 for m in ROW_TAG.finditer(data) if m.start() < cut)
        formulas += [m.group(1).decode() for m in FORMULA_CELL.finditer(data) if m.start() < cut]
        tail = data[cut:]
        if rows > cap:
            return rows, formulas
    rows += len(ROW_TAG.findall(tail))
    return rows, formulas + [m.group(1).decode() for m in FORMULA_CELL.finditer(tail)]
