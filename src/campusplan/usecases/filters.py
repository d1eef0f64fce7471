"""The one definition of every list's filters (django-filter FilterSets).

The web list pages render these FilterSets' forms, the REST list operations pass their query
parameters through them (`/api/v1/schools`, `/api/v1/results`), and the exports are built from
the same filtered rows, so a page, its API call and its download cannot disagree. A filter added
here (e.g. the campaign state of a school's submission, once campaigns exist — see
`CAMPAIGN_STATE` below) is a filter of all three doors; the API's query schema lists the same
names (tests/api/test_list_filters.py holds them equal).

Rates are given in percent: `rate_from=50&rate_to=60` is 50 % ≤ rate < 60 %, the bands of the
district's histogram. Rows without a value (a school never assessed) sort last either way.
"""

from __future__ import annotations

import django_filters as df
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from campusplan.assessments.choices import Level, Status
from campusplan.assessments.matrix import IN_DATABASE
from campusplan.assessments.models import ResultRow, SchoolScore
from campusplan.assessments.selectors import is_current
from campusplan.catalog import load_catalog
from campusplan.catalog import vocabulary as v
from campusplan.catalog.codes import school_types
from campusplan.i18n import active_lang, lazy_label
from campusplan.schools.models import STAGE_COLUMNS, STAGES, School

FAILING = ("gap", "violation")
SCORE_FIELDS = ("rate", "completeness", "gaps", "violations", "unknown",
                *SchoolScore.RATIO_FIELDS)
# the hook for campaigns: a ChoiceFilter named `campaign_state` (draft / submitted / returned /
# approved / confirmed) reading the campaigns app's selector goes into SchoolFilter; the doors,
# the API schema (api/lists.py) and the export's header pick it up from there
CAMPAIGN_STATE = "campaign_state"


def annotated_schools(schools: QuerySet[School]) -> QuerySet[School]:
    """Schools with their current score's figures and their classes and students, as columns
    the filters and the ordering read (one LEFT JOIN on the current score)."""
    totals = {k: sum((Coalesce(F(STAGE_COLUMNS[st, k]), Value(0)) for st in STAGES),
                     start=Value(0)) for k in ("classes", "students")}
    current = Q(scores__run_id=F("current_run__run_id"))  # selectors.is_current, from School
    return schools.annotate(cur=FilteredRelation("scores", condition=current)) \
        .annotate(**{k: F(f"cur__{k}") for k in SCORE_FIELDS}, scored=F("cur__id"), **totals)


# --- choices (built when a form is made, in the active language) ----------------------------


def type_choices() -> list[tuple[str, str]]:
    lang = active_lang()
    return [(c, f"{c} {t['zh'] if lang.startswith('zh') else t.get('en', t['zh'])}")
            for c, t in sorted(school_types().items())]


def requirement_choices() -> list[tuple[str, str]]:
    return [(r.id, f"{r.id} {r.text[:40]}") for _a, _i, r in load_catalog().standard.requirements()]


def item_choices() -> list[tuple[int, str]]:
    lang = active_lang()
    return [(it.number, f"{it.number} {it.title_in(lang)}")
            for it in load_catalog().standard.items()]


def area_choices() -> list[tuple[str, str]]:
    lang = "zh" if active_lang().startswith("zh") else "en"
    return [(a.key, getattr(a.name, lang)) for a in load_catalog().standard.areas]


SCHOOL_STATUS = (("violation", _("有违规")), ("gap", _("有未达标")), ("failing", _("有违规或未达标")),
                 ("met", _("必配全部达标")), ("unknown", _("有未知")), ("unassessed", _("未评估")))
# the result lists hold the rows the database keeps (assessments/matrix.py): what needs attention
RESULT_STATUS = tuple((s.value, s.label) for s in Status if s.value in IN_DATABASE) + (
    ("failing", _("违规或未达标")),)
SMART_PHASES = tuple((k, lazy_label(v.SMART_PHASE, k)) for k in v.SMART_PHASE)


class NullsLastOrdering(df.OrderingFilter):
    """Ordering by a public name (`-name` descending), empty values last, then by id."""

    def filter(self, qs, value):
        if not value:
            return qs
        fields = []
        for name in value:
            desc, bare = name.startswith("-"), name.lstrip("-")
            expr = F(self.param_map[bare])
            fields.append(expr.desc(nulls_last=True) if desc else expr.asc(nulls_last=True))
        return qs.order_by(*fields, "-pk" if value[0].startswith("-") else "pk")


def _percent(label) -> df.NumberFilter:
    return df.NumberFilter(label=label, method="_noop", min_value=0, max_value=100)


class ListFilter(df.FilterSet):
    """Shared: a text search and percent ranges applied in `filter_queryset`."""

    RANGES: dict[str, tuple[str, str]] = {}  # field → (from, to) param names

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.filters.values():  # choices from the catalog, in the request's language
            if callable(f.extra.get("choices")):
                f.extra["choices"] = f.extra["choices"]()

    def _noop(self, qs, _name, _value):
        return qs  # ranges are applied together in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        for field, (lo, hi) in self.RANGES.items():
            if data.get(lo) is not None:
                queryset = queryset.filter(**{f"{field}__gte": data[lo] / 100})
            if data.get(hi) is not None:
                queryset = queryset.filter(**{f"{field}__lt": data[hi] / 100})
        return queryset


