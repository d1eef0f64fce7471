"""Read the standard's own text (../shared/spec) independently of the catalog code.

Tests compare the YAML against what this module finds in the spec, so the catalog is checked
against the source, not against itself.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

MARKERS = "①②③④⑤⑥⑦⑧⑨⑩"
SPEC_PATHS = [
    Path(__file__).resolve().parents[1] / ".." / "shared" / "spec",
    Path("/work/shared/spec"),
]


@cache
def spec_text() -> str:
    for base in SPEC_PATHS:
        path = base / "beijing-k12-it-construction-spec.md"
        if path.exists():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError("../shared/spec/beijing-k12-it-construction-spec.md")


@cache
def rows() -> dict[int, dict[str, str]]:
    """Table rows by 序号: audience, title, requirements cell, remarks cell, whole line."""
    out = {}
    for line in spec_text().splitlines():
        m = re.match(r"^\|\s*(\d+)\s*\|", line)
        if m:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            out[int(cells[0])] = {
                "audience": cells[1],
                "title": cells[2],
                "req": cells[3],
                "remark": cells[4],
                "line": line,
            }
    return out


def marker_count(cell: str) -> int:
    return sum(cell.count(m) for m in MARKERS)


def section(number: str) -> str:
    """The body of a section and its subsections, heading included."""
    lines, keep = [], False
    for line in spec_text().splitlines():
        h = re.match(r"^#+\s*(\d+(?:\.\d+)*)\s", line)
        if h:
            num = h.group(1)
            keep = num == number or num.startswith(number + ".")
        if keep:
            lines.append(line)
    return "\n".join(lines)


def section_title(number: str) -> str:
    for line in spec_text().splitlines():
        h = re.match(r"^#+\s*(\d+(?:\.\d+)*)\s+(.*)$", line)
        if h and h.group(1) == number:
            return h.group(2)
    raise KeyError(number)


_CN = {"百": 100, "双": 2, "四": 4, "两": 2, "三": 3, "一": 1}


def numbers_in(text: str) -> set[float]:
    """Numbers written in a spec phrase: digits, 2万 = 20000, and the few Chinese numerals used."""
    found: set[float] = set()
    for m in re.finditer(r"(\d+(?:\.\d+)?)(万?)", text):
        value = float(m.group(1)) * (10000 if m.group(2) else 1)
        found.add(value)
        if text[m.end():m.end() + 1] == "%":
            found.add(value / 100)
    for ch, value in _CN.items():
        if ch in text:
            found.add(float(value))
    return found
