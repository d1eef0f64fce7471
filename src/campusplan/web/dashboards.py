"""The dashboards' figures (from assessments.dashboards) shaped for the templates and charts:
names in the page language, chart series as JSON-ready dicts, the school table's sort links.

Who may open which dashboard: the city one needs a city-level user; a district one a city user
or a user of that district (school users have their school page; other districts are 404).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import QueryDict
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from campusplan.accounts.choices import Level
from campusplan.accounts.scope import district_for, profile_of, visible_schools
from campusplan.assessments.dashboards import SORTS, rated
from campusplan.catalog import vocabulary as v
from campusplan.catalog.codes import districts, school_types
from campusplan.i18n import lazy_label
from campusplan.schools.models import District
from campusplan.web.http import Lazy, catalog
from campusplan.web.school import code_name, lang_code, requirement_index

STATUS_COLORS = {"met": "#12b76a", "gap": "#f79009", "violation": "#d92d20",
                 "unknown": "#98a2b3"}


def equity_measures(lang: str) -> list[dict]:
    """The 差异系数 measures (catalog `indicators.equity`) with their ratio's label."""
    ind = catalog().standard.indicators
    labels = {r.key: r.label.get(lang) for r in ind.ratios}
    return [{"key": m.key, "label": labels.get(m.key, m.key)}
            for m in (ind.equity.measures if ind.equity else [])]


def equity_context(rows: list[dict], lang: str) -> dict:
    """The weighted CV table: a row per (district, 学段), cells in the measures' order — shaped
    when the template first reads it (a cached table never does)."""
    measures = equity_measures(lang)
    eq = catalog().standard.indicators.equity
    return {"equity_measures": measures, "district_base": _base("web:district"),
            "equity": Lazy(lambda: [
                r | {"label": _district_name(r["code"], r["name"], lang),
                     "stage_label": v.label(v.STAGE, r["stage"], lang),
                     "row_cells": [r["cells"][m["key"]]
                                   | {"link": school_list(district=r["code"], ordering=m["key"])}
                                   for m in measures]}
                for r in rows]),
            "equity_thresholds": [(v.label(v.STAGE, st, lang), eq.thresholds[st])
                                  for st in eq.stages] if eq else [],
            "equity_weights": _weights(eq, lang) if eq else ""}


def _weights(eq, lang: str) -> str:
    """小学 : 初中 : 高中 = 1 : 1.1 : 1.32, from the catalog."""
    stages = " : ".join(v.label(v.STAGE, st, lang) for st in eq.stage_weights)
    return f"{stages} = {' : '.join(f'{w:g}' for w in eq.stage_weights.values())}"


# --- access ----------------------------------------------------------------------------------


def require_city(user) -> None:
    p = profile_of(user)
    if p is None or p.level != Level.CITY:
        raise PermissionDenied


def district_of(user, code: str) -> District:
    """The district if the user may open its dashboard: 404 outside the scope, 403 for schools."""
    district = district_for(user, code)
    p = profile_of(user)
    if p is None or p.level == Level.SCHOOL:
        raise PermissionDenied
    return district


def district_nav(user) -> str:
    p = profile_of(user)
    return "district" if p is not None and p.level == Level.DISTRICT else "city"


# --- shared ----------------------------------------------------------------------------------


def _district_name(code: str, name: str, lang: str) -> str:
    if not code:
        return str(_("全市"))
    return name if lang_code(lang) == "zh" else code_name(districts(), code, lang)


def _requirements(rows: list[dict], lang: str, district: str = "") -> list[dict]:
    """`worst` / `common_gaps` rows with the item's title, the area (from the catalog) and the
    lists behind their numbers."""
    index = requirement_index(catalog())
    out = []
    for r in rows:
        spot = index.get(r["requirement_id"])
        item = f"{spot.item.number} {spot.item.title_in(lang)}" if spot and spot.item else ""
        out.append(r | {"item_label": item, "area": spot.area.name.get(lang_code(lang))
                        if spot else "", "failing": r["gap"] + r["violation"],
                        "links": _requirement_links(r, district)})
    return out


@lru_cache(maxsize=64)
def _reversed(name: str, arg: str, prefix: str) -> str:
    return reverse(name, args=[arg] if arg else None)


def _path(name: str, arg: str = "") -> str:
    """A page's path, reversed once per script prefix: a city page of 2,800 districts links
    ≈ 45,000 figures, and `reverse` was a third of building it (docs/scale.md)."""
    return _reversed(name, arg, get_script_prefix())


def _base(name: str) -> str:
    """The path of a page of one code without the code (`/district/`): templates append it
    instead of reversing it per row."""
    return _path(name, "-")[:-2]


def school_list(**params) -> str:
    """The school list behind a figure (its filters in the URL)."""
    return f"{_path('web:school_list')}?{urlencode({k: x for k, x in params.items() if x})}"


