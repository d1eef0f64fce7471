"""Read the standard's own text (../shared/spec) independently of the catalog code.

Tests compare the YAML against what this module finds in the spec, so the catalog is checked
against the source, not against itself.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import NamedTuple

MARKERS = "①②③④⑤⑥⑦⑧⑨⑩"
SPEC_PATHS = [
    Path(__file__).resolve().parents[1] / ".." / "shared" / "spec",
    Path("/work/shared/spec"),
]


def spec_file(name: str) -> Path:
    """A document of ../shared/spec, beside the checkout or at its place on these machines."""
    for base in SPEC_PATHS:
        if (base / name).exists():
            return base / name
    raise FileNotFoundError(f"../shared/spec/{name}")


@cache
def spec_text() -> str:
    return spec_file("beijing-k12-it-construction-spec.md").read_text(encoding="utf-8")


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


# --- headings: which section each table row stands under ----------------------------------------

OPTIONAL_MARKS = ("（选配）", "(选配)")


class Heading(NamedTuple):
    line: int  # index of the heading line in the spec
    number: str  # 5.12.1
    text: str  # the heading as written, without the number and outer spaces


@cache
def headings() -> list[Heading]:
    out = []
    for i, line in enumerate(spec_text().splitlines()):
        h = re.match(r"^#+\s*(\d+(?:\.\d+)*)\s+(.*?)\s*$", line)
        if h:
            out.append(Heading(i, h.group(1), h.group(2)))
    return out


def heading(number: str) -> Heading:
    return next(h for h in headings() if h.number == number)


def heading_chain(number: str) -> list[Heading]:
    """The heading of a section and of every section containing it: 5.12.1, 5.12, 5."""
    parts = number.split(".")
    return [heading(".".join(parts[:n])) for n in range(len(parts), 0, -1)]


def heading_says_optional(number: str) -> bool:
    """True when the section's heading or one containing it carries 「（选配）」."""
    return any(m in h.text for h in heading_chain(number) for m in OPTIONAL_MARKS)


def _row_line(number: int) -> int:
    lines = spec_text().splitlines()
    return next(i for i, line in enumerate(lines) if re.match(rf"^\|\s*{number}\s*\|", line))


def block_headings(number: int) -> list[Heading]:
    """The headings a row's table stands under: walking up from the table, every heading back to
    the previous table or to the chapter heading (a chapter's tables gather the items of all the
    subsections above them: 8.1 … 8.7, then one table for items 35–43)."""
    lines = spec_text().splitlines()
    i = _row_line(number)
    while i > 0 and lines[i - 1].startswith("|"):
        i -= 1
    found = []
    for h in reversed([h for h in headings() if h.line < i]):
        between = lines[h.line + 1:(found[-1].line if found else i)]
        if any(line.startswith("|") for line in between):
            break
        found.append(h)
        if "." not in h.number:
            break
    return found[::-1]


def _leaves(block: list[Heading]) -> list[Heading]:
    return [h for h in block if not any(o.number.startswith(h.number + ".") for o in block)]


def _plain(text: str) -> str:
    for m in OPTIONAL_MARKS:
        text = text.replace(m, "")
    return text.strip()


def _common_subsequence(a: str, b: str) -> int:
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def item_heading(number: int) -> Heading:
    """The section a row belongs to: of the innermost headings its table stands under, the one
    whose words the item's title repeats most (share of the heading's characters found in order in
    the title: 校园信息门户 → 7.2 校园门户; 互联网教育教学平台服务 → 8.6). A block with one
    innermost heading (5.7 数字终端 for items 10–13) gives it to all its rows."""
    title = rows()[number]["title"]
    leaves = _leaves(block_headings(number))

    def share(h: Heading) -> float:
        return _common_subsequence(_plain(h.text), title) / len(_plain(h.text))

    best = max(leaves, key=share)
    ties = [h for h in leaves if share(h) == share(best)]
    if len(ties) > 1:
        raise ValueError(f"row {number}: headings {[h.number for h in ties]} fit equally")
    return best
