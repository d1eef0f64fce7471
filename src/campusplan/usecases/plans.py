"""A priced, phased plan of stored schools, made from their stored run (never a new engine pass
dated today), so the plan, the reports and the dashboards read the same judgement.

Each school is priced by its district's list (协议供货价, usecases.prices) over the city's
default. The priced lines are kept per (current runs, price lists, language): a new budget only
re-phases them, which is what makes re-planning a district on the page take milliseconds.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from django.http import Http404

from campusplan.accounts.audit import Actor
from campusplan.accounts.choices import Level
from campusplan.accounts.scope import profile_of
from campusplan.assessments.selectors import current_scores, stored_assessment
from campusplan.catalog.loader import load_catalog
from campusplan.planning.phasing import Budget
from campusplan.planning.plan import plan_lines
from campusplan.planning.prices import PriceCatalog, default_prices
from campusplan.projects import selectors as price_selectors
from campusplan.reports.content import Planned, make_planned
from campusplan.schools.models import District, School
from campusplan.usecases import runs, scoping

DEFAULT_BUDGET = Budget(per_year=1_000_000, years=3, per="school")  # the CLI's defaults
_LINES: OrderedDict[tuple, tuple] = OrderedDict()  # key → (assessment, info, prices, book, lines)
_KEEP = 16


class BudgetInvalid(ValueError):
    """A budget the plan cannot use; the message is bilingual (zh / en)."""


def budget_of(*, amount: float, years: int, basis: str = "year", per: str = "school") -> Budget:
    """The budget as people give it: per year or a total over the years; per school or pooled."""
    if not (amount >= 0 and amount <= 1e12):
        raise BudgetInvalid("预算需为 0–1,000,000,000,000 元 / the budget must be 0–1e12 RMB")
    if not 1 <= years <= 20:
        raise BudgetInvalid("规划年数需为 1–20 / years must be 1–20")
    if basis not in ("year", "total") or per not in ("school", "all"):
        raise BudgetInvalid("预算口径无效 / unknown budget basis")
    return Budget(amount / years if basis == "total" else amount, years, per)


def _key(schools: list[School], lang: str, catalog) -> tuple:
    # the run's time too: a run id alone can come back after a rolled-back transaction
    runs_of = tuple(sorted(current_scores(schools=schools)
                           .values_list("school__code", "run_id", "run__created_at")))
    districts = {s.district_id for s in schools}
    return (catalog.checksum, lang, tuple(sorted(s.code for s in schools)), runs_of,
            price_selectors.price_stamp(district_ids=districts), default_prices().version)


def _priced(schools: list[School], lang: str, catalog):
    key = _key(schools, lang, catalog)
    if key in _LINES:
        _LINES.move_to_end(key)
        return _LINES[key]
    assessment, info = stored_assessment(schools=schools, catalog=catalog)
    districts = list(District.objects.filter(pk__in={s.district_id for s in schools}))
    book = price_selectors.price_book(districts=districts, default=default_prices())
    prices = book.for_district(districts[0].code) if len(districts) == 1 else book.default
    as_of = info.as_of if info else None
    lines = plan_lines(assessment, prices, lang, as_of, book)
    _LINES[key] = (assessment, info, prices, book, lines)
    while len(_LINES) > _KEEP:
        _LINES.popitem(last=False)
    return _LINES[key]


def planned(*, actor: Actor, schools: list[School], budget: Budget = DEFAULT_BUDGET,
            prices: PriceCatalog | None = None, lang: str = "zh") -> Planned:
    """The plan of the schools' current run. Schools never assessed are assessed first (an
    audited run of the actor), so every school has a judgement to plan from. `prices` replaces
    the districts' lists (a file given to the CLI)."""
    catalog = load_catalog()
    assessment, info = None, None
    judged = set(current_scores(schools=schools)
                 .values_list("school__code", flat=True))
    unjudged = [s for s in schools if s.code not in judged]
    if unjudged:
        runs.assess(actor=actor, schools=unjudged, catalog=catalog)
    if prices is not None:
        assessment, info = stored_assessment(schools=schools, catalog=catalog)
        return make_planned(assessment, prices, budget, lang, info.as_of if info else None,
                            info.id if info else None)
    assessment, info, district_prices, _book, lines = _priced(schools, lang, catalog)
    return make_planned(assessment, district_prices, budget, lang, info.as_of if info else None,
                        info.id if info else None, lines=lines)


@dataclass(frozen=True)
class PlanScope:
    kind: str  # school | district | city
    code: str
    schools: list[School]
    district: District | None = None
    school: School | None = None


def plan_scope(*, actor: Actor, kind: str, code: str = "") -> PlanScope:
    """The schools a plan page covers, resolved in the actor's scope (404 outside it)."""
    if kind == "school":
        school = scoping.school(actor, code)
        return PlanScope(kind, code, [school], school.district, school)
    if kind == "district":
        district = scoping.whole_district(actor, code)
        return PlanScope(kind, code, scoping.district_schools(actor, code), district)
    schools = list(scoping.schools_of(actor).order_by("code"))
    profile = profile_of(actor.user)
    if not scoping.is_operator(actor) and (profile is None or profile.level != Level.CITY):
        raise Http404
    return PlanScope("city", "", schools)
