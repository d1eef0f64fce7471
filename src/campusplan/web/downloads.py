"""A use case's report as a download (the report itself comes from usecases.reports)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from campusplan.usecases.reports import Report


def attachment(report: Report) -> HttpResponse:
    response = HttpResponse(report.content, content_type=report.content_type)
    response["Content-Disposition"] = content_disposition_header(True, report.filename)
    response["Cache-Control"] = "private, no-store"
    if report.run is not None:
        response["X-Campusplan-Run"] = str(report.run)  # which stored run it reads
    return response
