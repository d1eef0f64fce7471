"""In Chromium: from the city dashboard's worst requirement to the schools failing it and their
workbook in two clicks (the workbook's rows are the list's rows); a saved view brings its
filters back."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.web.test_browser import browser, log_in, page  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def list_rows(tab) -> list[list[str]]:
    """The list table's rows as the reader sees them (code, name, …)."""
    return tab.eval_on_selector_all(
        "#list-table tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))")


def workbook_rows(content: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    blank = next(i for i, r in enumerate(rows) if all(v is None for v in r))
    return rows[blank + 2:]  # below the heading lines, the blank row and the header


def test_worst_requirement_to_failing_schools_and_their_workbook(live_server, page, world):  # noqa: F811
    log_in(page, live_server.url, "city")
    page.goto(f"{live_server.url}/city/")
    worst = page.locator("a[data-failing]").first
    cells = worst.locator("xpath=ancestor::tr/td").all_inner_texts()
    failing = int(cells[2]) + int(cells[3])  # 未达标 + 违规
    worst.click()  # click 1
    page.wait_for_url("**/lists/schools/?failing_requirement=*")
    shown = list_rows(page)
    assert len(shown) == failing > 0
    assert page.locator("[data-count]").first.get_attribute("data-count") == str(failing)
    with page.expect_download() as download:
        page.click("#export-xlsx")  # click 2
    exported = workbook_rows(Path(download.value.path()).read_bytes())
    assert [[str(r[0]), r[1]] for r in exported] == [row[:2] for row in shown]


def test_a_saved_view_restores_its_filters(live_server, page, world):  # noqa: F811
    log_in(page, live_server.url, "city")
    page.goto(f"{live_server.url}/lists/schools/")
    everything = list_rows(page)
    page.select_option("select[name=status]", "failing")
    page.fill("input[name=rate_to]", "95")
    page.click("#list-filters button[type=submit]")
    page.wait_for_url("**status=failing**")
    filtered = list_rows(page)
    assert len(filtered) <= len(everything)
    page.click("details.saved-views summary")
    page.fill("#save-view input[name=name]", "待整改")
    page.click("#save-view button[type=submit]")
    page.goto(f"{live_server.url}/lists/schools/")  # a fresh list, no filters
    assert page.input_value("select[name=status]") == ""  # the saved views are listed open
    page.click("a[data-view='待整改']")
    page.wait_for_url("**status=failing**")
    assert page.input_value("select[name=status]") == "failing"
    assert page.input_value("input[name=rate_to]") == "95"
    assert list_rows(page) == filtered
