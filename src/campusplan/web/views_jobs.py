"""Background jobs in the web: start one (city workbook, re-assess a district; the import page's
"import in the background"), then its page — a progress bar polled by htmx while it runs, the
result when done, the produced file to download."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from campusplan.usecases import jobs
from campusplan.web.http import actor, is_partial, lang, vary_htmx


@login_required
@require_GET
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    job = jobs.job_for(actor=actor(request), job_id=job_id)
    template = "web/jobs/_job.html" if is_partial(request) else "web/jobs/page.html"
    return vary_htmx(render(request, template, {"job": job}))


@login_required
@require_GET
def job_file(request: HttpRequest, job_id: int) -> HttpResponse:
    job = jobs.job_for(actor=actor(request), job_id=job_id)
    path = Path(job.file_path) if job.file_path else None
    if path is None or not path.is_file() or jobs.jobs_dir().resolve() not in path.resolve().parents:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@login_required
@require_POST
def city_workbook_job(request: HttpRequest) -> HttpResponse:
    job = jobs.start(actor=actor(request), kind=jobs.CITY_WORKBOOK, params={"lang": lang()})
    return redirect("web:job", job_id=job.pk)


@login_required
@require_POST
def district_reassess_job(request: HttpRequest, code: str) -> HttpResponse:
    job = jobs.start(actor=actor(request), kind=jobs.REASSESS, params={"district": code})
    return redirect("web:job", job_id=job.pk)
