"""The list pages' tables (django-tables2), built from the use case's columns.

The rows arrive filtered and ordered by the list's FilterSet (usecases.filters); the table only
renders them, links each header to `?ordering=…` (the FilterSet's parameter) and paginates on
the server. Page sizes are a fixed choice.
"""

from __future__ import annotations

import django_tables2 as tables
from django import forms
from django.conf import settings
from django.core.paginator import EmptyPage
from django.forms.utils import flatatt
from django.http import QueryDict
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from campusplan.accounts.scope import visible_districts
from campusplan.i18n import active_lang
from campusplan.usecases.lists import Column, Listing, columns, district_label, page_rows

PAGE_SIZES = (25, 50, 100, 200, 500)
DEFAULT_PAGE_SIZE = 50


def page_size(query: QueryDict) -> int:
    try:
        size = int(query.get("per_page", DEFAULT_PAGE_SIZE))
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


def _percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


class ListColumn(tables.Column):
    """A column of a list: the FilterSet has ordered the rows already, so ordering here only
    marks the header (one ordering for the page, the API and the export)."""

    def __init__(self, spec: Column, **kwargs):
        self.spec = spec
        attrs = {"th": {"data-column": spec.key, "class": "value" if spec.numeric else ""},
                 "td": {"class": "value" if spec.numeric else ""}}
        super().__init__(verbose_name=spec.label, orderable=spec.order is not None,
                         empty_values=(), attrs=attrs, **kwargs)

    def order(self, queryset, is_descending):
        return queryset, True

    def render(self, record):
        value = self.spec.value(record)
        if self.spec.percent:
            return _percent(value)
        return "—" if value is None or value == "" else value


class LinkColumn(ListColumn):
    """A column whose value links to a page (a school, a catalog item)."""

    def __init__(self, spec: Column, href, **kwargs):
        self.href = href
        super().__init__(spec, **kwargs)

    def render(self, record):
        value = super().render(record)
        url = self.href(record)
        return format_html('<a href="{}">{}</a>', url, value) if url else value


_PREFIX: dict[str, str] = {}


def _school_url(code: str) -> str:
    """/school/<code>/ without a reverse() per row (hundreds a page)."""
    if "school" not in _PREFIX:
        _PREFIX["school"] = reverse("web:school", args=["-"])[:-2]
    return f"{_PREFIX['school']}{code}/"


def _item_url(number: int) -> str:
    if "item" not in _PREFIX:
        _PREFIX["item"] = reverse("web:item", args=[1])[:-2]
    return f"{_PREFIX['item']}{number}/"


LINKS = {
    ("schools", "code"): lambda s: _school_url(s.code),
    ("schools", "name"): lambda s: _school_url(s.code),
    ("results", "school"): lambda r: _school_url(r.school.code),
    ("results", "name"): lambda r: _school_url(r.school.code),
    ("results", "requirement_id"): lambda r: (
        f"{_item_url(r.item)}#req-{r.requirement_id}" if r.item else ""),
}


class ListTable(tables.Table):
    class Meta:
        attrs = {"class": "catalog-table list-table"}
        template_name = "web/lists/_tables2.html"
        orderable = True


def table_for(listing: Listing, lang: str, query: QueryDict) -> ListTable:
    extra = []
    for spec in columns(listing.kind, lang):
        href = LINKS.get((listing.kind, spec.key))
        col = LinkColumn(spec, href) if href else ListColumn(spec)
        extra.append((spec.order or spec.key, col))
    table = ListTable(listing.rows, extra_columns=extra, order_by_field="ordering",
                      empty_text="—")
    ordering = listing.filters.form.cleaned_data.get("ordering")
    if ordering:
        table.order_by = ordering
    try:
        page = max(1, int(query.get("page", 1)))
    except ValueError:
        page = 1
    try:
        table.paginate(page=page, per_page=page_size(query))
    except EmptyPage:  # past the last page: the last page
        table.paginate(page=table.paginator.num_pages, per_page=page_size(query))
    per_page = table.paginator.per_page
    records = page_rows(listing, (table.page.number - 1) * per_page, per_page)
    table.body = _body(records, [col for _name, col in extra])
    return table


def _body(records: list, cols: list[ListColumn]) -> str:
    """The page's rows as one piece of HTML, rendered by the columns directly: django-tables2's
    per-cell rendering (a signature inspection and a template per cell) costs ~2 ms a cell, and
    even a template loop over the cells is most of a list page's time (800 cells a page)."""
    out = []
    for record in records:
        cells = (_TD[c.spec.numeric].format(_cell(c.render(record))) for c in cols)
        out.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("".join(out))


_TD = {False: "<td>{}</td>", True: '<td class="value">{}</td>'}


def _cell(value) -> str:
    """As `{{ value }}` shows it: escaped unless safe, numbers in the page's locale (without
    thousands separators, a plain int's text is its localized form: skip the formatter)."""
    if isinstance(value, str):
        return conditional_escape(value)
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return conditional_escape(localize(value))


class FastInput:
    """An <input> rendered in Python, as Django's input template renders it."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        shown = format_html(' value="{}"', value) if value is not None else ""
        return format_html('<input type="{}" name="{}"{}{}>', self.input_type, name, shown,
                           flatatt(self.build_attrs(self.attrs, attrs)))


FAST_INPUTS = {cls: type(f"Fast{cls.__name__}", (FastInput, cls), {})
               for cls in (forms.TextInput, forms.NumberInput, forms.HiddenInput)}


class FastSelect(forms.Select):
    """A <select> rendered in Python: Django renders each <option> through a template (a filter
    form with a 46-item and a 30-type choice costs more than the page's table)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)  # as Django: None is "", one value selected once
        options, done = [], False
        for key, label in self.choices:
            selected = not done and str(key) in chosen
            done |= selected
            options.append((key, mark_safe(" selected") if selected else "", label))
        return format_html('<select name="{}"{}>{}</select>', name,
                           flatatt(self.build_attrs(self.attrs, attrs)),
                           format_html_join("", '<option value="{}"{}>{}</option>', options))


def dress_form(listing: Listing, user) -> None:
    """The filter form as a page shows it: the district as a choice of the visible districts
    (hidden below the city, whose users have one), requirement ids typed, 「全部」 for empty."""
    form = listing.filters.form
    visible = list(visible_districts(user))
    for name, field in form.fields.items():
        if isinstance(field, forms.ChoiceField) and not isinstance(field.widget, forms.TextInput):
            field.choices = [("", _("全部")), *[c for c in field.choices if c[0] != ""]]
            field.widget = FastSelect(attrs=field.widget.attrs, choices=field.choices)
        if name == "district":
            if len(visible) > 1:
                field.widget = FastSelect(choices=[("", _("全部")), *[
                    (d.code, district_label(d, active_lang())) for d in visible]])
            else:
                field.widget = forms.HiddenInput()
        elif name == "failing_requirement":
            field.widget = forms.TextInput(attrs={"size": 8, "placeholder": "5-6"})
        elif name in ("school", "requirement"):
            field.widget.attrs.update({"size": 10})
        fast = FAST_INPUTS.get(type(field.widget))
        if fast is not None:
            field.widget = fast(attrs=field.widget.attrs)
