"""One-line explanations that quote the numbers, rendered for the rows someone reads.

「教师用计算机 26 台，专任教师 30 人，需不低于 1:1，缺 4 台」. A requirement may carry its own
template (`explain:` in the YAML, placeholders {actual} {required} {shortfall} {basis});
otherwise its check kind's `explain()` words it (catalog/kinds), with labels and units from the
fact dictionary this module looks up.
"""

from __future__ import annotations

import polars as pl

from campusplan.catalog import expr as ex
from campusplan.catalog.expr_python import evaluate, run
from campusplan.catalog.kinds import RowSource
from campusplan.catalog.kinds.base import Tally
from campusplan.catalog.loader import Catalog
from campusplan.catalog.profile import STAGE_FIELDS, school_fields
from campusplan.catalog.schema import Scope, Text
from campusplan.engine.evaluate import NUMBERS, Spec
from campusplan.engine.frames import Frames

T = {  # shared by every kind; each kind's own sentences are in its module (catalog/kinds)
    "na": Text(zh="不适用", en="not applicable"),
    "missing": Text(zh="缺少数据：{names}", en="missing data: {names}"),
    "param_unset": Text(zh="参数“{names}”尚未设定，无法判定", en="parameter “{names}” not set"),
    "no": Text(zh="{label}：否", en="{label}: no"),
    "unknown_value": Text(zh="{label}：未知", en="{label}: unknown"),
    "joiner": Text(zh="，", en="; "),
}
# a comparison in words, for the parts of a condition that held or failed: 「班级数 31 超过 30」
OP_WORDS = {">": Text(zh="超过", en="above"), ">=": Text(zh="不低于", en="at least"),
            "<": Text(zh="低于", en="below"), "<=": Text(zh="不超过", en="at most"),
            "==": Text(zh="为", en="is"), "!=": Text(zh="不为", en="is not")}
NEGATED = {">": "<=", ">=": "<", "<": ">=", "<=": ">", "==": "!=", "!=": "=="}
LIST_SEP = Text(zh="、", en=", ")


def fmt(v) -> str:
    if v is None:
        return "—"
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}".rstrip("0").rstrip(".")


