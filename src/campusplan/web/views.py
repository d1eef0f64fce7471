"""The home redirect and the catalog pages. One view per page; the catalog list also renders as
an htmx partial. Every page needs a logged-in user."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from campusplan.web import catalog_source
from campusplan.web.http import is_partial, lang, vary_htmx
from campusplan.web.nav import workspace_url
from campusplan.web.presenters import LEVEL_LABELS, STAGE_LABELS, CatalogView, Filters


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Each user to their workspace: the city, their district or their school."""
    return redirect(workspace_url(request.user))


def _view(filters: Filters | None = None) -> tuple[CatalogView, dict]:
    catalog = catalog_source.get_catalog()
    view = CatalogView(catalog.standard, lang(), filters or Filters(), catalog.facts)
    context = {"catalog": catalog, "identity": catalog.standard.identity, "view": view}
    return view, context


@login_required
@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    filters = Filters.from_query(request.GET)
    view, context = _view(filters)
    context |= {"areas": view.areas(), "filters": filters, "nav": "catalog"}
    if is_partial(request):
        response = render(request, "web/_catalog_items.html", context)
    else:
        context |= {
            "counts": view.counts(),
            "area_nav": view.nav(),
            "chart": view.chart(),
            "level_choices": list(LEVEL_LABELS.items()),
            "stage_choices": list(STAGE_LABELS.items()),
        }
        response = render(request, "web/catalog.html", context)
    return vary_htmx(response)


@login_required
@require_GET
def item_detail(request: HttpRequest, number: int) -> HttpResponse:
    view, context = _view()
    try:
        item = view.standard.item(number)
    except KeyError:
        raise Http404(f"no item {number}") from None
    numbers = [it.number for it in view.standard.items()]
    index = numbers.index(number)
    area = view.area_of(number)
    context |= {
        "item_view": view.item(item),
        "area": area,
        "area_name": area.name.get(view.lang),
        "previous": numbers[index - 1] if index > 0 else None,
        "next": numbers[index + 1] if index + 1 < len(numbers) else None,
        "nav": "catalog",
    }
    return render(request, "web/item.html", context)


@login_required
@require_GET
def parameters(request: HttpRequest) -> HttpResponse:
    view, context = _view()
    usage = view.param_usage()
    rows = [(view.param(p), usage.get(p.key, [])) for p in view.standard.parameters]
    context |= {"rows": rows, "nav": "params"}
    return render(request, "web/params.html", context)
