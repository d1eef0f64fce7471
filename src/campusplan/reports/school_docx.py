"""A school's Word report: 《XX学校信息化建设达标评估与建设规划报告》.

Sections, numbered the way a Chinese school office writes them: 一、基本情况 (profile table);
二、达标情况 (overview, table by area, native bar chart); 三、未达标与违规事项 (every gap and
violation with its explanation; required facts still missing); 四、建设规划与预算 (plan lines with
priority, quantity, price, cost, year; totals by year; yearly cost of purchased services);
五、编制说明 (standard, prices, budget, how priorities and phasing work). A4, 宋体/黑体, page
numbers in the footer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import polars as pl
from docx.document import Document as DocumentType

from campusplan.reports import content as c
from campusplan.reports import docx_tools as dx
from campusplan.reports.docx_chart import add_bar_chart
from campusplan.reports.labels import (
    FUNDING,
    LEVEL,
    LINE_KIND,
    PROVIDER,
    SMART_PHASE,
    STATUS,
    money,
    paren,
    pct,
    rate_text,
    req_ids,
    t,
    word,
)
from campusplan.reports.labels import qty as fmt_qty


@dataclass(frozen=True)
class Attachments:
    """What the report lists beside the findings: the school's evidence files (requirement,
    kind, file name, size in bytes, uploaded) and its approvals and waivers in force (kind,
    requirement, approver, valid through), all already in the reader's language."""

    evidence: list[tuple[str, str, str, int, str]] = field(default_factory=list)
    approvals: list[tuple[str, str, str, str]] = field(default_factory=list)


def write_school_docx(p: c.Planned, school_id: str, out: str | Path | IO[bytes],
                      attachments: Attachments | None = None) -> None:
    """Write the report of one school (`school_id` must be in the assessment)."""
    build_school_docx(p, school_id, attachments).save(out)


def build_school_docx(p: c.Planned, school_id: str,
                      attachments: Attachments | None = None) -> DocumentType:
    if school_id not in p.schools:
        raise KeyError(school_id)
    lang = p.lang
    doc = dx.new_document(lang)
    prof = c.profile(p, school_id)
    _cover(doc, p, prof)
    _profile(doc, p, prof)
    _compliance(doc, p, school_id)
    _findings(doc, p, school_id)
    _evidence(doc, p.lang, attachments or Attachments())
    _plan(doc, p, school_id)
    _notes(doc, p)
    dx.page_footer(doc, t("footer", lang, page="{page}", pages="{pages}"))
    props = doc.core_properties
    props.title, props.author = t("school_title", lang, school=prof["name"]), "campusplan"
    props.language = "zh-CN" if lang.startswith("zh") else "en-US"
    return doc


def _cover(doc: DocumentType, p: c.Planned, prof: dict) -> None:
    lang, ident = p.lang, p.assessment.catalog.standard.identity
    doc.add_heading(t("school_title", lang, school=prof["name"]), level=0)
    dx.paragraph(doc, t("basis_line", lang, standard=ident.title, issuer=ident.issuer,
                        date=ident.date), size=10.5, center=True)
    dx.paragraph(doc, t("date_line", lang, as_of=p.as_of.isoformat()), size=10.5, center=True)
    if p.run is not None:
        dx.paragraph(doc, t("run_line", lang, run=p.run), size=10.5, center=True)
    dx.paragraph(doc, t("versions_line", lang, catalog=p.assessment.catalog.version,
                        prices=p.prices.version), size=10.5, center=True)


def _profile(doc: DocumentType, p: c.Planned, prof: dict) -> None:
    lang = p.lang
    doc.add_heading(t("h_profile", lang), level=1)
    phase = prof["smart_phase"]
    rows = [[t("p_name", lang), prof["name"], t("p_code", lang), prof["school_id"]],
            [t("p_district", lang), prof["district_name"] + paren(prof["district"], lang),
             t("p_type", lang), prof["type_name"] + paren(prof["type"], lang)],
            [t("p_teachers", lang), _n(prof["teachers"]),
             t("p_smart", lang), word(SMART_PHASE, phase, lang) if phase else "—"]]
    dx.add_table(doc, None, rows, [3.2, 4.8, 3.2, 4.8])
    doc.add_paragraph()
    head = [t(k, lang) for k in ("p_stage", "p_classes", "p_students", "p_max_class")]
    rows = [[s["stage"], _n(s["classes"]), _n(s["students"]), _n(s["max_class_size"])]
            for s in prof["stages"]]
    if len(rows) > 1:
        rows.append([t("p_total", lang), _n(prof["classes"]), _n(prof["students"]), ""])
    dx.add_table(doc, head, rows, [4.0, 4.0, 4.0, 4.0], numeric={1, 2, 3})


