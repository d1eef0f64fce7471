"""Small helpers every view uses: htmx partials, the page language, the catalog."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from campusplan.accounts import audit
from campusplan.catalog.loader import Catalog
from campusplan.web import catalog_source


def is_partial(request: HttpRequest) -> bool:
    """An htmx request (not a history restore, which needs the whole page)."""
    headers = request.headers
    return "HX-Request" in headers and "HX-History-Restore-Request" not in headers


def vary_htmx(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request"])
    return response


def lang() -> str:
    return get_language() or "zh-hans"


def catalog() -> Catalog:
    return catalog_source.get_catalog()


class Lazy:
    """A value computed on its first use in a template, then kept.

    Templates call callables when they resolve a variable, so a section wrapped in `{% cache %}`
    whose key is current skips the work entirely (e.g. the school page's 130 fact forms)."""

    def __init__(self, compute):
        self._compute = compute
        self._done = False
        self._value = None

    def __call__(self):
        if not self._done:
            self._value, self._done = self._compute(), True
        return self._value


def actor(request: HttpRequest) -> audit.Actor:
    """Who acts in this request: its signed-in user, from the web, under the middleware's
    request id. The use cases take it; a view never passes the request itself."""
    return audit.actor_for(request.user, audit.AuditSource.WEB, audit.current().request_id)