def result_list(**params) -> str:
    return f"{_path('web:result_list')}?{urlencode({k: x for k, x in params.items() if x})}"


def figure_links(district: str = "") -> dict[str, str]:
    """A set of school figures (a district's, or the city's with `district` empty) → its lists."""
    d = {"district": district}
    return {"schools": school_list(**d), "rate": school_list(**d, ordering="rate"),
            "completeness": school_list(**d, ordering="completeness"),
            "gaps": school_list(**d, status="gap"),
            "violations": school_list(**d, status="violation"),
            "unknown": school_list(**d, status="unknown"),
            "unassessed": school_list(**d, status="unassessed")}


def _requirement_links(row: dict, district: str = "") -> dict[str, str]:
    req = {"district": district, "requirement": row["requirement_id"]}
    return {"schools": school_list(district=district, failing_requirement=row["requirement_id"]),
            "gap": result_list(**req, status="gap"),
            "violation": result_list(**req, status="violation"),
            "judged": result_list(**req, level="required")}


def _pct(value) -> float | None:
    return None if value is None else round(value * 100, 1)


# --- city ------------------------------------------------------------------------------------


def city_context(overview: dict, lang: str) -> dict:
    """The city page. The district table, its chart and the 差异系数 table are shaped only when
    their cached fragment (keyed on the figures' version, the catalog — the 差异系数 thresholds
    are its — and the language) is missing: a row per district, and a country has thousands."""
    figures = overview["districts"]
    rows = Lazy(lambda: [d | {"label": _district_name(d["code"], d["name"], lang),
                              "links": figure_links(d["code"])} for d in figures])
    total = rated({k: sum(d.get(k) or 0 for d in figures)
                   for k in ("met", "judged", "unknown", "applicable")})
    areas = [a | {"name": a["name_zh"] if lang_code(lang) == "zh" else a["name_en"]}
             for a in overview["areas"]]
    return {
        "districts": rows, "version": overview.get("version", ""),
        "catalog_key": catalog().checksum,
        "totals": total | {"districts": len(figures),
                           "schools": sum(d["schools"] for d in figures),
                           "violations": sum(d.get("violations") or 0 for d in figures)},
        "links": figure_links(),
        "areas": areas, **equity_context(overview["equity"], lang),
        "worst": _requirements(overview["worst"], lang), "run": overview.get("run"),
        "district_chart": Lazy(lambda: {
            "names": [d["label"] for d in rows()], "urls": [d["links"]["schools"] for d in rows()],
            "rate": [_pct(d["rate"]) for d in figures],
            "completeness": [_pct(d["completeness"]) for d in figures],
            "labels": {"rate": str(_("达标率")), "completeness": str(_("数据完整度"))}}),
        "area_charts": [_area_chart(a) for a in areas],
    }


STATUS_SERIES = tuple((key, lazy_label(v.STATUS, key)) for key in STATUS_COLORS)


def _area_chart(area: dict) -> dict:
    """One area's required results (met / gap / violation / unknown) as a doughnut's data."""
    return {"id": f"area-{area['key']}", "data_id": f"area-{area['key']}-data",
            "name": area["name"],
            "data": [{"name": str(label), "value": area[key], "color": STATUS_COLORS[key],
                      "url": result_list(area=area["key"], level="required", status=key)}
                     for key, label in STATUS_SERIES]}


# --- district --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableQuery:
    """The school table's sort, order and filters from the query string."""

    sort: str = "rate"
    order: str = "asc"
    type: str = ""
    q: str = ""
    # as asked (`?page=`), any text: `page_of` turns it into a page that exists
    page: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> TableQuery:
        sort, order = query.get("sort", "rate"), query.get("order", "asc")
        stype = query.get("type", "")
        return cls(sort if sort in SORTS else "rate", order if order in ("asc", "desc") else "asc",
                   stype if stype in school_types() else "", query.get("q", "").strip()[:50],
                   query.get("page", "")[:12])

    def kwargs(self) -> dict:
        return {"sort": self.sort, "order": self.order, "type": self.type or None,
                "q": self.q or None}

    def query(self, **changes) -> str:
        values = {k: v for k, v in vars(replace(self, **changes)).items() if v}
        return urlencode(values)

    def sort_query(self, column: str) -> str:
        """Sorting by a column; a second click on the sorted column reverses the order, and
        starts again from the first page (the rows of page 3 are others once re-sorted)."""
        order = ("desc" if self.order == "asc" else "asc") if column == self.sort else "asc"
        return self.query(sort=column, order=order, page="")

    def arrow(self, column: str) -> str:
        if column != self.sort:
            return ""
        return "▲" if self.order == "asc" else "▼"


COLUMNS = (("code", _("学校标识码")), ("name", _("学校名称")), ("type", _("办学类型")),
           ("classes", _("班级数")), ("students", _("学生数")), ("rate", _("达标率")),
           ("completeness", _("数据完整度")), ("gaps", lazy_label(v.STATUS, "gap")),
           ("violations", lazy_label(v.STATUS, "violation")), ("unknown", lazy_label(v.STATUS, "unknown")))


