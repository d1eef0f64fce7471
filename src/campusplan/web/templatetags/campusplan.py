"""Template helpers shared by every page: the header's links and the footer's catalog identity."""

from __future__ import annotations

import json

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from campusplan.catalog import vocabulary
from campusplan.engine.rollup import comparable
from campusplan.i18n import active_lang, local_time
from campusplan.usecases import notifications
from campusplan.web import catalog_source, nav
from campusplan.web.middleware import CSRF_PLACEHOLDER

register = template.Library()


@register.simple_tag
def nav_links(user) -> list[nav.NavLink]:
    return nav.nav_links(user)


@register.simple_tag
def unread_notifications(user) -> int:
    return notifications.unread_count(user=user)


@register.simple_tag
def role_label(user) -> str:
    return nav.role_label(user)


@register.simple_tag
def term(table: str, key: str) -> str:
    """A word of the vocabulary in the page language: {% term "status" "gap" %}."""
    return vocabulary.label(vocabulary.TABLES[table], key, active_lang())


@register.simple_tag
def catalog_identity():
    return catalog_source.get_catalog()


@register.filter
def percent(value, digits: int = 1) -> str:
    """0.8312 → 83.1%; unknown (None) → —."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def number(value, digits: int = 2) -> str:
    """A measured value without noise: 30.0 → 30, 2.5 → 2.5, None → —."""
    if value is None or value == "":
        return "—"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # exactly, and float() would overflow on a refused 400-digit value
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return f"{value:.{int(digits)}f}".rstrip("0").rstrip(".")


@register.filter
def shown(value) -> str:
    """A stored value for reading: 是/否 for yes/no, numbers without noise, — for unknown."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, int | float):
        return number(value)
    return str(value)


@register.filter
def get(mapping, key):
    """mapping[key] in a template (None when missing)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


def _field(obj, key):
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)


@register.inclusion_tag("web/_rate.html")
def rate(score, strong: bool = False) -> dict:
    """A compliance rate as every page shows it: the rate, the required requirements it was
    judged on, and 不可比 when its data completeness is under the catalog's threshold
    (engine.rollup.comparable, the one definition). `score` is a dict or a SchoolScore."""
    threshold = catalog_source.get_catalog().standard.min_completeness()
    completeness = _field(score, "completeness") if score is not None else None
    return {"rate": _field(score, "rate") if score is not None else None,
            "judged": _field(score, "judged") if score is not None else None,
            "comparable": comparable(completeness, threshold), "threshold": threshold,
            "strong": strong}

@register.filter
def when(value, seconds: bool = False) -> str:
    """A stored moment on the reader's clock (Asia/Shanghai), the one format of every page:
    2026-12-01 23:05 (with `:1`, seconds too). Unknown → —."""
    return local_time(value, "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


@register.filter
def as_json(value) -> str:
    """JSON for a data attribute. Chart data inside content htmx swaps in cannot ride in a
    `json_script` element: htmx drops every <script> of a swapped fragment when script tags are
    off (they are, for the CSP). Autoescaping makes the attribute safe."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@register.filter
def yuan(value) -> str:
    """An amount in RMB with thousands separators; — when there is none (unpriced)."""
    return "—" if value is None else f"{value:,.0f}"


@register.filter
def in_lang(text) -> str:
    """A bilingual {zh, en} value (a catalog Text or Unit) in the page's language."""
    return text.get(active_lang()) if text is not None else ""


@register.simple_tag
def csrf_field() -> str:
    """The CSRF field of a form inside a cached fragment: a placeholder that
    CachedFormTokenMiddleware replaces with the reader's own token ({% csrf_token %} there would
    serve the first reader's token to everyone)."""
    return mark_safe(f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}">')
