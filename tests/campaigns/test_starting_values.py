"""A campaign starts from each school's last accepted values (the issue: "each school's pre-filled
workbook (last accepted values)"). Usually these are the stored values (what the district
accepted is what stayed); the difference shows when a value was changed after the acceptance,
outside a campaign: the pre-filled workbook and the online form then start from the accepted
value, the newer one is shown beside it, and the school settles it — takes the accepted value
back or keeps the newer one — before it may submit. Nothing is reverted or carried silently.

Also: the online form carries its version (a save over a value changed since answers 409), and
a campaign upload with conflicts lets the school choose per conflict."""

import datetime as dt
import json
import re

import openpyxl
import pytest

from campusplan.accounts.models import AuditEntry
from campusplan.campaigns.choices import State
from campusplan.campaigns.models import Submission
from campusplan.campaigns.selectors import since_accepted
from campusplan.campaigns.services import TransitionRefused, school_values
from campusplan.catalog.schema import Scope
from campusplan.schools.models import School
from campusplan.usecases import campaigns, facts
from tests import factories
from tests.campaigns.conftest import TODAY, open_city
from tests.web.world import HAIDIAN, A, B

pytestmark = pytest.mark.django_db
KEY = "video_retention_days"


@pytest.fixture(autouse=True)
def _product_catalog(monkeypatch, catalog):
    from campusplan.web import catalog_source

    monkeypatch.setattr(catalog_source, "get_catalog", lambda: catalog)


@pytest.fixture
def accepted(actors):
    """Haidian's 2025 campaign, confirmed: A's and B's values as accepted then."""
    last = open_city(actors, 2025, as_of=TODAY - dt.timedelta(days=365))
    for code in (A, B):
        campaigns.submit(actor=actors["haidian"], campaign=last, code=code)
    campaigns.approve(actor=actors["haidian"], campaign=last, codes=[A, B])
    campaigns.confirm_district(actor=actors["city"], campaign=last, district=HAIDIAN)
    return {code: school_values(School.objects.get(code=code)) for code in (A, B)}


@pytest.fixture
def edited(actors, accepted):
    """After the acceptance, outside any campaign, the district changes one value of A; then
    the 2026 campaign opens. (old, new) of that value."""
    old = accepted[A][f"fact.{KEY}"]
    new = old + 23
    facts.set_fact(actor=actors["haidian"], school=School.objects.get(code=A), key=KEY,
                   value=new)
    return old, new


@pytest.fixture
def now(actors, edited):
    return open_city(actors, 2026)


def _sub(campaign, code) -> Submission:
    return Submission.objects.select_related("school", "campaign").get(campaign=campaign,
                                                                        school__code=code)


