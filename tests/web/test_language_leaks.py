"""A probe for one language per page: every page each role can open, and every download, read in
Chinese and in English.

In English no Chinese may show except what campusplan quotes verbatim from the standard (the
requirement texts, remarks, source quotes, its title and issuer) and the schools' own data (the
names of schools, districts, rooms, services and vendors). In Chinese no internal code may show
as text: the catalog's keys (room types, service categories, facts, parameters, areas, check
kinds) and the vocabulary's keys (status, level, stage…), nor the `\\x1f` that joins a service's
key. Codes inside `<code>` and attributes are for the curious and are not read.
"""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from campusplan.catalog import vocabulary
from campusplan.catalog.codes import districts
from campusplan.catalog.kinds import kinds
from campusplan.catalog.loader import Catalog
from campusplan.exchange.layout import build_layout
from campusplan.exchange.readers import META_SHEET
from campusplan.planning.prices import load_prices
from campusplan.usecases.exports import export, survey
from campusplan.web.school import status_choices
from tests.actors import operator
from tests.factories import EXAMPLES
from tests.web.world import HAIDIAN, NAMES, ROLES, SCHOOLS, A

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
SEP = "\x1f"
NEW_ROOM, NEW_SERVICE, NEW_VENDOR = "新建教室甲", "新服务乙", "新服务商丙"


# --- what may be Chinese in English, what may not be shown in Chinese ---------------------------


def verbatim(catalog: Catalog) -> set[str]:
    """What the standard says in its own words, quoted as is in both languages."""
    std = catalog.standard
    out = {std.identity.title, std.identity.issuer, std.identity.scope_note}
    for _area, item, req in std.requirements():
        out |= {req.text} | ({req.source.quote} if req.source else set())
        if item is not None:
            out |= {*item.remarks}
    out |= {p.source.quote for p in std.parameters} | {s.quote for s in std.planning.sources}
    return {s for s in out if s}


def school_data(catalog: Catalog) -> set[str]:
    """The world's own data: school, district, room, service and vendor names, and the sheet
    names of the workbook uploaded (an import problem or change says where it is in the file)."""
    out = set(NAMES.values()) | {d["zh"] for d in districts().values()} | {
        NEW_ROOM, NEW_SERVICE, NEW_VENDOR}
    out |= {sheet.title.zh for sheet in build_layout(catalog, {}).sheets}
    for *_c, example in SCHOOLS:
        doc = json.loads((EXAMPLES / example).read_text(encoding="utf-8"))
        for school in doc.get("schools", [doc]):
            out |= {r.get("code", "") for r in school.get("rooms", [])}
            out |= {r.get("name", "") for r in school.get("rooms", [])}
            out |= {s.get(k, "") for s in school.get("services", []) for k in ("name", "vendor")}
        out |= {s.get(k, "") for s in doc.get("district_services", []) for k in ("name", "vendor")}
    return {s for s in out if s and CJK.search(s)}


LANGUAGE_NAMES = {"简体中文"}  # the language switch names each language in itself


def allowed_chinese(catalog: Catalog) -> list[str]:
    return sorted(verbatim(catalog) | school_data(catalog) | LANGUAGE_NAMES, key=len,
                  reverse=True)


def internal_codes(catalog: Catalog) -> set[str]:
    """Every key campusplan uses inside: the catalog's, the check kinds', the vocabulary's."""
    facts, std = catalog.facts, catalog.standard
    out = {r.key for r in facts.room_types} | {c.key for c in facts.service_categories}
    out |= {f.key for f in facts.facts} | {p.key for p in std.parameters}
    out |= {a.key for a in std.areas} | set(kinds.keys())
    out |= {r.key for r in std.indicators.ratios} | {c.key for c in std.indicators.counts}
    out |= {key for table in vocabulary.TABLES.values() for key in table}
    return out


def code_pattern(catalog: Catalog) -> re.Pattern:
    words = "|".join(sorted(map(re.escape, internal_codes(catalog)), key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_.\-/]){'(?:' + words + ')'}(?![A-Za-z0-9_\-/])")


def price_sources() -> set[str]:
    """Where each default price comes from: citations of Chinese documents, shown as written
    in the workbooks' price sheet (not yet translated)."""
    return {line.source for line in load_prices().lines if line.source}