def _n(v) -> str:
    return "—" if v is None else str(v)


def _compliance(doc: DocumentType, p: c.Planned, school_id: str) -> None:
    lang = p.lang
    doc.add_heading(t("h_compliance", lang), level=1)
    o = c.overall(p, [school_id])
    threshold = pct(p.assessment.catalog.standard.min_completeness())
    doc.add_paragraph(t("overview", lang, **{
        **o, "rate": pct(o["rate"]), "completeness": pct(o["completeness"]),
        "comparable": t("not_comparable_note", lang, pct=threshold)
        if o["comparable"] is False else ""}))
    areas = c.area_rows(p, [school_id])
    doc.add_heading(t("h_chart", lang), level=2)
    add_bar_chart(doc, [a["name"] for a in areas], [a["rate"] for a in areas],
                  t("chart_series_rate", lang), 15.5, 6.5, dx.BODY_EA)
    doc.add_heading(t("h_by_area", lang), level=2)
    head = [t(k, lang) for k in ("c_area", "c_met", "c_gaps", "c_violations", "c_unknown",
                                 "c_optional_gaps", "c_rate", "c_judged", "c_completeness")]
    rows = [[a["name"], a["met"], a["gaps"], a["violations"], a["unknown"], a["optional_gaps"],
             rate_text(a["rate"], a["comparable"], lang), a["judged"], pct(a["completeness"])]
            for a in areas]
    rows.append([t("p_total", lang), o["met"], o["gaps"], o["violations"], o["unknown"],
                 o["optional_gaps"], rate_text(o["rate"], o["comparable"], lang), o["judged"],
                 pct(o["completeness"])])
    dx.bold_last_row(dx.add_table(doc, head, rows,
                                  [3.0, 1.5, 1.6, 1.3, 1.5, 1.6, 2.3, 1.4, 1.8],
                                  numeric=set(range(1, 9))))


def _findings(doc: DocumentType, p: c.Planned, school_id: str) -> None:
    lang = p.lang
    doc.add_heading(t("h_findings", lang), level=1)
    doc.add_heading(t("h_issues", lang), level=2)
    rows = [[i, r["requirement_id"], r["item_label"],
             word(LEVEL, r["level"], lang), word(STATUS, r["status"], lang), r["explanation"]]
            for i, r in enumerate(c.findings(p, school_id), 1)]
    head = [t(k, lang) for k in ("c_no", "c_req", "c_item", "c_level", "c_status",
                                 "c_explanation")]
    if rows:
        dx.add_table(doc, head, rows, [1.3, 1.6, 3.4, 1.2, 1.5, 7.0], numeric={0})
    else:
        doc.add_paragraph(t("no_findings", lang))
    doc.add_heading(t("h_unknown", lang), level=2)
    missing = [r for r in c.findings(p, school_id, ("unknown",)) if r["level"] == "required"]
    if not missing:
        doc.add_paragraph(t("no_unknown", lang))
        return
    doc.add_paragraph(t("unknown_note", lang))
    rows = [[i, r["requirement_id"], r["item_label"], r["explanation"]]
            for i, r in enumerate(missing, 1)]
    dx.add_table(doc, [head[0], head[1], head[2], head[5]], rows, [1.3, 1.6, 4.4, 8.7],
                 numeric={0})


def _evidence(doc: DocumentType, lang: str, a: Attachments) -> None:
    doc.add_heading(t("h_evidence", lang), level=2)
    if not a.evidence and not a.approvals:
        doc.add_paragraph(t("no_evidence", lang))
        return
    if a.evidence:
        head = [t(k, lang) for k in ("c_no", "c_req", "c_evidence_kind", "c_file",
                                     "c_uploaded")]
        rows = [[i, req or "—", kind, f"{name}（{_size(size)}）", at]
                for i, (req, kind, name, size, at) in enumerate(a.evidence, 1)]
        dx.add_table(doc, head, rows, [1.3, 1.6, 2.2, 7.4, 3.5], numeric={0})
    if a.approvals:
        head = [t(k, lang) for k in ("c_no", "c_approval", "c_req", "c_approver", "c_expires")]
        rows = [[i, kind, req or "—", who, until]
                for i, (kind, req, who, until) in enumerate(a.approvals, 1)]
        dx.add_table(doc, head, rows, [1.3, 4.0, 1.6, 5.6, 3.5], numeric={0})


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{max(1, round(n / 1024))} KB"


