"""Every error as one JSON shape: `{"code": "...", "message": {"zh": "...", "en": "..."},
"details": [...]}` — for 400/401/403/404/409/422/429, ninja's own errors included: a
malformed multipart body is 400, a busy SQLite database 409, a value the database refuses 422.

Views raise `ApiError` (or Django's Http404 / PermissionDenied through accounts.scope, or the
services' ImportInvalid); `install(api)` maps each exception class to its response. Anything
unexpected is logged and answered 500 in the same shape, without internals.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import DataError, IntegrityError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from campusplan.campaigns.services import SchoolLocked, TransitionRefused
from campusplan.exchange.problems import ExchangeError, Problem
from campusplan.i18n import Refused
from campusplan.schools.services import ImportInvalid

log = logging.getLogger("campusplan.api")

MESSAGES: dict[str, tuple[str, str]] = {
    "bad_request": ("请求格式错误", "malformed request"),
    "unauthenticated": ("需要有效的令牌（Authorization: Bearer …）或登录会话",
                        "a valid token (Authorization: Bearer …) or a login session is needed"),
    "forbidden": ("无权执行此操作", "you may not do this"),
    "read_only": ("督导账户只读，不能修改数据", "an auditor's account is read-only"),
    "csrf_failed": ("CSRF 校验失败：会话写请求需带 X-CSRFToken",
                    "CSRF check failed: session writes need the X-CSRFToken header"),
    "not_found": ("不存在或不在您的权限范围内", "not found, or outside your scope"),
    "conflict": ("与已有数据冲突，请重试", "conflicts with stored data; try again"),
    "busy": ("数据库正忙（可能有一项导入正在写入），未写入任何内容，请稍后重试",
             "the database is busy (an import may be writing); nothing was written, retry later"),
    "value_refused": ("有值超出数据库允许的长度或范围，未写入任何内容",
                      "a value exceeds what the database accepts (length or range); nothing "
                      "was written"),
    "validation_error": ("请求参数不合法", "invalid request parameters"),
    "invalid_data": ("数据未通过校验，未写入任何内容", "the data is invalid; nothing was written"),
    "locked": ("学校已在填报任务中提交，数据已锁定，未写入任何内容",
               "the school submitted its data in a campaign: it is locked; nothing was written"),
    "rate_limited": ("请求过于频繁，请稍后再试", "too many requests; retry later"),
    "server_error": ("服务器内部错误", "internal server error"),
}
STATUS_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
                409: "conflict", 422: "validation_error", 429: "rate_limited"}


class ApiError(Exception):
    """An error answered as JSON: status, code, a zh/en message, optional details."""

    def __init__(self, status: int, code: str, zh: str | None = None, en: str | None = None,
                 details: list[dict[str, Any]] | None = None):
        default = MESSAGES.get(code, MESSAGES["bad_request"])
        self.status, self.code = status, code
        self.zh, self.en = zh or default[0], en or default[1]
        self.details = details or []
        super().__init__(f"{status} {code}: {self.en}")


def body(code: str, zh: str, en: str, details: list | None = None) -> dict[str, Any]:
    return {"code": code, "message": {"zh": zh, "en": en}, "details": details or []}


def respond(api: NinjaAPI, request: HttpRequest, err: ApiError) -> HttpResponse:
    response = api.create_response(request, body(err.code, err.zh, err.en, err.details),
                                   status=err.status)
    if err.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="campusplan"'
    return response


def problem_details(problems: list[Problem]) -> list[dict[str, Any]]:
    """Located problems (file, sheet, row, column, path, value, zh, en), JSON-safe."""
    out = []
    for p in problems:
        d = p.as_dict()
        d["sheet"] = str(d["sheet"])
        v = d["value"]
        d["value"] = v if v is None or isinstance(v, bool | int | float | str) else str(v)
        out.append(d)
    return out


def validation_details(errors: list[dict]) -> list[dict[str, Any]]:
    return [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", "")),
             "type": str(e.get("type", ""))} for e in errors]


def _http_error(exc: HttpError) -> ApiError:
    if isinstance(exc, AuthenticationError) or exc.status_code == 401:
        return ApiError(401, "unauthenticated")
    if isinstance(exc, Throttled):
        return ApiError(429, "rate_limited")
    code = STATUS_CODES.get(exc.status_code, "bad_request")
    return ApiError(exc.status_code if exc.status_code in STATUS_CODES else 400, code)


def translate(exc: Exception) -> ApiError | None:
    """The ApiError an exception stands for, or None when it is unexpected (a 500)."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, ValidationError):
        return ApiError(422, "validation_error", details=validation_details(exc.errors))
    if isinstance(exc, HttpError):
        return _http_error(exc)
    if isinstance(exc, Http404):
        return ApiError(404, "not_found")
    if isinstance(exc, PermissionDenied):
        return ApiError(403, "read_only")
    if isinstance(exc, SchoolLocked):
        return ApiError(409, "locked", details=problem_details(exc.problems))
    if isinstance(exc, TransitionRefused):
        return ApiError(exc.status, "conflict" if exc.status == 409 else "invalid_data",
                        exc.zh, exc.en)
    if isinstance(exc, ImportInvalid | ExchangeError):
        return ApiError(422, "invalid_data", details=problem_details(exc.problems))
    if isinstance(exc, Refused):  # a use case's bilingual refusal; its class says the status
        status = getattr(exc, "status", 403)
        return ApiError(status, STATUS_CODES.get(status, "forbidden") if status != 422
                        else "invalid_data", exc.zh, exc.en)
    if isinstance(exc, IntegrityError):
        return ApiError(409, "conflict")
    if isinstance(exc, OperationalError) and is_busy(exc):
        return ApiError(409, "busy")
    if isinstance(exc, DataError):
        return ApiError(422, "value_refused")
    if isinstance(exc, SuspiciousOperation | MultiPartParserError):
        return ApiError(400, "bad_request")
    return None


def is_busy(exc: BaseException) -> bool:
    """SQLite's 'database is locked' / 'table is locked' / 'busy': a writer holds the lock."""
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def install(api: NinjaAPI) -> None:
    """Register one handler for every exception class the API can meet."""

    def handle(request: HttpRequest, exc: Exception) -> HttpResponse:
        err = translate(exc)
        if err is None:
            log.exception("API error on %s %s", request.method, request.path, exc_info=exc)
            err = ApiError(500, "server_error")
        return respond(api, request, err)

    for cls in (Exception, ApiError, ValidationError, HttpError, Http404, PermissionDenied,
                ImportInvalid, ExchangeError, IntegrityError, SuspiciousOperation,
                OperationalError, DataError, MultiPartParserError,
                TransitionRefused, Refused):
        api.add_exception_handler(cls, handle)
