"""The audit trail (a school's, or every entry the reader may see) as rows a person reads: what
changed (a room, a service by its category's label, an assessment run), which value by the
survey workbook's name for it, and the values as the reader's language calls them (a room
type's label, not its key); and the filters the audit pages share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from campusplan.accounts import versions
from campusplan.accounts.choices import AuditSource
from campusplan.accounts.models import AuditEntry
from campusplan.catalog import vocabulary as v
from campusplan.catalog.loader import Catalog
from campusplan.engine.explain import LIST_SEP
from campusplan.web import catalog_source
from campusplan.web.facts import field_label, subject_text, value_text
from campusplan.web.templatetags.campusplan import shown as shown_value
from campusplan.web.templatetags.campusplan import when

RUN = "assessment_run"


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    subject: str
    field: str
    before: object
    after: object


def subject(entry: AuditEntry, catalog: Catalog, lang: str) -> str:
    """评估批次 #12, the school code, or code · room / code · category · service name."""
    if entry.object_type == RUN:
        return _("评估批次 #%(id)s") % {"id": entry.object_key}
    head, _slash, ref = entry.object_key.partition("/")
    return " · ".join([head, subject_text(catalog, ref, lang)]) if ref else head


def run_summary(after: object, lang: str) -> object:
    """A run's {results, counts} as 230 项结果：违规 1、未达标 39…, statuses in their order."""
    if not isinstance(after, dict) or "counts" not in after:
        return after
    counts = after["counts"] or {}
    parts = [f"{v.label(v.STATUS, k, lang)} {counts[k]}" for k in v.STATUS_ORDER if k in counts]
    return _("%(n)s 项结果：%(counts)s") % {"n": after.get("results", ""),
                                          "counts": LIST_SEP.get(lang).join(parts)}


def row(entry: AuditEntry, catalog: Catalog, lang: str, field: str = "") -> AuditRow:
    if entry.object_type == RUN:
        return AuditRow(entry, subject(entry, catalog, lang), _("新建评估"), entry.before,
                        run_summary(entry.after, lang))
    if entry.field == versions.FIRST_VALUES:
        return first_values_row(entry, catalog, lang, field)
    return AuditRow(entry, subject(entry, catalog, lang), field_label(catalog, entry.field, lang),
                    value_text(catalog, entry.field, entry.before, lang),
                    value_text(catalog, entry.field, entry.after, lang))


def first_values_row(entry: AuditEntry, catalog: Catalog, lang: str, field: str) -> AuditRow:
    """An import's first-time values of a school, one row: how many and which import; in a
    field's history, the value itself and its cell (read from the provenance row). The import
    is named by its number, not its file names: one import may hold other districts' files."""
    source = entry.import_source_id
    where = _("导入 #%(id)s") % {"id": source} if source is not None else "—"
    count = (entry.after or {}).get("values", "") if isinstance(entry.after, dict) else ""
    after: object = _("%(n)s 项，%(source)s") % {"n": count, "source": where}
    first = {c: getattr(entry, f"first_{c}", None) for c in versions.FIRST_VALUE_COLUMNS}
    value = first["flag"] if first["flag"] is not None else first["num"] \
        if first["num"] is not None else first["text"]
    if field and value is not None:  # read with the row (versions.with_first_value)
        value = int(value) if isinstance(value, float) and value.is_integer() else value
        cell = f"{first['sheet']}!{first['column']}{first['row'] or ''}" if first["sheet"] \
            else first["path"]
        after = _("%(value)s（%(source)s，%(cell)s）") % {
            "value": value_text(catalog, field, value, lang), "source": where, "cell": cell}
    return AuditRow(entry, subject(entry, catalog, lang), _("首次录入的值"), None, after)


def rows(entries, catalog: Catalog, lang: str, field: str = "") -> list[AuditRow]:
    return [row(e, catalog, lang, field) for e in entries]


_URL_SAFE = "!$&'()*+,;=/~:@"  # what reverse() leaves unquoted in a path


