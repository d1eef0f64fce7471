"""openpyxl helpers: safe text cells, header rows, number formats, widths, A4 printing.

Text from schools (names, vendors, explanations) is data, never a formula: a cell starting with
`= + - @` tab or CR gets a leading apostrophe (CONVENTIONS: formula injection), and characters
XML cannot hold are dropped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
MONEY, PCT, INT = "#,##0", "0.0%", "0"
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
THIN = Side(style="thin", color="A6A6A6")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def safe(value):
    """A value ready for a cell: text neutralised and cleaned, numbers and None as they are."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(DANGEROUS) else value


def font_name(lang: str) -> str:
    return "宋体" if lang.startswith("zh") else "Calibri"


def display_width(value) -> int:
    text = value if isinstance(value, str) else f"{value:,}" if isinstance(value, int | float) \
        else str(value or "")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_table(ws: Worksheet, header: Sequence[str], rows: Sequence[Sequence], lang: str,
                formats: dict[int, str] | None = None, top: int = 1, left: int = 1,
                filters: bool = True, max_width: int = 60) -> tuple[int, int]:
    """Header at (top, left), rows below; returns the last (row, column) written."""
    formats = formats or {}
    bold, plain = Font(name=font_name(lang), bold=True), Font(name=font_name(lang))
    for j, text in enumerate(header):
        cell = ws.cell(top, left + j, safe(text))
        cell.font, cell.fill, cell.border = bold, HEADER_FILL, GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, values in enumerate(rows, 1):
        for j, value in enumerate(values):
            cell = ws.cell(top + i, left + j, safe(value))
            cell.font, cell.border = plain, GRID
            if j in formats:
                cell.number_format = formats[j]
    last_row, last_col = top + len(rows), left + len(header) - 1
    if filters and rows:
        ws.auto_filter.ref = f"{_ref(top, left)}:{_ref(last_row, last_col)}"
    _widths(ws, header, rows, left, max_width)
    return last_row, last_col


def _ref(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _widths(ws: Worksheet, header, rows, left: int, max_width: int) -> None:
    for j, head in enumerate(header):
        widest = max([display_width(head)] + [display_width(r[j]) for r in rows[:500]])
        letter = get_column_letter(left + j)
        current = ws.column_dimensions[letter].width or 0
        ws.column_dimensions[letter].width = max(current, min(max_width, widest + 2), 6)


def bold_row(ws: Worksheet, row: int, first: int, last: int, lang: str) -> None:
    for col in range(first, last + 1):
        ws.cell(row, col).font = Font(name=font_name(lang), bold=True)


def title(ws: Worksheet, text: str, lang: str, row: int = 1) -> None:
    ws.cell(row, 1, safe(text)).font = Font(name=font_name(lang), bold=True, size=14)


def print_setup(ws: Worksheet, footer: str, title_rows: str | None = None,
                landscape: bool = True) -> None:
    """A4, fit to the page width, 「第 &P 页 共 &N 页」 in the footer, header rows repeated."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = footer
    if title_rows:
        ws.print_title_rows = title_rows