NUMERIC = {"classes", "students", "rate", "completeness", "gaps", "violations", "unknown"}


def _headers(table: TableQuery) -> list[dict]:
    return [{"key": key, "label": str(label), "sortable": key in SORTS, "numeric": key in NUMERIC,
             "query": table.sort_query(key), "arrow": table.arrow(key),
             "sort": ("ascending" if table.order == "asc" else "descending")
             if key == table.sort else "none"} for key, label in COLUMNS]


def type_choices(district: District, user, lang: str) -> list[tuple[str, str]]:
    """The school types present among the district's visible schools, for the filter."""
    codes = sorted(visible_schools(user).filter(district=district).order_by()
                   .values_list("school_type", flat=True).distinct())
    return [(c, f"{c} {code_name(school_types(), c, lang)}") for c in codes]


# rows of the district's school table a page: 1,735 schools in one page were 796 KB of HTML
SCHOOLS_PER_PAGE = 50


def page_of(rows: list, table: TableQuery):
    """The table's page as asked; text or a page past the end gives the first or the last page
    (Paginator.get_page), never an error."""
    return Paginator(rows, SCHOOLS_PER_PAGE).get_page(table.page or 1)


def page_links(page, table: TableQuery) -> list[dict]:
    """The pager's links: the first and last pages, two either side of this one, gaps as …;
    each keeps the sort and the filters."""
    if not page.has_other_pages():
        return []
    return [{"number": n, "current": n == page.number,
             "query": None if n == page.paginator.ELLIPSIS else _page_query(table, n)}
            for n in page.paginator.get_elided_page_range(page.number, on_each_side=2,
                                                          on_ends=1)]


def _page_query(table: TableQuery, number: int) -> str:
    return table.query(page=str(number) if number > 1 else "")  # page 1 is the bare address


def district_context(overview: dict, table: TableQuery, lang: str) -> dict:
    d = overview["district"]
    page = page_of(overview["schools"], table)
    # the totals, the charts and the count are over all schools; only the page's rows are shaped
    schools = [s | {"type_label": code_name(school_types(), s["type"], lang),
                    "links": {k: result_list(school=s["code"], status=st) for k, st in
                              (("gaps", "gap"), ("violations", "violation"),
                               ("unknown", "unknown"))}} for s in page.object_list]
    bins = overview["distribution"]
    run = overview.get("run") or {}
    return {
        "district": d | {"label": _district_name(d["code"], d["name"], lang),
                         "links": figure_links(d["code"])},
        "schools": schools, "table": table, "headers": _headers(table),
        "page": page, "page_links": page_links(page, table),
        "previous_query": _page_query(table, page.previous_page_number())
        if page.has_previous() else None,
        "next_query": _page_query(table, page.next_page_number()) if page.has_next() else None,
        # the school table is cached per district, the runs that judged it and the query
        # (web/templates)
        "table_version": overview.get("version", run.get("id", 0)), "school_base": _base("web:school"),
        "common_gaps": _requirements(overview["common_gaps"], lang, d["code"]),
        "run": overview.get("run"),
        **equity_context(overview.get("equity", []), lang),
        "distribution_chart": {
            "labels": [b["label"] if b["label"] != "未评估" else str(_("未评估")) for b in bins],
            "counts": [b["count"] for b in bins], "name": str(_("学校数")),
            "urls": [_band_link(b["label"], d["code"]) for b in bins]},
    }



def _band_link(label: str, district: str) -> str:
    """A histogram band (「50–60%」, 「未评估」) → the district's schools in it."""
    if label == "未评估":
        return school_list(district=district, status="unassessed")
    lo, hi = label.rstrip("%").split("–")
    return school_list(district=district, rate_from=lo, rate_to=hi if hi != "100" else "")


def readiness_context(result, lang: str) -> dict:
    """The readiness page: one table per 学段, rows in item order, labels in the page language."""
    std = result.catalog.standard
    code = lang_code(lang)
    by_stage: dict[str, list[dict]] = {}
    for r in result.rows:
        by_stage.setdefault(r["stage"], []).append(
            r | {"label": r["title"] if code == "zh" else r["title_en"]})
    areas = {a.key: a.name.get(code) for a in std.areas}
    return {"standard": std, "standard_key": std.key, "version": result.catalog.version,
            "district": {"code": result.district,
                         "label": _district_name(result.district, code_name(
                             districts(), result.district, "zh"), lang)},
            "school_count": result.schools,
            "stages": [(v.label(v.STAGE, st, lang), rows)
                       for st, rows in by_stage.items()],
            "overall": [o | {"area_label": areas.get(o["area"], o["area"])}
                        for o in result.overall]}
