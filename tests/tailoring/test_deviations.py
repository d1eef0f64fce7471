"""Approved deviations that expire: while valid they count, on the next assessment after the
expiry the school is judged on its own profile again."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from campusplan.accounts.models import AuditEntry
from campusplan.assessments.models import ResultRow
from campusplan.assessments.selectors import stored_assessment
from campusplan.catalog.loader import load_catalog
from campusplan.schools.models import School
from campusplan.usecases import deviations, runs
from tests import factories
from tests.actors import as_user
from tests.web.world import XICHENG, A, B, C

pytestmark = pytest.mark.django_db
DC = "s5.3-1"  # 原则上30个班级规模以下学校不单独建设校级数据中心（获批后开展建设）
TODAY = timezone.localdate()  # Asia/Shanghai, the date the assessment judges on


def _row(code: str, req: str) -> ResultRow:
    return factories.current_result(code=code, requirement=req)


def _city(world):
    return as_user(world["city"])


def test_an_expired_approval_turns_the_data_centre_rule_back_into_a_violation(world):
    assert _row(C, DC).status == "violation"  # 18 classes, own data centre, no approval
    d = deviations.grant(actor=_city(world), school=C, kind="data_center",
                         justification="区级数据中心尚未覆盖", approver="西城区教委",
                         granted_on=TODAY - dt.timedelta(days=10),
                         expires_on=TODAY + dt.timedelta(days=5))
    assert _row(C, DC).status == "met"
    school = School.objects.get(code=C)
    assert school.approved_data_center is False  # the profile is not rewritten
    # the next assessment after the expiry reads the approval's validity on its run date
    runs.assess(actor=_city(world), schools=[school], as_of=TODAY + dt.timedelta(days=6))
    assert _row(C, DC).status == "violation"
    assert AuditEntry.objects.filter(object_type="deviation", object_key=str(d.pk),
                                     field="granted").exists()


def test_a_waiver_sets_a_gap_aside_until_it_expires(world):
    req = "22-7"  # A keeps 15 days of video: a gap
    assert _row(A, req).status == "gap"
    d = deviations.grant(actor=as_user(world["haidian"]), school=A, kind="waiver",
                         requirement_id=req, justification="监控系统改造中",
                         approver="海淀区教委", granted_on=TODAY,
                         expires_on=TODAY + dt.timedelta(days=90))
    row = _row(A, req)
    assert (row.status, row.waived_by_id) == ("not_applicable", d.pk)
    deviations.revoke(actor=as_user(world["haidian"]), pk=d.pk)
    assert _row(A, req).status == "gap"


def test_a_phase_application_lifts_the_cap_while_valid(world):
    granted = deviations.grant(actor=_city(world), school=B, kind="smart_phase", phase="pilot",
                               justification="探索期效果良好", approver="海淀区教委",
                               granted_on=TODAY, expires_on=TODAY + dt.timedelta(days=365))
    assert granted.valid_on(TODAY) and not granted.valid_on(TODAY + dt.timedelta(days=366))
    assessment, _ = stored_assessment(schools=[School.objects.get(code=B)],
                                      catalog=load_catalog())
    assert assessment.frames.schools["school.smart_phase"].to_list() == ["pilot"]


def test_only_district_or_city_grants_inside_the_scope(world):
    args = {"kind": "data_center", "justification": "x", "approver": "y",
            "granted_on": TODAY, "expires_on": TODAY}
    with pytest.raises(PermissionDenied):
        deviations.grant(actor=as_user(world["school"]), school=A, **args)
    with pytest.raises(Http404):  # 海淀 cannot reach 西城's school
        deviations.grant(actor=as_user(world["haidian"]), school=C, **args)
    with pytest.raises(deviations.DeviationInvalid):
        deviations.grant(actor=_city(world), school=C, **args | {
            "expires_on": TODAY - dt.timedelta(days=1)})
    with pytest.raises(deviations.DeviationInvalid):
        deviations.grant(actor=_city(world), school=C, **args | {"kind": "waiver",
                                                                 "requirement_id": "nope"})


def test_the_district_sees_what_expires_soon(world, login):
    deviations.grant(actor=_city(world), school=C, kind="data_center", justification="x",
                     approver="西城区教委", granted_on=TODAY,
                     expires_on=TODAY + dt.timedelta(days=12))
    deviations.grant(actor=_city(world), school=C, kind="waiver", requirement_id="22-7",
                     justification="x", approver="西城区教委", granted_on=TODAY,
                     expires_on=TODAY + dt.timedelta(days=200))
    soon = deviations.expiring(actor=_city(world), district=XICHENG)
    assert [(e.deviation.kind, e.days_left) for e in soon] == [("data_center", 12)]
    page = login(world["city"]).get(f"/district/{XICHENG}/").content.decode()
    assert 'data-testid="expiring"' in page and "自建数据中心审批" in page


def test_an_approval_ends_at_midnight_in_beijing_not_in_utc(world, monkeypatch):
    """2026-12-01 20:00 UTC is 2026-12-02 04:00 in Asia/Shanghai: an approval valid until
    12-01 no longer holds, though the server's UTC date is still 12-01."""
    late = dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.UTC)
    deviations.grant(actor=_city(world), school=C, kind="data_center",
                     justification="区级数据中心尚未覆盖", approver="西城区教委",
                     granted_on=dt.date(2026, 11, 1), expires_on=dt.date(2026, 12, 1))
    monkeypatch.setattr(timezone, "now", lambda: late)
    run = runs.assess(actor=_city(world), schools=[School.objects.get(code=C)])[0]
    assert run.as_of == dt.date(2026, 12, 2)
    assert _row(C, DC).status == "violation"
