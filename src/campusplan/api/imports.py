"""Upload files (multipart) into the one import path, all or nothing, as `campusplan import`.

`dry_run` answers the preview of the changes; otherwise the changes are written (one
transaction, audited with source "api"). Invalid files answer 422 with every located problem.
Before anything is planned, every school and district the files name must be in the caller's
scope: stored schools they see (and may edit), new schools and district services only in a
district they run — otherwise 403, and nothing about those schools is shown.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from campusplan.accounts import scope
from campusplan.api.auth import acting, editable_districts, require_edit, user_of
from campusplan.api.errors import ApiError
from campusplan.api.schemas import ChangeOut, Message, change_out, responses
from campusplan.catalog.loader import load_catalog
from campusplan.exchange.bundle import Bundle, add_document
from campusplan.exchange.documents import snipeit_codes
from campusplan.exchange.inventory import load_kinds
from campusplan.exchange.layout import build_layout
from campusplan.exchange.problems import ExchangeError
from campusplan.exchange.readers import read_any
from campusplan.schools.choices import SourceKind
from campusplan.schools.models import School
from campusplan.schools.selectors import school_names
from campusplan.schools.services import ImportInvalid, import_files

router = Router(tags=["imports 导入"])
MAX_FILES = 20


class ImportForm(Schema):
    dry_run: bool = Field(False, description="只检查并预览变化，不写入")
    limit: int = Field(1000, ge=0, le=100_000, description="最多返回多少条变化")


class ImportOut(Schema):
    dry_run: bool
    written: bool = Field(description="是否已写入（试运行或没有变化时为 false）")
    files: list[str]
    counts: dict[str, int]
    changes_total: int
    changes: list[ChangeOut] = Field(description="变化（最多 limit 条）")
    notes: list[Message]
    source: int | None = Field(description="写入时的来源 id（指标的 provenance）")


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


# --- scope ----------------------------------------------------------------------------------


def _bundle(paths: list[Path]) -> Bundle:
    """What the files say (the first half of import_files): only to check the scope."""
    catalog = load_catalog()
    kinds = load_kinds(catalog)
    layout = build_layout(catalog, kinds.labels())
    bundle = Bundle()
    for path in paths:
        try:
            add_document(bundle, read_any(path), layout, kinds)
        except ExchangeError:
            continue  # import_files reports it with every other problem
    return bundle


def _district_in(entry) -> str | None:
    val = entry.values.get("district") if entry is not None else None
    return None if val is None or val.value in (None, "") else str(val.value)


def _may(allowed: set[str] | None, district: str | None) -> bool:
    return allowed is None or (district in allowed if district else bool(allowed))


def _school_ok(code: str, entry, stored: dict, visible: set, allowed) -> bool:
    district = _district_in(entry)
    if code in stored:
        return code in visible and (district in (None, stored[code]) or _may(allowed, district))
    return _may(allowed, district)


def out_of_scope(request, bundle: Bundle) -> list[dict[str, Any]]:
    """Every school or district service in the files the caller may not change."""
    allowed = editable_districts(request)
    named = set(bundle.schools)
    matched = snipeit_codes(bundle, school_names()) - named if bundle.snipeit else set()
    codes = named | matched
    stored = dict(School.objects.filter(code__in=codes).values_list("code", "district__code"))
    visible = set(scope.visible_schools(user_of(request)).filter(code__in=codes)
                  .values_list("code", flat=True))
    bad = [{"school": code, "zh": "学校不在您的权限范围内", "en": "school outside your scope"}
           for code in sorted(named)
           if not _school_ok(code, bundle.schools[code], stored, visible, allowed)]
    if any(code not in visible for code in matched):
        bad.append({"school": None, "zh": "Snipe-IT 表中的学校不在您的权限范围内",
                    "en": "a Snipe-IT company is a school outside your scope"})
    bad += [{"district": d, "service": f"{c}/{n}", "zh": "区级服务不在您的权限范围内",
             "en": "district service outside your scope"}
            for d, c, n in sorted(bundle.district_services) if not _may(allowed, d)]
    return bad


# --- results --------------------------------------------------------------------------------


def _out(report, limit: int) -> dict[str, Any]:
    changes = report.plan.changes
    return {"dry_run": report.dry_run, "written": report.source is not None,
            "files": report.files, "counts": report.plan.counts(),
            "changes_total": len(changes), "changes": [change_out(c) for c in changes[:limit]],
            "notes": [{"zh": n.zh, "en": n.en} for n in report.notes],
            "source": report.source.pk if report.source is not None else None}


@router.post("/imports", response=responses(ImportOut, 400, 403, 409),
             summary="上传并导入文件（全部成功才写入）/ import files, all or nothing")
def import_upload(request, files: File[list[UploadedFile]], form: Form[ImportForm]):
    require_edit(request)
    if not 1 <= len(files) <= MAX_FILES:
        raise ApiError(422, "validation_error", f"一次上传 1–{MAX_FILES} 个文件",
                       f"upload 1 to {MAX_FILES} files at once")
    with tempfile.TemporaryDirectory(prefix="campusplan-api-") as tmp:
        paths = _save(files, Path(tmp))
        bad = out_of_scope(request, _bundle(paths))
        if bad:
            raise ApiError(403, "forbidden", "文件涉及您权限范围之外的学校或区，未写入任何数据",
                           "the files name schools or districts outside your scope; nothing "
                           "was written", details=bad)
        user = user_of(request)
        with acting(request):
            report = import_files(paths=paths, user=user, actor=user.get_username(),
                                  dry_run=form.dry_run, kind=SourceKind.API)
    if not report.ok:
        raise ImportInvalid(report.problems)
    return _out(report, form.limit)
