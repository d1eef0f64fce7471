"""Rooms and devices, bulk edits and the audit pages.

A bulk edit posts the selected rooms (on the school page) or schools (on a district's bulk
page), one fact and one value; the text is read as the importer reads a cell, then
`usecases.bulk.set_fact_many` — scoped, validated on the import path, audited and re-assessed
once — does the rest. The answer is the page again with what happened (a message), or the
validator's located reasons and nothing written."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campusplan.accounts.scope import can_edit, school_for, visible_audit, visible_schools
from campusplan.catalog.codes import districts
from campusplan.catalog.schema import Fact, Scope
from campusplan.schools.services import ImportInvalid
from campusplan.usecases.bulk import set_fact_many
from campusplan.web import audit, facts, fragments
from campusplan.web import dashboards as dp
from campusplan.web.http import actor, catalog, lang
from campusplan.web.school import code_name


def _fact(scope: Scope, key: str) -> Fact | None:
    return catalog().facts.by_key(scope).get(key)


def _read(scope: Scope, key: str, raw: str):
    prefix = "room." if scope == Scope.room else "fact."
    column = facts.column_of(catalog(), f"{prefix}{key}")
    return column.from_cell(raw.strip()[:200]) if column is not None else raw


SAID = {  # what a bulk edit did, for rooms and for schools
    "rooms": (gettext_lazy("所选房间的取值未改变，未写入任何数据。"),
              gettext_lazy("已修改 %(n)s 处（共选 %(total)s 间房间），并重新评估（评估批次 #%(run)s）。")),
    "schools": (gettext_lazy("所选学校的取值未改变，未写入任何数据。"),
                gettext_lazy("已修改 %(n)s 处（共选 %(total)s 所学校），并重新评估（评估批次 #%(run)s）。")),
}


def _say(request: HttpRequest, result, what: str) -> None:
    same, done = SAID[what]
    if result.run is None:
        messages.info(request, str(same))
        return
    messages.success(request, str(done) % {"n": result.changed, "total": result.targets,
                                           "run": result.run.pk})


def _refused(request: HttpRequest, exc: ImportInvalid) -> None:
    reasons = "；".join(dict.fromkeys(p.message(lang()) for p in exc.problems))
    messages.error(request, _("未写入任何数据：%(reasons)s") % {"reasons": reasons})


@login_required
@require_POST
def rooms_bulk(request: HttpRequest, code: str) -> HttpResponse:
    """Set one room fact for the rooms ticked in the school page's inventory."""
    school = school_for(request.user, code, edit=True)
    back = redirect(f"{request.path.rsplit('rooms/', 1)[0]}#inventory")
    key, rooms = request.POST.get("key", ""), request.POST.getlist("rooms")
    if _fact(Scope.room, key) is None or not rooms:
        messages.error(request, _("请选择房间和要修改的指标。"))
        return back
    try:
        result = set_fact_many(actor=actor(request), key=key,
                               value=_read(Scope.room, key, request.POST.get("value", "")),
                               rooms=[(school.code, r) for r in rooms])
    except ImportInvalid as exc:
        _refused(request, exc)
        return back
    _say(request, result, "rooms")
    return back


@login_required
@require_http_methods(["GET", "POST"])
def schools_bulk(request: HttpRequest, code: str) -> HttpResponse:
    """A district's schools with a checkbox each: one school fact set for those ticked."""
    district = dp.district_of(request.user, code)
    if not can_edit(request.user):
        raise PermissionDenied
    schools = list(visible_schools(request.user).filter(district=district).order_by("code"))
    if request.method == "POST":
        _bulk_schools(request)
        return redirect(request.path)
    return render(request, "web/dashboards/bulk.html", {
        "district": district, "district_name": code_name(districts(), district.code, lang())
        if not lang().startswith("zh") else district.name,
        "schools": schools, "fact_choices": _choices(Scope.school),
        "nav": dp.district_nav(request.user)})


def _bulk_schools(request: HttpRequest) -> None:
    key, codes = request.POST.get("key", ""), request.POST.getlist("schools")
    if _fact(Scope.school, key) is None or not codes:
        messages.error(request, _("请选择学校和要修改的指标。"))
        return
    try:
        result = set_fact_many(actor=actor(request), key=key,
                               value=_read(Scope.school, key, request.POST.get("value", "")),
                               schools=codes)
    except ImportInvalid as exc:
        _refused(request, exc)
        return
    _say(request, result, "schools")


def _choices(scope: Scope) -> list[tuple[str, str]]:
    code = "zh" if lang().startswith("zh") else "en"
    return [(f.key, f.label.get(code)) for f in catalog().facts.facts if f.scope == scope]


@login_required
@require_GET
def audit_page(request: HttpRequest) -> HttpResponse:
    """Every audit entry in the reader's scope, filterable by user, source, dates and school."""
    return fragments.kept(request, "audit", lambda: render(request, "web/audit.html", {
        **audit.trail_context(request, visible_audit(request.user), by_school=True),
        "nav": "audit"} | fragments.TOKEN))
