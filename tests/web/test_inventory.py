"""The school page's rooms and devices, bulk edits of rooms and schools, the change logs with
their filters, and every time on the reader's clock (Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from campusplan.accounts.models import AuditEntry
from campusplan.assessments.models import AssessmentRun
from campusplan.schools.models import FactValue
from campusplan.usecases.bulk import set_fact_many
from campusplan.usecases.facts import set_fact
from campusplan.usecases.scoping import school as school_of
from tests import factories
from tests.actors import operator
from tests.web.world import HAIDIAN, NAMES, A, B, C

pytestmark = pytest.mark.django_db

ROOMS_BULK = f"/school/{A}/rooms/bulk/"
SCHOOLS_BULK = f"/district/{HAIDIAN}/bulk/"


def _page(client, code=A) -> str:
    return client.get(f"/school/{code}/").content.decode()


def _row(html: str, room: str) -> str:
    return re.search(rf'<tr id="room-{room}".*?</tr>', html, re.S).group(0)


def _current(code: str, requirement: str) -> str:
    return factories.current_result(code=code, requirement=requirement).status


# --- rooms and devices ------------------------------------------------------------------------


def test_rooms_by_type_with_facts_and_their_own_verdicts(world, login):
    html = _page(login(world["school"]))
    assert 'id="rooms-ordinary_classroom"' in html and 'id="rooms-computer_room"' in html
    short = _row(html, "106")  # the example's classroom with 2 outlets, 4 required
    assert "status-row-gap" in short and "5-1" in short and "网络信息口数 2 低于 4" in short
    assert "5-1" not in _row(html, "101")  # 10 outlets: 5-1 met there
    # the school's result counts the rooms the page marks
    assert _current(A, "5-1") == "gap"
    assert factories.current_result(code=A, requirement="5-1").actual == 5


def test_requirements_not_applicable_to_the_school_are_not_shown_per_room(world, login):
    html = _page(login(world["school"]))  # a primary school: items 7-8 are for 初中/高中
    room = _row(html, "301")
    assert _current(A, "7-4") == "not_applicable" and "7-4" not in room


def test_devices_with_age_and_refresh_year(world, login, tmp_path):
    doc = factories.school_doc(example="small-primary.json", code=A, name=NAMES[A],
                               district=HAIDIAN)
    devices = [{"school": A, "asset_tag": "A-TC-1", "kind": "teacher_computer", "room": "101",
                "model": "M1", "purchase_date": "2018-03-01"},
               {"school": A, "asset_tag": "A-IFP-1", "kind": "interactive_display",
                "room": "102", "model": "86寸", "purchase_date": "2023-09-01"}]
    factories.stored(paths=[factories.write_file(path=tmp_path / "devices.json", schools=[doc],
                                                 devices=devices)])
    html = _page(login(world["school"]))
    old = re.search(r'<tr id="device-A-TC-1".*?</tr>', html, re.S).group(0)
    assert "教师用计算机" in old and "2018-03-01" in old
    assert re.search(r'<td class="value">2024 ', old)  # bought 2018-03, a 6-year life
    assert 'class="device due"' in old and "已到期" in old
    age = (timezone.localdate() - dt.date(2018, 3, 1)).days / 365.25
    assert f">{age:.1f}<" in old
    unpriced = re.search(r'<tr id="device-A-IFP-1".*?</tr>', html, re.S).group(0)
    assert "已到期" not in unpriced and unpriced.count("—") >= 2  # no service life: no year


# --- bulk edit --------------------------------------------------------------------------------


def test_bulk_edit_of_rooms_is_one_audited_reassessed_step(world, login):
    client = login(world["school"])
    runs, last = AssessmentRun.objects.count(), AuditEntry.objects.latest("id").id
    assert _current(A, "5-1") == "gap"
    response = client.post(ROOMS_BULK, {"rooms": ["105", "106"], "key": "info_points",
                                        "value": "12"})
    assert response.status_code == 302 and response["Location"].endswith("#inventory")
    changed = AuditEntry.objects.filter(id__gt=last, field="room.info_points")
    assert {e.object_key for e in changed} == {f"{A}/105", f"{A}/106"}
    assert {(e.before, e.after) for e in changed} == {(10, 12), (2, 12)}
    assert len({e.request_id for e in changed}) == 1 and {e.source for e in changed} == {"web"}
    assert AssessmentRun.objects.count() == runs + 1  # re-assessed once
    assert _current(A, "5-1") == "met"
    html = _page(client)
    assert "已修改 2 处" in html and "5-1" not in _row(html, "106")


def test_bulk_edit_refused_writes_nothing(world, login):
    client = login(world["school"])
    values, runs = FactValue.objects.count(), AssessmentRun.objects.count()
    client.post(ROOMS_BULK, {"rooms": ["105", "106"], "key": "info_points", "value": "99999"})
    assert FactValue.objects.count() == values and AssessmentRun.objects.count() == runs
    html = _page(client)
    assert "未写入任何数据" in html and "超出范围" in html and f"{A}/106" in html
    client.post(ROOMS_BULK, {"rooms": ["105", "no-such-room"], "key": "info_points",
                             "value": "5"})
    assert "房间不存在" in _page(client) and FactValue.objects.count() == values


def test_bulk_edit_is_scoped(world, login):
    assert login(world["haidian"]).post(f"/school/{C}/rooms/bulk/", {
        "rooms": ["101"], "key": "info_points", "value": "5"}).status_code == 404
    assert login(world["auditor"]).post(ROOMS_BULK, {
        "rooms": ["101"], "key": "info_points", "value": "5"}).status_code == 403
    values = FactValue.objects.count()
    # a district user's selection naming another district's school: 404, nothing written
    response = login(world["haidian"]).post(SCHOOLS_BULK, {
        "schools": [A, C], "key": "video_retention_days", "value": "30"})
    assert response.status_code == 404 and FactValue.objects.count() == values
    assert login(world["auditor"]).get(SCHOOLS_BULK).status_code == 403


def test_bulk_edit_of_schools(world, login):
    client = login(world["haidian"])
    page = client.get(SCHOOLS_BULK).content.decode()
    assert NAMES[A] in page and NAMES[B] in page and NAMES[C] not in page
    runs, last = list(AssessmentRun.objects.values_list("id", flat=True)), \
        AuditEntry.objects.latest("id").id
    client.post(SCHOOLS_BULK, {"schools": [A, B], "key": "video_retention_days", "value": "45"})
    changed = AuditEntry.objects.filter(id__gt=last, field="fact.video_retention_days")
    assert {e.school.code for e in changed} == {A, B}
    new = AssessmentRun.objects.exclude(id__in=runs)
    assert new.count() == 1 and new.get().scope_kind == "district" and new.get().schools == 2
    assert _current(A, "22-7") == _current(B, "22-7") == "met"
    assert "已修改 2 处" in client.get(SCHOOLS_BULK).content.decode()


def test_bulk_use_case_clears_for_every_target(world):
    result = set_fact_many(actor=operator(), key="info_points", value=None,
                           rooms=[(A, "101"), (A, "102")])
    assert result.changed == 2 and result.run is not None
    now = FactValue.objects.filter(room__school__code=A, room__code__in=["101", "102"],
                                   key="info_points", superseded_at__isnull=True)
    assert [fv.value for fv in now] == [None, None]  # unknown, recorded, never 0
    assert _current(A, "5-1") == "gap"  # 106 still fails; the two cleared are unknown
    again = set_fact_many(actor=operator(), key="info_points", value=None,
                          rooms=[(A, "101"), (A, "102")])
    assert again.changed == 0 and again.run is None


# --- change logs and their filters ------------------------------------------------------------


def _edit_at(moment: dt.datetime, key: str, value, code=A) -> None:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        set_fact(actor=operator("clock"), school=school_of(operator(), code), key=key,
                 value=value)


UTC_EVENING = dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC)  # 2026-03-02 01:30 in Beijing


def test_times_are_shown_in_asia_shanghai(world, login):
    _edit_at(UTC_EVENING, "video_retention_days", 31)
    client = login(world["school"])
    html = _page(client)
    row = re.search(r'<div class="fact-row[^"]*" id="fact-video_retention_days">.*?</div>\n',
                    html, re.S).group(0)
    assert "2026-03-02 01:30" in row and "2026-03-01 17:30" not in row
    audit = client.get(f"/school/{A}/audit/?field=fact.video_retention_days").content.decode()
    assert "2026-03-02 01:30:00" in audit and "2026-03-01 17:30" not in audit


def test_audit_filters_by_local_day_source_user_and_field(world, login):
    _edit_at(UTC_EVENING, "video_retention_days", 31)
    client = login(world["haidian"])

    def keys(query: str, path="/audit/") -> set[str]:
        html = client.get(f"{path}?{query}").content.decode()
        return set(re.findall(r"<code>(fact\.[a-z0-9_]+|room\.[a-z0-9_]+)</code>", html))

    # 01:30 on 03-02 in Beijing: on that day, not on 03-01 (which UTC would say)
    assert "fact.video_retention_days" in keys("since=2026-03-02&until=2026-03-02")
    assert "fact.video_retention_days" not in keys("until=2026-03-01")
    assert keys("source=cli&user=clock") == {"fact.video_retention_days"}
    assert keys("source=web") == set()
    assert keys(f"school={A}&field=fact.video_retention_days") == {"fact.video_retention_days"}
    assert keys(f"school={C}") == set()  # outside the scope: nothing, and no error
    fact_log = client.get(f"/school/{A}/audit/?field=fact.video_retention_days")
    html = fact_log.content.decode()
    assert "仅显示" in html and "录像存储时间" in html and "31" in html
    assert keys("field=fact.video_retention_days", f"/school/{A}/audit/") == {
        "fact.video_retention_days"}
    assert client.get("/audit/?since=not-a-date&source=bogus").status_code == 200


def test_audit_page_is_scoped(world, login):
    _edit_at(UTC_EVENING, "video_retention_days", 31, code=C)
    haidian = login(world["haidian"]).get("/audit/").content.decode()
    assert NAMES[C] not in haidian and C not in haidian
    query = f"/audit/?school={C}&field=fact.video_retention_days"
    asked = login(world["haidian"]).get(query).content.decode()
    # the code is echoed in the filter form (what the user typed); no row of that school shows
    assert NAMES[C] not in asked and "2026-03-02 01:30" not in asked
    # the edit is older than the world's import: the city finds it by its school and field
    city = login(world["city"]).get(query).content.decode()
    assert C in city and "2026-03-02 01:30" in city
    school = login(world["school"]).get("/audit/").content.decode()
    assert B not in school and NAMES[B] not in school


def test_fact_rows_link_to_their_history(world, login):
    html = _page(login(world["school"]))
    assert f'href="/school/{A}/audit/?field=fact.video_retention_days"' in html


def test_a_long_trail_is_counted_up_to_a_cap_and_paged_on(world, login, monkeypatch):
    """A district's trail runs to hundreds of thousands of rows: past COUNT_CAP the page says
    「超过 N 条」 instead of counting them all, and the pager goes on until the last row."""
    from campusplan.web import audit as trail

    total = AuditEntry.objects.filter(district_code=HAIDIAN).count()
    monkeypatch.setattr(trail, "PAGE_SIZE", 4)
    monkeypatch.setattr(trail, "COUNT_CAP", 5)
    assert total > 3 * 4
    client = login(world["haidian"])

    def page(n: int) -> tuple[str, int]:
        html = client.get(f"/audit/?page={n}").content.decode()
        return html, html.count('<td class="when">')

    html, rows = page(1)
    assert "超过 5 条" in html and rows == 4 and "page=2" in html
    last = (total + 3) // 4
    html, rows = page(last)  # beyond the cap, the last page is reached and ends the pager
    assert rows == total - (last - 1) * 4 and f"page={last + 1}" not in html
    assert f"page={last - 1}" in html
    monkeypatch.setattr(trail, "COUNT_CAP", total)  # under the cap: the exact count
    cache.clear()  # the page kept under the old cap (web/fragments.py): a new setting restarts
    html, _rows = page(1)
    assert f"共 {total} 条" in html and "超过" not in html
