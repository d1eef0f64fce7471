"""Chinese first: the UI language is the one picked in the header switch, else LANGUAGE_CODE.
And a sliding session expiry that does not write the session on every request, the password
page first for a user whose password is an initial or reset one, our own pages for a busy
database, and the Permissions-Policy header."""

import time

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import get_token
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from campusplan.web import errors

CSRF_PLACEHOLDER = "__campusplan_csrf_token__"


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware without the browser's Accept-Language.

    A district officer's browser may well say English; the product still opens in Chinese and
    the language switch (Django's `set_language`, a cookie) is the only way to change it.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
        try:
            language = translation.get_supported_language_variant(chosen)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SlidingSessionMiddleware:
    """An idle timeout without a database write on every request.

    `SESSION_SAVE_EVERY_REQUEST = True` slides the expiry by saving the session on each request,
    which serializes every page view on one SQLite write (62 requests/s for a logged-in user on
    the 2-core test machine, against 790/s without a session). Here the session is saved only
    when its last refresh is older than REFRESH_SECONDS, so the idle timeout holds to within
    that margin. Place it after SessionMiddleware and set SESSION_SAVE_EVERY_REQUEST = False.
    """

    REFRESH_SECONDS = 60
    KEY = "_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.REFRESH_SECONDS:
                session[self.KEY] = now
        return response


class BusyDatabaseMiddleware:
    """A busy database (409) or a value the database refuses (422) answered by our own page,
    never a 500 (campusplan.web.errors)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        return errors.database_refusal(request, exception)


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header (settings.PERMISSIONS_POLICY): no camera, microphone,
    geolocation, payment or USB for the pages or anything they embed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PasswordChangeRequiredMiddleware:
    """A user with an initial or reset password sees only the password page until they change
    it (and may still sign out, switch language, load static files)."""

    OPEN = ("/password/", "/accounts/logout/", "/accounts/login/", "/i18n/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        profile = getattr(user, "profile", None) if getattr(user, "is_authenticated", False) \
            else None
        if profile is not None and profile.must_change_password \
                and not request.path.startswith(self.OPEN):
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "password_change_required", "zh": "请先修改初始密码",
                                     "en": "change the initial password first"}, status=403)
            return redirect(f"{reverse('web:password')}?next={request.path}")
        return self.get_response(request)


class CachedFormTokenMiddleware:
    """Forms inside cached fragments (the school page's facts and rooms) carry a placeholder
    token ({% csrf_field %}); every HTML response gets the reader's own token in its place, so
    the forms work without JavaScript and no reader is served another's token. Inside
    CsrfViewMiddleware, so the token it asks for is also set as the cookie."""

    MARK = CSRF_PLACEHOLDER.encode()

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if not response.streaming and self.MARK in response.content \
                and response.get("Content-Type", "").startswith("text/html"):
            response.content = response.content.replace(self.MARK, get_token(request).encode())
        return response
