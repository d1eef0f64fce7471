"""The columns of every exchange sheet, generated from the fact dictionary and codes.yaml.

The survey writer, the exporter and the importer all read this one layout, so a workbook the
system writes is exactly what it reads back, and a new fact in facts.yaml is a new column with no
code change. Each column knows how to turn a stored value into a cell (`to_cell`) and a cell back
into the value the engine's input validator checks (`from_cell`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from campusplan.catalog.codes import districts, school_types
from campusplan.catalog.loader import Catalog
from campusplan.catalog.profile import NO_PHASE, SCHOOL_FIELDS, SMART_PHASES, STAGE_FIELDS
from campusplan.catalog.schema import STAGE_ZH, Fact, Scope, Text
from campusplan.catalog.vocabulary import SMART_PHASE, STAGE
from campusplan.engine.document import PROFILE_MAX
from campusplan.engine.inputs import STAGE_KEYS, STAGES

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
YES = {"是", "有", "y", "yes", "true", "1", "√", "✓", "对"}
NO = {"否", "无", "n", "no", "false", "0", "×", "不"}


@dataclass(frozen=True)
class Choice:
    value: str
    zh: str
    en: str

    def display(self, lang: str = "zh") -> str:
        return self.zh if lang.startswith("zh") else self.en


@dataclass(frozen=True)
class Column:
    key: str
    label: Text
    kind: str  # text | code | int | float | bool | enum | date
    unit: Text | None = None  # in both languages (人 / students)
    lo: float | None = None
    hi: float | None = None
    choices: tuple[Choice, ...] = ()
    help: Text | None = None
    aliases: tuple[str, ...] = ()

    def unit_in(self, lang: str) -> str:
        return self.unit.get(lang) if self.unit is not None else ""

    def header(self, lang: str = "zh") -> str:
        label, unit = self.label.get(lang), self.unit_in(lang)
        return f"{label}（{unit}）" if unit and lang.startswith("zh") else (
            f"{label} ({unit})" if unit else label)

    def names(self) -> set[str]:
        bare = self.key.split(".")[-1]
        # English headers carried the Chinese unit before units were bilingual
        old_en = f"{self.label.en} ({self.unit.zh})" if self.unit else self.label.en
        return {normal(n) for n in (self.key, bare, self.header("zh"), self.header("en"),
                                    old_en, self.label.zh, self.label.en, *self.aliases)}

    def hint(self, lang: str = "zh") -> str:
        zh = lang.startswith("zh")
        if self.kind == "bool":
            return "是/否" if zh else "yes/no"
        if self.kind in ("int", "float"):
            word = ("整数" if zh else "whole number") if self.kind == "int" else (
                "数值" if zh else "number")
            rng = "" if self.lo is None else f" {fmt_num(self.lo)}–{fmt_num(self.hi)}"
            unit = self.unit_in(lang)
            return f"{word}{rng}{(' ' + unit) if unit else ''}"
        if self.choices:
            return "下拉选择" if zh else "choose from the list"
        if self.kind == "date":
            return "日期 YYYY-MM-DD" if zh else "date YYYY-MM-DD"
        return "文本" if zh else "text"

    # --- values ---------------------------------------------------------------------------

    def to_cell(self, value: Any, lang: str = "zh") -> Any:
        if value is None:
            return None
        if self.kind == "bool":
            return yes_no(value, lang)  # the importer reads either language
        if self.choices:
            found = next((c for c in self.choices if c.value == str(value)), None)
            return found.display(lang) if found else neutralize(str(value))
        if self.kind == "date":
            return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        if self.kind in ("int", "float"):
            return value
        return neutralize(str(value))

    def from_cell(self, value: Any) -> Any:
        """The cell as the engine's JSON would have it; what cannot be read stays raw, so the
        validator reports it with its own reason (wrong type, out of range, unknown code)."""
        if value is None or value == "":
            return None
        if self.kind in ("int", "float"):
            return to_number(value)
        if self.kind == "bool":
            return to_bool(value)
        if self.kind == "date":
            return to_date(value)
        text = unneutralize(_text(value))
        if self.choices:
            return self._choice(text)
        return text

    def _choice(self, text: str) -> str:
        key = normal(text)
        for c in self.choices:
            if key in (normal(c.value), normal(c.zh), normal(c.en)):
                return c.value
        head = text.split()[0] if text.split() else text
        return next((c.value for c in self.choices if c.value == head), text)


@dataclass(frozen=True)
class SheetSpec:
    key: str  # profile | area:<key> | rooms | services | devices | results
    role: str  # school | rooms | services | devices | results
    title: Text
    columns: tuple[Column, ...]

    def by_name(self) -> dict[str, Column]:
        out: dict[str, Column] = {}
        for col in self.columns:
            for name in col.names():
                out.setdefault(name, col)
        return out


@dataclass(frozen=True)
class Layout:
    sheets: tuple[SheetSpec, ...]
    school_columns: tuple[Column, ...]  # every column a school-role sheet may carry
    kinds: dict[str, Text] = field(default_factory=dict)

    def sheet(self, key: str) -> SheetSpec:
        return next(s for s in self.sheets if s.key == key)

    def role_columns(self, role: str) -> dict[str, Column]:
        if role == "school":
            spec = SheetSpec("school", "school", Text(zh="", en=""), self.school_columns)
            return spec.by_name()
        return next(s for s in self.sheets if s.role == role).by_name()


# --- helpers -------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _normal(text: str) -> str:
    text = text.strip().lower().replace("（", "(").replace("）", ")")
    return re.sub(r"\s+", "", text)


def normal(text: object) -> str:
    """Case-, width- and space-insensitive form of a header or a choice."""
    return _normal(str(text))


def fmt_num(v: float | None) -> str:
    return "" if v is None else (str(int(v)) if float(v).is_integer() else str(v))


def neutralize(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(DANGEROUS) else text


def unneutralize(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(DANGEROUS) else text


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def to_number(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return int(value) if isinstance(value, float) and value.is_integer() else value
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        number = float(text)
    except ValueError:
        return str(value)
    return int(number) if number.is_integer() else number


def yes_no(value: bool, lang: str = "zh") -> str:
    return ("是" if value else "否") if lang.startswith("zh") else ("yes" if value else "no")


def to_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if value in ("是", "否"):
        return value == "是"
    key = normal(_text(value))
    return True if key in YES else False if key in NO else value


def to_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip().replace("/", "-")


# --- the layout ----------------------------------------------------------------------------

T = Text


def _fact_column(fact: Fact, prefix: str) -> Column:
    kind = fact.type.value
    choices = tuple(Choice(c, fact.choice_label(c, "zh"), fact.choice_label(c, "en"))
                    for c in fact.choices or ())
    return Column(f"{prefix}.{fact.key}", fact.label, kind, fact.unit, fact.min, fact.max,
                  choices, fact.help)


def _code_choices(table: dict[str, dict]) -> tuple[Choice, ...]:
    return tuple(Choice(k, f"{k} {v['zh']}", f"{k} {v['en']}") for k, v in table.items())


# an English header names what it counts (Primary students), so it needs no unit of its own
PEOPLE, YUAN = T(zh="人", en=""), T(zh="元", en="RMB")
STAGE_UNITS = {"classes": T(zh="个", en=""), "students": PEOPLE, "max_class_size": PEOPLE}
CODE = Column("code", T(zh="学校标识码", en="School code"), "text",
              aliases=("学校代码", "学校编码", "school_id", "school code"))
NAME = Column("name", T(zh="学校名称", en="School name"), "text")


def profile_columns() -> tuple[Column, ...]:
    phases = (*(Choice(k, v.zh, v.en) for k, v in SMART_PHASES.items()),
              Choice(NO_PHASE, SMART_PHASE[NO_PHASE].zh, SMART_PHASE[NO_PHASE].en))
    cols = [CODE, NAME,
            Column("district", T(zh="行政区划代码", en="District code"), "code",
                   choices=_code_choices(districts()), aliases=("区", "district")),
            Column("type", SCHOOL_FIELDS["type"], "code", choices=_code_choices(school_types()))]
    for st in STAGES:
        for k in STAGE_KEYS:
            label = T(zh=f"{STAGE_ZH[st]}{STAGE_FIELDS[k].zh}",
                      en=f"{STAGE[st].en} {STAGE_FIELDS[k].en.lower()}")
            cols.append(Column(f"stage.{st}.{k}", label, "int", STAGE_UNITS[k], 0, PROFILE_MAX[k]))
    return (*cols,
            Column("teachers", T(zh="专任教师数", en="Full-time teachers"), "int", PEOPLE, 0,
                   PROFILE_MAX["teachers"]),
            Column("smart_phase", SCHOOL_FIELDS["smart_phase"], "enum", choices=phases),
            Column("smart_since", T(zh="当前阶段开始日期", en="Current phase since"), "date"),
            Column("approved_data_center", SCHOOL_FIELDS["approved_data_center"], "bool"),
            Column("rooms_inventoried", T(zh="房间清单完整", en="Room list complete"), "bool",
                   help=T(zh="是：“房间”表列出了本校全部房间，未列出的类型即为没有",
                          en="yes: the rooms sheet lists every room; unlisted types are absent")),
            Column("services_inventoried", T(zh="服务清单完整", en="Service list complete"),
                   "bool", help=T(zh="是：“服务”表列出了本校全部互联网服务",
                                  en="yes: the services sheet lists every online service")))


def room_columns(catalog: Catalog) -> tuple[Column, ...]:
    types = tuple(Choice(r.key, r.label.zh, r.label.en) for r in catalog.facts.room_types)
    return (CODE, Column("room_code", T(zh="房间编号", en="Room code"), "text"),
            Column("room_type", T(zh="房间类型", en="Room type"), "enum", choices=types),
            Column("room_name", T(zh="房间名称", en="Room name"), "text"),
            *(_fact_column(f, "room") for f in catalog.facts.facts if f.scope == Scope.room))


def service_columns(catalog: Catalog) -> tuple[Column, ...]:
    cats = tuple(Choice(c.key, f"{c.key} {c.label.zh}", f"{c.key} {c.label.en}")
                 for c in catalog.facts.service_categories)
    facts = [f for f in catalog.facts.facts if f.scope == Scope.service]
    return (Column("code", CODE.label, "text", help=T(
                zh="区级统一采购的服务留空，并填写行政区划代码",
                en="leave blank for a district-level service and give the district code"),
                   aliases=CODE.aliases),
            Column("service_district", T(zh="行政区划代码（区级服务）", en="District (district-level)"),
                   "code", choices=_code_choices(districts())),
            Column("category", T(zh="服务类别", en="Service category"), "code", choices=cats),
            Column("service_name", T(zh="服务名称", en="Service name"), "text"),
            Column("vendor", T(zh="服务商", en="Vendor"), "text"),
            *(_fact_column(f, "service") for f in facts))


def device_columns(kinds: dict[str, Text]) -> tuple[Column, ...]:
    choices = tuple(Choice(k, t.zh, t.en) for k, t in kinds.items())
    return (CODE, Column("room_code", T(zh="房间编号", en="Room code"), "text"),
            Column("kind", T(zh="设备类型", en="Device kind"), "enum", choices=choices),
            Column("asset_tag", T(zh="资产标签", en="Asset tag"), "text"),
            Column("model", T(zh="型号", en="Model"), "text"),
            Column("purchase_date", T(zh="购置日期", en="Purchase date"), "date"),
            Column("cost", T(zh="购置金额", en="Purchase cost"), "float", YUAN, 0, 1e9))


RESULT_COLUMNS = (
    CODE, NAME, Column("requirement_id", T(zh="要求编号", en="Requirement"), "text"),
    Column("item", T(zh="配置项序号", en="Item"), "int"),
    Column("level", T(zh="级别", en="Level"), "text"),
    Column("status", T(zh="评估结果", en="Status"), "text"),
    Column("actual", T(zh="实际值", en="Actual"), "float"),
    Column("required", T(zh="要求值", en="Required"), "float"),
    Column("shortfall", T(zh="差额", en="Shortfall"), "float"),
    Column("basis", T(zh="依据", en="Basis"), "text"),
    Column("rows_short", T(zh="不符合间（项）数", en="Rooms (services) short"), "float"),
    Column("explanation", T(zh="说明", en="Explanation"), "text"),
)


def build_layout(catalog: Catalog, kinds: dict[str, Text]) -> Layout:
    areas = {a.key: a.name for a in catalog.standard.areas}
    profile = profile_columns()
    sheets = [SheetSpec("profile", "school", T(zh="学校概况", en="Profile"), profile)]
    fact_cols: list[Column] = []
    for area in _areas_in_order(catalog, areas):
        cols = tuple(_fact_column(f, "fact") for f in catalog.facts.facts
                     if f.scope == Scope.school and f.area == area)
        fact_cols += cols
        title = catalog.facts.area_name(area, areas)
        sheets.append(SheetSpec(f"area:{area}", "school", title, (CODE, NAME, *cols)))
    sheets += [SheetSpec("rooms", "rooms", T(zh="房间", en="Rooms"), room_columns(catalog)),
               SheetSpec("services", "services", T(zh="服务", en="Services"),
                         service_columns(catalog)),
               SheetSpec("devices", "devices", T(zh="设备", en="Devices"), device_columns(kinds))]
    results = SheetSpec("results", "results", T(zh="评估结果", en="Results"), RESULT_COLUMNS)
    return Layout(sheets=(*sheets, results), school_columns=(*profile, *fact_cols), kinds=kinds)


def _areas_in_order(catalog: Catalog, areas: dict[str, Text]) -> list[str]:
    used = [f.area for f in catalog.facts.facts if f.scope == Scope.school]
    order = [a for a in areas if a in used]
    return order + [a for a in dict.fromkeys(used) if a not in order]
