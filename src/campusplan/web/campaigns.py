"""The campaign pages' pieces: the online form's sections (facts of the campaign's areas, each
with its unit, allowed range and the requirements it serves) and the labels of review values."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from campusplan.assessments.selectors import run_rate
from campusplan.campaigns.selectors import campaign_fact_keys, official_parts, rates
from campusplan.campaigns.selectors import latest_campaign as cs_latest
from campusplan.catalog import expr
from campusplan.catalog.loader import Catalog
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
class FormRow:
    row: facts.FactRow
    serves: list[str]

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


def sections(catalog: Catalog, campaign, school, lang: str) -> list[FormSection]:
    keys = set(campaign_fact_keys(campaign, catalog))
    values, table = facts.stored(school), serves(catalog)
    out = []
    for area in catalog.standard.areas:
        rows = [FormRow(facts.fact_row(f, values.get(f.key), lang), table.get(f.key, []))
                for f in catalog.facts.facts if f.key in keys and f.area == area.key]
        if rows:
            out.append(FormSection(area.key, area.name.get(lang_code(lang)), rows))
    return out


def section_of(catalog: Catalog, campaign, school, key: str, lang: str) -> FormSection | None:
    return next((s for s in sections(catalog, campaign, school, lang)
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
