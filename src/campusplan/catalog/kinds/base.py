"""What every check kind provides, and the small shared pieces the kinds build with.

A kind is one pydantic model (its YAML fields) whose methods are the hooks every layer asks
instead of dispatching on the kind's name, as Datasette's `TemplatedFilter` owns both
`where_clause()` and `human_clause()`:

| hook | asked by | answers |
|---|---|---|
| `label` | pages, CLI | the kind's name, zh/en |
| `judges` | readiness (engine/readiness.py) | one school, its group, or other requirements |
| `expressions()` | pages | the check-language texts written in it, by field |
| `reads()` | validator, explanations, CLI, docs | those plus a fact named by key, as `fact.<key>` |
| `comparisons()` | boundary check (catalog/boundaries.py) | its expressions plus its own comparison |
| `row_source()` | engine, reference, validator | the collection it iterates, if any |
| `polars(ctx)` | vectorized engine | status/actual/required/shortfall/basis expressions |
| `decide(ctx)` | reference evaluator | the same five values for one school, plain Python |
| `explain(ex, spec, row, school)` | explanations | one sentence quoting the numbers, true to the facts for every status |
| `measure()` | planning | the expression that counts what a remedy buys |
| `plan_quantity(quantity, shortfall)` | planning | how many to buy |
| `meaning(vocab)` | validator | problems only this kind can see |

The contexts (`PolarsContext`, `PythonContext`, `ExplainContext`, `Vocabulary`) are protocols:
the engine, the reference evaluator, the explainer and the validator implement them, so catalog
imports none of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple, Protocol

import polars as pl

from campusplan.catalog.base import Strict, Text

STATUSES = ["met", "gap", "violation", "unknown", "not_applicable"]
STATUS = pl.Enum(STATUSES)
MET, GAP, VIOLATION, UNKNOWN, NA = (pl.lit(s, dtype=STATUS) for s in STATUSES)
NUM = pl.Float32  # counts, Mbps, days: exact well past any school's figures, half the memory
FAIL_CODES = {"gap": GAP, "violation": VIOLATION}


# --- collections a kind may iterate --------------------------------------------------------------


@dataclass(frozen=True)
class Collection:
    """Rows belonging to a school (rooms, services) and the columns that describe them."""

    of: str  # the `Frames` attribute and the `each.of` value
    type_column: str  # the row column holding its type
    namespace: str  # the check-language namespace of a row's facts
    inventoried: str  # the school column saying the school listed these rows at all


COLLECTIONS = {
    "rooms": Collection("rooms", "room_type", "room", "rooms_inventoried"),
    "services": Collection("services", "category", "service", "services_inventoried"),
}


@dataclass(frozen=True)
class RowSource:
    """A check evaluated per row: which rows (`type` "*" is all) and which field is per row.

    `deficit` (optional) is how far a failing row falls short, in the unit of what the
    condition measures (student computers, outlets, inches); the engine sums it over the
    failing rows of each school."""

    collection: Collection
    type: str
    field: str
    condition: str
    deficit: str | None = None


class Tally(NamedTuple):
    """Per school, the rows of a requirement's type and how its per-row condition came out;
    `units` sums the row source's `deficit` over the failing rows (None without a deficit)."""

    n: Any
    ok: Any
    fail: Any
    null: Any
    units: Any = None


# --- the contexts the hooks are given ------------------------------------------------------------


class PolarsContext(Protocol):
    stage: str | None  # the item's 学段 when it has exactly one

    # a check-language text, compiled; `stage.*` reads `stage` if given, else the item's
    def expr(self, text: str | None, stage: str | None = None) -> pl.Expr | None: ...
    def applicable(self) -> pl.Expr: ...  # stages and `applies:`, null when unknown
    def tally(self) -> Tally: ...  # Polars expressions, for kinds with a row source
    # another requirement's five columns (rules over rules: at_least)
    def outcome(self, requirement_id: str) -> dict[str, pl.Expr]: ...


class PythonContext(Protocol):
    school: dict
    stage: str | None

    def run(self, text: str | None, stage: str | None = None) -> object: ...
    def rows(self, source: RowSource) -> list[dict]: ...
    def run_row(self, text: str, row: dict) -> object: ...
    def applicable(self) -> bool | None: ...
    def outcome(self, requirement_id: str) -> dict: ...  # another requirement, this school
    # this requirement's context for each school of this school's group (group rules)
    def peers(self, group: str) -> list[PythonContext]: ...
    def spread(self, pairs): ...  # the official weighted CV of (amount, base) pairs
    # compute() once per group (this requirement, this school's group), reused by its schools
    def once(self, group: str, compute): ...


class ExplainContext(Protocol):
    def t(self, key: str, **kw) -> str: ...  # a shared template (na, missing, param_unset)
    def render(self, template: Text, /, **kw) -> str: ...  # a Text in the reader's language
    def label(self, text: str | None) -> tuple[str, str]: ...  # label and unit of a reference
    def numbers(self, row: dict) -> dict[str, str]: ...  # actual/required/shortfall/basis shown
    def missing(self, spec, school: dict) -> str: ...
    def param_value(self, text: str) -> object: ...
    def type_label(self, key: str) -> str: ...
    def row_facts(self, source: RowSource) -> list[str]: ...
    def fmt(self, value) -> str: ...
    # the parts of a condition that came out `holds` for this school, in words
    def reasons(self, text: str, spec, school: dict, holds: bool) -> str: ...
    # this school's rows of the requirement's row source, counted (None if not available)
    def tally(self, spec, school: dict) -> Tally | None: ...
    def join(self, names) -> str: ...  # a list in the reader's language (、 or ,)