class Explainer:
    def __init__(self, catalog: Catalog, lang: str = "zh", frames: Frames | None = None):
        self.cat, self.lang, self.frames = catalog, lang, frames
        self._pools: dict[tuple[str, str], list[dict]] = {}  # (school, collection) → its rows
        self.params = {p.key: p for p in catalog.standard.parameters}
        self.facts = {(s, f.key): f for s in Scope for f in catalog.facts.facts if f.scope == s}
        self.school = school_fields(catalog.facts)
        self.types = {r.key: r.label for r in catalog.facts.room_types} | {
            c.key: c.label for c in catalog.facts.service_categories}

    def t(self, key: str, **kw) -> str:
        return self.render(T[key], **kw)

    def render(self, template: Text, /, **kw) -> str:
        return template.get(self.lang).format(**kw)

    def fmt(self, value) -> str:
        return fmt(value)

    def join(self, names) -> str:
        """Names listed the way the reader's language lists them (、 / , ), each once."""
        return LIST_SEP.get(self.lang).join(dict.fromkeys(names))

    def numbers(self, row: dict) -> dict[str, str]:
        return {k: fmt(row.get(k)) for k in NUMBERS}

    def label(self, text: str | None) -> tuple[str, str]:
        """Label and unit of a simple reference (`fact.x`, `school.n_room`), else the text."""
        if text is None:
            return "", ""
        node = ex.parse(text)
        if isinstance(node, ex.Ref):
            ns = {"fact": Scope.school, "room": Scope.room, "service": Scope.service}.get(node.ns)
            if ns and (ns, node.name) in self.facts:
                f = self.facts[(ns, node.name)]
                unit = f.unit_in(self.lang)
                return f.label.get(self.lang), unit if self.lang == "zh" else f" {unit}"
            names = self.school if node.ns == "school" else STAGE_FIELDS
            if node.name in names:
                return names[node.name].get(self.lang), ""
        return text, ""

    def missing(self, spec: Spec, school: dict) -> str:
        names, unset = [], []
        for text in list(spec.req.check.reads().values()) + [spec.req.applies or ""]:
            if not text:
                continue
            for ns, name in sorted(ex.refs(ex.parse(text))):
                if ns == "param" and self.params[name].value is None:
                    unset.append(self.params[name].label.get(self.lang))
                elif ns in ("fact", "school") and school.get(f"{ns}.{name}") is None:
                    names.append(self.label(f"{ns}.{name}")[0])
                elif ns == "stage" and school.get(f"stage.{spec.stage}.{name}") is None:
                    names.append(STAGE_FIELDS[name].get(self.lang))
        if unset:
            return self.t("param_unset", names=self.join(unset))
        if names:
            return self.t("missing", names=self.join(names))
        return ""

    def __call__(self, spec: Spec, row: dict, school: dict) -> str:
        if row["status"] == "not_applicable":
            return self.t("na")
        return spec.req.check.explain(self, spec, row, school)

    def param_value(self, text: str):
        node = ex.parse(text)
        return self.params[node.name].value if isinstance(node, ex.Ref) else text

    def type_label(self, key: str) -> str:
        """A room type's or service category's label; the key itself if the catalog has none."""
        return self.types.get(key, Text(zh=key, en=key)).get(self.lang)

    def row_facts(self, source: RowSource) -> list[str]:
        """Labels of the row facts a per-row condition reads."""
        ns = source.collection.namespace
        scope = Scope(ns)
        return [self.facts[(scope, n)].label.get(self.lang)
                for s, n in sorted(ex.refs(ex.parse(source.condition)))
                if s == ns and (scope, n) in self.facts]

    # --- the values behind a sentence: a condition's parts, a school's rows ---------------------

    def env(self, spec: Spec, school: dict, row: dict | None = None):
        """The values a check's expression reads for this school (and row, for per-row
        conditions)."""
        def env(ns: str, name: str):
            if ns == "param":  # a tailored value is a column of the school
                return school.get(f"param.{name}", self.params[name].value)
            if ns == "stage":
                return school.get(f"stage.{spec.stage}.{name}")
            if ns in ("room", "service"):
                return (row or {}).get(f"{ns}.{name}")
            return school.get(f"{ns}.{name}")
        return env

    def reasons(self, text: str, spec: Spec, school: dict, holds: bool,
                row: dict | None = None) -> str:
        """The parts of an `a or b` / `a and b` condition that came out `holds` for this school
        (or one of its rows), in words: why a data centre is allowed (「班级数 31 超过 30」) or why
        it is not."""
        node, env = ex.parse(text), self.env(spec, school, row)
        parts = node.args if isinstance(node, ex.Logic) else (node,)
        words = [self._words(p, env) for p in parts if evaluate(p, env) is holds]
        return self.t("joiner").join(words)

    def _words(self, node: ex.Node, env) -> str:
        value = evaluate(node, env)
        if isinstance(node, ex.Compare) and node.op in OP_WORDS:
            op = node.op if value else NEGATED[node.op]
            left = self._side(node.left, env)
            return f"{left} {OP_WORDS[op].get(self.lang)} {fmt(evaluate(node.right, env))}"
        if isinstance(node, ex.Unary) and node.op == "not":
            return self._words(node.arg, env)
        label = self.label(_text(node))[0] if isinstance(node, ex.Ref) else "…"
        if value is None:
            return self.t("unknown_value", label=label)
        return label if value else self.t("no", label=label)

    def _side(self, node: ex.Node, env) -> str:
        value = fmt(evaluate(node, env))
        return f"{self.label(_text(node))[0]} {value}" if isinstance(node, ex.Ref) else value

    def tally(self, spec: Spec, school: dict) -> Tally | None:
        """This school's rows of a requirement's row source: how many, and how many satisfy its
        condition, fail it, or lack the data (None without frames)."""
        source = spec.req.check.row_source()
        if self.frames is None or source is None:
            return None
        rows = [r for r in self._rows(source.collection.of, school["school_id"])
                if source.type == "*" or r[source.collection.type_column] == source.type]
        results = [run(source.condition, self.env(spec, school, r)) for r in rows]
        return Tally(len(rows), results.count(True), results.count(False), results.count(None))

    def _rows(self, collection: str, school_id: str) -> list[dict]:
        key = (school_id, collection)
        if key not in self._pools:
            frame = getattr(self.frames, collection)
            self._pools[key] = frame.filter(pl.col("school_id") == school_id).to_dicts()
        return self._pools[key]


def _text(ref: ex.Ref) -> str:
    return f"{ref.ns}.{ref.name}"
