"""The school page as rows: profile, score, results by item (gaps first), history of runs.

Reads stored results (the `current` rows and scores of the school's latest run) and the catalog
for the texts; nothing here writes. Labels go through gettext; the standard's own bilingual texts
are picked with `Text.get(lang)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from campusplan.assessments import selectors
from campusplan.assessments.models import ResultRow, SchoolScore
from campusplan.catalog import vocabulary as v
from campusplan.catalog.codes import districts, school_types
from campusplan.catalog.loader import Catalog
from campusplan.catalog.schema import Area, Item, Requirement
from campusplan.i18n import lazy_label
from campusplan.schools.models import STAGE_COLUMNS, STAGES, School
from campusplan.web.presenters import LEVEL_LABELS, STAGE_LABELS, param_keys

if TYPE_CHECKING:
    from campusplan.engine.assessment import Assessment

STATUS_LABELS = {key: lazy_label(v.STATUS, key) for key in v.STATUS}
PROBLEMS = "problems"  # the filter value for 未达标 + 违规
ATTENTION = "attention"  # 违规 + 未达标 + 未知: the default view
ALL = "all"
GROUPS = {PROBLEMS: {"gap", "violation"}, ATTENTION: {"gap", "violation", "unknown"}}


def lang_code(lang: str) -> str:
    return "zh" if lang.startswith("zh") else "en"


def code_name(table: dict[str, dict], code: str, lang: str) -> str:
    entry = table.get(code or "")
    return entry[lang_code(lang)] if entry else (code or "—")


# --- profile ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageRow:
    label: str
    classes: int | None
    students: int | None
    max_class_size: int | None


@dataclass(frozen=True)
class Profile:
    school: School
    type_name: str
    district_name: str
    stages: list[StageRow]
    smart_phase: str

    @property
    def students(self) -> int:
        return sum(s.students or 0 for s in self.stages)

    @property
    def classes(self) -> int:
        return sum(s.classes or 0 for s in self.stages)


def profile(school: School, lang: str) -> Profile:
    stages = [StageRow(str(STAGE_LABELS[st]), *(getattr(school, STAGE_COLUMNS[st, k])
                                                for k in ("classes", "students", "max_class_size")))
              for st in STAGES if any(getattr(school, STAGE_COLUMNS[st, k]) is not None
                                      for k in ("classes", "students"))]
    phase = v.label(v.SMART_PHASE, school.smart_phase or "none", lang)
    return Profile(school, code_name(school_types(), school.school_type, lang),
                   code_name(districts(), school.district.code, lang), stages, phase)


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spot:
    """Where a requirement sits in the standard."""

    area: Area
    item: Item | None
    req: Requirement


_INDEXES: dict[str, dict[str, Spot]] = {}


def requirement_index(catalog: Catalog) -> dict[str, Spot]:
    """Requirement id → where it sits, in the standard's order (built once per catalog)."""
    if catalog.checksum not in _INDEXES:
        _INDEXES[catalog.checksum] = {r.id: Spot(a, i, r)
                                      for a, i, r in catalog.standard.requirements()}
    return _INDEXES[catalog.checksum]


@dataclass(frozen=True)
class ResultView:
    row: ResultRow
    spot: Spot | None
    lang: str
    explanation: str = ""  # rendered from the row's numbers, in the reader's language
    # the parameters it was judged with: "录像存储时间下限 45天（区）" — which level set each
    params: str = ""
    waived_until: str = ""  # an approved waiver set it aside, valid through this date

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.row.status, self.row.status))

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS.get(self.row.level, self.row.level))

    @property
    def item_label(self) -> str:
        if self.spot is None:
            return ""
        if self.spot.item is not None:
            return f"{self.spot.item.number} {self.spot.item.title_in(self.lang)}"
        source = self.spot.req.source
        return str(_("正文 %(section)s") % {"section": source.section}) if source else ""

    @property
    def marker(self) -> str:
        return (self.spot.req.marker if self.spot else "") or ""

    @property
    def text(self) -> str:
        return self.spot.req.text if self.spot else self.row.requirement_id

    @property
    def remedy(self) -> str:
        remedy = self.spot.req.remedy if self.spot else None
        return remedy.action.get(self.lang) if remedy else ""

    @property
    def area_key(self) -> str:
        return self.spot.area.key if self.spot else ""


@dataclass(frozen=True)
class ResultFilters:
    """The results table's filters from the query string; unknown values are ignored."""

    status: str = ATTENTION
    area: str = ""

    @classmethod
    def from_query(cls, query: QueryDict, catalog: Catalog) -> ResultFilters:
        status, area = query.get("status", ATTENTION), query.get("area", "")
        statuses = {*STATUS_LABELS, *GROUPS, ALL}
        areas = {a.key for a in catalog.standard.areas}
        return cls(status if status in statuses else ATTENTION, area if area in areas else "")

    def keeps(self, view: ResultView) -> bool:
        if self.area and view.area_key != self.area:
            return False
        if self.status == ALL:
            return True
        return view.row.status in GROUPS.get(self.status, {self.status})


