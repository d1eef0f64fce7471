"""Helpers shared by the exchange, schools and assessments tests: fill a generated survey the way
a person would in Excel, and build hostile files at run time (nothing big is committed)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def fill(path: Path, sheet: str, rows: list[dict], out: Path | None = None) -> Path:
    """Append rows (header text → value) under the header and hint rows of a sheet."""
    wb = load_workbook(path)
    ws = wb[sheet]
    headers = {c.value: c.column for c in ws[1] if c.value}
    start = 3
    while ws.cell(start, 1).value not in (None, ""):
        start += 1
    for i, row in enumerate(rows):
        for header, value in row.items():
            ws.cell(start + i, headers[header], value)
    wb.save(out or path)
    return out or path


def sheet_values(path: Path, sheet: str) -> list[list]:
    wb = load_workbook(path, read_only=True)
    try:
        return [list(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


def minimal_xlsx(path: Path, sheet_xml: bytes | None = None, rows: int = 0,
                 dimension: bool = True, extra: dict[str, bytes] | None = None,
                 content_type: str = "application/vnd.openxmlformats-officedocument."
                 "spreadsheetml.sheet.main+xml") -> Path:
    """A valid one-sheet .xlsx written part by part (fast even with a million rows)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            f'"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{content_type}"'
            '/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>').encode(),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            b'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            b'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rel_ns}><sheets><sheet '
            'name="学校概况" sheetId="1" r:id="rId1"/></sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            b'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            b'Target="worksheets/sheet1.xml"/></Relationships>'),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in {**parts, **(extra or {})}.items():
            zf.writestr(name, data)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            if sheet_xml is not None:
                fh.write(sheet_xml)
            else:
                _rows_xml(fh, ns, rows, dimension)
    return path


def _rows_xml(fh, ns: str, rows: int, dimension: bool) -> None:
    fh.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}>'.encode())
    if dimension:
        fh.write(f'<dimension ref="A1:B{rows + 1}"/>'.encode())
    fh.write(b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>school_id</t></is></c>'
             b'<c r="B1" t="inlineStr"><is><t>teachers</t></is></c></row>')
    chunk = []
    for i in range(2, rows + 2):
        chunk.append(f'<row r="{i}"><c r="A{i}"><v>{1100000000 + i}</v></c>'
                     f'<c r="B{i}"><v>{i % 97}</v></c></row>')
        if len(chunk) == 10000:
            fh.write("".join(chunk).encode())
            chunk = []
    fh.write("".join(chunk).encode())
    fh.write(b"</sheetData></worksheet>")
