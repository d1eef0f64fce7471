"""What the district reviews: timeliness, completeness, the diff against the last accepted
values, the warnings of implausible changes (thresholds from standards/review.yaml), the rates,
and the diff of two official runs."""

import datetime as dt

import pytest
from django.utils import timezone

from campusplan.assessments.selectors import run_diff
from campusplan.campaigns import review
from campusplan.campaigns.choices import Timeliness
from campusplan.campaigns.models import Submission
from campusplan.campaigns.selectors import rates, review_rows, timeliness
from campusplan.schools.models import School
from campusplan.usecases import campaigns, facts
from campusplan.web.campaigns import serves
from tests.campaigns.conftest import TODAY, open_city
from tests.web.world import HAIDIAN, A, B

pytestmark = pytest.mark.django_db


def test_the_thresholds_come_from_the_yaml():
    table = review.rules()
    assert table.rule("fact.internet_bandwidth_mbps").up == 10
    assert table.rule("teachers").down == 0.5
    assert table.rule("fact.anything_else") is table.default
    old = {"teachers": 40, "fact.internet_bandwidth_mbps": 100, "fact.x": 10, "fact.flag": True}
    new = {"teachers": 19, "fact.internet_bandwidth_mbps": 1000, "fact.x": 31,
           "fact.flag": False}
    assert {w.key for w in review.warnings(old, new)} == {"teachers", "fact.x"}
    new["fact.internet_bandwidth_mbps"] = 1001
    assert "fact.internet_bandwidth_mbps" in {w.key for w in review.warnings(old, new)}
    assert {d.key for d in review.differences(old, new)} == set(old)
    assert review.warnings(None, new) == []  # nothing accepted yet: nothing to compare


def _confirm_haidian(actors, campaign):
    for code in (A, B):
        campaigns.submit(actor=actors["haidian"], campaign=campaign, code=code)
    campaigns.approve(actor=actors["haidian"], campaign=campaign, codes=[A, B])
    return campaigns.confirm_district(actor=actors["city"], campaign=campaign, district=HAIDIAN)


def test_next_years_review_compares_with_the_accepted_values(actors, catalog):
    last = open_city(actors, 2025, as_of=TODAY - dt.timedelta(days=365))
    old_part = _confirm_haidian(actors, last)
    now = open_city(actors, 2026)
    school = School.objects.get(code=A)
    campaigns.save_fact(actor=actors["school"], campaign=now, code=A,
                        key="internet_bandwidth_mbps", value=20000)  # 1000 → 20000: ×20
    campaigns.save_fact(actor=actors["school"], campaign=now, code=A,
                        key="video_retention_days", value=30)
    rows = {r.school.code: r for r in review_rows(now, School.objects.filter(district__code=HAIDIAN),
                                                  catalog)}
    a = rows[A]
    assert a.baseline and {d.key for d in a.differences} == {
        "fact.internet_bandwidth_mbps", "fact.video_retention_days"}
    assert [w.key for w in a.warnings] == ["fact.internet_bandwidth_mbps"]
    assert rows[B].differences == [] and rows[B].warnings == []
    assert 0 < a.completeness <= 1 and a.asked == rows[B].asked
    new_part = _confirm_haidian(actors, now)
    (diff,) = [d for d in run_diff(old_runs=[old_part.run_id], new_runs=[new_part.run_id],
                                   schools=School.objects.all()) if d.code == A]
    retention = serves(catalog)["video_retention_days"]  # the requirements reading the fact
    assert set(retention) <= set(diff.improved), diff
    assert not diff.regressed
    facts.set_fact(actor=actors["school"], school=school, key="video_retention_days", value=5)
    back = run_diff(old_runs=[new_part.run_id], new_runs=[old_part.run_id],
                    schools=School.objects.filter(code=A))
    assert back[0].regressed == diff.improved  # the same requirements, the other way


def test_timeliness_and_the_rates(actors, campaign):
    campaigns.submit(actor=actors["school"], campaign=campaign, code=A)
    late = Submission.objects.get(campaign=campaign, school__code=B)
    campaigns.submit(actor=actors["school_b"], campaign=campaign, code=B)
    Submission.objects.filter(pk=late.pk).update(
        submitted_at=timezone.now() + dt.timedelta(days=30))  # as if submitted after it
    subs = {s.school.code: s for s in Submission.objects.filter(campaign=campaign)
            .select_related("campaign", "school")}
    assert timeliness(subs[A]) == Timeliness.ON_TIME
    assert timeliness(subs[B]) == Timeliness.LATE
    assert timeliness(subs["1101020001"]) == Timeliness.PENDING
    assert timeliness(subs["1101020001"], today=campaign.deadline + dt.timedelta(days=1)) == \
        Timeliness.MISSING
    r = rates(campaign, School.objects.all())
    assert (r.schools, r.reported, r.on_time) == (4, 2, 1)
    assert (r.report_rate, r.on_time_rate) == (0.5, 0.25)
    assert rates(campaign, School.objects.filter(district__code=HAIDIAN)).report_rate == 1.0
