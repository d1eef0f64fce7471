"""The catalog schema: a standard is areas → items → requirements, plus parameters and facts.

Pure pydantic, no Django. Every model forbids unknown keys so a typo in the YAML is an error,
not a silently ignored rule. `Standard.model_json_schema()` is exported for YAML editors
(`campusplan catalog schema`).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from campusplan.catalog import vocabulary
from campusplan.catalog.base import Strict, Text
from campusplan.catalog.kinds import kinds


class Level(StrEnum):
    required = "required"  # 必配
    optional = "optional"  # 选配


class Stage(StrEnum):
    primary = "primary"  # 小学
    junior = "junior"  # 初中
    senior = "senior"  # 高中


STAGE_ZH = {s: vocabulary.STAGE[s.value].zh for s in Stage}
LEVEL_ZH = {lv: vocabulary.LEVEL[lv.value].zh for lv in Level}


class Unit(Text):
    """A unit in both languages (台 / computers). `str()` gives the Chinese, so code written
    before units were bilingual still reads it; new code calls `.get(lang)`."""

    @model_validator(mode="before")
    @classmethod
    def _same_in_both(cls, data: object) -> object:
        """`unit: Mbps` reads the same in both languages; a Chinese unit needs `{zh:, en:}`."""
        if isinstance(data, str):
            if re.search(r"[\u3400-\u9fff]", data):
                raise ValueError(f"unit {data!r}: give it as {{zh: {data}, en: ...}}")
            return {"zh": data, "en": data}
        return data

    def __str__(self) -> str:
        return self.zh


def unit_text(unit: Unit | None, lang: str) -> str:
    return unit.get(lang) if unit is not None else ""


NO_UNIT = Unit(zh="", en="")
# a note is campusplan's reading in Chinese, then in English: "…为违规。A school …"
NOTE_SPLIT = re.compile(r"(?<=[。”）])\s*(?=[A-Z])")


class SpecRef(Strict):
    """Where in the spec a number or rule comes from; `quote` must appear there verbatim.

    `item` points at a table row (序号), `section` at a heading's body text.
    """

    item: int | None = Field(None, ge=1)
    section: str | None = None
    quote: str
    # how far the quote is the standard's own words, where that is in doubt (a second standard
    # rebuilt from secondary sources says so here; tests hold it to the compiled spec)
    standing: Literal["verbatim", "rebuilt"] = "verbatim"

    @model_validator(mode="after")
    def _one_place(self) -> SpecRef:
        if (self.item is None) == (self.section is None):
            raise ValueError("a spec reference names exactly one of `item` or `section`")
        return self

    def where(self) -> str:
        return f"序号{self.item}" if self.item is not None else f"第{self.section}节"


class Parameter(Strict):
    """A named number (or code) of the standard. Checks read it as `param.<key>`."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    value: float | int | str | None  # None: the spec defers the number elsewhere; results unknown
    unit: Unit = NO_UNIT
    label: Text
    source: SpecRef
    # which way a stricter value lies, for a parameter whose checks do not say it themselves
    # (catalog/tailoring.py derives it from the comparisons; a declaration must agree with them)
    tighter: Literal["higher", "lower"] | None = None

    def unit_in(self, lang: str) -> str:
        return self.unit.get(lang)


class FactType(StrEnum):
    bool = "bool"
    int = "int"
    float = "float"
    enum = "enum"


class Scope(StrEnum):
    school = "school"
    room = "room"
    service = "service"


class Synthetic(Strict):
    """How the synthetic population draws a fact no check of its standard reads: heads of
    `stage` (the school's students when None) × U(`low`, `high`). campusplan's assumption for
    demo data, never the standard's number."""

    stage: Stage | None = None
    low: float = Field(ge=0)
    high: float = Field(ge=0)


class Fact(Strict):
    """One measured value a check reads (`fact.<key>`, `room.<key>`, `service.<key>`)."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    help: Text | None = None
    type: FactType
    unit: Unit | None = None
    min: float | None = None
    max: float | None = None
    choices: list[str] | None = None
    # how a choice reads: a table of the vocabulary (its keys are the choices), or a label each
    vocabulary: str | None = None
    choice_labels: dict[str, Text] | None = None
    # a purchase unit's choices: what one unit is bought for, once a year (items 35–43 ②)
    billed_per: dict[str, Literal["school", "class"]] | None = None
    priced_by: str | None = None  # with billed_per: the service fact holding the unit's price
    scope: Scope = Scope.school
    area: str
    synthetic: Synthetic | None = None

    @model_validator(mode="after")
    def _choices_for_enum(self) -> Fact:
        if (self.type == FactType.enum) != bool(self.choices):
            raise ValueError(f"fact {self.key}: enum facts need `choices`, others must not")
        if self.billed_per is not None and set(self.billed_per) != set(self.choices or ()):
            raise ValueError(f"fact {self.key}: `billed_per` names each choice once")
        table = vocabulary.TABLES.get(self.vocabulary or "", {})
        if self.vocabulary is not None and not set(self.choices or ()) <= set(table):
            raise ValueError(f"fact {self.key}: choices not in vocabulary `{self.vocabulary}`")
        if self.choice_labels is not None and set(self.choice_labels) != set(self.choices or ()):
            raise ValueError(f"fact {self.key}: `choice_labels` names each choice once")
        return self

    def choice_label(self, value: str, lang: str) -> str:
        """A choice as the reader's language calls it (the value itself when unlabelled)."""
        if self.vocabulary is not None:
            return vocabulary.label(vocabulary.TABLES[self.vocabulary], value, lang)
        text = (self.choice_labels or {}).get(value)
        return text.get(lang) if text is not None else value

    def unit_in(self, lang: str) -> str:
        return unit_text(self.unit, lang)


