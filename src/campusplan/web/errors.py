"""The app's own error pages where Django would answer with its own (English) ones: a failed
CSRF check, and a database that is busy (SQLite locked by a long import) or refuses a value
(PostgreSQL: longer than its column) — 409 / 422 instead of a 500. The 400/403/404/500 pages are
the templates of the same names, rendered by Django's default handlers."""

from __future__ import annotations

from django.db import DataError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403.html", {"reason": _(
        "安全校验（CSRF）失败：页面可能已过期，请刷新后重试。")}, status=403)


def is_busy(exc: BaseException) -> bool:
    """SQLite's 'database is locked' (or 'busy'): another transaction holds the write lock."""
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and ("locked" in text or "busy" in text)


def database_refusal(request: HttpRequest, exc: BaseException) -> HttpResponse | None:
    if is_busy(exc):
        reason = _("数据库正忙（可能有一项导入正在写入），未写入任何内容，请稍后重试。")
        return render(request, "409.html", {"status": 409, "reason": reason}, status=409)
    if isinstance(exc, DataError):
        reason = _("输入的值超出允许的长度或范围，未写入任何内容。")
        return render(request, "409.html", {"status": 422, "reason": reason}, status=422)
    return None
