"""Upload files (multipart) into the one import path, all or nothing, as `campusplan import`.

`dry_run` answers the preview of the changes; otherwise the changes are written (one
transaction, audited with source "api") and the schools they changed re-assessed (`run`).
Invalid files answer 422 with every located problem. The use case (usecases.imports) refuses,
before anything is planned, what lies outside the caller's scope: 403, and nothing about those
schools is shown.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any, Literal

from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from campusplan.accounts.scope import Refusal
from campusplan.api.auth import actor, require_edit
from campusplan.api.errors import ApiError
from campusplan.api.schemas import (
    ChangeOut,
    ConflictOut,
    Message,
    change_out,
    conflict_out,
    responses,
)
from campusplan.campaigns.services import SchoolLocked
from campusplan.schools.services import ImportInvalid
from campusplan.usecases.imports import ImportResult, import_files

router = Router(tags=["imports 导入"])
MAX_FILES = 20


class ImportForm(Schema):
    dry_run: bool = Field(False, description="只检查并预览变化，不写入")
    limit: int = Field(1000, ge=0, le=100_000, description="最多返回多少条变化")
    offset: int = Field(0, ge=0, description="从第几条变化开始返回（分页）")
    choices: str = Field("", description='逐个冲突的选择，JSON：{"<冲突 id>": "file"|"stored"}')
    on_conflict: Literal["", "file", "stored"] = Field(
        "", description="其余冲突：file 采用文件值，stored 保留现存值；空：有冲突则不写入（409）")
    inventory_complete: bool = Field(False, description="设备清单完整：其计数可替换填报值")


class ImportOut(Schema):
    dry_run: bool
    written: bool = Field(description="是否已写入（试运行或没有变化时为 false）")
    files: list[str]
    counts: dict[str, int]
    changes_total: int
    changes: list[ChangeOut] = Field(description="变化（自 offset 起最多 limit 条）")
    conflicts: list[ConflictOut] = Field(description="冲突（已按选择处理的也列出）")
    notes: list[Message]
    source: int | None = Field(description="写入时的来源 id（指标的 provenance）")
    run: int | None = Field(description="写入后重新评估的批次 id")


# --- files ----------------------------------------------------------------------------------


def _safe_name(name: str | None, i: int) -> str:
    base = Path((name or "").replace("\\", "/")).name
    base = re.sub(r"[\x00-\x1f\x7f/]", "", base)[-120:].strip(". ")
    return base or f"upload-{i}"


def _save(files: list[UploadedFile], folder: Path) -> list[Path]:
    paths = []
    for i, f in enumerate(files):
        target = folder / str(i) / _safe_name(f.name, i)
        target.parent.mkdir()
        with target.open("wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
        paths.append(target)
    return paths


# --- results --------------------------------------------------------------------------------


def _out(result: ImportResult, limit: int, offset: int = 0) -> dict[str, Any]:
    changes, report = result.plan.changes, result.report
    return {"dry_run": result.dry_run, "written": result.written,
            "files": result.files, "counts": result.plan.counts(),
            "changes_total": len(changes),
            "changes": [change_out(c) for c in changes[offset:offset + limit]],
            "conflicts": [conflict_out(c) for c in result.conflicts],
            "notes": [{"zh": n.zh, "en": n.en} for n in result.notes],
            "source": report.source.pk if result.written else None,
            "run": result.run.pk if result.run is not None else None}


@router.post("/imports", response=responses(ImportOut, 400, 403, 409),
             summary="上传并导入文件（全部成功才写入）/ import files, all or nothing")
def import_upload(request, files: File[list[UploadedFile]], form: Form[ImportForm]):
    require_edit(request)
    if not 1 <= len(files) <= MAX_FILES:
        raise ApiError(422, "validation_error", f"一次上传 1–{MAX_FILES} 个文件",
                       f"upload 1 to {MAX_FILES} files at once")
    with tempfile.TemporaryDirectory(prefix="campusplan-api-") as tmp:
        result = import_files(actor=actor(request), paths=_save(files, Path(tmp)),
                              dry_run=form.dry_run, choices=_choices(form.choices),
                              on_conflict=form.on_conflict or None,
                              inventory_complete=form.inventory_complete)
    if result.refused:
        raise ApiError(403, "forbidden", "文件涉及您权限范围之外的学校或区，未写入任何数据",
                       "the files name schools or districts outside your scope; nothing "
                       "was written", details=[_refusal(r) for r in result.refused])
    if result.locked:
        raise SchoolLocked(result.problems)  # 409
    if result.report is not None and result.report.ok and result.unresolved:
        raise ApiError(409, "conflict", "数据在文件生成后已被修改，未写入任何数据；请逐个选择",
                       "the data changed since the file was made; nothing was written: "
                       "choose per conflict", details=[conflict_out(c) for c in result.unresolved])
    if not result.ok:
        raise ImportInvalid(result.problems)
    return _out(result, form.limit, form.offset)


def _choices(raw: str) -> dict[str, str]:
    try:
        data = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict) or not all(v in ("file", "stored") for v in data.values()):
        raise ApiError(422, "validation_error", 'choices 应为 {"<冲突 id>": "file"|"stored"}',
                       'choices must be {"<conflict id>": "file"|"stored"}')
    return {str(k): v for k, v in data.items()}


def _refusal(r: Refusal) -> dict[str, Any]:
    return ({"school": r.subject} if r.subject else {}) | {"zh": r.zh, "en": r.en}