class SchoolRun:
    """A school's current run as one request reads it: its every row (from the run's file) and
    the Assessment rebuilt from them, each read once. The results table's explanations and the
    rooms' verdicts both need the Assessment (≈ 120 ms each on a cold page here); the file was
    read four times."""

    def __init__(self, school: School, catalog: Catalog):
        self.school, self.catalog = school, catalog

    @cached_property
    def matrix(self):
        return selectors.current_matrix(schools=[self.school])

    @cached_property
    def stored(self) -> tuple[Assessment, selectors.RunInfo | None]:
        return selectors.stored_assessment(schools=[self.school], catalog=self.catalog,
                                           rows=self.matrix)


def current_rows(run: SchoolRun) -> list[ResultRow]:
    """Every current row of the school, met and not applicable too (from its run's file)."""
    return selectors.as_rows(run.matrix)


def explanations(run: SchoolRun, lang: str) -> dict[str, str]:
    """Requirement id → the explanation of the school's current result, in `lang`."""
    assessment, _info = run.stored
    return {r["requirement_id"]: r["explanation"] for r in assessment.explained(lang=lang)}


def explained(assessment: Assessment, school: School, lang: str) -> dict[str, str]:
    """Requirement id → the explanation of the school's result in a run just made, from the
    engine's own judgement (what `explanations` rebuilds from the stored run)."""
    return {r["requirement_id"]: r["explanation"]
            for r in assessment.explained(school_ids=[school.code], lang=lang)}


def results(rows: list[ResultRow], catalog: Catalog, lang: str, filters: ResultFilters,
            explanations: dict[str, str] | None = None) -> list[ResultView]:
    index = requirement_index(catalog)
    order = {rid: n for n, rid in enumerate(index)}
    said = explanations or {}
    runs = selectors.run_parameters(run_ids={r.run_id for r in rows})
    waivers = selectors.waiver_ends(ids={r.waived_by_id for r in rows if r.waived_by_id})
    district_of = dict(School.objects.filter(pk__in={r.school_id for r in rows})
                       .values_list("pk", "district__code"))
    views = [ResultView(r, index.get(r.requirement_id), lang, said.get(r.requirement_id, ""),
                        _judged_with(r, index.get(r.requirement_id),
                                     runs.get(r.run_id, {}).get(district_of[r.school_id], {}),
                                     catalog, lang),
                        waivers.get(r.waived_by_id, "")) for r in rows]
    views = [view for view in views if filters.keeps(view)]
    return sorted(views, key=lambda view: (v.status_rank(view.row.status),
                                           view.row.level != "required",
                                           order.get(view.row.requirement_id, 10_000)))


def _judged_with(row: ResultRow, spot: Spot | None, forced: dict, catalog: Catalog,
                 lang: str) -> str:
    """The parameters the row's requirement reads, each with the level that set its value in
    the row's run (`forced`: the run's tailored values for the school's district)."""
    if spot is None:
        return ""
    params = {p.key: p for p in catalog.standard.parameters}
    out = []
    for key in param_keys(spot.req):
        p = params.get(key)
        if p is None or not isinstance(p.value, int | float):
            continue
        value, level = (forced[key]["value"], forced[key]["level"]) if key in forced else (
            p.value, "standard")
        shown = int(value) if float(value).is_integer() else value
        who = v.label(v.PARAM_LEVEL, level, lang)
        out.append(f"{p.label.get(lang)} {shown}{p.unit_in(lang)}（{who}）"
                   if lang.startswith("zh") else
                   f"{p.label.get(lang)} {shown} {p.unit_in(lang)} ({who})".replace("  ", " "))
    return ("；" if lang.startswith("zh") else "; ").join(out)


def status_choices() -> list[tuple[str, str]]:
    return [(ATTENTION, str(_("需关注（违规、未达标、未知）"))), (ALL, str(_("全部状态"))),
            (PROBLEMS, str(_("未达标与违规"))), *((k, str(v)) for k, v in STATUS_LABELS.items())]


def area_choices(catalog: Catalog, lang: str) -> list[tuple[str, str]]:
    return [(a.key, a.name.get(lang)) for a in catalog.standard.areas]


# --- score and history -----------------------------------------------------------------------


def score(school: School) -> SchoolScore | None:
    return selectors.current_scores(schools=[school]).select_related("run").first()


def history(school: School, limit: int = 20) -> list[SchoolScore]:
    """The school's scores, newest run first; `current` marks the one its pointer names."""
    now = selectors.current_runs(school_ids=[school.pk]).get(school.pk)
    out = list(SchoolScore.objects.filter(school=school).select_related("run")
               .order_by("-run_id")[:limit])
    for h in out:
        h.current = h.run_id == now
    return out