class RoomType(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    item: int | None = None  # the item whose table describes the room
    section: str | None = None  # or the section, for rooms only the body text names (5.8)


class ServiceCategory(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    item: int


class FactDictionary(Strict):
    version: str
    # names of fact areas that are no area of the first standard (another standard's facts),
    # for the survey workbook's sheets and the school form's sections
    areas: dict[str, Text] = {}
    room_types: list[RoomType]
    service_categories: list[ServiceCategory]
    facts: list[Fact]

    def area_name(self, key: str, standard_areas: dict[str, Text]) -> Text:
        """A fact area's name: the standard's area, else the dictionary's, else the key."""
        return standard_areas.get(key) or self.areas.get(key) or Text(zh=key, en=key)

    def by_key(self, scope: Scope) -> dict[str, Fact]:
        return {f.key: f for f in self.facts if f.scope == scope}


# --- checks -------------------------------------------------------------------------------
# One model per kind, each in its own module of catalog/kinds with everything else the kind
# decides (compilation, reference decision, explanation, plan quantity, label); the union is
# built from the registry, so a new kind is a new module and nothing here.

Check = Annotated[Union[tuple(kinds.values())], Field(discriminator="kind")]  # noqa: UP007


class Remedy(Strict):
    """What closes a gap: a priced line (price catalog key) and its quantity expression."""

    action: Text
    line: str | None = None
    # `shortfall`: what is short, in the check's unit (student computers, outlets); `rows`: one
    # per room (service) an `each` finds short (a display, an access point); or a fixed number
    quantity: str = Field("shortfall", pattern=r"^(shortfall|rows|\d+(\.\d+)?)$")


class Requirement(Strict):
    id: str = Field(pattern=r"^(\d+-(\d+|r\d+)|s[\d.]+-\d+)$")
    marker: str | None = None  # ①②…; None for remark and body-text rules
    text: str  # verbatim from the spec
    source: SpecRef | None = None  # for remark/body rules: where the text is quoted from
    level: Level
    applies: str | None = None  # boolean expression; false → not_applicable
    check: Check
    remedy: Remedy | None = None
    note: str | None = None  # the reading chosen where the spec is ambiguous
    explain: Text | None = None  # template with {actual} {required} {shortfall}

    def note_in(self, lang: str) -> str:
        """The note's Chinese or its English half (a note is written Chinese first)."""
        halves = NOTE_SPLIT.split(self.note or "", maxsplit=1)
        if lang.startswith("zh"):
            return halves[0]
        return halves[1] if len(halves) > 1 else ""


class Item(Strict):
    number: int = Field(ge=1)
    section: str  # the section the row belongs to (8.6), not the chapter its table stands in
    # that section's heading, verbatim with its 选配 marker (互联网教育教学平台服务（选配）); a
    # standard without headed sections leaves it empty
    heading: str = ""
    title: str  # 功能要求, verbatim
    title_en: str  # campusplan's English translation of the title
    audience: str  # 适用对象, verbatim (中小学 / 中学 / 小学 / 初中 / 高中)
    stages: list[Stage]
    remarks: list[str] = []  # 备注, verbatim, split at (1)(2)
    requirements: list[Requirement]
    rules: list[Requirement] = []  # quantitative rules from 备注 and the body text

    def title_in(self, lang: str) -> str:
        return self.title if lang.startswith("zh") else self.title_en


class Area(Strict):
    key: str
    name: Text
    chapter: int
    items: list[Item]
    rules: list[Requirement] = []  # body-text rules that belong to no item (e.g. 5.8)


class Identity(Strict):
    title: str
    issuer: str
    date: str
    version: str
    number: str = ""  # the issuing document's number (文号), where it has one
    scope_note: str = ""


class Tier(Strict):
    """A plan priority tier: lines of `level` closing a requirement of `items` (none: any item
    not taken by an earlier tier), or the end-of-life refresh of devices (`refresh: true`)."""

    tier: int = Field(ge=1)
    name: Text
    level: Level | None = None
    items: list[int] | None = None
    refresh: bool = False

    @model_validator(mode="after")
    def _level_or_refresh(self) -> Tier:
        if (self.level is None) != self.refresh:
            raise ValueError(f"tier {self.tier}: give a `level`, or `refresh: true` alone")
        return self

    def takes(self, level: str, item: int | None) -> bool:
        return self.level == level and (self.items is None or item in self.items)


class Planning(Strict):
    """How plans order their lines (planning/plan.py): tiers in the order they are listed."""

    note: str  # where the order comes from: the standard's words, or campusplan's reading
    sources: list[SpecRef] = []
    tiers: list[Tier]

    def tier_of(self, level: str, item: int | None) -> int:
        return next(t.tier for t in self.tiers if t.takes(level, item))

    def refresh_tier(self) -> int:
        return next(t.tier for t in self.tiers if t.refresh)

    def names(self) -> dict[int, Text]:
        return {t.tier: t.name for t in self.tiers}


def plain_planning() -> Planning:
    """For a standard that says nothing on priorities: required work, refresh, optional work."""
    def name(term: vocabulary.Term) -> Text:
        return Text(zh=term.zh, en=term.en)

    return Planning(note="required, then end-of-life refresh, then optional", tiers=[
        Tier(tier=1, name=name(vocabulary.LEVEL["required"]), level=Level.required),
        Tier(tier=2, name=name(vocabulary.LINE_KIND["refresh"]), refresh=True),
        Tier(tier=3, name=name(vocabulary.LEVEL["optional"]), level=Level.optional)])


class Count(Strict):
    """A count of a school's rows meeting a condition, read as `school.<key>` by indicators.
    Unknown when the school has not inventoried them; 0 when none qualifies."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    of: Literal["rooms"]
    where: str  # a boolean expression over `room.*`


class Indicator(Strict):
    """A figure shown on the dashboards per school (生机比…): an expression of the check language."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    value: str


class EquityMeasure(Strict):
    """A ratio's 校际差异系数: its resource `amount` per head of `per` (students or teachers),
    shown ×`scale`; `standard` is the per-school 优质均衡 value by 学段 where there is one."""

    key: str  # an indicator ratio's key
    amount: str  # an expression over school.* / fact.*: the resource x_i
    per: Literal["students", "teachers"]
    scale: float = 1.0
    inverse: bool = False  # the ratio reads heads per amount (生机比 人/台): shown as P / Σx
    standard: dict[str, float] = {}


class Equity(Strict):
    """差异系数 by the official method (engine/equity.py): thresholds per 学段, the per-pupil
    weights that split a shared resource between stages, and the measures."""

    source: str
    quote: str
    note: str
    stages: list[str]
    thresholds: dict[str, float]
    stage_weights: dict[str, float]
    measures: list[EquityMeasure] = []


class Comparability(Strict):
    """When a compliance rate is comparable with others: its data completeness reaches
    `min_completeness` (a share, inclusive). campusplan's setting, never the standard's: the
    `note` says so and why."""

    min_completeness: float = Field(ge=0, le=1)
    note: str


class Indicators(Strict):
    note: str
    counts: list[Count] = []
    ratios: list[Indicator]
    equity: Equity | None = None
    comparability: Comparability | None = None  # None: every judged rate is comparable


class LegalSource(Strict):
    """A text outside the standard that a reading of it leans on (a law's article), verbatim."""

    title: str
    article: str
    quote: str


class BoundaryWord(Strict):
    """How one boundary word reads: `x <word> n` means `x <means> n` (以上 → >=, 超过 → >)."""

    word: str
    means: Literal[">=", "<=", ">", "<"]
    why: str = ""  # where the reading comes from: the law's list, or the negation of a word in it


class Boundaries(Strict):
    """The drafting convention for 以上、以下、超过、不满 … (catalog/boundaries.py applies it)."""

    note: str
    source: LegalSource
    words: list[BoundaryWord]


class Informational(Strict):
    """An item a standard lists but campusplan does not judge (a county's or government's
    duty, or a survey): shown beside the catalog with its number where the source gives one."""

    area: Text
    number: int = Field(ge=1)
    text: str
    threshold: str = ""  # as the source gives it, "" when qualitative
    status: str  # the compiled spec's confirmation mark (✅ / ◐ …)
    sources: str = ""


class Standard(Strict):
    key: str
    identity: Identity
    parameters: list[Parameter]
    areas: list[Area]
    informational: list[Informational] = []
    planning: Planning = Field(default_factory=plain_planning)
    indicators: Indicators = Indicators(note="", ratios=[])
    boundaries: Boundaries | None = None  # None: no boundary word is checked

    def items(self) -> list[Item]:
        return [it for a in self.areas for it in a.items]

    def item(self, number: int) -> Item:
        for it in self.items():
            if it.number == number:
                return it
        raise KeyError(number)

    def requirements(self) -> list[tuple[Area, Item | None, Requirement]]:
        """Every requirement (table, remark and body rules) with its area and item."""
        out: list[tuple[Area, Item | None, Requirement]] = []
        for area in self.areas:
            for item in area.items:
                out += [(area, item, r) for r in item.requirements + item.rules]
            out += [(area, None, r) for r in area.rules]
        return out

    def min_completeness(self) -> float | None:
        """The completeness a rate needs to be comparable (None: no threshold set)."""
        c = self.indicators.comparability
        return None if c is None else c.min_completeness

    def param_values(self) -> dict[str, float | int | str]:
        return {p.key: p.value for p in self.parameters}
