"""Reads of stored runs: the latest result rows of each school, for export and pages."""

from __future__ import annotations

from campusplan.assessments.models import ResultRow


def latest_results(*, schools) -> list[dict]:
    """Rows of the most recent run that judged each school, in the export's column keys."""
    schools = list(schools)
    rows = ResultRow.objects.filter(current=True, school__in=schools).select_related(
        "school").order_by("school__code", "id")
    return [{"code": r.school.code, "name": r.school.name, "requirement_id": r.requirement_id,
             "item": r.item, "level": r.level, "status": r.status, "actual": r.actual,
             "required": r.required, "shortfall": r.shortfall, "basis": r.basis,
             "explanation": r.explanation or None}
            for r in rows.iterator(chunk_size=5000)]
