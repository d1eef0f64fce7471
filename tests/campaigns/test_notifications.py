"""The campaign's events tell the people they concern — in the app (the bell's unread count) and
by e-mail through Django's e-mail backend (the test runner's locmem outbox) when e-mail is
configured: opened (the schools and districts in scope), returned with the reasons, unlocked,
approved (the school), a district confirmed (its district accounts), and the deadline in N days
(`remind`, once per school and threshold, N from the settings)."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation
from typer.testing import CliRunner

from campusplan.accounts import notices
from campusplan.accounts.models import AuditEntry, Notification
from campusplan.campaigns.models import Submission
from campusplan.cli import app
from campusplan.usecases import campaigns
from campusplan.usecases.notifications import unread_count
from tests.campaigns.conftest import TODAY, open_city
from tests.web.world import HAIDIAN, XICHENG, A, B

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailing(world, settings):
    """E-mail configured, every account with an address."""
    settings.CAMPUSPLAN_EMAIL = True
    for user in world.values():
        user.email = f"{user.username}@example.cn"
        user.save()
    return world


@pytest.fixture
def outbox(django_capture_on_commit_callbacks):
    """Run a step and send its mails (they leave when the write commits): who got one."""
    def run(step):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            out = step()
        return out, {m.to[0].split("@")[0]: m.body for m in mail.outbox}
    return run


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_opening_tells_the_schools_and_districts_in_scope(actors, mailing, outbox):
    campaign, mailed = outbox(lambda: open_city(actors))
    # the city's campaign: every school's and every district's accounts, not the city
    assert set(mailed) == {"school_a", "school_b", "haidian", "auditor", "xicheng"}
    assert campaign.title in mailed["school_a"] and campaign.deadline.isoformat() in \
        mailed["school_a"] and f"/campaigns/{campaign.pk}/" in mailed["school_a"]
    assert unread_count(user=mailing["school"]) == 1 and unread_count(user=mailing["city"]) == 0
    note = Notification.objects.get(user=mailing["school_b"])
    assert note.kind == "campaign_opened" and note.emailed_at is not None
    # a district's own campaign: its schools and its accounts, never another district's
    _, mailed = outbox(lambda: campaigns.open_campaign(
        actor=actors["haidian"], school_year=2026, as_of=TODAY,
        deadline=TODAY + dt.timedelta(days=7), district=HAIDIAN))
    assert set(mailed) == {"school_a", "school_b", "haidian", "auditor"}
    assert unread_count(user=mailing["xicheng"]) == 1


def test_without_e_mail_only_the_bell(actors, world, outbox, client):
    for user in world.values():
        user.email = f"{user.username}@example.cn"
        user.save()
    campaign, mailed = outbox(lambda: open_city(actors))
    assert mailed == {} and unread_count(user=world["school"]) == 1
    client.force_login(world["school"])
    bell = client.get("/notifications/bell/").content.decode()
    assert 'data-unread="1"' in bell
    page = client.get("/notifications/").content.decode()
    assert campaign.title in page and f"/campaigns/{campaign.pk}/" in page


def test_returned_tells_the_school_with_the_reasons_unlock_too(actors, mailing, outbox,
                                                               campaign):
    campaigns.submit(actor=actors["school"], campaign=campaign, code=A)
    campaigns.submit(actor=actors["school_b"], campaign=campaign, code=B)
    before = unread_count(user=mailing["school"])
    _, mailed = outbox(lambda: campaigns.return_submissions(
        actor=actors["haidian"], campaign=campaign, codes=[A],
        reasons=[{"target": "fact.video_retention_days", "text": "录像存储天数请附说明"}]))
    assert set(mailed) == {"school_a"}  # not B, not the district
    assert "填报已退回修改" in mailed["school_a"] and "录像存储天数请附说明" in mailed["school_a"]
    assert unread_count(user=mailing["school"]) == before + 1
    _, mailed = outbox(lambda: campaigns.unlock(actor=actors["haidian"], campaign=campaign,
                                                code=B, reason="补充设备清单"))
    assert set(mailed) == {"school_b"} and "补充设备清单" in mailed["school_b"]
    assert _kinds(mailing["school_b"])[0] == "unlocked"


def test_approved_tells_the_schools_confirmed_tells_the_district(actors, mailing, outbox,
                                                                 campaign):
    for code, who in ((A, "school"), (B, "school_b")):
        campaigns.submit(actor=actors[who], campaign=campaign, code=code)
    _, mailed = outbox(lambda: campaigns.approve(actor=actors["haidian"], campaign=campaign,
                                                 codes=[A, B]))
    assert set(mailed) == {"school_a", "school_b"}
    assert f"填报已审核通过：{campaign.title}" in mailed["school_a"]
    part, mailed = outbox(lambda: campaigns.confirm_district(
        actor=actors["city"], campaign=campaign, district=HAIDIAN))
    assert set(mailed) == {"haidian", "auditor"}  # the district's accounts, not Xicheng's
    assert "2026学年 正式评估" in mailed["haidian"] and "海淀区" in mailed["haidian"]
    assert _kinds(mailing["haidian"])[0] == "district_confirmed"
    assert "district_confirmed" not in _kinds(mailing["xicheng"])
    with translation.override("en"):  # rendered in the reader's language when read
        english = notices.text("district_confirmed", Notification.objects.filter(
            user=mailing["haidian"]).first().params)
    assert "confirmed" in english and "海淀区" in english and "市级已确认" not in english


def test_deadline_reminders_once_per_school_and_threshold(actors, mailing, outbox, campaign,
                                                          settings):
    settings.CAMPAIGN_REMINDER_DAYS = [7, 3]
    deadline = campaign.deadline  # 14 days away

    def remind(days_before: int, **kw):
        return outbox(lambda: campaigns.remind(
            actor=actors["city"], today=deadline - dt.timedelta(days=days_before), **kw))

    assert remind(10) == ([], {})  # further than every threshold
    told, mailed = remind(7)
    assert sorted(s.school.code for s, _left in told) == sorted(
        Submission.objects.filter(campaign=campaign).values_list("school__code", flat=True))
    assert set(mailed) == {"school_a", "school_b"}  # the schools with accounts
    assert "还有 7 天截止" in mailed["school_a"] and deadline.isoformat() in mailed["school_a"]
    assert remind(7) == ([], {})  # the same day again: nothing
    assert remind(5) == ([], {})  # still inside 7, above 3: nothing new
    campaigns.submit(actor=actors["school"], campaign=campaign, code=A)
    told, mailed = remind(2)  # the 3-day threshold: only who has not submitted
    assert A not in {s.school.code for s, _left in told} and set(mailed) == {"school_b"}
    assert "还有 2 天截止" in mailed["school_b"]
    assert Submission.objects.get(campaign=campaign, school__code=B).reminded == [3, 7]
    assert remind(1) == ([], {}) and remind(0) == ([], {})
    told, mailed = remind(0, days=[0])  # a deadline-day threshold says so
    assert "今天截止" in mailed["school_b"]
    assert unread_count(user=mailing["school_b"]) == 1 + 3  # opened + three reminders
    assert AuditEntry.objects.filter(object_type="campaign", field="reminded").count() == 3
    # a district reminds only its own schools
    settings.CAMPAIGN_REMINDER_DAYS = [14]
    told, _ = outbox(lambda: campaigns.remind(actor=actors["xicheng"], today=TODAY))
    assert {s.school.district.code for s, _left in told} == {XICHENG}


def test_a_school_or_an_auditor_cannot_remind(actors, campaign):
    from django.core.exceptions import PermissionDenied

    for who in ("school", "auditor"):
        with pytest.raises(PermissionDenied):
            campaigns.remind(actor=actors[who])


def test_remind_from_the_command_line(world, campaign, settings):
    settings.CAMPAIGN_REMINDER_DAYS = [14]
    runner = CliRunner()
    done = runner.invoke(app, ["campaign", "remind", "--today", TODAY.isoformat()])
    assert done.exit_code == 0 and "4 所学校已提醒" in done.output, done.output
    again = runner.invoke(app, ["campaign", "remind", "--today", TODAY.isoformat(),
                                "--lang", "en"])
    assert again.exit_code == 0 and "0 school(s) reminded" in again.output
    assert Notification.objects.filter(kind="deadline", user=world["school"]).count() == 1
