"""A school's facts by area, as the rows of the inline edit forms.

Each fact of the dictionary (school scope) is one row: label, the stored value and where it came
from, and the input that edits it — 是/否/未知 for yes/no facts, a number with the dictionary's
min/max, a select for enums. A submitted value is read exactly as the importer reads a cell
(`Column.from_cell` of the exchange layout), then `usecases.facts.set_fact` validates it on
the one path every import takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from campusplan.catalog.loader import Catalog
from campusplan.catalog.schema import Fact, FactType, Scope, Text
from campusplan.catalog.vocabulary import STATUS, label
from campusplan.exchange.documents import SEP
from campusplan.exchange.inventory import load_kinds
from campusplan.exchange.layout import Column, build_layout
from campusplan.exchange.problems import Problem
from campusplan.i18n import local_time
from campusplan.schools.models import FactValue, School, Source
from campusplan.web.school import lang_code

_COLUMNS: dict[str, dict[str, Column]] = {}
_LABELS: dict[str, dict[str, Column]] = {}



def columns(catalog: Catalog) -> dict[str, Column]:
    """Fact key → the exchange column that reads it (built once per catalog)."""
    if catalog.checksum not in _COLUMNS:
        layout = build_layout(catalog, {})
        _COLUMNS[catalog.checksum] = {c.key[5:]: c for c in layout.school_columns
                                      if c.key.startswith("fact.")}
    return _COLUMNS[catalog.checksum]


def column_of(catalog: Catalog, key: str) -> Column | None:
    """The survey workbook's column for a changed value's key (fact.x, stage.primary.classes,
    room.x, service.x, profile fields), if the layout has one."""
    if catalog.checksum not in _LABELS:
        layout = build_layout(catalog, load_kinds(catalog).labels())
        cols = {c.key: c for c in layout.school_columns}
        for sheet in ("rooms", "services", "devices"):
            cols |= {c.key: c for c in layout.sheet(sheet).columns}
        _LABELS[catalog.checksum] = cols
    cols = _LABELS[catalog.checksum]
    return cols.get(key) or cols.get(key.split(".", 1)[-1])


def field_label(catalog: Catalog, key: str, lang: str) -> str:
    """A changed value's name as the survey workbook calls it; the key itself when unknown."""
    col = column_of(catalog, key)
    return col.label.get(lang_code(lang)) if col is not None else key


def type_labels(catalog: Catalog) -> dict[str, Text]:
    """Room type and service category keys → their labels."""
    facts = catalog.facts
    return {t.key: t.label for t in [*facts.room_types, *facts.service_categories]}


def value_text(catalog: Catalog, key: str, value: Any, lang: str) -> Any:
    """A stored value as the reader reads it: a choice (room type, service category, provider,
    purchase unit…) by its label in `lang`; anything else as it is."""
    col = column_of(catalog, key)
    if not isinstance(value, str) or col is None or not col.choices:
        return value
    types = type_labels(catalog)
    if value in types:
        return types[value].get(lang_code(lang))
    choice = next((c for c in col.choices if c.value == value), None)
    return choice.display(lang) if choice is not None else value


def subject_text(catalog: Catalog, ref: str, lang: str) -> str:
    """A change's room, service or device: its parts joined by ·, a service category named by
    its label (the stored key joins category and name with \\x1f)."""
    types = type_labels(catalog)
    return " · ".join(types[p].get(lang_code(lang)) if p in types else p
                      for p in ref.split(SEP) if p)


def school_facts(catalog: Catalog) -> dict[str, Fact]:
    return {f.key: f for f in catalog.facts.facts if f.scope == Scope.school}


def parse(catalog: Catalog, key: str, raw: str) -> Any:
    """The submitted text as the engine's JSON would have it (None: left empty, i.e. unknown)."""
    return columns(catalog)[key].from_cell(raw.strip()[:200])


@dataclass(frozen=True)
class FactRow:
    fact: Fact
    label: str
    value: Any  # the stored value, None when unknown
    provenance: str
    raw: str = ""  # what the user typed, kept when it was refused
    error: str = ""
    lang: str = "zh"

    @property
    def key(self) -> str:
        return self.fact.key

    @property
    def kind(self) -> str:
        return {FactType.bool: "bool", FactType.enum: "enum"}.get(self.fact.type, "number")

    @property
    def step(self) -> str:
        return "1" if self.fact.type == FactType.int else "any"

    @property
    def input_value(self) -> str:
        """What the input shows: the refused text, else the stored value."""
        if self.error:
            return self.raw
        if self.value is None:
            return ""
        if isinstance(self.value, bool):
            return "是" if self.value else "否"
        if isinstance(self.value, float) and self.value.is_integer():
            return str(int(self.value))
        return str(self.value)

    @property
    def unit(self) -> str:
        return self.fact.unit_in(self.lang)

    @property
    def display(self) -> str:
        if self.value is None:
            return label(STATUS, "unknown", self.lang)
        if isinstance(self.value, bool):
            return str(_("是") if self.value else _("否"))
        return f"{self.input_value} {self.unit}".strip()


def _provenance(fv: FactValue) -> str:
    """Where the value came from: how, the file (only when it held this school alone: a batch
    file's name may name other schools), the cell, who and when."""
    source: Source = fv.source
    parts = [str(source.get_kind_display())]
    if source.file_name and (source.summary or {}).get("schools") == 1:
        parts.append(source.file_name)
    if fv.sheet and fv.sheet != source.kind:
        parts.append(f"{fv.sheet} {fv.column}{fv.row or ''}".strip())
    if source.actor:
        parts.append(source.actor)
    parts.append(local_time(fv.recorded_at))
    return " · ".join(parts)


def _current(school: School):
    return FactValue.objects.filter(school=school, room__isnull=True, service__isnull=True,
                                    superseded_at__isnull=True).select_related("source")


def stored(school: School) -> dict[str, FactValue]:
    return {fv.key: fv for fv in _current(school)}


def stored_value(school: School, key: str) -> FactValue | None:
    """One fact's current value: an edit reads its own row, not the school's ~400 (twice an
    edit, ≈ 25 ms each here)."""
    return _current(school).filter(key=key).first()


def fact_row(fact: Fact, fv: FactValue | None, lang: str, raw: str = "",
             error: str = "") -> FactRow:
    value = None if fv is None else fv.value
    if fv is not None and fact.type == FactType.int and isinstance(value, float):
        value = int(value)
    return FactRow(fact, fact.label.get(lang_code(lang)), value,
                   _provenance(fv) if fv is not None else "", raw, error, lang)


@dataclass(frozen=True)
class FactArea:
    key: str
    name: str
    rows: list[FactRow]

    @property
    def known(self) -> int:
        return sum(r.value is not None for r in self.rows)


def fact_areas(catalog: Catalog, school: School, lang: str) -> list[FactArea]:
    values = stored(school)
    facts = list(school_facts(catalog).values())
    out = []
    names = {a.key: a.name for a in catalog.standard.areas}
    # the standard's areas first, then the areas of facts only another standard reads
    keys = list(names) + [k for k in dict.fromkeys(f.area for f in facts) if k not in names]
    for key in keys:
        rows = [fact_row(f, values.get(f.key), lang) for f in facts if f.area == key]
        if rows:
            out.append(FactArea(key, catalog.facts.area_name(key, names).get(lang_code(lang)),
                                rows))
    return out


def problem_text(problems: list[Problem], lang: str) -> str:
    """The validator's reasons, without the location (the field is right there)."""
    zh = lang.startswith("zh")
    return ("；" if zh else "; ").join(dict.fromkeys(p.zh if zh else p.en for p in problems))
