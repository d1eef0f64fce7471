"""Lists of schools and of current results, filtered by the one FilterSet of each
(usecases.filters), inside the actor's scope; their export exactly as filtered; the header's
search; and each user's saved views.

The web pages, the REST list operations and the downloads all call `listing(...)`, so the rows a
page shows, the API returns and a workbook holds are the same rows in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters as df
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from campusplan.accounts import audit
from campusplan.accounts.audit import Actor
from campusplan.accounts.choices import Level
from campusplan.accounts.models import SavedView
from campusplan.accounts.scope import profile_of
from campusplan.assessments.models import ResultRow
from campusplan.assessments.selectors import current_rows
from campusplan.catalog import load_catalog
from campusplan.catalog import vocabulary as v
from campusplan.catalog.codes import districts, school_types
from campusplan.reports.list_export import write_list_csv, write_list_xlsx
from campusplan.schools.models import School
from campusplan.usecases import scoping
from campusplan.usecases.filters import ResultFilter, SchoolFilter, annotated_schools
from campusplan.usecases.reports import XLSX

KINDS = ("schools", "results")
PAGE_PARAMS = ("per_page",)  # kept with a saved view; not a filter
MAX_EXPORT_ROWS = 100_000
SEARCH_LIMIT = 20
CSV = "text/csv; charset=utf-8"


class InvalidFilter(ValueError):
    """The query does not parse: `errors` maps each parameter to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(m)}" for k, m in errors.items()))
        self.errors = errors


class TooLarge(ValueError):
    def __init__(self, rows: int):
        super().__init__(f"{rows} rows > {MAX_EXPORT_ROWS}")
        self.rows = rows


@dataclass(frozen=True)
class Column:
    """One column of a list: its ordering name (None: not sortable by itself), its label and
    how a row shows it. The web table and the export are built from the same columns."""

    key: str
    label: str
    value: Callable
    order: str | None = None
    percent: bool = False
    numeric: bool = False


@dataclass(frozen=True)
class Listing:
    kind: str
    filters: df.FilterSet
    rows: QuerySet

    @property
    def query(self) -> str:
        """The query string of the filters that are set (a saved view stores it)."""
        return clean_query(self.kind, self.filters.data)


def _query_dict(params: Mapping | QueryDict | None) -> QueryDict:
    if isinstance(params, QueryDict):
        return params
    out = QueryDict(mutable=True)
    for key, value in (params or {}).items():
        if value is None or value == "":
            continue
        out.setlist(key, [str(x) for x in value] if isinstance(value, list | tuple)
                    else [str(value)])
    return out


FILTERSETS = {"schools": SchoolFilter, "results": ResultFilter}
DEFAULT_ORDER = {"schools": ("code", "pk"), "results": ("school__code", "item",
                                                        "requirement_id", "pk")}


def _base_rows(actor: Actor, kind: str) -> QuerySet:
    schools = scoping.schools_of(actor)
    if kind == "schools":
        return annotated_schools(schools)
    return current_rows(schools=schools.values("pk")).select_related("school__district")


def page_rows(listing: Listing, start: int, size: int) -> list:
    """One page of a listing's rows, in two steps: the ids of the page in the list's order
    (for a district's results an index-only sort of ~8,000 ids on SQLite), then those rows by
    id with what the columns read — instead of sorting every matching row with all its
    columns to keep 50. The ids come from the scoped, filtered rows."""
    ids = list(listing.rows.values_list("pk", flat=True)[start:start + size])
    if listing.kind == "schools":
        rows = annotated_schools(School.objects.select_related("district").filter(pk__in=ids))
    else:
        rows = ResultRow.objects.select_related("school__district").filter(pk__in=ids)
    found = {row.pk: row for row in rows}
    return [found[pk] for pk in ids if pk in found]


def listing(*, actor: Actor, kind: str, params: Mapping | QueryDict | None = None) -> Listing:
    """The actor's rows of `kind` ("schools" or "results"), filtered and ordered by `params`."""
    if kind not in KINDS:
        raise InvalidFilter({"kind": [kind]})
    return filtered(kind=kind, rows=_base_rows(actor, kind), params=params)


