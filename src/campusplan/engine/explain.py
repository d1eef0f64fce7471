"""One-line explanations that quote the numbers, rendered for the rows someone reads.

「教师用计算机 26 台，专任教师 30 人，需不低于 1:1，缺 4 台」. A requirement may carry its own
template (`explain:` in the YAML, placeholders {actual} {required} {shortfall} {basis});
otherwise its check kind's `explain()` words it (catalog/kinds), with labels and units from the
fact dictionary this module looks up.
"""

from __future__ import annotations

from campusplan.catalog import expr as ex
from campusplan.catalog.kinds import RowSource
from campusplan.catalog.loader import Catalog
from campusplan.catalog.profile import STAGE_FIELDS, school_fields
from campusplan.catalog.schema import Scope, Text
from campusplan.engine.evaluate import NUMBERS, Spec

T = {  # shared by every kind; each kind's own sentences are in its module (catalog/kinds)
    "na": Text(zh="不适用", en="not applicable"),
    "missing": Text(zh="缺少数据：{names}", en="missing data: {names}"),
    "param_unset": Text(zh="参数“{names}”尚未设定，无法判定", en="parameter “{names}” not set"),
}


def fmt(v) -> str:
    if v is None:
        return "—"
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}".rstrip("0").rstrip(".")


class Explainer:
    def __init__(self, catalog: Catalog, lang: str = "zh"):
        self.cat, self.lang = catalog, lang
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
            return self.t("param_unset", names="、".join(dict.fromkeys(unset)))
        if names:
            return self.t("missing", names="、".join(dict.fromkeys(names)))
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