def plan_rows(lines: pl.DataFrame, tiers: dict, lang: str) -> list[list]:
    """The plan table's rows: what, closes, quantity, unit price, cost, year, funding."""
    out = []
    for i, r in enumerate(lines.iter_rows(named=True), 1):
        what = r["label"] or r["action"]
        closes = req_ids(r["requirement_id"], lang) or word(LINE_KIND, "refresh", lang)
        out.append([i, f"{r['tier']} {tiers[r['tier']].get(lang)}", what, closes,
                    f"{fmt_qty(r['quantity'])} {r['unit']}".strip(),
                    _unit_price(r, lang),
                    money(r["cost"]), r["year"] or "—", word(FUNDING, r["funding"], lang)])
    return out


def _unit_price(line: dict, lang: str) -> str:
    if not line["priced"]:
        return t("pending", lang)
    return "—" if line["line"] is None else money(line["unit_price"])  # an action: nothing to buy


def _plan(doc: DocumentType, p: c.Planned, school_id: str) -> None:
    lang = p.lang
    doc.add_heading(t("h_plan", lang), level=1)
    order = t("tier_sep", lang).join(name.get(lang) for _n, name in sorted(p.tiers.items()))
    doc.add_paragraph(t("plan_note", lang, tiers=order))
    doc.add_heading(t("h_lines", lang), level=2)
    lines = c.school_lines(p, school_id)
    head = [t(k, lang) for k in ("c_no", "c_tier", "c_what", "c_closes", "c_qty", "c_price",
                                 "c_cost", "c_year", "c_funding")]
    if lines.height:
        dx.add_table(doc, head, plan_rows(lines, p.tiers, lang),
                     [1.2, 2.3, 3.2, 1.6, 1.2, 1.8, 2.2, 1.0, 1.5], numeric={0, 4, 5, 6, 7})
    else:
        doc.add_paragraph(t("no_lines", lang))
    doc.add_heading(t("h_totals", lang), level=2)
    dx.bold_last_row(dx.add_table(doc, [t(k, lang) for k in ("c_item_of", "c_lines", "c_cost")],
                                  totals_rows(c.totals(lines), lang), [8.0, 3.0, 5.0],
                                  numeric={1, 2}))
    _services(doc, p, school_id)


def totals_rows(tot: dict, lang: str) -> list[list]:
    """Year by year, then scheduled, unfunded, unpriced, and the priced total last."""
    years = [[t("t_year", lang, year=y), n, money(v)] for y, (n, v) in tot["by_year"].items()]
    return years + [
        [t("t_scheduled", lang), tot["scheduled_lines"], money(tot["scheduled"])],
        [t("t_unfunded", lang), tot["unfunded_lines"], money(tot["unfunded"])],
        [t("t_unpriced", lang), tot["unpriced"], "—"],
        [t("t_priced_total", lang), tot["lines"] - tot["unpriced"], money(tot["priced_total"])],
    ]


def _services(doc: DocumentType, p: c.Planned, school_id: str) -> None:
    svc = p.services.filter(pl.col("school_id") == school_id)
    if svc.height == 0:
        return
    lang = p.lang
    doc.add_heading(t("h_services", lang), level=2)
    head = [t(k, lang) for k in ("c_service", "c_vendor", "c_provided_by", "c_purchase_unit",
                                 "c_price", "c_units", "c_yearly_cost")]
    rows = [[r["name"], r["vendor"], word(PROVIDER, r["provided_by"], lang),
             p.purchase_unit(r["billing_unit"]), money(r["price_per_unit"]), _n(r["units"]),
             money(r["yearly_cost"])] for r in svc.iter_rows(named=True)]
    rows.append([t("t_services", lang), "", "", "", "", "",
                 money(svc["yearly_cost"].sum())])
    dx.bold_last_row(dx.add_table(doc, head, rows, [3.4, 2.6, 1.6, 2.2, 2.0, 1.6, 2.6],
                                  numeric={4, 5, 6}))


def _notes(doc: DocumentType, p: c.Planned) -> None:
    lang, b = p.lang, p.budget
    doc.add_heading(t("h_notes", lang), level=1)
    ident = p.assessment.catalog.standard.identity
    per = t("per_school" if b.per == "school" else "per_all", lang)
    for i, text in enumerate([
        t("note_standard", lang, standard=ident.title, catalog=p.assessment.catalog.version),
        t("note_rate", lang),
        t("note_comparable", lang, pct=pct(p.assessment.catalog.standard.min_completeness())),
        t("note_prices", lang, prices=p.prices.version),
        t("note_budget", lang, per=per, amount=money(b.per_year), years=b.years),
        t("note_generated", lang, today=dt.date.today().isoformat()),
    ], 1):
        doc.add_paragraph(f"{i}. {text}")