class Vocabulary(Protocol):
    school_facts: dict  # key → Fact of school scope
    types: dict[str, set[str]]  # collection (`rooms`, `services`) → known type keys
    requirement_ids: set[str]  # for rules over other requirements


# --- the base every kind extends -----------------------------------------------------------------


class CheckKind(Strict):
    """Defaults for the hooks; a kind overrides what it decides differently."""

    label: ClassVar[Text]
    # what a result judges: one school's values ("school"), its group's ("group", the same
    # verdict on every school of the group), or other requirements' results ("requirements")
    judges: ClassVar[str] = "school"
    templates: ClassVar[dict[str, Text]] = {}
    expression_fields: ClassVar[tuple[str, ...]] = ()

    def expressions(self) -> dict[str, str]:
        """The check-language texts written in the check, by field name."""
        return {f: getattr(self, f) for f in self.expression_fields
                if getattr(self, f) is not None}

    def reads(self) -> dict[str, str]:
        """Everything the check reads, by field: its expressions, and a fact it names by key
        (presence, prohibition) as the expression `fact.<key>`."""
        return self.expressions()

    def comparisons(self) -> dict[str, str]:
        """The texts whose comparisons decide the check, the kind's own comparison written out
        in the check language (minimum: `actual >= required`), so the boundary convention
        (以上 includes the number) can be checked against every one of them."""
        return self.expressions()

    def row_source(self) -> RowSource | None:
        return None

    def measure(self) -> str | None:
        """The expression counting what the remedy buys; two rules with the same measure are
        closed by the larger quantity, not the sum."""
        return None

    def delivered(self) -> tuple[str, str] | None:
        """What a completed project changes in the facts this check reads: ("count", key) — a
        school fact grows by the quantity bought — or ("flag", key) — it becomes yes; None: not
        guessed (the school reports it)."""
        return None

    def plan_quantity(self, quantity: str, shortfall: float | None,
                      rows_short: float | None = None) -> float:
        """`quantity: shortfall` buys what is short (at least one); a number buys that many.
        `rows_short` is the rooms (services) an `each` found short, for kinds that buy per row."""
        if quantity == "shortfall":
            return float(math.ceil(shortfall)) if shortfall and shortfall > 0 else 1.0
        return float(quantity)

    def meaning(self, vocab: Vocabulary) -> list[str]:
        return []

    def polars(self, ctx: PolarsContext) -> dict[str, pl.Expr]:
        raise NotImplementedError

    def decide(self, ctx: PythonContext) -> dict:
        raise NotImplementedError

    def explain(self, ex: ExplainContext, spec, row: dict, school: dict) -> str:
        """Unknown names what is missing; a requirement's own template words its failures."""
        status = row["status"]
        if status == "unknown":
            return ex.missing(spec, school) or ex.t("missing", names="?")
        nums = ex.numbers(row)
        if spec.req.explain is not None and status != "met":
            return ex.render(spec.req.explain, per=nums["basis"], **nums)
        return self.explain_known(ex, spec, row)

    def explain_known(self, ex: ExplainContext, spec, row: dict) -> str:
        """The kind's own sentence for a met, gap or violation row."""
        raise NotImplementedError

    def template(self, ex: ExplainContext, status: str, **kw) -> str:
        return ex.render(self.templates["met" if status == "met" else status], **kw)


# --- shared building blocks -----------------------------------------------------------------------


def num_expr(e: pl.Expr | None) -> pl.Expr:
    return pl.lit(None, dtype=NUM) if e is None else e.cast(NUM)


def polars_outcome(ctx: PolarsContext, ok: pl.Expr, fail: str, actual: pl.Expr | None,
                   required: pl.Expr | None, shortfall: pl.Expr | None = None,
                   basis: pl.Expr | None = None) -> dict[str, pl.Expr]:
    """The five columns of a kind judged by one boolean `ok` over school-level values."""
    applicable, code = ctx.applicable(), FAIL_CODES[fail]
    status = (pl.when(applicable.is_null()).then(UNKNOWN)
              .when(~applicable).then(NA)
              .when(ok.is_null()).then(UNKNOWN)
              .when(ok).then(MET)
              .otherwise(code))
    return {"status": status, "actual": num_expr(actual), "required": num_expr(required),
            "shortfall": pl.when(status == code).then(num_expr(shortfall)),
            "basis": num_expr(basis)}


def number(v) -> float | None:
    return None if v is None else float(v)


def python_outcome(ok, fail: str, actual, required, shortfall=None, basis=None) -> dict:
    """The reference counterpart of `polars_outcome` (applicability is judged before)."""
    status = "unknown" if ok is None else ("met" if ok else fail)
    return {"status": status, "actual": number(actual), "required": number(required),
            "shortfall": number(shortfall) if status == fail else None, "basis": number(basis)}


def yes_no_fact_problems(kind: str, key: str, vocab: Vocabulary) -> list[str]:
    fact = vocab.school_facts.get(key)
    if fact is not None and fact.type != "bool":
        return [f"{kind} needs a yes/no fact, `{key}` is {fact.type}"]
    return []
