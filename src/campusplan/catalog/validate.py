"""The meaning pass over a loaded catalog: every name a check reads exists, with the right type.

Structure and strict typing are pydantic's job (schema.py); this pass reports everything else at
once, each problem naming the requirement, so `campusplan catalog validate` can list them all.
"""

from __future__ import annotations

from dataclasses import dataclass

from campusplan.catalog import boundaries, expr, tailoring
from campusplan.catalog.loader import Catalog
from campusplan.catalog.profile import SERVICE_DERIVED, STAGE_FIELDS, school_fields
from campusplan.catalog.schema import Item, Level, Requirement, Scope


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class _Checker:
    def __init__(self, catalog: Catalog):
        self.cat = catalog
        self.params = {p.key for p in catalog.standard.parameters}
        self.facts = {s: catalog.facts.by_key(s) for s in Scope}
        self.school = school_fields(catalog.facts)
        self.school_facts = self.facts[Scope.school]
        # what the check kinds' own `meaning()` hooks read (catalog/kinds/base.py Vocabulary)
        self.types = {"rooms": {r.key for r in catalog.facts.room_types},
                      "services": {s.key for s in catalog.facts.service_categories}}
        self.requirement_ids = {r.id for _a, _i, r in catalog.standard.requirements()}
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def run(self) -> list[Problem]:
        self._unique_ids()
        for _area, item, req in self.cat.standard.requirements():
            self._requirement(item, req)
        return self.problems

    def _unique_ids(self) -> None:
        seen: set[str] = set()
        for _a, _i, req in self.cat.standard.requirements():
            if req.id in seen:
                self.add(req.id, "duplicate requirement id")
            seen.add(req.id)

    def _requirement(self, item: Item | None, req: Requirement) -> None:
        source = req.check.row_source()
        texts = req.check.reads()
        if req.applies:
            texts["applies"] = req.applies
        for field, text in texts.items():
            try:
                node = expr.parse(text)
            except expr.ExprError as exc:
                self.add(f"{req.id}.{field}", str(exc))
                continue
            ns_allowed = {"fact", "param", "school", "stage"}
            if source and field == source.field:
                ns_allowed.add(source.collection.namespace)
            for ns, name in expr.refs(node):
                self._ref(req, item, field, ns, name, ns_allowed)
        self._kind_specific(req)

    def _ref(self, req, item, field, ns, name, allowed) -> None:
        where = f"{req.id}.{field}"
        if ns not in allowed:
            self.add(where, f"`{ns}.{name}` cannot be read here")
        elif ns == "param" and name not in self.params:
            self.add(where, f"unknown parameter `{name}`")
        elif ns == "school" and name not in self.school:
            self.add(where, f"unknown profile value `school.{name}`")
        elif ns == "stage":
            if name not in STAGE_FIELDS:
                self.add(where, f"unknown stage value `stage.{name}`")
            if item is None or len(item.stages) != 1:
                self.add(where, "`stage.*` needs an item that applies to exactly one 学段")
        elif ns in ("fact", "room", "service"):
            scope = {"fact": Scope.school, "room": Scope.room, "service": Scope.service}[ns]
            if name not in self.facts[scope] and not (ns == "service" and name in SERVICE_DERIVED):
                self.add(where, f"`{ns}.{name}` is not in the fact dictionary ({scope} scope)")

    def _kind_specific(self, req: Requirement) -> None:
        for message in req.check.meaning(self):
            self.add(req.id, message)


def _planning_problems(catalog: Catalog) -> list[Problem]:
    """Tiers name items of the standard, and every level ends in a tier that takes any item."""
    numbers = {it.number for it in catalog.standard.items()}
    tiers = catalog.standard.planning.tiers
    out = [Problem(f"planning.tier {t.tier}", f"no item {n} in the standard")
           for t in tiers for n in t.items or () if n not in numbers]
    for level in Level:
        if not any(t.level == level and t.items is None for t in tiers):
            out.append(Problem("planning", f"no tier takes every other {level.value} line"))
    if sum(t.refresh for t in tiers) != 1:
        out.append(Problem("planning", "exactly one tier is the end-of-life refresh"))
    return out


def _indicator_problems(catalog: Catalog) -> list[Problem]:
    """Counts read `room.*`; ratios read school facts, profile values, counts and parameters."""
    ind = catalog.standard.indicators
    facts = {s: catalog.facts.by_key(s) for s in Scope}
    known = {("param", p.key) for p in catalog.standard.parameters}
    rooms = known | {("room", k) for k in facts[Scope.room]}
    school = known | {("fact", k) for k in facts[Scope.school]} | {
        ("school", k) for k in [*school_fields(catalog.facts), *(c.key for c in ind.counts)]}
    texts = [(f"indicators.{c.key}", c.where, rooms) for c in ind.counts] + [
        (f"indicators.{r.key}", r.value, school) for r in ind.ratios]
    out = []
    for where, text, allowed in texts:
        try:
            unknown = sorted(expr.refs(expr.parse(text)) - allowed)
        except expr.ExprError as exc:
            out.append(Problem(where, str(exc)))
            continue
        out += [Problem(where, f"`{ns}.{name}` cannot be read here") for ns, name in unknown]
    return out


def _boundary_problems(catalog: Catalog) -> list[Problem]:
    """Comparisons that misplace a boundary the standard's words set (以下 includes the number)."""
    try:
        return [Problem(where, msg) for where, msg in boundaries.problems(catalog.standard)]
    except (ValueError, expr.ExprError) as exc:  # an ambiguous quote; bad texts are listed above
        return [Problem("boundaries", str(exc))]


def _tailoring_problems(catalog: Catalog) -> list[Problem]:
    """A parameter's declared `tighter:` that its own comparisons contradict."""
    try:
        return [Problem(where, msg) for where, msg in tailoring.problems(catalog.standard)]
    except expr.ExprError:  # bad texts are listed above
        return []


def validate(catalog: Catalog) -> list[Problem]:
    """Every meaning problem of the catalog; empty when it is sound."""
    return (_Checker(catalog).run() + _planning_problems(catalog) + _indicator_problems(catalog)
            + _boundary_problems(catalog) + _tailoring_problems(catalog))