def filtered(*, kind: str, rows: QuerySet, params: Mapping | QueryDict | None) -> Listing:
    """Rows already in a scope (e.g. one run's results the caller sees) through the list's
    FilterSet; InvalidFilter names each parameter that does not parse."""
    filters = FILTERSETS[kind](_query_dict(params), queryset=rows)
    if not filters.is_valid():
        raise InvalidFilter({k: [str(m) for m in ms] for k, ms in filters.errors.items()})
    rows = filters.qs
    if not filters.form.cleaned_data.get("ordering"):
        rows = rows.order_by(*DEFAULT_ORDER[kind])
    return Listing(kind, filters, rows)


def refused(*, actor: Actor, kind: str, params: QueryDict) -> Listing:
    """The list of a query that did not parse: its form (with the errors) and no rows."""
    rows = _base_rows(actor, kind).none()
    filters = FILTERSETS[kind](_query_dict(params), queryset=rows)
    filters.is_valid()
    return Listing(kind, filters, rows)


def clean_query(kind: str, data: Mapping) -> str:
    """Only the list's own parameters, non-empty, in a stable order."""
    names = [*FILTERSETS[kind].base_filters, *PAGE_PARAMS]
    pairs = []
    for name in names:
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        pairs += [(name, x) for x in values if x not in (None, "")]
    return urlencode(pairs)


# --- columns ---------------------------------------------------------------------------------


def _lang_zh(lang: str) -> bool:
    return lang.startswith("zh")


def _district_label(code: str, name: str, lang: str) -> str:
    return name if _lang_zh(lang) else districts().get(code, {}).get("en", name)


def district_label(district, lang: str) -> str:
    return _district_label(district.code, district.name, lang)


def _type_label(code: str, lang: str) -> str:
    t = school_types().get(code, {})
    return t.get("zh" if _lang_zh(lang) else "en", t.get("zh", code))


def school_columns(lang: str) -> list[Column]:
    ratios = [(r.key, r.label.get(lang)) for r in load_catalog().standard.indicators.ratios]
    cols = [
        Column("code", _("学校标识码"), lambda s: s.code, "code"),
        Column("name", _("学校名称"), lambda s: s.name, "name"),
        Column("district", _("区"),
               lambda s: _district_label(s.district.code, s.district.name, lang), "district"),
        Column("type", _("办学类型"), lambda s: f"{s.school_type} {_type_label(s.school_type, lang)}",
               "type"),
        Column("classes", _("班级数"), lambda s: s.classes, "classes", numeric=True),
        Column("students", _("学生数"), lambda s: s.students, "students", numeric=True),
        Column("rate", _("达标率"), lambda s: s.rate, "rate", percent=True, numeric=True),
        Column("completeness", _("数据完整度"), lambda s: s.completeness, "completeness",
               percent=True, numeric=True),
        Column("gaps", v.label(v.STATUS, "gap", lang), lambda s: s.gaps, "gaps", numeric=True),
        Column("violations", v.label(v.STATUS, "violation", lang), lambda s: s.violations,
               "violations", numeric=True),
        Column("unknown", v.label(v.STATUS, "unknown", lang), lambda s: s.unknown, "unknown",
               numeric=True),
    ]
    for key, label in ratios:
        if key in FILTER_RATIOS:
            cols.append(Column(key, label, _getter(key), key, numeric=True))
    return cols


FILTER_RATIOS = set(SchoolFilter.base_filters["ordering"].param_map)


def _getter(key: str) -> Callable:
    return lambda row: None if getattr(row, key) is None else round(getattr(row, key), 2)


def result_columns(lang: str) -> list[Column]:
    texts = {r.id: r.text for _a, _i, r in load_catalog().standard.requirements()}
    return [
        Column("school", _("学校标识码"), lambda r: r.school.code, "school"),
        Column("name", _("学校名称"), lambda r: r.school.name, "name"),
        Column("district", _("区"), lambda r: _district_label(
            r.school.district.code, r.school.district.name, lang), "district"),
        Column("item", _("配置项"), lambda r: r.item, "item", numeric=True),
        Column("requirement_id", _("要求编号"), lambda r: r.requirement_id, "requirement_id"),
        Column("requirement", _("配置要求"), lambda r: texts.get(r.requirement_id, "")),
        Column("level", _("级别"), lambda r: v.label(v.LEVEL, r.level, lang), "level"),
        Column("status", _("状态"), lambda r: v.label(v.STATUS, r.status, lang), "status"),
        Column("actual", _("实际值"), lambda r: r.actual, "actual", numeric=True),
        Column("required", _("要求值"), lambda r: r.required, "required", numeric=True),
        Column("shortfall", _("差额"), lambda r: r.shortfall, "shortfall", numeric=True),
    ]


