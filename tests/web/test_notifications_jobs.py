"""Notifications (the bell, the list, e-mail when configured) and long operations as background
jobs with progress: the database task backend and its real worker (`manage.py db_worker
--batch`, which runs what is queued and exits), so the page is seen queued, then done."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from openpyxl import load_workbook

from campusplan.accounts.models import Job, Notification
from campusplan.schools.models import School
from campusplan.usecases import notifications
from tests.actors import operator
from tests.web.world import HAIDIAN, XICHENG, A

pytestmark = pytest.mark.django_db


def _unread(html: str) -> int:
    found = re.search(r'data-unread="(\d+)"', html)
    return int(found.group(1)) if found else 0


def _work() -> None:
    """What the worker does between two polls: every queued task, then exit."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_notify_reaches_the_schools_accounts_and_rings_the_bell(world, login):
    school = School.objects.get(code=A)
    sent = notifications.notify(actor=operator(), kind="returned", schools=[school],
                                params={"campaign": "2026学年", "reason": "教师数与去年相差过大"},
                                url=f"/school/{A}/")
    assert [n.user.username for n in sent] == ["school_a"]
    client = login(world["school"])
    assert _unread(client.get(f"/school/{A}/").content.decode()) == 1
    page = client.get("/notifications/").content.decode()
    assert "填报已退回修改：2026学年" in page and "教师数与去年相差过大" in page
    client.cookies["django_language"] = "en"
    english = client.get("/notifications/").content.decode()
    assert "returned" in english.lower() and "填报已退回修改" not in english
    client.post("/notifications/")
    assert _unread(client.get("/notifications/bell/").content.decode()) == 0
    # the district's accounts were not told
    assert not Notification.objects.filter(user=world["haidian"]).exists()


def test_notify_districts_and_by_e_mail_when_configured(world, settings,
                                                        django_capture_on_commit_callbacks):
    settings.CAMPUSPLAN_EMAIL = True
    haidian = world["haidian"]
    haidian.email = "it@haidian.example"
    haidian.save()
    district = School.objects.get(code=A).district
    with django_capture_on_commit_callbacks(execute=True):
        sent = notifications.notify(actor=operator(), kind="deadline", districts=[district],
                                    params={"campaign": "2026学年", "days": 3,
                                            "deadline": "2026-12-04"})
    assert {n.user.username for n in sent} == {"haidian", "auditor"}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["it@haidian.example"]
    assert "还有 3 天截止" in mail.outbox[0].body
    assert Notification.objects.get(user=haidian).emailed_at is not None
    with pytest.raises(ValueError):
        notifications.notify(actor=operator(), kind="no_such_kind", users=[haidian])


WORKER = pytest.mark.django_db(transaction=True)  # the worker closes its connections


@WORKER
def test_city_workbook_in_the_background_with_progress(world, login):
    client = login(world["city"])
    started = client.post("/jobs/city-workbook/")
    assert started.status_code == 302
    url = started["Location"]
    job = Job.objects.get()
    assert url == f"/jobs/{job.pk}/" and job.state == Job.QUEUED
    waiting = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<progress" in waiting and 'hx-trigger="every 1s"' in waiting
    _work()
    job.refresh_from_db()
    assert job.state == Job.DONE and job.result["schools"] == 4 and job.percent == 100
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "every 1s" not in done and f"/jobs/{job.pk}/file/" in done
    book = load_workbook(io.BytesIO(b"".join(client.get(f"/jobs/{job.pk}/file/")
                                             .streaming_content)))
    assert book.sheetnames
    assert Notification.objects.filter(user=world["city"], kind="job_finished").exists()
    # somebody else's job is not theirs to see
    assert login(world["haidian"]).get(url).status_code == 404


@WORKER
def test_reassess_a_district_in_the_background(world, login):
    client = login(world["haidian"])
    assert client.post(f"/jobs/reassess/{XICHENG}/").status_code == 404
    assert not Job.objects.exists()
    job_url = client.post(f"/jobs/reassess/{HAIDIAN}/")["Location"]
    _work()
    job = Job.objects.get()
    assert job.state == Job.DONE and job.result["schools"] == 2
    assert "已重新评估 2 所学校" in client.get(job_url).content.decode()
    assert login(world["school"]).post(f"/jobs/reassess/{HAIDIAN}/").status_code == 403


@WORKER
def test_an_import_in_the_background_writes_and_tells_the_user(world, login):
    client = login(world["haidian"])
    upload = io.BytesIO(f'{{"code": "{A}", "facts": {{"video_retention_days": 90}}}}'.encode())
    upload.name = "retention.json"
    preview = client.post("/import/", {"file": upload}).content.decode()
    token = re.search(r"/import/([A-Za-z0-9_-]+)/confirm/", preview).group(1)
    started = client.post(f"/import/{token}/confirm/", {"background": "1"})
    assert started.status_code == 302 and started["Location"].startswith("/jobs/")
    _work()
    job = Job.objects.get()
    assert job.state == Job.DONE and job.result["written"] and job.result["changes"] == 1
    assert "已导入" in client.get(started["Location"]).content.decode()
    kinds = set(Notification.objects.filter(user=world["haidian"]).values_list("kind",
                                                                                flat=True))
    assert {"import_finished", "job_finished"} <= kinds
