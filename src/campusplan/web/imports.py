"""The import page's pieces: the uploaded file kept per user until confirmed (or expired), and
the rendering of a dry run (preview of the changes, located problems).

A file is stored under CAMPUSPLAN_UPLOAD_DIR/<user id>/<random token>/<its name>, reduced to the
columns the import reads (exchange.minimize: a Snipe-IT export's people are blanked); only that
user's token finds it again. It is deleted when the import is confirmed or abandoned (the cancel
button, a refused or invalid dry run), and one left longer than
CAMPUSPLAN_UPLOAD_RETENTION_SECONDS is removed when the import page is next opened. The scope check
of what a file touches is the use case's (usecases.imports), the same for every door.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.http import HttpResponse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from campusplan.catalog.loader import Catalog
from campusplan.exchange.documents import SEP, Change, Plan
from campusplan.exchange.limits import DEFAULT_LIMITS
from campusplan.exchange.minimize import minimize_csv
from campusplan.exchange.problems import Problem
from campusplan.web.facts import field_label, subject_text, value_text

SUFFIXES = (".xlsx", ".csv", ".json")
MAX_BYTES = DEFAULT_LIMITS.max_file_bytes
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
PREVIEW_ROWS = 50


# --- the uploaded file -----------------------------------------------------------------------


class LimitedUpload(TemporaryFileUploadHandler):
    """Stops reading an upload past MAX_BYTES (the request then carries no file)."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > MAX_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)


def upload_root() -> Path:
    return Path(settings.CAMPUSPLAN_UPLOAD_DIR)


def retention() -> int:
    """Seconds an unconfirmed upload is kept."""
    return settings.CAMPUSPLAN_UPLOAD_RETENTION_SECONDS


def _user_dir(user) -> Path:
    return upload_root() / str(user.pk)


def upload_error(uploaded) -> str:
    if uploaded is None:
        return _("请选择要导入的文件。")
    if Path(uploaded.name).suffix.lower() not in SUFFIXES:
        return _("不支持的文件类型（支持 .xlsx / .csv / .json）。")
    if uploaded.size > MAX_BYTES:
        return _("文件过大：上限 %(mb)d MB。") % {"mb": MAX_BYTES // 2**20}
    return ""


def save(user, uploaded) -> tuple[str, Path]:
    """Keep the upload for this user under a new random token; returns (token, path)."""
    purge_expired()
    token = secrets.token_urlsafe(24)
    folder = _user_dir(user) / token
    folder.mkdir(parents=True)
    name = get_valid_filename(Path(uploaded.name).name) or f"upload{Path(uploaded.name).suffix}"
    path = folder / name
    with path.open("wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    if path.suffix.lower() == ".csv":
        minimize_csv(path)
    return token, path


def find(user, token: str) -> Path | None:
    """The user's file for this token, if it exists and has not expired."""
    if not TOKEN.match(token or ""):
        return None
    folder = _user_dir(user) / token
    files = [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    if not files or time.time() - folder.stat().st_mtime > retention():
        return None
    return files[0]


def discard(user, token: str) -> None:
    if TOKEN.match(token or ""):
        shutil.rmtree(_user_dir(user) / token, ignore_errors=True)


def purge_expired(now: float | None = None) -> None:
    now = now or time.time()
    root = upload_root()
    for folder in root.glob("*/*") if root.is_dir() else []:
        if folder.is_dir() and now - folder.stat().st_mtime > retention():
            shutil.rmtree(folder, ignore_errors=True)


# --- the preview ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChangeRow:
    school: str
    subject: str  # the room, service or device the value belongs to
    field: str
    old: object
    new: object
    where: str


def _field(c: Change, catalog: Catalog, lang: str) -> str:
    if c.key == "+":
        return _("新增")
    if c.key == "~":
        return _("更新")
    return field_label(catalog, c.key, lang)


def _value(v: object) -> object:
    if isinstance(v, bool):
        return _("是") if v else _("否")
    if hasattr(v, "asset_tag"):  # a device row
        return f"{v.kind} {v.asset_tag}"
    return v


def shown_value(catalog: Catalog, key: str, v: object, lang: str) -> object:
    """A value of a change as the preview shows it (a choice by its label, 是/否)."""
    return _value(value_text(catalog, key, v, lang))


def preview(plan: Plan, catalog: Catalog, lang: str, limit: int = PREVIEW_ROWS) -> list[ChangeRow]:
    def shown(c: Change, v: object) -> object:
        return _value(value_text(catalog, c.key, v, lang))

    return [ChangeRow(c.school or c.ref.split(SEP)[0], subject_text(catalog, c.ref, lang),
                      _field(c, catalog, lang), shown(c, c.old), shown(c, c.new),
                      c.where.describe(lang) if c.where else "")
            for c in plan.changes[:limit]]


def problem_rows(problems: list[Problem], lang: str, limit: int = 500) -> list[dict]:
    """Located problems as table rows: file, sheet (or JSON path), row, column, value, reason."""
    zh = lang.startswith("zh")
    return [{"file": p.where.file, "sheet": p.where.sheet or p.where.path, "row": p.where.row,
             "column": p.where.column, "value": p.value, "reason": p.zh if zh else p.en}
            for p in problems[:limit]]


def notes(problems: list[Problem], lang: str) -> list[str]:
    return [p.zh if lang.startswith("zh") else p.en for p in problems]


@dataclass(frozen=True)
class ConflictRow:
    id: str
    school: str
    subject: str
    field: str
    then: object
    stored: object
    new: object
    by: str
    inventory: bool
    accepted: bool = False  # changed since the last acceptance (a campaign's upload)


def conflict_rows(conflicts, catalog: Catalog, lang: str) -> list[ConflictRow]:
    def shown(c: Change, v: object) -> object:
        return _value(value_text(catalog, c.key, v, lang))

    return [ConflictRow(k.id, k.change.school or "", subject_text(catalog, k.change.ref, lang),
                        _field(k.change, catalog, lang), shown(k.change, k.then),
                        shown(k.change, k.change.old), shown(k.change, k.change.new), k.by,
                        k.reason == "inventory", k.reason == "accepted") for k in conflicts]


def changes_csv(plan: Plan, catalog: Catalog, lang: str, name: str) -> HttpResponse:
    """Every change of a preview as a CSV (UTF-8 with BOM, for Excel); cells that could be read
    as a formula are prefixed with '."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("学校"), _("对象"), _("字段"), _("修改前"), _("修改后"), _("位置")])
    for r in preview(plan, catalog, lang, limit=len(plan.changes)):
        writer.writerow([_safe(v) for v in (r.school, r.subject, r.field, r.old, r.new, r.where)])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.changes.csv"
    return response


def _safe(v: object) -> str:
    text = "" if v is None else str(v)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
