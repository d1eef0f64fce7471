"""The city and district dashboards and their workbooks. The figures come from
`assessments.dashboards` (scoped, cached); the presenters in web/dashboards.py shape them for
the templates and the charts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from campusplan.accounts.scope import can_edit, visible_districts, visible_schools
from campusplan.assessments import dashboards as data
from campusplan.catalog import vocabulary as v
from campusplan.projects.selectors import money as project_money
from campusplan.usecases import deviations, reports, standards
from campusplan.web import campaigns as cp
from campusplan.web import dashboards as dp
from campusplan.web import downloads
from campusplan.web.http import actor, is_partial, lang, vary_htmx


@login_required
@require_GET
def city(request: HttpRequest) -> HttpResponse:
    dp.require_city(request.user)
    overview = data.city_overview(user=request.user)
    context = dp.city_context(overview, lang()) | {
        "nav": "city", "money": project_money(schools=visible_schools(request.user))
    } | cp.dashboard_panel(actor(request), visible_schools(request.user),
                           visible_districts(request.user))
    return render(request, "web/dashboards/city.html", context)


@login_required
@require_GET
def city_workbook(request: HttpRequest) -> HttpResponse:
    dp.require_city(request.user)
    schools = visible_schools(request.user)
    if not schools.exists():
        raise Http404
    return downloads.attachment(reports.city_report(actor=actor(request), schools=list(schools),
                                                    lang=lang()))


@login_required
@require_GET
def district(request: HttpRequest, code: str) -> HttpResponse:
    district = dp.district_of(request.user, code)
    table = dp.TableQuery.from_query(request.GET)
    overview = data.district_overview(user=request.user, code=code, **table.kwargs())
    context = dp.district_context(overview, table, lang()) | {
        "nav": dp.district_nav(request.user), "editable_district": can_edit(request.user),
        "money": project_money(schools=visible_schools(request.user).filter(district=district)),
        "type_choices": dp.type_choices(district, request.user, lang())}
    if is_partial(request):
        return vary_htmx(render(request, "web/dashboards/_district_schools.html", context))
    context |= cp.dashboard_panel(actor(request), visible_schools(request.user).filter(
        district=district), visible_districts(request.user).filter(pk=district.pk))
    context["expiring"] = [(e, v.label(v.DEVIATION_KIND, e.deviation.kind, lang()))
                           for e in deviations.expiring(actor=actor(request), district=code)]
    context["soon_days"] = deviations.SOON_DAYS
    context["readiness_standards"] = [(k, standards.active_catalog(k).standard.identity.title)
                                      for k in standards.active()[1:]]
    template = "web/dashboards/district.html"
    return vary_htmx(render(request, template, context))


@login_required
@require_GET
def district_workbook(request: HttpRequest, code: str) -> HttpResponse:
    district = dp.district_of(request.user, code)
    schools = visible_schools(request.user).filter(district=district)
    if not schools.exists():
        raise Http404
    return downloads.attachment(reports.district_report(
        actor=actor(request), district=district, schools=list(schools), lang=lang()))


@login_required
@require_GET
def readiness(request: HttpRequest, code: str, standard: str) -> HttpResponse:
    """A district against a second standard's group rules (优质均衡: each indicator per 学段:
    schools meeting it, the 校际差异系数, the county verdict), judged on demand."""
    dp.district_of(request.user, code)
    result = standards.district_readiness(actor=actor(request), code=code, standard=standard)
    return render(request, "web/dashboards/readiness.html",
                  dp.readiness_context(result, lang()) | {"nav": dp.district_nav(request.user)})


@login_required
@require_GET
def readiness_export(request: HttpRequest, code: str, standard: str, fmt: str) -> HttpResponse:
    """The readiness page as a workbook or a Word document (the same rows)."""
    return downloads.attachment(reports.readiness_export(
        actor=actor(request), code=code, standard=standard, fmt=fmt, lang=lang()))
