"""The catalog as rows for the pages: everything the templates show, computed once, no logic left.

Reads the pure catalog (no database). Labels go through gettext; the standard's own bilingual
texts are picked with `Text.get(lang)`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from campusplan.catalog import vocabulary as v
from campusplan.catalog.expr import parse, refs
from campusplan.catalog.schema import (
    Area,
    FactDictionary,
    Item,
    Level,
    Parameter,
    Requirement,
    SpecRef,
    Stage,
    Standard,
)
from campusplan.i18n import lazy_label

LEVEL_LABELS = {lvl: lazy_label(v.LEVEL, lvl.value) for lvl in Level}
STAGE_LABELS = {st: lazy_label(v.STAGE, st.value) for st in Stage}


def where(ref: SpecRef) -> str:
    """`SpecRef.where()` in the page language."""
    if ref.item is not None:
        return _("序号%(item)s") % {"item": ref.item}
    return _("第%(section)s节") % {"section": ref.section}


def expressions(requirement: Requirement) -> list[str]:
    """The expressions a requirement reads: its check's expression fields and `applies`."""
    texts = list(requirement.check.expressions().values())
    return texts + ([requirement.applies] if requirement.applies else [])


def param_keys(requirement: Requirement) -> list[str]:
    """Keys of the parameters (`param.x`) the requirement reads, sorted."""
    keys: set[str] = set()
    for text in expressions(requirement):
        keys |= {name for ns, name in refs(parse(text)) if ns == "param"}
    return sorted(keys)


PARAM_UNSET = _("待设定")  # the spec defers the number elsewhere


def choice_label(facts: FactDictionary | None, value: str, lang: str) -> str:
    """A code a parameter holds (a purchase unit…) as the fact offering that choice labels it."""
    fact = next((f for f in facts.facts if value in (f.choices or ())), None) if facts else None
    return fact.choice_label(value, lang) if fact is not None else value


@dataclass(frozen=True)
class ParamView:
    param: Parameter
    label: str
    value: str = ""  # the value as shown: a number, a labelled code, or 待设定
    unit: str = ""

    @property
    def where(self) -> str:
        return where(self.param.source)


@dataclass(frozen=True)
class RequirementView:
    req: Requirement
    params: list[ParamView]
    remedy: str = ""  # the remedy's action in the page language
    note: str = ""  # campusplan's reading, in the page language

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[self.req.level])

    @property
    def marker(self) -> str:
        """①② for table rows; 备注 for rules from an item's remarks; the section for body rules."""
        source = self.req.source
        if self.req.marker or source is None:
            return self.req.marker or "—"
        return str(_("备注")) if source.item is not None else where(source)

    @property
    def check_label(self) -> str:
        return self.req.check.label.get(get_language() or "zh")

    @property
    def check_fields(self) -> list[tuple[str, str]]:
        """The check's YAML fields as written (the page shows names and values as code)."""
        fields = self.req.check.model_dump(exclude={"kind"}, exclude_defaults=True)
        return [(k, str(v)) for k, v in fields.items()]


@dataclass(frozen=True)
class ItemView:
    item: Item
    rows: list[RequirementView]
    title: str = ""  # the item's title in the page language
    audience: str = ""  # 适用对象 verbatim; in English the stage chips say it

    @property
    def span(self) -> int:
        """Table rows of the item: one per requirement (at least one), plus its remarks."""
        return max(len(self.rows), 1) + bool(self.item.remarks)

    @property
    def stage_labels(self) -> list[str]:
        return [str(STAGE_LABELS[s]) for s in self.item.stages]


@dataclass(frozen=True)
class AreaView:
    area: Area
    name: str
    items: list[ItemView]
    rules: list[RequirementView]


