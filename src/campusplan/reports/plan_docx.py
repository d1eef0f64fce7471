"""The plan page as a Word document: the budget, the phases with the price coverage beside
every sum, what is still unpriced (with its quantities) and every line — exactly the plan the
page shows (the same Planned)."""

from __future__ import annotations

from typing import IO

import polars as pl

from campusplan.catalog.vocabulary import BUDGET_PER, PRICE_LIST, label
from campusplan.reports import content as c
from campusplan.reports import docx_tools as dx
from campusplan.reports.labels import money, t
from campusplan.reports.labels import qty as fmt_qty
from campusplan.reports.school_docx import plan_rows, totals_rows


def coverage_text(tot: dict, lang: str) -> str:
    cov = tot["coverage"]
    return t("t_coverage", lang, coverage="—" if cov is None else f"{cov:.0%}",
             unpriced=tot["unpriced"])


def unpriced_rows(p: c.Planned) -> list[dict]:
    """What is still unpriced, by price line (a remedy without one, by its action): total
    quantity, lines and schools; the most frequent first."""
    lines = p.lines.filter(pl.col("funding") == "unpriced")
    if lines.height == 0:
        return []
    what = pl.when(pl.col("label") != "").then(pl.col("label")).otherwise(pl.col("action"))
    rows = (lines.with_columns(what.alias("what"),
                               pl.col("line").fill_null("").alias("_key"))
            .group_by("_key", "what", maintain_order=True)
            .agg(pl.col("line").first(), pl.col("unit").first(),
                 pl.col("quantity").sum(), pl.len().alias("lines"),
                 pl.col("school_id").n_unique().alias("schools"))
            .sort(["lines", "_key"], descending=[True, False]))
    return rows.drop("_key").to_dicts()


def write_plan_docx(p: c.Planned, scope: str, out: str | IO[bytes]) -> None:
    lang = p.lang
    doc = dx.new_document(lang)
    doc.add_heading(t("plan_title", lang, scope=scope), level=0)
    b = p.budget
    doc.add_paragraph(t("budget_line", lang, per_year=money(b.per_year), years=b.years,
                        per=label(BUDGET_PER, b.per, lang), prices=p.prices.version))
    order = t("tier_sep", lang).join(name.get(lang) for _n, name in sorted(p.tiers.items()))
    doc.add_paragraph(t("plan_note", lang, tiers=order))
    tot = c.totals(p.lines)
    doc.add_heading(t("h_totals", lang), level=2)
    dx.bold_last_row(dx.add_table(doc, [t(k, lang) for k in ("c_item_of", "c_lines", "c_cost")],
                                  totals_rows(tot, lang), [8.0, 3.0, 5.0], numeric={1, 2}))
    doc.add_paragraph(coverage_text(tot, lang))
    doc.add_heading(t("h_unpriced", lang), level=2)
    rows = [[r["what"], f"{fmt_qty(r['quantity'])} {r['unit']}".strip(), r["lines"],
             r["schools"]] for r in unpriced_rows(p)]
    if rows:
        dx.add_table(doc, [t("c_what", lang), t("c_qty", lang), t("c_lines", lang),
                           t("c_schools", lang)], rows, [7.0, 3.0, 3.0, 3.0], numeric={2, 3})
    doc.add_heading(t("h_lines", lang), level=2)
    if p.lines.height:
        body = plan_rows(p.lines, p.tiers, lang)
        for row, r in zip(body, p.lines.iter_rows(named=True), strict=True):
            row.insert(1, r["school"] or r["school_id"])
            row.append(label(PRICE_LIST, r["priced_by"], lang) if r["priced_by"] else "—")
        head = [t(k, lang) for k in ("c_no", "c_school", "c_tier", "c_what", "c_closes", "c_qty",
                                     "c_price", "c_cost", "c_year", "c_funding", "c_list")]
        dx.add_table(doc, head, body, [0.9, 2.0, 1.8, 2.6, 1.4, 1.1, 1.4, 1.6, 0.8, 1.2, 1.4],
                     numeric={0, 5, 6, 7, 8})
    else:
        doc.add_paragraph(t("no_lines", lang))
    dx.page_footer(doc, t("footer", lang, page="{page}", pages="{pages}"))
    doc.save(out)
