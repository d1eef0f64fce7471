"""The plan pages (school, district, city), their exports, the price lists and the projects.
Each view parses, calls one use case (usecases.plans / prices / projects / reports) and
renders; the budget form re-plans through htmx (only the plan part is re-rendered)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campusplan.accounts.scope import can_edit
from campusplan.catalog.vocabulary import (
    BUDGET_BASIS,
    BUDGET_PER,
    FUNDING_SOURCE,
    PROJECT_STATUS,
)
from campusplan.exchange.limits import DEFAULT_LIMITS
from campusplan.planning.prices import default_prices
from campusplan.projects import selectors as project_selectors
from campusplan.reports.content import totals
from campusplan.reports.plan_docx import coverage_text, unpriced_rows
from campusplan.usecases import prices as price_cases
from campusplan.usecases import projects as project_cases
from campusplan.usecases.plans import DEFAULT_BUDGET, plan_scope, planned
from campusplan.usecases.reports import plan_export
from campusplan.web import downloads
from campusplan.web import plans as pp
from campusplan.web.http import actor, is_partial, lang, vary_htmx


def _projects_by_line(schools) -> dict:
    return {(p.school.code, p.requirement_ids, p.line): p
            for p in project_selectors.projects_of(schools=schools)}


def _choices(table) -> list[tuple[str, str]]:
    return [(k, term.get(lang())) for k, term in table.items()]


def _plan(request: HttpRequest, kind: str, code: str = "") -> HttpResponse:
    who = actor(request)
    scope = plan_scope(actor=who, kind=kind, code=code)
    form = pp.BudgetForm.from_query(request.GET)
    context = {"scope": scope, "form": form, "editable": can_edit(request.user),
               "error": form.message(lang()) if form.error else "", "nav": "plan",
               "basis_choices": _choices(BUDGET_BASIS), "per_choices": _choices(BUDGET_PER),
               "project_base": reverse("web:project", args=[0])[:-2],
               "make_label": _("立项")}
    if not form.error and scope.schools:
        p = planned(actor=who, schools=scope.schools, budget=form.budget(), lang=lang())
        context |= pp.plan_context(p, len(scope.schools), _projects_by_line(scope.schools),
                                   lang())
    template = "web/plans/_plan.html" if is_partial(request) else "web/plans/page.html"
    return vary_htmx(render(request, template, context, status=422 if form.error else 200))


@login_required
@require_GET
def city_plan(request: HttpRequest) -> HttpResponse:
    return _plan(request, "city")


@login_required
@require_GET
def district_plan(request: HttpRequest, code: str) -> HttpResponse:
    return _plan(request, "district", code)


@login_required
@require_GET
def school_plan(request: HttpRequest, code: str) -> HttpResponse:
    return _plan(request, "school", code)


@login_required
@require_GET
def plan_download(request: HttpRequest, kind: str, fmt: str, code: str = "") -> HttpResponse:
    if fmt not in ("xlsx", "docx"):
        raise Http404
    scope = plan_scope(actor=actor(request), kind=kind, code=code)
    form = pp.BudgetForm.from_query(request.GET)
    if form.error:
        return HttpResponse(form.message(lang()), status=422, content_type="text/plain")
    return downloads.attachment(plan_export(actor=actor(request), scope=scope,
                                            budget=form.budget(), fmt=fmt, lang=lang()))


# --- price lists ---------------------------------------------------------------------------

@login_required
@require_GET
def city_prices(request: HttpRequest) -> HttpResponse:
    """The city's default catalog with the source of every figure (read by everyone)."""
    prices = default_prices()
    priced, total = prices.coverage()
    return render(request, "web/plans/city_prices.html",
                  {"prices": prices, "priced": priced, "total": total, "nav": "plan"})


def _price_context(request: HttpRequest, code: str) -> dict:
    who = actor(request)
    plist = price_cases.price_list(actor=who, district=code)
    scope = plan_scope(actor=who, kind="district", code=code)
    p = planned(actor=who, schools=scope.schools, budget=DEFAULT_BUDGET, lang=lang()) \
        if scope.schools else None
    tot = totals(p.lines) if p is not None else None
    return {"plist": plist, "scope": scope, "editable": can_edit(request.user),
            "unpriced": unpriced_rows(p) if p is not None else [],
            "coverage": coverage_text(tot, lang()) if tot else "", "nav": "plan",
            "lines": [(line, line.key in plist.own, plist.priced_on.get(line.key, ""))
                      for line in plist.catalog.lines]}


@login_required
@require_GET
def district_prices(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "web/plans/prices.html", _price_context(request, code))


