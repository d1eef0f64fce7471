"""The school's audit trail as rows a person reads: what changed (a room, a service by its
category's label, an assessment run), which value by the survey workbook's name for it, and the
values as the reader's language calls them (a room type's label, not its key)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from campusplan.accounts.models import AuditEntry
from campusplan.catalog import vocabulary as v
from campusplan.catalog.loader import Catalog
from campusplan.engine.explain import LIST_SEP
from campusplan.web.facts import field_label, subject_text, value_text

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


def row(entry: AuditEntry, catalog: Catalog, lang: str) -> AuditRow:
    if entry.object_type == RUN:
        return AuditRow(entry, subject(entry, catalog, lang), _("新建评估"), entry.before,
                        run_summary(entry.after, lang))
    return AuditRow(entry, subject(entry, catalog, lang), field_label(catalog, entry.field, lang),
                    value_text(catalog, entry.field, entry.before, lang),
                    value_text(catalog, entry.field, entry.after, lang))


def rows(entries, catalog: Catalog, lang: str) -> list[AuditRow]:
    return [row(e, catalog, lang) for e in entries]
