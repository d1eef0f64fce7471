"""The list pages (schools, results), their exports, saved views and the header's search.

Every view parses the query, calls `usecases.lists` (which applies the list's FilterSet inside
the actor's scope) and renders; the export is the same call with every page. The pages are
kept rendered until anything changes (web/fragments.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campusplan.accounts.models import SavedView
from campusplan.usecases import lists
from campusplan.web import fragments
from campusplan.web import lists as lp
from campusplan.web.http import actor, lang


def _title(kind: str) -> str:
    return _("学校列表") if kind == "schools" else _("评估结果列表")


@login_required
@require_GET
def list_page(request: HttpRequest, kind: str) -> HttpResponse:
    return fragments.kept(request, f"list-{kind}", lambda: _list_page(request, kind))


def _list_page(request: HttpRequest, kind: str) -> HttpResponse:
    who = actor(request)
    status = 200
    try:
        found = lists.listing(actor=who, kind=kind, params=request.GET)
        errors = {}
    except lists.InvalidFilter as e:  # the form shows what is wrong, the table nothing
        found, errors, status = lists.refused(actor=who, kind=kind, params=request.GET), \
            e.errors, 422
    lp.dress_form(found, request.user)
    table = lp.table_for(found, lang(), request.GET)
    query = lists.clean_query(kind, request.GET)
    context = {"kind": kind, "title": _title(kind), "filters": found.filters, "table": table,
               "errors": errors, "query": query, "page_sizes": lp.PAGE_SIZES,
               "page_size": lp.page_size(request.GET), "nav": "lists",
               "other_kind": "results" if kind == "schools" else "schools",
               "views": lists.saved_views(actor=who, kind=kind),
               "filter_lines": lists.filter_lines(found) if not errors else [],
               "scope": lists.scope_label(who, lang())} | fragments.TOKEN
    return render(request, "web/lists/page.html", context, status=status)


@login_required
@require_GET
def list_export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    try:
        out = lists.export(actor=actor(request), kind=kind, params=request.GET, fmt=fmt,
                           lang=lang())
    except lists.InvalidFilter as e:
        return HttpResponse(str(e), status=422, content_type="text/plain; charset=utf-8")
    except lists.TooLarge as e:
        message = _("行数过多（%(rows)s 行，上限 %(max)s 行），请先缩小筛选范围。") % {
            "rows": e.rows, "max": lists.MAX_EXPORT_ROWS}
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(out.content, content_type=out.content_type)
    response["Content-Disposition"] = content_disposition_header(True, out.filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Campusplan-Rows"] = str(out.rows)
    return response


@login_required
@require_POST
def view_save(request: HttpRequest, kind: str) -> HttpResponse:
    query = request.POST.get("query", "")
    try:
        view = lists.save_view(actor=actor(request), kind=kind,
                               name=request.POST.get("name", ""), query=query)
    except lists.InvalidFilter as e:
        return HttpResponse(str(e), status=400, content_type="text/plain; charset=utf-8")
    return redirect(f"{reverse(f'web:{kind[:-1]}_list')}?{view.query}")


@login_required
@require_POST
def view_delete(request: HttpRequest, view_id: int) -> HttpResponse:
    try:
        kind = lists.saved_views(actor=actor(request)).get(pk=view_id).kind
        lists.delete_view(actor=actor(request), pk=view_id)
    except SavedView.DoesNotExist:
        raise Http404 from None
    return redirect(reverse(f"web:{kind[:-1]}_list"))


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    return fragments.kept(request, "search", lambda: _search(request))


def _search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    found, total = lists.search(actor=actor(request), q=q)
    if len(found) == 1 and found[0].code == q.strip():
        return redirect("web:school", code=found[0].code)
    return render(request, "web/lists/search.html",
                  {"q": q.strip(), "found": found, "total": total, "nav": "search",
                   "more": total > len(found)} | fragments.TOKEN)