SCHOOL_ORDER = {"code": "code", "name": "name", "district": "district__code",
                "type": "school_type", "classes": "classes", "students": "students",
                "rate": "rate", "completeness": "completeness", "gaps": "gaps",
                "violations": "violations", "unknown": "unknown",
                **{k: k for k in SchoolScore.RATIO_FIELDS}, "updated_at": "updated_at"}


class SchoolFilter(ListFilter):
    """Schools (annotated by `annotated_schools`) by what the district officer asks about."""

    q = df.CharFilter(label=_("名称或标识码"), method="_q", max_length=100)
    district = df.CharFilter(label=_("区"), field_name="district__code", max_length=20)
    type = df.ChoiceFilter(label=_("办学类型"), field_name="school_type", choices=type_choices)
    smart_phase = df.ChoiceFilter(label=_("智慧教室应用阶段"), choices=SMART_PHASES,
                                  method="_smart_phase")
    status = df.ChoiceFilter(label=_("状态"), choices=SCHOOL_STATUS, method="_status")
    rate_from = _percent(_("达标率不低于（%）"))
    rate_to = _percent(_("达标率低于（%）"))
    completeness_from = _percent(_("数据完整度不低于（%）"))
    completeness_to = _percent(_("数据完整度低于（%）"))
    failing_requirement = df.ChoiceFilter(label=_("未达标的配置要求"), choices=requirement_choices,
                                          method="_failing_requirement")
    failing_item = df.TypedChoiceFilter(label=_("未达标的配置项（必配）"), choices=item_choices,
                                        coerce=int, method="_failing_item")
    ordering = NullsLastOrdering(label=_("排序"),
                                 fields=tuple((f, p) for p, f in SCHOOL_ORDER.items()))

    RANGES = {"rate": ("rate_from", "rate_to"),
              "completeness": ("completeness_from", "completeness_to")}

    class Meta:
        model = School
        fields: list[str] = []

    def _q(self, qs, _name, value):
        return qs.filter(Q(name__contains=value) | Q(code__contains=value))

    def _smart_phase(self, qs, _name, value):
        return qs.filter(smart_phase="" if value == "none" else value)

    def _status(self, qs, _name, value):
        return qs.filter({
            "violation": Q(violations__gt=0), "gap": Q(gaps__gt=0),
            "failing": Q(violations__gt=0) | Q(gaps__gt=0),
            "met": Q(scored__isnull=False, gaps=0, violations=0),
            "unknown": Q(unknown__gt=0), "unassessed": Q(scored__isnull=True)}[value])

    def _failing(self, qs, **where):
        rows = ResultRow.objects.filter(is_current(), school=OuterRef("pk"),
                                        status__in=FAILING, **where)
        return qs.filter(Exists(rows))

    def _failing_requirement(self, qs, _name, value):
        return self._failing(qs, requirement_id=value)

    def _failing_item(self, qs, _name, value):
        return self._failing(qs, item=value, level=Level.REQUIRED)


RESULT_ORDER = {"school": "school__code", "name": "school__name",
                "district": "school__district__code", "item": "item",
                "requirement_id": "requirement_id", "level": "level", "status": "status",
                "actual": "actual", "required": "required", "shortfall": "shortfall"}


class ResultFilter(ListFilter):
    """Current result rows by item, area, level, status (and school, district, search)."""

    q = df.CharFilter(label=_("学校名称或标识码"), method="_q", max_length=100)
    district = df.CharFilter(label=_("区"), field_name="school__district__code", max_length=20)
    school = df.CharFilter(label=_("学校标识码"), field_name="school__code", max_length=20)
    item = df.NumberFilter(label=_("配置项"), field_name="item", min_value=1, max_value=1000)
    area = df.ChoiceFilter(label=_("领域"), choices=area_choices, method="_area")
    requirement = df.CharFilter(label=_("配置要求"), field_name="requirement_id", max_length=20)
    level = df.ChoiceFilter(label=_("级别"), choices=tuple((x.value, x.label) for x in Level))
    status = df.ChoiceFilter(label=_("状态"), choices=RESULT_STATUS, method="_status")
    ordering = NullsLastOrdering(label=_("排序"),
                                 fields=tuple((f, p) for p, f in RESULT_ORDER.items()))

    class Meta:
        model = ResultRow
        fields: list[str] = []

    def _q(self, qs, _name, value):
        return qs.filter(Q(school__name__contains=value) | Q(school__code__contains=value))

    def _area(self, qs, _name, value):
        ids = [r.id for a, _i, r in load_catalog().standard.requirements() if a.key == value]
        return qs.filter(requirement_id__in=ids)

    def _status(self, qs, _name, value):
        return qs.filter(status__in=FAILING) if value == "failing" else qs.filter(status=value)

