"""A priced, phased plan of stored schools, made from their stored run (never a new engine pass
dated today), so the plan, the reports and the dashboards read the same judgement."""

from __future__ import annotations

from campusplan.accounts.audit import Actor
from campusplan.assessments.selectors import stored_assessment
from campusplan.catalog.loader import load_catalog
from campusplan.planning.phasing import Budget
from campusplan.planning.prices import PriceCatalog, default_prices
from campusplan.reports.content import Planned, make_planned
from campusplan.schools.models import School
from campusplan.usecases import runs

DEFAULT_BUDGET = Budget(per_year=1_000_000, years=3, per="school")  # the CLI's defaults


def planned(*, actor: Actor, schools: list[School], budget: Budget = DEFAULT_BUDGET,
            prices: PriceCatalog | None = None, lang: str = "zh") -> Planned:
    """The plan of the schools' current run. Schools never assessed are assessed first (an
    audited run of the actor), so every school has a judgement to plan from."""
    catalog = load_catalog()
    assessment, info = stored_assessment(schools=schools, catalog=catalog)
    judged = set(assessment.frames.schools.get_column("school_id").to_list())
    unjudged = [s for s in schools if s.code not in judged]
    if unjudged:
        runs.assess(actor=actor, schools=unjudged, catalog=catalog)
        assessment, info = stored_assessment(schools=schools, catalog=catalog)
    return make_planned(assessment, prices or default_prices(), budget, lang,
                        info.as_of if info else None, info.id if info else None)
