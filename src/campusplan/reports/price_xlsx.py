"""A price list as a workbook (the columns of exchange/price_sheet.py): what a district
exports, fills in and imports again."""

from __future__ import annotations

from typing import BinaryIO

from openpyxl import Workbook

from campusplan.catalog.vocabulary import PRICE_LIST, label
from campusplan.exchange.price_sheet import COLUMNS, SHEET
from campusplan.planning.prices import PriceCatalog
from campusplan.reports.xlsx_tools import print_setup, write_table


def write_price_xlsx(prices: PriceCatalog, priced_on: dict[str, str], out: BinaryIO,
                     lang: str = "zh") -> None:
    """One row per line; `priced_on` gives the district's dates by line key."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    zh = lang.startswith("zh")
    header = [zh_h if zh else en_h for _k, zh_h, en_h in COLUMNS]
    rows = [[line.key, line.label.get(lang), line.unit.get(lang), line.unit_price,
             line.service_life_years, line.source, priced_on.get(line.key, ""),
             label(PRICE_LIST, "district" if line.basis == "district" else "city", lang)]
            for line in prices.lines]
    write_table(ws, header, rows, lang, formats={3: "#,##0.00"})
    ws.freeze_panes = "A2"
    print_setup(ws, "第 &P 页 共 &N 页" if zh else "Page &P of &N", title_rows="1:1")
    wb.save(out)
