"""Evidence (佐证材料): a photo, contract or acceptance report attached to a school and one of
its requirements. Files are checked against the size and type limits of the settings
(CAMPUSPLAN_EVIDENCE_MAX_BYTES, CAMPUSPLAN_EVIDENCE_TYPES: by extension and by the file's own
first bytes), stored under CAMPUSPLAN_EVIDENCE_DIR (var/, outside the web root) by a random
name, and served only through `open_evidence`, which answers 404 outside the actor's scope —
the same answer as for a file that does not exist, so it reveals nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import Http404

from campusplan.accounts import audit
from campusplan.accounts.audit import Actor
from campusplan.catalog.loader import load_catalog
from campusplan.i18n import Refused
from campusplan.schools.choices import EvidenceKind
from campusplan.schools.models import Evidence, School
from campusplan.usecases import scoping

# what a file of each type starts with (a docx/xlsx is a zip)
SIGNATURES = {"jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
              "png": (b"\x89PNG\r\n\x1a\n",), "pdf": (b"%PDF-",),
              "docx": (b"PK\x03\x04",), "xlsx": (b"PK\x03\x04",)}
CONTENT_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
                 "pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class EvidenceRefused(Refused):
    status = 422


@dataclass(frozen=True)
class EvidenceFile:
    evidence: Evidence
    path: Path


def store_dir() -> Path:
    return Path(settings.CAMPUSPLAN_EVIDENCE_DIR)


def max_bytes() -> int:
    return settings.CAMPUSPLAN_EVIDENCE_MAX_BYTES


def _extension(name: str) -> str:
    return Path(name).suffix.lower().lstrip(".")


def _check(name: str, content: bytes) -> str:
    limit, types = settings.CAMPUSPLAN_EVIDENCE_MAX_BYTES, settings.CAMPUSPLAN_EVIDENCE_TYPES
    if not content:
        raise EvidenceRefused("文件为空", "the file is empty")
    if len(content) > limit:
        raise EvidenceRefused(f"文件超过 {limit // 2**20} MB 上限",
                              f"the file exceeds the limit of {limit // 2**20} MB")
    ext = _extension(name)
    if ext not in types:
        raise EvidenceRefused(f"只接受以下类型：{'、'.join(types)}",
                              f"only these types are accepted: {', '.join(types)}")
    if not content.startswith(SIGNATURES.get(ext, (b"",))):
        raise EvidenceRefused(f"文件内容与扩展名 .{ext} 不符", f"the content is not a .{ext} file")
    return ext


def _clean_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name.strip()
    return "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?')[:200] or "file"


def upload(*, actor: Actor, school: str, kind: str, file_name: str, content: bytes,
           requirement_id: str = "", note: str = "") -> Evidence:
    """Keep one evidence file of a school (its own users may upload too); audited."""
    target = scoping.school(actor, school, edit=True)
    if kind not in EvidenceKind.values:
        raise EvidenceRefused("类型应为 photo / contract / acceptance",
                              "kind must be photo, contract or acceptance")
    requirement_id = requirement_id.strip()
    if requirement_id and requirement_id not in {
            r.id for _a, _i, r in load_catalog().standard.requirements()}:
        raise EvidenceRefused(f"规范中没有要求“{requirement_id}”",
                              f"the standard has no requirement “{requirement_id}”")
    ext = _check(file_name, content)
    stored_as = f"{secrets.token_hex(16)}.{ext}"
    folder = store_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / stored_as
    with audit.acting_as(actor), transaction.atomic():
        path.write_bytes(content)
        try:
            evidence = Evidence.objects.create(
                school=target, requirement_id=requirement_id, kind=kind,
                file_name=_clean_name(file_name), content_type=CONTENT_TYPES[ext],
                size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                stored_as=stored_as, note=note.strip()[:300], uploaded_by=actor.user)
            audit.record(object_type="evidence", object_key=str(evidence.pk), school=target,
                         field="uploaded", after={"file": evidence.file_name, "kind": kind,
                                                  "requirement_id": requirement_id,
                                                  "size": evidence.size,
                                                  "sha256": evidence.sha256})
        except Exception:
            path.unlink(missing_ok=True)
            raise
    return evidence


def of_school(*, actor: Actor, school: str) -> list[Evidence]:
    return list(Evidence.objects.filter(school=scoping.school(actor, school)))


def listed(schools: list[School]) -> list[Evidence]:
    """The evidence of schools already resolved in scope (the Word report lists it)."""
    return list(Evidence.objects.filter(school__in=schools).order_by(
        "school__code", "requirement_id", "uploaded_at"))


def open_evidence(*, actor: Actor, pk: int) -> EvidenceFile:
    """The file to send, for an actor whose scope holds its school; 404 otherwise, and for a
    file that does not exist — one answer, so a download reveals nothing about other schools."""
    evidence = Evidence.objects.select_related("school").filter(pk=pk).first()
    if evidence is None:
        raise Http404
    scoping.school(actor, evidence.school.code)  # 404 outside the scope
    path = store_dir() / evidence.stored_as
    if not path.is_file():
        raise Http404
    return EvidenceFile(evidence, path)
