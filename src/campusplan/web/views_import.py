"""The import page: upload → dry run (located errors, or a preview of the changes) → confirm →
apply and assess the affected schools. Only users who may edit, and only inside their scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campusplan.accounts.scope import can_edit
from campusplan.exchange.documents import Plan
from campusplan.usecases import jobs
from campusplan.usecases.imports import import_files
from campusplan.web import imports
from campusplan.web.http import actor, catalog, lang


def _editor(request: HttpRequest) -> None:
    if not can_edit(request.user):
        raise PermissionDenied


def _page(request: HttpRequest, status: int = 200, **context) -> HttpResponse:
    report = context.get("report")
    context |= {"nav": "import", "max_mb": imports.MAX_BYTES // 2**20,
                "suffixes": ", ".join(imports.SUFFIXES)}
    if report is not None:
        context |= {"problems": imports.problem_rows(report.problems, lang()),
                    "notes": imports.notes(report.notes, lang())}
    template = "web/import/_result.html" if request.headers.get("HX-Request") and \
        request.method == "POST" else "web/import/page.html"
    return render(request, template, context, status=status)


@csrf_exempt  # the upload handler must be set before the body is read; CSRF is checked below
@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    _editor(request)
    if request.method == "POST":
        request.upload_handlers = [imports.LimitedUpload(request)]
        return _upload(request)
    imports.purge_expired()  # abandoned uploads past the retention go when the page is opened
    return _page(request)


@csrf_protect
def _upload(request: HttpRequest) -> HttpResponse:
    uploaded = request.FILES.get("file")
    error = imports.upload_error(uploaded) if not getattr(request, "upload_too_large", False) \
        else _("文件过大：上限 %(mb)d MB。") % {"mb": imports.MAX_BYTES // 2**20}
    if error:
        return _page(request, 400, error=error)
    token, path = imports.save(request.user, uploaded)
    return _dry_run(request, token, path)


def _dry_run(request: HttpRequest, token: str, path) -> HttpResponse:
    result = import_files(actor=actor(request), paths=[path], dry_run=True)
    if result.refused or not result.report.ok or not result.plan.changes:
        imports.discard(request.user, token)  # kept with conflicts: the user chooses
    return _result_page(request, result, path, token=token)


def _result_page(request: HttpRequest, result, path, **context) -> HttpResponse:
    if result.refused:
        return _page(request, 403, refused=[r.text(lang()) for r in result.refused],
                     file_name=path.name)
    report = result.report
    status = 422 if not report.ok else 409 if result.unresolved and not result.dry_run else 200
    pages = Paginator(report.plan.changes, imports.PREVIEW_ROWS) if report.ok else None
    return _page(request, status, report=report, file_name=path.name,
                 counts=report.plan.counts() if report.ok else {},
                 conflicts=imports.conflict_rows(result.conflicts, catalog(), lang()),
                 page=pages.get_page(1) if pages else None,
                 changes=imports.preview(report.plan, catalog(), lang()) if report.ok else [],
                 **context)


def _choices(request: HttpRequest) -> dict[str, str]:
    return {k[len("choice-"):]: v for k, v in request.POST.items()
            if k.startswith("choice-") and v in ("file", "stored")}


@login_required
@require_GET
def import_changes(request: HttpRequest, token: str) -> HttpResponse:
    """Every change of the kept file, a page at a time (htmx), or all of them as CSV."""
    _editor(request)
    path = imports.find(request.user, token)
    if path is None:
        raise Http404
    result = import_files(actor=actor(request), paths=[path], dry_run=True)
    if not result.ok and not result.unresolved:
        raise Http404
    if request.GET.get("format") == "csv":
        return imports.changes_csv(result.plan, catalog(), lang(), path.name)
    page = Paginator(result.plan.changes, imports.PREVIEW_ROWS).get_page(request.GET.get("page"))
    rows = imports.preview(Plan(changes=list(page.object_list)), catalog(), lang())
    return render(request, "web/import/_changes.html",
                  {"changes": rows, "page": page, "token": token})


@login_required
@require_POST
def import_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Apply the kept file for real (the use case checks the scope again and re-assesses)."""
    _editor(request)
    path = imports.find(request.user, token)
    if path is None:
        messages.error(request, _("上传的文件已过期或不存在，请重新上传。"))
        return redirect("web:import")
    if request.POST.get("background") == "1":  # a district's or the city's file: a job
        job = jobs.start(actor=actor(request), kind=jobs.IMPORT, params={
            "paths": [str(path)], "files": path.name, "choices": _choices(request),
            "inventory_complete": request.POST.get("inventory_complete") == "1"})
        return redirect("web:job", job_id=job.pk)
    result = import_files(actor=actor(request), paths=[path], choices=_choices(request),
                          inventory_complete=request.POST.get("inventory_complete") == "1")
    if result.unresolved and not result.problems and not result.refused:
        return _result_page(request, result, path, token=token)  # choose, then confirm again
    imports.discard(request.user, token)
    if not result.ok:  # refused, or the stored data changed since the check: nothing written
        return _result_page(request, result, path)
    counts = result.plan.counts()
    messages.success(request, _("已导入 %(file)s：%(schools)d 所学校，%(changes)d 项变更；"
                                "已重新评估 %(assessed)d 所学校。") % {
        "file": ", ".join(result.files), "schools": counts.get("schools", 0),
        "changes": len(result.plan.changes),
        "assessed": result.run.schools if result.run else 0})
    return redirect("web:import")


@login_required
@require_POST
def import_discard(request: HttpRequest, token: str) -> HttpResponse:
    """Abandon a checked upload: its file is deleted now, not at the end of the retention."""
    imports.discard(request.user, token)
    messages.info(request, _("已取消导入，上传的文件已删除。"))
    return redirect("web:import")
