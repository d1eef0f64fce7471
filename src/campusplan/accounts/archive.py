"""Archiving the audit trail: old sealed batches move to a JSON-lines file that is verified
before a single row leaves the database; their seals stay, so the chain stays whole.

Rows younger than CAMPUSPLAN_AUDIT_RETENTION_DAYS (≥ 180, 网络安全法 第二十一条) are never
archived. The file holds the seals and rows of a consecutive stretch of the chain; `verify_file`
recomputes every digest in it, and its first seal's `prev` is the digest of the seal before it
in the database, so a file cannot be swapped for another stretch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from campusplan.accounts import chain
from campusplan.accounts.models import AuditEntry, AuditSeal
from campusplan.i18n import Refused

FORMAT = "campusplan-audit-archive/1"
SEAL_FIELDS = ("batch", "count", "last", "prev", "digest")


class ArchiveRefused(Refused):
    pass


@dataclass(frozen=True)
class Archived:
    path: Path
    seals: int
    rows: int
    sha256: str
    head: str


def earliest_allowed(today: dt.date | None = None) -> dt.date:
    """The latest `before` an archive may use: rows stay online the retention period."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=settings.CAMPUSPLAN_AUDIT_RETENTION_DAYS)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_default_timezone())


def _stretch(before: dt.datetime) -> list[AuditSeal]:
    """The unarchived seals at the chain's start, in chain order, sealed before `before`."""
    verdict = chain.Verdict()
    ordered = chain._walk(AuditSeal.objects.all(), verdict)
    if not verdict.ok:
        raise ArchiveRefused("审计链校验失败，不能归档：" + verdict.problems[0],
                             "the audit chain does not verify: " + verdict.problems[0])
    out = []
    for s in ordered:
        if s.archived_at is not None:
            continue
        if s.at >= before:
            break
        out.append(s)
    return out


def _row(e: AuditEntry) -> dict:
    values = chain.entry_values(e)
    values["at"] = e.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return {"id": e.pk, "batch": e.batch, "digest": e.digest, **values}


def _write(path: Path, seals: list[AuditSeal], before: dt.date) -> int:
    rows = 0
    with path.open("w", encoding="utf-8") as f:
        f.write(json.dumps({"format": FORMAT, "before": before.isoformat(),
                            "created": timezone.now().isoformat(), "seals": len(seals)}) + "\n")
        for s in seals:
            f.write(json.dumps({"seal": {k: getattr(s, k) for k in SEAL_FIELDS}
                                | {"at": s.at.isoformat()}}) + "\n")
            for e in AuditEntry.objects.filter(batch=s.batch).order_by("id").iterator():
                f.write(json.dumps({"row": _row(e)}, ensure_ascii=False) + "\n")
                rows += 1
    return rows


def read_file(path: Path) -> tuple[list[AuditSeal], list[AuditEntry]]:
    """An archive's seals and rows as unsaved model instances (nothing touches the database)."""
    seals, rows = [], []
    with path.open(encoding="utf-8") as f:
        head = json.loads(f.readline() or "{}")
        if head.get("format") != FORMAT:
            raise ArchiveRefused(f"不是审计归档文件：{path.name}", f"not an audit archive: {path.name}")
        for line in f:
            item = json.loads(line)
            if "seal" in item:
                data = item["seal"]
                seals.append(AuditSeal(at=dt.datetime.fromisoformat(data["at"]),
                                       **{k: data[k] for k in SEAL_FIELDS}))
            else:
                data = dict(item["row"])
                data["at"] = dt.datetime.fromisoformat(data["at"])
                rows.append(AuditEntry(pk=data.pop("id"), **data))
    return seals, rows


def verify_file(path: Path) -> chain.Verdict:
    seals, rows = read_file(path)
    return chain.verify(entries=iter(rows), seals=seals, archive=True)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def archive(*, before: dt.date, path: Path) -> Archived:
    """Move the sealed batches older than `before` to `path`, verified, then out of the
    database (their seals stay, marked archived)."""
    if before > earliest_allowed():
        raise ArchiveRefused(
            f"审计记录须在线保留至少 {settings.CAMPUSPLAN_AUDIT_RETENTION_DAYS} 天："
            f"--before 最晚为 {earliest_allowed()}",
            f"audit rows stay online {settings.CAMPUSPLAN_AUDIT_RETENTION_DAYS} days: "
            f"--before may be {earliest_allowed()} at the latest")
    path = Path(path)
    if path.exists():
        raise ArchiveRefused(f"文件已存在：{path}", f"the file exists: {path}")
    seals = _stretch(_midnight(before))
    rows = _write(path, seals, before)
    verdict = verify_file(path)
    if not verdict.ok or verdict.rows != rows or verdict.seals != len(seals):
        path.unlink()
        raise ArchiveRefused("归档文件校验失败：" + "; ".join(verdict.problems[:3]),
                             "the archive does not verify: " + "; ".join(verdict.problems[:3]))
    sha = file_sha256(path)
    with transaction.atomic():
        batches = [s.batch for s in seals]
        AuditEntry.objects.filter(batch__in=batches)._archive_delete()
        AuditSeal.objects.filter(pk__in=[s.pk for s in seals]).update(
            archived_at=timezone.now(), archive=f"{path.name} sha256:{sha[:16]}"[:300])
    return Archived(path, len(seals), rows, sha, verdict.head)
