"""Keep of an uploaded file only what the import reads (个人信息保护法: data minimisation).

A Snipe-IT export carries people: "Checked Out To" (a teacher's name), e-mail addresses,
serial numbers, notes. While an upload waits for its confirmation, the cells of every column
the importer does not read are blanked in the stored copy; headers, rows and column positions
stay, so every problem is still located at the row and column letter of the user's own file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from campusplan.exchange.inventory import is_snipeit, snipeit_columns
from campusplan.exchange.problems import ExchangeError
from campusplan.exchange.readers import decode


def minimize_csv(path: Path) -> int:
    """Blank the cells of a Snipe-IT CSV's unread columns in place; the number blanked (0 for a
    file that is not one, which is left as it is for the importer to judge)."""
    try:
        text = decode(path.read_bytes(), path.name)
        delimiter = max((",", "\t", ";"), key=text.split("\n", 1)[0].count)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except (ExchangeError, csv.Error):
        return 0
    if not rows or not is_snipeit([h.strip() for h in rows[0]]):
        return 0
    keep = set(snipeit_columns([h.strip() for h in rows[0]]).values())
    blanked = 0
    for row in rows[1:]:
        for i, value in enumerate(row):
            if i not in keep and value.strip():
                row[i], blanked = "", blanked + 1
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig", newline="")
    return blanked
