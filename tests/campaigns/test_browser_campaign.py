"""A whole campaign in a real headless Chromium: the city opens it; the district creates its
schools' accounts in bulk (the sheet of initial passwords); school A fills by the pre-filled
workbook (downloaded, edited, uploaded), school B — signed in with the account just created,
changing its initial password first — by the online form; both submit; the district returns A
with a reason, A sees it under the bell and resubmits, the district approves; the city confirms
the district; the official run is diffed against last year's and the dashboards show 上报率 /
及时率 and the trend. With CAMPUSPLAN_SCREENSHOTS=docs/img it writes docs/img/campaign-*.png."""

import datetime as dt

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from campusplan.accounts.models import Notification
from campusplan.assessments.models import AssessmentRun
from campusplan.campaigns.choices import State
from campusplan.campaigns.models import Submission
from campusplan.campaigns.services import school_values
from campusplan.catalog.schema import Scope
from campusplan.schools.models import School
from campusplan.usecases import campaigns, facts
from campusplan.web import catalog_source
from tests.campaigns.conftest import TODAY
from tests.web.test_browser import _context, browser, log_in, screenshot  # noqa: F401
from tests.web.world import HAIDIAN, A, B

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
NEW_PASSWORD = "Kq7-campus-plan-2026"
BANDWIDTH = "internet_bandwidth_mbps"


@pytest.fixture
def last_year(world, actors):
    """Haidian's 2025 campaign, confirmed through the use cases: the earlier official run. Then,
    outside any campaign, the district changes B's bandwidth (a working edit)."""
    old = campaigns.open_campaign(actor=actors["city"], school_year=2025,
                                  as_of=TODAY - dt.timedelta(days=365), deadline=TODAY,
                                  district=None)
    for code in (A, B):
        campaigns.submit(actor=actors["haidian"], campaign=old, code=code)
    campaigns.approve(actor=actors["haidian"], campaign=old, codes=[A, B])
    part = campaigns.confirm_district(actor=actors["city"], campaign=old, district=HAIDIAN)
    school = School.objects.get(code=B)
    accepted = school_values(school)[f"fact.{BANDWIDTH}"]
    facts.set_fact(actor=actors["haidian"], school=school, key=BANDWIDTH, value=accepted * 2)
    return part


