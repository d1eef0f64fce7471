"""The home redirect and the catalog pages. One view per page; the catalog list also renders as
an htmx partial. Every page needs a logged-in user."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from campusplan.accounts import scope
from campusplan.accounts.choices import Level
from campusplan.catalog import crosswalk
from campusplan.catalog.crosswalk import RELATIONSHIPS
from campusplan.usecases import standards, tailoring
from campusplan.web import catalog_source
from campusplan.web.http import actor, is_partial, lang, vary_htmx
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
    return view, context | standards_context(catalog.standard.key)


def standards_context(key: str) -> dict:
    """The other active standards and the crosswalk rows seen from `key` (both catalog pages)."""
    code = lang()[:2] if lang().startswith("en") else "zh"
    titles = {k: standards.active_catalog(k).standard.identity.title for k in standards.active()}
    links = [{"items": link.items, "other_items": link.other_items,
              "other_title": titles.get(link.other, link.other),
              "relationship": link.relationship,
              "relationship_label": RELATIONSHIPS[link.relationship].get(code),
              "rationale": link.rationale.get(code)}
             for link in crosswalk.for_standard(key) if link.other in titles]
    # the choice between the active standards, this one marked (none while only one is on)
    choice = [{"key": k, "title": t, "current": k == key} for k, t in titles.items()]
    return {"other_standards": [(k, t) for k, t in titles.items() if k != key],
            "standard_choice": choice if len(choice) > 1 else [], "crosswalk": links}


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
def standard_page(request: HttpRequest, key: str) -> HttpResponse:
    """Any active standard, listed: requirements by area with their source's standing, the
    items it lists without judging, and its crosswalk (the main catalog page is the first's)."""
    catalog = standards.active_catalog(key)
    std, code = catalog.standard, "en" if lang().startswith("en") else "zh"
    values = std.param_values()
    areas = []
    for area in std.areas:
        reqs = [r for it in area.items for r in it.requirements + it.rules] + area.rules
        areas.append({"key": area.key, "name": area.name.get(code), "rows": [
            {"id": r.id, "text": r.text, "note": r.note_in(code), "kind": r.check.label.get(code),
             "value": _param_value(r, values), "section": r.source.section if r.source else "",
             "rebuilt": r.source is not None and r.source.standing == "rebuilt"} for r in reqs]})
    informational = [{"area": i.area.get(code), "number": i.number, "text": i.text,
                      "threshold": i.threshold, "status": i.status} for i in std.informational]
    return render(request, "web/standard.html", {
        "identity": std.identity, "version": catalog.version, "areas": areas,
        "informational": informational, "nav": "catalog"} | standards_context(key))


def _param_value(req, values: dict):
    """The number a requirement compares with, when it names one parameter as its bound."""
    for field in ("required", "limit", "count"):
        text = getattr(req.check, field, None)
        if isinstance(text, str) and text.startswith("param."):
            return values.get(text.removeprefix("param."))
    return None


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
    """Every parameter with the value in force for the viewer's district (or `?district=`) and
    the level that set it; the city and district officers set values here (tailoring)."""
    return _parameters_page(request, request.GET.get("district", "").strip())


def _parameters_page(request: HttpRequest, district: str, error: tuple[str, str] | None = None,
                     status: int = 200) -> HttpResponse:
    view, context = _view()
    usage = view.param_usage()
    where, forced = tailoring.parameters_in_force(actor=actor(request), district=district,
                                                  catalog=context["catalog"])
    by_key = {f.param.key: f for f in forced}
    rows = [(view.param(p), usage.get(p.key, []), by_key[p.key],
             by_key[p.key].level_label(lang()), by_key[p.key].tighter_label(lang()))
            for p in view.standard.parameters]
    profile = scope.profile_of(request.user)
    editable = profile is not None and not profile.read_only and (
        profile.level == Level.CITY or (profile.level == Level.DISTRICT and where is not None))
    context |= {"rows": rows, "nav": "params", "district": where, "editable": editable,
                "error_key": error[0] if error else "", "error": error[1] if error else "",
                "districts": scope.visible_districts(request.user) if profile and
                profile.level == Level.CITY else []}
    return render(request, "web/params.html", context, status=status)


@login_required
@require_POST
def parameter_set(request: HttpRequest, key: str) -> HttpResponse:
    """Set (or, with an empty value, clear) one parameter: the city's value, or the district's
    stricter one. A loosening is refused (403) with the reason in the reader's language."""
    district = request.POST.get("district", "").strip()
    raw = request.POST.get("value", "").strip()
    try:
        if raw:
            tailoring.set_parameter(actor=actor(request), key=key, value=raw, district=district,
                                    note=request.POST.get("note", ""))
        else:
            tailoring.clear_parameter(actor=actor(request), key=key, district=district)
    except tailoring.ParamRefused as exc:
        return _parameters_page(request, district, (key, exc.text(lang())), status=403)
    except tailoring.ParamInvalid as exc:
        return _parameters_page(request, district, (key, exc.text(lang())), status=422)
    url = reverse("web:params") + (f"?district={district}" if district else "")
    return redirect(f"{url}#param-{key}")
