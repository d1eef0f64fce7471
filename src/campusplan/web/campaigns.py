"""The campaign pages' pieces: the online form's sections (facts of the campaign's areas, each
with its unit, allowed range and the requirements it serves) and the labels of review values."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from campusplan.assessments.selectors import run_rate
from campusplan.campaigns.choices import OPEN
from campusplan.campaigns.selectors import (
    campaign_fact_keys,
    official_parts,
    rates,
    since_accepted,
)
from campusplan.campaigns.selectors import latest_campaign as cs_latest
from campusplan.catalog import expr
from campusplan.catalog.loader import Catalog
from campusplan.catalog.schema import FactType
from campusplan.i18n import local_time
from campusplan.usecases import campaigns as uc
from campusplan.web import facts
from campusplan.web.school import lang_code

_SERVES: dict[str, dict[str, list[str]]] = {}


def serves(catalog: Catalog) -> dict[str, list[str]]:
    """Fact key → the ids of the requirements whose check or applicability reads it."""
    if catalog.checksum not in _SERVES:
        out: dict[str, list[str]] = {}
        for _area, _item, req in catalog.standard.requirements():
            texts = dict(req.check.reads()) | ({"applies": req.applies} if req.applies else {})
            for text in texts.values():
                for ns, name in expr.refs(expr.parse(text)):
                    if ns == "fact" and req.id not in out.setdefault(name, []):
                        out[name].append(req.id)
        _SERVES[catalog.checksum] = out
    return _SERVES[catalog.checksum]


@dataclass(frozen=True)
class Newer:
    """The value stored now, when the row starts from the last accepted one instead."""

    display: str
    by: str
    at: str


@dataclass(frozen=True)
class FormRow:
    row: facts.FactRow
    serves: list[str]
    newer: Newer | None = None

    @property
    def requirements(self) -> list[tuple[str, int]]:
        """(requirement id, item number) of what the fact serves: 22-1 is of item 22."""
        return [(r, int(r.split("-")[0])) for r in self.serves if r.split("-")[0].isdigit()]

    @property
    def range(self) -> str:
        f = self.row.fact
        if f.min is None and f.max is None:
            return ""
        lo = "" if f.min is None else f"{f.min:g}"
        hi = "" if f.max is None else f"{f.max:g}"
        return f"{lo}–{hi}"


@dataclass(frozen=True)
class FormSection:
    key: str
    name: str
    rows: list[FormRow]

    @property
    def known(self) -> int:
        return sum(r.row.value is not None for r in self.rows)

    @property
    def progress(self) -> float:
        return self.known / len(self.rows) if self.rows else 0.0


def sections(catalog: Catalog, campaign, school, lang: str,
             start: dict | None = None) -> list[FormSection]:
    """The online form by area. `start` (key → campaigns.selectors.SinceAccepted) names the
    values changed since the last acceptance: their rows start from the accepted value and
    show the newer one beside it."""
    keys = set(campaign_fact_keys(campaign, catalog))
    values, table, start = facts.stored(school), serves(catalog), start or {}
    out = []
    for area in catalog.standard.areas:
        rows = [_form_row(f, values.get(f.key), table.get(f.key, []), start.get(f"fact.{f.key}"),
                          lang)
                for f in catalog.facts.facts if f.key in keys and f.area == area.key]
        if rows:
            out.append(FormSection(area.key, area.name.get(lang_code(lang)), rows))
    return out


def _form_row(fact, fv, serves_: list[str], since, lang: str) -> FormRow:
    row = facts.fact_row(fact, fv, lang)
    if since is None:
        return FormRow(row, serves_)
    accepted = since.accepted
    if fact.type == FactType.int and isinstance(accepted, float) and accepted.is_integer():
        accepted = int(accepted)
    return FormRow(replace(row, value=accepted, provenance=""), serves_,
                   Newer(row.display, since.by, local_time(since.at) if since.at else ""))


def start_of(sub) -> dict:
    """The values the submission has still to settle, by key (none once it is locked)."""
    return {c.key: c for c in since_accepted(sub)} if sub.state in OPEN else {}


def section_of(catalog: Catalog, campaign, school, key: str, lang: str,
               start: dict | None = None) -> FormSection | None:
    return next((s for s in sections(catalog, campaign, school, lang, start)
                 if any(r.row.key == key for r in s.rows)), None)


def value_label(catalog: Catalog, key: str, lang: str) -> str:
    """A reviewed value's name (fact.x, teachers, stage.primary.students) as the workbook's."""
    return facts.field_label(catalog, key, lang)


@dataclass(frozen=True)
class TrendPoint:
    label: str
    rate: float | None


def official_name(campaign) -> str:
    """The official run's name in the reader's language (the stored label is Chinese data)."""
    return _("%(year)s学年 正式评估") % {"year": campaign.school_year}


def dashboard_panel(actor, schools, districts) -> dict:
    """The dashboards' campaign figures: the latest campaign's 上报率 / 及时率 and the trend of
    the compliance rate over the confirmed campaigns' official runs."""
    latest = cs_latest(uc.visible_campaigns(actor))
    by_campaign: dict[int, tuple[str, list[int]]] = {}
    for part in official_parts(districts):
        by_campaign.setdefault(part.campaign_id, (official_name(part.campaign),
                                                  []))[1].append(part.run_id)
    trend = [TrendPoint(label, run_rate(run_ids=ids, schools=schools))
             for label, ids in by_campaign.values()]
    return {"campaign": latest, "campaign_rates": rates(latest, schools) if latest else None,
            "trend": trend}