def chinese_left(text: str, allowed: list[str]) -> list[str]:
    """The Chinese runs of `text` once the allowed quotes and names are taken out."""
    for s in allowed:
        text = text.replace(s, " ")
    text = re.sub(r"「\s*」|“\s*”|（\s*）", " ", text)
    return [_around(text, m) for m in CJK.finditer(text)]


def codes_shown(text: str, pattern: re.Pattern) -> list[str]:
    return [_around(text, m) for m in pattern.finditer(text)] + (
        ["\\x1f"] if SEP in text else [])


def _around(text: str, m: re.Match) -> str:
    return f"{m.group()!r} in …{text[max(0, m.start() - 30):m.end() + 30]!r}…"


# --- reading a page ----------------------------------------------------------------------------


class _Text(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts, styles or `<code>`."""

    SKIP = {"script", "style", "code", "template"}

    def __init__(self):
        super().__init__()
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        self.depth += tag in self.SKIP

    def handle_endtag(self, tag):
        self.depth -= tag in self.SKIP and self.depth > 0

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


USERNAMES = {role.name for role in ROLES.values()}  # the header names who is signed in


class Probe:
    def __init__(self, catalog: Catalog, lang: str, allowed: set[str] = frozenset()):
        self.lang, self.codes = lang, code_pattern(catalog)
        self.allowed = sorted({*allowed_chinese(catalog), *allowed}, key=len, reverse=True)
        self.leaks: dict[str, list[str]] = {}

    def text(self, where: str, text: str) -> None:
        for name in USERNAMES:
            text = re.sub(rf"(?<![A-Za-z0-9_]){name}(?![A-Za-z0-9_])", " ", text)
        found = (chinese_left(text, self.allowed) if self.lang == "en"
                 else codes_shown(text, self.codes))
        if found:
            self.leaks[where] = found

    def html(self, where: str, response) -> None:
        assert response.status_code in (200, 422), (where, response.status_code)
        html = response.content.decode()
        self.text(where, page_text(html))
        if SEP in html:  # not even inside <code>: nobody can read a control character
            self.leaks.setdefault(where, []).append("\\x1f in the HTML")

    def report(self) -> str:
        """Each leak once, with the first place it was seen and how many places show it."""
        seen: dict[str, list[str]] = {}
        for where, found in self.leaks.items():
            for leak in found:
                seen.setdefault(leak.split(" in …")[0], []).append(f"{where}: {leak}")
        return "\n".join(f"{places[0]}  (+{len(places) - 1} more)" for places in seen.values())


# --- the pages each role opens ----------------------------------------------------------------


def switch(client, lang: str):
    client.post("/i18n/setlang/", {"language": lang, "next": "/"})
    return client


def edit_and_import(client, code: str, tmp_path: Path) -> None:
    """A fact edited on the page, then a workbook with a new room and a new service imported."""
    assert client.post(f"/school/{code}/facts/video_retention_days/", {"value": "31"},
                       headers=HX).status_code == 200
    response = client.post("/import/", {"file": workbook_upload(code, tmp_path)})
    assert response.status_code == 200, response.content.decode()[:2000]
    token = re.search(r'/import/([A-Za-z0-9_-]+)/confirm/', response.content.decode()).group(1)
    assert client.post(f"/import/{token}/confirm/").status_code == 302


def workbook_upload(code: str, tmp_path: Path) -> io.BytesIO:
    """The school's survey workbook with a room and a service added (in Chinese)."""
    path, _n = survey(actor=operator(), path=tmp_path / f"{code}.xlsx", school=code)
    wb = load_workbook(path)
    rooms, services = wb["房间"], wb["服务"]
    _append(rooms, {"学校标识码": code, "房间编号": NEW_ROOM, "房间类型": "智慧教室"})
    _append(services, {"学校标识码": code, "服务类别": "svc38", "服务名称": NEW_SERVICE,
                       "服务商": NEW_VENDOR, "购买单位": "学校.年度"})
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "survey.xlsx"
    return out


def _append(ws, values: dict) -> None:
    heads = {str(c.value).split("（")[0]: c.column for c in ws[1] if c.value}
    row = next(r for r in range(3, ws.max_row + 2) if ws.cell(r, 2).value in (None, ""))
    for head, value in values.items():
        ws.cell(row, heads[head], value)


def urls(role, catalog: Catalog) -> list[str]:
    out = ["/", "/catalog/", "/catalog/?level=optional", "/catalog/params/", "/accounts/tokens/",
           "/lists/schools/?ordering=-rate", "/lists/schools/?status=violation&rate_from=x",
           "/lists/results/?status=failing&per_page=100", "/search/?q=学"]
    out += [f"/catalog/item/{it.number}/" for it in catalog.standard.items()]
    out.append("/prices/")
    if role.level == "city":
        out += ["/city/", "/plan/?amount=300000&per=all"]
    if role.level != "school":
        mine = {d for c, _n, d, _f in SCHOOLS if c in role.visible()}
        for d in sorted(mine):
            out += [f"/district/{d}/", f"/district/{d}/?sort=students&order=desc",
                    f"/district/{d}/?sort=violations", f"/district/{d}/?q=乙",
                    f"/district/{d}/plan/", f"/district/{d}/prices/", f"/district/{d}/projects/"]
    for code in sorted(role.visible()):
        out += [f"/school/{code}/?status={s}" for s, _label in status_choices()]
        out += [f"/school/{code}/?status=all&area={a.key}" for a in catalog.standard.areas]
        out += [f"/school/{code}/audit/", f"/school/{code}/plan/?amount=50000"]
    return out


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize("role_key", list(ROLES))
def test_every_page_speaks_one_language(world, login, product_catalog, tmp_path, role_key,
                                        lang):
    role = ROLES[role_key]
    editor = login(world[role_key] if role.can_edit() else world["city"])
    target = A if A in role.visible() else sorted(role.visible())[0]
    probe = Probe(product_catalog, lang, price_sources())  # the price pages cite them
    switch(editor, lang)
    response = editor.post("/import/", {"file": workbook_upload(target, tmp_path)}, headers=HX)
    probe.html("import preview", response)
    edit_and_import(editor, target, tmp_path)
    client = switch(login(world[role_key]), lang)
    for url in urls(role, product_catalog):
        probe.html(url, client.get(url, follow=True))
    if role.can_edit():
        probe.html("/import/", client.get("/import/"))
    assert not probe.leaks, probe.report()


# --- the downloads ------------------------------------------------------------------------------


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def xlsx_cells(content: bytes | Path) -> list[tuple[str, str]]:
    """(sheet!cell, text) of every text cell a reader sees (the dropdowns' lists too; not the
    hidden metadata)."""
    wb = load_workbook(content if isinstance(content, Path) else io.BytesIO(content))
    return [(f"{ws.title}!{c.coordinate}", str(c.value)) for ws in wb.worksheets
            if ws.title != META_SHEET
            for row in ws.iter_rows() for c in row if isinstance(c.value, str)] + [
        (f"sheet {ws.title}", ws.title) for ws in wb.worksheets]


def check_cells(probe: Probe, name: str, cells: list[tuple[str, str]]) -> None:
    for where, text in cells:
        probe.text(f"{name} {where}", text)


def test_english_downloads(world, login, product_catalog, tmp_path):
    probe = Probe(product_catalog, "en", price_sources())
    city = switch(login(world["city"]), "en")
    edit_and_import(city, A, tmp_path)
    probe.text("school report", docx_text(city.get(f"/school/{A}/report.docx").content))
    check_cells(probe, "district workbook",
                xlsx_cells(city.get(f"/district/{HAIDIAN}/workbook.xlsx").content))
    check_cells(probe, "city workbook", xlsx_cells(city.get("/city/workbook.xlsx").content))
    check_cells(probe, "school list", xlsx_cells(
        city.get("/lists/schools.xlsx?status=failing&type=211").content))
    check_cells(probe, "result list", xlsx_cells(
        city.get("/lists/results.xlsx?status=gap&level=required").content))
    path, _n = survey(actor=operator(), path=tmp_path / "survey-en.xlsx", school=A, lang="en")
    check_cells(probe, "survey", xlsx_cells(path))
    blank, _n = survey(actor=operator(), path=tmp_path / "blank-en.xlsx", lang="en")
    check_cells(probe, "blank survey", xlsx_cells(blank))
    paths, _n = export(actor=operator(), path=tmp_path / "export-en.xlsx", school=A, lang="en")
    for path in paths:
        check_cells(probe, f"export {path.name}", xlsx_cells(path))
    assert not probe.leaks, probe.report()
