"""A district's readiness against a standard with group rules, as a workbook or a Word
document: exactly the readiness page — per indicator and 学段 the schools, how many meet it, how
many lack data, the district figure, the 校际差异系数 with its limit and the county verdict; then
the rules over other rules (6 of 7) — headed by the standard's identity, its version and the
day it was judged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import IO

from openpyxl import Workbook

from campusplan.catalog.loader import Catalog
from campusplan.catalog.vocabulary import STAGE, STATUS, label
from campusplan.reports import docx_tools as dx
from campusplan.reports import xlsx_tools as xt
from campusplan.reports.content import district_name
from campusplan.reports.labels import num, t

CV, FIGURE = "0.000", "0.00"


@dataclass(frozen=True)
class ReadinessSheet:
    """What the page shows, in the reader's language: the use case's readiness rows
    (engine/readiness.py) of one district, judged on `today` (Asia/Shanghai)."""

    catalog: Catalog
    district: str
    schools: int
    rows: list[dict]
    overall: list[dict]
    lang: str
    today: dt.date

    @property
    def district_label(self) -> str:
        return district_name(self.district, self.lang)

    def heading(self) -> str:
        return t("readiness_title", self.lang, district=self.district_label)

    def identity_lines(self) -> list[tuple[str, str]]:
        ident, lang = self.catalog.standard.identity, self.lang
        return [(t("r_standard", lang), f"《{ident.title}》" if lang.startswith("zh")
                 else ident.title),
                (t("r_number", lang), ident.number or "—"),
                (t("r_issuer", lang), f"{ident.issuer}，{ident.date}" if lang.startswith("zh")
                 else f"{ident.issuer}, {ident.date}"),
                (t("k_catalog", lang), self.catalog.version),
                (t("c_district", lang), self.district_label),
                (t("k_schools", lang), str(self.schools)),
                (t("r_judged_on", lang), self.today.isoformat())]

    def stages(self) -> list[tuple[str, list[dict]]]:
        """(学段 label, its rows in item order), the 学段 in the order the rows name them."""
        by: dict[str, list[dict]] = {}
        for r in self.rows:
            by.setdefault(r["stage"], []).append(r)
        return [(label(STAGE, st, self.lang), rows) for st, rows in by.items()]

    def title_of(self, row: dict) -> str:
        return row["title"] if self.lang.startswith("zh") else row["title_en"]

    def area_of(self, row: dict) -> str:
        areas = {a.key: a.name.get(self.lang) for a in self.catalog.standard.areas}
        return areas.get(row["area"], row["area"])

    def verdict(self, status: str) -> str:
        return label(STATUS, status, self.lang)


def indicator_head(lang: str) -> list[str]:
    return [t(k, lang) for k in ("p_stage", "r_item", "r_indicator", "c_schools", "r_met",
                                 "r_unknown", "r_mean", "r_cv", "r_limit", "r_verdict")]


def overall_head(lang: str) -> list[str]:
    return [t(k, lang) for k in ("c_area", "r_rule", "r_rule_text", "c_schools", "r_met",
                                 "r_unknown")]


# --- the workbook ------------------------------------------------------------------------------


def write_readiness_xlsx(r: ReadinessSheet, out: str | IO[bytes]) -> None:
    """Sheet 1: the heading, the standard's identity, one row per indicator and 学段 (numbers as
    numbers); sheet 2: the rules over other rules."""
    lang = r.lang
    wb = Workbook()
    ws = wb.active
    ws.title = t("s_readiness", lang)
    xt.title(ws, r.heading(), lang)
    top, _ = xt.write_table(ws, [t("c_item_of", lang), t("c_value", lang)], r.identity_lines(),
                            lang, top=3, filters=False)
    top += 2
    # the indicator's title in column B, which the identity's long values widen anyway
    rows = [[stage, r.title_of(x), x["item"], x["schools"], x["met"], x["unknown"],
             _plain(x["mean"]), x["figure"], _plain(x["limit"]), r.verdict(x["verdict"])]
            for stage, group in r.stages() for x in group]
    stage_h, item_h, title_h, *rest = indicator_head(lang)
    xt.write_table(ws, [stage_h, title_h, item_h, *rest], rows, lang, top=top,
                   formats={2: xt.INT, 3: xt.INT, 4: xt.INT, 5: xt.INT, 6: FIGURE, 7: CV,
                            8: FIGURE})
    ws.cell(top + len(rows) + 2, 1, xt.safe(t("readiness_note", lang)))
    xt.print_setup(ws, t("footer", lang, page="&P", pages="&N"), title_rows=f"{top}:{top}")
    rules = wb.create_sheet(t("s_readiness_overall", lang))
    xt.write_table(rules, overall_head(lang),
                   [[r.area_of(o), o["rule"], o["text"], o["schools"], o["met"], o["unknown"]]
                    for o in r.overall], lang, formats={3: xt.INT, 4: xt.INT, 5: xt.INT})
    xt.print_setup(rules, t("footer", lang, page="&P", pages="&N"), title_rows="1:1")
    wb.properties.title = r.heading()
    wb.properties.creator = "campusplan"
    wb.save(out)


def _plain(v: float | None) -> float | None:
    """A single-precision figure (a parameter, a mean) without its binary noise (0.449999988 →
    0.45): seven significant digits, all a Float32 holds; the CV is double and kept whole."""
    return None if v is None else float(f"{v:.7g}")


# --- the Word document -------------------------------------------------------------------------


def write_readiness_docx(r: ReadinessSheet, out: str | IO[bytes]) -> None:
    """The heading, the identity as a key/value grid, a table per 学段 and the rules over rules,
    the figures written as the page writes them (CV to 3 places, — for unknown)."""
    lang = r.lang
    doc = dx.new_document(lang)
    doc.add_heading(r.heading(), level=0)
    pairs = r.identity_lines()
    grid = [[k1, v1, k2, v2] for (k1, v1), (k2, v2) in zip(pairs[::2], pairs[1::2],
                                                            strict=False)]
    if len(pairs) % 2:
        grid.append([pairs[-1][0], pairs[-1][1], "", ""])
    dx.add_table(doc, None, grid, [3.0, 5.0, 3.0, 5.0])
    doc.add_paragraph(t("readiness_note", lang))
    head = indicator_head(lang)[1:]
    for stage, group in r.stages():
        doc.add_heading(stage, level=2)
        body = [[x["item"], r.title_of(x), x["schools"], x["met"], x["unknown"], num(x["mean"]),
                 num(x["figure"], 3), num(x["limit"]), r.verdict(x["verdict"])] for x in group]
        dx.add_table(doc, head, body, [1.3, 3.4, 1.2, 1.2, 1.2, 2.0, 1.5, 1.5, 1.7],
                     numeric={0, 2, 3, 4, 5, 6, 7})
    if not r.rows:
        doc.add_paragraph(t("readiness_empty", lang))
    if r.overall:
        doc.add_heading(t("s_readiness_overall", lang), level=2)
        dx.add_table(doc, overall_head(lang),
                     [[r.area_of(o), o["rule"], o["text"], o["schools"], o["met"], o["unknown"]]
                      for o in r.overall], [2.2, 1.8, 6.4, 1.6, 1.6, 1.6], numeric={3, 4, 5})
    dx.page_footer(doc, t("footer", lang, page="{page}", pages="{pages}"))
    doc.save(out)
