"""Reports of stored schools, from their stored run: the school's Word report, the district and
the city workbooks. Each names the run it reads; each is built in memory first, so a failure
never leaves half a file."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from campusplan.accounts import audit
from campusplan.accounts.audit import Actor
from campusplan.catalog import vocabulary as v
from campusplan.i18n import local_time
from campusplan.planning.phasing import Budget
from campusplan.reports.city_xlsx import write_city_xlsx
from campusplan.reports.content import Planned
from campusplan.reports.district_xlsx import write_district_xlsx
from campusplan.reports.plan_docx import write_plan_docx
from campusplan.reports.readiness_export import (
    ReadinessSheet,
    write_readiness_docx,
    write_readiness_xlsx,
)
from campusplan.reports.school_docx import Attachments, write_school_docx
from campusplan.schools.models import District, School
from campusplan.schools.tailoring import valid_deviations
from campusplan.usecases import evidence, standards
from campusplan.usecases.plans import DEFAULT_BUDGET, PlanScope, planned

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Report:
    content: bytes
    filename: str
    content_type: str
    planned: Planned | None  # None: judged on demand (readiness), no stored run read

    @property
    def run(self) -> int | None:
        return self.planned.run if self.planned else None


def _build(write: Callable[[io.BytesIO], None]) -> bytes:
    buf = io.BytesIO()
    write(buf)
    return buf.getvalue()


def _audited(actor: Actor, report: Report, schools: int, note: str | None = None) -> Report:
    """A report leaving the system is a security event (who downloaded what, from where)."""
    note = note or f"run {report.run or '-'}"
    with audit.acting_as(actor):
        audit.event("download", subject=report.filename, note=f"{schools} schools, {note}")
    return report


def school_report(*, actor: Actor, school: School, lang: str = "zh",
                  budget: Budget = DEFAULT_BUDGET) -> Report:
    p = planned(actor=actor, schools=[school], budget=budget, lang=lang)
    extra = _attachments(school, lang)
    content = _build(lambda buf: write_school_docx(p, school.code, buf, extra))
    return _audited(actor, Report(content, f"{school.code}-report.docx", DOCX, p), 1)


def _attachments(school: School, lang: str) -> Attachments:
    """The school's evidence files and the approvals valid today, for the Word report."""
    files = [(e.requirement_id, v.label(v.EVIDENCE_KIND, e.kind, lang), e.file_name, e.size,
              local_time(e.uploaded_at)) for e in evidence.listed([school])]
    approvals = [(v.label(v.DEVIATION_KIND, d.kind, lang), d.requirement_id, d.approver,
                  d.expires_on.isoformat())
                 for d in valid_deviations([school], timezone.localdate())]
    return Attachments(files, approvals)


def district_report(*, actor: Actor, district: District, schools: list[School],
                    lang: str = "zh", budget: Budget = DEFAULT_BUDGET) -> Report:
    p = planned(actor=actor, schools=schools, budget=budget, lang=lang)
    return _audited(actor, Report(_build(lambda buf: write_district_xlsx(p, buf)),
                                  f"{district.code}-district.xlsx", XLSX, p), len(schools))


def city_report(*, actor: Actor, schools: list[School], lang: str = "zh",
                budget: Budget = DEFAULT_BUDGET) -> Report:
    p = planned(actor=actor, schools=schools, budget=budget, lang=lang)
    return _audited(actor, Report(_build(lambda buf: write_city_xlsx(p, buf)), "city.xlsx",
                                  XLSX, p), len(schools))


def plan_export(*, actor: Actor, scope: PlanScope, budget: Budget, fmt: str,
                lang: str = "zh") -> Report:
    """The plan page's plan (same schools, budget and price lists) as a workbook or a Word
    document: exactly what the page shows."""
    p = planned(actor=actor, schools=scope.schools, budget=budget, lang=lang)
    name = scope.code or "city"
    if fmt == "docx":
        title = scope.school.name if scope.school else (
            scope.district.name if scope.district else ("全市" if lang.startswith("zh")
                                                         else "City"))
        return _audited(actor, Report(_build(lambda buf: write_plan_docx(p, title, buf)),
                                      f"{name}-plan.docx", DOCX, p), len(scope.schools))
    write = write_city_xlsx if scope.kind == "city" else write_district_xlsx
    return _audited(actor, Report(_build(lambda buf: write(p, buf)), f"{name}-plan.xlsx", XLSX,
                                  p), len(scope.schools))


READINESS_FORMATS = {"xlsx": (write_readiness_xlsx, XLSX), "docx": (write_readiness_docx, DOCX)}


def readiness_export(*, actor: Actor, code: str, standard: str, fmt: str,
                     lang: str = "zh") -> Report:
    """The readiness page of a district against an active standard, as a workbook or a Word
    document: the same rows (standards.district_readiness: its scope, 403 for a school
    account, 404 outside it or for a standard not active), dated today in Asia/Shanghai."""
    write, content_type = READINESS_FORMATS[fmt]
    r = standards.district_readiness(actor=actor, code=code, standard=standard)
    sheet = ReadinessSheet(r.catalog, r.district, r.schools, r.rows, r.overall, lang,
                           timezone.localdate())
    name = f"{code}-readiness-{r.catalog.standard.key}.{fmt}"
    return _audited(actor, Report(_build(lambda buf: write(sheet, buf)), name, content_type,
                                  None), r.schools, f"standard {r.catalog.version}")
