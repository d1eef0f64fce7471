"""One-line explanations that quote the numbers, rendered for the rows someone reads.

「教师用计算机 26 台，专任教师 30 人，需不低于 1:1，缺 4 台」. A requirement may carry its own
template (`explain:` in the YAML, placeholders {actual} {required} {shortfall} {basis});
otherwise a default per check kind and status is used, with labels and units from the fact
dictionary.
"""

from __future__ import annotations

from campusplan.catalog import expr as ex
from campusplan.catalog.checks import expressions
from campusplan.catalog.loader import Catalog
from campusplan.catalog.profile import STAGE_FIELDS, school_fields
from campusplan.catalog.schema import Scope, Text
from campusplan.engine.evaluate import Spec

T = {
    "na": Text(zh="不适用", en="not applicable"),
    "missing": Text(zh="缺少数据：{names}", en="missing data: {names}"),
    "not_inventoried": Text(zh="未登记{what}清单，无法判定", en="no {what} inventory; cannot judge"),
    "param_unset": Text(zh="参数“{names}”尚未设定，无法判定", en="parameter “{names}” not set"),
    "presence_met": Text(zh="已具备：{label}", en="in place: {label}"),
    "presence_gap": Text(zh="未具备：{label}", en="missing: {label}"),
    "condition_met": Text(zh="符合要求", en="meets the requirement"),
    "condition_gap": Text(zh="不符合：{text}", en="not met: {text}"),
    "minimum_met": Text(zh="{label} {actual}{unit}，要求不低于 {required}{unit}",
                        en="{label} {actual}{unit}; at least {required}{unit} required"),
    "minimum_gap": Text(zh="{label} {actual}{unit}，需不低于 {required}{unit}，缺 {shortfall}{unit}",
                        en="{label} {actual}{unit}; at least {required}{unit} required, "
                           "{shortfall}{unit} short"),
    "ratio_met": Text(zh="{label} {actual}{unit}，{basis_label} {basis}，按 {ratio}:1 需 {required}{unit}",
                      en="{label} {actual}{unit} for {basis} {basis_label}; {required} needed at "
                         "{ratio}:1"),
    "ratio_gap": Text(zh="{label} {actual}{unit}，{basis_label} {basis}，按 {ratio}:1 需 {required}{unit}，"
                         "缺 {shortfall}{unit}",
                      en="{label} {actual}{unit} for {basis} {basis_label}; {required} needed at "
                         "{ratio}:1, {shortfall} short"),
    "maximum_met": Text(zh="{label} {actual}，上限 {required}", en="{label} {actual}; cap {required}"),
    "maximum_violation": Text(zh="{label} {actual}，超过上限 {required}，超出 {shortfall}",
                              en="{label} {actual} exceeds the cap of {required} by {shortfall}"),
    "prohibition_met": Text(zh="未发现：{label}", en="not present: {label}"),
    "prohibition_violation": Text(zh="违反规定：{label}", en="violation: {label}"),
    "each_met": Text(zh="{what} {basis} 间全部符合", en="all {basis} {what} comply"),
    "each_gap": Text(zh="{what} {basis} 间中 {actual} 间符合，需 {required} 间，差 {shortfall} 间",
                     en="{actual} of {basis} {what} comply; {required} needed, {shortfall} short"),
    "each_none": Text(zh="未登记{what}", en="no {what} registered"),
    "service_met": Text(zh="{what} {basis} 项均符合", en="all {basis} {what} comply"),
    "service_violation": Text(zh="{what} {basis} 项中 {shortfall} 项不符合", en="{shortfall} of "
                              "{basis} {what} do not comply"),
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
        return T[key].get(self.lang).format(**kw)

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
        for text in list(expressions(spec.req.check).values()) + [spec.req.applies or ""]:
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
        status, check = row["status"], spec.req.check
        if status == "not_applicable":
            return self.t("na")
        if check.kind == "each":
            return self._each(spec, row, school)
        if status == "unknown":
            return self.missing(spec, school) or self.t("missing", names="?")
        nums = {k: fmt(row.get(k)) for k in ("actual", "required", "shortfall", "basis")}
        if spec.req.explain is not None and status != "met":
            return spec.req.explain.get(self.lang).format(per=nums["basis"], **nums)
        label_src = {"presence": f"fact.{getattr(check, 'fact', '')}",
                     "prohibition": f"fact.{getattr(check, 'fact', '')}"}.get(
            check.kind, getattr(check, "actual", None))
        label, unit = self.label(label_src)
        key = f"{check.kind}_{'met' if status == 'met' else status}"
        if check.kind == "condition":
            return self.t(key, text=spec.req.text)
        extra = {}
        if check.kind == "ratio":
            extra = {"basis_label": self.label(check.per)[0],
                     "ratio": fmt(self._param_value(check.ratio))}
        return self.t(key, label=label, unit=unit, **nums, **extra)

    def _param_value(self, text: str):
        node = ex.parse(text)
        return self.params[node.name].value if isinstance(node, ex.Ref) else text

    def _each(self, spec: Spec, row: dict, school: dict) -> str:
        check = spec.req.check
        what = self.types.get(check.type, Text(zh=check.type, en=check.type)).get(self.lang)
        status = row["status"]
        nums = {k: fmt(row.get(k)) for k in ("actual", "required", "shortfall", "basis")}
        inv = school.get("rooms_inventoried" if check.of == "rooms" else "services_inventoried")
        if status == "unknown":
            if not inv:
                return self.t("not_inventoried", what=what)
            return self.t("missing", names=f"{what}：" + "、".join(self._row_facts(check)))
        if check.of == "services":
            return self.t("service_met" if status == "met" else "service_violation", what=what,
                          **nums)
        if not row.get("basis"):
            return self.t("each_none", what=what) if status != "met" else self.t("na")
        return self.t("each_met" if status == "met" else "each_gap", what=what, **nums)

    def _row_facts(self, check) -> list[str]:
        scope = Scope.room if check.of == "rooms" else Scope.service
        ns = "room" if check.of == "rooms" else "service"
        return [self.facts[(scope, n)].label.get(self.lang)
                for s, n in sorted(ex.refs(ex.parse(check.condition)))
                if s == ns and (scope, n) in self.facts]
