"""Evidence files: limits from the settings, kept outside the web root, served only within
scope (404 otherwise, the same as for a file that does not exist), listed in the Word report."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from campusplan.accounts.models import AuditEntry
from campusplan.schools.models import Evidence
from campusplan.usecases import evidence
from tests.actors import as_user
from tests.web.world import A, C

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% acceptance report\n"


@pytest.fixture
def store(settings, tmp_path):
    settings.CAMPUSPLAN_EVIDENCE_DIR = str(tmp_path / "evidence")
    settings.CAMPUSPLAN_EVIDENCE_MAX_BYTES = 1000
    settings.CAMPUSPLAN_EVIDENCE_TYPES = ("pdf", "jpg")
    return tmp_path / "evidence"


def _upload(world, who="school", code=A, name="验收报告.pdf", content=PDF):
    return evidence.upload(actor=as_user(world[who]), school=code, kind="acceptance",
                           requirement_id="22-7", file_name=name, content=content)


def test_an_upload_is_stored_outside_the_web_root_and_audited(world, store, settings):
    e = _upload(world)
    path = store / e.stored_as
    assert path.read_bytes() == PDF and e.file_name == "验收报告.pdf"
    assert e.stored_as != e.file_name and not e.stored_as.startswith("验收")
    assert Path(settings.STATIC_ROOT) not in path.parents
    assert AuditEntry.objects.filter(object_type="evidence", object_key=str(e.pk)).exists()


@pytest.mark.parametrize(("name", "content", "why"), [
    ("big.pdf", b"%PDF-" + b"x" * 2000, "MB"),
    ("report.docx", b"PK\x03\x04", "pdf"),  # a type the settings do not accept
    ("fake.pdf", b"MZ\x90\x00 not a pdf", ".pdf"),  # the content is not what it says
    ("empty.pdf", b"", "空"),
])
def test_limits_come_from_the_settings(world, store, name, content, why):
    with pytest.raises(evidence.EvidenceRefused) as refused:
        _upload(world, name=name, content=content)
    assert why in refused.value.zh + refused.value.en
    assert not Evidence.objects.exists() and not list(store.glob("*"))


def _page(response) -> str:
    """The page without what differs per request (the CSP nonce, the CSRF token)."""
    text = re.sub(r'(nonce|content|value)="[^"]*"', "", response.content.decode())
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", text)


def test_a_file_is_never_served_outside_the_scope(world, store, login):
    mine = _upload(world)  # 海淀甲小学's
    theirs = _upload(world, who="city", code=C)  # 西城丙小学's
    client = login(world["school"])
    ok = client.get(f"/evidence/{mine.pk}/")
    assert ok.status_code == 200 and b"".join(ok.streaming_content) == PDF
    assert ok["Content-Type"] == "application/pdf" and "no-store" in ok["Cache-Control"]
    outside = client.get(f"/evidence/{theirs.pk}/")
    missing = client.get(f"/evidence/{theirs.pk + 100}/")
    assert outside.status_code == missing.status_code == 404
    assert theirs.file_name.encode() not in outside.content
    assert _page(outside) == _page(missing)  # nothing tells an existing file apart
    assert login(world["haidian"]).get(f"/evidence/{theirs.pk}/").status_code == 404
    api = client.get(f"/api/v1/evidence/{theirs.pk}")
    assert api.status_code == 404 and api.json() == client.get(
        f"/api/v1/evidence/{theirs.pk + 100}").json()
    assert login(world["city"]).get(f"/evidence/{theirs.pk}/").status_code == 200


def test_web_and_api_uploads_go_through_the_use_case(world, store, login):
    client = login(world["school"])
    response = client.post(f"/school/{A}/evidence/", {
        "kind": "photo", "requirement_id": "22-7",
        "file": SimpleUploadedFile("机房.jpg", b"\xff\xd8\xff\xe0 jpeg")})
    assert response.status_code == 302
    response = client.post(f"/school/{A}/evidence/", {
        "kind": "photo", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert response.status_code == 422
    response = client.post(f"/api/v1/schools/{A}/evidence", {
        "kind": "contract", "file": SimpleUploadedFile("合同.pdf", PDF)})
    assert response.status_code == 200 and response.json()["size"] == len(PDF)
    assert client.post(f"/api/v1/schools/{C}/evidence", {
        "kind": "contract", "file": SimpleUploadedFile("合同.pdf", PDF)}).status_code == 404
    page = client.get(f"/school/{A}/").content.decode()
    assert "机房.jpg" in page and "合同.pdf" in page


def test_the_word_report_lists_the_evidence(world, store, login):
    _upload(world)
    response = login(world["school"]).get(f"/school/{A}/report.docx")
    doc = Document(io.BytesIO(response.content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert any("佐证材料" in h for h in headings)
    assert any("验收报告.pdf" in c for c in cells) and "验收报告" in cells
