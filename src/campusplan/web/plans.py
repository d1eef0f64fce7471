"""The plan page's presenter: the budget form, the phases (table and chart), what is unfunded
and unpriced, the lines — every sum with the price coverage and 待定价 N 项 beside it."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from campusplan.catalog.vocabulary import FUNDING, PRICE_LIST, PROJECT_STATUS, label
from campusplan.planning.phasing import Budget
from campusplan.reports import content as c
from campusplan.reports.plan_docx import unpriced_rows
from campusplan.usecases.plans import BudgetInvalid, budget_of

LINES_SHOWN = 100
PICK_SEP = "|"  # school | requirement(s) | price line: the plan line a 立项 button takes up  # the page lists the first lines; the exports hold every one


@dataclass(frozen=True)
class BudgetForm:
    amount: str = "1000000"
    basis: str = "year"
    years: str = "3"
    per: str = "school"
    error: str = ""

    @classmethod
    def from_query(cls, q) -> BudgetForm:
        form = cls(q.get("amount", cls.amount).replace(",", "").strip() or "0",
                   q.get("basis", cls.basis), q.get("years", cls.years), q.get("per", cls.per))
        try:
            form.budget()
        except (BudgetInvalid, ValueError) as exc:
            text = str(exc) if isinstance(exc, BudgetInvalid) else \
                "预算与年数需为数字 / the budget and years must be numbers"
            return cls(form.amount, form.basis, form.years, form.per, text)
        return form

    def budget(self) -> Budget:
        return budget_of(amount=float(self.amount), years=int(self.years), basis=self.basis,
                         per=self.per)

    def query(self) -> str:
        return urlencode({"amount": self.amount, "basis": self.basis, "years": self.years,
                          "per": self.per})

    def message(self, lang: str) -> str:
        zh, en = (self.error.split(" / ", 1) + [""])[:2]
        return zh if lang.startswith("zh") or not en else en


def _pct(v) -> str:
    return "—" if v is None else f"{v:.0%}"


def phases(p: c.Planned, schools: int, lang: str) -> dict:
    """Year by year against the budget, then unfunded and unpriced, with the coverage."""
    tot = c.totals(p.lines)
    b = p.budget
    envelope = b.per_year * (schools if b.per == "school" else 1)
    zh = lang.startswith("zh")
    years = []
    for y in range(1, b.years + 1):
        n, cost = tot["by_year"].get(y, (0, 0.0))
        years.append({"label": f"第{y}年" if zh else f"Year {y}", "lines": n, "cost": cost,
                      "budget": envelope, "left": envelope - cost})
    return {"years": years, "tot": tot, "coverage": _pct(tot["coverage"]), "envelope": envelope}


def chart(p: c.Planned, lang: str) -> dict:
    """Cost per year stacked by priority tier; the last column is what the budget leaves out."""
    zh = lang.startswith("zh")
    cats = [f"第{y}年" if zh else f"Year {y}" for y in range(1, p.budget.years + 1)]
    cats.append(label(FUNDING, "unfunded", lang))
    series = []
    for tier, name in sorted(p.tiers.items()):
        lines = p.lines.filter(p.lines["tier"] == tier)
        data = [float(lines.filter((lines["funding"] == "scheduled") & (lines["year"] == y))
                      ["cost"].sum()) for y in range(1, p.budget.years + 1)]
        data.append(float(lines.filter(lines["funding"] == "unfunded")["cost"].sum()))
        if any(data):
            series.append({"name": f"{tier} {name.get(lang)}", "data": data})
    return {"categories": cats, "series": series}


def lines(p: c.Planned, projects: dict, lang: str) -> list[dict]:
    out = []
    for r in p.lines.head(LINES_SHOWN).iter_rows(named=True):
        key = (r["school_id"], r["requirement_id"] or "", r["line"] or "")
        out.append(r | {"tier_name": p.tiers[r["tier"]].get(lang),
                        "what": r["label"] or r["action"],
                        "funding_label": label(FUNDING, r["funding"], lang),
                        "list_label": label(PRICE_LIST, r["priced_by"], lang)
                        if r["priced_by"] else "—",
                        "project": projects.get(key), "can_buy": r["kind"] != "violation"
                        or bool(r["line"]), "pick": PICK_SEP.join(key),
                        "project_status": label(PROJECT_STATUS, projects[key].status, lang)
                        if key in projects else ""})
    return out


def plan_context(p: c.Planned, schools: int, projects: dict, lang: str) -> dict:
    return {"phases": phases(p, schools, lang), "chart": chart(p, lang),
            "unpriced": unpriced_rows(p), "lines": lines(p, projects, lang),
            "lines_total": p.lines.height, "lines_shown": min(p.lines.height, LINES_SHOWN),
            "tiers": [(n, name.get(lang)) for n, name in sorted(p.tiers.items())],
            "prices_version": p.prices.version, "run": p.run}