@dataclass(frozen=True)
class Filters:
    """The catalog page's filters, read from the query string; unknown values are ignored."""

    level: str = ""
    stage: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> Filters:
        level, stage = query.get("level", ""), query.get("stage", "")
        return cls(
            level=level if level in Level.__members__ else "",
            stage=stage if stage in Stage.__members__ else "",
            q=query.get("q", "").strip()[:100],
        )

    @property
    def active(self) -> bool:
        return bool(self.level or self.stage or self.q)

    def keeps(self, req: Requirement, item: Item | None) -> bool:
        if self.level and req.level != self.level:
            return False
        return not self.q or self._matches(item) or self.q.lower() in req.text.lower()

    def keeps_item(self, item: Item) -> bool:
        return not self.stage or self.stage in item.stages

    def _matches(self, item: Item | None) -> bool:
        texts = [item.title, item.title_en, *item.remarks] if item else []
        return any(self.q.lower() in t.lower() for t in texts)


@dataclass
class CatalogView:
    """What the catalog pages render for one standard, language and filter."""

    standard: Standard
    lang: str
    filters: Filters = field(default_factory=Filters)
    facts: FactDictionary | None = None  # labels the codes a parameter may hold

    def __post_init__(self) -> None:
        self._params = {p.key: p for p in self.standard.parameters}

    def requirement(self, req: Requirement) -> RequirementView:
        params = [self.param(self._params[k]) for k in param_keys(req) if k in self._params]
        remedy = req.remedy.action.get(self.lang) if req.remedy else ""
        return RequirementView(req, params, remedy, req.note_in(self.lang))

    def param(self, param: Parameter) -> ParamView:
        value = param.value
        shown = (str(PARAM_UNSET) if value is None else choice_label(self.facts, value, self.lang)
                 if isinstance(value, str) else str(value))
        return ParamView(param, param.label.get(self.lang), shown, param.unit_in(self.lang))

    def item(self, item: Item) -> ItemView:
        reqs = item.requirements + item.rules
        rows = [self.requirement(r) for r in reqs if self.filters.keeps(r, item)]
        audience = item.audience if self.lang.startswith("zh") else ""
        return ItemView(item, rows, item.title_in(self.lang), audience)

    def area(self, area: Area) -> AreaView:
        items = [self.item(it) for it in area.items if self.filters.keeps_item(it)]
        if self.filters.level or self.filters.q:
            items = [iv for iv in items if iv.rows]
        rules = [self.requirement(r) for r in area.rules if self.filters.keeps(r, None)]
        return AreaView(area, area.name.get(self.lang), items, rules)

    def areas(self) -> list[AreaView]:
        views = [self.area(a) for a in self.standard.areas]
        return [v for v in views if v.items or v.rules]

    def area_of(self, number: int) -> Area:
        return next(a for a in self.standard.areas if any(i.number == number for i in a.items))

    def counts(self) -> dict[str, int]:
        levels = Counter(req.level for _area, _item, req in self.standard.requirements())
        return {
            "items": len(self.standard.items()),
            "requirements": sum(levels.values()),
            "required": levels[Level.required],
            "optional": levels[Level.optional],
            "parameters": len(self.standard.parameters),
        }

    def nav(self) -> list[tuple[Area, str, int]]:
        """(area, name, number of requirements) for the area navigation."""
        per_area = Counter(area.key for area, _item, _req in self.standard.requirements())
        return [(a, a.name.get(self.lang), per_area[a.key]) for a in self.standard.areas]

    def chart(self) -> dict:
        """Requirements per area, required vs optional (the catalog page's bar chart)."""
        per = Counter((a.key, r.level) for a, _item, r in self.standard.requirements())
        areas = self.standard.areas
        return {
            "areas": [a.name.get(self.lang) for a in areas],
            "series": [
                {
                    "name": str(LEVEL_LABELS[lvl]),
                    "level": lvl.value,
                    "data": [per[(a.key, lvl)] for a in areas],
                }
                for lvl in Level
            ],
        }

    def param_usage(self) -> dict[str, list[tuple[Item | None, Requirement]]]:
        """For each parameter key, the requirements that read it."""
        usage: dict[str, list[tuple[Item | None, Requirement]]] = {}
        for _area, item, req in self.standard.requirements():
            for key in param_keys(req):
                usage.setdefault(key, []).append((item, req))
        return usage
