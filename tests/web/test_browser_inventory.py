"""Chromium on a phone and on paper, and the inventory in use: the main pages at 390 px never
scroll sideways (the menu folds), a printed school page carries no navigation, and ticking
rooms sets one fact for all of them in one audited, re-assessed step."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from campusplan.accounts.models import AuditEntry
from campusplan.assessments.models import AssessmentRun
from campusplan.schools.models import FactValue
from tests.web.test_browser import _context, browser, log_in, screenshot  # noqa: F401
from tests.web.world import HAIDIAN, NAMES, ROLES, A

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"
# what sticks out past the right edge (for the failure message)
WIDER = """() => [...document.querySelectorAll('body *')].filter(e => {
  const r = e.getBoundingClientRect();
  return r.right > window.innerWidth + 0.5 && !e.closest('.table-wrap');
}).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(
  e.getBoundingClientRect().right))"""
# the header's words: none may reach paper
NAV_WORDS = ["campusplan", "规范目录", "退出", "审计记录", "菜单", "简体中文", "English"]


def _phone(browser):  # noqa: F811
    # not `is_mobile`: a mobile viewport widens itself to fit the page, hiding the overflow
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    return context, page


@pytest.mark.parametrize(("role", "path"), [
    ("city", "/catalog/"), ("city", "/city/"), ("haidian", f"/district/{HAIDIAN}/"),
    ("haidian", f"/school/{A}/"), ("haidian", "/audit/"), ("haidian", f"/school/{A}/audit/"),
])
def test_main_pages_fit_a_phone(live_server, browser, world, tmp_path, role, path):  # noqa: F811
    context, page = _phone(browser)
    log_in(page, live_server.url, ROLES[role].name)
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    width, inner = page.evaluate(OVERFLOW)
    name = path.strip("/").replace("/", "-") or "home"
    shot = screenshot(page, tmp_path, f"phone-{name}.png", keep=False)
    wide = page.evaluate(WIDER)
    assert inner == 390 and width <= inner, (path, width, wide, shot)
    # the links are folded behind 菜单 and come out when it is tapped
    nav = page.locator("#main-nav")
    assert not nav.is_visible()
    page.click("label.nav-toggle-label")
    assert nav.is_visible() and page.locator("a[data-nav=catalog]").is_visible()
    assert page.evaluate(OVERFLOW)[0] <= 390
    context.close()


def test_a_wide_screen_shows_the_links_without_a_menu(live_server, browser, world):  # noqa: F811
    context, page, errors = _context(browser)
    log_in(page, live_server.url, ROLES["haidian"].name)
    assert page.locator("a[data-nav=catalog]").is_visible()
    assert not page.locator("label.nav-toggle-label").is_visible()
    context.close()
    assert not errors, errors


def _pdf_text(page, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(path), format="A4", print_background=True)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         check=True, text=True)
    return out.stdout


def test_a_printed_school_page_has_no_navigation(live_server, browser, world, tmp_path):  # noqa: F811
    context, page, errors = _context(browser)
    log_in(page, live_server.url, ROLES["haidian"].name)
    page.goto(f"{live_server.url}/school/{A}/")
    # status colours are kept on paper: a gap badge keeps its background under print media
    page.emulate_media(media="print")
    background = page.evaluate("() => getComputedStyle(document.querySelector("
                               "'#school-results .badge.status-gap')).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.locator("header.app-header").is_hidden()
    assert page.locator("#facts").evaluate("e => getComputedStyle(e).breakBefore") == "page"
    text = _pdf_text(page, tmp_path, "school")
    assert NAMES[A] in text and "评估结果" in text and "房间与设备" in text
    leaked = [w for w in NAV_WORDS + ["下载 Word 报告", "修改记录", ROLES["haidian"].name]
              if w in text]
    assert not leaked, leaked
    context.close()
    assert not errors, errors


def test_a_printed_district_page_has_no_navigation(live_server, browser, world, tmp_path):  # noqa: F811
    context, page, errors = _context(browser)
    log_in(page, live_server.url, ROLES["haidian"].name)
    page.locator("#distribution-chart canvas").wait_for()
    text = _pdf_text(page, tmp_path, "district")
    assert NAMES[A] in text
    leaked = [w for w in NAV_WORDS + ["下载本区 Excel 汇总", "批量修改"] if w in text]
    assert not leaked, leaked
    context.close()
    assert not errors, errors


def test_tick_rooms_and_set_one_fact_for_all(live_server, browser, world, tmp_path):  # noqa: F811
    context, page, errors = _context(browser)
    log_in(page, live_server.url, ROLES["school"].name)
    rooms = page.locator("#rooms-ordinary_classroom tr.room")
    before_runs, last_entry = AssessmentRun.objects.count(), AuditEntry.objects.latest("id").id
    assert rooms.count() >= 2
    codes = [rooms.nth(i).get_attribute("data-room") for i in range(rooms.count())]
    # every ordinary classroom of the example lacks a camera: 5-5 is a gap in each
    assert all("5-5" in rooms.nth(i).inner_text() for i in range(rooms.count()))
    for code in codes:
        page.check(f"#rooms-bulk input[name=rooms][value='{code}']")
    page.select_option("#rooms-bulk select[name=key]", "camera")
    page.fill("#rooms-bulk input[name=value]", "是")
    page.click("#rooms-bulk button[type=submit]")
    page.locator(".message-success").wait_for()
    assert f"已修改 {len(codes)} 处" in page.locator(".message-success").inner_text()
    # one run for the whole step, one audit entry per room, all under one request
    assert AssessmentRun.objects.count() == before_runs + 1
    entries = AuditEntry.objects.filter(id__gt=last_entry, field="room.camera")
    assert entries.count() == len(codes)
    assert {e.object_key for e in entries} == {f"{A}/{code}" for code in codes}
    assert len({e.request_id for e in entries}) == 1
    assert FactValue.objects.filter(room__school__code=A, room__code__in=codes, key="camera",
                                    flag=True,
                                    superseded_at__isnull=True).count() == len(codes)
    rooms = page.locator("#rooms-ordinary_classroom tr.room")
    assert all("5-5" not in rooms.nth(i).inner_text() for i in range(rooms.count()))
    screenshot(page, tmp_path, "school-inventory.png", keep=False)
    context.close()
    assert not errors, errors
