"""Where a problem is (file, sheet, row, column letter, value) and what it is, in zh and en."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(slots=True)
class Location:
    """A cell (sheet/row/column letter) of a file, or a JSON path; blank parts are unknown."""

    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    path: str = ""  # JSON path, for .json files

    def cell(self) -> str:
        return f"{self.column}{self.row}" if self.column and self.row else ""

    def describe(self, lang: str = "zh") -> str:
        zh = lang.startswith("zh")
        parts = [p for p in (self.file, self.sheet) if p]
        if self.row is not None:
            parts.append(f"第 {self.row} 行" if zh else f"row {self.row}")
        if self.column:
            parts.append(f"{self.column} 列" if zh else f"column {self.column}")
        if self.path:
            parts.append(self.path)
        return " › ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column,
                "path": self.path}


@dataclass(frozen=True)
class Problem:
    zh: str
    en: str
    where: Location = field(default_factory=Location)
    value: Any = None

    def message(self, lang: str = "zh") -> str:
        text = self.zh if lang.startswith("zh") else self.en
        where = self.where.describe(lang)
        shown = "" if self.value is None else (
            f"（值：{self.value!r}）" if lang.startswith("zh") else f" (value: {self.value!r})")
        return f"{where}: {text}{shown}" if where else f"{text}{shown}"

    def at(self, where: Location, value: Any = None) -> Problem:
        return replace(self, where=where, value=self.value if value is None else value)

    def as_dict(self) -> dict[str, Any]:
        return {**self.where.as_dict(), "value": self.value, "zh": self.zh, "en": self.en}


class ExchangeError(Exception):
    """A file (or a set of files) that cannot be imported: every problem found, none written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def fail(zh: str, en: str, where: Location | None = None, value: Any = None) -> ExchangeError:
    return ExchangeError([Problem(zh, en, where or Location(), value)])