def _cell(path, label: str, code: str):
    """The survey workbook's cell of one fact of one school (its column found by the label)."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        headers = [str(c.value or "") for c in ws[1]]
        col = next((i for i, h in enumerate(headers, 1) if h.startswith(label)), None)
        if col is None:
            continue
        for row in ws.iter_rows(min_row=2):
            if str(row[0].value) == code:
                return ws.cell(row=row[0].row, column=col).value
    raise AssertionError(f"no cell for {label} of {code}")


def _label(catalog) -> str:
    return catalog.facts.by_key(Scope.school)[KEY].label.zh


def _input(html: str, key: str = KEY) -> str:
    found = re.search(rf'id="f-{key}"[^>]*value="([^"]*)"', html)
    assert found, html[:500]
    return found.group(1)


def test_usually_the_accepted_values_are_the_stored_ones(actors, accepted, catalog, tmp_path):
    campaign = open_city(actors, 2026)
    for code in (A, B):
        assert _sub(campaign, code).since_accepted == {}
        assert since_accepted(_sub(campaign, code)) == []
    path = campaigns.survey(actor=actors["school"], campaign=campaign, code=A,
                            path=tmp_path / "a.xlsx")
    assert _cell(path, _label(catalog), A) == accepted[A][f"fact.{KEY}"]
    assert campaigns.submit(actor=actors["school"], campaign=campaign, code=A).state == \
        State.SUBMITTED


def test_a_value_changed_after_acceptance_starts_from_the_accepted_one(
        actors, edited, now, catalog, tmp_path, client, world):
    old, new = edited
    sub = _sub(now, A)
    assert sub.since_accepted == {f"fact.{KEY}": old}
    (changed,) = since_accepted(sub)
    assert (changed.accepted, changed.current, changed.by) == (old, new, "haidian")
    assert _sub(now, B).since_accepted == {}
    # the workbook is pre-filled with the accepted value, not the stored one
    path = campaigns.survey(actor=actors["school"], campaign=now, code=A,
                            path=tmp_path / "a.xlsx")
    assert _cell(path, _label(catalog), A) == old
    assert school_values(School.objects.get(code=A))[f"fact.{KEY}"] == new  # nothing written
    # so is the online form, with the newer value beside it
    client.force_login(world["school"])
    form = client.get(f"/campaigns/{now.pk}/school/{A}/form/").content.decode()
    assert _input(form) == str(int(old))
    assert f'id="newer-{KEY}"' in form and str(int(new)) in form.split(f'id="newer-{KEY}"')[1][:300]
    page = client.get(f"/campaigns/{now.pk}/school/{A}/").content.decode()
    assert 'id="since-accepted"' in page and "保留以上现值并提交" in page
    # it cannot be submitted unsettled
    with pytest.raises(TransitionRefused) as refused:
        campaigns.submit(actor=actors["school"], campaign=now, code=A)
    assert "上次审核通过后" in refused.value.text("zh") and _label(catalog) in \
        refused.value.text("zh")
    assert _sub(now, A).state == State.NOT_STARTED


def test_the_form_takes_the_accepted_value_back_or_keeps_the_newer(edited, now, client,
                                                                   world):
    old, new = edited
    client.force_login(world["school"])
    url = f"/campaigns/{now.pk}/school/{A}/facts/{KEY}/"
    saved = client.post(url, {"value": str(int(old))}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200, saved.content
    assert f'id="newer-{KEY}" hx-swap-oob="true" hidden' in saved.content.decode()
    assert school_values(School.objects.get(code=A))[f"fact.{KEY}"] == old  # taken back
    assert since_accepted(_sub(now, A)) == []
    assert client.post(f"/campaigns/{now.pk}/school/{A}/submit/").status_code == 302
    assert _sub(now, A).state == State.SUBMITTED


def test_keeping_the_newer_value_is_a_choice_and_audited(edited, now, client, world):
    old, new = edited
    client.force_login(world["school"])
    kept = client.post(f"/campaigns/{now.pk}/school/{A}/keep/",
                       {"key": f"fact.{KEY}", "next": "form"})
    assert kept.status_code == 302 and kept["Location"].endswith("/form/")
    sub = _sub(now, A)
    assert sub.since_accepted == {} and sub.state == State.IN_PROGRESS
    assert school_values(sub.school)[f"fact.{KEY}"] == new
    entry = AuditEntry.objects.get(object_type="campaign_submission", field="kept")
    assert entry.actor == "school_a" and entry.before == {f"fact.{KEY}": old}
    form = client.get(f"/campaigns/{now.pk}/school/{A}/form/").content.decode()
    assert _input(form) == str(int(new)) and f'id="newer-{KEY}"' not in form


def test_saving_the_newer_value_as_it_stands_keeps_it(edited, now, client, world):
    old, new = edited
    client.force_login(world["school"])
    saved = client.post(f"/campaigns/{now.pk}/school/{A}/facts/{KEY}/",
                        {"value": str(int(new))}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    assert since_accepted(_sub(now, A)) == [] and _sub(now, A).since_accepted == {}


def test_the_prefilled_workbook_asks_per_value(actors, edited, now, tmp_path):
    old, new = edited
    path = campaigns.survey(actor=actors["school"], campaign=now, code=A,
                            path=tmp_path / "a.xlsx")
    unchosen = campaigns.upload(actor=actors["school"], campaign=now, code=A, paths=[path])
    (conflict,) = unchosen.unresolved
    assert conflict.id == f"{A}:fact.{KEY}" and conflict.reason == "accepted"
    assert (conflict.then, conflict.change.old, conflict.change.new) == (old, new, old)
    assert not unchosen.written and school_values(
        School.objects.get(code=A))[f"fact.{KEY}"] == new
    taken = campaigns.upload(actor=actors["school"], campaign=now, code=A, paths=[path],
                             choices={conflict.id: "file"})
    assert taken.ok and school_values(School.objects.get(code=A))[f"fact.{KEY}"] == old
    assert since_accepted(_sub(now, A)) == []
    assert campaigns.submit(actor=actors["school"], campaign=now, code=A).state == \
        State.SUBMITTED


def test_the_workbook_keeps_the_newer_value_when_chosen(actors, edited, now, tmp_path, client,
                                                         world):
    old, new = edited
    path = campaigns.survey(actor=actors["school"], campaign=now, code=A,
                            path=tmp_path / "a.xlsx")
    client.force_login(world["school"])
    with path.open("rb") as f:
        asked = client.post(f"/campaigns/{now.pk}/school/{A}/upload/", {"file": f})
    html = asked.content.decode()
    assert asked.status_code == 409 and 'id="conflict-form"' in html
    assert f'name="choice-{A}:fact.{KEY}"' in html and "上次审核通过后" in html
    token = re.search(r'/upload/([^/"]+)/"', html).group(1)
    done = client.post(f"/campaigns/{now.pk}/school/{A}/upload/{token}/",
                       {f"choice-{A}:fact.{KEY}": "stored"})
    assert done.status_code == 302, done.content.decode()[:2000]
    sub = _sub(now, A)
    assert school_values(sub.school)[f"fact.{KEY}"] == new and sub.since_accepted == {}
    assert AuditEntry.objects.filter(object_type="campaign_submission", field="kept").exists()
    expired = client.post(f"/campaigns/{now.pk}/school/{A}/upload/{token}/", {})
    assert expired.status_code == 410  # the kept file went once imported


def test_a_value_written_during_the_campaign_is_the_campaigns(actors, edited, now, catalog,
                                                              tmp_path):
    facts.set_fact(actor=actors["haidian"], school=School.objects.get(code=A), key=KEY,
                   value=45)
    assert since_accepted(_sub(now, A)) == []
    path = campaigns.survey(actor=actors["school"], campaign=now, code=A,
                            path=tmp_path / "a.xlsx")
    assert _cell(path, _label(catalog), A) == 45


def test_the_api_shows_them_and_submits_only_knowingly(edited, now, client, world):
    old, new = edited
    secret = factories.token(user=world["school"])

    def call(method, url, **kw):
        return getattr(client, method)(f"/api/v1{url}", HTTP_AUTHORIZATION=f"Bearer {secret}",
                                       **kw)

    rows = json.loads(call("get", f"/campaigns/{now.pk}/schools").content)["items"]
    (mine,) = [r for r in rows if r["school"] == A]
    assert mine["since_accepted"][0] | {"at": None} == {
        "key": f"fact.{KEY}", "accepted": old, "current": new, "by": "haidian", "at": None}
    refused = call("post", f"/campaigns/{now.pk}/schools/{A}/submit")
    assert refused.status_code == 409 and "上次审核通过后" in refused.content.decode()
    done = call("post", f"/campaigns/{now.pk}/schools/{A}/submit?keep_changed=true")
    assert done.status_code == 200 and json.loads(done.content)["state"] == "submitted"
    assert school_values(School.objects.get(code=A))[f"fact.{KEY}"] == new


def test_the_api_and_the_cli_keep(edited, now, client, world):
    from typer.testing import CliRunner

    from campusplan.cli import app

    out = CliRunner().invoke(app, ["campaign", "submit", str(now.pk), A])
    assert out.exit_code == 2 and "上次审核通过后" in out.output
    kept = CliRunner().invoke(app, ["campaign", "keep", str(now.pk), A, f"fact.{KEY}"])
    assert kept.exit_code == 0 and f"fact.{KEY}" in kept.output
    assert CliRunner().invoke(app, ["campaign", "submit", str(now.pk), A]).exit_code == 0


def test_the_online_form_carries_its_version(actors, now, client, world):
    """Two people on one school: a save made from a form older than someone else's change
    answers 409 with the newer value; saving again overwrites it knowingly."""
    client.force_login(world["school_b"])
    form = client.get(f"/campaigns/{now.pk}/school/{B}/form/").content.decode()
    version = re.search(rf'action="[^"]*/facts/{KEY}/"[\s\S]*?name="version" value="(\d+)"',
                        form).group(1)
    facts.set_fact(actor=actors["haidian"], school=School.objects.get(code=B), key=KEY,
                   value=90)
    url = f"/campaigns/{now.pk}/school/{B}/facts/{KEY}/"
    stale = client.post(url, {"value": "60", "version": version}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409 and "haidian" in stale.content.decode()
    assert school_values(School.objects.get(code=B))[f"fact.{KEY}"] == 90
    again = re.search(r'name="version" value="(\d+)"', stale.content.decode()).group(1)
    done = client.post(url, {"value": "60", "version": again}, HTTP_HX_REQUEST="true")
    assert done.status_code == 200
    assert school_values(School.objects.get(code=B))[f"fact.{KEY}"] == 60


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_pages_speak_one_language(actors, edited, now, client, world, catalog, tmp_path,
                                      lang):
    from tests.web.test_language_leaks import Probe, page_text, switch

    probe = Probe(catalog, lang, allowed={now.title})  # the campaign's name is data
    client.force_login(world["school"])
    switch(client, lang)
    for url in (f"/campaigns/{now.pk}/school/{A}/", f"/campaigns/{now.pk}/school/{A}/form/"):
        page = client.get(url)
        assert 'since-accepted' in page.content.decode()
        probe.html(url, page)
    path = campaigns.survey(actor=actors["school"], campaign=now, code=A,
                            path=tmp_path / "a.xlsx")
    with path.open("rb") as f:
        asked = client.post(f"/campaigns/{now.pk}/school/{A}/upload/", {"file": f})
    assert asked.status_code == 409
    probe.text("upload conflicts", page_text(asked.content.decode()))
    assert not probe.leaks, probe.report()


HOSTILE = ["\x00", "../../etc/passwd", "x" * 5000, "1e309", "-1", "fact.\u202e", "' OR 1=1 --"]


def test_hostile_input_is_never_a_server_error(edited, now, client, world):
    from urllib.parse import quote

    client.force_login(world["school"])
    base = f"/campaigns/{now.pk}/school/{A}"
    for v in HOSTILE:
        answers = [
            client.post(f"{base}/keep/", {"key": v, "next": v}),
            client.post(f"{base}/upload/{quote(v, safe='')}/", {f"choice-{v}": v}),
            client.post(f"{base}/facts/internet_bandwidth_mbps/", {"value": "31", "version": v},
                        HTTP_HX_REQUEST="true"),
            client.post(f"{base}/submit/", {"keep_changed": v}),
        ]
        assert all(r.status_code < 500 for r in answers), [r.status_code for r in answers]
    # the value to settle is still there: no hostile keep_changed submitted it
    assert _sub(now, A).state != State.SUBMITTED and since_accepted(_sub(now, A))
