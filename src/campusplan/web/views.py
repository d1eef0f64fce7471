"""Catalog pages. One view per page; the catalog list also renders as an htmx partial."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from campusplan.web import catalog_source
from campusplan.web.presenters import LEVEL_LABELS, STAGE_LABELS, CatalogView, Filters


def _view(filters: Filters | None = None) -> tuple[CatalogView, dict]:
    catalog = catalog_source.get_catalog()
    view = CatalogView(catalog.standard, get_language() or "zh-hans", filters or Filters())
    context = {"catalog": catalog, "identity": catalog.standard.identity, "view": view}
    return view, context


def _is_partial(request: HttpRequest) -> bool:
    headers = request.headers
    return "HX-Request" in headers and "HX-History-Restore-Request" not in headers


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    filters = Filters.from_query(request.GET)
    view, context = _view(filters)
    context |= {"areas": view.areas(), "filters": filters, "nav": "catalog"}
    if _is_partial(request):
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
    patch_vary_headers(response, ["HX-Request"])
    return response


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


@require_GET
def parameters(request: HttpRequest) -> HttpResponse:
    view, context = _view()
    usage = view.param_usage()
    rows = [(view.param(p), usage.get(p.key, [])) for p in view.standard.parameters]
    context |= {"rows": rows, "nav": "params"}
    return render(request, "web/params.html", context)
