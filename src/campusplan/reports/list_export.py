"""A list exactly as it was filtered, as .xlsx or .csv: header rows that say what the list is
(title, scope, each filter, the ordering, when, how many rows), a blank row, then the table.

Every text cell goes through `xlsx_tools.safe` — the formula-injection guard of the other
exports — in both formats: a value starting with `= + - @` tab or CR gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from campusplan.reports.xlsx_tools import HEADER_FILL, PCT, display_width, font_name, safe


def write_list_xlsx(heading: Sequence[str], header: Sequence[str], rows: Sequence[Sequence],
                    lang: str, percent_columns: Sequence[int] = ()) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(safe(heading[0])[:31] if heading else "list")
    for j, head in enumerate(header):
        widest = max([display_width(head)] + [display_width(r[j]) for r in rows[:300]])
        ws.column_dimensions[get_column_letter(j + 1)].width = min(60, max(8, widest + 2))
    bold = Font(name=font_name(lang), bold=True)
    for i, line in enumerate(heading):
        cell = WriteOnlyCell(ws, safe(line))
        cell.font = Font(name=font_name(lang), bold=True, size=14) if i == 0 else bold
        ws.append([cell])
    ws.append([])
    cells = []
    for text in header:
        cell = WriteOnlyCell(ws, safe(text))
        cell.font, cell.fill = bold, HEADER_FILL
        cells.append(cell)
    ws.append(cells)
    pct = set(percent_columns)
    for values in rows:
        out = []
        for j, value in enumerate(values):
            if j in pct and value is not None:
                cell = WriteOnlyCell(ws, value)
                cell.number_format = PCT
                out.append(cell)
            else:
                out.append(safe(value))
        ws.append(out)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_list_csv(heading: Sequence[str], header: Sequence[str],
                   rows: Sequence[Sequence]) -> bytes:
    """UTF-8 with BOM (Excel on Windows opens it as is); the heading lines one cell each."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    for line in heading:
        writer.writerow([safe(line)])
    writer.writerow([])
    writer.writerow([safe(h) for h in header])
    for values in rows:
        writer.writerow(["" if v is None else safe(v) for v in values])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