def body(shown: list[AuditRow], *, by_school: bool) -> str:
    """The trail's table rows as one piece of HTML: a page of 100 rows through the template's
    loop (two reverse() and a dozen variables a row) was most of the audit page's time."""
    school = reverse("web:school", args=["-"]).split("-")[0]  # /school/
    trail = reverse("web:school_audit", args=["-"]).split("-")[1]  # /audit/
    title = _("此字段的修改记录")
    out = []
    for r in shown:
        e = r.entry
        code = quote(e.school.code, safe=_URL_SAFE) if e.school else ""
        cells = [format_html('<td class="when">{}</td><td>{}</td><td>{}</td>', when(e.at, True),
                             e.actor or "—", e.get_source_display())]
        if by_school:
            cells.append(format_html('<td><a href="{}{}/">{}</a></td>', school, code,
                                     e.school.name) if e.school else mark_safe("<td>—</td>"))
        field = format_html('<a href="{}{}{}?field={}" title="{}">{}</a>', school, code, trail,
                            quote(e.field, safe="/"), title, r.field) \
            if e.field and e.school else conditional_escape(r.field)
        cells.append(format_html('<td>{}</td><td>{} <small class="muted"><code>{}</code></small>'
                                 '</td><td class="value">{}</td><td class="value">{}</td>',
                                 r.subject, field, e.field, shown_value(r.before),
                                 shown_value(r.after)))
        out.append(format_html("<tr>{}</tr>", mark_safe("".join(cells))))
    return mark_safe("".join(out))


# --- filters: who, from where, when, which school, which value ---------------------------------


@dataclass(frozen=True)
class AuditFilters:
    """The audit trail's filters from the query string. Dates are the reader's calendar days
    (Asia/Shanghai), so 「12-01」 means 00:00–24:00 there, not in UTC. A value that does not
    parse is ignored, never an error page."""

    user: str = ""
    source: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    school: str = ""
    field: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> AuditFilters:
        source = query.get("source", "")
        return cls(user=query.get("user", "").strip()[:150],
                   source=source if source in AuditSource.values else "",
                   since=_day(query.get("since")), until=_day(query.get("until")),
                   school=query.get("school", "").strip()[:20],
                   field=query.get("field", "").strip()[:80])

    def apply(self, entries: QuerySet) -> QuerySet:
        if self.user:
            entries = entries.filter(actor=self.user)
        if self.source:
            entries = entries.filter(source=self.source)
        if self.since:
            entries = entries.filter(at__gte=_midnight(self.since))
        if self.until:
            entries = entries.filter(at__lt=_midnight(self.until + dt.timedelta(days=1)))
        if self.school:
            entries = entries.filter(school__code=self.school)
        if self.field:  # with the first-values rows of the imports that wrote it
            entries = versions.with_first_value(
                entries.filter(versions.field_history(self.field)), self.field)
        return entries

    def query(self, **changes) -> str:
        """The filters as a query string (for the pager's links), with `changes` applied."""
        values = {"user": self.user, "source": self.source, "school": self.school,
                  "field": self.field, "since": self.since.isoformat() if self.since else "",
                  "until": self.until.isoformat() if self.until else ""} | changes
        return urlencode({k: v for k, v in values.items() if v})

    @property
    def without_field(self) -> str:
        return self.query(field="")

    @property
    def active(self) -> bool:
        return any((self.user, self.source, self.since, self.until, self.school, self.field))


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip()[:10]) if text else None
    except ValueError:
        return None


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def source_choices() -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in AuditSource.choices]


PAGE_SIZE = 100
COUNT_CAP = 10_000  # a district's trail holds hundreds of thousands of rows: count up to this


class CappedCount(Paginator):
    """Pages of a long trail without counting all of it: the count stops at COUNT_CAP (shown
    as 「10,000+ 条」), pages go on past it, the next page exists if a row follows this one."""

    @property
    def cap(self) -> int:
        return COUNT_CAP

    @cached_property
    def count(self) -> int:
        """The rows, up to COUNT_CAP + 1 (meaning: more than the cap)."""
        return self.object_list[:COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    def validate_number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError):
            return 1
        return max(1, number) if self.capped else min(max(1, number), self.num_pages)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        rows = list(self.object_list[start:start + self.per_page + 1])
        return TrailPage(rows[:self.per_page], number, self, more=len(rows) > self.per_page)


class TrailPage(Page):
    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


def trail_context(request, entries: QuerySet, *, by_school: bool) -> dict:
    """A filtered page of `entries` (already scoped), newest first, as rows."""
    filters = AuditFilters.from_query(request.GET)
    shown = filters.apply(entries).select_related("school").order_by("-at", "-id")
    page = CappedCount(shown, PAGE_SIZE).page(request.GET.get("page"))
    shown = rows(page, catalog_source.get_catalog(), get_language(), filters.field)
    return {"page": page, "rows": shown, "body": body(shown, by_school=by_school),
            "filters": filters, "source_choices": source_choices(),
            "by_school": by_school, "field_label": field_label(
                catalog_source.get_catalog(), filters.field, get_language())
            if filters.field else ""}