def _number(raw: str, whole: bool):
    raw = (raw or "").replace(",", "").strip()
    if not raw:
        return None
    return int(raw) if whole else float(raw)


@login_required
@require_POST
def price_edit(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """Set one line of the district's list (audited); the page comes back with the coverage
    the plan now has, or the reason next to the line (422)."""
    post = request.POST
    try:
        price_cases.set_price(
            actor=actor(request), district=code, key=key,
            unit_price=_number(post.get("unit_price", ""), whole=False),
            unit=post.get("unit", "").strip(),
            service_life_years=_number(post.get("service_life_years", ""), whole=True),
            source=post.get("source", ""), priced_on=post.get("priced_on", ""))
    except (ValueError, OverflowError):
        return _price_refused(request, code, key, "请填写数字 / numbers, please")
    except price_cases.PriceInvalid as exc:
        return _price_refused(request, code, key, "；".join(p.message(lang())
                                                           for p in exc.problems))
    if is_partial(request):
        return vary_htmx(render(request, "web/plans/_prices_body.html",
                                _price_context(request, code)))
    return redirect("web:district_prices", code=code)


def _price_refused(request, code: str, key: str, message: str) -> HttpResponse:
    context = _price_context(request, code) | {"error_key": key, "error": message}
    template = "web/plans/_prices_body.html" if is_partial(request) else "web/plans/prices.html"
    return vary_htmx(render(request, template, context, status=422))


@login_required
@require_GET
def price_download(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.attachment(price_cases.export_prices(actor=actor(request), district=code,
                                                          lang=lang()))


@login_required
@require_POST
def price_upload(request: HttpRequest, code: str) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None or upload.size > DEFAULT_LIMITS.max_file_bytes or \
            not upload.name.lower().endswith(".xlsx"):
        return _price_refused(request, code, "", "请选择 .xlsx 单价表 / choose an .xlsx file")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "prices.xlsx"
        path.write_bytes(upload.read())
        result = price_cases.import_prices(actor=actor(request), district=code, path=path)
    if not result.ok:
        return _price_refused(request, code, "", "；".join(p.message(lang())
                                                          for p in result.problems[:20]))
    messages.success(request, _("已导入单价表：更新 %(n)s 项") % {"n": len(result.changed)})
    return redirect("web:district_prices", code=code)


# --- projects ------------------------------------------------------------------------------

@login_required
@require_GET
def district_projects(request: HttpRequest, code: str) -> HttpResponse:
    who = actor(request)
    scope = plan_scope(actor=who, kind="district", code=code)
    projects = list(project_cases.projects_in(actor=who, district=code))
    return render(request, "web/plans/projects.html", {
        "scope": scope, "projects": projects, "nav": "plan",
        "money": project_selectors.money(schools=scope.schools)})


@login_required
@require_POST
def project_new(request: HttpRequest) -> HttpResponse:
    post = request.POST
    school, requirement, line = (post.get("pick", "").split(pp.PICK_SEP) + ["", "", ""])[:3]
    try:
        project = project_cases.create_project(
            actor=actor(request), school=school, requirement_id=requirement, line=line,
            funding_source=post.get("funding_source", "district"), owner=post.get("owner", ""))
    except project_cases.ProjectInvalid as exc:
        return HttpResponse("；".join(p.message(lang()) for p in exc.problems), status=422,
                            content_type="text/plain; charset=utf-8")
    return redirect("web:project", pk=project.pk)


def _project_context(request, project, **extra) -> dict:
    from_run = project_selectors.current_status(project=project)
    return {"project": project, "editable": can_edit(request.user), "nav": "plan",
            "statuses": _choices(PROJECT_STATUS), "sources": _choices(FUNDING_SOURCE),
            "results": from_run, **extra}


@login_required
@require_GET
def project_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_cases.project_of(actor=actor(request), pk=pk)
    return render(request, "web/plans/project.html", _project_context(request, project))


@login_required
@require_POST
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    fields = ("status", "funding_source", "contract_amount", "supplier", "owner", "start_on",
              "due_on", "completed_on")
    values = {f: request.POST[f] for f in fields if f in request.POST}
    try:
        done = project_cases.update_project(actor=actor(request), pk=pk, values=values)
    except project_cases.ProjectInvalid as exc:
        project = project_cases.project_of(actor=actor(request), pk=pk)
        return render(request, "web/plans/project.html", _project_context(
            request, project, error="；".join(p.message(lang()) for p in exc.problems)),
            status=422)
    return render(request, "web/plans/project.html",
                  _project_context(request, done.project, written=done.facts, saved=True))
