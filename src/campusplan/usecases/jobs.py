"""Long operations as background tasks with progress: district and city imports, the city
workbook, re-assessing a district.

`start(...)` records a Job (who, what) and enqueues `run_job` on django-tasks; with the database
backend (settings.TASKS) the worker — `manage.py db_worker`, started by `make run` — picks it up;
with the immediate backend (CAMPUSPLAN_TASKS_IMMEDIATE=1, tests) it runs at once. The runner
acts as the user who started it (same scope, same audit trail), writes its progress on the Job
(at most twice a second) and, when done, its result, and notifies the user. The page polls the
Job (htmx) and shows a progress bar, then the result.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django_tasks import task

from campusplan.accounts import audit, scope
from campusplan.accounts.audit import Actor
from campusplan.accounts.choices import Level
from campusplan.accounts.models import Job
from campusplan.usecases import imports, notifications, reports, runs, scoping

IMPORT, CITY_WORKBOOK, REASSESS = "import", "city_workbook", "reassess_district"


def jobs_dir() -> Path:
    return Path(getattr(settings, "CAMPUSPLAN_JOBS_DIR", None) or settings.VAR_DIR / "jobs")


def start(*, actor: Actor, kind: str, params: dict) -> Job:
    """Record the job and hand it to the worker. The scope is checked now (404/403 at once)
    and again when it runs."""
    _check(actor, kind, params)
    job = Job.objects.create(user=actor.user, kind=kind, params=params)
    with audit.acting_as(actor):
        audit.record(object_type="job", object_key=str(job.pk), field=kind,
                     after=params.get("district") or params.get("files") or "")
    run_job.enqueue(job.pk, actor.source, actor.request_id, actor.label)
    return job


def job_for(*, actor: Actor, job_id: int) -> Job:
    """One's own job (404 for anybody else's)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or (job.user_id != getattr(actor.user, "pk", None)):
        raise Http404
    return job


def _check(actor: Actor, kind: str, params: dict) -> None:
    if kind == CITY_WORKBOOK and not scoping.is_operator(actor) and (
            getattr(scope.profile_of(actor.user), "level", None) != Level.CITY):
        raise Http404
    if kind == REASSESS:
        scoping.whole_district(actor, params["district"], edit=True)
    if kind == IMPORT and not scoping.can_edit(actor):
        raise Http404


@task()
def run_job(job_id: int, source: str, request_id: str, label: str) -> None:
    job = Job.objects.select_related("user").get(pk=job_id)
    user = job.user if job.user_id else None
    actor = Actor(user, source, request_id, label)
    Job.objects.filter(pk=job.pk).update(state=Job.RUNNING, stage="")
    failure = None
    try:
        result, file_path = RUNNERS[job.kind](actor, job, _progress(job.pk))
        state = Job.DONE
    except Exception as exc:  # shown on the job's page, then re-raised for the worker's log
        result, file_path, state, failure = {"error": type(exc).__name__}, "", Job.FAILED, exc
    Job.objects.filter(pk=job.pk).update(state=state, result=result, file_path=file_path,
                                         finished_at=timezone.now())
    if user is not None:
        notifications.notify(actor=actor, users=[user], kind="job_finished"
                             if state == Job.DONE else "job_failed",
                             params={"job": job.kind}, url=f"/jobs/{job.pk}/")
    if failure is not None:
        raise failure


def _progress(job_id: int) -> Callable:
    last = [0.0]

    def report(stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5:
            return
        last[0] = now
        Job.objects.filter(pk=job_id).update(stage=str(stage)[:200], done=max(0, done),
                                             total=total)

    return report


def _import(actor: Actor, job: Job, progress: Callable) -> tuple[dict, str]:
    p = job.params
    result = imports.import_files(actor=actor, paths=[Path(f) for f in p["paths"]],
                                  progress=progress, choices=p.get("choices") or {},
                                  inventory_complete=bool(p.get("inventory_complete")))
    counts = result.plan.counts()
    out = {"ok": result.ok, "written": result.written, "files": result.files,
           "changes": len(result.plan.changes), "schools": counts.get("schools", 0),
           "problems": len(result.problems), "refused": len(result.refused),
           "conflicts": [{"id": c.id, "then": _plain(c.then), "stored": _plain(c.change.old),
                          "new": _plain(c.change.new), "by": c.by, "reason": c.reason}
                         for c in result.unresolved],
           "assessed": result.run.schools if result.run else 0,
           "run": result.run.pk if result.run else None}
    if result.written and actor.user is not None:
        notifications.notify(actor=actor, users=[actor.user], kind="import_finished",
                             params={"file": ", ".join(result.files),
                                     "changes": len(result.plan.changes)})
    return out, ""


def _plain(v):
    return v if v is None or isinstance(v, bool | int | float | str) else str(v)


def _city_workbook(actor: Actor, job: Job, progress: Callable) -> tuple[dict, str]:
    schools = list(scoping.schools_of(actor))
    progress("plan", 0, len(schools))
    report = reports.city_report(actor=actor, schools=schools, lang=job.params.get("lang", "zh"))
    folder = jobs_dir() / str(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / report.filename
    path.write_bytes(report.content)
    return {"schools": len(schools), "file": report.filename}, str(path)


def _reassess(actor: Actor, job: Job, progress: Callable) -> tuple[dict, str]:
    schools = scoping.district_schools(actor, job.params["district"], edit=True)
    run, _assessment = runs.assess(actor=actor, schools=schools, progress=progress)
    return {"schools": run.schools, "run": run.pk}, ""


RUNNERS = {IMPORT: _import, CITY_WORKBOOK: _city_workbook, REASSESS: _reassess}
