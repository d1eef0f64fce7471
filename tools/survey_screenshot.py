"""Render docs/img/survey.png: the survey's profile and infrastructure sheets, pre-filled with the
example schools (`make survey-png`; needs LibreOffice and pdftoppm, which that target installs).

No database: the workbook is written by the pure exchange package from examples/*.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook

from campusplan.catalog import load_catalog
from campusplan.engine.inputs import load_json_files
from campusplan.exchange.inventory import load_kinds
from campusplan.exchange.layout import build_layout
from campusplan.exchange.rows import sheet_rows
from campusplan.exchange.workbook import meta_of, write_workbook

ROOT = Path(__file__).resolve().parents[1]
SHEETS = {"学校概况": "A1:I6", "基础设施": "A1:H6"}
DPI, CROP = 150, (0, 110, 1754, 200)  # x, y, width, height in pixels of the landscape page


def main(out: Path) -> None:
    catalog = load_catalog()
    kinds = load_kinds(catalog)
    files = sorted((ROOT / "examples").glob("*.json"))
    load_json_files(files, catalog)  # the examples are valid engine input
    docs = []
    for f in files:
        data = json.loads(f.read_text(encoding="utf-8"))
        docs += data["schools"] if isinstance(data, dict) and "schools" in data else [data]
    layout = build_layout(catalog, kinds.labels())
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "survey.xlsx"
        write_workbook(xlsx, layout, sheet_rows(layout, docs),
                       meta_of(catalog, "district", "110108", kinds.version, "zh"))
        _print_view(xlsx)
        subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", tmp,
                        str(xlsx)], check=True, capture_output=True, timeout=300)
        x, y, w, h = map(str, CROP)
        subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-x", x, "-y",
                        y, "-W", w, "-H", h, "-singlefile", str(Path(tmp) / "survey.pdf"),
                        str(out.with_suffix(""))], check=True)
    print(out)


def _print_view(path: Path) -> None:
    """One landscape page: the first columns of the profile sheet."""
    wb = load_workbook(path)
    wb.security = None
    for name in list(wb.sheetnames):
        if name not in SHEETS:
            wb[name].sheet_state = "hidden"
    for name, area in SHEETS.items():
        ws = wb[name]
        ws.print_area = area
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.gridLines = True
    wb.active = wb.sheetnames.index("学校概况")
    wb.save(path)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img" / "survey.png")
