"""The import page: upload → located errors or a preview → confirm → written and re-assessed;
only for editors, only inside their scope; the kept file is per user and expires."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from campusplan.assessments.models import AssessmentRun
from campusplan.schools.models import FactValue, School
from campusplan.usecases.exports import survey
from campusplan.web import imports
from tests import factories
from tests.actors import operator
from tests.implausible import EXPECTED, FILE
from tests.web.world import HAIDIAN, XICHENG, A, B, C

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def upload(name: str, content: bytes | str) -> io.BytesIO:
    f = io.BytesIO(content.encode() if isinstance(content, str) else content)
    f.name = name
    return f


def school_json(code: str, **facts) -> io.BytesIO:
    return upload(f"{code}.json", json.dumps({"code": code, "facts": facts}))


def retention(code: str):
    return FactValue.objects.get(school__code=code, key="video_retention_days",
                                 superseded_at__isnull=True).value


def bad_workbook(tmp_path: Path, product_catalog) -> bytes:
    """The school's own survey workbook with one impossible value typed into it."""
    path, _n = survey(actor=operator(), path=tmp_path / "survey.xlsx", school=A)
    wb = load_workbook(path)
    ws = wb["基础设施"]
    column = next(c.column for c in ws[1] if c.value and str(c.value).startswith("录像存储时间"))
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == A)
    ws.cell(row, column, 99999)
    wb.save(path)
    return path.read_bytes()


def test_import_page_for_editors(world, login):
    html = login(world["haidian"]).get("/import/").content.decode()
    assert 'enctype="multipart/form-data"' in html and 'name="file"' in html
    assert "upload-progress" in html


def test_a_workbook_with_an_error_shows_where(world, login, tmp_path, product_catalog):
    client = login(world["school"])
    content = bad_workbook(tmp_path, product_catalog)
    response = client.post("/import/", {"file": upload("survey.xlsx", content)})
    assert response.status_code == 422
    html = response.content.decode()
    rows = response.context["problems"]
    assert len(rows) == 1
    problem = rows[0]
    assert (problem["file"], problem["sheet"], problem["value"]) == ("survey.xlsx", "基础设施", 99999)
    assert problem["row"] >= 3 and problem["column"].isalpha()
    assert "超出范围 0–3650：99999" in html and "未导入任何数据" in html
    assert "确认导入" not in html
    assert retention(A) == 15


