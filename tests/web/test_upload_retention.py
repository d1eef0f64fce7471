"""Personal data in uploads (docs/security.md): the kept copy of an upload holds only what the
import reads, and it is deleted when the import is confirmed or abandoned, or after the
retention (CAMPUSPLAN_UPLOAD_RETENTION_SECONDS)."""

from __future__ import annotations

import csv
import io
import os
import time

import pytest

from campusplan.schools.models import Device
from campusplan.web import imports
from tests.web.world import NAMES, A

pytestmark = pytest.mark.django_db
HEADER = ["Company", "Name", "Asset Tag", "Category", "Model", "Location", "Purchase Date",
          "Purchase Cost", "Status", "Checked Out To", "Email", "Serial", "Notes"]
PERSON, MAIL = "王晓梅老师", "wang.xiaomei@example.edu.cn"


def snipeit_csv() -> io.BytesIO:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for i in range(3):
        writer.writerow([NAMES[A], f"pc{i}", f"T-{i}", "Teacher Computers", "ThinkPad", "",
                         "2023-03-01", "5999", "Deployed", PERSON, MAIL, f"SN{i}", "交给王老师"])
    f = io.BytesIO(out.getvalue().encode("utf-8-sig"))
    f.name = "assets.csv"
    return f


def _kept(world, token):
    folder = imports.upload_root() / str(world["haidian"].pk) / token
    return folder, next(folder.iterdir())


def test_the_kept_upload_holds_only_what_the_import_reads(world, login):
    client = login(world["haidian"])
    response = client.post("/import/", {"file": snipeit_csv()})
    assert response.status_code == 200, response.content.decode()[:500]
    folder, path = _kept(world, response.context["token"])
    text = path.read_text(encoding="utf-8-sig")
    assert PERSON not in text and MAIL not in text and "SN1" not in text and "王老师" not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADER and len(rows) == 4  # positions kept: problems stay located
    assert rows[1][2] == "T-0" and rows[1][0] == NAMES[A]
    # the inventory is declared complete: its counts may replace the stated ones (no conflict)
    client.post(f"/import/{response.context['token']}/confirm/", {"inventory_complete": "1"})
    assert Device.objects.filter(school__code=A, asset_tag__startswith="T-").count() == 3
    assert not folder.exists()  # confirmed: deleted


def test_an_abandoned_upload_is_deleted(world, login):
    client = login(world["haidian"])
    token = client.post("/import/", {"file": snipeit_csv()}).context["token"]
    folder, _path = _kept(world, token)
    page = client.post(f"/import/{token}/discard/", follow=True).content.decode()
    assert "已取消导入" in page and not folder.exists()
    assert not Device.objects.filter(asset_tag="T-0").exists()


def test_an_upload_past_the_retention_goes_when_the_page_is_opened(world, login, settings):
    settings.CAMPUSPLAN_UPLOAD_RETENTION_SECONDS = 60
    client = login(world["haidian"])
    token = client.post("/import/", {"file": snipeit_csv()}).context["token"]
    folder, _path = _kept(world, token)
    client.get("/import/")
    assert folder.exists()  # within the retention
    old = time.time() - 61
    os.utime(folder, (old, old))
    client.get("/import/")
    assert not folder.exists()
