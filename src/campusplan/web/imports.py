"""The import page's pieces: the uploaded file kept per user until confirmed (or expired), the
scope check of what a file touches, and the preview of a dry run.

A file is stored under UPLOAD_DIR/<user id>/<random token>/<its name>; only that user's token
finds it again, and files older than UPLOAD_TTL are removed on the next upload. Before a dry
run's plan (which shows stored values, before → after) is shown, every school and district the
file touches must be inside the user's scope: a district user cannot import another district's
school, a school user only their own school.
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from campusplan.accounts.choices import Level
from campusplan.accounts.scope import profile_of, visible_districts, visible_schools
from campusplan.catalog.loader import Catalog
from campusplan.exchange.bundle import Bundle, add_document
from campusplan.exchange.documents import SEP, Change, Plan, snipeit_codes
from campusplan.exchange.inventory import load_kinds
from campusplan.exchange.layout import build_layout
from campusplan.exchange.limits import DEFAULT_LIMITS
from campusplan.exchange.problems import ExchangeError, Problem
from campusplan.exchange.readers import read_any
from campusplan.schools.models import School
from campusplan.schools.selectors import school_names
from campusplan.web.facts import field_label

SUFFIXES = (".xlsx", ".csv", ".json")
MAX_BYTES = DEFAULT_LIMITS.max_file_bytes
UPLOAD_TTL = 3600  # seconds an unconfirmed upload is kept
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
    return Path(getattr(settings, "CAMPUSPLAN_UPLOAD_DIR", None) or settings.VAR_DIR / "uploads")


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
    return token, path


def find(user, token: str) -> Path | None:
    """The user's file for this token, if it exists and has not expired."""
    if not TOKEN.match(token or ""):
        return None
    folder = _user_dir(user) / token
    files = [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    if not files or time.time() - folder.stat().st_mtime > UPLOAD_TTL:
        return None
    return files[0]


def discard(user, token: str) -> None:
    if TOKEN.match(token or ""):
        shutil.rmtree(_user_dir(user) / token, ignore_errors=True)


def purge_expired(now: float | None = None) -> None:
    now = now or time.time()
    root = upload_root()
    for folder in root.glob("*/*") if root.is_dir() else []:
        if folder.is_dir() and now - folder.stat().st_mtime > UPLOAD_TTL:
            shutil.rmtree(folder, ignore_errors=True)


# --- what a file touches, and whether the user may change it ----------------------------------


@dataclass(frozen=True)
class Touched:
    schools: set[str]  # school codes the file names
    districts: set[str]  # districts whose district-level services it gives


def touched(path: Path, catalog: Catalog) -> Touched:
    """The schools and districts a file names (read as the importer reads it)."""
    kinds = load_kinds(catalog)
    bundle = Bundle()
    try:
        add_document(bundle, read_any(path), build_layout(catalog, kinds.labels()), kinds)
    except ExchangeError:
        return Touched(set(), set())
    codes = set(bundle.schools)
    if bundle.snipeit:
        codes |= snipeit_codes(bundle, school_names())
    return Touched(codes, {d for d, _c, _n in bundle.district_services})


def out_of_scope(user, files: Touched, plan: Plan | None = None) -> list[str]:
    """Why the user may not import these schools/districts (empty: all inside the scope)."""
    p = profile_of(user)
    if p is None:
        return [_("没有导入权限。")]
    if p.level == Level.CITY:
        return []
    mine = set(visible_schools(user).filter(code__in=files.schools).values_list("code", flat=True))
    existing = set(School.objects.filter(code__in=files.schools).values_list("code", flat=True))
    districts = set(visible_districts(user).values_list("code", flat=True))
    reasons = []
    foreign = sorted(existing - mine)
    if foreign:
        reasons.append(_("文件中的学校不在您的管理范围内：%(codes)s") % {"codes": "、".join(foreign)})
    new = sorted(files.schools - existing)
    if new and p.level == Level.SCHOOL:
        reasons.append(_("校级用户不能新增学校：%(codes)s") % {"codes": "、".join(new)})
    if files.districts and (p.level == Level.SCHOOL or files.districts - districts):
        reasons.append(_("不能导入本区以外（或区级统一）的服务：%(codes)s")
                       % {"codes": "、".join(sorted(files.districts))})
    if plan is not None and plan.inputs is not None:
        moved = sorted(d.code for d in plan.inputs.schools if d.district not in districts)
        if moved:
            reasons.append(_("学校的行政区划代码不在您的管理范围内：%(codes)s")
                           % {"codes": "、".join(moved)})
    return reasons


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


def preview(plan: Plan, catalog: Catalog, lang: str, limit: int = PREVIEW_ROWS) -> list[ChangeRow]:
    return [ChangeRow(c.school or c.ref.split(SEP)[0], c.ref.replace(SEP, " · "),
                      _field(c, catalog, lang), _value(c.old), _value(c.new),
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


def affected_codes(plan: Plan) -> set[str]:
    """Schools whose judgement an applied plan can change (district services: the district's)."""
    codes = {c.school for c in plan.changes if c.school}
    districts = {c.ref.split(SEP)[0] for c in plan.changes if not c.school}
    if districts:
        codes |= set(School.objects.filter(district__code__in=districts)
                     .values_list("code", flat=True))
    return codes


def run_scope(schools: list[School]) -> tuple[str, str]:
    """The assessment run's scope: one school, one district, or all."""
    if len(schools) == 1:
        return "school", schools[0].code
    districts = {s.district.code for s in schools}
    return ("district", districts.pop()) if len(districts) == 1 else ("all", "")