def _fill_workbook(path, label: str, code: str, value) -> None:
    """Set one fact of the school in the downloaded survey, as a school's IT lead would."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        headers = [str(c.value or "") for c in ws[1]]
        col = next((i for i, h in enumerate(headers, 1) if h.startswith(label)), None)
        if col is None:
            continue
        for row in ws.iter_rows(min_row=2):
            if str(row[0].value) == code:
                ws.cell(row=row[0].row, column=col, value=value)
                wb.save(path)
                return
    raise AssertionError(f"no cell for {label} of {code}")


def _state(code: str) -> str:
    return Submission.objects.filter(school__code=code).order_by("-campaign_id").first().state


def test_a_whole_campaign(live_server, browser, world, last_year, catalog, monkeypatch,  # noqa: F811
                          tmp_path):
    monkeypatch.setattr(catalog_source, "get_catalog", lambda: catalog)
    get_user_model().objects.filter(username="school_b").delete()  # B has no account yet
    base = live_server.url
    label = catalog.facts.by_key(Scope.school)["video_retention_days"].label.zh

    def as_(username):
        context, page, errors = _context(browser)
        log_in(page, base, username)
        return context, page, errors

    # the city opens the campaign
    ctx, page, errors = as_("city")
    page.goto(f"{base}/campaigns/")
    page.fill("input[name=school_year]", "2026")
    page.fill("input[name=deadline]", (TODAY + dt.timedelta(days=14)).isoformat())
    page.fill("textarea[name=instructions]", "请核对本校数据，截止日期前提交。")
    screenshot(page, tmp_path, "campaign-open.png")
    page.click("#open-campaign button[type=submit]")
    page.wait_for_url("**/campaigns/*/")
    assert "已开启填报任务" in page.locator(".messages").inner_text()
    pk = int(page.url.rstrip("/").split("/")[-1])
    ctx.close()

    # the district creates one account per school without one: the sheet of initial passwords
    ctx, page, errors = as_("haidian")
    page.goto(f"{base}/users/")
    page.select_option("select[name=district]", HAIDIAN)
    screenshot(page, tmp_path, "campaign-accounts.png")
    with page.expect_download() as dl:
        page.click("form[action$='/users/school-accounts/'] button[type=submit]")
    sheet = tmp_path / "accounts.xlsx"
    dl.value.save_as(sheet)
    ctx.close()
    rows = [r for r in openpyxl.load_workbook(sheet).active.iter_rows(min_row=2,
                                                                       values_only=True)
            if r and r[2]]
    assert [r[0] for r in rows] == [B]  # A has its account already; 西城's are not 海淀's
    b_username, b_password = rows[0][2], rows[0][3]

    # school A: the pre-filled workbook, downloaded, edited and uploaded
    ctx, page, errors = as_("school_a")
    page.goto(f"{base}/campaigns/{pk}/")
    assert "未开始" in page.locator("#submission-state").inner_text()
    with page.expect_download() as dl:
        page.click("#download-survey")
    survey = tmp_path / "survey.xlsx"
    dl.value.save_as(survey)
    _fill_workbook(survey, label, A, 30)
    page.set_input_files("#upload-form input[type=file]", str(survey))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector(".message-success")
    assert "填报中" in page.locator("#submission-state").inner_text()
    screenshot(page, tmp_path, "campaign-school.png")
    page.click("#submit-form button")
    page.wait_for_selector("#locked-note")
    assert _state(A) == State.SUBMITTED
    ctx.close()

    # school B signs in with the sheet's initial password, must change it first, then fills the
    # online form: one value saved with htmx, the section's progress updated
    ctx, page, errors = _context(browser)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", b_username)
    page.fill("input[name=password]", b_password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/password/**")
    page.fill("input[name=old_password]", b_password)
    page.fill("input[name=new_password]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/password/" not in url)
    page.goto(f"{base}/campaigns/{pk}/school/{B}/form/")
    # the bandwidth changed after last year's acceptance: the form starts from the accepted
    # value and shows the newer one; B keeps the newer one
    accepted = school_values(School.objects.get(code=B))[f"fact.{BANDWIDTH}"] / 2
    note = page.locator(f"#newer-{BANDWIDTH}")
    note.locator("xpath=ancestor::details").evaluate("d => d.open = true")
    assert page.locator(f"#f-{BANDWIDTH}").input_value() == f"{accepted:g}"
    assert f"{accepted * 2:g}" in note.inner_text()
    note.scroll_into_view_if_needed()
    screenshot(page, tmp_path, "campaign-since.png")
    note.locator("button[type=submit]").click()
    page.wait_for_selector(".message-success")
    assert page.locator(f"#newer-{BANDWIDTH}").count() == 0
    assert page.locator(f"#f-{BANDWIDTH}").input_value() == f"{accepted * 2:g}"
    row = page.locator("#fact-video_retention_days")
    row.locator("xpath=ancestor::details").evaluate("d => d.open = true")
    row.locator("input[name=value]").fill("60")
    with page.expect_response(lambda r: "/facts/video_retention_days/" in r.url):
        row.locator("button[type=submit]").click()
    page.wait_for_function("() => document.querySelector('#f-video_retention_days').value == '60'")
    assert "用于" in page.locator(".fact-meta").first.inner_text()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, tmp_path, "campaign-form.png")
    page.goto(f"{base}/campaigns/{pk}/school/{B}/")
    page.click("#submit-form button")
    page.wait_for_selector("#locked-note")
    ctx.close()

    # the district returns A with a reason
    ctx, page, errors = as_("haidian")
    page.goto(f"{base}/campaigns/{pk}/")
    page.wait_for_url(f"**/campaigns/{pk}/district/{HAIDIAN}/")
    assert page.locator(f"#review-{A} .timeliness-on_time").count() == 1
    assert "1 项变化" in page.locator(f"#review-{A}").inner_text()
    screenshot(page, tmp_path, "campaign-review.png")
    page.check(f"input[name=school][value='{A}']")
    page.fill("input[name=reason]", "录像存储天数请附说明")
    page.click("button[value=return]")
    page.wait_for_selector(".message-success")
    assert _state(A) == State.RETURNED
    ctx.close()

    # A is told (the bell), sees the reason and resubmits
    ctx, page, errors = as_("school_a")
    unread = Notification.objects.filter(user__username="school_a", read_at__isnull=True)
    assert "returned" in set(unread.values_list("kind", flat=True))
    assert int(page.locator("#bell .unread").get_attribute("data-unread")) == unread.count()
    page.click("#bell")
    page.wait_for_url("**/notifications/")
    told = page.locator("main").inner_text()
    assert "填报已退回修改" in told and "录像存储天数请附说明" in told and "填报任务已开启" in told
    page.goto(f"{base}/campaigns/{pk}/")
    assert "录像存储天数请附说明" in page.locator("#return-reasons").inner_text()
    screenshot(page, tmp_path, "campaign-returned.png")
    page.click("#submit-form button")
    page.wait_for_selector("#locked-note")
    ctx.close()

    # the district approves both in bulk
    ctx, page, errors = as_("haidian")
    page.goto(f"{base}/campaigns/{pk}/district/{HAIDIAN}/")
    page.check(f"input[name=school][value='{A}']")
    page.check(f"input[name=school][value='{B}']")
    page.click("button[value=approve]")
    page.wait_for_selector(".message-success")
    assert _state(A) == _state(B) == State.APPROVED
    ctx.close()

    # the city confirms the district, compares with last year, and sees the dashboards
    ctx, page, errors = as_("city")
    page.goto(f"{base}/campaigns/{pk}/")
    page.click(f"#district-{HAIDIAN} button[type=submit]")
    page.wait_for_selector(".message-success")
    assert "2026学年 正式评估" in page.locator(f"#district-{HAIDIAN}").inner_text()
    screenshot(page, tmp_path, "campaign-city.png")
    assert AssessmentRun.objects.filter(kind="official", label="2026学年 正式评估").count() == 1
    page.goto(f"{base}/campaigns/diff/?old={last_year.campaign_id}&new={pk}")
    improved = int(page.locator("[data-diff=improved]").inner_text())
    assert improved >= 1  # A's and B's video retention now meets the 30 days
    assert page.locator(f"#diff-{A}").count() == 1
    screenshot(page, tmp_path, "campaign-diff.png")
    page.goto(f"{base}/city/")
    panel = page.locator("#campaign-panel").inner_text()
    assert "上报率" in panel and "及时率" in panel and "50.0%" in panel  # 2 of 4 schools
    assert "2025学年 正式评估" in panel and "2026学年 正式评估" in panel
    screenshot(page, tmp_path, "campaign-dashboard.png")
    ctx.close()
    assert not errors, errors
