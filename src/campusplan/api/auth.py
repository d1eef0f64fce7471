"""Who is calling (a Bearer token, or the browser's login session with CSRF on writes), how
often they may (a fixed window per token or user, in the default cache), and what they may
touch (accounts.scope, the same functions as the web pages).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import BaseThrottle
from ninja.utils import check_csrf

from campusplan.accounts import audit, ratelimit, scope
from campusplan.accounts.choices import AuditSource, Level
from campusplan.accounts.tokens import token_authenticate
from campusplan.api.errors import ApiError
from campusplan.schools.models import District, School

DEFAULT_RATE = "120/min"
PERIODS = {"s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "hour": 3600, "d": 86400,
           "day": 86400}


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cp_…`: an active token of an active user."""

    def authenticate(self, request: HttpRequest, token: str):
        found = token_authenticate(token.strip())
        if found is None:
            return None
        request.user = found.user  # the user for scope checks and everything downstream
        request.api_token = found
        return found.user


class SessionAuth(APIKeyCookie):
    """The same-origin browser's login session; unsafe methods must pass Django's CSRF check."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise ApiError(403, "csrf_failed")
        request.api_token = None
        return user

    def authenticate(self, request: HttpRequest, key: str | None):  # pragma: no cover - unused
        return None


def parse_rate(rate: str) -> tuple[int, int]:
    """'120/min' → (120, 60)."""
    count, _, unit = rate.partition("/")
    return int(count), PERIODS[unit.strip() or "min"]


class ClientRate(BaseThrottle):
    """At most CAMPUSPLAN_API_RATE requests (default 120/min) per token, or per user for a
    session, in fixed windows counted atomically in the database (accounts.ratelimit), shared by
    every server process. Over the limit: 429 with Retry-After (seconds to the next window)."""

    def _rate(self) -> tuple[int, int]:
        return parse_rate(settings.CAMPUSPLAN_API_RATE or DEFAULT_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        limit, period = self._rate()
        token = getattr(request, "api_token", None)
        ident = f"t{token.pk}" if token is not None else f"u{request.auth.pk}"
        return ratelimit.hit(f"api:{ident}", period) <= limit

    def wait(self) -> float:
        return float(ratelimit.seconds_left(self._rate()[1]))


# --- scope ---------------------------------------------------------------------------------


def user_of(request: HttpRequest):
    return request.auth


def actor(request: HttpRequest) -> audit.Actor:
    """Who acts in an API call: this user, source "api", the middleware's request id (the
    middleware ran before a token named the user, so it only knew the session's)."""
    return audit.actor_for(user_of(request), AuditSource.API, audit.current().request_id)


def school_of(request: HttpRequest, code: str, edit: bool = False) -> School:
    """A school in the caller's scope (404 outside it; 403 when an auditor would change it)."""
    return scope.school_for(user_of(request), code, edit=edit)


def district_of(request: HttpRequest, code: str) -> District:
    return scope.district_for(user_of(request), code)


def whole_district(request: HttpRequest, code: str, edit: bool = False) -> District:
    """A district whose every school the caller sees (city, or that district's own users)."""
    district = district_of(request, code)
    profile = scope.profile_of(user_of(request))
    if profile.level == Level.SCHOOL:
        raise ApiError(403, "forbidden", "校级账户只能访问本校数据，请改用 school 参数",
                       "a school account reaches only its own school: use the school parameter")
    if edit and profile.read_only:
        raise ApiError(403, "read_only")
    return district


def require_edit(request: HttpRequest) -> None:
    if not scope.can_edit(user_of(request)):
        raise ApiError(403, "read_only")
