"""Reports built from stored schools for download: the school's Word report, the district and
city workbooks. As `campusplan report` does from files: stored schools → engine input → run →
plan and phase (default prices, the CLI's default budget) → a builder of campusplan.reports.

The caller passes schools already filtered by the user's scope; nothing here widens it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from campusplan.catalog.loader import Catalog
from campusplan.engine.assessment import run
from campusplan.planning.phasing import Budget
from campusplan.planning.prices import default_prices
from campusplan.reports.content import Planned, make_planned
from campusplan.schools.selectors import schools_as_inputs

BUDGET = Budget(per_year=1_000_000, years=3, per="school")  # the CLI's defaults
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def planned(schools, catalog: Catalog, lang: str) -> Planned:
    day = dt.date.today()
    inputs = schools_as_inputs(schools=schools, catalog=catalog)
    return make_planned(run(catalog, inputs, day), default_prices(), BUDGET, lang, day)


def attachment(build: Callable[[io.BytesIO], None], filename: str,
               content_type: str) -> HttpResponse:
    """Build into memory, then answer with the file (never half a file on an error)."""
    buf = io.BytesIO()
    build(buf)
    response = HttpResponse(buf.getvalue(), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def school_docx(school, catalog: Catalog, lang: str) -> HttpResponse:
    from campusplan.reports.school_docx import write_school_docx

    p = planned([school], catalog, lang)
    return attachment(lambda buf: write_school_docx(p, school.code, buf),
                      f"{school.code}-report.docx", DOCX)


def district_xlsx(district, schools, catalog: Catalog, lang: str) -> HttpResponse:
    from campusplan.reports.district_xlsx import write_district_xlsx

    p = planned(schools, catalog, lang)
    return attachment(lambda buf: write_district_xlsx(p, buf), f"{district.code}-district.xlsx",
                      XLSX)


def city_xlsx(schools, catalog: Catalog, lang: str) -> HttpResponse:
    from campusplan.reports.city_xlsx import write_city_xlsx

    p = planned(schools, catalog, lang)
    return attachment(lambda buf: write_city_xlsx(p, buf), "city.xlsx", XLSX)