def columns(kind: str, lang: str) -> list[Column]:
    return school_columns(lang) if kind == "schools" else result_columns(lang)


# --- export ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    content_type: str
    rows: int


def _title(kind: str) -> str:
    return _("学校列表") if kind == "schools" else _("评估结果列表")


def scope_label(actor: Actor, lang: str) -> str:
    p = profile_of(actor.user) if actor.user is not None else None
    if p is None or p.level == Level.CITY:
        return _("全市")
    if p.level == Level.DISTRICT:
        return _district_label(p.district.code, p.district.name, lang)
    return f"{p.school.code} {p.school.name}"


def _pair(label, value) -> str:
    """「label：value」 in Chinese, "label: value" in English."""
    zh = (get_language() or "zh").startswith("zh")
    return f"{label}：{value}" if zh else f"{label}: {value}"


def filter_lines(listing: Listing) -> list[str]:
    """Each filter that is set, as 「label：value」 (choices by their label)."""
    form = listing.filters.form
    out = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        if name == "ordering":
            value = ", ".join(value)
        elif getattr(field, "choices", None):
            labels = {str(k): str(lab) for k, lab in field.choices}
            value = labels.get(str(value), value)
        out.append(_pair(field.label, value))
    return out


def export(*, actor: Actor, kind: str, params: Mapping | QueryDict | None, fmt: str,
           lang: str) -> Export:
    """The whole list as filtered (every page), with the filter in the header rows."""
    found = listing(actor=actor, kind=kind, params=params)
    count = found.rows.count()
    if count > MAX_EXPORT_ROWS:
        raise TooLarge(count)
    cols = columns(kind, lang)
    rows = [[c.value(r) for c in cols] for r in found.rows.iterator(chunk_size=2000)]
    now = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    heading = [_title(kind), _pair(_("范围"), scope_label(actor, lang)),
               *(filter_lines(found) or [_pair(_("筛选条件"), _("无"))]),
               _pair(_("导出时间"), f"{now} (Asia/Shanghai)"), _pair(_("行数"), len(rows))]
    header = [c.label for c in cols]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        return Export(write_list_csv(heading, header, rows), f"{kind}-{stamp}.csv", CSV,
                      len(rows))
    pct = [j for j, c in enumerate(cols) if c.percent]
    return Export(write_list_xlsx(heading, header, rows, lang, pct), f"{kind}-{stamp}.xlsx",
                  XLSX, len(rows))


# --- the header's search ---------------------------------------------------------------------


def search(*, actor: Actor, q: str, limit: int = SEARCH_LIMIT) -> tuple[list[School], int]:
    """Schools of the actor's scope whose name or code contains `q` (codes first)."""
    q = q.strip()[:50]
    if not q:
        return [], 0
    rows = scoping.schools_of(actor).filter(Q(name__contains=q) | Q(code__contains=q))
    return list(rows.order_by("code")[:limit]), rows.count()


# --- saved views -----------------------------------------------------------------------------


def saved_views(*, actor: Actor, kind: str | None = None) -> QuerySet[SavedView]:
    rows = SavedView.objects.filter(user=actor.user)
    return rows.filter(kind=kind) if kind else rows


def save_view(*, actor: Actor, kind: str, name: str, query: str) -> SavedView:
    """Keep the list's filters under a name (the same name again replaces it)."""
    name = name.strip()[:80]
    if not name or kind not in KINDS or actor.user is None:
        raise InvalidFilter({"name": [_("请填写视图名称")]})
    query = clean_query(kind, QueryDict(query))
    listing(actor=actor, kind=kind, params=QueryDict(query))  # refuses a query that fails
    with audit.acting_as(actor):
        view, _created = SavedView.objects.update_or_create(
            user=actor.user, kind=kind, name=name, defaults={"query": query})
        audit.record(object_type="saved_view", object_key=f"{kind}/{name}", field="query",
                     after=query)
    return view


def delete_view(*, actor: Actor, pk: int) -> None:
    view = saved_views(actor=actor).filter(pk=pk).first()
    if view is None:
        raise SavedView.DoesNotExist
    with audit.acting_as(actor):
        audit.record(object_type="saved_view", object_key=f"{view.kind}/{view.name}",
                     field="query", before=view.query)
        view.delete()