def test_preview_then_confirm_writes_and_reassesses(world, login, settings):
    client = login(world["haidian"])
    response = client.post("/import/", {"file": school_json(A, video_retention_days=30)},
                           headers=HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "检查通过" in html  # the htmx partial
    change = response.context["changes"][0]
    assert (change.school, change.field, change.old, change.new) == (A, "录像存储时间", 15, 30)
    assert retention(A) == 15  # a dry run writes nothing
    token = response.context["token"]
    assert f"/import/{token}/confirm/" in html
    runs = AssessmentRun.objects.count()
    confirmed = client.post(f"/import/{token}/confirm/", follow=True)
    assert retention(A) == 30
    assert AssessmentRun.objects.count() == runs + 1
    assert factories.current_result(code=A, requirement="22-7").status == \
        "met"
    assert "已导入" in confirmed.content.decode()
    assert not list(Path(settings.CAMPUSPLAN_UPLOAD_DIR).glob(f"*/{token}"))  # the file is gone


def test_a_file_matching_the_database_has_nothing_to_confirm(world, login):
    response = login(world["haidian"]).post("/import/", {"file": school_json(A,
                                                                            video_retention_days=15)})
    assert response.status_code == 200 and "没有需要导入的变更" in response.content.decode()


@pytest.mark.parametrize(("role_key", "code", "names"), [
    ("haidian", C, [C]), ("school", B, [B]), ("haidian", A, None),
])
def test_schools_outside_the_scope_are_refused_before_any_preview(world, login, role_key, code,
                                                                   names):
    client = login(world[role_key])
    response = client.post("/import/", {"file": school_json(code, video_retention_days=99)})
    html = response.content.decode()
    if names is None:
        assert response.status_code == 200
        return
    assert response.status_code == 403
    assert "不在您的管理范围内" in html and code in html
    assert "确认导入" not in html and "修改前" not in html  # no stored value shown
    assert retention(code) != 99


def test_new_schools_only_in_the_own_district(world, login):
    client = login(world["haidian"])
    doc = {"code": "1101089999", "name": "海淀新学校", "district": HAIDIAN, "type": "211"}
    ok = client.post("/import/", {"file": upload("new.json", json.dumps(doc))})
    assert ok.status_code == 200 and ok.context["counts"]["new_schools"] == 1
    away = client.post("/import/", {"file": upload("new.json", json.dumps(
        doc | {"code": "1101029999", "district": XICHENG}))})
    assert away.status_code == 403 and "1101029999" in away.content.decode()
    school = login(world["school"]).post("/import/", {"file": upload("new.json", json.dumps(doc))})
    assert school.status_code == 403 and "校级用户不能新增学校" in school.content.decode()
    assert not School.objects.filter(code__in=["1101089999", "1101029999"]).exists()


def test_a_school_cannot_be_moved_out_of_the_district(world, login):
    client = login(world["haidian"])
    response = client.post("/import/", {"file": upload("move.json", json.dumps(
        {"code": A, "district": XICHENG}))})
    assert response.status_code == 403
    assert School.objects.get(code=A).district.code == HAIDIAN


def test_confirm_needs_the_own_unexpired_token(world, login):
    client = login(world["haidian"])
    token = client.post("/import/", {"file": school_json(A, video_retention_days=30)}) \
        .context["token"]
    other = login(world["city"])
    response = other.post(f"/import/{token}/confirm/", follow=True)
    assert "已过期或不存在" in response.content.decode() and retention(A) == 15
    client = login(world["haidian"])
    folder = imports.upload_root() / str(world["haidian"].pk) / token
    old = time.time() - imports.retention() - 10
    os.utime(folder, (old, old))
    response = client.post(f"/import/{token}/confirm/", follow=True)
    assert "已过期或不存在" in response.content.decode() and retention(A) == 15


def test_expired_uploads_are_purged(world, login):
    client = login(world["haidian"])
    token = client.post("/import/", {"file": school_json(A, video_retention_days=30)}) \
        .context["token"]
    folder = imports.upload_root() / str(world["haidian"].pk) / token
    old = time.time() - imports.retention() - 10
    os.utime(folder, (old, old))
    imports.purge_expired()
    assert not folder.exists()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("a.exe", b"MZ", "不支持的文件类型"),
    ("big.json", b"{" + b" " * 4096 + b"}", "文件过大"),
])
def test_bad_uploads(world, login, monkeypatch, name, content, message):
    monkeypatch.setattr(imports, "MAX_BYTES", 1024)
    response = login(world["haidian"]).post("/import/", {"file": upload(name, content)})
    assert response.status_code == 400 and message in response.content.decode()


def test_no_file(world, login):
    response = login(world["haidian"]).post("/import/", {})
    assert response.status_code == 400 and "请选择要导入的文件" in response.content.decode()


def test_implausible_schools_are_refused_with_located_reasons(world, login):
    """The file of implausible schools answers 422 with the CLI's located reasons; nothing is
    written (tests/implausible.py)."""
    client = login(world["haidian"])
    schools = School.objects.count()
    response = client.post("/import/", {"file": upload("implausible.json", FILE.read_bytes())})
    assert response.status_code == 422
    rows = response.context["problems"]
    assert len(rows) == len(EXPECTED)
    reasons = [(r["sheet"], r["reason"]) for r in rows]
    for path, zh, _en in EXPECTED:
        assert any(_same_place(p, path) and zh in r for p, r in reasons), path
    assert "未导入任何数据" in response.content.decode()
    assert School.objects.count() == schools


def _same_place(found: str, path: str) -> bool:
    """The value itself, a value inside it (a stage's classes cell), or what holds it (the
    school, for a stage the file does not give)."""
    return found.startswith(path) or path.startswith(found)
