"""Every campaign step through the use case: who may take it, from which state, what it locks
and unlocks, and its audit row."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from campusplan.accounts.models import AuditEntry
from campusplan.assessments.models import AssessmentRun
from campusplan.campaigns.choices import State
from campusplan.campaigns.models import Submission
from campusplan.campaigns.services import SchoolLocked, TransitionRefused
from campusplan.schools.models import FactValue
from campusplan.usecases import campaigns, facts
from campusplan.usecases.campaigns import CampaignInvalid
from tests import factories
from tests.campaigns.conftest import TODAY, open_city
from tests.web.world import HAIDIAN, XICHENG, A, B, C

pytestmark = pytest.mark.django_db


def state(campaign, code) -> str:
    return Submission.objects.get(campaign=campaign, school__code=code).state


def trail(campaign, code):
    return list(AuditEntry.objects.filter(object_type="campaign_submission",
                                          object_key=f"{campaign.pk}/{code}").order_by("id"))


def fact(code, key):
    row = FactValue.objects.filter(school__code=code, key=key, room__isnull=True,
                                   service__isnull=True, superseded_at__isnull=True).first()
    return None if row is None else row.value


def test_the_city_opens_for_every_school_the_district_for_its_own(actors, campaign):
    assert {s.school.code: s.state for s in campaign.submissions.all()} == {
        code: State.NOT_STARTED for code in (A, B, C, "1101020002")}
    assert AuditEntry.objects.filter(object_type="campaign", object_key=str(campaign.pk),
                                     field="opened").count() == 1
    own = campaigns.open_campaign(actor=actors["haidian"], school_year=2026, as_of=TODAY,
                                  deadline=TODAY, district=HAIDIAN)
    assert sorted(own.submissions.values_list("school__code", flat=True)) == [A, B]
    with pytest.raises(Http404):
        campaigns.open_campaign(actor=actors["haidian"], school_year=2026, as_of=TODAY,
                                deadline=TODAY, district=XICHENG)
    with pytest.raises(PermissionDenied):  # a district may not open one for every district
        campaigns.open_campaign(actor=actors["haidian"], school_year=2026, as_of=TODAY,
                                deadline=TODAY)
    for key in ("school", "auditor"):
        with pytest.raises(PermissionDenied):
            campaigns.open_campaign(actor=actors[key], school_year=2026, as_of=TODAY,
                                    deadline=TODAY, district=HAIDIAN)


def test_opening_refuses_bad_input_and_writes_nothing(actors):
    with pytest.raises(CampaignInvalid) as exc:
        open_city(actors, areas=["infrastructure", "no_such_area"])
    assert "no_such_area" in exc.value.zh
    with pytest.raises(CampaignInvalid):
        open_city(actors, deadline=TODAY - dt.timedelta(days=1), as_of=TODAY - dt.timedelta(5))
    with pytest.raises(CampaignInvalid):
        open_city(actors, as_of=TODAY + dt.timedelta(days=30))
    assert not Submission.objects.exists()


def test_filling_starts_submitting_locks_every_write_path(actors, campaign, tmp_path):
    school = actors["school"]
    campaigns.save_fact(actor=school, campaign=campaign, code=A, key="video_retention_days",
                        value=30)
    assert state(campaign, A) == State.IN_PROGRESS and fact(A, "video_retention_days") == 30
    campaigns.submit(actor=school, campaign=campaign, code=A)
    assert state(campaign, A) == State.SUBMITTED
    with pytest.raises(SchoolLocked) as exc:
        facts.set_fact(actor=school, school=campaign.submissions.get(school__code=A).school,
                       key="video_retention_days", value=40)
    assert exc.value.problems[0].value == A and "锁定" in exc.value.problems[0].zh
    with pytest.raises(SchoolLocked):
        campaigns.save_fact(actor=school, campaign=campaign, code=A, key="video_retention_days",
                            value=None)
    doc = factories.school_doc(example="small-primary.json", code=A, name="海淀甲小学",
                               district=HAIDIAN, teachers=99)
    result = campaigns.upload(actor=school, campaign=campaign, code=A, paths=[
        factories.write_file(path=tmp_path / "a.json", schools=[doc])])
    assert result.locked and not result.ok and not result.written
    assert "锁定" in result.problems[0].zh
    assert fact(A, "video_retention_days") == 30
    assert campaign.submissions.get(school__code=A).school.teachers != 99
    before, after = trail(campaign, A)[-1].before, trail(campaign, A)[-1].after
    assert (before, after["state"], after["on_time"]) == ("in_progress", "submitted", True)


def test_a_submitted_school_cannot_submit_again_nor_be_approved_twice(actors, campaign):
    with pytest.raises(TransitionRefused):
        campaigns.approve(actor=actors["haidian"], campaign=campaign, codes=[A])
    campaigns.submit(actor=actors["school"], campaign=campaign, code=A)
    with pytest.raises(TransitionRefused):
        campaigns.submit(actor=actors["school"], campaign=campaign, code=A)
    campaigns.approve(actor=actors["haidian"], campaign=campaign, codes=[A])
    with pytest.raises(TransitionRefused):
        campaigns.approve(actor=actors["haidian"], campaign=campaign, codes=[A])


def test_returning_shows_reasons_and_unlocks(actors, campaign):
    campaigns.submit(actor=actors["school"], campaign=campaign, code=A)
    with pytest.raises(CampaignInvalid):
        campaigns.return_submissions(actor=actors["haidian"], campaign=campaign, codes=[A],
                                     reasons=[{"target": "fact.x", "text": "  "}])
    assert state(campaign, A) == State.SUBMITTED
    reasons = [{"target": "fact.video_retention_days", "text": "录像天数与上年不符"}]
    campaigns.return_submissions(actor=actors["haidian"], campaign=campaign, codes=[A],
                                 reasons=reasons)
    sub = campaign.submissions.get(school__code=A)
    assert sub.state == State.RETURNED and sub.reasons == reasons
    campaigns.save_fact(actor=actors["school"], campaign=campaign, code=A,
                        key="video_retention_days", value=31)  # unlocked again
    assert fact(A, "video_retention_days") == 31
    assert trail(campaign, A)[-1].after["reasons"] == reasons
    campaigns.submit(actor=actors["school"], campaign=campaign, code=A)  # resubmits
    assert state(campaign, A) == State.SUBMITTED


def test_approval_keeps_the_values_and_the_lock_unlock_needs_a_reason(actors, campaign):
    campaigns.submit(actor=actors["school"], campaign=campaign, code=A)
    campaigns.approve(actor=actors["haidian"], campaign=campaign, codes=[A])
    sub = campaign.submissions.get(school__code=A)
    assert sub.state == State.APPROVED and sub.accepted["fact.video_retention_days"] == 15
    approved = trail(campaign, A)[-1]
    assert (approved.before, approved.after["state"], approved.actor, approved.source) == (
        "submitted", "approved", "haidian", "web")
    with pytest.raises(SchoolLocked):
        campaigns.save_fact(actor=actors["school"], campaign=campaign, code=A,
                            key="video_retention_days", value=30)
    with pytest.raises(CampaignInvalid):
        campaigns.unlock(actor=actors["haidian"], campaign=campaign, code=A, reason="")
    campaigns.unlock(actor=actors["haidian"], campaign=campaign, code=A, reason="学校申请更正带宽")
    assert state(campaign, A) == State.IN_PROGRESS
    last = trail(campaign, A)[-1]
    assert (last.before, last.after["unlocked"], last.note) == ("approved", True, "学校申请更正带宽")
    assert last.actor == "haidian"


def test_scope_a_school_reaches_only_itself_a_district_only_its_schools(actors, campaign):
    with pytest.raises(Http404):
        campaigns.submit(actor=actors["school"], campaign=campaign, code=B)
    with pytest.raises(Http404):
        campaigns.save_fact(actor=actors["school"], campaign=campaign, code=C,
                            key="video_retention_days", value=30)
    campaigns.submit(actor=actors["school_b"], campaign=campaign, code=B)
    with pytest.raises(PermissionDenied):  # a school never reviews, not even itself
        campaigns.approve(actor=actors["school_b"], campaign=campaign, codes=[B])
    campaigns.submit(actor=actors["xicheng"], campaign=campaign, code=C)
    with pytest.raises(Http404):
        campaigns.approve(actor=actors["haidian"], campaign=campaign, codes=[C])
    with pytest.raises(Http404):
        campaigns.return_submissions(actor=actors["haidian"], campaign=campaign, codes=[B, C],
                                     reasons=[{"text": "x"}])
    assert state(campaign, B) == State.SUBMITTED  # all or nothing
    with pytest.raises(PermissionDenied):
        campaigns.approve(actor=actors["auditor"], campaign=campaign, codes=[B])
    with pytest.raises(Http404):  # a campaign a school is not in is not found
        haidian_only = campaigns.open_campaign(actor=actors["haidian"], school_year=2026,
                                               as_of=TODAY, deadline=TODAY, district=HAIDIAN)
        campaigns.campaign_of(actors["xicheng"], haidian_only.pk)


def _approve_all(actors, campaign, district_key, codes):
    for code in codes:
        campaigns.submit(actor=actors[district_key], campaign=campaign, code=code)
    campaigns.approve(actor=actors[district_key], campaign=campaign, codes=codes)


def test_the_city_confirms_a_district_as_a_whole_into_an_official_run(actors, campaign):
    with pytest.raises(TransitionRefused) as exc:
        campaigns.confirm_district(actor=actors["city"], campaign=campaign, district=HAIDIAN)
    assert "2" in exc.value.zh
    _approve_all(actors, campaign, "haidian", [A, B])
    with pytest.raises(PermissionDenied):
        campaigns.confirm_district(actor=actors["haidian"], campaign=campaign, district=HAIDIAN)
    part = campaigns.confirm_district(actor=actors["city"], campaign=campaign, district=HAIDIAN)
    run = AssessmentRun.objects.get(pk=part.run_id)
    assert (run.kind, run.label, run.schools, run.as_of) == (
        "official", "2026学年 正式评估", 2, campaign.as_of)
    assert state(campaign, A) == state(campaign, B) == State.CONFIRMED
    assert state(campaign, C) == State.NOT_STARTED  # the other district is untouched
    with pytest.raises(TransitionRefused):
        campaigns.confirm_district(actor=actors["city"], campaign=campaign, district=HAIDIAN)
    with pytest.raises(TransitionRefused):  # confirmed: the campaign takes no more values
        campaigns.save_fact(actor=actors["school"], campaign=campaign, code=A,
                            key="video_retention_days", value=30)
    facts.set_fact(actor=actors["school"], school=part.run.scores.first().school,
                   key="video_retention_days", value=45)  # between campaigns: a working run
    assert AssessmentRun.objects.order_by("-pk").first().kind == "working"
    assert AssessmentRun.objects.get(pk=run.pk).label == "2026学年 正式评估"
    assert AuditEntry.objects.filter(object_type="campaign", field="confirmed",
                                     district_code=HAIDIAN).count() == 1
