"""A school's approved deviations (审批与豁免) and evidence files (佐证材料): grant, revoke,
upload, download. Each view parses the form, calls one use case (usecases.deviations,
usecases.evidence) and goes back to the school page; a refusal comes back with its reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campusplan.i18n import Refused
from campusplan.usecases import deviations, evidence
from campusplan.web.http import actor, lang


def _back(code: str, anchor: str) -> HttpResponse:
    return redirect(reverse("web:school", args=[code]) + f"#{anchor}")


def _refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    return render(request, "403.html" if getattr(exc, "status", 403) == 403 else "400.html",
                  {"reason": exc.text(lang())}, status=getattr(exc, "status", 403))


@login_required
@require_POST
def deviation_grant(request: HttpRequest, code: str) -> HttpResponse:
    post = request.POST
    raw = post.get("attachment", "").strip()
    try:
        deviations.grant(actor=actor(request), school=code, kind=post.get("kind", ""),
                         justification=post.get("justification", ""),
                         approver=post.get("approver", ""), granted_on=post.get("granted_on"),
                         expires_on=post.get("expires_on"),
                         requirement_id=post.get("requirement_id", ""),
                         phase=post.get("phase", ""),
                         attachment=int(raw) if raw.isdigit() else None)
    except Refused as exc:
        return _refused(request, exc)
    return _back(code, "deviations")


@login_required
@require_POST
def deviation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    revoked = deviations.revoke(actor=actor(request), pk=pk)
    return _back(revoked.school.code, "deviations")


@login_required
@require_POST
def evidence_upload(request: HttpRequest, code: str) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的佐证材料。"))
        return _back(code, "evidence")
    try:
        evidence.upload(actor=actor(request), school=code, kind=request.POST.get("kind", ""),
                        requirement_id=request.POST.get("requirement_id", ""),
                        note=request.POST.get("note", ""), file_name=upload.name or "",
                        content=upload.read(evidence.max_bytes() + 1))
    except Refused as exc:
        return _refused(request, exc)
    return _back(code, "evidence")


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file, only inside the user's scope (404 otherwise, as for a missing file)."""
    found = evidence.open_evidence(actor=actor(request), pk=pk)
    response = FileResponse(found.path.open("rb"), content_type=found.evidence.content_type)
    response["Content-Disposition"] = content_disposition_header(True, found.evidence.file_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
